package dev.jfdw.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfdw.testkit.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * The README's SQL, statement by statement as written, in a new database;
     * the query's result must be the one the README shows under it.
     */
    @Test
    void theReadmeSqlGivesTheReadmeResult() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int from = readme.indexOf("```sql\n", readme.indexOf("## A connector in"));
        String block = readme.substring(from + 7, readme.indexOf("```", from + 7));
        List<String> statements = new ArrayList<>();
        List<List<String>> shown = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        for (String line : block.lines().toList()) {
            if (line.startsWith("-- ") && line.contains("|") && !line.contains("---") && !statements.isEmpty()) {
                shown.add(Arrays.stream(line.substring(3).split("\\|")).map(String::strip).toList());
            } else if (!line.startsWith("--")) {
                String code = line.replaceAll("\\s+--.*$", "");
                sql.append(code).append('\n');
                if (code.strip().endsWith(";")) {
                    statements.add(sql.toString().strip());
                    sql.setLength(0);
                }
            }
        }
        assertTrue(statements.size() >= 5 && shown.size() >= 2, block);
        String query = statements.getLast();
        shown.removeFirst(); // the header
        String database = "readme_" + System.nanoTime();
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "CREATE DATABASE " + database);
        }
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl().replaceFirst("/postgres$", "/" + database),
                "postgres", "")) {
            for (String statement : statements.subList(0, statements.size() - 1)) {
                Sql.execute(c, statement);
            }
            assertEquals(shown, Sql.rows(c, query), query);
            PSQLException e = Sql.expectError(c, "HV00D",
                    "CREATE FOREIGN TABLE countdown2 (n int8) SERVER launch OPTIONS (form '10')");
            assertEquals("invalid option \"form\"", e.getServerErrorMessage().getMessage());
        } finally {
            try (Connection c = cluster.connect()) {
                Sql.execute(c, "DROP DATABASE " + database + " WITH (FORCE)");
            }
        }
    }
}
