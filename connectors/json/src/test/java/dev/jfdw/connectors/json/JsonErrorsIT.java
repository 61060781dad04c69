package dev.jfdw.connectors.json;

import static dev.jfdw.testkit.Sql.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jfdw.testkit.Sql;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Bad input: an ERROR that names the file, the line, the byte, the column
 * and the value, with the SQLSTATE PostgreSQL itself would use; or, with
 * on_error, the rows left out and counted. The session always goes on.
 */
class JsonErrorsIT extends JsonClusterTest {
    /** Runs {@code query}, which must fail with {@code state}; checks the session survives. */
    private ServerErrorMessage fails(Connection c, String state, String query) throws Exception {
        PSQLException e = Sql.expectError(c, state, query);
        assertEquals("1", Sql.value(c, "SELECT 1"), "the session goes on");
        return e.getServerErrorMessage();
    }

    @Test
    void aValueThatDoesNotFitNamesFileLineColumnAndValue() throws Exception {
        Path f = file("bad.ndjson", "{\"id\": 1}\n{\"id\": 2}\n{\"name\": \"x\", \"id\": \"abc\"}\n");
        try (Connection c = cluster.connect()) {
            table(c, "bad", "id int8, name text", f);
            ServerErrorMessage e = fails(c, "22P02", "SELECT * FROM bad");
            assertEquals("invalid input syntax for type bigint: \"abc\"", e.getMessage());
            // the value's own position: 20 bytes of two lines, 20 more to "abc"
            assertTrue(e.getWhere().contains("JSON file \"" + f + "\", line 3 (byte 40), column id: \"abc\""),
                    e.getWhere());
            assertEquals(List.of(row("x")), Sql.rows(c, "SELECT name FROM bad WHERE name IS NOT NULL"),
                    "a column the query does not read is not converted");
            // offsets count the file's bytes, a byte order mark and CRs included; in a gzip file, the decoded bytes
            String content = "{\"id\": 1}\n{\"id\": 2}\n{\"name\": \"x\", \"id\": \"abc\"}\n";
            Path bom = file("bad-bom-crlf.ndjson", "\uFEFF" + content.replace("\n", "\r\n"));
            Path gz = file("bad.ndjson.gz", gzip(content));
            for (var at : java.util.Map.of(bom, "line 3 (byte 45)", gz, "line 3 (byte 40)").entrySet()) {
                table(c, "bad", "id int8, name text", at.getKey());
                String where = fails(c, "22P02", "SELECT * FROM bad").getWhere();
                assertTrue(where.contains("JSON file \"" + at.getKey() + "\", " + at.getValue() + ", column id"), where);
            }
            // an object or array is located where it starts, line and byte alike
            Path pretty = file("pretty.json", "{\n  \"id\": 1,\n  \"n\": {\n    \"x\": 1\n  }\n}\n");
            table(c, "pretty", "id int8, n int4", pretty);
            String where = fails(c, "22P02", "SELECT * FROM pretty").getWhere();
            assertTrue(where.contains("line 3 (byte 20), column n"), where);
        }
    }

    @Test
    void analyzeOfABadFileFailsAsAQueryWould() throws Exception {
        Path f = file("analyze-bad.ndjson", "{\"id\": 1}\n{\"id\": 2}\n{\"id\": \"abc\"}\n");
        try (Connection c = cluster.connect()) {
            table(c, "analyze_bad", "id int8", f);
            ServerErrorMessage e = fails(c, "22P02", "ANALYZE analyze_bad");
            assertTrue(e.getWhere().contains("JSON file \"" + f + "\", line 3 (byte 27), column id: \"abc\""),
                    e.getWhere());
            assertEquals("0", Sql.value(c, "SELECT count(*) FROM pg_stats WHERE tablename = 'analyze_bad'"));
            // skipped rows are left out of the statistics, and said so
            Sql.execute(c, "ALTER FOREIGN TABLE analyze_bad OPTIONS (ADD on_error 'skip')", "ANALYZE analyze_bad");
            assertEquals("2", Sql.value(c, "SELECT reltuples::int8 FROM pg_class WHERE relname = 'analyze_bad'"));
        }
    }

    @Test
    void aTruncatedOrCorruptGzipFileFailsSayingWhereReadingStopped() throws Exception {
        StringBuilder content = new StringBuilder();
        for (int i = 1; i <= 20_000; i++) {
            content.append("{\"id\": ").append(i).append(", \"name\": \"row ").append(i * 7919L % 100_003).append("\"}\n");
        }
        byte[] whole = gzip(content.toString());
        Path truncated = file("truncated.ndjson.gz", java.util.Arrays.copyOf(whole, whole.length / 2));
        byte[] badCrc = whole.clone();
        badCrc[whole.length - 8] ^= 0x55; // the trailer's CRC-32: every byte decodes, the check fails
        Path corrupt = file("corrupt.ndjson.gz", badCrc);
        try (Connection c = cluster.connect()) {
            table(c, "gz", "id int8, name text", truncated);
            ServerErrorMessage e = fails(c, "58030", "SELECT count(*) FROM gz");
            assertEquals("could not read file \"" + truncated + "\": the gzip data ends early", e.getMessage());
            assertEquals("The file is truncated.", e.getDetail());
            assertTrue(e.getWhere().matches("(?s).*" + java.util.regex.Pattern.quote("JSON file \"" + truncated + "\", line ")
                    + "[1-9][0-9]* \\(byte [1-9][0-9]*\\).*"),
                    e.getWhere());
            Path headerOnly = file("header.ndjson.gz", java.util.Arrays.copyOf(whole, 5));
            table(c, "gz", "id int8, name text", headerOnly);
            e = fails(c, "58030", "SELECT count(*) FROM gz");
            assertEquals("could not read file \"" + headerOnly + "\": the gzip data ends early", e.getMessage());
            // the file a failed open leaves is closed at once, not when the garbage collector gets to it
            Path fds = Path.of("/proc", Sql.value(c, "SELECT pg_backend_pid()"), "fd");
            fails(c, "58030", "SELECT count(*) FROM gz"); // what the JVM opens once (class files) is open now
            long before;
            try (var open = java.nio.file.Files.list(fds)) {
                before = open.count();
            }
            for (int i = 0; i < 50; i++) {
                fails(c, "58030", "SELECT count(*) FROM gz");
            }
            try (var open = java.nio.file.Files.list(fds)) {
                assertEquals(before, open.count(), "the backend's open files");
            }
            table(c, "gz", "id int8, name text", corrupt);
            e = fails(c, "58030", "SELECT count(*) FROM gz");
            assertEquals("could not read file \"" + corrupt + "\": Corrupt GZIP trailer", e.getMessage());
            assertTrue(e.getWhere().matches("(?s).*" + java.util.regex.Pattern.quote("JSON file \"" + corrupt + "\", line ")
                    + "[1-9][0-9]* \\(byte [1-9][0-9]*\\).*"),
                    e.getWhere());
        }
    }

    @Test
    void eachKindOfBadValueHasItsSqlState() throws Exception {
        record Case(String type, String json, String state, String message) {}
        List<Case> cases = List.of(
                new Case("int2", "70000", "22003", "value \"70000\" is out of range for type smallint"),
                new Case("int8", "18446744073709551616", "22003",
                        "value \"18446744073709551616\" is out of range for type bigint"),
                new Case("int4", "1.5", "22P02", "invalid input syntax for type integer: \"1.5\""),
                new Case("int4", "true", "22P02", "invalid input syntax for type integer: \"true\""),
                new Case("int4", "{\"a\": 1}", "22P02", "invalid input syntax for type integer: \"{\"a\": 1}\""),
                // float4in and float8in word it without "value", and quote the number without the spaces around it
                new Case("float8", "1e999", "22003", "\"1e999\" is out of range for type double precision"),
                new Case("float4", "1e39", "22003", "\"1e39\" is out of range for type real"),
                new Case("float8", "\" 1e999 \"", "22003", "\"1e999\" is out of range for type double precision"),
                new Case("float4", "\" 1e39\\n\"", "22003", "\"1e39\" is out of range for type real"),
                // underflow: PostgreSQL refuses a non-zero number that rounds to 0, it does not store 0
                new Case("float8", "-1e-400", "22003", "\"-1e-400\" is out of range for type double precision"),
                new Case("float8", "\"2.4703282292062327e-324\"", "22003",
                        "\"2.4703282292062327e-324\" is out of range for type double precision"),
                new Case("float4", "1e-46", "22003", "\"1e-46\" is out of range for type real"),
                new Case("float4", "1e-400", "22003", "\"1e-400\" is out of range for type real"),
                new Case("float8", "\"0x1p-1075\"", "22003", "\"0x1p-1075\" is out of range for type double precision"),
                new Case("float4", "\"0x1p128\"", "22003", "\"0x1p128\" is out of range for type real"),
                new Case("float8", "\"0x1p\"", "22P02", "invalid input syntax for type double precision: \"0x1p\""),
                new Case("float8", "\"nan(-)\"", "22P02", "invalid input syntax for type double precision: \"nan(-)\""),
                new Case("numeric", "\"12abc\"", "22P02", "invalid input syntax for type numeric: \"12abc\""),
                new Case("numeric(3,1)", "123.4", "22003", "numeric field overflow"),
                new Case("bool", "\"maybe\"", "22P02", "invalid input syntax for type boolean: \"maybe\""),
                new Case("varchar(2)", "\"abc\"", "22001", "value too long for type character varying(2)"),
                new Case("date", "\"2024-02-30\"", "22008", "date/time field value out of range: \"2024-02-30\""),
                new Case("timestamptz", "\"yesterday-ish\"", "22007",
                        "invalid input syntax for type timestamp with time zone: \"yesterday-ish\""),
                new Case("uuid", "\"not-a-uuid\"", "22P02", "invalid input syntax for type uuid: \"not-a-uuid\""),
                new Case("text", "\"a\\u0000b\"", "22P05", "unsupported Unicode escape sequence"),
                new Case("jsonb", "{\"a\": \"\\u0000\"}", "22P05", "unsupported Unicode escape sequence"));
        try (Connection c = cluster.connect()) {
            for (Case k : cases) {
                Path f = file("one.ndjson", "{\"v\": " + k.json() + "}\n");
                table(c, "one", "v " + k.type(), f);
                ServerErrorMessage e = fails(c, k.state(), "SELECT * FROM one");
                assertEquals(k.message(), e.getMessage(), k.type() + " from " + k.json());
                assertTrue(e.getWhere().contains("JSON file \"" + f + "\", line 1"), e.getWhere());
                // the value as the file has it: a string's content (a NUL escaped), anything else its JSON text
                String shown = k.json();
                if (shown.startsWith("\"")) {
                    try (var p = new com.fasterxml.jackson.core.JsonFactory().createParser(shown)) {
                        p.nextToken();
                        shown = p.getText().replace("\0", "\\u0000");
                    }
                }
                assertTrue(e.getWhere().contains("column v: \"" + shown + "\""), shown + " in " + e.getWhere());
            }
        }
    }

    /** Text and bytes, in order. */
    private static byte[] utf8(Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                out.write((Integer) p);
            }
        }
        return out.toByteArray();
    }

    /**
     * Bad JSON is 22P02 with what is wrong in DETAIL, in JSON's terms (none
     * of Jackson's feature flags, nor its own idea of a position: CONTEXT
     * gives it); bytes that are not UTF-8 are 22021, as PostgreSQL and the
     * Arrow connector report them.
     */
    @Test
    void malformedFilesAreErrorsWithTheirPosition() throws Exception {
        record Case(String name, byte[] content, String state, String line, String said) {}
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
        byte[] utf16 = {(byte) 0xFF, (byte) 0xFE, '{', 0, '}', 0};
        byte[] badUtf8 = {'{', '}', '\n', '{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, '(', '"', '}', '\n'};
        String notUtf8 = "invalid byte sequence for encoding \"UTF8\": ";
        List<Case> cases = List.of(
                new Case("truncated.ndjson", "{\"id\": 1}\n{\"id\": 2, \"na".getBytes(), "22P02", "line 2", "end-of-input"),
                new Case("truncated-array.json", "[{\"id\": 1},\n {\"id\": 2}".getBytes(), "22P02", "line 2",
                        "end-of-input"),
                new Case("unclosed.ndjson", "{\"id\": 1}\n{\"id\": 2\n".getBytes(), "22P02", "line 3",
                        "Unexpected end-of-input: expected close marker for Object."),
                new Case("unclosed-array.ndjson", "{\"id\": [1}\n".getBytes(), "22P02", "line 1",
                        "Unexpected close marker '}': expected ']'."),
                new Case("nan.ndjson", "{\"id\": NaN}\n".getBytes(), "22P02", "line 1",
                        "Non-standard token 'NaN': JSON numbers are finite"),
                new Case("plus.ndjson", "{\"id\": +1}\n".getBytes(), "22P02", "line 1",
                        "JSON spec does not allow numbers to have plus signs."),
                new Case("comment.ndjson", "{\"id\": /* one */ 1}\n".getBytes(), "22P02", "line 1",
                        "maybe a (non-standard) comment? (JSON has none)."),
                new Case("text.txt", "hello, world\n".getBytes(), "22P02", "line 1", "Unrecognized token 'hello'"),
                new Case("garbage-after.ndjson", "{\"id\": 1}\n{\"id\": 2}}\n".getBytes(), "22P02", "line 2",
                        "close marker"),
                new Case("image.png", png, "22021", "line 1 (byte 0)", notUtf8 + "0x89"),
                new Case("bad-utf8.ndjson", badUtf8, "22021", "line 2 (byte 10)", notUtf8 + "0xc3 0x28"),
                new Case("bad-line.ndjson", utf8("{\"id\":1}\n", 0xFF, "\n"), "22021", "line 2 (byte 9)", notUtf8 + "0xff"),
                // what Jackson alone decodes: an overlong '/', a code point beyond U+10FFFF, a sequence cut off
                new Case("overlong.ndjson", utf8("{\"id\": 1, \"t\": \"a", 0xC0, 0xAF, "b\"}\n"), "22021",
                        "line 1 (byte 17)", notUtf8 + "0xc0 0xaf"),
                new Case("too-high.ndjson", utf8("{\"id\": 1}\n{\"t\": \"", 0xF4, 0x90, 0x80, 0x80, "\"}\n"),
                        "22021", "line 2", notUtf8 + "0xf4 0x90 0x80 0x80"),
                new Case("cut-off.ndjson", utf8("{\"id\": 1, \"t\": \"", 0xE2, 0x82), "22021", "line 1",
                        notUtf8 + "0xe2 0x82"),
                new Case("utf16.json", utf16, "22021", "line 1 (byte 0)", "UTF-16"),
                new Case("utf16-no-bom.json", new byte[] {'{', 0, '}', 0}, "22021", "line 1 (byte 1)", "UTF-16"));
        try (Connection c = cluster.connect()) {
            for (Case k : cases) {
                Path f = file(k.name(), k.content());
                table(c, "broken", "id int8", f);
                ServerErrorMessage e = fails(c, k.state(), "SELECT * FROM broken");
                if (k.state().equals("22P02")) {
                    assertEquals("invalid input syntax for type json", e.getMessage(), k.name());
                    assertNotNull(e.getDetail(), k.name());
                    assertFalse(e.getDetail().matches("(?s).*(Source:|REDACTED|Feature|`).*"), k.name() + ": " + e.getDetail());
                } else {
                    assertTrue(e.getMessage().startsWith(notUtf8), k.name() + ": " + e.getMessage());
                }
                String said = e.getMessage() + " " + e.getDetail();
                assertTrue(said.contains(k.said()), k.name() + ": " + said);
                assertTrue(e.getWhere().contains("JSON file \"" + f + "\", " + k.line()), k.name() + ": " + e.getWhere());
            }
            Path records = file("records.ndjson", "{\"id\": 1}\n[2]\n");
            table(c, "broken", "id int8", records);
            ServerErrorMessage e = fails(c, "22P02", "SELECT * FROM broken");
            assertEquals("JSON record is a number, not an object", e.getMessage(), "[2] is an array of one record, 2");
        }
    }

    @Test
    void missingAndUnreadableFiles() throws Exception {
        Path secret = file("secret.ndjson", "{\"id\": 1}\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        try (Connection c = cluster.connect()) {
            table(c, "missing", "id int8", dir.resolve("nowhere.ndjson"));
            ServerErrorMessage e = fails(c, "58P01", "SELECT * FROM missing");
            assertEquals("could not open file \"" + dir.resolve("nowhere.ndjson") + "\": No such file or directory",
                    e.getMessage());
            // EXPLAIN reads no file: it shows the option, as file_fdw does; a scan that never runs fails nothing
            String plan = Sql.rows(c, "EXPLAIN SELECT * FROM missing").toString();
            assertTrue(plan.contains("JSON Files: " + dir.resolve("nowhere.ndjson")), plan);
            assertFalse(plan.contains("JSON Size"), plan);
            Sql.rows(c, "EXPLAIN ANALYZE SELECT * FROM missing LIMIT 0");
            table(c, "unreadable", "id int8", secret);
            e = fails(c, "42501", "SELECT * FROM unreadable");
            assertEquals("could not open file \"" + secret + "\": Permission denied", e.getMessage());
        }
    }

    private static final String DIRTY = """
            {"id": 1, "n": 10, "ip": "10.0.0.1"}
            {"id": 2, "n": "ten", "ip": "10.0.0.2"}
            {"id": 3, "n": 30, "ip": "nope"}
            {"id": 4, "n": 40, "ip": "10.0.0.4"
            {"id": 5, "n": 50, "ip": "10.0.0.5"}
            this is not json
            {"id": 6, "n": 60}
            """;

    @Test
    void onErrorSkipLeavesOutBadRowsAndSaysSo() throws Exception {
        Path f = file("dirty.ndjson", DIRTY);
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            table(c, "dirty", "id int8, n int4, ip inet", f, "on_error 'skip'");
            List<String> ids = new ArrayList<>();
            try (var rs = s.executeQuery("SELECT id FROM dirty")) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            assertEquals(List.of("1", "5", "6"), ids);
            List<String> notices = Sql.notices(s);
            assertEquals(1, notices.size(), notices.toString());
            assertTrue(notices.getFirst().contains("foreign table \"dirty\": skipped 4 bad rows (on_error 'skip')"),
                    notices.getFirst());
            assertTrue(notices.getFirst().contains("invalid input syntax for type integer: \"ten\""), notices.getFirst());
            String plan = Sql.plan(c, "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF", "SELECT id FROM dirty");
            assertTrue(plan.contains("Rows Skipped: 4"), plan);
            assertTrue(plan.contains("On Error: skip"), plan);
            assertEquals(List.of(row("3")), Sql.rows(c, "SELECT count(*) FROM dirty"));
            // a scan cut short says what it skipped before it stopped: ids 2, 3 and 4, on the way to 5
            s.executeQuery("SELECT id FROM dirty LIMIT 2").close();
            notices = Sql.notices(s);
            assertEquals(1, notices.size(), notices.toString());
            assertTrue(notices.getFirst().contains("skipped 3 bad rows (on_error 'skip')"), notices.getFirst());
            // rescanned for each outer row: one notice for the query, not one per scan
            s.executeQuery("SELECT count(*) FROM (VALUES (1), (2), (3)) v(x), "
                    + "LATERAL (SELECT * FROM dirty WHERE n > v.x OFFSET 0) d").close();
            notices = Sql.notices(s);
            assertEquals(1, notices.size(), notices.toString());
            assertTrue(notices.getFirst().contains("skipped 12 bad rows in 3 scans (on_error 'skip')"),
                    notices.getFirst());
        }
    }

    /** A repeated key's last value is the one that counts (as in jsonb): a bad earlier one is no error, a bad last one is. */
    @Test
    void aBadValueOfARepeatedKeyCountsOnlyIfItIsTheLast() throws Exception {
        String good = """
                {"id": 1, "n": "ten", "n": 10}
                {"id": 2, "o": {"b": "x"}, "o": {"b": 2}}
                {"id": 4, "o": {"b": "y"}, "o": 5}
                """;
        String bad = "{\"id\": 3, \"n\": 30, \"n\": \"thirty\"}\n";
        String columns = "id int8, n int4, b int4 OPTIONS (path 'o.b')";
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            table(c, "rep", columns, file("rep-good.ndjson", good));
            assertEquals(List.of(row("1", "10", null), row("2", null, "2"), row("4", null, null)),
                    Sql.rows(c, "SELECT * FROM rep ORDER BY id"));
            assertEquals(List.of(row("1")), Sql.rows(c, "SELECT id FROM rep WHERE n = 10"));
            assertEquals(List.of(row("2")), Sql.rows(c, "SELECT id FROM rep WHERE b = 2"));

            Path all = file("rep.ndjson", good + bad);
            table(c, "rep", columns, all);
            ServerErrorMessage e = fails(c, "22P02", "SELECT * FROM rep");
            assertEquals("invalid input syntax for type integer: \"thirty\"", e.getMessage());
            assertTrue(e.getWhere().contains("JSON file \"" + all + "\", line 4"), e.getWhere());

            table(c, "rep", columns, all, "on_error 'skip'");
            assertEquals(List.of(row("1"), row("2"), row("4")), Sql.rows(c, "SELECT id FROM rep ORDER BY id"));
            s.executeQuery("SELECT id FROM rep").close();
            assertTrue(Sql.notices(s).getFirst().contains("skipped 1 bad row "), "one row: its last n");

            table(c, "rep", columns, all, "on_error 'null'");
            assertEquals(List.of(row("1", "10"), row("2", null), row("3", null), row("4", null)),
                    Sql.rows(c, "SELECT id, n FROM rep ORDER BY id"));
            s.executeQuery("SELECT * FROM rep").close();
            assertTrue(Sql.notices(s).getFirst().contains("set 1 bad value to NULL "), "one value: row 3's last n");
        }
    }

    /**
     * A line may end with LF, CRLF or a CR alone (old Mac files): on_error
     * finds the next record after a malformed one whichever it is, and line
     * numbers after that restart count lines as before it.
     */
    @Test
    void onErrorFindsTheNextRecordWhateverTheLineEnds() throws Exception {
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            for (String end : List.of("\n", "\r\n", "\r")) {
                String name = end.equals("\r") ? "cr" : end.equals("\n") ? "lf" : "crlf";
                Path f = file(name + ".ndjson", String.join(end, "{\"a\": 1}", "{\"a\": 2", "{\"a\": 3}", "{\"a\": 4}",
                        "{\"a\": \"x\"}", ""));
                table(c, "ends", "a int4", f, "on_error 'skip'");
                assertEquals(List.of(row("1"), row("3"), row("4")), Sql.rows(c, "SELECT a FROM ends"), name);
                s.executeQuery("SELECT a FROM ends").close();
                String notice = Sql.notices(s).getFirst();
                assertTrue(notice.contains("skipped 2 bad rows"), name + ": " + notice);
                // where record 2 turns out unfinished: the { of line 3
                assertTrue(notice.contains("JSON file \"" + f + "\", line 3 "), name + ": " + notice);

                // an error on_error cannot skip, after a restart: its line is still right
                Path g = file(name + "-array.ndjson", String.join(end, "{\"a\": 1}", "{\"a\": 2", "{\"a\": 3}",
                        "[{\"a\": 4},,", "]", ""));
                table(c, "ends", "a int4", g, "on_error 'skip'");
                ServerErrorMessage e = fails(c, "22P02", "SELECT a FROM ends");
                assertTrue(e.getWhere().contains("JSON file \"" + g + "\", line 4 "), name + ": " + e.getWhere());
            }
        }
    }

    /**
     * Rows a pushed-down qual takes out are not checked, as PostgreSQL never
     * sees them: whether a bad value fails the query must not depend on
     * whether its key comes before the one the qual rejects or after it. A
     * bad value in the column the qual tests decides nothing: it is an
     * error (or skipped) as without the qual, or with on_error 'null' the
     * qual tests the NULL it became. EXPLAIN ANALYZE counts each row once.
     */
    @Test
    void aRowAQualTakesOutIsNotChecked() throws Exception {
        Path f = file("order.ndjson", "{\"id\": 1, \"x\": \"bad\"}\n{\"x\": \"bad\", \"id\": 2}\n{\"id\": 3, \"x\": 4}\n");
        String analyze = "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF";
        try (Connection c = cluster.connect()) {
            table(c, "ordered", "id int4, x int4", f);
            assertEquals(List.of(row("3", "4")), Sql.rows(c, "SELECT * FROM ordered WHERE id = 3"));
            String plan = Sql.plan(c, analyze, "SELECT * FROM ordered WHERE id = 3");
            assertTrue(plan.contains("Rows Removed by Connector Filter: 2") && plan.contains("Rows Skipped: 0"), plan);
            ServerErrorMessage e = fails(c, "22P02", "SELECT * FROM ordered WHERE x = 4");
            assertTrue(e.getWhere().contains("line 1 (byte 15), column x: \"bad\""), e.getWhere());

            table(c, "ordered", "id int4, x int4", f, "on_error 'skip'");
            plan = Sql.plan(c, analyze, "SELECT * FROM ordered WHERE id = 3");
            assertTrue(plan.contains("Rows Removed by Connector Filter: 2") && plan.contains("Rows Skipped: 0"), plan);
            assertEquals(List.of(row("3", "4")), Sql.rows(c, "SELECT * FROM ordered WHERE x = 4"));
            plan = Sql.plan(c, analyze, "SELECT * FROM ordered WHERE x = 4");
            assertTrue(plan.contains("Rows Removed by Connector Filter: 0") && plan.contains("Rows Skipped: 2"), plan);

            table(c, "ordered", "id int4, x int4", f, "on_error 'null'");
            assertEquals(List.of(row("1", null), row("2", null)), Sql.rows(c, "SELECT * FROM ordered WHERE x IS NULL"));
            plan = Sql.plan(c, analyze, "SELECT * FROM ordered WHERE x IS NULL");
            assertTrue(plan.contains("Pushed Down: (x IS NULL)"), plan);
            assertTrue(plan.contains("Rows Removed by Connector Filter: 1") && plan.contains("Values Set to NULL: 2"), plan);
            assertEquals(List.of(row("3", "4")), Sql.rows(c, "SELECT * FROM ordered WHERE x = 4"));
            plan = Sql.plan(c, analyze, "SELECT * FROM ordered WHERE id = 3");
            assertTrue(plan.contains("Rows Removed by Connector Filter: 2") && plan.contains("Values Set to NULL: 0"), plan);
        }
    }

    /**
     * A type's input function raises its error at once, with no
     * subtransaction under on_error 'error': the scan converts such values
     * at the record's end, so a qual on another column, or a repeated key,
     * decides first, in whatever order the keys come.
     */
    @Test
    void anInputFunctionsBadValueFailsOnlyARowThatIsKept() throws Exception {
        String good = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
        String content = "{\"id\": 1, \"u\": \"nope\"}\n{\"u\": \"nope\", \"id\": 2}\n{\"id\": 3, \"u\": \"" + good
                + "\"}\n{\"u\": \"nope\", \"id\": 4, \"u\": \"" + good + "\"}\n{\"d\": -5, \"id\": 5}\n";
        Path f = file("inputs.ndjson", content);
        int line2 = content.indexOf('\n') + 1;
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            s.execute("DROP DOMAIN IF EXISTS positive CASCADE");
            s.execute("CREATE DOMAIN positive AS int4 CHECK (VALUE > 0)");
            table(c, "inputs", "id int4, u uuid, d positive", f);
            for (int id : new int[] {3, 4}) {
                assertEquals(List.of(row(String.valueOf(id), good)),
                        Sql.rows(c, "SELECT id, u FROM inputs WHERE id = " + id), "id " + id);
            }
            String plan = Sql.plan(c, "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF", "SELECT u FROM inputs WHERE id = 3");
            assertTrue(plan.contains("Rows Removed by Connector Filter: 4"), plan);
            for (int id : new int[] {1, 2}) {
                ServerErrorMessage e = fails(c, "22P02", "SELECT u FROM inputs WHERE id = " + id);
                assertTrue(e.getMessage().contains("invalid input syntax for type uuid: \"nope\""), e.getMessage());
                int at = content.indexOf("\"nope\"", id == 1 ? 0 : line2);
                assertTrue(e.getWhere().contains("line " + id + " (byte " + at + "), column u: \"nope\""), e.getWhere());
            }
            // a bad value decides nothing, not even IS NULL on its own column: without the qual it is an error too
            ServerErrorMessage e = fails(c, "22P02", "SELECT id FROM inputs WHERE u IS NULL");
            assertTrue(e.getWhere().contains("line 1 "), e.getWhere());
            assertEquals(List.of(row("3"), row("4")), Sql.rows(c, "SELECT id FROM inputs WHERE u IS NOT NULL AND id > 2"));
            e = fails(c, "23514", "SELECT d FROM inputs WHERE id = 5");
            assertTrue(e.getWhere().contains("line 5 (byte " + content.indexOf("-5") + "), column d: \"-5\""),
                    e.getWhere());
            assertEquals(List.of(row("4")), Sql.rows(c, "SELECT id FROM inputs WHERE id = 4 AND d IS NULL"));
        }
    }

    /**
     * After a malformed record, on_error reads on to the next line that
     * starts one, however far, in one call: a timeout stops it there. Here
     * no line follows for a terabyte (a sparse file, all NUL bytes), which
     * would take minutes to read to its end.
     */
    @Test
    @Timeout(60)
    void aTimeoutStopsTheSearchForTheNextRecord() throws Exception {
        Path f = file("far.ndjson", "{\"id\": 1}\n{\"id\": oops}\n");
        try {
            try (RandomAccessFile sparse = new RandomAccessFile(f.toFile(), "rw")) {
                sparse.setLength(1L << 40);
            } catch (IOException e) {
                assumeTrue(false, "this file system holds no sparse file of a terabyte: " + e);
            }
            try (Connection c = cluster.connect()) {
                table(c, "far", "id int4", f, "on_error 'skip'");
                Sql.execute(c, "SET statement_timeout = '200ms'");
                ServerErrorMessage e = fails(c, "57014", "SELECT count(*) FROM far");
                assertTrue(e.getWhere().contains("jfdw connector \"json\", IterateForeignScan"), e.getWhere());
            }
        } finally {
            Files.delete(f); // nothing that copies the directory should read a terabyte of zeros
        }
    }

    /** A malformed record that spans lines is skipped whole: its nested objects on lines of their own are not rows. */
    @Test
    void onErrorSkipsAMalformedPrettyPrintedRecordWhole() throws Exception {
        Path f = file("pretty.json", """
                {
                  "id": 1,
                  "child":
                    {"id": 99},
                  BROKEN
                }
                {"id": 2}
                {
                  "id": 3
                }
                """);
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            table(c, "pretty", "id int8", f, "on_error 'skip'");
            assertEquals(List.of(row("2"), row("3")), Sql.rows(c, "SELECT id FROM pretty"));
            s.executeQuery("SELECT id FROM pretty").close();
            List<String> notices = Sql.notices(s);
            assertTrue(notices.getFirst().contains("skipped 1 bad row "), notices.toString());
        }
    }

    @Test
    void onErrorNullKeepsTheRowWithoutTheBadValue() throws Exception {
        Path f = file("dirty.ndjson", DIRTY);
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            table(c, "dirty", "id int8, n int4, ip inet", f, "on_error 'null'");
            assertEquals(List.of(row("1", "10", "10.0.0.1"), row("2", null, "10.0.0.2"), row("3", "30", null),
                    row("5", "50", "10.0.0.5"), row("6", "60", null)), Sql.rows(c, "SELECT * FROM dirty"));
            s.executeQuery("SELECT * FROM dirty").close();
            List<String> notices = Sql.notices(s);
            assertTrue(notices.getFirst().contains("set 2 bad values to NULL and skipped 2 malformed records "
                    + "(on_error 'null')"), notices.toString());
            String plan = Sql.plan(c, "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF", "SELECT * FROM dirty");
            assertTrue(plan.contains("Values Set to NULL: 2"), plan);
            assertTrue(plan.contains("Rows Skipped: 2"), plan);
        }
    }

    /**
     * A record with no value for a column whose domain refuses NULL: the
     * domain's own error, located in the file; on_error skips the row, for
     * 'null' too (NULL is what the domain refuses). A domain that NULL
     * passes (CHECK (VALUE > 0)) keeps the row.
     */
    @Test
    void aMissingValueADomainRefusesIsABadValue() throws Exception {
        Path f = file("gaps.ndjson", "{\"id\": 1, \"r\": 10, \"p\": 1}\n{\"id\": 2, \"p\": 2}\n"
                + "{\"id\": 3, \"r\": null}\n{\"id\": 4, \"r\": \"x\"}\n{\"id\": 5, \"r\": 50}\n");
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            Sql.execute(c, "DROP DOMAIN IF EXISTS required_int CASCADE", "DROP DOMAIN IF EXISTS positive_int CASCADE",
                    "CREATE DOMAIN required_int AS int4 NOT NULL", "CREATE DOMAIN positive_int AS int4 CHECK (VALUE > 0)");
            table(c, "gaps", "id int8, r required_int, p positive_int", f);
            ServerErrorMessage e = fails(c, "23502", "SELECT id, r FROM gaps");
            assertEquals("domain required_int does not allow null values", e.getMessage());
            assertTrue(e.getWhere().contains("JSON file \"" + f + "\", line 2 (byte 27), column r: no value"),
                    e.getWhere());
            assertEquals(List.of(row("1", "1"), row("2", "2"), row("3", null), row("4", null), row("5", null)),
                    Sql.rows(c, "SELECT id, p FROM gaps ORDER BY id"), "a column the query does not read is not checked");
            for (String mode : List.of("skip", "null")) {
                table(c, "gaps", "id int8, r required_int, p positive_int", f, "on_error '" + mode + "'");
                assertEquals(List.of(row("1", "10", "1"), row("5", "50", null)), Sql.rows(c, "SELECT * FROM gaps"),
                        "on_error " + mode);
                s.executeQuery("SELECT * FROM gaps").close();
                List<String> notices = Sql.notices(s);
                assertTrue(notices.getFirst().contains("domain required_int does not allow null values")
                        || notices.getFirst().contains("invalid input syntax"), notices.toString());
                // the same rows whichever columns the query reads
                assertEquals(List.of(row("1"), row("5")), Sql.rows(c, "SELECT id FROM gaps ORDER BY id"), mode);
                assertEquals("2", Sql.value(c, "SELECT count(*) FROM gaps"), mode);
            }
            // with on_error 'null' the rows are not malformed, nor their values set to NULL: the notice says why they went
            s.executeQuery("SELECT * FROM gaps").close();
            assertTrue(Sql.notices(s).getFirst().contains("foreign table \"gaps\": skipped 3 rows with a bad or missing value "
                    + "in a column whose domain refuses NULL (on_error 'null')"), "ids 2, 3 and 4");
            Path mixed = file("gaps-mixed.ndjson", "{\"id\": 1, \"r\": 1, \"p\": 0}\n{\"id\": 2}\n{\"id\": 3, \"r\": 3\n"
                    + "{\"id\": 4, \"r\": 4}\n");
            table(c, "gaps", "id int8, r required_int, p positive_int", mixed, "on_error 'null'");
            assertEquals(List.of(row("1", "1", null), row("4", "4", null)), Sql.rows(c, "SELECT * FROM gaps"));
            s.executeQuery("SELECT * FROM gaps").close();
            List<String> notices = Sql.notices(s);
            assertTrue(notices.getFirst().contains(": set 1 bad value to NULL and skipped 1 malformed record and 1 row "
                    + "with a bad or missing value in a column whose domain refuses NULL (on_error 'null')."),
                    notices.toString());
            // a key met again takes back what the first one held, inside it too: the domain sees no value
            Path nested = file("nested.ndjson", "{\"id\": 1, \"a\": {\"d\": 5}, \"a\": null}\n{\"id\": 2, \"a\": {\"d\": 6}}\n");
            Sql.execute(c, "DROP FOREIGN TABLE IF EXISTS nested_gaps", "CREATE FOREIGN TABLE nested_gaps (id int8, "
                    + "d required_int OPTIONS (path 'a.d')) SERVER json OPTIONS (files '" + nested + "', on_error 'skip')");
            assertEquals(List.of(row("2", "6")), Sql.rows(c, "SELECT * FROM nested_gaps"));
        }
    }

    /**
     * Whether a domain refuses NULL is asked without a subtransaction, which
     * PostgreSQL forbids while a query runs in parallel mode (any Gather in
     * the plan, or force_parallel_mode): the domain's own error, as
     * PostgreSQL words it, parallel or not. on_error, which needs
     * subtransactions to catch input functions' errors, says how to run the
     * query instead.
     */
    @Test
    void domainsRefuseNullInParallelQueriesToo() throws Exception {
        Path f = file("parallel.ndjson", "{\"id\": 1, \"r\": 10, \"c\": 1}\n{\"id\": 2}\n");
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DROP DOMAIN IF EXISTS required_int CASCADE", "DROP DOMAIN IF EXISTS checked_int CASCADE",
                    "CREATE DOMAIN required_int AS int4 NOT NULL",
                    "CREATE DOMAIN checked_int AS int4 CHECK (VALUE IS NOT NULL)");
            String notNull = Sql.expectError(c, "23502", "SELECT NULL::required_int").getServerErrorMessage().getMessage();
            String check = Sql.expectError(c, "23514", "SELECT NULL::checked_int").getServerErrorMessage().getMessage();
            for (String parallel : List.of("off", "on")) {
                Sql.execute(c, "SET force_parallel_mode = " + parallel);
                table(c, "par", "id int8, r required_int, c checked_int", f);
                assertEquals(notNull, fails(c, "23502", "SELECT id, r FROM par").getMessage(), parallel);
                assertEquals(check, fails(c, "23514", "SELECT id, c FROM par").getMessage(), parallel);
                assertEquals(List.of(row("1"), row("2")), Sql.rows(c, "SELECT id FROM par ORDER BY id"), parallel);
            }
            // a CHECK that cannot evaluate NULL: outside parallel mode, asked in a subtransaction, it
            // refuses NULL with its own error, and values it takes read as PostgreSQL reads them
            Sql.execute(c, "SET force_parallel_mode = off", "DROP DOMAIN IF EXISTS fragile_int CASCADE",
                    "CREATE DOMAIN fragile_int AS int4 CHECK (100 / coalesce(VALUE, 0) > 0)");
            table(c, "fragile", "id int8, r fragile_int", f);
            assertEquals(List.of(row("1", "10")), Sql.rows(c, "SELECT id, r FROM fragile WHERE id = 1"));
            assertEquals("division by zero", fails(c, "22012", "SELECT id, r FROM fragile").getMessage());
            Sql.execute(c, "SET force_parallel_mode = on");
            table(c, "par", "id int8, r required_int, c checked_int", f, "on_error 'skip'");
            ServerErrorMessage e = fails(c, "25000", "SELECT * FROM par");
            assertEquals("cannot start subtransactions during a parallel operation", e.getMessage());
            assertEquals("Run the query without parallelism: SET max_parallel_workers_per_gather = 0.", e.getHint());
            Sql.execute(c, "SET max_parallel_workers_per_gather = 0");
            assertEquals(List.of(row("1", "10", "1")), Sql.rows(c, "SELECT * FROM par"), "as the hint says");
        }
    }

    /**
     * Numbers whose exponent overflows are numeric_in's overflow (22003), a
     * bad value that on_error can set to NULL, not a malformed record.
     */
    @Test
    void aNumericExponentBeyondRangeIsAnOverflow() throws Exception {
        Path f = file("exponents.ndjson", "{\"id\": 1, \"n\": 1e99999999999}\n{\"id\": 2, \"n\": \"1e99999999999\"}\n"
                + "{\"id\": 3, \"n\": 2.5}\n");
        try (Connection c = cluster.connect()) {
            table(c, "exponents", "id int8, n numeric", f);
            ServerErrorMessage e = fails(c, "22003", "SELECT * FROM exponents");
            assertEquals("value overflows numeric format", e.getMessage());
            assertTrue(e.getWhere().contains("line 1"), e.getWhere());
            table(c, "exponents", "id int8, n numeric", f, "on_error 'null'");
            assertEquals(List.of(row("1", null), row("2", null), row("3", "2.5")),
                    Sql.rows(c, "SELECT * FROM exponents ORDER BY id"));
        }
    }

    /**
     * Valid JSON beyond the connector's limits (a key over 1 MiB, a number
     * of more than 150,000 digits) is no syntax error: 54000, as PostgreSQL
     * reports its own limits; on_error skips the record.
     */
    @Test
    void validJsonBeyondTheLimitsIsAProgramLimit() throws Exception {
        String key = "k".repeat((1 << 20) + 1);
        Path f = file("limits.ndjson", "{\"id\": 1}\n{\"" + key + "\": 1, \"id\": 2}\n{\"id\": 3, \"n\": "
                + "1".repeat(150_001) + "}\n{\"id\": 4, \"n\": " + "1".repeat(150_000) + "}\n");
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            table(c, "limits", "id int8, n text", f);
            ServerErrorMessage e = fails(c, "54000", "SELECT id FROM limits");
            assertEquals("JSON record exceeds a limit of the JSON connector", e.getMessage());
            assertEquals("Name length (1048577) exceeds the maximum allowed (1048576).", e.getDetail());
            assertTrue(e.getWhere().contains("JSON file \"" + f + "\", line 2"), e.getWhere());
            table(c, "limits", "id int8, n text", f, "on_error 'skip'");
            assertEquals(List.of(row("1", null), row("4", "150000")),
                    Sql.rows(c, "SELECT id, length(n) FROM limits"), "150,000 digits are read, as text");
            s.executeQuery("SELECT id FROM limits").close();
            String notice = Sql.notices(s).getFirst();
            assertTrue(notice.contains("skipped 2 bad rows (on_error 'skip'). The first: JSON record exceeds a limit of "
                    + "the JSON connector (Name length (1048577) exceeds the maximum allowed (1048576).)"), notice);
            table(c, "limits", "id int8, n text", file("number.ndjson", "{\"n\": " + "1".repeat(150_001) + "}\n"));
            e = fails(c, "54000", "SELECT id FROM limits");
            assertEquals("Number value length (150001) exceeds the maximum allowed (150000).", e.getDetail());
        }
    }

    @Test
    void onErrorCannotSkipInsideAMalformedArray() throws Exception {
        Path f = file("array.json", "[{\"id\": 1}, {\"id\": 2,, {\"id\": 3}]");
        try (Connection c = cluster.connect()) {
            table(c, "arr", "id int8", f, "on_error 'skip'");
            ServerErrorMessage e = fails(c, "22P02", "SELECT * FROM arr");
            assertTrue(e.getHint().contains("cannot find the next record inside a malformed top-level array"),
                    e.getHint());
            file("values.json", "[{\"id\": 1}, {\"id\": \"x\"}, {\"id\": 3}]");
            table(c, "arr", "id int8", dir.resolve("values.json"), "on_error 'skip'");
            assertEquals(List.of(row("1"), row("3")), Sql.rows(c, "SELECT * FROM arr"),
                    "a bad value in a well-formed array is skipped");
        }
    }
}
