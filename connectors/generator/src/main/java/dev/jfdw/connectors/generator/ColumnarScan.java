package dev.jfdw.connectors.generator;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.jfdw.api.ColumnBatch;
import dev.jfdw.api.ColumnBatch.Encoding;
import dev.jfdw.api.PgType;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * The same rows as the row-by-row scan, made a vector at a time in native
 * memory and handed over with {@link Rows#columns}: how a columnar source
 * (Arrow, Parquet) passes its data. Types with no vector form here go row
 * by row through {@link ColumnBatch#row}.
 */
final class ColumnarScan implements Scan {
    private static final int CHUNK = 4096;
    private static final long EPOCH_2000 = 946_684_800L;

    private final long rows;
    private final int[] index;
    private final int[] types;
    private final long[] nullEvery;
    private final GeneratorConnector.Value[] fallback;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment[] values;
    private final MemorySegment[] validity;
    private final MemorySegment[] data;
    /** Row number n of the chunk's first row, its length, and how much of it was handed over. */
    private long chunkStart;
    private int chunkSize;
    private int handed;

    ColumnarScan(long rows, int[] index, int[] types, long[] nullEvery, GeneratorConnector.Value[] fallback) {
        this.rows = rows;
        this.index = index;
        this.types = types;
        this.nullEvery = nullEvery;
        this.fallback = fallback;
        this.values = new MemorySegment[types.length];
        this.validity = new MemorySegment[types.length];
        this.data = new MemorySegment[types.length];
        for (int i = 0; i < types.length; i++) {
            Encoding e = encoding(types[i]);
            long bytes = e == null ? 0 : isText(types[i]) ? 4L * (CHUNK + 1)
                    : e == Encoding.BOOL_BITS ? CHUNK / 8 : (long) CHUNK * e.width();
            values[i] = e == null ? MemorySegment.NULL : arena.allocate(bytes, 8);
            data[i] = isText(types[i]) ? arena.allocate(24L * CHUNK) : MemorySegment.NULL;
            validity[i] = nullEvery[i] == 0 ? MemorySegment.NULL : arena.allocate(CHUNK / 8);
        }
    }

    @Override
    public boolean next(Rows out) {
        if (handed == chunkSize) {
            if (chunkStart + chunkSize >= rows) {
                return false;
            }
            chunkStart += chunkSize;
            chunkSize = (int) Math.min(CHUNK, rows - chunkStart);
            handed = 0;
            fill();
        }
        ColumnBatch batch = out.columns(handed, chunkSize - handed);
        for (int i = 0; i < types.length; i++) {
            Encoding e = encoding(types[i]);
            if (isText(types[i])) {
                batch.setVarying(index[i], values[i], false, data[i], validity[i]);
            } else if (e != null) {
                batch.setValues(index[i], e, values[i], validity[i]);
            } else {
                for (int r = batch.first(); r < batch.first() + batch.size(); r++) {
                    long n = chunkStart + r + 1;
                    if (nullEvery[i] == 0 || n % nullEvery[i] != 0) {
                        fallback[i].set(batch.row(r), index[i], n);
                    }
                }
            }
        }
        handed += batch.size();
        return handed < chunkSize || chunkStart + chunkSize < rows;
    }

    /** Row r of the chunk is row number n = chunkStart + r + 1. */
    private void fill() {
        for (int i = 0; i < types.length; i++) {
            MemorySegment v = values[i];
            for (int r = 0; r < chunkSize; r++) {
                long n = chunkStart + r + 1;
                switch (types[i]) {
                    case PgType.INT2 -> v.setAtIndex(JAVA_SHORT, r, (short) n);
                    case PgType.INT4 -> v.setAtIndex(JAVA_INT, r, (int) n);
                    case PgType.INT8 -> v.setAtIndex(JAVA_LONG, r, n);
                    case PgType.FLOAT4 -> v.setAtIndex(JAVA_FLOAT, r, n / 4.0f);
                    case PgType.FLOAT8 -> v.setAtIndex(JAVA_DOUBLE, r, n / 4.0);
                    case PgType.BOOL -> setBit(v, r, n % 2 == 0);
                    case PgType.DATE -> v.setAtIndex(JAVA_INT, r, (int) (10_957 + n % 3_000_000));
                    case PgType.TIME -> v.setAtIndex(JAVA_INT, r, (int) (n % 86_400));
                    case PgType.TIMESTAMP, PgType.TIMESTAMPTZ -> v.setAtIndex(JAVA_LONG, r, EPOCH_2000 + n);
                    case PgType.TEXT -> {
                        int at = r == 0 ? 0 : v.getAtIndex(JAVA_INT, r);
                        v.setAtIndex(JAVA_INT, r, at);
                        byte[] s = ("row " + n).getBytes(StandardCharsets.US_ASCII);
                        MemorySegment.copy(s, 0, data[i], JAVA_BYTE, at, s.length);
                        v.setAtIndex(JAVA_INT, r + 1, at + s.length);
                    }
                    default -> {
                    }
                }
                if (validity[i] != MemorySegment.NULL) {
                    setBit(validity[i], r, n % nullEvery[i] != 0);
                }
            }
        }
    }

    private static void setBit(MemorySegment bits, int r, boolean on) {
        byte b = bits.get(JAVA_BYTE, r >>> 3);
        int mask = 1 << (r & 7);
        bits.set(JAVA_BYTE, r >>> 3, (byte) (on ? b | mask : b & ~mask));
    }

    private static boolean isText(int type) {
        return type == PgType.TEXT;
    }

    /** The vector encoding generated for a column type; null: row by row. */
    private static Encoding encoding(int type) {
        return switch (type) {
            case PgType.INT2 -> Encoding.INT16;
            case PgType.INT4, PgType.TEXT -> Encoding.INT32;
            case PgType.INT8 -> Encoding.INT64;
            case PgType.FLOAT4 -> Encoding.FLOAT32;
            case PgType.FLOAT8 -> Encoding.FLOAT64;
            case PgType.BOOL -> Encoding.BOOL_BITS;
            case PgType.DATE -> Encoding.DATE_DAYS;
            case PgType.TIME -> Encoding.TIME_SECONDS;
            case PgType.TIMESTAMP, PgType.TIMESTAMPTZ -> Encoding.TIMESTAMP_SECONDS;
            default -> null;
        };
    }

    @Override
    public boolean rescan() {
        chunkStart = 0;
        chunkSize = 0;
        handed = 0;
        return true;
    }

    @Override
    public void close() {
        arena.close();
    }
}
