package dev.jfdw.tests;

import static dev.jfdw.testkit.Sql.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfdw.testkit.Sql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;

/**
 * The Connector SPI on the numbers test connector, which applies the quals
 * on id, label and flag itself, returns rows in id order and stops at a
 * pushed-down limit. Every query's result is checked against the same rows
 * in a heap table; EXPLAIN ANALYZE shows how many rows the connector itself
 * produced, which tells its filtering from PostgreSQL's.
 */
class SpiIT extends ClusterTest {
    private static final String COLUMNS = "id, grp, label, flag, note";

    @BeforeEach
    void tables() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "numbers");
            Sql.execute(c,
                    "CREATE FOREIGN TABLE IF NOT EXISTS nums (id int8, grp int4, label text, flag bool, note text) "
                            + "SERVER numbers OPTIONS (count '1000')",
                    "CREATE TABLE IF NOT EXISTS nums_heap AS SELECT n::int8 AS id, (n % 7)::int4 AS grp, "
                            + "'item-' || n AS label, n % 2 = 0 AS flag, "
                            + "CASE WHEN n % 5 = 0 THEN NULL ELSE 'n' || n END AS note FROM generate_series(1, 1000) n");
        }
    }

    private static long produced(String plan) {
        Matcher m = Pattern.compile("Rows Produced: (\\d+)").matcher(plan);
        assertTrue(m.find(), plan);
        return Long.parseLong(m.group(1));
    }

    private static void sameRows(Connection c, String where) throws Exception {
        String order = " ORDER BY id";
        assertEquals(Sql.rows(c, "SELECT " + COLUMNS + " FROM nums_heap WHERE " + where + order),
                Sql.rows(c, "SELECT " + COLUMNS + " FROM nums WHERE " + where + order), where);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"id = 42", "id <> 1", "id < 10", "id <= 10", "10 > id", "id > 990", "id >= 990",
            "id BETWEEN 100 AND 110", "id IN (1, 5, 2000)", "id = ANY ('{3,4,NULL}')", "id IS NULL",
            "id IS NOT NULL AND id < 3", "label = 'item-77'", "label LIKE 'item-9_'",
            "label NOT LIKE 'item-1%' AND id < 30", "label ILIKE 'ITEM-9_'", "label NOT ILIKE 'ITEM-1%' AND id < 30", "label < 'item-2' COLLATE \"C\" AND id < 30",
            "flag AND id < 20", "NOT flag AND id < 20", "flag = false AND id <= 4"})
    void theConnectorAppliesTheQualsItHandles(String where) throws Exception {
        try (Connection c = cluster.connect()) {
            sameRows(c, where);
            String plan = Sql.plan(c, "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF", "SELECT * FROM nums WHERE " + where);
            assertTrue(plan.contains("Pushed Down: "), plan);
            assertFalse(plan.contains("Filter:"), plan);
            long count = Sql.longValue(c, "SELECT count(*) FROM nums_heap WHERE " + where);
            assertEquals(count, produced(plan), "the connector, not PostgreSQL, filtered: " + plan);
        }
    }

    /** A qual whose text passes 64 kB (a long IN list an ORM writes) is planned, pushed and shown whole. */
    @Test
    void aQualOfAnyLengthIsPlanned() throws Exception {
        String ids = java.util.stream.IntStream.rangeClosed(1, 13_000).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(", "));
        try (Connection c = cluster.connect()) {
            sameRows(c, "id IN (" + ids + ")");
            String plan = Sql.plan(c, "COSTS OFF", "SELECT * FROM nums WHERE id IN (" + ids + ")");
            assertTrue(plan.contains("Pushed Down: (id IN (1, 2, 3, ") && plan.contains(", 12999, 13000))"), plan);
        }
    }

    @Test
    void postgresChecksWhatTheConnectorLeaves() throws Exception {
        try (Connection c = cluster.connect()) {
            String where = "id < 50 AND grp = 3";
            sameRows(c, where);
            String plan = Sql.plan(c, "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF", "SELECT * FROM nums WHERE " + where);
            assertTrue(plan.contains("Pushed Down: (id < 50)"), plan);
            assertTrue(plan.contains("Filter: (grp = 3)"), plan);
            assertEquals(49, produced(plan));
        }
    }

    @Test
    void textComparisonsTheConnectorCouldGetWrongStayWithPostgres() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DROP COLLATION IF EXISTS spi_ci", "CREATE COLLATION spi_ci "
                    + "(provider = icu, locale = 'und-u-ks-level2', deterministic = false)");
            // a linguistic ordering is not Java's; a case-insensitive equality is not String.equals
            for (String where : List.of("label < 'item-2' COLLATE \"und-x-icu\" AND id < 30",
                    "label = 'ITEM-5' COLLATE spi_ci AND id < 30")) {
                sameRows(c, where);
                String plan = Sql.plan(c, "COSTS OFF", "SELECT * FROM nums WHERE " + where);
                assertTrue(plan.contains("Pushed Down: (id < 30)"), plan);
                assertTrue(plan.contains("Filter: (label"), plan);
            }
            assertEquals(List.of(row("5")), Sql.rows(c, "SELECT id FROM nums WHERE label = 'ITEM-5' COLLATE spi_ci"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"id + 0 = 5", "lower(label) = 'item-5'", "id = grp", "id < 3 OR id > 998",
            "note IS NULL AND grp = 1", "id::numeric < 2.5", "id < random() * 4", "note ILIKE 'N9%'"})
    void whatDoesNotFitTheModelStaysWithPostgres(String where) throws Exception {
        try (Connection c = cluster.connect()) {
            if (!where.contains("random")) {
                sameRows(c, where);
            }
            String plan = Sql.plan(c, "COSTS OFF", "SELECT * FROM nums WHERE " + where);
            assertFalse(plan.contains("Pushed Down"), plan);
            assertTrue(plan.contains("Filter:"), plan);
        }
    }

    @Test
    void aPreparedStatementsParameterIsEvaluatedAtEachExecution() throws Exception {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("prepareThreshold", "1");
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(), props)) {
            Sql.execute(c, "SET plan_cache_mode = force_generic_plan");
            try (PreparedStatement ps = c.prepareStatement("SELECT label FROM nums WHERE id = ?")) {
                for (long id = 1; id <= 12; id++) {
                    ps.setLong(1, id * 77);
                    try (ResultSet rs = ps.executeQuery()) {
                        List<String> labels = new ArrayList<>();
                        while (rs.next()) {
                            labels.add(rs.getString(1));
                        }
                        assertEquals(id * 77 <= 1000 ? List.of("item-" + id * 77) : List.of(), labels);
                    }
                }
                ps.setNull(1, Types.BIGINT);
                try (ResultSet rs = ps.executeQuery()) {
                    assertFalse(rs.next(), "a NULL parameter matches no row");
                }
            }
            Sql.execute(c, "PREPARE by_id(int8) AS SELECT label FROM nums WHERE id = $1");
            String plan = Sql.plan(c, "COSTS OFF", "EXECUTE by_id(5)");
            assertTrue(plan.matches("(?s).*Pushed Down: \\(id = \\$\\d+\\)(\\n.*)?"), plan);
        }
    }

    @Test
    void aNestedLoopPassesTheOuterRowAsAParameter() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "SET enable_hashjoin = off", "SET enable_mergejoin = off",
                    "CREATE TEMP TABLE outer_ids AS SELECT * FROM (VALUES (3::int8), (50), (999), (5000)) v(x)",
                    "ANALYZE outer_ids");
            String query = "SELECT o.x, n.label FROM outer_ids o JOIN nums n ON n.id = o.x ORDER BY o.x";
            assertEquals(List.of(row("3", "item-3"), row("50", "item-50"), row("999", "item-999")),
                    Sql.rows(c, query));
            String plan = Sql.plan(c, "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF", query);
            assertTrue(plan.contains("Nested Loop"), plan);
            assertTrue(plan.matches("(?s).*Pushed Down: \\(id = \\$\\d+\\)(\\n.*)?"), plan);
            assertTrue(plan.matches("(?s).*Foreign Scan on nums n .*loops=4\\).*"), plan);
            assertTrue(plan.contains("Scans: 4"), plan);
            assertEquals(3, produced(plan), "one row per outer row that has a match: " + plan);
            assertFalse(plan.contains("Filter"), "the clause the scan applies is not checked again: " + plan);
            // an equivalence class derives the clause anew for the path: still applied once
            String derived = "SELECT o.x, n.label FROM outer_ids o JOIN nums n ON n.id = o.x + 0 ORDER BY o.x";
            assertEquals(Sql.rows(c, query), Sql.rows(c, derived));
            plan = Sql.plan(c, "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF", derived);
            assertTrue(plan.matches("(?s).*Pushed Down: \\(id = \\(\\$\\d+ \\+ 0\\)\\)(\\n.*)?"), plan);
            assertFalse(plan.contains("Filter"), plan);
        }
    }

    @Test
    void aCorrelatedSubqueryRescansWithFreshValues() throws Exception {
        try (Connection c = cluster.connect()) {
            String query = "SELECT h.id, (SELECT count(*) FROM nums n WHERE n.id <= h.id AND n.flag) "
                    + "FROM nums_heap h WHERE h.id IN (1, 2, 10, 11, 1000) ORDER BY h.id";
            assertEquals(List.of(row("1", "0"), row("2", "1"), row("10", "5"), row("11", "5"), row("1000", "500")),
                    Sql.rows(c, query));
            String plan = Sql.plan(c, "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF", query);
            assertTrue(plan.matches("(?s).*Pushed Down: \\(id <= \\$\\d+\\) AND \\(flag = true\\)(\\n.*)?"), plan);
            assertEquals(0 + 1 + 5 + 5 + 500, produced(plan), plan);
        }
    }

    /** Rows, costs and width reach the planner: ScanPlan.estimate's costs, and a width the connector states. */
    @Test
    void theConnectorsEstimatesAreThePlans() throws Exception {
        try (Connection c = cluster.connect()) {
            // estimate(1000): startup 10, total 10 + 1000 / 100; the width is PostgreSQL's, from the types
            String plain = Sql.plan(c, "", "SELECT * FROM nums");
            assertTrue(plain.contains("(cost=10.00..20.00 rows=1000 width="), plain);
            assertFalse(plain.contains("width=300)"), plain);
            // the quals it handles scale its row estimate by PostgreSQL's selectivity (no statistics: a third)
            String filtered = Sql.plan(c, "", "SELECT * FROM nums WHERE id < 100");
            assertTrue(filtered.contains("(cost=10.00..13.33 rows=333 width="), filtered);
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS nums_wide (id int8, label text) SERVER numbers "
                    + "OPTIONS (count '1000', row_width '300')");
            String wide = Sql.plan(c, "", "SELECT * FROM nums_wide");
            assertTrue(wide.contains("(cost=10.00..20.00 rows=1000 width=300)"), wide);
        }
    }

    @Test
    void rowsAlreadyInOrderNeedNoSort() throws Exception {
        try (Connection c = cluster.connect()) {
            for (String order : List.of("id", "id DESC", "id DESC NULLS LAST")) {
                String query = "SELECT id, label FROM nums WHERE id > 900 ORDER BY " + order;
                assertEquals(Sql.rows(c, "SELECT id, label FROM nums_heap WHERE id > 900 ORDER BY " + order),
                        Sql.rows(c, query), order);
                String plan = Sql.plan(c, "COSTS OFF", query);
                assertFalse(plan.contains("Sort"), plan);
            }
            String byLabel = "SELECT id, label FROM nums WHERE id < 20 ORDER BY label COLLATE \"C\"";
            assertTrue(Sql.plan(c, "COSTS OFF", byLabel).contains("Sort Key"));
            assertEquals(Sql.rows(c, byLabel.replace("nums", "nums_heap")), Sql.rows(c, byLabel));
        }
    }

    @Test
    void aLimitStopsTheScanWhenNothingElseFilters() throws Exception {
        try (Connection c = cluster.connect()) {
            String analyze = "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF";
            record Case(String query, Long pushed) {}
            for (Case k : List.of(
                    new Case("SELECT * FROM nums LIMIT 3", 3L),
                    new Case("SELECT id FROM nums WHERE id > 500 LIMIT 4", 4L),
                    // a qual of no column gates the whole scan, once, above it: no row is filtered
                    new Case("SELECT id FROM nums WHERE current_setting('search_path') <> '' LIMIT 3", 3L),
                    new Case("SELECT id FROM nums ORDER BY id DESC LIMIT 3 OFFSET 2", 5L),
                    new Case("SELECT id FROM nums WHERE grp = 1 LIMIT 3", null),
                    new Case("SELECT id FROM nums ORDER BY label COLLATE \"C\" LIMIT 3", null),
                    // every row ties with the second: WITH TIES returns them all
                    new Case("SELECT id FROM nums ORDER BY now() FETCH FIRST 2 ROWS WITH TIES", null))) {
                String plan = Sql.plan(c, analyze, k.query());
                if (k.pushed() != null) {
                    assertTrue(plan.contains("Limit Pushed Down: " + k.pushed()), plan);
                    assertEquals(k.pushed(), produced(plan), plan);
                } else {
                    assertFalse(plan.contains("Limit Pushed Down"), plan);
                }
            }
            assertEquals(List.of(row("998"), row("997"), row("996")),
                    Sql.rows(c, "SELECT id FROM nums ORDER BY id DESC LIMIT 3 OFFSET 2"));
            assertEquals(List.of(row("1"), row("8"), row("15")),
                    Sql.rows(c, "SELECT id FROM nums WHERE grp = 1 LIMIT 3"));
            assertEquals(List.of(row("1"), row("10"), row("100")),
                    Sql.rows(c, "SELECT id FROM nums ORDER BY label COLLATE \"C\" LIMIT 3"));
            // LIMIT plus OFFSET in integers: as a double, 2^53 + 1 would round to 2^53
            assertTrue(Sql.plan(c, "COSTS OFF", "SELECT id FROM nums LIMIT 1 OFFSET 9007199254740992")
                    .contains("Limit Pushed Down: 9007199254740993"));
            // the limit holds per pass: a LATERAL subquery rescans with each outer row, and each pass may
            // return as many rows again (and a min/max subplan is such a limit of 1)
            String lateral = "SELECT v.x, n.id FROM (VALUES (1), (2), (500), (999)) v(x), LATERAL (SELECT id FROM %s "
                    + "WHERE id >= v.x ORDER BY id DESC LIMIT 2) n ORDER BY v.x, n.id";
            assertTrue(Sql.plan(c, "COSTS OFF, VERBOSE", lateral.formatted("nums")).contains("Limit Pushed Down: 2"));
            assertEquals(Sql.rows(c, lateral.formatted("nums_heap")), Sql.rows(c, lateral.formatted("nums")));
            assertEquals(8, Sql.rows(c, lateral.formatted("nums")).size());
            String minMax = "SELECT v.x, (SELECT max(id) FROM %s WHERE id < v.x) FROM (VALUES (5), (700), (2000)) v(x)";
            assertEquals(Sql.rows(c, minMax.formatted("nums_heap")), Sql.rows(c, minMax.formatted("nums")));
            String ties = "SELECT count(*) FROM (SELECT id FROM %s ORDER BY now() FETCH FIRST 2 ROWS WITH TIES) t";
            assertEquals(Sql.value(c, ties.formatted("nums_heap")), Sql.value(c, ties.formatted("nums")));
            // a limit the planner only estimates (a stable expression) is not handed down: a cached plan
            // would stop every later execution at the first one's count
            Sql.execute(c, "SET jfdw_test.n = '2'",
                    "PREPARE stable_limit AS SELECT id FROM nums LIMIT current_setting('jfdw_test.n')::int");
            assertFalse(Sql.plan(c, "COSTS OFF", "EXECUTE stable_limit").contains("Limit Pushed Down"));
            assertEquals(2, Sql.rows(c, "EXECUTE stable_limit").size());
            Sql.execute(c, "SET jfdw_test.n = '5'");
            assertEquals(5, Sql.rows(c, "EXECUTE stable_limit").size());
        }
    }

    /**
     * UPDATE ... FROM a foreign table, with the join clause handed to the
     * connector as a nested loop's parameter: when a concurrent update
     * changes the joined row, EvalPlanQual rechecks the foreign row it kept
     * against the clauses the connector applied, and the stale match goes.
     */
    @Test
    void aConcurrentUpdateIsRecheckedAgainstTheQualsTheConnectorApplied() throws Exception {
        try (Connection first = cluster.connect(); Connection second = cluster.connect()) {
            Sql.execute(first, "DROP TABLE IF EXISTS epq_local",
                    "CREATE TABLE epq_local (id int PRIMARY KEY, fid int8, x text)",
                    "INSERT INTO epq_local VALUES (1, 1, NULL)");
            Sql.execute(second, "SET enable_hashjoin = off", "SET enable_mergejoin = off");
            String update = "UPDATE epq_local l SET x = n.label FROM nums n WHERE n.id = l.fid";
            String plan = Sql.plan(second, "COSTS OFF", update);
            assertTrue(plan.matches("(?s).*Nested Loop.*Foreign Scan on nums.*Pushed Down: \\(id = \\$1\\).*"), plan);
            first.setAutoCommit(false);
            Sql.execute(first, "UPDATE epq_local SET fid = 2 WHERE id = 1");
            long pid = Sql.longValue(second, "SELECT pg_backend_pid()");
            var executor = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                var blocked = executor.submit(() -> {
                    try (Statement st = second.createStatement()) {
                        return st.executeUpdate(update);
                    }
                });
                try (Connection watcher = cluster.connect()) {
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (!"Lock".equals(Sql.value(watcher, "SELECT wait_event_type FROM pg_stat_activity WHERE pid = "
                            + pid)) && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                }
                first.commit();
                assertEquals(0, blocked.get(30, java.util.concurrent.TimeUnit.SECONDS), "the stale match updated a row");
            } finally {
                first.setAutoCommit(true);
                executor.shutdownNow();
            }
            assertEquals(List.of(row("2", null)), Sql.rows(first, "SELECT fid, x FROM epq_local"));
            // the join still works for the row as it is now
            Sql.execute(first, update);
            assertEquals(List.of(row("2", "item-2")), Sql.rows(first, "SELECT fid, x FROM epq_local"));
        }
    }

    @Test
    void explainVerboseShowsTheColumnsRead() throws Exception {
        try (Connection c = cluster.connect()) {
            String plan = Sql.plan(c, "VERBOSE, COSTS OFF", "SELECT label FROM nums WHERE id = 1");
            assertTrue(plan.contains("Columns Read: id, label"), plan);
            assertTrue(plan.contains("Connector: numbers"), plan);
            assertTrue(plan.contains("Order: id ascending"), plan);
            assertFalse(Sql.plan(c, "COSTS OFF", "SELECT label FROM nums").contains("Columns Read"));
        }
    }

    @Test
    void importForeignSchemaCreatesTheConnectorsTables() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DROP SCHEMA IF EXISTS imp_all, imp_some, imp_except CASCADE",
                    "CREATE SCHEMA imp_all", "CREATE SCHEMA imp_some", "CREATE SCHEMA imp_except",
                    "IMPORT FOREIGN SCHEMA demo FROM SERVER numbers INTO imp_all",
                    "IMPORT FOREIGN SCHEMA demo LIMIT TO (small, \"odd name\") FROM SERVER numbers INTO imp_some "
                            + "OPTIONS (scale '3')",
                    "IMPORT FOREIGN SCHEMA demo EXCEPT (small) FROM SERVER numbers INTO imp_except");
            String tables = "SELECT foreign_table_schema || '.' || foreign_table_name FROM "
                    + "information_schema.foreign_tables WHERE foreign_table_schema LIKE 'imp\\_%' ORDER BY 1";
            assertEquals(List.of(row("imp_all.big"), row("imp_all.odd name"), row("imp_all.small"),
                    row("imp_except.big"), row("imp_except.odd name"),
                    row("imp_some.odd name"), row("imp_some.small")), Sql.rows(c, tables));
            assertEquals(List.of(row("id", "bigint"), row("label", "text"), row("Note's", "text")),
                    Sql.rows(c, "SELECT column_name, data_type FROM information_schema.columns "
                            + "WHERE table_schema = 'imp_all' AND table_name = 'odd name' ORDER BY ordinal_position"));
            assertEquals(row("10000", "10", "3"), Sql.rows(c, "SELECT (SELECT count(*) FROM imp_all.big), "
                    + "(SELECT count(*) FROM imp_all.small), (SELECT count(*) FROM imp_some.\"odd name\")").getFirst());

            PSQLException bad = Sql.expectError(c, "HV00D",
                    "IMPORT FOREIGN SCHEMA demo FROM SERVER numbers INTO imp_all OPTIONS (scael '3')");
            assertEquals("invalid option \"scael\"", bad.getServerErrorMessage().getMessage());
            assertTrue(bad.getServerErrorMessage().getHint().contains("scale"), bad.getServerErrorMessage().getHint());
            Sql.expectError(c, "HV024", "IMPORT FOREIGN SCHEMA demo FROM SERVER numbers INTO imp_all "
                    + "OPTIONS (scale 'lots')");
            PSQLException missing = Sql.expectError(c, "HV00Q",
                    "IMPORT FOREIGN SCHEMA nowhere FROM SERVER numbers INTO imp_all");
            assertEquals("The numbers connector has one schema, \"demo\".", missing.getServerErrorMessage().getHint());
            assertEquals("1", Sql.value(c, "SELECT 1"), "the session is usable");
        }
    }

    /** Scan.end(): once for each scan a query is done with, LIMIT included; not for a failed query or plain EXPLAIN. */
    @Test
    void aScanIsToldWhenTheQueryIsDoneWithIt() throws Exception {
        try (Connection c = cluster.connect(); java.sql.Statement s = c.createStatement()) {
            Fixtures.server(c, "ending");
            Sql.execute(c, "DROP FOREIGN TABLE IF EXISTS ending_once, ending_rescans",
                    "CREATE FOREIGN TABLE ending_once (id int8) SERVER ending",
                    "CREATE FOREIGN TABLE ending_rescans (id int8) SERVER ending OPTIONS (rescan 'true')");
            String ended = "scan ended after writing 3 rows";
            assertEquals(List.of(ended), notices(s, "SELECT * FROM ending_once"));
            assertEquals(List.of(ended), notices(s, "SELECT * FROM ending_once LIMIT 1"));
            assertEquals(List.of(), notices(s, "EXPLAIN SELECT * FROM ending_once"));
            // a scan that never runs (LIMIT 0) is not opened for EXPLAIN ANALYZE, nor told it ended
            assertEquals(List.of(), notices(s, "EXPLAIN ANALYZE SELECT * FROM ending_once LIMIT 0"));
            PSQLException e = org.junit.jupiter.api.Assertions.assertThrows(PSQLException.class,
                    () -> s.executeQuery("SELECT 1 / (id - 2) FROM ending_once"));
            assertEquals("22012", e.getSQLState());
            assertEquals(null, s.getWarnings(), "a failed query does not end its scans");
            String nested = "SELECT count(*) FROM (VALUES (1), (2), (3)) v(x), "
                    + "LATERAL (SELECT * FROM %s WHERE id > v.x OFFSET 0) e";
            assertEquals(List.of(ended, ended, ended), notices(s, nested.formatted("ending_once")),
                    "each scan a declined rescan replaced, then the last");
            assertEquals(List.of("scan ended after writing 9 rows"), notices(s, nested.formatted("ending_rescans")));
        }
    }

    private static List<String> notices(java.sql.Statement s, String query) throws Exception {
        s.execute(query);
        return Sql.notices(s);
    }

    /** An option the connector allows everywhere: validated on the wrapper too, and the most specific level wins. */
    @Test
    void optionsMergeFromTheWrapperDown() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DROP FOREIGN DATA WRAPPER IF EXISTS ending_levels CASCADE",
                    "SELECT jfdw.create_wrapper('ending', 'ending_levels')");
            PSQLException bad = Sql.expectError(c, "HV024",
                    "ALTER FOREIGN DATA WRAPPER ending_levels OPTIONS (ADD rows 'many')");
            assertEquals("invalid value for option \"rows\": \"many\"", bad.getServerErrorMessage().getMessage());
            PSQLException misplaced = Sql.expectError(c, "HV00D",
                    "ALTER FOREIGN DATA WRAPPER ending_levels OPTIONS (ADD rescan 'true')");
            assertTrue(misplaced.getServerErrorMessage().getHint().startsWith(
                    "Option \"rescan\" belongs on the foreign table."), misplaced.getServerErrorMessage().getHint());
            String count = "SELECT count(*) FROM levels_default";
            Sql.execute(c, "ALTER FOREIGN DATA WRAPPER ending_levels OPTIONS (ADD rows '5')",
                    "CREATE SERVER levels FOREIGN DATA WRAPPER ending_levels",
                    "CREATE FOREIGN TABLE levels_default (id int8) SERVER levels");
            assertEquals("5", Sql.value(c, count), "the wrapper's");
            Sql.execute(c, "ALTER SERVER levels OPTIONS (ADD rows '6')");
            assertEquals("6", Sql.value(c, count), "the server's over the wrapper's");
            Sql.execute(c, "CREATE USER MAPPING FOR CURRENT_USER SERVER levels OPTIONS (rows '7')",
                    "CREATE FOREIGN TABLE levels_own (id int8) SERVER levels OPTIONS (rows '8')");
            assertEquals("7", Sql.value(c, count), "the user mapping's over the server's");
            assertEquals("8", Sql.value(c, "SELECT count(*) FROM levels_own"), "the table's over all");
            Sql.execute(c, "DROP USER MAPPING FOR CURRENT_USER SERVER levels",
                    "ALTER SERVER levels OPTIONS (DROP rows)",
                    "ALTER FOREIGN DATA WRAPPER ending_levels OPTIONS (SET rows '9')");
            assertEquals("9", Sql.value(c, count), "a changed wrapper option, in the next plan");
            Sql.execute(c, "DROP FOREIGN DATA WRAPPER ending_levels CASCADE");
        }
    }

    /** jfdw.options(connector): what a connector declares, for a DBA to read; a secret's default is not shown. */
    @Test
    void optionsAreListedWithTheirDocumentation() throws Exception {
        try (Connection c = cluster.connect()) {
            assertEquals(List.of(
                            row("batch_size", "an integer between 1 and 100000", "{server,table}", "false", "1000", "false",
                                    "Rows passed from Java per call; 1 calls Java once per row."),
                            row("count", "an integer between 0 and 1000000000", "{table}", "true", null, "false", "Rows 1..count."),
                            row("scale", "an integer between 0 and 1000000", "{import}", "false", "10", "false", "The count of imported tables."),
                            row("token", "a token of 8 characters or more", "{user_mapping}", "false", null, "true", "")),
                    Sql.rows(c, "SELECT name, type, scopes::text, required::text, default_value, secret::text, "
                            + "description FROM jfdw.options('numbers') "
                            + "WHERE name IN ('batch_size', 'count', 'scale', 'token') ORDER BY name"));
            Sql.expectError(c, "42704", "SELECT * FROM jfdw.options('no_such_connector')");
            assertEquals("1", Sql.value(c, "SELECT 1"));
        }
    }

    /**
     * A role with no privileges on jfdw's functions uses its wrappers all the
     * same (PostgreSQL calls handlers and validators itself), but cannot call
     * them, nor jfdw.options, to start a JVM or probe a validator.
     */
    @Test
    void wrappersNeedNoPrivilegeOnTheirFunctionsWhichNobodyElseMayCall() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c,
                    "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'spi_plain') THEN "
                            + "CREATE ROLE spi_plain; END IF; END $$",
                    "GRANT USAGE ON FOREIGN SERVER numbers TO spi_plain", "GRANT CREATE ON SCHEMA public TO spi_plain",
                    "SET ROLE spi_plain");
            try {
                Sql.execute(c, "DROP FOREIGN TABLE IF EXISTS spi_plains",
                        "CREATE FOREIGN TABLE spi_plains (id int8) SERVER numbers OPTIONS (count '3')");
                assertEquals("3", Sql.value(c, "SELECT count(*) FROM spi_plains"));
                Sql.expectError(c, "HV00D", "ALTER FOREIGN TABLE spi_plains OPTIONS (ADD nope '1')");
                Sql.expectError(c, "42501", "SELECT jfdw.numbers_validator(ARRAY['count=1'], 0)");
                Sql.expectError(c, "42501", "SELECT jfdw.numbers_handler()");
                Sql.expectError(c, "42501", "SELECT * FROM jfdw.options('numbers')");
            } finally {
                Sql.execute(c, "RESET ROLE", "DROP FOREIGN TABLE IF EXISTS spi_plains");
            }
        }
    }

    /**
     * A wrapper made by hand without the connector's validator would let
     * options nobody checked (files anyone named) through: its tables are
     * refused until it validates.
     */
    @Test
    void aWrapperWithoutItsValidatorIsRefused() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "numbers");
            Sql.execute(c, "DROP FOREIGN DATA WRAPPER IF EXISTS numbers_unchecked CASCADE",
                    "CREATE FOREIGN DATA WRAPPER numbers_unchecked HANDLER jfdw.numbers_handler NO VALIDATOR",
                    "CREATE SERVER unchecked FOREIGN DATA WRAPPER numbers_unchecked",
                    "CREATE FOREIGN TABLE unchecked_nums (id int8) SERVER unchecked OPTIONS (count '3')");
            PSQLException e = Sql.expectError(c, "HV000", "SELECT count(*) FROM unchecked_nums");
            assertEquals("foreign-data wrapper \"numbers_unchecked\" does not validate its options with "
                    + "jfdw.numbers_validator", e.getServerErrorMessage().getMessage());
            Sql.execute(c, "ALTER FOREIGN DATA WRAPPER numbers_unchecked VALIDATOR jfdw.numbers_validator");
            assertEquals("3", Sql.value(c, "SELECT count(*) FROM unchecked_nums"));
            Sql.execute(c, "DROP FOREIGN DATA WRAPPER numbers_unchecked CASCADE");
        }
    }

    /**
     * A table read through a view is read with the view owner's user
     * mapping, at execution as at planning, as postgres_fdw reads it.
     */
    @Test
    void aViewIsReadWithItsOwnersUserMapping() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c,
                    "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'spi_view_owner') THEN "
                            + "CREATE ROLE spi_view_owner; CREATE ROLE spi_reader; END IF; END $$",
                    "DROP USER MAPPING IF EXISTS FOR spi_view_owner SERVER numbers",
                    "CREATE USER MAPPING FOR spi_view_owner SERVER numbers OPTIONS (token 'owner-token-123')",
                    "DROP VIEW IF EXISTS spi_tokens_view", "DROP FOREIGN TABLE IF EXISTS spi_tokens",
                    "CREATE FOREIGN TABLE spi_tokens (id int8, token_length int4) SERVER numbers OPTIONS (count '1')",
                    "GRANT SELECT ON spi_tokens TO spi_view_owner",
                    "CREATE VIEW spi_tokens_view AS SELECT * FROM spi_tokens",
                    "ALTER VIEW spi_tokens_view OWNER TO spi_view_owner",
                    "GRANT SELECT ON spi_tokens_view TO spi_reader",
                    "SET ROLE spi_reader");
            try {
                assertEquals("15", Sql.value(c, "SELECT token_length FROM spi_tokens_view"));
            } finally {
                Sql.execute(c, "RESET ROLE");
            }
        }
    }

    @Test
    void secretsNeverShowInMessagesOrExplain() throws Exception {
        String token = "s3cr3t-t0ken-" + System.nanoTime();
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DROP USER MAPPING IF EXISTS FOR CURRENT_USER SERVER numbers");
            PSQLException bad = Sql.expectError(c, "HV024",
                    "CREATE USER MAPPING FOR CURRENT_USER SERVER numbers OPTIONS (token 'short')");
            assertFalse(bad.getMessage().contains("short"), bad.getMessage());
            Sql.execute(c, "CREATE USER MAPPING FOR CURRENT_USER SERVER numbers OPTIONS (token '" + token + "')",
                    "DROP FOREIGN TABLE IF EXISTS leaky",
                    "CREATE FOREIGN TABLE leaky (id int8) SERVER numbers OPTIONS (count '3', leak_token 'true')");
            try {
                // the test connector puts the token into its EXPLAIN line and its error, on purpose
                String plan = Sql.plan(c, "VERBOSE", "SELECT * FROM leaky");
                assertTrue(plan.contains("Token: ********"), plan);
                assertFalse(plan.contains(token), plan);
                PSQLException e = Sql.expectError(c, "28000", "SELECT * FROM leaky");
                assertEquals("token ******** was refused", e.getServerErrorMessage().getMessage());
                assertEquals("Tried ********.", e.getServerErrorMessage().getDetail());
                assertFalse(e.getServerErrorMessage().toString().contains(token), e.getServerErrorMessage().toString());
                assertFalse(Sql.plan(c, "VERBOSE, FORMAT JSON", "SELECT * FROM leaky").contains(token));
                // ALTER is validated the same way, and a new secret is as hidden as the first
                PSQLException badAlter = Sql.expectError(c, "HV024",
                        "ALTER USER MAPPING FOR CURRENT_USER SERVER numbers OPTIONS (SET token 'short')");
                assertFalse(badAlter.getServerErrorMessage().toString().contains("short"), badAlter.getMessage());
                String token2 = token + "-2";
                Sql.execute(c, "ALTER USER MAPPING FOR CURRENT_USER SERVER numbers OPTIONS (SET token '" + token2 + "')");
                String plan2 = Sql.plan(c, "VERBOSE", "SELECT * FROM leaky");
                assertTrue(plan2.contains("Token: ********") && !plan2.contains(token2), plan2);
                assertFalse(Sql.expectError(c, "28000", "SELECT * FROM leaky").getServerErrorMessage().toString()
                        .contains(token2));
                // a connector that hands a secret to PostgreSQL (an input function, whose error quotes it)
                Fixtures.server(c, "faulty");
                Sql.execute(c, "DROP FOREIGN TABLE IF EXISTS leaky_pg", "CREATE FOREIGN TABLE leaky_pg (id int8, v int4) "
                        + "SERVER faulty OPTIONS (fail_in 'iterate', error 'pg', bad_value 'token=" + token2 + "')");
                PSQLException pg = Sql.expectError(c, "22P02", "SELECT * FROM leaky_pg");
                assertEquals("invalid input syntax for type integer: \"token=********\"",
                        pg.getServerErrorMessage().getMessage());
                // caught in a subtransaction, the PgException is masked too, and so is the connector's log line
                Sql.execute(c, "ALTER FOREIGN TABLE leaky_pg OPTIONS (SET error 'pg_subxact')");
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT count(v) FROM leaky_pg");
                    assertNotNull(s.getWarnings(), "the connector's NOTICE arrives");
                    String notice = s.getWarnings().getMessage();
                    assertTrue(notice.contains("\"token=********\"") && !notice.contains(token2), notice);
                }
                String log = cluster.log();
                assertFalse(log.contains(token) || log.contains(token2), "the server log has no secret either");
            } finally {
                Sql.execute(c, "DROP USER MAPPING FOR CURRENT_USER SERVER numbers");
            }
        }
    }
}
