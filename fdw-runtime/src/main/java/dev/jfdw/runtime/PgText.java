package dev.jfdw.runtime;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HexFormat;

/**
 * Canonical text of Java values, as PostgreSQL's input functions read them:
 * what a value becomes when its Java type has no binary mapping to the
 * column's type (a domain, an enum, a text column given a number).
 */
final class PgText {
    private PgText() {}

    static String bytea(byte[] b) {
        return "\\x" + HexFormat.of().formatHex(b);
    }

    static String number(java.math.BigDecimal d) {
        return Math.abs(d.scale()) > 1000 ? d.toString() : d.toPlainString();
    }

    static String date(LocalDate d) {
        if (d.equals(LocalDate.MAX)) {
            return "infinity";
        }
        if (d.equals(LocalDate.MIN)) {
            return "-infinity";
        }
        int y = d.getYear();
        return y > 0
                ? String.format("%04d-%02d-%02d", y, d.getMonthValue(), d.getDayOfMonth())
                : String.format("%04d-%02d-%02d BC", 1 - y, d.getMonthValue(), d.getDayOfMonth());
    }

    /** As PostgreSQL writes a time (into a text column this is what shows): no trailing zeros in the fraction. */
    static String time(LocalTime t) {
        String hms = String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
        if (t.getNano() == 0) {
            return hms;
        }
        String fraction = String.format("%09d", t.getNano());
        int end = fraction.length();
        while (fraction.charAt(end - 1) == '0') {
            end--;
        }
        return hms + "." + fraction.substring(0, end);
    }

    static String timestamp(LocalDateTime t) {
        if (t.equals(LocalDateTime.MAX)) {
            return "infinity";
        }
        if (t.equals(LocalDateTime.MIN)) {
            return "-infinity";
        }
        LocalDate d = t.toLocalDate();
        int y = d.getYear();
        String dateTime = String.format("%04d-%02d-%02d %s", y > 0 ? y : 1 - y, d.getMonthValue(),
                d.getDayOfMonth(), time(t.toLocalTime()));
        return y > 0 ? dateTime : dateTime + " BC";
    }

    static String timestamptz(Instant i) {
        if (i.equals(Instant.MAX)) {
            return "infinity";
        }
        if (i.equals(Instant.MIN)) {
            return "-infinity";
        }
        return timestamptz(LocalDateTime.ofInstant(i, ZoneOffset.UTC), ZoneOffset.UTC);
    }

    /** A wall-clock time at an offset from UTC: {@code 2024-01-01 01:00:00+05:00}. */
    static String timestamptz(LocalDateTime t, ZoneOffset offset) {
        String s = timestamp(t);
        String zone = offset.equals(ZoneOffset.UTC) ? "+00" : offset.getId();
        return s.endsWith(" BC") ? s.substring(0, s.length() - 3) + zone + " BC" : s + zone;
    }

    /**
     * Every field signed: with IntervalStyle sql_standard, PostgreSQL reads
     * a leading minus as every field's when no other field has a sign.
     */
    static String interval(int months, int days, long micros) {
        return String.format(java.util.Locale.ROOT, "%+d mons %+d days %+d microseconds", months, days, micros);
    }
}
