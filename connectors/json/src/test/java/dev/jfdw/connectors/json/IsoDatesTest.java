package dev.jfdw.connectors.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fast ISO-8601 paths must agree with java.time, and leave everything else to PostgreSQL. */
class IsoDatesTest {
    @Test
    void datesAndTimestampsAgreeWithJavaTime() {
        assertEquals(LocalDate.of(2024, 2, 29), IsoDates.date("2024-02-29"));
        assertEquals(LocalDateTime.parse("2024-05-01T12:30:00.123456"), IsoDates.timestamp("2024-05-01T12:30:00.123456"));
        assertEquals(LocalDateTime.parse("2024-05-01T12:30"), IsoDates.timestamp("2024-05-01 12:30"));
        for (String s : List.of("2024-05-01T12:30:00.5+02:00", "2024-05-01T10:00:00Z", "1970-01-01T00:00:00.000001Z",
                "0001-01-01T00:00:00-15:59", "9999-12-31T23:59:59.999999+14:00")) {
            assertEquals(OffsetDateTime.parse(s).toInstant(), IsoDates.timestamptz(s), s);
        }
        assertEquals(Instant.parse("2024-05-01T13:30:00Z"), IsoDates.timestamptz("2024-05-01t10:00:00-0330"));
        assertEquals(Instant.parse("2024-05-01T08:00:00Z"), IsoDates.timestamptz("2024-05-01T10:00:00+02"));
    }

    @Test
    void everythingElseIsLeftToPostgres() {
        for (String s : List.of("2024-02-30", "2023-02-29", "0000-01-01", "2024-1-01", "20240101", "2024-05-01x",
                "infinity", "January 8, 1999", "4714-11-24 BC", "")) {
            assertNull(IsoDates.date(s), s);
        }
        for (String s : List.of("2024-05-01T24:00:00Z", "2024-05-01T23:59:60Z", "2024-05-01T10:00:00.1234567Z",
                "2024-05-01T10:00:00 PST", "2024-05-01T10:00:00+1", "2024-05-01T10:00:00+16:00", "2024-05-01T10:0",
                "2024-05-01T10:00:00.Z", "2024-05-01T10:00:00")) {
            assertNull(IsoDates.timestamptz(s), s);
        }
        assertNull(IsoDates.timestamp("2024-05-01T10:00:00Z"), "a zone for a timestamp: PostgreSQL ignores it");
    }
}
