package dev.jfdw.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jfdw.testkit.JfdwTest;
import dev.jfdw.testkit.PostgresCluster;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Every end-to-end test also checks, afterwards, that no backend crashed
 * (a crash ends every session of the cluster: the server log says so, and
 * a session held open across the test no longer answers) and that the
 * postmaster is the one it started with.
 */
@JfdwTest
abstract class ClusterTest {
    PostgresCluster cluster;
    private long logMark;
    private long postmasterPid;
    private Connection witness;

    @BeforeEach
    void rememberCluster(PostgresCluster cluster) throws SQLException {
        this.cluster = cluster;
        this.logMark = cluster.logMark();
        this.postmasterPid = cluster.postmasterPid();
        this.witness = cluster.connect();
    }

    @AfterEach
    void noBackendCrashed() {
        cluster.assertNoCrashSince(logMark, witness);
        assertEquals(postmasterPid, cluster.postmasterPid(), "the postmaster restarted");
    }
}
