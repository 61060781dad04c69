package dev.jfdw.tests;

import static dev.jfdw.testkit.Sql.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfdw.testkit.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Queries over the generator connector, checked against the same rows computed in SQL. */
class QueriesIT extends ClusterTest {
    /** The generator's rows for (id int8, label text, score float8, ts timestamptz), computed by PostgreSQL. */
    private static final String EXPECTED = "SELECT n::int8, 'row ' || n, n / 4.0::float8, "
            + "timestamptz '2000-01-01 00:00:00+00' + n * interval '1 second' FROM generate_series(1, %d) n";

    @BeforeEach
    void tables() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "generator");
            Sql.execute(c,
                    "CREATE FOREIGN TABLE IF NOT EXISTS q_gen (id int8, label text, score float8, ts timestamptz) "
                            + "SERVER generator OPTIONS (rows '1000')",
                    "CREATE FOREIGN TABLE IF NOT EXISTS q_gen_row (id int8, label text, score float8, ts timestamptz) "
                            + "SERVER generator OPTIONS (rows '1000', batch_size '1')",
                    "CREATE FOREIGN TABLE IF NOT EXISTS q_gen100 (id int8) SERVER generator OPTIONS (rows '100')",
                    "CREATE TABLE IF NOT EXISTS q_heap AS SELECT n::int8 AS id, 'name ' || n AS name "
                            + "FROM generate_series(1, 200, 2) n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"q_gen", "q_gen_row"})
    void generatorRowsEqualTheSameRowsComputedInSql(String table) throws Exception {
        try (Connection c = cluster.connect()) {
            String expected = EXPECTED.formatted(1000);
            assertEquals(0, Sql.longValue(c, "SELECT count(*) FROM ((SELECT * FROM " + table + ") EXCEPT ALL ("
                    + expected + ")) x"));
            assertEquals(0, Sql.longValue(c, "SELECT count(*) FROM ((" + expected + ") EXCEPT ALL (SELECT * FROM "
                    + table + ")) x"));
            assertEquals(row("1000", "500500"), Sql.rows(c, "SELECT count(*), sum(id) FROM " + table).getFirst());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hash", "merge", "nestloop"})
    void joinsWithAHeapTable(String join) throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "SET enable_hashjoin = " + join.equals("hash"),
                    "SET enable_mergejoin = " + join.equals("merge"),
                    "SET enable_nestloop = " + join.equals("nestloop"));
            String query = "SELECT count(*), sum(g.id), min(h.name), max(g.label) FROM q_gen g JOIN q_heap h ON g.id = h.id";
            String plan = String.join("\n", Sql.rows(c, "EXPLAIN " + query).stream().map(List::getFirst).toList());
            assertTrue(plan.contains(switch (join) {
                case "hash" -> "Hash Join";
                case "merge" -> "Merge Join";
                default -> "Nested Loop";
            }), plan);
            assertEquals(row("100", "10000", "name 1", "row 99"), Sql.rows(c, query).getFirst());
        }
    }

    @Test
    void aCorrelatedSubqueryRescansTheForeignScan() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "SET enable_hashjoin = off", "SET enable_mergejoin = off", "SET enable_material = off");
            // the foreign scan is a SubPlan, rescanned once per outer row
            String query = "SELECT h.id, (SELECT count(*) FROM q_gen100 g WHERE g.id <= h.id) FROM q_heap h "
                    + "WHERE h.id < 10 ORDER BY h.id";
            String analyze = String.join("\n",
                    Sql.rows(c, "EXPLAIN ANALYZE " + query).stream().map(List::getFirst).toList());
            assertTrue(analyze.matches("(?s).*Foreign Scan on q_gen100 g .*loops=5\\).*"), analyze);
            assertEquals(List.of(row("1", "1"), row("3", "3"), row("5", "5"), row("7", "7"), row("9", "9")),
                    Sql.rows(c, query));
        }
    }

    /**
     * A LATERAL subquery over the foreign table whose output uses the outer
     * row (a placeholder the scan evaluates): the scan must run where the
     * outer values are, as the inner side of a nested loop, and give what
     * the same query gives over a heap copy of the rows.
     */
    @Test
    void lateralReferencesSeeTheOuterRow() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "CREATE TABLE IF NOT EXISTS q_gen_heap AS SELECT * FROM q_gen",
                    "CREATE TABLE IF NOT EXISTS q_outer AS SELECT x::int8 FROM (VALUES (1), (2), (NULL)) v(x)",
                    "ANALYZE q_gen_heap", "ANALYZE q_outer");
            String query = "SELECT o.x, l.* FROM q_outer o LEFT JOIN LATERAL (SELECT g.id, g.label, "
                    + "coalesce(o.x * 1000, 42) AS y, coalesce(g.label || '/' || o.x, g.label) AS z FROM %s g) l "
                    + "ON l.id = o.x + 5 ORDER BY o.x";
            List<List<String>> expected = Sql.rows(c, query.formatted("q_gen_heap"));
            assertEquals(List.of(row("1", "6", "row 6", "1000", "row 6/1"), row("2", "7", "row 7", "2000", "row 7/2"),
                    row(null, null, null, null, null)), expected);
            String plan = String.join("\n",
                    Sql.rows(c, "EXPLAIN " + query.formatted("q_gen")).stream().map(List::getFirst).toList());
            assertTrue(plan.contains("Nested Loop"), plan);
            assertEquals(expected, Sql.rows(c, query.formatted("q_gen")));
        }
    }

    /**
     * The columnar batch API (Rows.columns): the generator's columnar mode
     * must give exactly the rows of its row-by-row mode, for every type it
     * hands over as a vector and those it writes row by row, with NULLs, at
     * several batch sizes (batches smaller than its 4096-row vectors take
     * them in pieces), and under LIMIT and nested-loop rescans.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 100, 1000, 10000})
    void columnarBatchesGiveTheSameRowsAsRowByRow(int batchSize) throws Exception {
        String columns = "a int2, b int4, c int8, d float4, e float8, f bool, g date, h time, i timestamp, "
                + "j timestamptz, k text, l numeric, m varchar(20), n uuid, o bytea, p interval";
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DROP FOREIGN TABLE IF EXISTS col_c, col_r",
                    "CREATE FOREIGN TABLE col_c (" + columns + ") SERVER generator OPTIONS (rows '10000', "
                            + "columnar 'true', null_every '7', batch_size '" + batchSize + "')",
                    "CREATE FOREIGN TABLE col_r (" + columns + ") SERVER generator OPTIONS (rows '10000', "
                            + "null_every '7')");
            // the two modes differ in how the rows crossed over, or this compares the row path with itself
            String columnar = Sql.plan(c, "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF", "SELECT * FROM col_c");
            // a batch of one row is the scan slot itself: the vectors' values are converted in Java
            assertTrue(columnar.contains(batchSize > 1 ? "Rows From Columns: 10000"
                    : "Columns Converted in Java: a, b, c, d"), columnar);
            String byRow = Sql.plan(c, "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF", "SELECT * FROM col_r");
            assertFalse(byRow.contains("Rows From Columns"), byRow);
            assertEquals("0", Sql.value(c, "SELECT count(*) FROM (SELECT * FROM col_c EXCEPT ALL SELECT * FROM col_r) x"));
            assertEquals("0", Sql.value(c, "SELECT count(*) FROM (SELECT * FROM col_r EXCEPT ALL SELECT * FROM col_c) x"));
            assertEquals(Sql.rows(c, "SELECT * FROM col_r LIMIT 5"), Sql.rows(c, "SELECT * FROM col_c LIMIT 5"));
            Sql.execute(c, "SET enable_hashjoin = off", "SET enable_mergejoin = off", "SET enable_material = off");
            String join = "SELECT s, count(*), sum(t.c), max(t.k) FROM generate_series(1, 3) s "
                    + "JOIN %s t ON t.c <= s * 5 GROUP BY s ORDER BY s";
            List<List<String>> joined = Sql.rows(c, join.formatted("col_c"));
            assertEquals(Sql.rows(c, join.formatted("col_r")), joined);
            // the generator's int8 column counts 1, 2, ... with every 7th row NULL, whichever path wrote it
            assertEquals(Sql.rows(c, "SELECT s, count(*), sum(n) FROM generate_series(1, 3) s "
                    + "JOIN generate_series(1, 10000) n ON n % 7 <> 0 AND n <= s * 5 GROUP BY s ORDER BY s"),
                    joined.stream().map(r -> r.subList(0, 3)).toList());
            assertTrue(Sql.plan(c, "", join.formatted("col_c")).contains("Nested Loop"));
        }
    }

    /**
     * A scan whose batches take turns: vectors with a column written row by
     * row, vectors only, rows written one by one (MixedBatchesConnector). The
     * glue converts a columnar batch into the arrays row batches use; what
     * one batch leaves there must not show through in the next: its NULLs,
     * and a row batch's unset columns, are NULL.
     */
    @ParameterizedTest
    @ValueSource(ints = {1000, 5000})
    void columnarAndRowBatchesMixInOneScan(int count) throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "mixed");
            Sql.execute(c, "DROP FOREIGN TABLE IF EXISTS mixed_t",
                    "CREATE FOREIGN TABLE mixed_t (id int8, val int8, tag text) SERVER mixed OPTIONS (count '" + count + "')");
            assertEquals(row(String.valueOf(count), String.valueOf((long) count * (count + 1) / 2), "t", "t", "t"),
                    Sql.rows(c, "SELECT count(*), sum(id), bool_and((val IS NULL) = (id % 3 = 0)), "
                            + "bool_and(val IS NULL OR val = id * 10), bool_and(tag IS NULL OR tag = 'c' || id) "
                            + "FROM mixed_t").getFirst());
            List<String> batches = Sql.rows(c, "SELECT count(*) FILTER (WHERE tag IS NULL) > 0, "
                    + "count(*) FILTER (WHERE tag IS NOT NULL) > 0 FROM mixed_t").getFirst();
            assertEquals(List.of("t", "t"), batches, "both kinds of batch ran");
        }
    }

    /** Vectors the glue reads itself are checked in Java first: a bad one is an ERROR naming the row, never a wrong Datum. */
    @Test
    void columnVectorsAreCheckedBeforeTheGlueReadsThem() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "vectors");
            for (String kind : List.of("good", "ts_out_of_range", "offsets_backwards", "split_utf8", "heap", "caught",
                    "freed")) {
                Sql.execute(c, "DROP FOREIGN TABLE IF EXISTS v_" + kind,
                        "CREATE FOREIGN TABLE v_" + kind + " (id int8, ts timestamptz, s text) SERVER vectors "
                                + "OPTIONS (vectors '" + kind + "')");
            }
            // NULL timestamps hold Long.MIN_VALUE: out of range, but under a NULL
            assertEquals(row("2500", "3126250", "1875", "t", "2000", "t"), Sql.rows(c,
                    "SELECT count(*), sum(id), count(ts), bool_and(ts IS NULL OR ts = to_timestamp(id)), count(s), "
                            + "bool_and(s IS NULL OR s = 'é' || id) FROM v_good").getFirst());
            assertTrue(Sql.expectError(c, "22008", "SELECT * FROM v_ts_out_of_range").getServerErrorMessage()
                    .getDetail().contains("Column \"ts\", row 1234."));
            assertTrue(Sql.expectError(c, "XX000", "SELECT * FROM v_offsets_backwards").getMessage()
                    .contains("bad vector for column \"s\": offsets go backwards at row 1500"));
            assertTrue(Sql.expectError(c, "22021", "SELECT * FROM v_split_utf8").getServerErrorMessage()
                    .getDetail().contains("Column \"s\", row 1997."));
            // vectors in Java arrays are converted in Java; a bad vector whose error the connector catches
            // leaves its column to be written row by row: the same rows either way
            String good = "SELECT count(*), sum(id), count(ts), bool_and(ts IS NULL OR ts = to_timestamp(id)), "
                    + "count(s), bool_and(s IS NULL OR s = 'é' || id) FROM v_";
            for (String kind : List.of("heap", "caught")) {
                assertEquals(row("2500", "3126250", "1875", "t", "2000", "t"), Sql.rows(c, good + kind).getFirst(), kind);
            }
            // memory freed before the glue reads it is an ERROR, not a read of freed memory
            assertTrue(Sql.expectError(c, "XX000", "SELECT sum(id) FROM v_freed").getMessage()
                    .contains("was freed before PostgreSQL read it"));
            assertEquals("1", Sql.value(c, "SELECT 1"));
        }
    }

    /** Decimal vectors of every width: each digit, sign and the scale kept, beyond a long too. */
    @Test
    void decimalVectorsKeepEveryDigit() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "vectors");
            for (String width : List.of("3", "4", "8", "16")) {
                Sql.execute(c, "DROP FOREIGN TABLE IF EXISTS v_decimals" + width,
                        "CREATE FOREIGN TABLE v_decimals" + width + " (id numeric, ts timestamptz, s text) "
                                + "SERVER vectors OPTIONS (vectors 'decimals" + width + "', batch_size '1000')");
            }
            for (String width : List.of("4", "8", "16")) {
                String first = width.equals("16") ? "184467440737095516.17" : "-0.01";
                assertEquals(row("2500", "0"), Sql.rows(c, "SELECT count(*), count(*) FILTER (WHERE id::text IS "
                        + "DISTINCT FROM CASE WHEN n = 1 THEN '" + first + "' ELSE (CASE WHEN n % 2 = 1 THEN -n ELSE n "
                        + "END * 0.01)::text END) FROM (SELECT id, row_number() OVER () AS n FROM v_decimals" + width
                        + ") x").getFirst(), width);
            }
            assertTrue(Sql.expectError(c, "XX000", "SELECT * FROM v_decimals3").getMessage()
                    .contains("bad vector for column \"id\": decimals of 3 bytes (4, 8, 16 or 32)"));
        }
    }

    /**
     * Dictionary-encoded vectors: values the glue makes once per batch and
     * shares between rows, or copies row by row, or (with NULL values in
     * the dictionary) converted in Java; the same checks as plain vectors,
     * naming the row, and an index past the dictionary's end an ERROR.
     */
    @Test
    void dictionaryVectorsGiveTheRowsTheirValues() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "vectors");
            for (String kind : List.of("dictionary_ts_out_of_range", "dictionary_split_utf8", "dictionary_outside")) {
                Sql.execute(c, "DROP FOREIGN TABLE IF EXISTS v_" + kind,
                        "CREATE FOREIGN TABLE v_" + kind + " (id int8, ts timestamptz, s text) SERVER vectors "
                                + "OPTIONS (vectors '" + kind + "')");
            }
            for (String size : List.of("100", "1000", "5000")) {
                for (String kind : List.of("dictionary", "dictionary_few", "dictionary_null_value")) {
                    Sql.execute(c, "DROP FOREIGN TABLE IF EXISTS v_" + kind + size,
                            "CREATE FOREIGN TABLE v_" + kind + size + " (id int8, ts timestamptz, s text) SERVER vectors "
                                    + "OPTIONS (vectors '" + kind + "', batch_size '" + size + "')");
                }
                assertEquals(row("2500", "3126250", "1875", "t", "2000", "t"), Sql.rows(c,
                        "SELECT count(*), sum(id), count(ts), bool_and(ts IS NULL OR ts = to_timestamp(2501 - id)), "
                                + "count(s), bool_and(s IS NULL OR s = CASE WHEN (2501 - id) % 5 = 0 THEN '' "
                                + "ELSE 'é' || (2501 - id) END) FROM v_dictionary" + size).getFirst(), size);
                for (String kind : List.of("few", "null_value")) {
                    String nulls = kind.equals("few") ? "id % 5 = 0" : "id % 5 = 0 OR id % 7 = 0";
                    assertEquals(row("2500", "t", "t"), Sql.rows(c, "SELECT count(*), bool_and((s IS NULL) = (" + nulls
                            + ")), bool_and(s IS NULL OR s = 'é' || id % 7) FROM v_dictionary_" + kind + size).getFirst(),
                            kind + " " + size);
                }
            }
            assertTrue(Sql.expectError(c, "22008", "SELECT * FROM v_dictionary_ts_out_of_range").getServerErrorMessage()
                    .getDetail().contains("Column \"ts\", row 1265."));
            assertTrue(Sql.expectError(c, "22021", "SELECT * FROM v_dictionary_split_utf8").getServerErrorMessage()
                    .getDetail().contains("Column \"s\", row 501."));
            assertTrue(Sql.expectError(c, "XX000", "SELECT * FROM v_dictionary_outside").getMessage()
                    .contains("bad vector for column \"s\": row 1700 has dictionary index 2500, outside the dictionary "
                            + "of 2500 values"));
            assertEquals("1", Sql.value(c, "SELECT 1"));
        }
    }

    @Test
    void twoJfdwScansInOneQuery() throws Exception {
        try (Connection c = cluster.connect()) {
            assertEquals(row("100", "5050", "1000"), Sql.rows(c,
                    "SELECT count(*), sum(a.id), max(m.id) FROM q_gen100 a JOIN q_gen b ON a.id = b.id "
                            + "CROSS JOIN (SELECT max(id) AS id FROM q_gen_row) m WHERE m.id = 1000").getFirst());
            assertEquals("2000", Sql.value(c, "SELECT count(*) FROM (SELECT id FROM q_gen UNION ALL "
                    + "SELECT id FROM q_gen_row) u"));
        }
    }

    @Test
    void preparedStatementWithAGenericPlanRunsManyTimes() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("prepareThreshold", "1");
        try (Connection c = java.sql.DriverManager.getConnection(cluster.jdbcUrl(), p)) {
            Sql.execute(c, "SET plan_cache_mode = force_generic_plan");
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*), sum(id) FROM q_gen WHERE id <= ?")) {
                for (int i = 1; i <= 12; i++) {
                    ps.setLong(1, i * 10L);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertEquals(i * 10L, rs.getLong(1));
                        assertEquals((i * 10L) * (i * 10L + 1) / 2, rs.getLong(2));
                    }
                }
            }
            Sql.execute(c, "PREPARE q_by_id(int8) AS SELECT label FROM q_gen WHERE id = $1");
            assertTrue(String.join("\n", Sql.rows(c, "EXPLAIN EXECUTE q_by_id(5)").stream().map(List::getFirst)
                    .toList()).contains("$1"), "the plan is generic");
            for (int i = 1; i <= 12; i++) {
                assertEquals("row " + i, Sql.value(c, "EXECUTE q_by_id(" + i + ")"));
            }
        }
    }

    @Test
    void planCachedAcrossTransactionsAndInvalidatedByAlter() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c,
                    "CREATE FOREIGN TABLE IF NOT EXISTS q_alter (id int8) SERVER generator OPTIONS (rows '10')",
                    "ALTER FOREIGN TABLE q_alter OPTIONS (SET rows '10')",
                    "PREPARE q_count AS SELECT count(*) FROM q_alter");
            for (int i = 0; i < 3; i++) {
                Sql.execute(c, "BEGIN");
                assertEquals("10", Sql.value(c, "EXECUTE q_count"));
                Sql.execute(c, "COMMIT");
            }
            Sql.execute(c, "ALTER FOREIGN TABLE q_alter OPTIONS (SET rows '7')");
            assertEquals("7", Sql.value(c, "EXECUTE q_count"));
        }
    }

    @Test
    void plpgsqlLoopsOverForeignTables() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, """
                    CREATE OR REPLACE FUNCTION q_loop(times int) RETURNS int8 LANGUAGE plpgsql AS $$
                    DECLARE total int8 := 0; r record;
                    BEGIN
                      FOR i IN 1..times LOOP
                        SELECT sum(id) AS s INTO r FROM q_gen100 WHERE id <= i;
                        total := total + r.s;
                        FOR r IN SELECT id FROM q_gen_row WHERE id <= 2 LOOP
                          total := total + r.id;
                        END LOOP;
                      END LOOP;
                      RETURN total;
                    END $$""");
            // sum over i of i(i+1)/2, plus 3 per iteration
            long expected = 0;
            for (int i = 1; i <= 25; i++) {
                expected += (long) i * (i + 1) / 2 + 3;
            }
            assertEquals(Long.toString(expected), Sql.value(c, "SELECT q_loop(25)"));
            assertEquals(Long.toString(expected), Sql.value(c, "SELECT q_loop(25)"));
        }
    }

    @Test
    void limitReturnsEarlyFromAHugeTable() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS q_huge (id int8) SERVER generator "
                    + "OPTIONS (rows '9223372036854775807')", "SET statement_timeout = '60s'"); // a failure, not a hang
            assertEquals(List.of(row("1"), row("2"), row("3")), Sql.rows(c, "SELECT id FROM q_huge LIMIT 3"));
        }
    }

    /**
     * Row data (text, numeric, ...) lives for a batch, or a row: the
     * backend's memory, sampled every 250,000 rows of a 2M-row scan that
     * reads every column, stays where it was (were it kept, 2M rows of
     * these columns would be some 80 MB).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"batch_size '1'", "batch_size '1000'", "columnar 'true'"})
    void rowDataDoesNotPileUpOverAScan(String mode) throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DROP FOREIGN TABLE IF EXISTS q_memory",
                    "CREATE FOREIGN TABLE q_memory (id int8, label text, amount numeric, ts timestamptz) "
                            + "SERVER generator OPTIONS (rows '2000000', " + mode + ")");
            // a correlated subquery, so that it runs at each sampled row, while the scan is under way
            List<Long> bytes = Sql.rows(c, "SELECT (SELECT sum(total_bytes) FROM pg_backend_memory_contexts "
                    + "WHERE id > 0) FROM q_memory WHERE id % 250000 = 0 AND length(label) > 0 AND amount + 1 > 0 "
                    + "AND ts + interval '1 day' > ts").stream().map(r -> Long.parseLong(r.getFirst())).toList();
            assertEquals(8, bytes.size());
            long growth = java.util.Collections.max(bytes) - bytes.getFirst();
            assertTrue(growth < 1 << 20, "the backend's memory grew " + growth + " bytes over the scan: " + bytes);
        }
    }

    /**
     * The generator fills every column type a table declares: a domain with
     * its base type's value, an enum with its labels in turn, an array with
     * one element; values fit the column's modifier. Each equals the SQL
     * computing it for row n, in the row-by-row and columnar paths.
     */
    @ParameterizedTest(name = "columnar {0}")
    @ValueSource(booleans = {false, true})
    void generatorFillsDomainsEnumsArraysAndModifiers(boolean columnar) throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DROP FOREIGN TABLE IF EXISTS q_kinds", "DROP TYPE IF EXISTS q_mood",
                    "DROP DOMAIN IF EXISTS q_positive", "DROP DOMAIN IF EXISTS q_label",
                    "CREATE TYPE q_mood AS ENUM ('sad', 'ok', 'happy')",
                    "ALTER TYPE q_mood ADD VALUE 'meh' BEFORE 'ok'",
                    "CREATE DOMAIN q_positive AS int8 NOT NULL CHECK (VALUE > 0)",
                    "CREATE DOMAIN q_label AS varchar(5)",
                    "CREATE FOREIGN TABLE q_kinds (p q_positive, mood q_mood, l q_label, v varchar(3), ch char(2), "
                            + "m numeric(4, 1), w numeric(2, 1), ids int8[], names text[], days date[], moods q_mood[], ts timestamptz) "
                            + "SERVER generator OPTIONS (rows '1003', columnar '" + columnar + "')");
            String expected = "SELECT n::int8, (enum_range(NULL::q_mood))[(n - 1) % 4 + 1], ('row ' || n)::varchar(5), "
                    + "('row ' || n)::varchar(3), ('row ' || n)::char(2), (round(n / 100.0, 1) % 1000)::numeric(4, 1), "
                    + "(round(n / 100.0, 1) % 10)::numeric(2, 1), "
                    + "ARRAY[n::int8], ARRAY['row ' || n], ARRAY[DATE '2000-01-01' + (n % 3000000)::int], "
                    + "ARRAY[(enum_range(NULL::q_mood))[(n - 1) % 4 + 1]], "
                    + "TIMESTAMPTZ '2000-01-01 00:00:00+00' + n * INTERVAL '1 second' FROM generate_series(1, 1003) n";
            assertEquals(0, Sql.longValue(c, "SELECT count(*) FROM ((SELECT * FROM q_kinds) EXCEPT ALL (" + expected
                    + ")) x"));
            assertEquals(0, Sql.longValue(c, "SELECT count(*) FROM ((" + expected + ") EXCEPT ALL (SELECT * FROM q_kinds)) x"));
            assertEquals(row("meh", "{meh}", "row", "ro"), Sql.rows(c, "SELECT mood, moods, v, ch FROM q_kinds WHERE p = 2")
                    .getFirst());
            String plan = Sql.plan(c, "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF", "SELECT * FROM q_kinds");
            assertEquals(columnar, plan.contains("Rows From Columns: 1003"), plan);
        }
    }

    /** The largest batch_size over a wide table: batches are cut to a number of values, not the JVM's heap. */
    @Test
    void theLargestBatchOfAWideTableFits() throws Exception {
        StringBuilder columns = new StringBuilder("c1 int8");
        for (int i = 2; i <= 1600; i++) {
            columns.append(", c").append(i).append(" int8");
        }
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DROP FOREIGN TABLE IF EXISTS q_wide", "CREATE FOREIGN TABLE q_wide (" + columns + ") "
                    + "SERVER generator OPTIONS (rows '10', batch_size '100000')");
            assertEquals("10", Sql.value(c, "SELECT count(*) FROM q_wide"));
            assertEquals(List.of(row("1", "1"), row("2", "2")), Sql.rows(c, "SELECT c1, c1600 FROM q_wide LIMIT 2"));
            assertEquals("55", Sql.value(c, "SELECT sum(c800) FROM q_wide"));
            String plan = Sql.plan(c, "VERBOSE", "SELECT c1 FROM q_wide");
            assertTrue(plan.contains("Batch Size: 655 rows"), "2^20 values / 1600 columns: " + plan);
        }
    }

    @Test
    void explainShowsTheConnector() throws Exception {
        try (Connection c = cluster.connect()) {
            String plain = String.join("\n", Sql.rows(c, "EXPLAIN SELECT * FROM q_gen").stream()
                    .map(List::getFirst).toList());
            assertTrue(plain.contains("Foreign Scan on q_gen") && plain.contains("Connector: generator")
                    && plain.contains("rows=1000"), plain);
            String verbose = String.join("\n", Sql.rows(c, "EXPLAIN (VERBOSE) SELECT * FROM q_gen_row").stream()
                    .map(List::getFirst).toList());
            assertTrue(verbose.contains("Batch Size: 1 rows"), verbose);
            String json = Sql.value(c, "EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM q_gen");
            assertTrue(json.contains("\"Connector\": \"generator\"") && json.contains("\"Actual Rows\": 1000"), json);
        }
    }

    @Test
    void nullEveryMakesNulls() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS q_nulls (id int8, label text OPTIONS (null_every '2')) "
                    + "SERVER generator OPTIONS (rows '10', null_every '5')");
            assertEquals(row("8", "5"), Sql.rows(c, "SELECT count(id), count(label) FROM q_nulls").getFirst());
        }
    }
}
