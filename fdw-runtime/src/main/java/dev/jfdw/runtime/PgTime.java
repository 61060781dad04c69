package dev.jfdw.runtime;

import dev.jfdw.api.FdwException;
import dev.jfdw.api.SqlState;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * java.time values as PostgreSQL stores them: days and microseconds since
 * 2000-01-01, with PostgreSQL's ranges, infinities and rounding.
 */
final class PgTime {
    private PgTime() {}

    /** Days from 1970-01-01 to 2000-01-01. */
    static final long EPOCH_DAYS = 10_957;
    static final long EPOCH_SECONDS = EPOCH_DAYS * 86_400;

    static final int DATE_NOBEGIN = Integer.MIN_VALUE;
    static final int DATE_NOEND = Integer.MAX_VALUE;
    static final long TIMESTAMP_NOBEGIN = Long.MIN_VALUE;
    static final long TIMESTAMP_NOEND = Long.MAX_VALUE;

    /** Julian day 0 (4714-11-24 BC, proleptic Gregorian) to 5874898-01-01, exclusive, relative to 2000-01-01. */
    static final long MIN_DATE = -2_451_545L;
    static final long END_DATE = 2_147_483_494L - 2_451_545L;
    /** 4714-11-24 00:00:00 BC to 294277-01-01 00:00:00, exclusive (checked against the server at boot). */
    static final long MIN_TIMESTAMP = -211_813_488_000_000_000L;
    static final long END_TIMESTAMP = 9_223_371_331_200_000_000L;
    private static final long USECS_PER_DAY = 86_400_000_000L;

    private static final long[] SCALES = {1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};
    private static final long[] OFFSETS = {500_000, 50_000, 5_000, 500, 50, 5, 0};

    static int date(LocalDate d) {
        if (d.equals(LocalDate.MAX)) {
            return DATE_NOEND;
        }
        if (d.equals(LocalDate.MIN)) {
            return DATE_NOBEGIN;
        }
        long days = d.toEpochDay() - EPOCH_DAYS;
        if (days < MIN_DATE || days >= END_DATE) {
            throw new FdwException(SqlState.DATETIME_FIELD_OVERFLOW, "date out of range: \"" + d + "\"");
        }
        return (int) days;
    }

    static long timestamp(LocalDateTime t, int typmod) {
        if (t.equals(LocalDateTime.MAX)) {
            return TIMESTAMP_NOEND;
        }
        if (t.equals(LocalDateTime.MIN)) {
            return TIMESTAMP_NOBEGIN;
        }
        return checkedTimestamp(t.toEpochSecond(ZoneOffset.UTC), t.getNano(), typmod, t);
    }

    static long timestamptz(Instant i, int typmod) {
        if (i.equals(Instant.MAX)) {
            return TIMESTAMP_NOEND;
        }
        if (i.equals(Instant.MIN)) {
            return TIMESTAMP_NOBEGIN;
        }
        return checkedTimestamp(i.getEpochSecond(), i.getNano(), typmod, i);
    }

    static int dateFromEpochDays(long epochDays) {
        long days = epochDays - EPOCH_DAYS;
        if (epochDays < MIN_DATE + EPOCH_DAYS || days >= END_DATE) {
            throw new FdwException(SqlState.DATETIME_FIELD_OVERFLOW,
                    "date out of range: " + epochDays + " days since 1970-01-01");
        }
        return (int) days;
    }

    /** Microseconds since 1970-01-01 as PostgreSQL's, from 2000-01-01, range-checked and rounded to the typmod. */
    static long timestampFromEpochMicros(long epochMicros, int typmod) {
        if (epochMicros < MIN_TIMESTAMP + EPOCH_SECONDS * 1_000_000 || epochMicros - EPOCH_SECONDS * 1_000_000 >= END_TIMESTAMP) {
            throw new FdwException(SqlState.DATETIME_FIELD_OVERFLOW,
                    "timestamp out of range: " + epochMicros + " microseconds since 1970-01-01");
        }
        long micros = adjustForTypmod(epochMicros - EPOCH_SECONDS * 1_000_000, typmod);
        if (micros >= END_TIMESTAMP) {
            throw new FdwException(SqlState.DATETIME_FIELD_OVERFLOW,
                    "timestamp out of range: " + epochMicros + " microseconds since 1970-01-01");
        }
        return micros;
    }

    /** {@code shown} is formatted for the error message only: formatting costs more than the conversion. */
    private static long checkedTimestamp(long epochSecond, int nano, int typmod, Object shown) {
        long seconds = epochSecond - EPOCH_SECONDS;
        // a timestamp in range is below 2^63 microseconds: check seconds first to avoid overflow
        if (seconds < MIN_TIMESTAMP / 1_000_000 - 1 || seconds > END_TIMESTAMP / 1_000_000 + 1) {
            throw outOfRange(shown);
        }
        long micros = seconds * 1_000_000 + roundNanos(nano);
        // checked before the typmod rounds it, as tm2timestamp checks it before AdjustTimestampForTypmod
        if (micros < MIN_TIMESTAMP || micros >= END_TIMESTAMP) {
            throw outOfRange(shown);
        }
        return adjustForTypmod(micros, typmod);
    }

    private static FdwException outOfRange(Object shown) {
        return new FdwException(SqlState.DATETIME_FIELD_OVERFLOW, "timestamp out of range: \"" + shown + "\"");
    }

    static long time(LocalTime t, int typmod) {
        return adjustForTypmod(t.toSecondOfDay() * 1_000_000L + roundNanos(t.getNano()), typmod);
    }

    /** Microseconds of a duration, rounded as PostgreSQL rounds fractional seconds. */
    static long micros(Duration d) {
        try {
            return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), roundNanos(d.getNano()));
        } catch (ArithmeticException e) {
            throw new FdwException(SqlState.DATETIME_FIELD_OVERFLOW, "interval out of range: \"" + d + "\"");
        }
    }

    /** Nanoseconds to microseconds, half to even (as rint does on text input). */
    static long roundNanos(int nano) {
        long q = nano / 1000;
        int r = nano % 1000;
        if (r > 500 || (r == 500 && (q & 1) == 1)) {
            q++;
        }
        return q;
    }

    /** AdjustTimestampForTypmod / AdjustTimeForTypmod: round to the column's precision. */
    static long adjustForTypmod(long micros, int typmod) {
        if (typmod < 0 || typmod >= 6) {
            return micros;
        }
        long scale = SCALES[typmod];
        long offset = OFFSETS[typmod];
        return micros >= 0
                ? ((micros + offset) / scale) * scale
                : -((((-micros) + offset) / scale) * scale);
    }

    static LocalDate toLocalDate(int days) {
        return switch (days) {
            case DATE_NOEND -> LocalDate.MAX;
            case DATE_NOBEGIN -> LocalDate.MIN;
            default -> LocalDate.ofEpochDay(days + EPOCH_DAYS);
        };
    }

    static LocalDateTime toLocalDateTime(long micros) {
        if (micros == TIMESTAMP_NOEND) {
            return LocalDateTime.MAX;
        }
        if (micros == TIMESTAMP_NOBEGIN) {
            return LocalDateTime.MIN;
        }
        long seconds = Math.floorDiv(micros, 1_000_000L);
        int nanos = (int) Math.floorMod(micros, 1_000_000L) * 1000;
        return LocalDateTime.ofEpochSecond(seconds + EPOCH_SECONDS, nanos, ZoneOffset.UTC);
    }

    static Instant toInstant(long micros) {
        if (micros == TIMESTAMP_NOEND) {
            return Instant.MAX;
        }
        if (micros == TIMESTAMP_NOBEGIN) {
            return Instant.MIN;
        }
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L) + EPOCH_SECONDS,
                Math.floorMod(micros, 1_000_000L) * 1000);
    }

    static LocalTime toLocalTime(long micros) {
        return micros >= USECS_PER_DAY ? LocalTime.MAX : LocalTime.ofNanoOfDay(micros * 1000);
    }
}
