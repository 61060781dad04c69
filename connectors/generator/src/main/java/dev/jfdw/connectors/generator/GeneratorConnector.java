package dev.jfdw.connectors.generator;

import dev.jfdw.api.Column;
import dev.jfdw.api.Connector;
import dev.jfdw.api.OptionScope;
import dev.jfdw.api.OptionSpec;
import dev.jfdw.api.PgType;
import dev.jfdw.api.Row;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import dev.jfdw.api.ScanPlan;
import dev.jfdw.api.ScanRequest;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.UUID;

/**
 * Generates {@code rows} rows with a deterministic value in every column,
 * by type, for row number n = 1, 2, ...:
 *
 * <pre>
 * int2, int4, int8     n (wrapped to the type's width)
 * float4, float8       n / 4
 * numeric              n / 100
 * text, varchar, char  'row n'
 * bool                 n is even
 * bytea                n as 8 big-endian bytes
 * date                 2000-01-01 + (n mod 3,000,000) days
 * time                 00:00:00 + (n mod 86,400) seconds
 * timestamp[tz]        2000-01-01 00:00:00 (UTC) + n seconds
 * interval             n seconds
 * uuid                 00000000-0000-0000-xxxx-xxxxxxxxxxxx with n in the low bits
 * json, jsonb          {"n": n}
 * a domain             its base type's value
 * an enum              its labels in turn: label (n - 1) mod count
 * an array             one element, the element type's value
 * anything else        NULL
 * </pre>
 *
 * Values fit the column's modifier: text is cut to varchar(k) or char(k),
 * and numeric(p, s) values wrap, as the integer widths do (not inside an
 * array of a domain that has a modifier).
 *
 * Columns the query does not use are left NULL, as a connector should
 * leave them: {@code count(*)} builds no values at all.
 *
 * <pre>{@code
 * CREATE SERVER gen FOREIGN DATA WRAPPER generator;
 * CREATE FOREIGN TABLE numbers (id int8, label text) SERVER gen OPTIONS (rows '1000');
 * }</pre>
 */
public final class GeneratorConnector implements Connector {
    static final OptionSpec<Long> ROWS = OptionSpec.integer("rows", 0, Long.MAX_VALUE)
            .required().describedAs("Number of rows to generate.");
    static final OptionSpec<Long> NULL_EVERY = OptionSpec.integer("null_every", 0, Long.MAX_VALUE)
            .in(OptionScope.TABLE, OptionScope.COLUMN).defaultsTo(0L)
            .describedAs("Make every n-th value NULL (0: never); on a column, for that column only.");
    static final OptionSpec<Boolean> COLUMNAR = OptionSpec.bool("columnar")
            .in(OptionScope.SERVER, OptionScope.TABLE).defaultsTo(false)
            .describedAs("Hand rows over as column vectors (see ColumnarScan) instead of row by row.");

    private static final LocalDate DATE_ZERO = LocalDate.of(2000, 1, 1);
    private static final LocalDateTime TIMESTAMP_ZERO = DATE_ZERO.atStartOfDay();
    private static final long EPOCH_2000 = 946_684_800L;

    @Override
    public String name() {
        return "generator";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(ROWS, NULL_EVERY, COLUMNAR);
    }

    @Override
    public ScanPlan planScan(ScanRequest request) {
        return ScanPlan.estimate(request.options().get(ROWS));
    }

    @Override
    public Scan openScan(ScanContext context) {
        long rows = context.options().get(ROWS);
        List<Column> columns = context.columns();
        int[] index = new int[columns.size()];
        int[] types = new int[columns.size()];
        Value[] values = new Value[columns.size()];
        long[] nullEvery = new long[columns.size()];
        for (int i = 0; i < index.length; i++) {
            Column c = columns.get(i);
            index[i] = c.index();
            types[i] = c.type().oid();
            values[i] = valueOf(c.type(), c.typmod());
            nullEvery[i] = (c.options().isSet(NULL_EVERY) ? c.options() : context.options()).get(NULL_EVERY);
        }
        if (context.options().get(COLUMNAR)) {
            return new ColumnarScan(rows, index, types, nullEvery, values);
        }

        return new Scan() {
            private long n;

            @Override
            public boolean next(Rows out) {
                while (n < rows && !out.full()) {
                    n++;
                    Row row = out.add();
                    for (int i = 0; i < values.length; i++) {
                        if (nullEvery[i] == 0 || n % nullEvery[i] != 0) {
                            values[i].set(row, index[i], n);
                        }
                    }
                }
                return n < rows;
            }

            @Override
            public boolean rescan() {
                n = 0;
                return true;
            }
        };
    }

    /** Writes the value of row {@code n} into a column. Chosen once per column, not per row. */
    @FunctionalInterface
    interface Value {
        void set(Row row, int column, long n);
    }

    private static Value valueOf(PgType type, int typmod) {
        return switch (type.kind()) {
            case DOMAIN -> valueOf(type.of(), typmod);
            case ENUM -> type.labels().isEmpty() ? (row, i, n) -> row.setNull(i)
                    : (row, i, n) -> row.setString(i, type.labels().get((int) ((n - 1) % type.labels().size())));
            case ARRAY -> (row, i, n) -> {
                Object element = object(type.of(), typmod, n); // an array's modifier is its elements'
                row.setString(i, element == null ? "{NULL}" : "{\"" + text(element).replace("\\", "\\\\")
                        .replace("\"", "\\\"") + "\"}");
            };
            default -> switch (type.oid()) {
                case PgType.INT2 -> (row, i, n) -> row.setLong(i, (short) n);
                case PgType.INT4 -> (row, i, n) -> row.setLong(i, (int) n);
                case PgType.INT8 -> Row::setLong;
                case PgType.FLOAT4, PgType.FLOAT8 -> (row, i, n) -> row.setDouble(i, n / 4.0);
                case PgType.TEXT -> (row, i, n) -> row.setString(i, "row " + n);
                case PgType.BOOL -> (row, i, n) -> row.setBoolean(i, n % 2 == 0);
                case PgType.TIMESTAMPTZ -> (row, i, n) -> row.setTimestamptz(i, Instant.ofEpochSecond(EPOCH_2000 + n));
                default -> (row, i, n) -> row.setObject(i, object(type, typmod, n));
            };
        };
    }

    /** The value of row n as a Java object, for {@link Row#setObject}; null: NULL. */
    private static Object object(PgType type, int typmod, long n) {
        return switch (type.kind()) {
            case DOMAIN -> object(type.of(), typmod, n);
            case ENUM -> type.labels().isEmpty() ? null : type.labels().get((int) ((n - 1) % type.labels().size()));
            case BASE -> switch (type.oid()) {
                case PgType.INT2 -> (short) n;
                case PgType.INT4 -> (int) n;
                case PgType.INT8 -> n;
                case PgType.FLOAT4, PgType.FLOAT8 -> n / 4.0;
                case PgType.NUMERIC -> numeric(typmod, n);
                case PgType.TEXT -> "row " + n;
                case PgType.VARCHAR, PgType.BPCHAR -> fit("row " + n, typmod);
                case PgType.BOOL -> n % 2 == 0;
                case PgType.BYTEA -> ByteBuffer.allocate(8).putLong(n).array();
                case PgType.DATE -> DATE_ZERO.plusDays(n % 3_000_000);
                case PgType.TIME -> LocalTime.ofSecondOfDay(n % 86_400);
                case PgType.TIMESTAMP -> TIMESTAMP_ZERO.plusSeconds(n);
                case PgType.TIMESTAMPTZ -> Instant.ofEpochSecond(EPOCH_2000 + n);
                case PgType.INTERVAL -> java.time.Duration.ofSeconds(n);
                case PgType.UUID -> new UUID(0, n);
                case PgType.JSON, PgType.JSONB -> "{\"n\": " + n + "}";
                default -> null;
            };
            default -> null;
        };
    }

    /** An element's text in an array literal. */
    private static String text(Object value) {
        return switch (value) {
            case byte[] b -> "\\x" + java.util.HexFormat.of().formatHex(b);
            case java.time.Duration d -> d.getSeconds() + " seconds";
            default -> value.toString();
        };
    }

    /** varchar(k), char(k): the first k characters. */
    private static String fit(String s, int typmod) {
        int length = typmod - 4; // VARHDRSZ
        return typmod >= 4 && s.length() > length ? s.substring(0, length) : s;
    }

    /** n / 100; in numeric(p, s), rounded to s places and wrapped to p - s digits before them. */
    private static BigDecimal numeric(int typmod, long n) {
        BigDecimal v = BigDecimal.valueOf(n, 2);
        if (typmod < 4) {
            return v;
        }
        int precision = (typmod - 4) >> 16 & 0xffff;
        int scale = (((typmod - 4) & 0x7ff) ^ 1024) - 1024; // PostgreSQL 15's scale is signed, -1000..1000
        return v.setScale(scale, java.math.RoundingMode.HALF_UP).remainder(BigDecimal.ONE.scaleByPowerOfTen(precision - scale));
    }
}
