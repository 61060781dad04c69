package dev.jfdw.tests.connectors;

import dev.jfdw.api.Column;
import dev.jfdw.api.Connector;
import dev.jfdw.api.OptionSpec;
import dev.jfdw.api.PgType;
import dev.jfdw.api.Row;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Five rows of known Java values for every column, chosen by the column's
 * type, written with the typed setters (or setObject with option
 * {@code via 'object'}). Column {@code k} gets the row number: 0 typical,
 * 1 NULL, 2 low extreme, 3 high extreme, 4 special (NaN, infinity, ...).
 * The tests compare them with the same values entered as SQL literals.
 */
public final class TypecheckConnector implements Connector {
    static final OptionSpec<String> VIA = OptionSpec.string("via").defaultsTo("typed");
    /** Overrides every text value: "nul" (contains U+0000), "surrogate" (an unpaired one). */
    static final OptionSpec<String> TEXT_CASE = OptionSpec.string("text_case");

    @Override
    public String name() {
        return "typecheck";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(VIA, TEXT_CASE);
    }

    @Override
    public Scan openScan(ScanContext context) {
        boolean object = context.options().get(VIA).equals("object");
        String textCase = context.options().get(TEXT_CASE);
        List<Column> columns = context.table().columns();
        return new Scan() {
            int k;

            @Override
            public boolean next(Rows rows) {
                while (k < 5 && !rows.full()) {
                    Row row = rows.add();
                    for (Column c : columns) {
                        if (c.name().equals("k")) {
                            row.setLong(c.index(), k);
                        } else if (k != 1) {
                            Object v = textCase != null && c.type().oid() == PgType.TEXT
                                    ? (textCase.equals("nul") ? "a\u0000b" : "a\uD800b")
                                    : value(c, k);
                            if (object && !(v instanceof int[])) {
                                row.setObject(c.index(), v);
                            } else {
                                setTyped(row, c.index(), v);
                            }
                        } else if (object) {
                            row.setObject(c.index(), null);
                        } else {
                            row.setNull(c.index());
                        }
                    }
                    k++;
                }
                return k < 5;
            }
        };
    }

    /** The value of case k for a column, by its type (domains, enums, arrays by name). */
    static Object value(Column c, int k) {
        return switch (c.type().oid()) {
            case PgType.BOOL -> pick(k, true, false, true, false);
            case PgType.INT2 -> pick(k, 42L, (long) Short.MIN_VALUE, (long) Short.MAX_VALUE, -1L);
            case PgType.INT4 -> pick(k, 42L, (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE, -1L);
            case PgType.INT8 -> pick(k, 42L, Long.MIN_VALUE, Long.MAX_VALUE, -1L);
            case PgType.FLOAT4 -> pick(k, 1.5, (double) -Float.MAX_VALUE, (double) Float.MIN_VALUE, Double.NaN);
            case PgType.FLOAT8 -> pick(k, Math.PI, -Double.MAX_VALUE, Double.MIN_VALUE, Double.POSITIVE_INFINITY);
            case PgType.NUMERIC -> c.typmod() >= 0
                    ? pick(k, new BigDecimal("123.456"), new BigDecimal("-999.994"), new BigDecimal("999.99"),
                            new BigDecimal("0.005"))
                    : pick(k, new BigDecimal("12345678901234567890.123456789012345678901234567890"),
                            new BigDecimal("-1E-1000"), new BigDecimal("9.99E+1000"), Double.NaN);
            case PgType.TEXT -> pick(k, "héllo wörld ✓ 😀", "", "x".repeat(100_000),
                    "tab\there\nnewline 'quote' \"dq\" back\\slash");
            case PgType.VARCHAR -> pick(k, "abc", "", "abcde", "abcde  ");
            case PgType.BPCHAR -> pick(k, "ab", "", "abc", "a    ");
            case PgType.BYTEA -> pick(k, new byte[] {1, 2, 3}, new byte[0], allBytes(), new byte[] {0, 0});
            case PgType.DATE -> pick(k, LocalDate.of(2024, 2, 29), LocalDate.of(-4713, 11, 24),
                    LocalDate.of(5874897, 12, 31), LocalDate.MAX);
            case PgType.TIME -> pick(k, LocalTime.of(12, 34, 56, 789_012_000), LocalTime.MIDNIGHT,
                    LocalTime.of(23, 59, 59, 999_999_000), LocalTime.of(1, 2, 3, 456_789_400));
            case PgType.TIMESTAMP -> pick(k, LocalDateTime.of(2024, 2, 29, 12, 34, 56, 789_012_000),
                    LocalDateTime.of(-4713, 11, 24, 0, 0), LocalDateTime.of(294276, 12, 31, 23, 59, 59, 999_999_000),
                    LocalDateTime.MAX);
            case PgType.TIMESTAMPTZ -> pick(k, Instant.parse("2024-02-29T12:34:56.789012Z"),
                    LocalDateTime.of(-4713, 11, 24, 0, 0).toInstant(ZoneOffset.UTC),
                    LocalDateTime.of(294276, 12, 31, 23, 59, 59, 999_999_000).toInstant(ZoneOffset.UTC),
                    Instant.MIN);
            case PgType.INTERVAL -> pick(k, new int[] {14, 3, 4_000_005}, new int[] {-12, -30, -1},
                    new int[] {1200, 31, 1}, new int[] {0, 0, 0});
            case PgType.UUID -> pick(k, new UUID(0x0123456789abcdefL, 0xfedcba9876543210L), new UUID(0, 0),
                    new UUID(-1, -1), new UUID(0, 1));
            case PgType.JSON, PgType.JSONB -> pick(k, "{\"a\": [1, 2.5, null, true], \"b\": \"é\"}", "[]",
                    "{\"n\": 12345678901234567890123}", "\"\\u00e9\\n\"");
            default -> switch (c.type().name()) {
                case "positive" -> pick(k, 5L, 1L, 2147483647L, 7L);
                case "mood" -> pick(k, "happy", "sad", "ok", "happy");
                case "integer[]" -> pick(k, "{1,2,3}", "{}", "{NULL,-2147483648}", "{{1,2},{3,4}}");
                case "pair" -> pick(k, "(1,x)", "(,)", "(2147483647,\"a \"\"quoted\"\" (text)\")", "(-1,\"\")");
                case "big" -> 5L;
                default -> throw new IllegalArgumentException("typecheck has no values for " + c.type());
            };
        };
    }

    private static Object pick(int k, Object typical, Object low, Object high, Object special) {
        return switch (k) {
            case 0 -> typical;
            case 2 -> low;
            case 3 -> high;
            default -> special;
        };
    }

    private static byte[] allBytes() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private static void setTyped(Row row, int i, Object v) {
        switch (v) {
            case Boolean b -> row.setBoolean(i, b);
            case Long l -> row.setLong(i, l);
            case Double d -> row.setDouble(i, d);
            case BigDecimal d -> row.setBigDecimal(i, d);
            case String s -> row.setString(i, s);
            case byte[] b -> row.setBytes(i, b);
            case LocalDate d -> row.setDate(i, d);
            case LocalTime t -> row.setTime(i, t);
            case LocalDateTime t -> row.setTimestamp(i, t);
            case Instant t -> row.setTimestamptz(i, t);
            case int[] iv -> row.setInterval(i, iv[0], iv[1], iv[2]);
            case UUID u -> row.setUuid(i, u);
            default -> throw new IllegalArgumentException("no setter for " + v.getClass());
        }
    }
}
