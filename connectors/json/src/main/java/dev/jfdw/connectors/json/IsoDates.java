package dev.jfdw.connectors.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The ISO-8601 forms JSON producers write, {@code 2024-05-01},
 * {@code 2024-05-01T12:30:00.123456Z}, parsed by hand straight from the
 * bytes of the file into epoch days and microseconds: java.time's
 * formatters cost a microsecond a value, more than all the rest of a row.
 * Anything else (other forms, more than six fractional digits, 24:00, leap
 * seconds, times without a zone for timestamptz) gives {@link #NONE}, and
 * the caller hands the text to PostgreSQL's input function, which decides.
 */
final class IsoDates {
    /** Not one of the forms parsed here. */
    static final long NONE = Long.MIN_VALUE;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    /** No text is these bytes (0xFF is not ASCII). */
    private static final long NO_BYTES = -1;

    /*
     * Rows mostly come in time order, so a value shares its date, or its
     * date, hour and minute, with the value before: the last of each
     * parsed is kept, as its bytes read into two (overlapping) longs, with
     * what it came to. Parsing drops from about 35 ns a value to 5.
     */
    private long dateHead = NO_BYTES;
    private long dateTail = NO_BYTES;
    private long dateDays;
    private long minuteHead = NO_BYTES;
    private long minuteTail = NO_BYTES;
    private long minuteSeconds;

    /** {@code YYYY-MM-DD} as days since 1970-01-01, or NONE. */
    long epochDays(byte[] c, int off, int len) {
        if (len != 10) {
            return NONE;
        }
        long head = (long) LONG.get(c, off);
        long tail = (long) LONG.get(c, off + 2);
        if (head == dateHead && tail == dateTail) {
            return dateDays;
        }
        long days = date(c, off);
        if (days != NONE) {
            dateHead = head;
            dateTail = tail;
            dateDays = days;
        }
        return days;
    }

    /** {@code YYYY-MM-DD[T ]HH:MM[:SS[.f{1,6}]]}, no zone, as microseconds since 1970-01-01, or NONE. */
    long timestampMicros(byte[] c, int off, int len) {
        return parse(c, off, len, false);
    }

    /** A timestamp with {@code Z} or {@code ±HH[[:]MM]} as microseconds since 1970-01-01 UTC, or NONE. */
    long timestamptzMicros(byte[] c, int off, int len) {
        return parse(c, off, len, true);
    }

    static long epochDays(String s) {
        byte[] b = ascii(s);
        return b == null ? NONE : new IsoDates().epochDays(b, 0, b.length);
    }

    static long timestampMicros(String s) {
        byte[] b = ascii(s);
        return b == null ? NONE : new IsoDates().timestampMicros(b, 0, b.length);
    }

    static long timestamptzMicros(String s) {
        byte[] b = ascii(s);
        return b == null ? NONE : new IsoDates().timestamptzMicros(b, 0, b.length);
    }

    /** The text as bytes if it is ASCII, else null: no ISO form holds anything else. */
    private static byte[] ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7F) {
                return null;
            }
        }
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private long parse(byte[] c, int off, int n, boolean zoned) {
        if (n < 16) {
            return NONE;
        }
        long head = (long) LONG.get(c, off);
        long tail = (long) LONG.get(c, off + 8);
        if (head != minuteHead || tail != minuteTail) {
            long seconds = minute(c, off);
            if (seconds == NONE) {
                return NONE;
            }
            minuteHead = head;
            minuteTail = tail;
            minuteSeconds = seconds;
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
            byte z = c[off + i];
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
        return (minuteSeconds + second - offsetSeconds) * 1_000_000 + micros;
    }

    /** {@code YYYY-MM-DD[T ]HH:MM} at {@code at} as seconds since 1970-01-01, or NONE. */
    private static long minute(byte[] c, int at) {
        if ((c[at + 10] != 'T' && c[at + 10] != ' ' && c[at + 10] != 't') || c[at + 13] != ':') {
            return NONE;
        }
        long days = date(c, at);
        int hour = two(c, at + 11);
        int minute = two(c, at + 14);
        if (days == NONE || hour < 0 || minute < 0 || hour > 23 || minute > 59) {
            return NONE;
        }
        return days * 86_400 + hour * 3600L + minute * 60L;
    }

    /** YYYY-MM-DD at {@code at} as epoch days; years 1 to 9999 (PostgreSQL has no year 0), or NONE. */
    private static long date(byte[] c, int at) {
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
    private static int two(byte[] c, int at) {
        int a = c[at] - '0';
        int b = c[at + 1] - '0';
        return (a | b | (9 - a) | (9 - b)) < 0 ? -1 : a * 10 + b;
    }
}
