package dev.jfdw.tests;

import static dev.jfdw.testkit.Sql.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfdw.testkit.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/** What the README shows works as shown: its connector source is the test connector's, its SQL runs. */
class ReadmeIT extends ClusterTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();

    @Test
    void theReadmeConnectorIsTheTestedOne() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String source = Files.readString(ROOT.resolve(
                "tests/test-connectors/src/main/java/dev/jfdw/tests/connectors/CountdownConnector.java"));
        String body = source.substring(source.indexOf("public final class CountdownConnector"));
        assertTrue(readme.contains(body.strip()), "README.md shows CountdownConnector.java as it is");
    }

    @Test
    void theReadmeSqlGivesTheReadmeResult() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_foreign_data_wrapper WHERE fdwname = 'countdown') "
                            + "THEN PERFORM jfdw.create_wrapper('countdown'); END IF; END $$",
                    "CREATE SERVER IF NOT EXISTS launch FOREIGN DATA WRAPPER countdown",
                    "CREATE FOREIGN TABLE IF NOT EXISTS countdown (n int8, label text) SERVER launch OPTIONS (from '10')");
            assertEquals(List.of(row("2", "T-2"), row("1", "T-1"), row("0", "liftoff")),
                    Sql.rows(c, "SELECT * FROM countdown WHERE n < 3"));
            PSQLException e = Sql.expectError(c, "HV00D",
                    "CREATE FOREIGN TABLE countdown2 (n int8) SERVER launch OPTIONS (form '10')");
            assertEquals("invalid option \"form\"", e.getServerErrorMessage().getMessage());
        }
    }
}
