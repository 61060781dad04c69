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
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;

/**
 * What the README and the connector guide show works as shown: their
 * connector source is the test connector's, their SQL runs.
 */
class ReadmeIT extends ClusterTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"README.md", "docs/connector-guide.md"})
    void theConnectorShownIsTheTestedOne(String document) throws Exception {
        String shown = Files.readString(ROOT.resolve(document));
        String source = Files.readString(ROOT.resolve(
                "tests/test-connectors/src/main/java/dev/jfdw/tests/connectors/CountdownConnector.java"));
        String body = source.substring(source.indexOf("public final class CountdownConnector"));
        assertTrue(shown.contains(body.strip()), document + " shows CountdownConnector.java as it is");
        if (document.startsWith("docs/")) {
            // the guide's copy is the whole file, imports included, and says how long it is
            String imports = String.join("\n", source.lines().filter(l -> l.startsWith("import ")).toList());
            assertTrue(shown.contains(imports + "\n\n" + body.strip()), document + " shows the imports too");
            long lines = source.lines().filter(l -> l.startsWith("import ")).count() + 1 + body.strip().lines().count();
            assertTrue(shown.contains("## A connector in " + lines + " lines"), document + ": " + lines + " lines");
            assertTrue(lines < 50, "the issue asks for a connector in under 50 lines: " + lines);
        }
    }

    /**
     * The document's SQL, statement by statement as written, in a new
     * database; the query's result must be the one shown under it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"README.md", "docs/connector-guide.md"})
    void theSqlShownGivesTheResultShown(String document) throws Exception {
        String readme = Files.readString(ROOT.resolve(document));
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
            // as the README says after it: ANALYZE gives the planner the table's statistics
            Sql.execute(c, "ANALYZE countdown");
            assertEquals(List.of(List.of("label", "-1"), List.of("n", "-1")), Sql.rows(c,
                    "SELECT attname, n_distinct FROM pg_stats WHERE tablename = 'countdown' ORDER BY attname"));
        } finally {
            try (Connection c = cluster.connect()) {
                Sql.execute(c, "DROP DATABASE " + database + " WITH (FORCE)");
            }
        }
    }

    /**
     * The guide's standalone project, as shown (its pom, the connector, its
     * test), builds with Maven outside this repository, and its test passes
     * against a cluster of its own.
     */
    @Test
    void theGuidesStandaloneProjectBuildsAndPassesItsTest() throws Exception {
        String guide = Files.readString(ROOT.resolve("docs/connector-guide.md"));
        Path project = Files.createTempDirectory("jfdw-guide-project");
        Path sources = Files.createDirectories(project.resolve("src/main/java/com/example"));
        Path services = Files.createDirectories(project.resolve("src/main/resources/META-INF/services"));
        Path tests = Files.createDirectories(project.resolve("src/test/java/com/example"));
        Files.writeString(project.resolve("pom.xml"), block(guide, "xml", "<project"));
        Files.writeString(sources.resolve("CountdownConnector.java"),
                "package com.example;\n\n" + block(guide, "java", "public final class CountdownConnector"));
        Files.writeString(tests.resolve("CountdownIT.java"), "package com.example;\n\n" + block(guide, "java", "class CountdownIT"));
        Files.writeString(services.resolve("dev.jfdw.api.Connector"), "com.example.CountdownConnector\n");
        // for the JDK the tests run on, which jfdw was built for (the guide's pom says 25)
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("mvnw").toString(), "-B", "-ntp", "-q", "verify",
                "-Dmaven.compiler.release=" + Runtime.version().feature()));
        for (String property : List.of("jfdw.test.pgConfig", "jfdw.test.osUser")) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        ProcessBuilder build = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true);
        build.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path output = project.resolve("build.log");
        Process p = build.redirectOutput(output.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the guide's project did not build in 10 minutes:\n" + Files.readString(output));
        }
        assertEquals(0, p.exitValue(), Files.readString(output));
        String report = Files.readString(project.resolve("target/failsafe-reports/com.example.CountdownIT.txt"));
        assertTrue(report.contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0"), report);
        assertTrue(Files.size(project.resolve("target/jfdw-connector-myconnector.jar")) > 0);
        try (var files = Files.walk(project)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** The first code block of a language that contains {@code marker}. */
    private static String block(String document, String language, String marker) {
        for (int from = document.indexOf("```" + language + "\n"); from >= 0;
             from = document.indexOf("```" + language + "\n", from + 1)) {
            String code = document.substring(from + language.length() + 4, document.indexOf("```", from + 4));
            if (code.contains(marker)) {
                return code;
            }
        }
        throw new AssertionError("no " + language + " block with " + marker);
    }
}
