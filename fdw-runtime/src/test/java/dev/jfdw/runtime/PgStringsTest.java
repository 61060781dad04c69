package dev.jfdw.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jfdw.api.FdwException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class PgStringsTest {
    @Test
    void textIsEncodedExactly() {
        for (String s : new String[] {"", "plain", "a?b", "é", "✓", "😀", "mixed é ✓ 😀 ?"}) {
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), PgStrings.encode(s), s);
        }
    }

    @Test
    void nulIsAnErrorNotATruncation() {
        FdwException e = assertThrows(FdwException.class, () -> PgStrings.encode("a\u0000b"));
        assertEquals("22021", e.sqlState());
    }

    @Test
    void unpairedSurrogatesAreErrorsNotQuestionMarks() {
        for (String s : new String[] {"a\uD800b", "\uDC00", "x\uD83D", "\uD83D\uD83D"}) {
            FdwException e = assertThrows(FdwException.class, () -> PgStrings.encode(s), s);
            assertEquals("22021", e.sqlState());
        }
    }

    @Test
    void canonicalTextIsWhatPostgresReads() {
        assertEquals("0001-01-01 BC", PgText.date(LocalDate.of(0, 1, 1)));
        assertEquals("4714-11-24 BC", PgText.date(LocalDate.of(-4713, 11, 24)));
        assertEquals("infinity", PgText.date(LocalDate.MAX));
        assertEquals("2024-02-29 01:02:03.000000004", PgText.timestamp(LocalDateTime.of(2024, 2, 29, 1, 2, 3, 4)));
        assertEquals("2024-02-29 00:00:00+00", PgText.timestamptz(Instant.parse("2024-02-29T00:00:00Z")));
        assertEquals("2024-02-29 00:00:00.000001+00", PgText.timestamptz(Instant.parse("2024-02-29T00:00:00.000001Z")));
        assertEquals("23:59:59.123456789", PgText.time(java.time.LocalTime.of(23, 59, 59, 123_456_789)));
        assertEquals("\\x00ff", PgText.bytea(new byte[] {0, -1}));
        assertEquals("1000", PgText.number(new java.math.BigDecimal("1E+3")));
    }

    @Test
    void connectorsAreNamedByTheirFunctions() {
        assertEquals("generator", Connectors.connectorName("generator_handler"));
        assertEquals("my_json", Connectors.connectorName("my_json_validator"));
        assertThrows(FdwException.class, () -> Connectors.connectorName("_handler"));
        assertThrows(FdwException.class, () -> Connectors.connectorName("generator"));
        assertThrows(FdwException.class, () -> Connectors.connectorName(null));
    }

    @Test
    void sqlStatesUnpackFromPostgresSixBitEncoding() {
        // MAKE_SQLSTATE('2','2','P','0','2')
        int code = ('2' - '0') | (('2' - '0') << 6) | (('P' - '0') << 12) | (('0' - '0') << 18) | (('2' - '0') << 24);
        assertEquals("22P02", Native.unpackSqlState(code));
    }
}
