package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jfdw.api.FdwException;
import dev.jfdw.api.PgException;
import dev.jfdw.api.PgType;
import dev.jfdw.api.QueryCanceledException;
import dev.jfdw.api.SqlState;
import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.UUID;

/**
 * Converts Java values into the Datums of one column. A subclass per
 * built-in type writes the binary form directly and applies the column's
 * type modifier; everything else goes through the type's input function
 * with the value's canonical text, so any type works and behaves exactly as
 * PostgreSQL's own input does.
 */
abstract sealed class ColumnCodec {
    private final String column;
    private final int typeOid;
    private final int typmod;
    private final String typeName;
    private final long scanContext;
    private Pg.InputFunction input;

    ColumnCodec(String column, int typeOid, int typmod, String typeName, long scanContext) {
        this.column = column;
        this.typeOid = typeOid;
        this.typmod = typmod;
        this.typeName = typeName;
        this.scanContext = scanContext;
    }

    /** The codec for a column; {@code scanContext} holds lookups that last the whole scan. */
    static ColumnCodec of(String column, int typeOid, int typmod, String typeName, long scanContext) {
        return switch (typeOid) {
            case PgType.BOOL -> new Bool(column, typeOid, typmod, typeName, scanContext);
            case PgType.INT2 -> new Int(column, typeOid, typmod, typeName, scanContext, Short.MIN_VALUE, Short.MAX_VALUE);
            case PgType.INT4 -> new Int(column, typeOid, typmod, typeName, scanContext, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case PgType.INT8 -> new Int8(column, typeOid, typmod, typeName, scanContext);
            case PgType.FLOAT4 -> new Float4(column, typeOid, typmod, typeName, scanContext);
            case PgType.FLOAT8 -> new Float8(column, typeOid, typmod, typeName, scanContext);
            case PgType.NUMERIC -> new Numeric(column, typeOid, typmod, typeName, scanContext);
            case PgType.TEXT, PgType.VARCHAR, PgType.BPCHAR -> new Text(column, typeOid, typmod, typeName, scanContext);
            case PgType.BYTEA -> new Bytea(column, typeOid, typmod, typeName, scanContext);
            case PgType.DATE -> new Date(column, typeOid, typmod, typeName, scanContext);
            case PgType.TIME -> new Time(column, typeOid, typmod, typeName, scanContext);
            case PgType.TIMESTAMP -> new Timestamp(column, typeOid, typmod, typeName, scanContext);
            case PgType.TIMESTAMPTZ -> new Timestamptz(column, typeOid, typmod, typeName, scanContext);
            case PgType.INTERVAL -> new Interval(column, typeOid, typmod, typeName, scanContext);
            case PgType.UUID -> new Uuid(column, typeOid, typmod, typeName, scanContext);
            default -> new ViaInput(column, typeOid, typmod, typeName, scanContext);
        };
    }

    String column() {
        return column;
    }

    /** Whether a count since 1970 is an instant in this column (timestamptz), not a wall-clock time. */
    boolean takesInstants() {
        return typeOid == PgType.TIMESTAMPTZ;
    }

    String typeName() {
        return typeName;
    }

    int typmod() {
        return typmod;
    }

    int typeOid() {
        return typeOid;
    }

    // Each setter defaults to the canonical text through the input function.

    void setBoolean(RowBatch r, int c, boolean v) {
        setCanonical(r, c, v ? "true" : "false");
    }

    void setLong(RowBatch r, int c, long v) {
        setCanonical(r, c, Long.toString(v));
    }

    void setDouble(RowBatch r, int c, double v) {
        setCanonical(r, c, Double.toString(v));
    }

    void setString(RowBatch r, int c, String v) {
        setCanonical(r, c, v);
    }

    /** A float4 value (a columnar float32): as a double, but for numeric's digits and text's. */
    void setFloat4(RowBatch r, int c, float v) {
        setDouble(r, c, v);
    }

    /** A float4's canonical text: its own digits, 1.1, not the widened double's 1.100000023841858. */
    final void setFloat4Text(RowBatch r, int c, float v) {
        setCanonical(r, c, Float.toString(v));
    }

    void setBytes(RowBatch r, int c, byte[] v) {
        setCanonical(r, c, PgText.bytea(v));
    }

    void setText(RowBatch r, int c, byte[] utf8, int offset, int length) {
        setString(r, c, PgStrings.decodeUtf8(utf8, offset, length));
    }

    void setText(RowBatch r, int c, CharSequence text) {
        setString(r, c, text.toString());
    }

    void setBigDecimal(RowBatch r, int c, BigDecimal v) {
        setCanonical(r, c, PgText.number(v));
    }

    /** {@code unscaled} × 10^-scale, as {@link #setBigDecimal}. */
    void setDecimal(RowBatch r, int c, long unscaled, int scale) {
        setBigDecimal(r, c, BigDecimal.valueOf(unscaled, scale));
    }

    void setDate(RowBatch r, int c, LocalDate v) {
        setCanonical(r, c, PgText.date(v));
    }

    void setTime(RowBatch r, int c, LocalTime v) {
        setCanonical(r, c, PgText.time(v));
    }

    void setTimestamp(RowBatch r, int c, LocalDateTime v) {
        setCanonical(r, c, PgText.timestamp(v));
    }

    void setTimestamptz(RowBatch r, int c, Instant v) {
        setCanonical(r, c, PgText.timestamptz(v));
    }

    void setDateEpochDays(RowBatch r, int c, long days) {
        LocalDate d;
        try {
            d = LocalDate.ofEpochDay(days);
        } catch (java.time.DateTimeException e) {
            throw new FdwException(SqlState.DATETIME_FIELD_OVERFLOW, "date out of range: " + days
                    + " days since 1970-01-01").withDetail("Column \"" + column() + "\".");
        }
        setDate(r, c, d);
    }

    void setTimestampEpochMicros(RowBatch r, int c, long micros) {
        setTimestamp(r, c, LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                (int) Math.floorMod(micros, 1_000_000L) * 1000, java.time.ZoneOffset.UTC));
    }

    void setTimestamptzEpochMicros(RowBatch r, int c, long micros) {
        setTimestamptz(r, c, Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS));
    }

    void setInterval(RowBatch r, int c, int months, int days, long micros) {
        setCanonical(r, c, PgText.interval(months, days, micros));
    }

    void setDuration(RowBatch r, int c, Duration d) {
        setInterval(r, c, 0, 0, PgTime.micros(d));
    }

    void setUuid(RowBatch r, int c, UUID v) {
        setCanonical(r, c, v.toString());
    }

    void setCanonical(RowBatch r, int c, String text) {
        viaInput(r, c, text);
    }

    /** The type's input function on {@code text}, with the column's typmod: PostgreSQL's own checks. */
    final void viaInput(RowBatch r, int c, String text) {
        if (input == null) {
            input = Pg.inputFunction(typeOid, scanContext);
        }
        RowMemory memory = r.memory();
        MemorySegment cstring = cstring(memory, text);
        long datum;
        try {
            datum = Pg.inputValue(input, cstring, typmod, memory.context());
        } catch (PgException | QueryCanceledException e) {
            // PostgreSQL's CONTEXT says where a cancel struck too
            PgErrors.addContext("column \"" + column + "\"");
            throw e;
        } finally {
            memory.markDirty();
        }
        r.put(c, datum);
    }

    /** {@code text} in the server encoding, NUL-terminated, in row memory. */
    static MemorySegment cstring(RowMemory memory, String text) {
        byte[] b = PgStrings.encode(text);
        MemorySegment s = memory.allocate(b.length + 1L);
        MemorySegment.copy(b, 0, s, JAVA_BYTE, 0, b.length);
        s.set(JAVA_BYTE, b.length, (byte) 0);
        if (PgStrings.needsServerConversion()) {
            MemorySegment converted = Pg.fromUtf8(s, b.length, memory.context());
            memory.markDirty();
            MemorySegment t = memory.allocate(converted.byteSize() + 1);
            MemorySegment.copy(converted, 0, t, 0, converted.byteSize());
            t.set(JAVA_BYTE, converted.byteSize(), (byte) 0);
            return t;
        }
        return s;
    }

    static final class Bool extends ColumnCodec {
        Bool(String column, int typeOid, int typmod, String typeName, long cxt) {
            super(column, typeOid, typmod, typeName, cxt);
        }

        @Override
        void setBoolean(RowBatch r, int c, boolean v) {
            r.put(c, v ? 1 : 0);
        }
    }

    /** int2, int4, int8: range-checked like their input functions; fractions rounded like casts. */
    static final class Int extends ColumnCodec {
        private final long min;
        private final long max;

        Int(String column, int typeOid, int typmod, String typeName, long cxt, long min, long max) {
            super(column, typeOid, typmod, typeName, cxt);
            this.min = min;
            this.max = max;
        }

        @Override
        void setLong(RowBatch r, int c, long v) {
            if (v < min || v > max) {
                throw RowBatch.outOfRange(this, Long.toString(v));
            }
            r.put(c, v);
        }

        @Override
        void setDouble(RowBatch r, int c, double v) {
            double rounded = Math.rint(v);
            if (Double.isNaN(v) || rounded < (double) min || rounded >= -(double) min) {
                throw RowBatch.outOfRange(this, Double.toString(v));
            }
            r.put(c, (long) rounded);
        }

        @Override
        void setBigDecimal(RowBatch r, int c, BigDecimal v) {
            if (integerDigits(v) > 19) {
                throw RowBatch.outOfRange(this, v.toString()); // before 1e5000000 is scaled to 5 million digits
            }
            long l;
            try {
                l = v.setScale(0, RoundingMode.HALF_UP).longValueExact();
            } catch (ArithmeticException e) {
                throw RowBatch.outOfRange(this, v.toString());
            }
            setLong(r, c, l);
        }
    }

    /** int8: any long fits. */
    static final class Int8 extends ColumnCodec {
        Int8(String column, int typeOid, int typmod, String typeName, long cxt) {
            super(column, typeOid, typmod, typeName, cxt);
        }

        @Override
        void setLong(RowBatch r, int c, long v) {
            r.put(c, v);
        }

        @Override
        void setDouble(RowBatch r, int c, double v) {
            double rounded = Math.rint(v);
            if (Double.isNaN(v) || rounded < -0x1p63 || rounded >= 0x1p63) {
                throw RowBatch.outOfRange(this, Double.toString(v));
            }
            r.put(c, (long) rounded);
        }

        @Override
        void setBigDecimal(RowBatch r, int c, BigDecimal v) {
            if (integerDigits(v) > 19) {
                throw RowBatch.outOfRange(this, v.toString());
            }
            try {
                r.put(c, v.setScale(0, RoundingMode.HALF_UP).longValueExact());
            } catch (ArithmeticException e) {
                throw RowBatch.outOfRange(this, v.toString());
            }
        }
    }

    static final class Float4 extends ColumnCodec {
        Float4(String column, int typeOid, int typmod, String typeName, long cxt) {
            super(column, typeOid, typmod, typeName, cxt);
        }

        @Override
        void setDouble(RowBatch r, int c, double v) {
            float f = (float) v;
            if (Float.isInfinite(f) && !Double.isInfinite(v)) {
                throw new FdwException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow")
                        .withDetail("Value " + v + " for column \"" + column() + "\" of type real.");
            }
            if (f == 0.0f && v != 0.0) {
                throw new FdwException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: underflow")
                        .withDetail("Value " + v + " for column \"" + column() + "\" of type real.");
            }
            r.put(c, Float.floatToRawIntBits(f));
        }

        @Override
        void setLong(RowBatch r, int c, long v) {
            r.put(c, Float.floatToRawIntBits((float) v));
        }

        /** Rounded once, as float4in rounds the digits, not twice through a double. */
        @Override
        void setBigDecimal(RowBatch r, int c, BigDecimal v) {
            float f = v.floatValue();
            finite(this, f, v);
            r.put(c, Float.floatToRawIntBits(f));
        }
    }

    static final class Float8 extends ColumnCodec {
        Float8(String column, int typeOid, int typmod, String typeName, long cxt) {
            super(column, typeOid, typmod, typeName, cxt);
        }

        @Override
        void setDouble(RowBatch r, int c, double v) {
            r.put(c, Double.doubleToRawLongBits(v));
        }

        @Override
        void setLong(RowBatch r, int c, long v) {
            r.put(c, Double.doubleToRawLongBits((double) v));
        }

        @Override
        void setBigDecimal(RowBatch r, int c, BigDecimal v) {
            setDouble(r, c, finite(this, v.doubleValue(), v));
        }
    }

    /** {@code d}, which is {@code v} as a double, unless it overflowed or underflowed to 0, as float8in refuses. */
    static double finite(ColumnCodec codec, double d, BigDecimal v) {
        if (Double.isInfinite(d) || d == 0 && v.signum() != 0) {
            throw RowBatch.outOfRange(codec, v.toString());
        }
        return d;
    }

    /** How many digits {@code v} has before its decimal point, without building them. */
    static long integerDigits(BigDecimal v) {
        return (long) v.precision() - v.scale();
    }

    static final class Numeric extends ColumnCodec {
        Numeric(String column, int typeOid, int typmod, String typeName, long cxt) {
            super(column, typeOid, typmod, typeName, cxt);
        }

        @Override
        void setBigDecimal(RowBatch r, int c, BigDecimal v) {
            try {
                r.putVarlena(c, PgNumeric.encode(v, typmod()));
            } catch (FdwException e) {
                throw e.withHint("Column \"" + column() + "\", value " + PgStrings.abbreviate(v.toString()) + ".");
            }
        }

        @Override
        void setLong(RowBatch r, int c, long v) {
            setDecimal(r, c, v, 0);
        }

        @Override
        void setDecimal(RowBatch r, int c, long unscaled, int scale) {
            byte[] b = PgNumeric.encode(unscaled, scale, typmod());
            if (b != null) {
                r.putVarlena(c, b);
            } else {
                setBigDecimal(r, c, BigDecimal.valueOf(unscaled, scale));
            }
        }

        /** As PostgreSQL's float8-to-numeric cast: 15 significant digits. */
        @Override
        void setDouble(RowBatch r, int c, double v) {
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                r.putVarlena(c, PgNumeric.encodeSpecial(v, typmod()));
                return;
            }
            setBigDecimal(r, c, significant(v, 15));
        }

        /** As PostgreSQL's float4-to-numeric cast: 6 significant digits. */
        @Override
        void setFloat4(RowBatch r, int c, float v) {
            if (Float.isFinite(v)) {
                setBigDecimal(r, c, significant(v, 6));
            } else {
                setDouble(r, c, v);
            }
        }

        static BigDecimal significant(double v, int digits) {
            BigDecimal d = new BigDecimal(v).round(new java.math.MathContext(digits, RoundingMode.HALF_EVEN))
                    .stripTrailingZeros();
            return d.scale() < 0 ? d.setScale(0) : d;
        }
    }

    /** text, varchar(n), bpchar(n): every Java value as its canonical text, with length rules. */
    static final class Text extends ColumnCodec {
        private final int maxLength;
        private final boolean blankPadded;

        Text(String column, int typeOid, int typmod, String typeName, long cxt) {
            super(column, typeOid, typmod, typeName, cxt);
            this.maxLength = typeOid != PgType.TEXT && typmod >= 4 ? typmod - 4 : -1;
            this.blankPadded = typeOid == PgType.BPCHAR;
        }

        @Override
        void setFloat4(RowBatch r, int c, float v) {
            setFloat4Text(r, c, v);
        }

        /** UTF-8 into a UTF-8 database, no length limit: checked and copied, no String made. */
        @Override
        void setText(RowBatch r, int c, byte[] utf8, int offset, int length) {
            if (maxLength >= 0 || !PgStrings.serverIsUtf8() || !PgStrings.isPlainAscii(utf8, offset, length)
                    && !PgStrings.isValidUtf8(utf8, offset, length)) {
                super.setText(r, c, utf8, offset, length);
                return;
            }
            r.putVarlena(c, utf8, offset, length);
        }

        /** Plain ASCII into a UTF-8 database, no length limit: one byte per char, no String made. */
        @Override
        void setText(RowBatch r, int c, CharSequence text) {
            int n = text.length();
            if (maxLength >= 0 || !PgStrings.serverIsUtf8()) {
                super.setText(r, c, text);
                return;
            }
            byte[] bytes = r.scratch(n);
            int bad = 0;
            for (int i = 0; i < n; i++) {
                char ch = text.charAt(i);
                bad |= (ch - 1) | (0x7E - (ch - 1)); // negative for NUL and anything above 0x7F
                bytes[i] = (byte) ch;
            }
            if (bad < 0) {
                super.setText(r, c, text);
                return;
            }
            r.putVarlena(c, bytes, 0, n);
        }

        /** An interval as PostgreSQL writes it, in the session's IntervalStyle. */
        @Override
        void setInterval(RowBatch r, int c, int months, int days, long micros) {
            MemorySegment v = r.fixed(16);
            v.set(JAVA_LONG, 0, micros);
            v.set(JAVA_INT, 8, days);
            v.set(JAVA_INT, 12, months);
            setString(r, c, Pg.outputValue(PgType.INTERVAL, v.address()));
        }

        @Override
        void setCanonical(RowBatch r, int c, String text) {
            String s = maxLength < 0 ? text : fit(text);
            if (PgStrings.needsServerConversion()) {
                viaInput(r, c, s);
                return;
            }
            r.putVarlena(c, PgStrings.encode(s));
        }

        /** varchar(n)/char(n) input: spaces beyond n are cut, anything else is an error; char(n) pads. */
        private String fit(String s) {
            int chars = s.codePointCount(0, s.length());
            if (chars > maxLength) {
                int cut = s.offsetByCodePoints(0, maxLength);
                if (!s.substring(cut).chars().allMatch(ch -> ch == ' ')) {
                    throw new FdwException(SqlState.STRING_DATA_RIGHT_TRUNCATION,
                            "value too long for type " + (blankPadded ? "character" : "character varying")
                                    + "(" + maxLength + ")")
                            .withDetail("Column \"" + column() + "\", value \"" + PgStrings.abbreviate(s) + "\".");
                }
                return s.substring(0, cut);
            }
            if (blankPadded && chars < maxLength) {
                return s + " ".repeat(maxLength - chars);
            }
            return s;
        }
    }

    static final class Bytea extends ColumnCodec {
        Bytea(String column, int typeOid, int typmod, String typeName, long cxt) {
            super(column, typeOid, typmod, typeName, cxt);
        }

        @Override
        void setBytes(RowBatch r, int c, byte[] v) {
            r.putVarlena(c, v);
        }
    }

    static final class Date extends ColumnCodec {
        Date(String column, int typeOid, int typmod, String typeName, long cxt) {
            super(column, typeOid, typmod, typeName, cxt);
        }

        @Override
        void setDate(RowBatch r, int c, LocalDate v) {
            r.put(c, PgTime.date(v));
        }

        @Override
        void setDateEpochDays(RowBatch r, int c, long days) {
            r.put(c, PgTime.dateFromEpochDays(days));
        }
    }

    static final class Time extends ColumnCodec {
        Time(String column, int typeOid, int typmod, String typeName, long cxt) {
            super(column, typeOid, typmod, typeName, cxt);
        }

        @Override
        void setTime(RowBatch r, int c, LocalTime v) {
            r.put(c, PgTime.time(v, typmod()));
        }
    }

    static final class Timestamp extends ColumnCodec {
        Timestamp(String column, int typeOid, int typmod, String typeName, long cxt) {
            super(column, typeOid, typmod, typeName, cxt);
        }

        @Override
        void setTimestamp(RowBatch r, int c, LocalDateTime v) {
            r.put(c, PgTime.timestamp(v, typmod()));
        }

        @Override
        void setTimestampEpochMicros(RowBatch r, int c, long micros) {
            r.put(c, PgTime.timestampFromEpochMicros(micros, typmod()));
        }
    }

    /** An Instant is binary; a LocalDateTime goes through the input function, in the session's TimeZone. */
    static final class Timestamptz extends ColumnCodec {
        Timestamptz(String column, int typeOid, int typmod, String typeName, long cxt) {
            super(column, typeOid, typmod, typeName, cxt);
        }

        @Override
        void setTimestamptz(RowBatch r, int c, Instant v) {
            r.put(c, PgTime.timestamptz(v, typmod()));
        }

        @Override
        void setTimestamptzEpochMicros(RowBatch r, int c, long micros) {
            r.put(c, PgTime.timestampFromEpochMicros(micros, typmod()));
        }
    }

    /** interval: {int64 time; int32 day; int32 month}. A typmod (field restriction) goes through input. */
    static final class Interval extends ColumnCodec {
        Interval(String column, int typeOid, int typmod, String typeName, long cxt) {
            super(column, typeOid, typmod, typeName, cxt);
        }

        @Override
        void setInterval(RowBatch r, int c, int months, int days, long micros) {
            if (typmod() != -1) {
                super.setInterval(r, c, months, days, micros);
                return;
            }
            MemorySegment v = r.fixed(16);
            v.set(JAVA_LONG, 0, micros);
            v.set(JAVA_INT, 8, days);
            v.set(JAVA_INT, 12, months);
            r.put(c, v.address());
        }
    }

    static final class Uuid extends ColumnCodec {
        private static final java.lang.foreign.ValueLayout.OfLong BIG_ENDIAN_LONG =
                JAVA_LONG.withOrder(ByteOrder.BIG_ENDIAN).withByteAlignment(1);

        Uuid(String column, int typeOid, int typmod, String typeName, long cxt) {
            super(column, typeOid, typmod, typeName, cxt);
        }

        @Override
        void setUuid(RowBatch r, int c, UUID v) {
            MemorySegment u = r.fixed(16);
            u.set(BIG_ENDIAN_LONG, 0, v.getMostSignificantBits());
            u.set(BIG_ENDIAN_LONG, 8, v.getLeastSignificantBits());
            r.put(c, u.address());
        }
    }

    /** json, jsonb, name, domains, enums, arrays, extension types: the input function for everything. */
    static final class ViaInput extends ColumnCodec {
        /** The base type of a domain, else the type; looked up once. */
        private int base;

        ViaInput(String column, int typeOid, int typmod, String typeName, long cxt) {
            super(column, typeOid, typmod, typeName, cxt);
        }

        private int base() {
            if (base == 0) {
                base = Pg.type(typeOid()).base().oid();
            }
            return base;
        }

        /** A domain over timestamptz takes instants too. */
        @Override
        boolean takesInstants() {
            return base() == PgType.TIMESTAMPTZ;
        }

        /** A domain over numeric takes a double as a numeric column does: 15 significant digits. */
        @Override
        void setDouble(RowBatch r, int c, double v) {
            if (base() == PgType.NUMERIC && Double.isFinite(v)) {
                setCanonical(r, c, Numeric.significant(v, 15).toPlainString());
            } else {
                super.setDouble(r, c, v);
            }
        }

        /** A float4 as its base type takes it: widened exactly, 6 digits into numeric, else its own digits. */
        @Override
        void setFloat4(RowBatch r, int c, float v) {
            switch (base()) {
                case PgType.FLOAT8 -> super.setDouble(r, c, v);
                case PgType.NUMERIC -> {
                    if (Float.isFinite(v)) {
                        setCanonical(r, c, Numeric.significant(v, 6).toPlainString());
                    } else {
                        super.setDouble(r, c, v);
                    }
                }
                default -> setFloat4Text(r, c, v);
            }
        }
    }
}
