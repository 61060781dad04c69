package dev.jfdw.connectors.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.jfdw.api.Column;
import dev.jfdw.api.FdwException;
import dev.jfdw.api.PgType;
import dev.jfdw.api.Postgres;
import dev.jfdw.api.Row;
import dev.jfdw.api.SqlState;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.CharBuffer;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Writes one column from the JSON value at its position. The built-in
 * types convert in Java, with PostgreSQL's input rules and messages; other
 * types, and text the fast paths do not take (a date in a non-ISO form),
 * go through the type's input function, so every column type works.
 *
 * <p>A JSON null, or a missing key, is SQL NULL. A string holding a number
 * converts to a numeric column; an object or array is its JSON text for
 * text, json and jsonb, and a PostgreSQL array for an array column.
 */
final class ColumnWriter {
    enum Kind { INT, FLOAT4, FLOAT8, NUMERIC, TEXT, BOOL, DATE, TIMESTAMP, TIMESTAMPTZ, JSON, ARRAY, OTHER }

    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    /** C99 hexadecimal floating point, which float4in and float8in accept through strtod (0x1.8p3, 0x10). */
    private static final Pattern HEX_FLOAT = Pattern.compile(
            "[+-]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)([pP][+-]?[0-9]+)?");
    /** NaN as strtod reads it: signed, and with a parenthesized payload it ignores. */
    private static final Pattern NAN = Pattern.compile("[+-]?nan(\\([0-9a-zA-Z_]*\\))?", Pattern.CASE_INSENSITIVE);

    /**
     * What {@link #write} returns for a value of a type only IS [NOT] NULL
     * quals test: not null, and nothing else to compare.
     */
    static final Object PRESENT = new Object();

    final Column column;
    final int index;
    final Kind kind;
    /** The AND of the quals on this column that the scan applies, or null. */
    Predicate<Object> filter;
    /** The record in which the column last got a value, and that value as the filter tests it; see JsonScan. */
    long seenIn = -1;
    Object last;
    /** The record in which the column last got a value that is not NULL (see JsonScan), else -1. */
    long valuedIn = -1;
    /**
     * Text for the type's input function that the scan converts at the
     * record's end (unguarded, an input function's error ends the query at
     * once: the scan waits for the quals' verdict, and for a repeated key's
     * last value), or null. See {@link #write}.
     */
    String awaiting;
    /** PostgreSQL's error for a NULL in this column, when its type (a domain) refuses NULL; else null. */
    dev.jfdw.api.PgException nullRefused;
    /** Parses this column's dates, remembering the last. */
    private final IsoDates dates = new IsoDates();
    /** An array column of json or jsonb: its elements are JSON values, not more dimensions. */
    private final boolean elementsAreJson;
    /** Text as bytes, reused value after value. */
    private byte[] scratch = new byte[64];

    ColumnWriter(Column column) {
        this.column = column;
        this.index = column.index();
        this.kind = kind(column.type());
        PgType element = column.type().base().kind() == PgType.Kind.ARRAY ? column.type().base().of() : null;
        this.elementsAreJson = element != null && (element.base().oid() == PgType.JSON
                || element.base().oid() == PgType.JSONB);
    }

    static Kind kind(PgType type) {
        Kind own = ownKind(type);
        if (own == Kind.OTHER && type.kind() == PgType.Kind.DOMAIN) {
            // the domain's input function gets what its base type would: a value's JSON text, an array literal
            Kind base = ownKind(type.base());
            if (base == Kind.JSON || base == Kind.ARRAY) {
                return base;
            }
        }
        return own;
    }

    private static Kind ownKind(PgType type) {
        return switch (type.oid()) {
            case PgType.INT2, PgType.INT4, PgType.INT8 -> Kind.INT;
            case PgType.FLOAT4 -> Kind.FLOAT4;
            case PgType.FLOAT8 -> Kind.FLOAT8;
            case PgType.NUMERIC -> Kind.NUMERIC;
            case PgType.TEXT, PgType.VARCHAR, PgType.BPCHAR -> Kind.TEXT;
            case PgType.BOOL -> Kind.BOOL;
            case PgType.DATE -> Kind.DATE;
            case PgType.TIMESTAMP -> Kind.TIMESTAMP;
            case PgType.TIMESTAMPTZ -> Kind.TIMESTAMPTZ;
            case PgType.JSON, PgType.JSONB -> Kind.JSON;
            default -> type.name().endsWith("[]") ? Kind.ARRAY : Kind.OTHER;
        };
    }

    /** Whether the scan can test quals on this column: its values are all converted in Java. */
    boolean filterable() {
        return switch (kind) {
            case INT, FLOAT4, FLOAT8, NUMERIC, TEXT, BOOL -> true;
            default -> false;
        };
    }

    /**
     * Writes the value of the current token ({@code raw} is the JSON text of
     * an object or array, already consumed) and returns it as the Java value
     * the filter tests ({@link #PRESENT} for a type only null tests see), or
     * null when it is NULL or there is no filter.
     *
     * @param guarded run PostgreSQL input functions in a subtransaction, so a
     *                bad value can be skipped or set to NULL; else leave their
     *                text in {@link #awaiting} for {@link #convert}
     */
    Object write(JsonReader r, JsonToken t, String raw, Row row, boolean guarded) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            row.setNull(index); // over an earlier value of a duplicate key: the last one counts
            return null;
        }
        return switch (kind) {
            case INT -> writeInteger(r, t, raw, row);
            case FLOAT8 -> writeFloat8(r, t, raw, row);
            case FLOAT4 -> writeFloat4(r, t, raw, row);
            case NUMERIC -> writeNumeric(r, t, raw, row);
            case TEXT -> writeText(r, t, raw, row);
            case BOOL -> writeBoolean(r, t, raw, row);
            case DATE, TIMESTAMP, TIMESTAMPTZ -> writeDateTime(r, t, raw, row, guarded);
            case JSON -> writeJson(r, t, raw, row, guarded);
            case ARRAY -> writeArray(r, t, raw, row, guarded);
            default -> writeViaInput(r, t, raw, row, guarded);
        };
    }

    private Object writeInteger(JsonReader r, JsonToken t, String raw, Row row) throws IOException {
        PlainStringParser p = r.parser();
        long v = switch (t) {
            case VALUE_NUMBER_INT -> {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw outOfRange(p.getText());
                }
                yield p.getLongValue();
            }
            case VALUE_STRING -> parseInteger(p.getText());
            default -> throw invalid(text(r, t, raw));
        };
        row.setLong(index, v);
        return filter == null ? null : v;
    }

    private Object writeFloat8(JsonReader r, JsonToken t, String raw, Row row) throws IOException {
        PlainStringParser p = r.parser();
        double v = switch (t) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                double d = ShortDecimals.toDouble(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                if (!Double.isNaN(d)) {
                    yield d;
                }
                d = p.getDoubleValue();
                if (Double.isInfinite(d) || d == 0 && nonZero(p.getText())) {
                    throw floatOutOfRange(p.getText());
                }
                yield d;
            }
            case VALUE_STRING -> parseFloat(p.getText());
            default -> throw invalid(text(r, t, raw));
        };
        row.setDouble(index, v);
        return filter == null ? null : v;
    }

    private Object writeFloat4(JsonReader r, JsonToken t, String raw, Row row) throws IOException {
        PlainStringParser p = r.parser();
        String s = switch (t) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getText();
            case VALUE_STRING -> trim(p.getText());
            default -> throw invalid(text(r, t, raw));
        };
        String number = javaFloat(s);
        if (number == null) {
            Double special = floatSpecial(s);
            if (special == null) {
                throw invalid(p.getText());
            }
            row.setDouble(index, special);
            return filter == null ? null : special;
        }
        // straight from the text: rounding through double could differ from float4in
        float f = Float.parseFloat(number);
        if (Float.isInfinite(f) || f == 0 && nonZero(s)) {
            throw floatOutOfRange(s);
        }
        row.setDouble(index, f);
        return filter == null ? null : (double) f;
    }

    private Object writeNumeric(JsonReader r, JsonToken t, String raw, Row row) throws IOException {
        PlainStringParser p = r.parser();
        if (filter == null && (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT)
                && shortDecimal(p, row)) {
            return null;
        }
        Object v = switch (t) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> decimal(p);
            case VALUE_STRING -> parseNumeric(p.getText());
            default -> throw invalid(text(r, t, raw));
        };
        if (v instanceof BigDecimal d) {
            row.setBigDecimal(index, d);
        } else {
            row.setDouble(index, (Double) v);
        }
        return filter == null ? null : v;
    }

    private Object writeText(JsonReader r, JsonToken t, String raw, Row row) throws IOException {
        PlainStringParser p = r.parser();
        if (filter == null && t == JsonToken.VALUE_STRING) {
            // straight from the parser's buffer: no String per value
            if (p.plainString()) {
                row.setText(index, p.buffer(), p.plainStart(), p.plainEnd() - p.plainStart());
                return null;
            }
            char[] chars = p.getTextCharacters();
            int off = p.getTextOffset();
            int len = p.getTextLength();
            byte[] ascii = asciiBytes(chars, off, len);
            if (ascii != null) {
                row.setText(index, ascii, 0, len);
                return null;
            }
            for (int i = off; i < off + len; i++) {
                if (chars[i] == '\0') {
                    throw nul();
                }
            }
            row.setText(index, CharBuffer.wrap(chars, off, len));
            return null;
        }
        String s = t == JsonToken.VALUE_STRING ? p.getText() : text(r, t, raw);
        if (s.indexOf('\0') >= 0) {
            throw nul();
        }
        row.setString(index, s);
        return s;
    }

    private Object writeBoolean(JsonReader r, JsonToken t, String raw, Row row) throws IOException {
        PlainStringParser p = r.parser();
        Boolean b = switch (t) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_STRING, VALUE_NUMBER_INT -> parseBoolean(p.getText());
            default -> null;
        };
        if (b == null) {
            throw invalid(text(r, t, raw));
        }
        row.setBoolean(index, b);
        return b;
    }

    private Object writeDateTime(JsonReader r, JsonToken t, String raw, Row row, boolean guarded) throws IOException {
        PlainStringParser p = r.parser();
        if (t != JsonToken.VALUE_STRING) {
            throw invalid(text(r, t, raw));
        }
        // parsed where the bytes lie: no String per value
        long v;
        if (p.plainString()) {
            byte[] b = p.buffer();
            int off = p.plainStart();
            int len = p.plainEnd() - off;
            v = switch (kind) {
                case DATE -> dates.epochDays(b, off, len);
                case TIMESTAMP -> dates.timestampMicros(b, off, len);
                default -> dates.timestamptzMicros(b, off, len);
            };
        } else {
            String s = p.getText();
            v = switch (kind) {
                case DATE -> IsoDates.epochDays(s);
                case TIMESTAMP -> IsoDates.timestampMicros(s);
                default -> IsoDates.timestamptzMicros(s);
            };
        }
        if (v == IsoDates.NONE) {
            viaInput(row, p.getText(), guarded);
        } else if (kind == Kind.DATE) {
            row.setDateEpochDays(index, v);
        } else if (kind == Kind.TIMESTAMP) {
            row.setTimestampEpochMicros(index, v);
        } else {
            row.setTimestamptzEpochMicros(index, v);
        }
        return PRESENT;
    }

    private Object writeJson(JsonReader r, JsonToken t, String raw, Row row, boolean guarded) throws IOException {
        String json = raw != null ? raw : r.rawScalar(t);
        if (column.type().base().oid() == PgType.JSONB && hasNulEscape(json)) {
            throw nul();
        }
        viaInput(row, json, guarded);
        return PRESENT;
    }

    private Object writeArray(JsonReader r, JsonToken t, String raw, Row row, boolean guarded) throws IOException {
        viaInput(row, t == JsonToken.START_ARRAY ? PgArrays.literal(raw, elementsAreJson) : text(r, t, raw),
                guarded);
        return PRESENT;
    }

    private Object writeViaInput(JsonReader r, JsonToken t, String raw, Row row, boolean guarded) throws IOException {
        viaInput(row, text(r, t, raw), guarded);
        return PRESENT;
    }

    /**
     * The characters as bytes when they are all ASCII and none is NUL (most
     * text, one pass), else null. The array is reused: valid until the next call.
     */
    private byte[] asciiBytes(char[] chars, int off, int len) {
        if (scratch.length < len) {
            scratch = new byte[Math.max(len, scratch.length * 2)];
        }
        byte[] bytes = scratch;
        int bad = 0;
        for (int i = 0; i < len; i++) {
            char ch = chars[off + i];
            bad |= (ch - 1) | (0x7E - (ch - 1)); // negative for NUL and anything above 0x7F
            bytes[i] = (byte) ch;
        }
        return bad < 0 ? null : bytes;
    }

    /** The type's input function: PostgreSQL decides, and its errors become PgExceptions. */
    private void viaInput(Row row, String text, boolean guarded) {
        if (text.indexOf('\0') >= 0) {
            throw nul();
        }
        if (guarded) {
            Postgres.inSubtransaction(() -> row.setString(index, text));
        } else {
            awaiting = text;
        }
    }

    /** Converts text {@link #write} left {@link #awaiting}, through the type's input function. */
    void convert(Row row, String text) {
        row.setString(index, text);
    }

    /** The value as text: a string's content, a number as written, an object or array as its JSON. */
    static String text(JsonReader r, JsonToken t, String raw) throws IOException {
        return raw != null ? raw : t == JsonToken.VALUE_STRING ? r.parser().getText() : r.rawScalar(t);
    }

    private long parseInteger(String s) {
        String v = trim(s);
        if (!INTEGER.matcher(v).matches()) {
            throw invalid(s);
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw outOfRange(s);
        }
    }

    /** As float8in: decimal and hexadecimal numbers, NaN and the infinities (any case, inf or infinity). */
    private double parseFloat(String s) {
        String v = trim(s);
        String number = javaFloat(v);
        if (number != null) {
            double d = Double.parseDouble(number);
            if (Double.isInfinite(d) || d == 0 && nonZero(v)) {
                throw floatOutOfRange(v);
            }
            return d;
        }
        Double special = floatSpecial(v);
        if (special == null) {
            throw invalid(s);
        }
        return special;
    }

    /** As numeric_in: a BigDecimal, or NaN and the infinities as Doubles. */
    private Object parseNumeric(String s) {
        String v = trim(s);
        if (DECIMAL.matcher(v).matches()) {
            try {
                return new BigDecimal(v);
            } catch (NumberFormatException e) {
                throw numericOverflow(s); // an exponent beyond an int
            }
        }
        Double special = special(v);
        if (special == null) {
            throw invalid(s);
        }
        return special;
    }

    /**
     * Whether a number's digits (decimal or hexadecimal), before any exponent, are not all
     * zero: if its value then rounds to 0, it underflowed, which float4in and
     * float8in reject as out of range.
     */
    static boolean nonZero(String number) {
        int x = Math.max(number.indexOf('x'), number.indexOf('X'));
        int radix = x < 0 ? 10 : 16;
        for (int i = x + 1; i < number.length(); i++) {
            char ch = number.charAt(i);
            if (radix == 10 ? ch == 'e' || ch == 'E' : ch == 'p' || ch == 'P') {
                return false;
            }
            if (Character.digit(ch, radix) > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * A float4in or float8in number as Java's parsers take it, or null if it
     * is not one: Java wants a hexadecimal number's binary exponent written.
     */
    private static String javaFloat(String v) {
        if (DECIMAL.matcher(v).matches()) {
            return v;
        }
        if (HEX_FLOAT.matcher(v).matches()) {
            return v.indexOf('p') < 0 && v.indexOf('P') < 0 ? v + "p0" : v;
        }
        return null;
    }

    /** float4in's and float8in's words: strtod's NaN forms and the infinities. */
    private static Double floatSpecial(String v) {
        return NAN.matcher(v).matches() ? Double.valueOf(Double.NaN) : special(v);
    }

    private static Double special(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "nan" -> Double.NaN;
            case "infinity", "+infinity", "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-infinity", "-inf" -> Double.NEGATIVE_INFINITY;
            default -> null;
        };
    }

    /** As boolin: t, true, yes, on, 1 and f, false, no, off, 0, any unique prefix, any case. */
    static Boolean parseBoolean(String s) {
        String v = trim(s).toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return null;
        }
        return switch (v.charAt(0)) {
            case 't' -> "true".startsWith(v) ? true : null;
            case 'f' -> "false".startsWith(v) ? false : null;
            case 'y' -> "yes".startsWith(v) ? true : null;
            case 'n' -> "no".startsWith(v) ? false : null;
            case 'o' -> v.length() < 2 ? null : "on".equals(v) ? Boolean.TRUE : "off".startsWith(v) ? Boolean.FALSE : null;
            case '1' -> v.length() == 1 ? true : null;
            case '0' -> v.length() == 1 ? false : null;
            default -> null;
        };
    }

    FdwException invalid(String value) {
        return new FdwException(SqlState.INVALID_TEXT_REPRESENTATION,
                "invalid input syntax for type " + column.type().name() + ": \"" + abbreviate(value) + "\"");
    }

    /**
     * A JSON number of at most 18 digits and no exponent, the common case,
     * written as its digits and scale, with no BigDecimal (half the time of a
     * numeric column); false for any other.
     */
    private boolean shortDecimal(PlainStringParser p, Row row) throws IOException {
        char[] text = p.getTextCharacters();
        int at = p.getTextOffset();
        int end = at + p.getTextLength();
        boolean negative = at < end && text[at] == '-';
        long unscaled = 0;
        int digits = 0;
        int scale = -1;
        for (int i = negative ? at + 1 : at; i < end; i++) {
            char ch = text[i];
            if (ch >= '0' && ch <= '9' && digits < 18) {
                unscaled = unscaled * 10 + (ch - '0');
                digits++;
                scale += scale >= 0 ? 1 : 0;
            } else if (ch == '.' && scale < 0) {
                scale = 0;
            } else {
                return false;
            }
        }
        row.setDecimal(index, negative ? -unscaled : unscaled, Math.max(scale, 0));
        return true;
    }

    /** A JSON number as a BigDecimal; one whose exponent overflows an int is numeric_in's overflow. */
    private BigDecimal decimal(PlainStringParser p) throws IOException {
        try {
            return p.getDecimalValue();
        } catch (com.fasterxml.jackson.core.JsonProcessingException | NumberFormatException e) {
            throw numericOverflow(p.getText());
        }
    }

    private static FdwException numericOverflow(String value) {
        return new FdwException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format")
                .withDetail("Value \"" + abbreviate(value) + "\".");
    }

    /** As int2in, int4in and int8in say it. */
    private FdwException outOfRange(String value) {
        return new FdwException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                "value \"" + abbreviate(value) + "\" is out of range for type " + column.type().name());
    }

    /** As float4in and float8in say it: the number alone, without "value" or the spaces around it. */
    private FdwException floatOutOfRange(String number) {
        return new FdwException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                "\"" + abbreviate(trim(number)) + "\" is out of range for type " + column.type().name());
    }

    /**
     * {@code s} without the leading and trailing white space PostgreSQL's
     * input functions skip: ASCII's ({@code isspace} in the C locale), not
     * Unicode's, which {@link String#strip()} would take too.
     */
    static String trim(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isSpace(s.charAt(from))) {
            from++;
        }
        while (to > from && isSpace(s.charAt(to - 1))) {
            to--;
        }
        return s.substring(from, to);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c >= '\t' && c <= '\r';
    }

    /** Whether JSON text holds the escape {@code \u0000} (not an escaped backslash followed by u0000). */
    static boolean hasNulEscape(String json) {
        for (int at = json.indexOf("\\u0000"); at >= 0; at = json.indexOf("\\u0000", at + 1)) {
            int backslashes = 0;
            while (at - backslashes - 1 >= 0 && json.charAt(at - backslashes - 1) == '\\') {
                backslashes++;
            }
            if (backslashes % 2 == 0) {
                return true;
            }
        }
        return false;
    }

    /** What PostgreSQL says of \u0000 in JSON text it must turn into text. */
    private static FdwException nul() {
        return new FdwException(SqlState.UNTRANSLATABLE_CHARACTER, "unsupported Unicode escape sequence")
                .withDetail("\\u0000 cannot be converted to text.");
    }

    static String abbreviate(String s) {
        // a message cannot hold a NUL (jfdw makes it a space): shown as the file escapes it
        String shown = s.length() <= 80 ? s : s.substring(0, 77) + "...";
        return shown.replace("\0", "\\u0000");
    }
}
