package dev.jfdw.connectors.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.ToLongFunction;
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
        byte[] inside = "xx2024-05-01yy".getBytes(StandardCharsets.US_ASCII);
        assertEquals(LocalDate.of(2024, 5, 1).toEpochDay(), new IsoDates().epochDays(inside, 2, 10), "a slice of a buffer");
    }

    /** One parser for a column's values: what it remembers of the last must never leak into the next. */
    @Test
    void valuesInARowAgreeWithJavaTime() {
        IsoDates dates = new IsoDates();
        String[] zones = {"Z", "+02:00", "-0330", "+05"};
        Instant t = Instant.parse("2023-12-31T23:58:00Z");
        for (int i = 0; i < 20_000; i++, t = t.plusMillis(7_301)) {
            String zone = zones[(i / 50) % zones.length];
            String text = OffsetDateTime.ofInstant(t, ZoneOffset.of(zone.equals("Z") ? "Z" : zone))
                    .toLocalDateTime().truncatedTo(ChronoUnit.MILLIS).toString() + zone;
            assertEquals(micros(OffsetDateTime.parse(text.replace("-0330", "-03:30").replace("+05", "+05:00")).toInstant()),
                    parse(dates::timestamptzMicros, text), text);
            String local = text.substring(0, text.length() - zone.length());
            assertEquals(micros(LocalDateTime.parse(local).toInstant(ZoneOffset.UTC)), parse(dates::timestampMicros, local),
                    local);
            String day = local.substring(0, 10);
            assertEquals(LocalDate.parse(day).toEpochDay(), parse(dates::epochDays, day), day);
        }
        // a bad value after a good one with the same first bytes, and a good one after a bad one
        for (String[] pair : new String[][] {{"2024-05-01T10:00:59Z", "2024-05-01T10:00:61Z"},
                {"2024-05-01T10:00:00Z", "2024-05-01T10:00:00"}, {"2024-02-29", "2024-02-2x"}}) {
            String good = pair[0];
            String bad = pair[1];
            ToLongFunction<byte[]> f = good.length() == 10 ? b -> dates.epochDays(b, 0, b.length)
                    : b -> dates.timestamptzMicros(b, 0, b.length);
            long expected = f.applyAsLong(good.getBytes(StandardCharsets.US_ASCII));
            assertEquals(IsoDates.NONE, f.applyAsLong(bad.getBytes(StandardCharsets.US_ASCII)), bad);
            assertEquals(expected, f.applyAsLong(good.getBytes(StandardCharsets.US_ASCII)), good);
        }
        assertEquals(IsoDates.NONE, dates.epochDays("2023-02-29".getBytes(StandardCharsets.US_ASCII), 0, 10));
        assertEquals(IsoDates.NONE, dates.epochDays("2023-02-29".getBytes(StandardCharsets.US_ASCII), 0, 10),
                "an invalid date is not remembered as valid");
    }

    private interface Parse {
        long parse(byte[] c, int off, int len);
    }

    private static long parse(Parse p, String s) {
        byte[] b = ("..." + s + "...").getBytes(StandardCharsets.US_ASCII);
        return p.parse(b, 3, s.length());
    }

    @Test
    void everythingElseIsLeftToPostgres() {
        for (String s : List.of("2024-02-30", "2023-02-29", "1900-02-29", "0000-01-01", "2024-13-01", "2024-00-10",
                "2024-1-01", "20240101", "2024-05-01x", "infinity", "January 8, 1999", "4714-11-24 BC", "",
                "\uFF12\uFF10\uFF12\uFF14-05-01")) {
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
