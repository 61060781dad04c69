package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.jfdw.api.ColumnBatch;
import dev.jfdw.api.FdwException;
import dev.jfdw.api.PgType;
import dev.jfdw.api.Row;
import dev.jfdw.api.SqlState;
import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ColumnBatch}: each column is either described to the glue, which
 * converts its values into the batch's Datum arrays a column at a time once
 * the upcall returns (JfdwColumn, see jfdw.h), or converted here through the
 * column's codec. The glue trusts a description, so everything it will read
 * is checked first: vector bounds, offsets, UTF-8, date and time ranges; a
 * description is written whole, its kind last, or not at all.
 */
final class Columns implements ColumnBatch {
    private static final class Col {
        static final long KIND = Layout.of("JfdwColumn.kind");
        static final long WIDTH = Layout.of("JfdwColumn.width");
        static final long IS_SIGNED = Layout.of("JfdwColumn.is_signed");
        static final long SCALED = Layout.of("JfdwColumn.scaled");
        static final long INDEX_SIGNED = Layout.of("JfdwColumn.index_signed");
        static final long INDEX_WIDTH = Layout.of("JfdwColumn.index_width");
        static final long MUL = Layout.of("JfdwColumn.mul");
        static final long DIV = Layout.of("JfdwColumn.div");
        static final long ADD = Layout.of("JfdwColumn.add");
        static final long VALUES = Layout.of("JfdwColumn.values");
        static final long DATA = Layout.of("JfdwColumn.data");
        static final long VALIDITY = Layout.of("JfdwColumn.validity");
        static final long INDEXES = Layout.of("JfdwColumn.indexes");
        static final long MADE = Layout.of("JfdwColumn.made");
        static final long OUT = Layout.of("JfdwColumn.out");
        static final long SIZE = Layout.sizeOf("JfdwColumn");
        static final int NULL = Layout.intOf("JFDW_COL_NULL");
        static final int ROWS = Layout.intOf("JFDW_COL_ROWS");
        static final int FIXED = Layout.intOf("JFDW_COL_FIXED");
        static final int BITS = Layout.intOf("JFDW_COL_BITS");
        static final int VARLENA = Layout.intOf("JFDW_COL_VARLENA");
        /** The glue's conversions make 8-byte by-value Datums. */
        static final boolean SUPPORTED = Layout.sizeOf("Datum") == 8 && Layout.of("FLOAT8PASSBYVAL") != 0;
    }

    private static final long EPOCH_2000_MICROS = 946_684_800_000_000L;
    private static final long EPOCH_2000_DAYS = 10_957;
    private static final long DAY_MICROS = 86_400_000_000L;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final RowBatch rows;
    private final ColumnCodec[] codecs;
    private final int first;
    private final int size;
    /** The glue's JfdwColumn array, or NULL when every value is converted here (the scan slot). */
    private final MemorySegment descriptors;
    private final boolean[] set;
    /** The vectors described to the glue: they must still be alive when it reads them. */
    private final List<MemorySegment> described = new ArrayList<>();
    private boolean rowsWritten;
    private boolean done;

    Columns(RowBatch rows, ColumnCodec[] codecs, MemorySegment descriptors, int first, int size) {
        this.rows = rows;
        this.codecs = codecs;
        this.descriptors = descriptors;
        this.first = first;
        this.size = size;
        this.set = new boolean[codecs.length];
        if (descriptors != MemorySegment.NULL) {
            descriptors.fill((byte) 0);
        }
    }

    @Override
    public int first() {
        return first;
    }

    @Override
    public int size() {
        return size;
    }

    boolean rowsWritten() {
        return rowsWritten;
    }

    /** Served by the glue from the descriptors (false: from the Datum arrays alone). */
    boolean servedNatively() {
        return descriptors != MemorySegment.NULL;
    }

    /** The batch is complete: columns written row by row are read from the Datum arrays. */
    void publish() {
        for (MemorySegment s : described) {
            if (!s.scope().isAlive()) {
                throw new IllegalStateException("a vector of this column batch was freed before PostgreSQL read it "
                        + "(was its arena closed in next()?): vectors must stay valid until the next call of next()");
            }
        }
        if (descriptors == MemorySegment.NULL || !rowsWritten) {
            return;
        }
        for (int c = 0; c < codecs.length; c++) {
            if (!set[c]) {
                descriptors.set(JAVA_INT, c * Col.SIZE + Col.KIND, Col.ROWS);
            }
        }
    }

    void finish() {
        done = true;
    }

    @Override
    public Row row(int index) {
        live();
        checkIndex(index);
        rowsWritten = true;
        return rows.at(index - first);
    }

    @Override
    public ColumnBatch setValues(int column, Encoding encoding, MemorySegment values, MemorySegment validity) {
        return claimed(column, codec -> values(codec, column, encoding, values, validity));
    }

    @Override
    public ColumnBatch setVarying(int column, MemorySegment offsets, boolean largeOffsets, MemorySegment data,
                                  MemorySegment validity) {
        return claimed(column, codec -> varying(codec, column, offsets, largeOffsets, data, validity));
    }

    @Override
    public ColumnBatch setDictionary(int column, Encoding indexEncoding, MemorySegment indexes, MemorySegment validity,
                                     Dictionary dictionary) {
        return claimed(column, codec -> dictionary(codec, column, indexEncoding, indexes, validity, dictionary));
    }

    @Override
    public ColumnBatch setDecimals(int column, int width, int scale, MemorySegment values, MemorySegment validity) {
        return claimed(column, codec -> {
            if (width != 4 && width != 8 && width != 16 && width != 32) {
                throw badVector(codec, "decimals of " + width + " bytes (4, 8, 16 or 32)");
            }
            checkSize(codec, "values", values, ((long) first + size) * width);
            checkValidity(codec, validity);
            convertHere(codec, column, validity, at -> decimal(codec, column, width, scale, values, at));
        });
    }

    /** Decimal {@code at}: as a long where it fits (the upper words extend the sign of the lowest), else big. */
    private void decimal(ColumnCodec codec, int column, int width, int scale, MemorySegment values, int at) {
        long offset = (long) at * width;
        long low = width == 4 ? values.get(JAVA_INT_UNALIGNED, offset) : values.get(JAVA_LONG_UNALIGNED, offset);
        boolean fits = true;
        for (int w = 8; w < width; w += 8) {
            fits &= values.get(JAVA_LONG_UNALIGNED, offset + w) == low >> 63;
        }
        if (fits) {
            codec.setDecimal(rows, column, low, scale);
            return;
        }
        byte[] bigEndian = new byte[width];
        for (int i = 0; i < width; i++) {
            bigEndian[i] = values.get(JAVA_BYTE, offset + width - 1 - i);
        }
        codec.setBigDecimal(rows, column, new BigDecimal(new java.math.BigInteger(bigEndian), scale));
    }

    /** Sets {@code column} with {@code set}; if that throws, the column is as if never set. */
    private ColumnBatch claimed(int column, java.util.function.Consumer<ColumnCodec> set) {
        ColumnCodec codec = claim(column);
        boolean ok = false;
        try {
            set.accept(codec);
            ok = true;
            return this;
        } finally {
            if (!ok) {
                unclaim(column);
            }
        }
    }

    private void values(ColumnCodec codec, int column, Encoding encoding, MemorySegment values,
                        MemorySegment validity) {
        long bits = (long) first + size;
        checkSize(codec, "values", values, encoding == Encoding.BOOL_BITS ? (bits + 7) / 8 : bits * encoding.width());
        checkValidity(codec, validity);
        Native plan = nativePlan(encoding, codec);
        if (plan != null && servedNatively() && values.isNative() && validity.isNative()
                && aligned(values, encoding)) {
            validate(encoding, codec, values, validity, null);
            MemorySegment d = describeValues(column, encoding, plan, values, validity);
            d.set(JAVA_INT, Col.KIND, plan.kind);
        } else {
            convertHere(codec, column, validity, at -> convert(encoding, codec, column, values, at));
        }
    }

    /** The descriptor of fixed-width values, but for its kind, which the caller sets last. */
    private MemorySegment describeValues(int column, Encoding encoding, Native plan, MemorySegment values,
                                         MemorySegment validity) {
        MemorySegment d = descriptor(column);
        d.set(JAVA_INT, Col.WIDTH, encoding.width());
        d.set(JAVA_BOOLEAN, Col.IS_SIGNED, plan.signed);
        d.set(JAVA_BOOLEAN, Col.SCALED, plan.mul != 1 || plan.div != 1 || plan.add != 0);
        d.set(JAVA_LONG, Col.MUL, plan.mul);
        d.set(JAVA_LONG, Col.DIV, plan.div);
        d.set(JAVA_LONG, Col.ADD, plan.add);
        d.set(ADDRESS, Col.VALUES, values);
        d.set(ADDRESS, Col.VALIDITY, validity);
        described(values, validity);
        return d;
    }

    private static boolean aligned(MemorySegment s, Encoding e) {
        return s.address() % Math.max(1, e.width()) == 0;
    }

    private void varying(ColumnCodec codec, int column, MemorySegment offsets, boolean largeOffsets,
                         MemorySegment data, MemorySegment validity) {
        int w = largeOffsets ? 8 : 4;
        checkSize(codec, "offsets", offsets, ((long) first + size + 1) * w);
        checkValidity(codec, validity);
        int backwards = backwardsAt(offsets, largeOffsets);
        if (backwards >= 0) {
            throw badVector(codec, "offsets go backwards at row " + backwards);
        }
        long start = offset(offsets, w, first);
        long end = offset(offsets, w, first + size);
        if (start < 0 || end > data.byteSize()) {
            throw badVector(codec, "offsets " + start + ".." + end + " outside the data (" + data.byteSize() + " bytes)");
        }
        boolean text = isPlainText(codec);
        boolean bytea = codec instanceof ColumnCodec.Bytea;
        if ((text || bytea) && servedNatively() && offsets.isNative() && data.isNative() && validity.isNative()
                && offsets.address() % w == 0) {
            if (text) {
                checkUtf8(codec, offsets, w, data, validity, start, end);
            }
            // worst case per value: a 4-byte header and 3 bytes of alignment
            MemorySegment out = rows.memory().allocate(end - start + 7L * size + 8);
            MemorySegment d = descriptor(column);
            d.set(JAVA_INT, Col.WIDTH, w);
            d.set(ADDRESS, Col.VALUES, offsets);
            // every value is empty when there is no data: any address but NULL, which memcpy must not get
            d.set(ADDRESS, Col.DATA, data.byteSize() == 0 ? out : data);
            d.set(ADDRESS, Col.VALIDITY, validity);
            d.set(ADDRESS, Col.OUT, out);
            d.set(JAVA_INT, Col.KIND, Col.VARLENA);
            described(offsets, data);
            described(validity);
            return;
        }
        convertHere(codec, column, validity, at -> varyingValue(codec, column, offsets, w, data, at));
    }

    /** Variable-width value {@code at}, converted here. */
    private void varyingValue(ColumnCodec codec, int column, MemorySegment offsets, int w, MemorySegment data,
                              int at) {
        long from = offset(offsets, w, at);
        int len = Math.toIntExact(offset(offsets, w, at + 1) - from);
        byte[] b = rows.scratch(len);
        MemorySegment.copy(data, JAVA_BYTE, from, b, 0, len);
        if (codec instanceof ColumnCodec.Bytea) {
            codec.setBytes(rows, column, java.util.Arrays.copyOf(b, len));
        } else {
            codec.setText(rows, column, b, 0, len);
        }
    }

    // ---- dictionaries

    private void dictionary(ColumnCodec codec, int column, Encoding indexEncoding, MemorySegment indexes,
                            MemorySegment validity, Dictionary dictionary) {
        if (!isInteger(indexEncoding)) {
            throw badVector(codec, "dictionary indexes must be integers, not " + indexEncoding);
        }
        int n = dictionary.size();
        MemorySegment entryValidity = switch (dictionary) {
            case Dictionary.Values v -> v.validity();
            case Dictionary.Varying v -> v.validity();
        };
        checkSize(codec, "indexes", indexes, ((long) first + size) * indexEncoding.width());
        checkValidity(codec, validity);
        if (entryValidity.byteSize() < (n + 7L) / 8 && entryValidity != MemorySegment.NULL) {
            throw badVector(codec, "the dictionary's validity has " + entryValidity.byteSize() + " bytes, its "
                    + n + " values need " + (n + 7L) / 8);
        }
        // row i's value number, or -1 where the row or its value is NULL
        int[] at = new int[size];
        boolean nullValues = false;
        for (int i = 0; i < size; i++) {
            long row = first + i;
            at[i] = -1;
            if (valid(validity, row)) {
                long index = integer(indexEncoding, indexes, row);
                if (index < 0 || index >= n) {
                    throw badVector(codec, "row " + row + " has dictionary index " + (indexEncoding == Encoding.UINT64
                            ? Long.toUnsignedString(index) : index) + ", outside the dictionary of " + n + " values");
                }
                if (valid(entryValidity, index)) {
                    at[i] = (int) index;
                } else {
                    nullValues = true;
                }
            }
        }
        // the glue reads the row's validity alone: NULL values in the dictionary are converted here
        boolean natively = !nullValues && servedNatively() && indexes.isNative() && validity.isNative()
                && aligned(indexes, indexEncoding);
        switch (dictionary) {
            case Dictionary.Values v -> {
                Encoding e = v.encoding();
                checkSize(codec, "dictionary values", v.values(), e == Encoding.BOOL_BITS ? (n + 7L) / 8
                        : (long) n * e.width());
                Native plan = nativePlan(e, codec);
                if (natively && plan != null && v.values().isNative() && aligned(v.values(), e)) {
                    validate(e, codec, v.values(), validity, at);
                    MemorySegment d = describeValues(column, e, plan, v.values(), validity);
                    describeIndexes(d, indexEncoding, indexes);
                    d.set(JAVA_INT, Col.KIND, plan.kind);
                } else {
                    convertHere(codec, column, i -> at[i], x -> convert(e, codec, column, v.values(), x));
                }
            }
            case Dictionary.Varying v -> {
                int w = v.largeOffsets() ? 8 : 4;
                // an empty dictionary may have no offsets at all (Arrow Java writes none): no row points into it
                checkSize(codec, "dictionary offsets", v.offsets(), n == 0 ? 0 : (n + 1L) * w);
                boolean text = isPlainText(codec);
                // few values for the rows: each is checked, and made, once, and its rows share it
                boolean[] shared = n <= Math.max(size, 1024) ? new boolean[n] : null;
                long bytes = 0;
                for (int i = 0; i < size; i++) {
                    if (at[i] >= 0 && (shared == null || !shared[at[i]])) {
                        bytes += checkEntry(codec, v, w, at[i], text, first + i);
                        if (shared != null) {
                            shared[at[i]] = true;
                        }
                    }
                }
                if (natively && (text || codec instanceof ColumnCodec.Bytea) && v.offsets().isNative()
                        && v.data().isNative() && v.offsets().address() % w == 0) {
                    MemorySegment out = rows.memory().allocate(bytes + 7L * size + 8);
                    MemorySegment d = descriptor(column);
                    d.set(JAVA_INT, Col.WIDTH, w);
                    d.set(ADDRESS, Col.VALUES, v.offsets());
                    d.set(ADDRESS, Col.DATA, v.data().byteSize() == 0 ? out : v.data());
                    d.set(ADDRESS, Col.VALIDITY, validity);
                    d.set(ADDRESS, Col.OUT, out);
                    if (shared != null) {
                        d.set(ADDRESS, Col.MADE, rows.memory().allocate(8L * n).fill((byte) 0));
                    }
                    describeIndexes(d, indexEncoding, indexes);
                    described(v.offsets(), v.data(), validity);
                    d.set(JAVA_INT, Col.KIND, Col.VARLENA);
                } else {
                    convertHere(codec, column, i -> at[i],
                            x -> varyingValue(codec, column, v.offsets(), w, v.data(), x));
                }
            }
        }
    }

    private void describeIndexes(MemorySegment d, Encoding indexEncoding, MemorySegment indexes) {
        d.set(JAVA_INT, Col.INDEX_WIDTH, indexEncoding.width());
        d.set(JAVA_BOOLEAN, Col.INDEX_SIGNED, indexEncoding.name().startsWith("INT"));
        d.set(ADDRESS, Col.INDEXES, indexes);
        described(indexes);
    }

    /**
     * Checks variable-width dictionary value {@code at}, which row {@code row}
     * uses: in the data, and for text valid UTF-8 with no NUL. Returns its
     * length.
     */
    private long checkEntry(ColumnCodec codec, Dictionary.Varying v, int w, int at, boolean text, long row) {
        long from = offset(v.offsets(), w, at);
        long to = offset(v.offsets(), w, at + 1);
        if (from < 0 || to < from || to > v.data().byteSize()) {
            throw badVector(codec, "dictionary value " + at + " (row " + row + ") has offsets " + from + ".." + to
                    + ", outside the data (" + v.data().byteSize() + " bytes)");
        }
        if (text && Utf8.skipAscii(v.data(), from, to) < to) {
            long bad = Utf8.firstInvalid(v.data(), from, to);
            if (bad >= 0) {
                throw invalidUtf8(codec, v.data(), bad, to, row);
            }
        }
        return to - from;
    }

    private static boolean isInteger(Encoding e) {
        return switch (e) {
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 -> true;
            default -> false;
        };
    }

    /** Integer {@code at} of a vector in an INT or UINT encoding (UINT64 as its bits). */
    private static long integer(Encoding e, MemorySegment s, long at) {
        return switch (e) {
            case INT8 -> s.get(JAVA_BYTE, at);
            case INT16 -> s.get(JAVA_SHORT_UNALIGNED, at * 2);
            case INT32 -> s.get(JAVA_INT_UNALIGNED, at * 4);
            case UINT8 -> Byte.toUnsignedLong(s.get(JAVA_BYTE, at));
            case UINT16 -> Short.toUnsignedLong(s.get(JAVA_SHORT_UNALIGNED, at * 2));
            case UINT32 -> Integer.toUnsignedLong(s.get(JAVA_INT_UNALIGNED, at * 4));
            default -> s.get(JAVA_LONG_UNALIGNED, at * 8);
        };
    }

    /**
     * The column's Datums are written here, into the batch's arrays: row by
     * row, {@code value} gets the vector index of each non-NULL value with
     * the batch's writer at that row. An error names the row.
     */
    private void convertHere(ColumnCodec codec, int column, MemorySegment validity,
                             java.util.function.IntConsumer value) {
        convertHere(codec, column, i -> valid(validity, first + i) ? first + i : -1, value);
    }

    /** As above, {@code position} giving the value of the batch's row {@code i}, or -1 for NULL. */
    private void convertHere(ColumnCodec codec, int column, java.util.function.IntUnaryOperator position,
                             java.util.function.IntConsumer value) {
        rowsWritten = true;
        rows.convertedInJava(column);
        if (servedNatively()) {
            descriptor(column).set(JAVA_INT, Col.KIND, Col.ROWS);
        }
        for (int i = 0; i < size; i++) {
            int at = position.applyAsInt(i);
            rows.at(i);
            if (at >= 0) {
                try {
                    value.accept(at);
                } catch (FdwException | DateTimeException x) {
                    throw at(x, codec, first + i);
                }
            }
        }
    }

    // ---- what the glue converts itself

    private record Native(int kind, boolean signed, long mul, long div, long add) {
        static Native copy(boolean signed) {
            return new Native(Col.FIXED, signed, 1, 1, 0);
        }
    }

    /** How the glue converts this pair, or null if it is converted here. */
    private static Native nativePlan(Encoding e, ColumnCodec codec) {
        if (!Col.SUPPORTED) {
            return null;
        }
        int type = codec.typeOid();
        boolean plain = codec.typmod() == -1;
        int intWidth = switch (type) {
            case PgType.INT2 -> 2;
            case PgType.INT4 -> 4;
            case PgType.INT8 -> 8;
            default -> 0;
        };
        return switch (e) {
            case BOOL_BITS -> type == PgType.BOOL ? new Native(Col.BITS, false, 1, 1, 0) : null;
            case INT8, INT16, INT32, INT64 -> e.width() <= intWidth ? Native.copy(true) : null;
            case UINT8, UINT16, UINT32 -> e.width() < intWidth ? Native.copy(false) : null;
            case FLOAT32 -> type == PgType.FLOAT4 ? Native.copy(true) : null;
            case FLOAT64 -> type == PgType.FLOAT8 ? Native.copy(true) : null;
            case DATE_DAYS -> type == PgType.DATE ? new Native(Col.FIXED, true, 1, 1, -EPOCH_2000_DAYS) : null;
            case DATE_MILLIS -> type == PgType.DATE ? new Native(Col.FIXED, true, 1, 86_400_000, -EPOCH_2000_DAYS) : null;
            case TIME_SECONDS, TIME_MILLIS, TIME_MICROS, TIME_NANOS ->
                    type == PgType.TIME && plain ? new Native(Col.FIXED, true, toMicrosMul(e), toMicrosDiv(e), 0) : null;
            case TIMESTAMP_SECONDS, TIMESTAMP_MILLIS, TIMESTAMP_MICROS, TIMESTAMP_NANOS ->
                    (type == PgType.TIMESTAMP || type == PgType.TIMESTAMPTZ) && plain
                            ? new Native(Col.FIXED, true, toMicrosMul(e), toMicrosDiv(e), -EPOCH_2000_MICROS) : null;
            default -> null;
        };
    }

    private static long toMicrosMul(Encoding e) {
        return switch (e) {
            case TIME_SECONDS, TIMESTAMP_SECONDS, DURATION_SECONDS -> 1_000_000;
            case TIME_MILLIS, TIMESTAMP_MILLIS, DURATION_MILLIS -> 1_000;
            default -> 1;
        };
    }

    private static long toMicrosDiv(Encoding e) {
        return switch (e) {
            case TIME_NANOS, TIMESTAMP_NANOS, DURATION_NANOS -> 1_000;
            default -> 1;
        };
    }

    /** Microseconds from a time-unit value, floored; ArithmeticException if it does not fit. */
    private static long micros(Encoding e, long v) {
        return Math.floorDiv(Math.multiplyExact(v, toMicrosMul(e)), toMicrosDiv(e));
    }

    /** The first row whose offset is below the one before, in this batch's rows, or -1. */
    private int backwardsAt(MemorySegment offsets, boolean large) {
        long previous = offset(offsets, large ? 8 : 4, first);
        for (int i = first + 1; i <= first + size; i++) {
            long next = large ? offsets.get(JAVA_LONG_UNALIGNED, i * 8L) : offsets.get(JAVA_INT_UNALIGNED, i * 4L);
            if (next < previous) {
                return i;
            }
            previous = next;
        }
        return -1;
    }

    /**
     * Values the glue converts must become valid Datums: dates and times are
     * range-checked here. Each check accepts an interval of values, so the
     * batch's smallest and largest value (NULLs' included) pass for all;
     * only if they fail are rows checked one by one, to name the bad one.
     */
    private void validate(Encoding e, ColumnCodec codec, MemorySegment values, MemorySegment validity,
                          int[] dictionary) {
        switch (e) {
            case DATE_DAYS, DATE_MILLIS, TIME_SECONDS, TIME_MILLIS, TIME_MICROS, TIME_NANOS,
                 TIMESTAMP_SECONDS, TIMESTAMP_MILLIS, TIMESTAMP_MICROS, TIMESTAMP_NANOS -> {
                if (size == 0 || extremesInRange(e, values, dictionary)) {
                    return;
                }
                for (int i = 0; i < size; i++) {
                    int at = dictionary != null ? dictionary[i] : valid(validity, first + i) ? first + i : -1;
                    if (at >= 0) {
                        try {
                            checkRange(e, temporal(e, values, at));
                        } catch (FdwException x) {
                            throw at(x, codec, first + i);
                        }
                    }
                }
            }
            default -> {
            }
        }
    }

    /**
     * Whether the batch's smallest and largest value pass the range check:
     * NULLs' included, but for dictionary values ({@code dictionary}: each
     * row's value number, or -1), which are only the ones the rows use.
     */
    private boolean extremesInRange(Encoding e, MemorySegment values, int[] dictionary) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            int at = dictionary != null ? dictionary[i] : first + i;
            if (at >= 0) {
                long v = temporal(e, values, at);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return min > max || inRange(e, min) && inRange(e, max);
    }

    private static long temporal(Encoding e, MemorySegment values, long at) {
        return e.width() == 4 ? values.get(JAVA_INT_UNALIGNED, at * 4L) : values.get(JAVA_LONG_UNALIGNED, at * 8L);
    }

    private static boolean inRange(Encoding e, long v) {
        try {
            checkRange(e, v);
            return true;
        } catch (FdwException x) {
            return false;
        }
    }

    private static void checkRange(Encoding e, long v) {
        switch (e) {
            case DATE_DAYS -> PgTime.dateFromEpochDays(v);
            case DATE_MILLIS -> PgTime.dateFromEpochDays(Math.floorDiv(v, 86_400_000L));
            case TIME_SECONDS, TIME_MILLIS, TIME_MICROS, TIME_NANOS -> {
                long us = micros(e, v);
                if (us < 0 || us > DAY_MICROS) {
                    throw new FdwException(SqlState.DATETIME_FIELD_OVERFLOW, "time out of range: " + v + " " + unit(e));
                }
            }
            default -> {
                try {
                    PgTime.timestampFromEpochMicros(micros(e, v), -1);
                } catch (ArithmeticException x) {
                    throw new FdwException(SqlState.DATETIME_FIELD_OVERFLOW, "timestamp out of range: " + v + " " + unit(e));
                }
            }
        }
    }

    private static String unit(Encoding e) {
        String n = e.name();
        return n.substring(n.indexOf('_') + 1).toLowerCase(java.util.Locale.ROOT);
    }

    // ---- what is converted here

    private void convert(Encoding e, ColumnCodec codec, int column, MemorySegment values, int at) {
        switch (e) {
            case BOOL_BITS -> codec.setBoolean(rows, column, bit(values, at));
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 -> codec.setLong(rows, column, integer(e, values, at));
            case UINT64 -> {
                long v = integer(e, values, at);
                if (v >= 0) {
                    codec.setLong(rows, column, v);
                } else {
                    codec.setBigDecimal(rows, column, new BigDecimal(Long.toUnsignedString(v)));
                }
            }
            case FLOAT32 -> codec.setFloat4(rows, column, values.get(JAVA_FLOAT_UNALIGNED, at * 4L));
            case FLOAT64 -> codec.setDouble(rows, column, values.get(JAVA_DOUBLE_UNALIGNED, at * 8L));
            case DATE_DAYS -> codec.setDateEpochDays(rows, column, values.get(JAVA_INT_UNALIGNED, at * 4L));
            case DATE_MILLIS -> codec.setDateEpochDays(rows, column,
                    Math.floorDiv(values.get(JAVA_LONG_UNALIGNED, at * 8L), 86_400_000L));
            case TIME_SECONDS, TIME_MILLIS, TIME_MICROS, TIME_NANOS -> {
                long v = temporal(e, values, at);
                checkRange(e, v);
                long us = micros(e, v);
                codec.setTime(rows, column, us == DAY_MICROS ? LocalTime.MAX : LocalTime.ofNanoOfDay(us * 1000));
            }
            case TIMESTAMP_SECONDS, TIMESTAMP_MILLIS, TIMESTAMP_MICROS, TIMESTAMP_NANOS -> {
                long v = values.get(JAVA_LONG_UNALIGNED, at * 8L);
                checkRange(e, v);
                if (codec.takesInstants()) {
                    codec.setTimestamptzEpochMicros(rows, column, micros(e, v));
                } else {
                    codec.setTimestampEpochMicros(rows, column, micros(e, v));
                }
            }
            case DURATION_SECONDS, DURATION_MILLIS, DURATION_MICROS, DURATION_NANOS -> {
                long v = values.get(JAVA_LONG_UNALIGNED, at * 8L);
                long us;
                try {
                    us = micros(e, v);
                } catch (ArithmeticException x) {
                    throw new FdwException(SqlState.DATETIME_FIELD_OVERFLOW, "interval out of range: " + v + " " + unit(e));
                }
                codec.setInterval(rows, column, 0, 0, us);
            }
        }
    }

    private static FdwException at(RuntimeException x, ColumnCodec codec, int at) {
        String detail = "Column \"" + codec.column() + "\", row " + at + ".";
        if (x instanceof FdwException f) {
            boolean ours = f.detail() == null || f.detail().equals("Column \"" + codec.column() + "\".");
            return f.withDetail(ours ? detail : f.detail() + " " + detail);
        }
        return new FdwException(SqlState.DATETIME_FIELD_OVERFLOW, x.getMessage(), x).withDetail(detail);
    }

    // ---- checks

    private ColumnCodec claim(int column) {
        live();
        ColumnCodec codec = rows.codec(column);
        if (set[column]) {
            throw new IllegalStateException("column \"" + codec.column() + "\" already has a vector in this batch");
        }
        set[column] = true;
        return codec;
    }

    /** A vector the connector handed over failed its checks: the column is as if never set. */
    private void unclaim(int column) {
        set[column] = false;
        if (servedNatively()) {
            descriptor(column).fill((byte) 0);
        }
    }

    private void described(MemorySegment... vectors) {
        for (MemorySegment v : vectors) {
            if (v != MemorySegment.NULL) {
                described.add(v);
            }
        }
    }

    private void live() {
        if (done) {
            throw new IllegalStateException("this column batch has been handed to PostgreSQL");
        }
    }

    private void checkIndex(int index) {
        if (index < first || index >= first + size) {
            throw new IndexOutOfBoundsException("row " + index + " is not in this batch (" + first + ".."
                    + (first + size - 1) + ")");
        }
    }

    private void checkSize(ColumnCodec codec, String what, MemorySegment s, long need) {
        if (s.byteSize() < need) {
            throw badVector(codec, what + " has " + s.byteSize() + " bytes, rows up to " + (first + size)
                    + " need " + need);
        }
    }

    private void checkValidity(ColumnCodec codec, MemorySegment validity) {
        if (validity != MemorySegment.NULL) {
            checkSize(codec, "validity", validity, ((long) first + size + 7) / 8);
        }
    }

    private static IllegalArgumentException badVector(ColumnCodec codec, String why) {
        return new IllegalArgumentException("bad vector for column \"" + codec.column() + "\": " + why);
    }

    private MemorySegment descriptor(int column) {
        return descriptors.asSlice(column * Col.SIZE, Col.SIZE);
    }

    private static boolean valid(MemorySegment validity, long at) {
        return validity == MemorySegment.NULL || bit(validity, at);
    }

    private static boolean bit(MemorySegment bits, long at) {
        return (bits.get(JAVA_BYTE, at >>> 3) >> (at & 7) & 1) != 0;
    }

    private static long offset(MemorySegment offsets, int w, long at) {
        return w == 4 ? offsets.get(JAVA_INT_UNALIGNED, at * 4) : offsets.get(JAVA_LONG_UNALIGNED, at * 8);
    }

    /** text, or varchar with no length limit, in a UTF-8 database: the bytes are the Datum. */
    private static boolean isPlainText(ColumnCodec codec) {
        return codec instanceof ColumnCodec.Text && codec.typmod() == -1 && PgStrings.serverIsUtf8();
    }

    /**
     * Every non-NULL value is valid UTF-8 with no NUL. Usually the whole data
     * range is, and no value starts inside a character (so none ends inside
     * one): one pass. Otherwise value by value, to name the first bad one.
     */
    private void checkUtf8(ColumnCodec codec, MemorySegment offsets, int w, MemorySegment data,
                           MemorySegment validity, long start, long end) {
        long ascii = Utf8.skipAscii(data, start, end);
        if (ascii == end) {
            return; // ASCII with no NUL: valid, and no value can start inside a sequence
        }
        boolean ok = Utf8.firstInvalid(data, ascii, end) < 0;
        for (int i = 0; ok && i < size; i++) {
            long from = offset(offsets, w, first + i);
            ok = from >= end || (data.get(JAVA_BYTE, from) & 0xC0) != 0x80;
        }
        if (ok) {
            return;
        }
        for (int i = 0; i < size; i++) {
            int at = first + i;
            long from = offset(offsets, w, at);
            long to = offset(offsets, w, at + 1);
            long bad = valid(validity, at) ? Utf8.firstInvalid(data, from, to) : -1;
            if (bad >= 0) {
                throw invalidUtf8(codec, data, bad, to, at);
            }
        }
    }

    private static FdwException invalidUtf8(ColumnCodec codec, MemorySegment data, long bad, long to, long row) {
        StringBuilder bytes = new StringBuilder();
        for (long b = bad; b < Math.min(to, bad + 4); b++) {
            bytes.append(bytes.isEmpty() ? "0x" : " 0x").append(String.format("%02x", data.get(JAVA_BYTE, b) & 0xFF));
        }
        return new FdwException(SqlState.CHARACTER_NOT_IN_REPERTOIRE,
                "invalid byte sequence for encoding \"UTF8\": " + bytes)
                .withDetail("Column \"" + codec.column() + "\", row " + row + ".");
    }
}
