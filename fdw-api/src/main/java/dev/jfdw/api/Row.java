package dev.jfdw.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.util.UUID;

/**
 * Writes one row, straight into PostgreSQL's memory. Columns are addressed
 * by {@link Column#index()}; a column that is not set is NULL.
 *
 * <p>Each setter converts its Java value to the column's type. Where the
 * pair has a direct mapping (long into int2/int4/int8/numeric/float, String
 * into text/varchar/bpchar, LocalDate into date, ...) it is binary and
 * checked (range, length, precision: the errors PostgreSQL would raise).
 * Any other pair goes through the column type's input function with the
 * value's canonical text (ISO-8601 for java.time, plain digits for numbers),
 * which is how domains, enums, arrays and extension types are filled (the
 * reference's "Type mapping" lists every pair and check).
 * Setting a Java {@code null} sets SQL NULL (where a setter is overloaded,
 * {@code setTimestamptz(c, (Instant) null)}, or simply {@link #setNull}).
 * Every setter returns this row, to chain them.
 */
public interface Row {
    /** SQL NULL, also into a column set before in this row. */
    Row setNull(int column);

    /** Into boolean (other types through their input function, as below). */
    Row setBoolean(int column, boolean value);

    /**
     * Into int2, int4, int8 (range-checked, {@code 22003}), numeric, float4,
     * float8, or any type through its input function.
     */
    Row setLong(int column, long value);

    /**
     * Into float8, float4 (range-checked), numeric (as {@code float8::numeric}
     * does, 15 significant digits; NaN and infinities too), integers
     * (rounded half to even, range-checked), or through the input function.
     */
    Row setDouble(int column, double value);

    /**
     * Into text, varchar(n), bpchar(n) (length-checked, {@code 22001}), or
     * any other type through its input function (a domain, an enum, an
     * array literal, json, ...). A NUL character is an error ({@code 22021}).
     */
    Row setString(int column, String value);

    /**
     * Text given as UTF-8 bytes, {@code utf8[offset, offset + length)},
     * copied before this returns: the fast way for sources that hold text as
     * UTF-8 (JSON, Arrow, Parquet), with no String in between. Bytes that
     * are not valid UTF-8, or a NUL, are an error, as with setString.
     */
    Row setText(int column, byte[] utf8, int offset, int length);

    /**
     * Text from any CharSequence, read before this returns: a parser's own
     * character buffer ({@code CharBuffer.wrap(chars, offset, length)}), a
     * StringBuilder, with no String made. Same rules as setString.
     */
    Row setText(int column, CharSequence text);

    /** Into bytea. */
    Row setBytes(int column, byte[] value);

    /** Into numeric (every digit; rounded to the column's scale, precision-checked), integers, floats. */
    Row setBigDecimal(int column, BigDecimal value);

    /**
     * {@code unscaled} × 10<sup>-scale</sup>, as {@link #setBigDecimal} sets
     * it, with no BigDecimal made for a numeric column.
     */
    Row setDecimal(int column, long unscaled, int scale);

    /** {@link LocalDate#MAX}/{@link LocalDate#MIN} mean {@code infinity}/{@code -infinity}. */
    Row setDate(int column, LocalDate value);

    /** Into time(p): nanoseconds rounded half to even to microseconds, then to p. */
    Row setTime(int column, LocalTime value);

    /** {@link LocalDateTime#MAX}/{@link LocalDateTime#MIN} mean {@code infinity}/{@code -infinity}. */
    Row setTimestamp(int column, LocalDateTime value);

    /** {@link Instant#MAX}/{@link Instant#MIN} mean {@code infinity}/{@code -infinity}. */
    Row setTimestamptz(int column, Instant value);

    /**
     * A date as days since 1970-01-01: for sources that keep dates as
     * numbers (Arrow, Parquet, a parser of its own), without a LocalDate.
     */
    Row setDateEpochDays(int column, long days);

    /** A timestamp (without time zone) as microseconds since 1970-01-01 00:00. */
    Row setTimestampEpochMicros(int column, long micros);

    /** A timestamptz as microseconds since 1970-01-01 00:00 UTC. */
    Row setTimestamptzEpochMicros(int column, long micros);

    /** An interval of months, days and microseconds, PostgreSQL's three fields. */
    Row setInterval(int column, int months, int days, long micros);

    /** Into uuid. */
    Row setUuid(int column, UUID value);

    /**
     * Any of the Java types above, or Integer, Short, Byte, Float, BigInteger,
     * OffsetDateTime, ZonedDateTime, Duration, Period, CharSequence; anything
     * else by its {@code toString()} through the input function.
     */
    Row setObject(int column, Object value);

    /** Convenience for {@link #setTimestamptz(int, Instant)}. */
    default Row setTimestamptz(int column, OffsetDateTime value) {
        return value == null ? setNull(column) : setTimestamptz(column, value.toInstant());
    }

    /** Convenience: an interval of exactly this duration (in microseconds). */
    default Row setInterval(int column, Duration value) {
        return value == null ? setNull(column) : setObject(column, value);
    }

    /** Convenience: an interval of these years, months and days. */
    default Row setInterval(int column, Period value) {
        return value == null ? setNull(column) : setObject(column, value);
    }
}
