package dev.jfdw.connectors.json;

import static dev.jfdw.testkit.Sql.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jfdw.testkit.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/** IMPORT FOREIGN SCHEMA "/a/directory": a table per file and per subdirectory, typed from the first records. */
class JsonImportIT extends JsonClusterTest {
    private static final String LONG_KEY = "a key much longer than the sixty-three bytes PostgreSQL keeps of a name";

    @BeforeEach
    void files() {
        file("events.ndjson", """
                {"id": 1, "name": "a", "score": 1.5, "ok": true, "ts": "2024-01-01T00:00:00Z", "day": "2024-01-01", \
                "local": "2024-01-01T10:00:00", "uid": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "tags": ["x"], \
                "meta": {"k": 1}, "mixed": 1, "big": 123456789012345678901234567890, "precise": 0.12345678901234567, \
                "nothing": null, "%s": 7, "": "empty key"}
                {"id": 2, "mixed": "one", "late": 5}
                """.formatted(LONG_KEY));
        file("people.json", "[{\"name\": \"p1\", \"age\": 30}, {\"name\": \"p2\", \"age\": null}]");
        file("logs.json.gz", gzip("{\"msg\": \"m\", \"level\": 3}\n"));
        file("parts/a.ndjson", "{\"x\": 1}\n");
        file("parts/b.ndjson", "{\"x\": 2.5}\n");
        file(".hidden.json", "{\"secret\": 1}\n");
        file("growing.ndjson", "{\"v\": 1}\n{\"v\": 2}\n{\"v\": 2.5}\n");
    }

    private static List<List<String>> columns(Connection c, String schema, String table) throws Exception {
        return Sql.rows(c, "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '"
                + schema + "' AND table_name = '" + table + "' ORDER BY ordinal_position");
    }

    private static void schema(Connection c, String name) throws Exception {
        Sql.execute(c, "DROP SCHEMA IF EXISTS " + name + " CASCADE", "CREATE SCHEMA " + name);
    }

    @Test
    void aTablePerFileAndDirectoryWithInferredTypes() throws Exception {
        // a remote schema name holds 63 bytes: a short link to the test's directory
        Path link = Path.of("/tmp/jfdw-json-import-" + ProcessHandle.current().pid());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, dir);
        try (Connection c = cluster.connect()) {
            schema(c, "imported");
            Sql.execute(c, "IMPORT FOREIGN SCHEMA \"" + link + "\" FROM SERVER json INTO imported");
            assertEquals(List.of(row("events"), row("growing"), row("logs"), row("parts"), row("people")),
                    Sql.rows(c, "SELECT foreign_table_name FROM information_schema.foreign_tables "
                            + "WHERE foreign_table_schema = 'imported' ORDER BY 1"));
            String truncated = LONG_KEY.substring(0, 63);
            assertEquals(List.of(row("id", "bigint"), row("name", "text"), row("score", "double precision"),
                    row("ok", "boolean"), row("ts", "timestamp with time zone"), row("day", "date"),
                    row("local", "timestamp without time zone"), row("uid", "uuid"), row("tags", "jsonb"),
                    row("meta", "jsonb"), row("mixed", "text"), row("big", "numeric"), row("precise", "numeric"),
                    row("nothing", "text"), row(truncated, "bigint"), row("column16", "text"), row("late", "bigint")),
                    columns(c, "imported", "events"));
            assertEquals(List.of(row("1", "a", "7", "empty key", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
                    row("2", null, null, null, null)), Sql.rows(c, "SELECT id, name, \"" + truncated
                    + "\", column16, uid FROM imported.events ORDER BY id"));
            assertEquals(List.of(row("p1", "30"), row("p2", null)),
                    Sql.rows(c, "SELECT name, age FROM imported.people ORDER BY name"));
            assertEquals(List.of(row("m", "3")), Sql.rows(c, "SELECT msg, level FROM imported.logs"));
            assertEquals(List.of(row("x", "double precision")), columns(c, "imported", "parts"));
            assertEquals(List.of(row("1"), row("2.5")), Sql.rows(c, "SELECT x FROM imported.parts ORDER BY x"));
        } finally {
            Files.delete(link);
        }
    }

    /** A number a double cannot hold makes its column numeric: else the imported table could not be read. */
    @Test
    void numbersBeyondADoubleAreNumeric() throws Exception {
        Path d = file("magnitudes/m.ndjson", "{\"huge\": 1e400, \"tiny\": -1e-400, \"zero\": 0.0e5, \"sub\": 4.9e-324}\n")
                .getParent();
        try (Connection c = cluster.connect()) {
            schema(c, "magnitudes");
            Sql.execute(c, "IMPORT FOREIGN SCHEMA whatever FROM SERVER json INTO magnitudes OPTIONS (directory '" + d + "')");
            assertEquals(List.of(row("huge", "numeric"), row("tiny", "numeric"), row("zero", "double precision"),
                    row("sub", "double precision")), columns(c, "magnitudes", "m"));
            assertEquals(List.of(row("true")), Sql.rows(c, "SELECT (huge = '1e400' AND tiny = '-1e-400' "
                    + "AND zero = 0 AND sub = '4.9e-324')::text FROM magnitudes.m"));
        }
    }

    /** Names PostgreSQL would cut to the same 63 bytes: each table, and each column, gets one of its own. */
    @Test
    void longFileNamesMakeDistinctTables() throws Exception {
        String stem = "a".repeat(70);
        String key = "k".repeat(70);
        Path d = file("long/" + stem + "1.ndjson", "{\"v\": 1, \"" + key + "1\": 10, \"" + key + "2\": 20}\n").getParent();
        file("long/" + stem + "2.ndjson", "{\"v\": 2}\n");
        try (Connection c = cluster.connect()) {
            schema(c, "long_names");
            Sql.execute(c, "IMPORT FOREIGN SCHEMA whatever FROM SERVER json INTO long_names OPTIONS (directory '" + d + "')");
            assertEquals(List.of(row("1"), row("2")), Sql.rows(c, "SELECT v FROM long_names.\"" + "a".repeat(63)
                    + "\" UNION ALL SELECT v FROM long_names.\"" + "a".repeat(61) + "_3\""));
            assertEquals(List.of(row("10", "20")), Sql.rows(c, "SELECT " + "k".repeat(63) + ", " + "k".repeat(61)
                    + "_2 FROM long_names.\"" + "a".repeat(63) + "\""));
        }
    }

    /** A key named like a system column (xmin, ctid, ...) gets a column of another name: the import would fail. */
    @Test
    void keysNamedLikeSystemColumnsGetOtherNames() throws Exception {
        Path d = file("system/s.ndjson", "{\"xmin\": 1, \"xmax\": 2, \"cmin\": 3, \"cmax\": 4, \"ctid\": \"t\", "
                + "\"tableoid\": 5, \"XMIN\": 6, \"oid\": 7}\n").getParent();
        try (Connection c = cluster.connect()) {
            schema(c, "system_names");
            Sql.execute(c, "IMPORT FOREIGN SCHEMA x FROM SERVER json INTO system_names OPTIONS (directory '" + d + "')");
            assertEquals(List.of(row("xmin_2", "bigint"), row("xmax_2", "bigint"), row("cmin_2", "bigint"),
                    row("cmax_2", "bigint"), row("ctid_2", "text"), row("tableoid_2", "bigint"), row("XMIN", "bigint"),
                    row("oid", "bigint")), columns(c, "system_names", "s"));
            assertEquals(List.of(row("1", "2", "3", "4", "t", "5", "6", "7")), Sql.rows(c, "SELECT xmin_2, xmax_2, "
                    + "cmin_2, cmax_2, ctid_2, tableoid_2, \"XMIN\", oid FROM system_names.s"));
        }
    }

    @Test
    void limitToExceptAndSampleSize() throws Exception {
        try (Connection c = cluster.connect()) {
            schema(c, "chosen");
            Sql.execute(c, "IMPORT FOREIGN SCHEMA whatever LIMIT TO (people, growing) FROM SERVER json INTO chosen "
                    + "OPTIONS (directory '" + dir + "', sample_size '2')");
            assertEquals(List.of(row("growing"), row("people")), Sql.rows(c, "SELECT foreign_table_name "
                    + "FROM information_schema.foreign_tables WHERE foreign_table_schema = 'chosen' ORDER BY 1"));
            assertEquals(List.of(row("v", "bigint")), columns(c, "chosen", "growing"), "two records are all integers");
            PSQLException e = Sql.expectError(c, "22P02", "SELECT * FROM chosen.growing");
            assertEquals("invalid input syntax for type bigint: \"2.5\"", e.getServerErrorMessage().getMessage());

            schema(c, "rest");
            Sql.execute(c, "IMPORT FOREIGN SCHEMA whatever EXCEPT (events, parts) FROM SERVER json INTO rest "
                    + "OPTIONS (directory '" + dir + "')");
            assertEquals(List.of(row("growing"), row("logs"), row("people")), Sql.rows(c, "SELECT foreign_table_name "
                    + "FROM information_schema.foreign_tables WHERE foreign_table_schema = 'rest' ORDER BY 1"));
            assertEquals(List.of(row("v", "double precision")), columns(c, "rest", "growing"));
        }
    }

    @Test
    void badImports() throws Exception {
        try (Connection c = cluster.connect()) {
            schema(c, "nowhere");
            PSQLException e = Sql.expectError(c, "HV00Q",
                    "IMPORT FOREIGN SCHEMA \"/no/such/dir\" FROM SERVER json INTO nowhere");
            assertEquals("directory \"/no/such/dir\" does not exist", e.getServerErrorMessage().getMessage());
            Sql.expectError(c, "HV00Q", "IMPORT FOREIGN SCHEMA public FROM SERVER json INTO nowhere");
            Sql.expectError(c, "HV00D", "IMPORT FOREIGN SCHEMA x FROM SERVER json INTO nowhere "
                    + "OPTIONS (directory '" + dir + "', sample '5')");
            Sql.expectError(c, "HV024", "IMPORT FOREIGN SCHEMA x FROM SERVER json INTO nowhere "
                    + "OPTIONS (directory '" + dir + "', sample_size '0')");
            file("broken/bad.ndjson", "{\"a\": 1}\n{\"a\": \n");
            e = Sql.expectError(c, "22P02", "IMPORT FOREIGN SCHEMA x FROM SERVER json INTO nowhere "
                    + "OPTIONS (directory '" + dir.resolve("broken") + "')");
            assertEquals("invalid input syntax for type json", e.getServerErrorMessage().getMessage());
            assertEquals(List.of(row("1")), Sql.rows(c, "SELECT 1"));
        }
    }
}
