package dev.jfdw.tests.connectors;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.jfdw.api.ColumnBatch;
import dev.jfdw.api.ColumnBatch.Dictionary;
import dev.jfdw.api.ColumnBatch.Encoding;
import dev.jfdw.api.Connector;
import dev.jfdw.api.OptionScope;
import dev.jfdw.api.OptionSpec;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import dev.jfdw.api.ScanPlan;
import dev.jfdw.api.ScanRequest;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One set of vectors of {@link #ROWS} rows, handed over in as many batches
 * as the scan's batch size makes, good or damaged as the table option
 * {@code vectors} says. Table (id int8, ts timestamptz, s text), row i from
 * 0: id = i + 1; ts = id seconds after 1970, NULL (with Long.MIN_VALUE
 * under it) when id % 4 = 0; s = 'é' || id, NULL when id % 5 = 0.
 * Damaged: {@code ts_out_of_range} (row 1234's ts is Long.MIN_VALUE
 * microseconds), {@code offsets_backwards} (row 1500's end offset is before
 * its start), {@code split_utf8} (row 1997's value ends with the first
 * byte of the two-byte 'é' that starts row 1998's). Handed over
 * differently: {@code heap} (ids and text in Java arrays, not native
 * memory), {@code caught} (offsets_backwards, but the connector catches the
 * error and writes s row by row), {@code freed} (ids copied into an arena
 * that next() closes before it returns).
 *
 * <p>Dictionary-encoded, the NULLs in the indexes' validity as above:
 * {@code dictionary} (row i's ts is int32 index 2499 - i into a
 * dictionary whose value k is k + 1 seconds after 1970, row i's s int16
 * index 2499 - i into s's offsets and data as above, '' at ids that are
 * multiples of 5); damaged: {@code dictionary_ts_out_of_range} (value 1234,
 * which row 1265 uses, is Long.MIN_VALUE), {@code dictionary_split_utf8}
 * (as split_utf8, so the value row 501 uses starts inside a character),
 * {@code dictionary_outside} (row 1700's index is 2500, past the end).
 * {@code dictionary_few}: s is uint8 indexes id % 7 into a dictionary of
 * 'é0' to 'é6', NULL when id % 5 = 0; {@code dictionary_null_value}: the
 * same, but the dictionary's value 0 is NULL.
 *
 * <p>{@code decimals4}, {@code decimals8}, {@code decimals16} (and the bad
 * {@code decimals3}): id as decimals of that many bytes with scale 2, the
 * unscaled value id for even ids and -id for odd ones, but in 16 bytes row
 * 0's, which is 2^64 + 1.
 */
public final class VectorsConnector implements Connector {
    static final OptionSpec<String> VECTORS = OptionSpec.string("vectors").in(OptionScope.TABLE).required();
    static final int ROWS = 2500;

    @Override
    public String name() {
        return "vectors";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(VECTORS);
    }

    @Override
    public ScanPlan planScan(ScanRequest request) {
        return ScanPlan.estimate(ROWS);
    }

    @Override
    public Scan openScan(ScanContext context) {
        String kind = context.options().get(VECTORS);
        Arena arena = Arena.ofConfined();
        MemorySegment ids = arena.allocate(8L * ROWS, 8);
        MemorySegment ts = arena.allocate(8L * ROWS, 8);
        MemorySegment tsValid = arena.allocate(ROWS / 8 + 1);
        MemorySegment offsets = arena.allocate(4L * (ROWS + 1), 4);
        MemorySegment sValid = arena.allocate(ROWS / 8 + 1);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (int i = 0; i < ROWS; i++) {
            long id = i + 1;
            ids.setAtIndex(JAVA_LONG, i, id);
            boolean tsNull = id % 4 == 0;
            ts.setAtIndex(JAVA_LONG, i, tsNull || kind.equals("ts_out_of_range") && i == 1234 ? Long.MIN_VALUE
                    : id * 1_000_000);
            setBit(tsValid, i, !tsNull);
            offsets.setAtIndex(JAVA_INT, i, text.size());
            if (id % 5 != 0) {
                text.writeBytes(("é" + id).getBytes(StandardCharsets.UTF_8));
            }
            setBit(sValid, i, id % 5 != 0);
        }
        offsets.setAtIndex(JAVA_INT, ROWS, text.size());
        if (kind.equals("offsets_backwards") || kind.equals("caught")) {
            offsets.setAtIndex(JAVA_INT, 1500, offsets.getAtIndex(JAVA_INT, 1499) - 1);
        } else if (kind.endsWith("split_utf8")) {
            offsets.setAtIndex(JAVA_INT, 1998, offsets.getAtIndex(JAVA_INT, 1998) + 1);
        }
        MemorySegment data = kind.equals("heap") ? MemorySegment.ofArray(text.toByteArray())
                : arena.allocateFrom(JAVA_BYTE, text.toByteArray());
        MemorySegment idValues = kind.equals("heap") ? MemorySegment.ofArray(ids.toArray(JAVA_LONG)) : ids;
        boolean dictionary = kind.startsWith("dictionary");
        boolean few = kind.equals("dictionary_few") || kind.equals("dictionary_null_value");
        MemorySegment tsIndexes = arena.allocate(4L * ROWS, 4);
        MemorySegment sIndexes = arena.allocate(2L * ROWS, 2);
        MemorySegment fewIndexes = arena.allocate(ROWS);
        MemorySegment tsValues = arena.allocate(8L * ROWS, 8);
        for (int i = 0; i < ROWS; i++) {
            tsValues.setAtIndex(JAVA_LONG, i, kind.equals("dictionary_ts_out_of_range") && i == 1234 ? Long.MIN_VALUE
                    : (i + 1) * 1_000_000L);
            tsIndexes.setAtIndex(JAVA_INT, i, ROWS - 1 - i);
            sIndexes.setAtIndex(JAVA_SHORT, i, (short) (kind.equals("dictionary_outside") && i == 1700 ? ROWS
                    : ROWS - 1 - i));
            fewIndexes.set(JAVA_BYTE, i, (byte) ((i + 1) % 7));
        }
        MemorySegment fewOffsets = arena.allocate(4L * 8, 4);
        ByteArrayOutputStream fewText = new ByteArrayOutputStream();
        for (int k = 0; k < 7; k++) {
            fewOffsets.setAtIndex(JAVA_INT, k, fewText.size());
            fewText.writeBytes(("é" + k).getBytes(StandardCharsets.UTF_8));
        }
        fewOffsets.setAtIndex(JAVA_INT, 7, fewText.size());
        MemorySegment fewValid = arena.allocate(1);
        fewValid.set(JAVA_BYTE, 0, (byte) (kind.equals("dictionary_null_value") ? 0xFE : 0xFF));
        Dictionary sDictionary = few
                ? new Dictionary.Varying(fewOffsets, false, arena.allocateFrom(JAVA_BYTE, fewText.toByteArray()),
                        fewValid, 7)
                : new Dictionary.Varying(offsets, false, data, MemorySegment.NULL, ROWS);
        Dictionary tsDictionary = new Dictionary.Values(Encoding.TIMESTAMP_MICROS, tsValues, MemorySegment.NULL, ROWS);
        int width = kind.startsWith("decimals") ? Integer.parseInt(kind.substring("decimals".length())) : 0;
        MemorySegment decimals = arena.allocate((long) Math.max(width, 8) * ROWS, 8);
        for (int i = 0; i < ROWS && width > 0; i++) {
            long v = i % 2 == 0 ? -(i + 1) : i + 1;
            switch (width) {
                case 4 -> decimals.setAtIndex(JAVA_INT, i, (int) v);
                case 16 -> {
                    decimals.setAtIndex(JAVA_LONG, 2L * i, i == 0 ? 1 : v);
                    decimals.setAtIndex(JAVA_LONG, 2L * i + 1, i == 0 ? 1 : v >> 63);
                }
                default -> decimals.setAtIndex(JAVA_LONG, i, v);
            }
        }
        int id = context.table().column("id").index();
        int t = context.table().column("ts").index();
        int s = context.table().column("s").index();
        return new Scan() {
            int done;

            @Override
            public boolean next(Rows rows) {
                ColumnBatch batch = rows.columns(done, ROWS - done);
                if (width > 0) {
                    batch.setDecimals(id, width, 2, decimals, MemorySegment.NULL);
                } else if (kind.equals("freed")) {
                    try (Arena call = Arena.ofConfined()) {
                        batch.setValues(id, Encoding.INT64, call.allocate(8L * ROWS, 8).copyFrom(ids), MemorySegment.NULL);
                    }
                } else {
                    batch.setValues(id, Encoding.INT64, idValues, MemorySegment.NULL);
                }
                if (dictionary) {
                    batch.setDictionary(t, Encoding.INT32, tsIndexes, tsValid, tsDictionary);
                    batch.setDictionary(s, few ? Encoding.UINT8 : Encoding.INT16, few ? fewIndexes : sIndexes, sValid,
                            sDictionary);
                    done += batch.size();
                    return done < ROWS;
                }
                batch.setValues(t, Encoding.TIMESTAMP_MICROS, ts, tsValid);
                try {
                    batch.setVarying(s, offsets, false, data, sValid);
                } catch (IllegalArgumentException e) {
                    if (!kind.equals("caught")) {
                        throw e;
                    }
                    for (int i = batch.first(); i < batch.first() + batch.size(); i++) {
                        if ((i + 1) % 5 != 0) {
                            batch.row(i).setString(s, "é" + (i + 1));
                        }
                    }
                }
                done += batch.size();
                return done < ROWS;
            }

            @Override
            public boolean rescan() {
                done = 0;
                return true;
            }

            @Override
            public void close() {
                arena.close();
            }
        };
    }

    private static void setBit(MemorySegment bits, int i, boolean set) {
        byte b = bits.get(JAVA_BYTE, i >> 3);
        bits.set(JAVA_BYTE, i >> 3, (byte) (set ? b | 1 << (i & 7) : b & ~(1 << (i & 7))));
    }
}
