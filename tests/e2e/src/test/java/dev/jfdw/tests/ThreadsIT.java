package dev.jfdw.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.jfdw.testkit.Sql;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Only the backend thread may call PostgreSQL. From any other thread a call
 * throws a Java exception and nothing crashes; and a Java thread the
 * connector started does not steal the backend's signals (a timeout still
 * cancels the next query).
 */
class ThreadsIT extends ClusterTest {
    @Test
    void callFromAForeignThreadThrowsAndTheBackendStillHearsSignals() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Connection c = cluster.connect()) {
                Fixtures.server(c, "threads");
                Fixtures.server(c, "slow");
                Sql.execute(c,
                        "CREATE FOREIGN TABLE IF NOT EXISTS th_outcome (outcome text) SERVER threads",
                        "CREATE FOREIGN TABLE IF NOT EXISTS th_slow (id int8) SERVER slow OPTIONS (mode 'rows')");
                assertEquals("java.lang.WrongThreadException", Sql.value(c, "SELECT outcome FROM th_outcome"));
                // the thread lingers for 3 s: a SIGINT must still land on the backend thread
                Sql.execute(c, "SET statement_timeout = '300ms'");
                Sql.expectError(c, "57014", "SELECT count(*) FROM th_slow");
                Sql.execute(c, "RESET statement_timeout");
                assertEquals("1", Sql.value(c, "SELECT 1"));
            }
        });
    }
}
