package dev.jfdw.connectors.json;

import static dev.jfdw.testkit.Sql.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfdw.testkit.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Every option's validation, at CREATE and ALTER time, and who may name files on the server. */
class JsonOptionsIT extends JsonClusterTest {
    private Path data;

    @BeforeEach
    void data() {
        data = file("data.ndjson", "{\"id\": 1, \"a\": {\"b\": 2}}\n");
    }

    private static ServerErrorMessage error(Connection c, String state, String sql) {
        PSQLException e = Sql.expectError(c, state, sql);
        return e.getServerErrorMessage();
    }

    @Test
    void unknownOptionsAreRejectedWhereverTheyAreSet() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DROP FOREIGN TABLE IF EXISTS opt");
            ServerErrorMessage e = error(c, "HV00D",
                    "CREATE FOREIGN TABLE opt (id int8) SERVER json OPTIONS (file '" + data + "')");
            assertEquals("invalid option \"file\"", e.getMessage());
            assertEquals("Valid options in this context are: batch_size, files, on_error.", e.getHint());
            e = error(c, "HV00D", "CREATE FOREIGN TABLE opt (id int8 OPTIONS (files 'x')) SERVER json "
                    + "OPTIONS (files '" + data + "')");
            assertTrue(e.getHint().startsWith("Option \"files\" belongs on the foreign table"), e.getHint());
            e = error(c, "HV00D", "ALTER SERVER json OPTIONS (ADD files '" + data + "')");
            assertTrue(e.getHint().startsWith("Option \"files\" belongs on the foreign table"), e.getHint());
            e = error(c, "HV00D", "ALTER SERVER json OPTIONS (ADD fils '" + data + "')");
            assertEquals("Valid options in this context are: batch_size, on_error.", e.getHint());
            error(c, "HV00D", "CREATE USER MAPPING FOR CURRENT_USER SERVER json OPTIONS (on_error 'skip')");
            error(c, "HV00D", "ALTER FOREIGN DATA WRAPPER json OPTIONS (ADD files '/x')");
        }
    }

    @Test
    void badValuesNameTheOptionAndTheValue() throws Exception {
        try (Connection c = cluster.connect()) {
            table(c, "opt", "id int8", data);
            ServerErrorMessage e = error(c, "HV024", "ALTER FOREIGN TABLE opt OPTIONS (ADD on_error 'ignore')");
            assertEquals("invalid value for option \"on_error\": \"ignore\"", e.getMessage());
            assertEquals("Expected one of: error, skip, null.", e.getDetail());
            e = error(c, "HV024", "ALTER FOREIGN TABLE opt ALTER COLUMN id OPTIONS (ADD path 'a..b')");
            assertEquals("invalid value for option \"path\": \"a..b\"", e.getMessage());
            assertTrue(e.getDetail().contains("empty key"), e.getDetail());
            for (String path : List.of("a[x]", "a[1", "\"a", "a.", "")) {
                error(c, "HV024", "ALTER FOREIGN TABLE opt ALTER COLUMN id OPTIONS (ADD path '" + path + "')");
            }
            // a server option's value is checked as a table's is
            e = error(c, "HV024", "ALTER SERVER json OPTIONS (ADD on_error 'ignore')");
            assertEquals("invalid value for option \"on_error\": \"ignore\"", e.getMessage());
            error(c, "HV024", "ALTER SERVER json OPTIONS (ADD batch_size '100001')");
            error(c, "HV024", "ALTER FOREIGN TABLE opt OPTIONS (SET files '  ')");
            error(c, "HV024", "ALTER FOREIGN TABLE opt OPTIONS (ADD batch_size '0')");
            e = error(c, "HV002", "ALTER FOREIGN TABLE opt OPTIONS (DROP files)");
            assertEquals("option \"files\" is required", e.getMessage());
            // options that exclude each other: refused when the second is set, in one statement or two
            e = error(c, "HV024", "ALTER FOREIGN TABLE opt ALTER COLUMN id OPTIONS (ADD key 'id', ADD path 'id')");
            assertEquals("options \"path\" and \"key\" cannot both be set", e.getMessage());
            Sql.execute(c, "ALTER FOREIGN TABLE opt ALTER COLUMN id OPTIONS (ADD key 'id')");
            error(c, "HV024", "ALTER FOREIGN TABLE opt ALTER COLUMN id OPTIONS (ADD path 'id')");
            error(c, "HV024", "CREATE FOREIGN TABLE opt2 (a int OPTIONS (path 'b', key 'a')) SERVER json "
                    + "OPTIONS (files '" + data + "')");
            assertEquals(List.of(row("1")), Sql.rows(c, "SELECT id FROM opt"));
            assertEquals(List.of(row("1")), Sql.rows(c, "SELECT 1"), "the session goes on");
        }
    }

    @Test
    void goodValuesWork() throws Exception {
        try (Connection c = cluster.connect()) {
            table(c, "opt", "id int8 OPTIONS (key 'id'), b int4 OPTIONS (path 'a.b')", data,
                    "on_error 'null'", "batch_size '1'");
            Sql.execute(c, "ALTER SERVER json OPTIONS (ADD on_error 'skip')");
            try {
                assertEquals(List.of(row("1", "2")), Sql.rows(c, "SELECT * FROM opt"));
                String plan = Sql.plan(c, "COSTS OFF", "SELECT * FROM opt");
                assertTrue(plan.contains("On Error: null"), "the table's option wins over the server's: " + plan);
            } finally {
                Sql.execute(c, "ALTER SERVER json OPTIONS (DROP on_error)");
            }
        }
    }

    @Test
    void onlyPrivilegedRolesNameServerFiles() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DROP SCHEMA IF EXISTS alice_s CASCADE", "DROP SCHEMA IF EXISTS reader_s CASCADE",
                    "DROP ROLE IF EXISTS alice", "DROP ROLE IF EXISTS reader",
                    "CREATE ROLE alice LOGIN", "CREATE ROLE reader LOGIN IN ROLE pg_read_server_files",
                    "GRANT USAGE ON FOREIGN SERVER json TO alice, reader",
                    "CREATE SCHEMA alice_s AUTHORIZATION alice", "CREATE SCHEMA reader_s AUTHORIZATION reader");
            table(c, "alice_s.given", "id int8", data);
            Sql.execute(c, "ALTER FOREIGN TABLE alice_s.given OWNER TO alice");
        }
        try (Connection alice = cluster.connect("alice")) {
            ServerErrorMessage e = error(alice, "42501", "CREATE FOREIGN TABLE alice_s.mine (line text) "
                    + "SERVER json OPTIONS (files '/etc/passwd')");
            assertTrue(e.getMessage().contains("only superuser or a role with privileges of the "
                    + "pg_read_server_files role may specify the files option"), e.getMessage());
            error(alice, "42501", "ALTER FOREIGN TABLE alice_s.given OPTIONS (SET files '/etc/passwd')");
            assertEquals(List.of(row("1")), Sql.rows(alice, "SELECT id FROM alice_s.given"),
                    "reading a table a superuser set up is fine");
            // as with file_fdw, the validator sees the whole new option list, files included
            error(alice, "42501", "ALTER FOREIGN TABLE alice_s.given OPTIONS (ADD on_error 'skip')");
            e = error(alice, "42501", "IMPORT FOREIGN SCHEMA x FROM SERVER json INTO alice_s OPTIONS (directory '"
                    + dir + "')");
            assertTrue(e.getMessage().startsWith("permission denied to import JSON files"), e.getMessage());
        }
        try (Connection reader = cluster.connect("reader")) {
            Sql.execute(reader, "CREATE FOREIGN TABLE reader_s.mine (id int8) SERVER json OPTIONS (files '"
                    + data + "')");
            assertEquals(List.of(row("1")), Sql.rows(reader, "SELECT id FROM reader_s.mine"));
        }
    }
}
