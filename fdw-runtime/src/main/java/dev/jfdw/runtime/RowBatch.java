package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jfdw.api.FdwException;
import dev.jfdw.api.Row;
import dev.jfdw.api.Rows;
import dev.jfdw.api.SqlState;
import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes rows in place: Datums into {@code values[row * natts + column]} and
 * flags into {@code nulls}, which are either the scan slot's own arrays
 * (capacity 1) or the glue's batch arrays. The batch is also the writer of
 * its current row, so writing allocates nothing.
 */
final class RowBatch implements Rows, Row {
    private static final int FIRST_LIMIT = 16;

    private final ColumnCodec[] codecs;
    private final int natts;
    private final RowMemory memory;
    private MemorySegment values = MemorySegment.NULL;
    private MemorySegment nulls = MemorySegment.NULL;
    /*
     * Batches are written to Java arrays and copied out once per batch: C2
     * optimizes heap stores far better than stores to native memory, which
     * make it reload every field. The slot (capacity 1) is written in place.
     */
    private long[] stagedValues;
    private byte[] stagedNulls;
    private int capacity;
    private int limit;
    private int end;
    private int size;
    /**
     * Where the row the setters write starts in the arrays ({@code row * natts}):
     * the last added, or one chosen by a column batch; before the first,
     * {@code -natts}, so that a write out of turn fails its bounds check.
     */
    private int rowStart;
    private Columns columns;
    /** The glue's column descriptors for columnar batches; NULL: columns are converted here. */
    private MemorySegment descriptors = MemorySegment.NULL;

    RowBatch(ColumnCodec[] codecs, RowMemory memory) {
        this.codecs = codecs;
        this.natts = codecs.length;
        this.memory = memory;
        this.rowStart = -natts;
    }

    /**
     * Points the batch at its arrays. Batches start small and double up to
     * {@code capacity}, so a LIMIT 1 query does not produce a thousand rows.
     */
    void bind(MemorySegment values, MemorySegment nulls, int capacity) {
        this.values = values;
        this.nulls = nulls;
        this.capacity = capacity;
        nulls.fill((byte) 1);
        if (capacity > 1) {
            stagedValues = new long[capacity * natts];
            stagedNulls = new byte[capacity * natts];
            java.util.Arrays.fill(stagedNulls, (byte) 1);
        }
        this.limit = Math.min(FIRST_LIMIT, capacity);
        this.end = limit;
    }

    /**
     * Starts a new batch; the previous one has been consumed. Every NULL flag
     * the previous batch used is set again here, in bulk: a row starts all
     * NULL without a per-row loop (the flags stay as we left them, C only
     * reads them).
     */
    void reset() {
        boolean rowsWritten = columns == null || columns.rowsWritten();
        if (columns != null) {
            columns.finish();
            columns = null;
        }
        if (size > 0 && rowsWritten) {
            if (stagedNulls != null) {
                java.util.Arrays.fill(stagedNulls, 0, size * natts, (byte) 1);
            } else {
                nulls.asSlice(0, (long) size * natts).fill((byte) 1);
            }
        }
        if (size == limit && limit < capacity) {
            limit = Math.min(limit * 2, capacity);
        }
        size = 0;
        rowStart = -natts;
        end = limit;
        memory.startBatch(this);
        if (Native.cancelPending()) {
            end = 0;
        }
    }

    RowMemory memory() {
        return memory;
    }

    /**
     * One compare per row. A batch ends early, after the current row, when
     * its row data passes {@link RowMemory#BATCH_BUDGET} (RowMemory lowers
     * {@code end}); a pending cancel is seen when the next batch starts.
     */
    @Override
    public boolean full() {
        return size >= end;
    }

    /** Called by RowMemory when this batch's row data passes its budget. */
    void endAfterCurrentRow() {
        end = size;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Row add() {
        if (columns != null) {
            if (size > 0) {
                throw new IllegalStateException("this batch holds columns: add rows in the next batch");
            }
            columns.finish(); // an empty column batch: rows may follow it in the same batch
            columns = null;
        }
        if (size >= capacity) {
            throw new IllegalStateException("the batch is full (" + capacity + " rows): check Rows.full()");
        }
        rowStart = size++ * natts;
        return this;
    }

    @Override
    public dev.jfdw.api.ColumnBatch columns(int first, int count) {
        if (size > 0) {
            throw new IllegalStateException("columns(...) needs an empty batch; this one holds " + size + " rows");
        }
        if (first < 0 || count < 0 || first > Integer.MAX_VALUE - count) {
            throw new IllegalArgumentException("rows " + first + " + " + count);
        }
        if (columns != null) {
            columns.finish(); // an empty one: it must not describe vectors any more
        }
        size = Math.min(count, end);
        columns = new Columns(this, codecs, descriptors, first, size);
        return columns;
    }

    void bindColumns(MemorySegment descriptors) {
        this.descriptors = descriptors;
    }

    /** The column batch this batch holds, or null. */
    Columns columnBatch() {
        return columns;
    }

    /** Columns of columnar batches that were converted here, value by value, instead of by the glue. */
    private boolean[] convertedInJava;

    void convertedInJava(int column) {
        if (convertedInJava == null) {
            convertedInJava = new boolean[natts];
        }
        convertedInJava[column] = true;
    }

    /** The names of the columns {@link #convertedInJava(int)} saw, in column order; empty if none. */
    List<String> columnsConvertedInJava() {
        List<String> names = new ArrayList<>();
        for (int c = 0; convertedInJava != null && c < natts; c++) {
            if (convertedInJava[c]) {
                names.add(codecs[c].column());
            }
        }
        return names;
    }

    /** Makes row {@code index} of this batch the one the setters write. */
    RowBatch at(int index) {
        rowStart = index * natts;
        return this;
    }

    @Override
    public void discard() {
        if (columns != null) {
            throw new IllegalStateException("this batch holds columns");
        }
        if (size == 0) {
            throw new IllegalStateException("no row to discard");
        }
        int from = (size - 1) * natts;
        if (stagedNulls != null) {
            java.util.Arrays.fill(stagedNulls, from, from + natts, (byte) 1);
        } else {
            nulls.asSlice(from, natts).fill((byte) 1);
        }
        size--;
        rowStart = (size - 1) * natts;
    }

    // ---- used by the codecs

    void put(int column, long datum) {
        int at = rowStart + column;
        if (stagedValues != null) {
            stagedValues[at] = datum;
            stagedNulls[at] = 0;
        } else {
            values.set(JAVA_LONG, at * 8L, datum);
            nulls.set(JAVA_BYTE, at, (byte) 0);
        }
    }

    boolean isNull(int row, int column) {
        int at = row * natts + column;
        return (stagedNulls != null ? stagedNulls[at] : nulls.get(JAVA_BYTE, at)) != 0;
    }

    /** Copies a staged batch to the glue's arrays; the executor reads them next. */
    void publish() {
        if (columns != null) {
            columns.publish();
        }
        if (stagedValues != null && size > 0 && (columns == null || columns.rowsWritten())) {
            MemorySegment.copy(stagedValues, 0, values, JAVA_LONG, 0, size * natts);
            MemorySegment.copy(stagedNulls, 0, nulls, JAVA_BYTE, 0, size * natts);
        }
    }

    /** Copies {@code bytes} into row memory as a varlena (4-byte header) and stores it. */
    void putVarlena(int column, byte[] bytes) {
        putVarlena(column, bytes, 0, bytes.length);
    }

    void putVarlena(int column, byte[] bytes, int offset, int length) {
        checkVarlenaLength(column, length);
        put(column, memory.varlena(bytes, offset, length));
    }

    private void checkVarlenaLength(int column, long length) {
        if (length > 0x3FFFFFFFL - 4) {
            throw new FdwException("54000", "value for column \"" + codecs[column].column()
                    + "\" is too long: " + length + " bytes (at most 1 GB)");
        }
    }

    /** A varlena of {@code length} data bytes with its header set; data starts at offset 4. */
    MemorySegment varlena(int column, long length) {
        checkVarlenaLength(column, length);
        MemorySegment v = memory.allocate(length + 4);
        v.set(JAVA_INT, 0, (int) ((length + 4) << 2));
        return v;
    }

    /** A fixed-size by-reference value (uuid, interval). */
    MemorySegment fixed(long size) {
        return memory.allocate(size);
    }

    ColumnCodec codec(int column) {
        ColumnCodec codec = column >= 0 && column < natts ? codecs[column] : null;
        if (codec == null) {
            throw new IllegalArgumentException("no column at index " + column
                    + (column >= 0 && column < natts ? " (dropped)" : " (the table has " + natts + ")"));
        }
        return codec;
    }

    // ---- Row

    @Override
    public Row setNull(int column) {
        codec(column);
        int at = rowStart + column;
        if (stagedNulls != null) {
            stagedNulls[at] = 1;
        } else {
            nulls.set(JAVA_BYTE, at, (byte) 1);
        }
        return this;
    }

    @Override
    public Row setBoolean(int column, boolean value) {
        codec(column).setBoolean(this, column, value);
        return this;
    }

    @Override
    public Row setLong(int column, long value) {
        codec(column).setLong(this, column, value);
        return this;
    }

    @Override
    public Row setDouble(int column, double value) {
        codec(column).setDouble(this, column, value);
        return this;
    }

    @Override
    public Row setString(int column, String value) {
        if (value == null) {
            return setNull(column);
        }
        codec(column).setString(this, column, value);
        return this;
    }

    @Override
    public Row setText(int column, byte[] utf8, int offset, int length) {
        if (utf8 == null) {
            return setNull(column);
        }
        java.util.Objects.checkFromIndexSize(offset, length, utf8.length);
        codec(column).setText(this, column, utf8, offset, length);
        return this;
    }

    @Override
    public Row setText(int column, CharSequence text) {
        if (text == null) {
            return setNull(column);
        }
        codec(column).setText(this, column, text);
        return this;
    }

    private byte[] scratch = new byte[256];

    /** A scratch array for encoding text, reused row after row. */
    byte[] scratch(int size) {
        if (scratch.length < size) {
            scratch = new byte[Math.max(size, scratch.length * 2)];
        }
        return scratch;
    }

    @Override
    public Row setBytes(int column, byte[] value) {
        if (value == null) {
            return setNull(column);
        }
        codec(column).setBytes(this, column, value);
        return this;
    }

    @Override
    public Row setBigDecimal(int column, BigDecimal value) {
        if (value == null) {
            return setNull(column);
        }
        codec(column).setBigDecimal(this, column, value);
        return this;
    }

    @Override
    public Row setDecimal(int column, long unscaled, int scale) {
        codec(column).setDecimal(this, column, unscaled, scale);
        return this;
    }

    @Override
    public Row setDate(int column, LocalDate value) {
        if (value == null) {
            return setNull(column);
        }
        codec(column).setDate(this, column, value);
        return this;
    }

    @Override
    public Row setTime(int column, LocalTime value) {
        if (value == null) {
            return setNull(column);
        }
        codec(column).setTime(this, column, value);
        return this;
    }

    @Override
    public Row setTimestamp(int column, LocalDateTime value) {
        if (value == null) {
            return setNull(column);
        }
        codec(column).setTimestamp(this, column, value);
        return this;
    }

    @Override
    public Row setTimestamptz(int column, Instant value) {
        if (value == null) {
            return setNull(column);
        }
        codec(column).setTimestamptz(this, column, value);
        return this;
    }

    @Override
    public Row setDateEpochDays(int column, long days) {
        codec(column).setDateEpochDays(this, column, days);
        return this;
    }

    @Override
    public Row setTimestampEpochMicros(int column, long micros) {
        codec(column).setTimestampEpochMicros(this, column, micros);
        return this;
    }

    @Override
    public Row setTimestamptzEpochMicros(int column, long micros) {
        codec(column).setTimestamptzEpochMicros(this, column, micros);
        return this;
    }

    @Override
    public Row setInterval(int column, int months, int days, long micros) {
        codec(column).setInterval(this, column, months, days, micros);
        return this;
    }

    @Override
    public Row setUuid(int column, UUID value) {
        if (value == null) {
            return setNull(column);
        }
        codec(column).setUuid(this, column, value);
        return this;
    }

    @Override
    public Row setObject(int column, Object value) {
        switch (value) {
            case null -> setNull(column);
            case String s -> setString(column, s);
            case Long l -> setLong(column, l);
            case Integer i -> setLong(column, i);
            case Short s -> setLong(column, s);
            case Byte b -> setLong(column, b);
            case Double d -> setDouble(column, d);
            case Float f -> codec(column).setFloat4(this, column, f);
            case Boolean b -> setBoolean(column, b);
            case BigDecimal d -> setBigDecimal(column, d);
            case java.math.BigInteger i -> setBigDecimal(column, new BigDecimal(i));
            case byte[] b -> setBytes(column, b);
            case LocalDate d -> setDate(column, d);
            case LocalTime t -> setTime(column, t);
            case LocalDateTime t -> setTimestamp(column, t);
            case Instant i -> setTimestamptz(column, i);
            case java.time.OffsetDateTime t -> setOffsetDateTime(column, t);
            case java.time.ZonedDateTime t -> setOffsetDateTime(column, t.toOffsetDateTime());
            case java.time.Duration d -> codec(column).setDuration(this, column, d);
            case java.time.Period p -> {
                long months = p.toTotalMonths();
                if (months != (int) months) {
                    throw new FdwException(SqlState.DATETIME_FIELD_OVERFLOW, "interval field value out of range: \""
                            + p + "\"").withDetail("Column \"" + codec(column).column() + "\".");
                }
                setInterval(column, (int) months, p.getDays(), 0);
            }
            case UUID u -> setUuid(column, u);
            case CharSequence cs -> setString(column, cs.toString());
            default -> codec(column).setCanonical(this, column, value.toString());
        }
        return this;
    }

    /**
     * An instant into timestamptz; into any other type, the value as its
     * input function reads the text (a date or timestamp keeps the value's
     * own wall-clock time, not UTC's; timetz its offset).
     */
    private void setOffsetDateTime(int column, java.time.OffsetDateTime t) {
        ColumnCodec codec = codec(column);
        if (codec.takesInstants()) {
            codec.setTimestamptz(this, column, t.toInstant());
        } else {
            codec.setCanonical(this, column, PgText.timestamptz(t.toLocalDateTime(), t.getOffset()));
        }
    }

    static FdwException outOfRange(ColumnCodec codec, String value) {
        return new FdwException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                "value \"" + value + "\" is out of range for type " + codec.typeName())
                .withDetail("Column \"" + codec.column() + "\".");
    }
}
