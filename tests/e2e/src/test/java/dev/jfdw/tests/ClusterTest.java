package dev.jfdw.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jfdw.testkit.JfdwTest;
import dev.jfdw.testkit.PostgresCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Every end-to-end test also checks, afterwards, that no backend crashed
 * (a crash restarts every session of the cluster) and that the postmaster
 * is the one it started with.
 */
@JfdwTest
abstract class ClusterTest {
    PostgresCluster cluster;
    private long logMark;
    private long postmasterPid;

    @BeforeEach
    void rememberCluster(PostgresCluster cluster) {
        this.cluster = cluster;
        this.logMark = cluster.logMark();
        this.postmasterPid = cluster.postmasterPid();
    }

    @AfterEach
    void noBackendCrashed() {
        cluster.assertNoCrashSince(logMark);
        assertEquals(postmasterPid, cluster.postmasterPid(), "the postmaster restarted");
    }
}
