package dev.jfdw.tests;

import static dev.jfdw.testkit.Sql.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfdw.testkit.Sql;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * A wrapper written against the FdwRoutine mirror only (no Connector SPI):
 * planner and executor struct views, plan state in fdw_private, raw Datums
 * in the slot, and views that outlive their memory context.
 */
class MirrorIT extends ClusterTest {
    @BeforeEach
    void tables() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "mirror");
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS mirror5 (id int8, twice int8) SERVER mirror "
                    + "OPTIONS (rows '5')");
        }
    }

    @Test
    void aMirrorLevelWrapperScansRescansAndExplains() throws Exception {
        try (Connection c = cluster.connect()) {
            assertEquals(List.of(row("1", "2"), row("2", "4"), row("3", "6"), row("4", "8"), row("5", "10")),
                    Sql.rows(c, "SELECT id, twice FROM mirror5 ORDER BY id"));
            assertEquals(List.of(row("1"), row("2"), row("3")), Sql.rows(c,
                    "SELECT (SELECT count(*) FROM mirror5 m WHERE m.id <= g.x) FROM generate_series(1, 3) g(x)"));
            String plan = String.join("\n", Sql.rows(c, "EXPLAIN SELECT * FROM mirror5").stream()
                    .map(List::getFirst).toList());
            assertTrue(plan.contains("Mirror Rows: 5") && plan.contains("rows=5"), plan);
            Sql.expectError(c, "HV00D", "CREATE FOREIGN TABLE mirror_bad (id int8) SERVER mirror OPTIONS (bad 'x')");
        }
    }

    @Test
    void analyzeReadsTheRowsThroughTheMirrorsScan() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "ANALYZE mirror5");
            assertEquals(List.of(row("id", "-1", "{1,2,3,4,5}"), row("twice", "-1", "{2,4,6,8,10}")), Sql.rows(c,
                    "SELECT attname, n_distinct, histogram_bounds::text FROM pg_stats WHERE tablename = 'mirror5' "
                            + "ORDER BY attname"));
            assertEquals("5", Sql.value(c, "SELECT reltuples FROM pg_class WHERE relname = 'mirror5'"));
        }
    }

    @Test
    void aViewUsedAfterItsMemoryContextIsGoneThrowsInsteadOfReadingFreedMemory() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c,
                    "CREATE FOREIGN TABLE IF NOT EXISTS mirror_keep (id int8) SERVER mirror OPTIONS (rows '2', keep_view 'on')",
                    "CREATE FOREIGN TABLE IF NOT EXISTS mirror_stale (id int8) SERVER mirror OPTIONS (rows '2', use_stale 'on')");
            assertEquals("2", Sql.value(c, "SELECT count(*) FROM mirror_keep"));
            PSQLException e = Sql.expectError(c, "XX000", "SELECT count(*) FROM mirror_stale");
            assertTrue(e.getServerErrorMessage().getMessage().startsWith("java.lang.IllegalStateException: Already closed"),
                    e.getServerErrorMessage().getMessage());
            assertEquals("2", Sql.value(c, "SELECT count(*) FROM mirror_keep"));
            // the executor's views too: a ForeignScanState kept past its query
            Sql.execute(c,
                    "CREATE FOREIGN TABLE IF NOT EXISTS mirror_keep_node (id int8) SERVER mirror "
                            + "OPTIONS (rows '2', keep_node 'on')",
                    "CREATE FOREIGN TABLE IF NOT EXISTS mirror_stale_node (id int8) SERVER mirror "
                            + "OPTIONS (rows '2', use_stale_node 'on')");
            assertEquals("2", Sql.value(c, "SELECT count(*) FROM mirror_keep_node"));
            e = Sql.expectError(c, "XX000", "SELECT count(*) FROM mirror_stale_node");
            assertTrue(e.getServerErrorMessage().getMessage().startsWith("java.lang.IllegalStateException: Already closed"),
                    e.getServerErrorMessage().getMessage());
            assertEquals(0, Fixtures.liveScans(c));
            assertEquals("2", Sql.value(c, "SELECT count(*) FROM mirror_keep_node"));
        }
    }

    /**
     * Each FdwRoutine callback, called by PostgreSQL itself: an exception
     * there is an ERROR with the connector's SQLSTATE, message, detail and
     * hint, its CONTEXT names the callback, and the session goes on with
     * no scan left behind; whether C calls Java through JNI (a session's
     * first upcalls) or through the FFM upcall stub.
     */
    @ParameterizedTest(name = "in {0}, upcalls through {1}")
    @CsvSource({"GetForeignRelSize, jni", "GetForeignPaths, jni", "GetForeignPlan, jni", "BeginForeignScan, jni",
            "IterateForeignScan, jni", "ReScanForeignScan, jni", "EndForeignScan, jni", "ExplainForeignScan, jni",
            "GetForeignRelSize, ffm", "GetForeignPaths, ffm", "GetForeignPlan, ffm", "BeginForeignScan, ffm",
            "IterateForeignScan, ffm", "ReScanForeignScan, ffm", "EndForeignScan, ffm", "ExplainForeignScan, ffm"})
    void anExceptionInEachCallbackIsAnErrorWithItsSqlState(String callback, String entry) throws Exception {
        try (Connection c = cluster.connect()) {
            if (entry.equals("ffm")) {
                Sql.execute(c, "SET jfdw.jvm_options = '-Djfdw.upcallStubAfter=1'");
            }
            String table = "mirror_fail_" + callback.toLowerCase(java.util.Locale.ROOT);
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS " + table + " (id int8) SERVER mirror OPTIONS (rows '3', "
                    + "fail_in '" + callback + "')");
            String query = switch (callback) {
                case "ReScanForeignScan" -> "SELECT (SELECT count(*) FROM " + table + " m WHERE m.id <= g.x) "
                        + "FROM generate_series(1, 3) g(x)";
                case "ExplainForeignScan" -> "EXPLAIN SELECT * FROM " + table;
                default -> "SELECT * FROM " + table;
            };
            PSQLException e = Sql.expectError(c, "JF002", query);
            ServerErrorMessage m = e.getServerErrorMessage();
            assertEquals("mirror failed in " + callback, m.getMessage());
            assertEquals("detail from " + callback, m.getDetail());
            assertEquals("hint from " + callback, m.getHint());
            assertTrue(m.getWhere().contains("jfdw connector \"mirror\", " + callback), m.getWhere());
            assertEquals(0, Fixtures.liveScans(c), "no scan is left after the failed query");
            assertEquals(List.of(row("5")), Sql.rows(c, "SELECT count(*) FROM mirror5"));
            assertTrue(Fixtures.status(c).contains("\"entry\": \"" + entry + "\""), Fixtures.status(c));
        }
    }
}
