package dev.jfdw.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfdw.testkit.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ./jfdw demo}'s script, run as the demo runs it (psql, ON_ERROR_STOP) on its data, in a new database. */
class DemoIT extends ClusterTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();

    @Test
    void theDemoRunsAndShowsWhatItSays() throws Exception {
        Path data = cluster.newFileDirectory("demo-data");
        Path source = ROOT.resolve("sql/demo-data");
        try (var files = Files.walk(source)) {
            for (Path p : files.toList()) {
                Path target = data.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        String database = "demo_" + System.nanoTime();
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "CREATE DATABASE " + database);
        }
        try {
            Process psql = new ProcessBuilder(cluster.binDirectory().resolve("psql").toString(), "-X", "-q",
                    "-h", "127.0.0.1", "-p", Integer.toString(cluster.port()), "-U", "postgres", "-d", database,
                    "-v", "ON_ERROR_STOP=1", "-v", "demo_data=" + data, "-f", ROOT.resolve("sql/demo.sql").toString())
                    .redirectErrorStream(true).start();
            String out = new String(psql.getInputStream().readAllBytes());
            assertEquals(0, psql.waitFor(), out);
            for (String shown : List.of("1000000 |", "label #250001", "Columns Read: id, label",
                    "invalid option \"rowz\"", "Grace   | Arlington", "1234567890.123456789",
                    "Pushed Down: (amount > 20) AND (kind = 'purchase')", "2024-05-02 | amount      | numeric",
                    "\"connectors_loaded\": [\"generator\", \"json\"]")) {
                assertTrue(out.contains(shown), "the demo shows \"" + shown + "\":\n" + out);
            }
        } finally {
            try (Connection c = cluster.connect()) {
                Sql.execute(c, "DROP DATABASE " + database + " WITH (FORCE)");
            }
        }
    }
}
