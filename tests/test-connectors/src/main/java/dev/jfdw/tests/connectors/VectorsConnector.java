package dev.jfdw.tests.connectors;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jfdw.api.ColumnBatch;
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
        } else if (kind.equals("split_utf8")) {
            offsets.setAtIndex(JAVA_INT, 1998, offsets.getAtIndex(JAVA_INT, 1998) + 1);
        }
        MemorySegment data = kind.equals("heap") ? MemorySegment.ofArray(text.toByteArray())
                : arena.allocateFrom(JAVA_BYTE, text.toByteArray());
        MemorySegment idValues = kind.equals("heap") ? MemorySegment.ofArray(ids.toArray(JAVA_LONG)) : ids;
        int id = context.table().column("id").index();
        int t = context.table().column("ts").index();
        int s = context.table().column("s").index();
        return new Scan() {
            int done;

            @Override
            public boolean next(Rows rows) {
                ColumnBatch batch = rows.columns(done, ROWS - done);
                if (kind.equals("freed")) {
                    try (Arena call = Arena.ofConfined()) {
                        batch.setValues(id, Encoding.INT64, call.allocate(8L * ROWS, 8).copyFrom(ids), MemorySegment.NULL);
                    }
                } else {
                    batch.setValues(id, Encoding.INT64, idValues, MemorySegment.NULL);
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
