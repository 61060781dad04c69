package dev.jfdw.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfdw.testkit.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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
                assertEveryJavaThreadBlocksSignals(Sql.longValue(c, "SELECT pg_backend_pid()"));
                // the thread lingers for 3 s: a SIGINT must still land on the backend thread
                Sql.execute(c, "SET statement_timeout = '300ms'");
                Sql.expectError(c, "57014", "SELECT count(*) FROM th_slow");
                Sql.execute(c, "RESET statement_timeout");
                assertEquals("1", Sql.value(c, "SELECT 1"));
            }
        });
    }

    /** SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGTERM, SIGURG: PostgreSQL's, so only its thread may take them. */
    private static final long POSTGRES_SIGNALS = bit(1) | bit(2) | bit(3) | bit(10) | bit(15) | bit(23);

    private static long bit(int signal) {
        return 1L << (signal - 1);
    }

    private static void assertEveryJavaThreadBlocksSignals(long pid) throws Exception {
        List<String> threads = new ArrayList<>();
        boolean sawConnectorThread = false;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                if (task.getFileName().toString().equals(Long.toString(pid))) {
                    continue; // the backend thread
                }
                String name = Files.readString(task.resolve("comm")).strip();
                long blocked = Long.parseUnsignedLong(Files.readAllLines(task.resolve("status")).stream()
                        .filter(l -> l.startsWith("SigBlk:")).findFirst().orElseThrow().substring(7).strip(), 16);
                sawConnectorThread |= name.startsWith("jfdw-test-fore");
                if ((blocked & POSTGRES_SIGNALS) != POSTGRES_SIGNALS) {
                    threads.add(name + " SigBlk " + Long.toHexString(blocked));
                }
            }
        }
        assertTrue(sawConnectorThread, "the connector's own thread was checked");
        assertTrue(threads.isEmpty(), "threads that could take PostgreSQL's signals: " + threads);
    }
}
