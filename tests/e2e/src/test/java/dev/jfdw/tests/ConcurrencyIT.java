package dev.jfdw.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jfdw.testkit.Sql;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Twenty sessions, each with its own JVM, scanning at once. */
class ConcurrencyIT extends ClusterTest {
    private static final int SESSIONS = 20;

    @Test
    void twentyConcurrentConnectionsScanAtOnce() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "generator");
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS conc_gen (id int8, label text) SERVER generator "
                    + "OPTIONS (rows '100000')");
        }
        ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
        CountDownLatch ready = new CountDownLatch(SESSIONS);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                results.add(pool.submit(() -> {
                    try (Connection c = cluster.connect()) {
                        ready.countDown();
                        ready.await(60, TimeUnit.SECONDS);
                        List<String> r = new ArrayList<>();
                        for (int round = 0; round < 3; round++) {
                            r.add(String.join(",", Sql.rows(c, "SELECT count(*), sum(id), max(label) FROM conc_gen")
                                    .getFirst()));
                        }
                        return r;
                    }
                }));
            }
            for (Future<List<String>> f : results) {
                assertEquals(List.of("100000,5000050000,row 99999", "100000,5000050000,row 99999",
                        "100000,5000050000,row 99999"), f.get(300, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
