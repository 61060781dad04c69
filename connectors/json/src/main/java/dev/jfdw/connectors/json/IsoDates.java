package dev.jfdw.connectors.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * The ISO-8601 forms JSON producers write, {@code 2024-05-01},
 * {@code 2024-05-01T12:30:00.123456Z}, parsed by hand: java.time's
 * formatters cost a microsecond a value, more than all the rest of a row.
 * Anything else (other forms, more than six fractional digits, 24:00, leap
 * seconds, times without a zone for timestamptz) gives {@code null}, and
 * the caller hands the text to PostgreSQL's input function, which decides.
 */
final class IsoDates {
    private IsoDates() {}

    /** {@code YYYY-MM-DD}, or null. */
    static LocalDate date(String s) {
        return s.length() == 10 ? date(s, 0) : null;
    }

    /** {@code YYYY-MM-DD[T ]HH:MM[:SS[.f{1,6}]]}, no zone, or null. */
    static LocalDateTime timestamp(String s) {
        Parsed p = parse(s);
        return p == null || p.offsetSeconds != NO_OFFSET ? null : LocalDateTime.of(p.date, p.time);
    }

    /** A timestamp with {@code Z} or {@code ±HH[[:]MM]}, or null. */
    static Instant timestamptz(String s) {
        Parsed p = parse(s);
        if (p == null || p.offsetSeconds == NO_OFFSET) {
            return null;
        }
        long seconds = p.date.toEpochDay() * 86_400 + p.time.toSecondOfDay() - p.offsetSeconds;
        return Instant.ofEpochSecond(seconds, p.time.getNano());
    }

    private static final int NO_OFFSET = Integer.MIN_VALUE;

    private record Parsed(LocalDate date, LocalTime time, int offsetSeconds) {}

    private static Parsed parse(String s) {
        int n = s.length();
        if (n < 16 || (s.charAt(10) != 'T' && s.charAt(10) != ' ' && s.charAt(10) != 't')) {
            return null;
        }
        LocalDate date = date(s, 0);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        if (date == null || hour < 0 || minute < 0 || s.charAt(13) != ':' || hour > 23 || minute > 59) {
            return null;
        }
        int i = 16;
        int second = 0;
        int nanos = 0;
        if (i < n && s.charAt(i) == ':') {
            second = digits(s, i + 1, 2);
            if (second < 0 || second > 59) {
                return null;
            }
            i += 3;
            if (i < n && s.charAt(i) == '.') {
                int start = ++i;
                while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    i++;
                }
                int count = i - start;
                if (count == 0 || count > 6) {
                    return null;
                }
                nanos = digits(s, start, count);
                for (int k = count; k < 9; k++) {
                    nanos *= 10;
                }
            }
        }
        int offset = NO_OFFSET;
        if (i < n) {
            char c = s.charAt(i);
            if ((c == 'Z' || c == 'z') && i + 1 == n) {
                offset = 0;
            } else if (c == '+' || c == '-') {
                int rest = n - i - 1;
                int oh = digits(s, i + 1, 2);
                int om = rest == 2 ? 0 : rest == 4 ? digits(s, i + 3, 2)
                        : rest == 5 && s.charAt(i + 3) == ':' ? digits(s, i + 4, 2) : -1;
                if (oh < 0 || om < 0 || oh > 15 || om > 59) {
                    return null;
                }
                offset = (c == '-' ? -1 : 1) * (oh * 3600 + om * 60);
            } else {
                return null;
            }
        }
        return new Parsed(date, LocalTime.of(hour, minute, second, nanos), offset);
    }

    /** YYYY-MM-DD at {@code at}; years 1 to 9999 (PostgreSQL has no year 0). */
    private static LocalDate date(String s, int at) {
        int year = digits(s, at, 4);
        int month = digits(s, at + 5, 2);
        int day = digits(s, at + 8, 2);
        if (year < 1 || month < 0 || day < 0 || s.charAt(at + 4) != '-' || s.charAt(at + 7) != '-') {
            return null;
        }
        try {
            return LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The decimal number in {@code s[at, at + count)}, or -1. */
    private static int digits(String s, int at, int count) {
        if (at + count > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = at; i < at + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
