package dev.jfdw.tests;

import static dev.jfdw.testkit.Sql.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfdw.testkit.Sql;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.util.PSQLException;

/**
 * Every type round-trips: the typecheck connector writes known Java values
 * (typical, NULL, both extremes, a special value) with the typed setters or
 * with setObject, one row per case; a heap table holds the same values
 * typed as SQL literals. Each column must read back exactly as PostgreSQL's
 * own input made it (compared as text, which also checks scale, padding and
 * rounding).
 */
class TypesIT extends ClusterTest {
    /** Column name, type, and the SQL literals of cases 0 (typical), 2 (low), 3 (high), 4 (special). */
    private record Case(String column, String type, String typical, String low, String high, String special) {}

    private static final String ALL_BYTES = "'\\x" + HexFormat.of().formatHex(
            IntStream.range(0, 256).collect(java.io.ByteArrayOutputStream::new, (o, i) -> o.write(i),
                    (a, b) -> a.writeBytes(b.toByteArray())).toByteArray()) + "'";

    private static final List<Case> CASES = List.of(
            new Case("c_bool", "bool", "true", "false", "true", "false"),
            new Case("c_int2", "int2", "42", "-32768", "32767", "-1"),
            new Case("c_int4", "int4", "42", "-2147483648", "2147483647", "-1"),
            new Case("c_int8", "int8", "42", "-9223372036854775808", "9223372036854775807", "-1"),
            new Case("c_float4", "float4", "1.5", "'-3.4028235e38'", "'1.4e-45'", "'NaN'"),
            new Case("c_float8", "float8", "'3.141592653589793'", "'-1.7976931348623157e308'", "'4.9e-324'",
                    "'Infinity'"),
            new Case("c_numeric", "numeric", "'12345678901234567890.123456789012345678901234567890'", "'-1E-1000'",
                    "'9.99E+1000'", "'NaN'"),
            new Case("c_numeric52", "numeric(5,2)", "123.456", "-999.994", "999.99", "0.005"),
            new Case("c_text", "text", "'héllo wörld ✓ 😀'", "''", "repeat('x', 100000)",
                    "E'tab\\there\\nnewline ''quote'' \"dq\" back\\\\slash'"),
            new Case("c_varchar", "varchar(5)", "'abc'", "''", "'abcde'", "'abcde  '"),
            new Case("c_bpchar", "char(3)", "'ab'", "''", "'abc'", "'a    '"),
            new Case("c_bytea", "bytea", "'\\x010203'", "'\\x'", ALL_BYTES, "'\\x0000'"),
            new Case("c_date", "date", "'2024-02-29'", "'4714-11-24 BC'", "'5874897-12-31'", "'infinity'"),
            new Case("c_time", "time", "'12:34:56.789012'", "'00:00:00'", "'23:59:59.999999'",
                    "'01:02:03.4567894'"),
            new Case("c_timestamp", "timestamp", "'2024-02-29 12:34:56.789012'", "'4714-11-24 00:00:00 BC'",
                    "'294276-12-31 23:59:59.999999'", "'infinity'"),
            new Case("c_timestamptz", "timestamptz", "'2024-02-29 12:34:56.789012+00'",
                    "'4714-11-24 00:00:00+00 BC'", "'294276-12-31 23:59:59.999999+00'", "'-infinity'"),
            new Case("c_interval", "interval", "'14 mons 3 days 4000005 microseconds'",
                    "'-12 mons -30 days -1 microseconds'", "'1200 mons 31 days 1 microseconds'", "'0'"),
            new Case("c_uuid", "uuid", "'01234567-89ab-cdef-fedc-ba9876543210'",
                    "'00000000-0000-0000-0000-000000000000'", "'ffffffff-ffff-ffff-ffff-ffffffffffff'",
                    "'00000000-0000-0000-0000-000000000001'"),
            new Case("c_json", "json", "'{\"a\": [1, 2.5, null, true], \"b\": \"é\"}'", "'[]'",
                    "'{\"n\": 12345678901234567890123}'", "'\"\\u00e9\\n\"'"),
            new Case("c_jsonb", "jsonb", "'{\"a\": [1, 2.5, null, true], \"b\": \"é\"}'", "'[]'",
                    "'{\"n\": 12345678901234567890123}'", "'\"\\u00e9\\n\"'"),
            new Case("c_positive", "positive", "5", "1", "2147483647", "7"),
            new Case("c_mood", "mood", "'happy'", "'sad'", "'ok'", "'happy'"),
            new Case("c_intarr", "integer[]", "'{1,2,3}'", "'{}'", "'{NULL,-2147483648}'", "'{{1,2},{3,4}}'"),
            new Case("c_pair", "pair", "'(1,x)'", "'(,)'", "'(2147483647,\"a \"\"quoted\"\" (text)\")'",
                    "'(-1,\"\")'"));

    @BeforeEach
    void types() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "typecheck");
            Sql.execute(c, """
                    DO $$ BEGIN
                      IF NOT EXISTS (SELECT FROM pg_type WHERE typname = 'positive') THEN
                        CREATE DOMAIN positive AS int CHECK (VALUE > 0);
                        CREATE DOMAIN big AS int CHECK (VALUE > 100);
                        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
                      END IF;
                      IF NOT EXISTS (SELECT FROM pg_type WHERE typname = 'pair') THEN
                        CREATE TYPE pair AS (a int, b text);
                      END IF;
                    END $$""");
        }
    }

    private static String columns() {
        StringBuilder b = new StringBuilder("k int4");
        for (Case c : CASES) {
            b.append(", ").append(c.column()).append(' ').append(c.type());
        }
        return b.toString();
    }

    private static String heapRows() {
        List<String> rows = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            StringBuilder b = new StringBuilder("(").append(k);
            for (Case c : CASES) {
                String literal = switch (k) {
                    case 0 -> c.typical();
                    case 1 -> "NULL";
                    case 2 -> c.low();
                    case 3 -> c.high();
                    default -> c.special();
                };
                b.append(", (").append(literal).append(")::").append(c.type());
            }
            rows.add(b.append(')').toString());
        }
        return String.join(",\n", rows);
    }

    @ParameterizedTest(name = "setters {0}, batch_size {1}")
    @CsvSource({"typed, 1000", "typed, 1", "object, 1000", "object, 1"})
    void everyTypeRoundTrips(String via, int batchSize) throws Exception {
        String suffix = via + "_" + batchSize;
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "SET TimeZone = 'UTC'",
                    "DROP TABLE IF EXISTS heap_" + suffix,
                    "DROP FOREIGN TABLE IF EXISTS tc_" + suffix,
                    "CREATE TABLE heap_" + suffix + " (" + columns() + ")",
                    "INSERT INTO heap_" + suffix + " VALUES " + heapRows(),
                    "CREATE FOREIGN TABLE tc_" + suffix + " (" + columns() + ") SERVER typecheck OPTIONS (via '"
                            + via + "', batch_size '" + batchSize + "')");

            assertEquals(List.of("0", "1", "2", "3", "4"),
                    Sql.rows(c, "SELECT k FROM tc_" + suffix + " ORDER BY k").stream().map(List::getFirst).toList());
            List<String> mismatches = new ArrayList<>();
            for (Case col : CASES) {
                for (List<String> diff : Sql.rows(c, "SELECT f.k, f." + col.column() + "::text, h." + col.column()
                        + "::text FROM tc_" + suffix + " f JOIN heap_" + suffix + " h USING (k) WHERE f."
                        + col.column() + "::text IS DISTINCT FROM h." + col.column() + "::text"
                        // binary too: text hides some differences (char(n)'s padding is gone in ::text)
                        + " OR record_send(ROW(f." + col.column() + ")) IS DISTINCT FROM record_send(ROW(h."
                        + col.column() + ")) ORDER BY k")) {
                    mismatches.add(col.column() + " " + col.type() + " case " + diff.get(0) + ": jfdw "
                            + abbreviate(diff.get(1)) + ", heap " + abbreviate(diff.get(2)));
                }
            }
            assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "NULL" : s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    @Test
    void textWithNulIsAnErrorNotATruncatedString() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS tc_nul (k int4, t text) SERVER typecheck "
                    + "OPTIONS (text_case 'nul')");
            PSQLException e = Sql.expectError(c, "22021", "SELECT * FROM tc_nul");
            assertTrue(e.getMessage().contains("0x00"), e.getMessage());
            assertEquals("1", Sql.value(c, "SELECT 1"));
        }
    }

    @Test
    void unpairedSurrogateIsAnError() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS tc_surrogate (k int4, t text) SERVER typecheck "
                    + "OPTIONS (text_case 'surrogate')");
            PSQLException e = Sql.expectError(c, "22021", "SELECT * FROM tc_surrogate");
            assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
        }
    }

    @Test
    void domainConstraintIsCheckedWithItsOwnError() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS tc_big (k int4, b big) SERVER typecheck");
            PSQLException e = Sql.expectError(c, "23514", "SELECT * FROM tc_big");
            assertTrue(e.getMessage().contains("value for domain big violates check constraint \"big_check\""),
                    e.getMessage());
            assertTrue(e.getServerErrorMessage().getWhere().contains("column \"b\""),
                    e.getServerErrorMessage().getWhere());
        }
    }

    /** A NULL is no value a connector converts, yet a domain's NOT NULL and CHECK constraints apply to it. */
    @Test
    void aNullInADomainColumnPassesTheDomainsConstraints() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "generator");
            Sql.execute(c, "DROP DOMAIN IF EXISTS required_id CASCADE", "DROP DOMAIN IF EXISTS checked_id CASCADE",
                    "DROP DOMAIN IF EXISTS free_id CASCADE",
                    "CREATE DOMAIN required_id AS int8 NOT NULL",
                    "CREATE DOMAIN checked_id AS int8 CHECK (VALUE IS NOT NULL)",
                    "CREATE DOMAIN free_id AS int8 CHECK (VALUE > 0)");
            for (String batchSize : List.of("1", "1000")) {
                Sql.execute(c, "DROP FOREIGN TABLE IF EXISTS gen_domains",
                        "CREATE FOREIGN TABLE gen_domains (id int8, r required_id OPTIONS (null_every '1'), "
                                + "k checked_id OPTIONS (null_every '1'), f free_id OPTIONS (null_every '1')) "
                                + "SERVER generator OPTIONS (rows '3', batch_size '" + batchSize + "')");
                assertEquals(List.of(row("3", "0")), Sql.rows(c, "SELECT count(*), count(f) FROM gen_domains"),
                        "columns the query does not read are not checked; a NULL passes CHECK (VALUE > 0)");
                PSQLException e = Sql.expectError(c, "23502", "SELECT id, r FROM gen_domains");
                assertTrue(e.getMessage().contains("domain required_id does not allow null values"), e.getMessage());
                assertTrue(e.getServerErrorMessage().getWhere().contains("column \"r\""),
                        e.getServerErrorMessage().getWhere());
                e = Sql.expectError(c, "23514", "SELECT id, k FROM gen_domains");
                assertTrue(e.getMessage().contains("value for domain checked_id violates check constraint"),
                        e.getMessage());
                assertEquals("1", Sql.value(c, "SELECT 1"));
            }
        }
    }

    @Test
    void tooLongVarcharIsAnError() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "faulty");
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS faulty_short (id int8, bad varchar(3)) SERVER faulty "
                    + "OPTIONS (fail_in 'iterate', error 'pg', bad_value 'four')");
            PSQLException e = Sql.expectError(c, "22001", "SELECT * FROM faulty_short");
            assertTrue(e.getMessage().contains("value too long for type character varying(3)"), e.getMessage());
            assertTrue(e.getServerErrorMessage().getDetail().contains("\"bad\""), e.getServerErrorMessage().getDetail());
        }
    }

    @Test
    void integerOverflowIsAnError() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "faulty");
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS faulty_overflow (id int8, v int4) SERVER faulty "
                    + "OPTIONS (scale '1000000000')");
            PSQLException e = Sql.expectError(c, "22003", "SELECT * FROM faulty_overflow");
            assertTrue(e.getMessage().contains("value \"3000000000\" is out of range for type integer"),
                    e.getMessage());
        }
    }

    /**
     * A Java value into a column of another type is read as PostgreSQL reads
     * it: an offset date-time keeps its own wall-clock time in a date or a
     * timestamp and its offset in timetz; a float32 its own digits; a
     * decimal is rounded once into real; an interval's fields keep their
     * signs in any IntervalStyle.
     */
    @ParameterizedTest(name = "{0} into {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "offset_date_time|date|'2024-01-01T01:00:00+05:00'",
        "offset_date_time|timestamp|'2024-01-01T01:00:00+05:00'",
        "offset_date_time|timetz|'01:00:00+05'",
        "offset_date_time|timestamptz|'2024-01-01T01:00:00+05:00'",
        "offset_date_time|text|'2024-01-01 01:00:00+05:00'",
        "zoned_date_time|timestamp|'2024-07-01 23:30:00'",
        "zoned_date_time|timestamptz|'2024-07-01 23:30:00-04'",
        "float|numeric|1.1::float4",
        "float|text|'1.1'",
        "float|float8|1.1::float4",
        "decimal|float4|'1.0000000596046447753906251'",
        "interval|interval|'-1 mons +2 days +3 microseconds'",
        "interval|interval(6)|'-1 mons +2 days +3 microseconds'",
        "period|interval(6)|'-1 mons +2 days'"})
    void valuesOfOneTypeIntoColumnsOfAnother(String value, String type, String sql) throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "values");
            Sql.execute(c, "SET TimeZone = 'Asia/Tokyo'", "SET IntervalStyle = 'sql_standard'",
                    "DROP FOREIGN TABLE IF EXISTS vals",
                    "CREATE FOREIGN TABLE vals (v " + type + ") SERVER values OPTIONS (value '" + value + "')");
            assertEquals(Sql.value(c, "SELECT (" + sql + ")::" + type + "::text"), Sql.value(c, "SELECT v::text FROM vals"));
        }
    }

    /** Values beyond a type's range are PostgreSQL's range errors, not a Java exception's XX000. */
    @ParameterizedTest(name = "{0} into {1}")
    @CsvSource(delimiter = '|', value = {
        "huge_period|interval", "huge_days|timestamp", "huge_days|text", "before_timestamps|timestamp(0)"})
    void valuesOutOfRangeAreRangeErrors(String value, String type) throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "values");
            Sql.execute(c, "DROP FOREIGN TABLE IF EXISTS vals_bad",
                    "CREATE FOREIGN TABLE vals_bad (v " + type + ") SERVER values OPTIONS (value '" + value + "')");
            Sql.expectError(c, "22008", "SELECT * FROM vals_bad");
        }
    }
}
