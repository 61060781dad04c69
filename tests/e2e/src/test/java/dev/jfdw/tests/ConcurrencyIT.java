package dev.jfdw.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jfdw.testkit.Sql;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Twenty sessions, each with its own JVM, scanning at once. */
class ConcurrencyIT extends ClusterTest {
    private static final int SESSIONS = 20;
    private static final String QUERY = "SELECT count(*), sum(id), max(label) FROM conc_gen";

    /**
     * Each session's first scan stops at its first row, waiting for an
     * advisory lock the test holds: once all twenty wait there, twenty
     * foreign scans (and JVMs) have returned rows and are open at once. Released, they finish, and
     * every session scans twice more; every result is the whole table's.
     */
    @Test
    void twentyConcurrentConnectionsScanAtOnce() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "generator");
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS conc_gen (id int8, label text) SERVER generator "
                    + "OPTIONS (rows '100000')");
        }
        ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
        try (Connection gate = cluster.connect()) {
            Sql.execute(gate, "SELECT pg_advisory_lock(4711)");
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                results.add(pool.submit(() -> {
                    try (Connection c = cluster.connect()) {
                        List<String> r = new ArrayList<>();
                        // volatile, and of a column, the qual is PostgreSQL's to test on each row the scan returns
                        r.add(String.join(",", Sql.rows(c, QUERY
                                + " WHERE pg_advisory_xact_lock_shared(id - id + 4711) IS NOT NULL").getFirst()));
                        for (int round = 0; round < 2; round++) {
                            r.add(String.join(",", Sql.rows(c, QUERY).getFirst()));
                        }
                        return r;
                    }
                }));
            }
            long waiting = 0;
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                 waiting < SESSIONS && System.nanoTime() < deadline; Thread.sleep(50)) {
                waiting = Sql.longValue(gate, "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
                        + "WHERE l.locktype = 'advisory' AND l.objid = 4711 AND NOT l.granted "
                        + "AND a.query LIKE '" + QUERY + " WHERE %'");
            }
            assertEquals(SESSIONS, waiting, "sessions inside their first scan at the same time");
            Sql.execute(gate, "SELECT pg_advisory_unlock(4711)");
            for (Future<List<String>> f : results) {
                assertEquals(List.of("100000,5000050000,row 99999", "100000,5000050000,row 99999",
                        "100000,5000050000,row 99999"), f.get(300, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
