package dev.jfdw.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jfdw.api.FdwException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class PgTimeTest {
    @Test
    void datesCountDaysFrom2000() {
        assertEquals(0, PgTime.date(LocalDate.of(2000, 1, 1)));
        assertEquals(-1, PgTime.date(LocalDate.of(1999, 12, 31)));
        assertEquals(Integer.MAX_VALUE, PgTime.date(LocalDate.MAX));
        assertEquals(Integer.MIN_VALUE, PgTime.date(LocalDate.MIN));
        assertEquals(-2_451_545, PgTime.date(LocalDate.of(-4713, 11, 24)), "4714-11-24 BC, julian day 0");
        assertThrows(FdwException.class, () -> PgTime.date(LocalDate.of(-4713, 11, 23)));
        assertThrows(FdwException.class, () -> PgTime.date(LocalDate.of(5874898, 1, 1)));
        assertEquals(LocalDate.of(1999, 12, 31), PgTime.toLocalDate(-1));
    }

    @Test
    void timestampsCountMicrosecondsFrom2000() {
        assertEquals(0, PgTime.timestamp(LocalDateTime.of(2000, 1, 1, 0, 0), -1));
        assertEquals(0, PgTime.timestamptz(Instant.parse("2000-01-01T00:00:00Z"), -1));
        assertEquals(-1, PgTime.timestamptz(Instant.parse("1999-12-31T23:59:59.999999Z"), -1));
        assertEquals(Long.MAX_VALUE, PgTime.timestamp(LocalDateTime.MAX, -1));
        assertEquals(Long.MIN_VALUE, PgTime.timestamptz(Instant.MIN, -1));
        assertEquals(PgTime.MIN_TIMESTAMP, PgTime.timestamp(LocalDateTime.of(-4713, 11, 24, 0, 0), -1));
        assertThrows(FdwException.class, () -> PgTime.timestamp(LocalDateTime.of(294277, 1, 1, 0, 0), -1));
        assertThrows(FdwException.class, () -> PgTime.timestamp(LocalDateTime.of(-4713, 11, 23, 23, 59), -1));
        assertEquals(Instant.parse("2024-02-29T12:00:00.000001Z"), PgTime.toInstant(
                PgTime.timestamptz(Instant.parse("2024-02-29T12:00:00.000001Z"), -1)));
    }

    @Test
    void nanosecondsRoundHalfToEvenAsTextInputDoes() {
        LocalDateTime base = LocalDateTime.of(2000, 1, 1, 0, 0);
        assertEquals(0, PgTime.timestamp(base.plusNanos(500), -1));
        assertEquals(2, PgTime.timestamp(base.plusNanos(1500), -1));
        assertEquals(2, PgTime.timestamp(base.plusNanos(2500), -1));
        assertEquals(3, PgTime.timestamp(base.plusNanos(2501), -1));
    }

    @Test
    void typmodRoundsToThePrecision() {
        LocalDateTime base = LocalDateTime.of(2000, 1, 1, 0, 0);
        assertEquals(1_000_000, PgTime.timestamp(base.plusNanos(500_000_000), 0));
        assertEquals(-1_000_000, PgTime.timestamp(base.minusNanos(500_000_000), 0));
        assertEquals(120_000, PgTime.timestamp(base.plusNanos(123_456_000), 2));
        assertEquals(86_400_000_000L, PgTime.time(LocalTime.of(23, 59, 59, 999_999_600), -1), "24:00:00");
        assertEquals(86_400_000_000L, PgTime.time(LocalTime.of(23, 59, 59, 600_000_000), 0));
    }

    @Test
    void durationsBecomeMicroseconds() {
        assertEquals(1_500_000, PgTime.micros(Duration.ofMillis(1500)));
        assertEquals(-1, PgTime.micros(Duration.ofNanos(-1000)));
        assertThrows(FdwException.class, () -> PgTime.micros(Duration.ofSeconds(Long.MAX_VALUE)));
    }
}
