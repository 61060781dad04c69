package dev.jfdw.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfdw.testkit.Sql;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;

/**
 * statement_timeout and a cancel request stop a scan, both between batches
 * (mode rows) and inside one long call into Java that polls for interrupts
 * (mode poll) or is blocked on a socket that Postgres.onCancel closes (mode
 * socket); the session is usable afterwards.
 */
class InterruptsIT extends ClusterTest {
    @BeforeEach
    void tables() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "slow");
            Sql.execute(c,
                    "CREATE FOREIGN TABLE IF NOT EXISTS slow_rows (id int8) SERVER slow OPTIONS (mode 'rows')",
                    "CREATE FOREIGN TABLE IF NOT EXISTS slow_poll (id int8) SERVER slow OPTIONS (mode 'poll')",
                    "CREATE FOREIGN TABLE IF NOT EXISTS slow_socket (id int8) SERVER slow OPTIONS (mode 'socket')",
                    "CREATE FOREIGN TABLE IF NOT EXISTS slow_forgetful (id int8) SERVER slow "
                            + "OPTIONS (mode 'forgetful')");
        }
    }

    /**
     * A connection with the JVM up: the interrupt then lands in the scan,
     * not in the JVM's start, which would stop the query before the code
     * under test runs.
     */
    private Connection warmConnection() throws Exception {
        Connection c = cluster.connect();
        assertEquals("1", Sql.value(c, "SELECT count(*) FROM slow_forgetful"));
        return c;
    }

    /** The scan got as far as its slow part before the interrupt ended it. */
    private void assertUnderWay(long mark, String table) {
        String mode = table.substring("slow_".length());
        assertTrue(cluster.logSince(mark).contains("slow scan under way (mode " + mode + ")"), cluster.logSince(mark));
    }

    /**
     * A cancel that stopped Java names the connector and the callback, as
     * every error raised in a jfdw call does. (The rows mode is not
     * checked: PostgreSQL may serve the cancel between rows, outside any
     * jfdw call, with no CONTEXT, as in a scan of its own tables.)
     */
    private static void assertStoppedIn(PSQLException e, String table) {
        String where = e.getServerErrorMessage().getWhere();
        if (!table.equals("slow_rows")) {
            assertTrue(where != null && where.contains("jfdw connector \"slow\", IterateForeignScan"), where);
        }
    }

    /** An onCancel action left open ends with the call into Java that registered it. */
    @Test
    void aCancelActionLeftOpenEndsWithItsCall() throws Exception {
        try (Connection c = cluster.connect()) {
            assertEquals("1", Sql.value(c, "SELECT count(*) FROM slow_forgetful"));
            String status = Fixtures.status(c);
            assertTrue(status.contains("\"cancel_actions\": 0,"), status);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"slow_rows", "slow_poll", "slow_socket"})
    void statementTimeoutStopsTheScan(String table) throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Connection c = warmConnection()) {
                Sql.execute(c, "SET statement_timeout = '500ms'");
                long mark = cluster.logMark();
                PSQLException e = Sql.expectError(c, "57014", "SELECT count(*) FROM " + table);
                assertEquals("canceling statement due to statement timeout", e.getServerErrorMessage().getMessage());
                assertStoppedIn(e, table);
                assertUnderWay(mark, table);
                Sql.execute(c, "RESET statement_timeout");
                assertEquals("1", Sql.value(c, "SELECT 1"));
                assertEquals(0, Fixtures.liveScans(c));
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"slow_rows", "slow_poll", "slow_socket"})
    void cancelRequestStopsTheScan(String table) throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
            try (Connection c = warmConnection(); Statement s = c.createStatement()) {
                long mark = cluster.logMark();
                timer.schedule(() -> {
                    s.cancel();
                    return null;
                }, 700, TimeUnit.MILLISECONDS);
                PSQLException e = Sql.expectError(s, "57014", "SELECT count(*) FROM " + table);
                assertEquals("canceling statement due to user request", e.getServerErrorMessage().getMessage(),
                        e.getServerErrorMessage().getMessage());
                assertStoppedIn(e, table);
                assertUnderWay(mark, table);
                assertEquals("1", Sql.value(c, "SELECT 1"));
                assertEquals(0, Fixtures.liveScans(c));
            } finally {
                timer.shutdownNow();
            }
        });
    }
}
