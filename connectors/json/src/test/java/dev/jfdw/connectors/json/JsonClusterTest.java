package dev.jfdw.connectors.json;

import dev.jfdw.testkit.ConnectorTest;
import dev.jfdw.testkit.Sql;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.zip.GZIPOutputStream;

/**
 * The JSON connector's end-to-end tests: a real cluster with the connector's
 * JAR, a wrapper and server named json, and a fresh directory of files per
 * test. Afterwards, no backend may have crashed.
 */
abstract class JsonClusterTest extends ConnectorTest {
    JsonClusterTest() {
        super("json");
    }

    /** Writes a file (UTF-8) into this test's directory. */
    Path file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    Path file(String name, byte[] content) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            return Files.write(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(String content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** CREATE FOREIGN TABLE name (columns) SERVER json OPTIONS (files 'path' [, more]), replacing any. */
    static void table(Connection c, String name, String columns, Path files, String... options) throws SQLException {
        StringBuilder opts = new StringBuilder("files '" + files + "'");
        for (String o : options) {
            opts.append(", ").append(o);
        }
        Sql.execute(c, "DROP FOREIGN TABLE IF EXISTS " + name,
                "CREATE FOREIGN TABLE " + name + " (" + columns + ") SERVER json OPTIONS (" + opts + ")");
    }
}
