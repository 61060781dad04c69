package dev.jfdw.connectors.json;

/**
 * The ISO-8601 forms JSON producers write, {@code 2024-05-01},
 * {@code 2024-05-01T12:30:00.123456Z}, parsed by hand straight from the
 * parser's characters into epoch days and microseconds: java.time's
 * formatters cost a microsecond a value, more than all the rest of a row.
 * Anything else (other forms, more than six fractional digits, 24:00, leap
 * seconds, times without a zone for timestamptz) gives {@link #NONE}, and
 * the caller hands the text to PostgreSQL's input function, which decides.
 */
final class IsoDates {
    private IsoDates() {}

    /** Not one of the forms parsed here. */
    static final long NONE = Long.MIN_VALUE;

    /** {@code YYYY-MM-DD} as days since 1970-01-01, or NONE. */
    static long epochDays(char[] c, int off, int len) {
        return len == 10 ? date(c, off) : NONE;
    }

    /** {@code YYYY-MM-DD[T ]HH:MM[:SS[.f{1,6}]]}, no zone, as microseconds since 1970-01-01, or NONE. */
    static long timestampMicros(char[] c, int off, int len) {
        return parse(c, off, len, false);
    }

    /** A timestamp with {@code Z} or {@code ±HH[[:]MM]} as microseconds since 1970-01-01 UTC, or NONE. */
    static long timestamptzMicros(char[] c, int off, int len) {
        return parse(c, off, len, true);
    }

    static long epochDays(String s) {
        return epochDays(s.toCharArray(), 0, s.length());
    }

    static long timestampMicros(String s) {
        return timestampMicros(s.toCharArray(), 0, s.length());
    }

    static long timestamptzMicros(String s) {
        return timestamptzMicros(s.toCharArray(), 0, s.length());
    }

    private static long parse(char[] c, int off, int n, boolean zoned) {
        if (n < 16 || (c[off + 10] != 'T' && c[off + 10] != ' ' && c[off + 10] != 't') || c[off + 13] != ':') {
            return NONE;
        }
        long days = date(c, off);
        int hour = two(c, off + 11);
        int minute = two(c, off + 14);
        if (days == NONE || hour < 0 || minute < 0 || hour > 23 || minute > 59) {
            return NONE;
        }
        int i = 16;
        long micros = 0;
        int second = 0;
        if (i < n && c[off + i] == ':') {
            second = i + 3 <= n ? two(c, off + i + 1) : -1;
            if (second < 0 || second > 59) {
                return NONE;
            }
            i += 3;
            if (i < n && c[off + i] == '.') {
                int start = ++i;
                while (i < n && c[off + i] >= '0' && c[off + i] <= '9') {
                    i++;
                }
                int count = i - start;
                if (count == 0 || count > 6) {
                    return NONE;
                }
                for (int k = 0; k < 6; k++) {
                    micros = micros * 10 + (k < count ? c[off + start + k] - '0' : 0);
                }
            }
        }
        long offsetSeconds = 0;
        boolean hasZone = i < n;
        if (hasZone) {
            char z = c[off + i];
            if ((z == 'Z' || z == 'z') && i + 1 == n) {
                offsetSeconds = 0;
            } else if (z == '+' || z == '-') {
                int rest = n - i - 1;
                int oh = rest >= 2 ? two(c, off + i + 1) : -1;
                int om = rest == 2 ? 0 : rest == 4 ? two(c, off + i + 3)
                        : rest == 5 && c[off + i + 3] == ':' ? two(c, off + i + 4) : -1;
                if (oh < 0 || om < 0 || oh > 15 || om > 59) {
                    return NONE;
                }
                offsetSeconds = (z == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
            } else {
                return NONE;
            }
        }
        if (hasZone != zoned) {
            // a zone-less time for timestamptz is in the session's TimeZone; a timestamp ignores a zone
            return NONE;
        }
        long seconds = days * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return seconds * 1_000_000 + micros;
    }

    /** YYYY-MM-DD at {@code at} as epoch days; years 1 to 9999 (PostgreSQL has no year 0), or NONE. */
    private static long date(char[] c, int at) {
        int high = two(c, at);
        int low = two(c, at + 2);
        int year = (high | low) < 0 ? -1 : high * 100 + low;
        int month = two(c, at + 5);
        int day = two(c, at + 8);
        if (year < 1 || month < 1 || month > 12 || day < 1 || c[at + 4] != '-' || c[at + 7] != '-'
                || day > daysInMonth(year, month)) {
            return NONE;
        }
        // days from the civil date (H. Hinnant's algorithm), years here being positive
        int y = month <= 2 ? year - 1 : year;
        int era = y / 400;
        int yoe = y - era * 400;
        int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097L + doe - 719_468;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** The two digits at {@code at} as a number, or -1. */
    private static int two(char[] c, int at) {
        int a = c[at] - '0';
        int b = c[at + 1] - '0';
        return (a | b | (9 - a) | (9 - b)) < 0 ? -1 : a * 10 + b;
    }
}
