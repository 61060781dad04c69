package dev.jfdw.connectors.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fast ISO-8601 paths must agree with java.time, and leave everything else to PostgreSQL. */
class IsoDatesTest {
    private static long micros(Instant i) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, i);
    }

    @Test
    void datesAndTimestampsAgreeWithJavaTime() {
        for (LocalDate d = LocalDate.of(1, 1, 1); d.getYear() < 10_000; d = d.plusDays(997)) {
            assertEquals(d.toEpochDay(), IsoDates.epochDays(d.toString()), d.toString());
        }
        assertEquals(LocalDate.of(2024, 2, 29).toEpochDay(), IsoDates.epochDays("2024-02-29"));
        assertEquals(LocalDate.of(2000, 2, 29).toEpochDay(), IsoDates.epochDays("2000-02-29"));
        assertEquals(micros(LocalDateTime.parse("2024-05-01T12:30:00.123456").toInstant(ZoneOffset.UTC)),
                IsoDates.timestampMicros("2024-05-01T12:30:00.123456"));
        assertEquals(micros(LocalDateTime.parse("2024-05-01T12:30").toInstant(ZoneOffset.UTC)),
                IsoDates.timestampMicros("2024-05-01 12:30"));
        for (String s : List.of("2024-05-01T12:30:00.5+02:00", "2024-05-01T10:00:00Z", "1970-01-01T00:00:00.000001Z",
                "0001-01-01T00:00:00-15:59", "9999-12-31T23:59:59.999999+14:00", "1969-12-31T23:59:59.9Z")) {
            assertEquals(micros(OffsetDateTime.parse(s).toInstant()), IsoDates.timestamptzMicros(s), s);
        }
        assertEquals(micros(Instant.parse("2024-05-01T13:30:00Z")), IsoDates.timestamptzMicros("2024-05-01t10:00:00-0330"));
        assertEquals(micros(Instant.parse("2024-05-01T08:00:00Z")), IsoDates.timestamptzMicros("2024-05-01T10:00:00+02"));
        char[] inside = "xx2024-05-01yy".toCharArray();
        assertEquals(LocalDate.of(2024, 5, 1).toEpochDay(), IsoDates.epochDays(inside, 2, 10), "a slice of a buffer");
    }

    @Test
    void everythingElseIsLeftToPostgres() {
        for (String s : List.of("2024-02-30", "2023-02-29", "1900-02-29", "0000-01-01", "2024-13-01", "2024-00-10",
                "2024-1-01", "20240101", "2024-05-01x", "infinity", "January 8, 1999", "4714-11-24 BC", "")) {
            assertEquals(IsoDates.NONE, IsoDates.epochDays(s), s);
        }
        for (String s : List.of("2024-05-01T24:00:00Z", "2024-05-01T23:59:60Z", "2024-05-01T10:00:00.1234567Z",
                "2024-05-01T10:00:00 PST", "2024-05-01T10:00:00+1", "2024-05-01T10:00:00+16:00", "2024-05-01T10:0",
                "2024-05-01T10:00:00.Z", "2024-05-01T10:00:00", "2024-05-01T10:00:0Z")) {
            assertEquals(IsoDates.NONE, IsoDates.timestamptzMicros(s), s);
        }
        assertEquals(IsoDates.NONE, IsoDates.timestampMicros("2024-05-01T10:00:00Z"),
                "a zone for a timestamp: PostgreSQL ignores it");
    }
}
