package dev.jfdw.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A base for a connector's end-to-end tests: before each test, the
 * connector's wrapper and a server of the same name exist (made once), and
 * {@link #dir} is a fresh directory the server can read; after each, no
 * backend may have crashed and the postmaster must be the same.
 *
 * <pre>{@code
 * class MyConnectorIT extends ConnectorTest {
 *     MyConnectorIT() { super("my"); }
 *     @Test void reads() throws Exception {
 *         try (Connection c = cluster.connect()) { ... SERVER my ... }
 *     }
 * }
 * }</pre>
 */
@JfdwTest
public abstract class ConnectorTest {
    private final String connector;
    protected PostgresCluster cluster;
    protected Path dir;
    private long logMark;
    private long postmasterPid;
    private Connection witness;

    protected ConnectorTest(String connector) {
        this.connector = connector;
    }

    @BeforeEach
    void setUpConnector(PostgresCluster cluster) throws SQLException {
        this.cluster = cluster;
        this.dir = cluster.newFileDirectory(getClass().getSimpleName());
        this.logMark = cluster.logMark();
        this.postmasterPid = cluster.postmasterPid();
        this.witness = cluster.connect();
        try (Connection c = cluster.connect()) {
            // the wrapper may come from another test class, or the test's own SQL
            Sql.execute(c, """
                    DO $$ BEGIN
                      IF NOT EXISTS (SELECT FROM pg_foreign_data_wrapper WHERE fdwname = '%1$s') THEN
                        PERFORM jfdw.create_wrapper('%1$s');
                      END IF;
                    END $$""".formatted(connector),
                    "CREATE SERVER IF NOT EXISTS %1$s FOREIGN DATA WRAPPER %1$s".formatted(connector));
        }
    }

    @AfterEach
    void noBackendCrashed() {
        cluster.assertNoCrashSince(logMark, witness);
        assertEquals(postmasterPid, cluster.postmasterPid(), "the postmaster restarted");
    }
}
