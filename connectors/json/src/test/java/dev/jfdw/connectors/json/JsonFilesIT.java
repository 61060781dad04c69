package dev.jfdw.connectors.json;

import static dev.jfdw.testkit.Sql.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfdw.testkit.Sql;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shapes a JSON source comes in: NDJSON or an array, gzip, BOM, CRLF, directories, globs, big files. */
class JsonFilesIT extends JsonClusterTest {
    private static final String COLUMNS = "id int8, name text, tags jsonb";
    private static final List<List<String>> ROWS = List.of(
            row("1", "one", "[\"a\"]"), row("2", "two", null), row("3", null, "{\"k\": [1, 2]}"));
    private static final String[] RECORDS = {
        "{\"id\": 1, \"name\": \"one\", \"tags\": [\"a\"]}",
        "{\"name\": \"two\", \"id\": 2, \"extra\": {\"ignored\": [1, {\"deep\": true}]}}",
        "{\"id\": 3, \"name\": null, \"tags\": {\"k\": [1, 2]}}"};

    private List<List<String>> read(Connection c, Path files) throws Exception {
        table(c, "shaped", COLUMNS, files);
        return Sql.rows(c, "SELECT * FROM shaped");
    }

    @Test
    void everyShapeGivesTheSameRows() throws Exception {
        String ndjson = String.join("\n", RECORDS) + "\n";
        String array = "[\n  " + String.join(",\n  ", RECORDS) + "\n]\n";
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] withBom = new byte[bom.length + ndjson.length()];
        System.arraycopy(bom, 0, withBom, 0, 3);
        System.arraycopy(ndjson.getBytes(StandardCharsets.UTF_8), 0, withBom, 3, ndjson.length());
        try (Connection c = cluster.connect()) {
            assertEquals(ROWS, read(c, file("plain.ndjson", ndjson)), "NDJSON");
            assertEquals(ROWS, read(c, file("no-final-newline.ndjson", ndjson.strip())), "no final newline");
            assertEquals(ROWS, read(c, file("array.json", array)), "a top-level array, pretty-printed");
            assertEquals(ROWS, read(c, file("crlf.ndjson", ndjson.replace("\n", "\r\n"))), "CRLF");
            assertEquals(ROWS, read(c, file("bom.ndjson", withBom)), "with a UTF-8 BOM");
            assertEquals(ROWS, read(c, file("data.ndjson.gz", gzip(ndjson))), "gzip");
            assertEquals(ROWS, read(c, file("gzip-without-suffix", gzip(array))), "gzip, found by its magic number");
            assertEquals(ROWS, read(c, file("blank-lines.ndjson", "\n\n" + String.join("\n\n  \n", RECORDS))),
                    "blank lines");
            assertEquals(ROWS, read(c, file("two-arrays.json", "[" + RECORDS[0] + "]\n[" + RECORDS[1] + ", "
                    + RECORDS[2] + "]")), "arrays one after another");
        }
    }

    @Test
    void emptyFilesHaveNoRows() throws Exception {
        try (Connection c = cluster.connect()) {
            for (String empty : List.of("", "   \n\n", "[]", "[ ]\n")) {
                assertEquals(List.of(), read(c, file("empty.json", empty)), "\"" + empty + "\"");
            }
            assertEquals(List.of(), read(c, file("empty.json.gz", gzip(""))));
        }
    }

    @Test
    void aDirectoryOrAGlobReadsSeveralFilesInNameOrder() throws Exception {
        file("parts/b.ndjson", RECORDS[1] + "\n");
        file("parts/a.ndjson", RECORDS[0] + "\n");
        file("parts/c.json.gz", gzip("[" + RECORDS[2] + "]"));
        file("parts/.hidden.ndjson", "{\"id\": 99}\n");
        file("parts/sub/d.ndjson", "{\"id\": 4}\n");
        try (Connection c = cluster.connect()) {
            assertEquals(ROWS, read(c, dir.resolve("parts")), "a directory: its files, not its subdirectories");
            assertEquals(List.of(ROWS.get(0), ROWS.get(1)), read(c, dir.resolve("parts/*.ndjson")), "*.ndjson");
            assertEquals(List.of(row("1"), row("2"), row("3"), row("4")), readIds(c, dir.resolve("parts/**")),
                    "** reaches subdirectories; hidden files stay hidden");
            assertEquals(List.of(), read(c, dir.resolve("parts/*.csv")), "a glob may match nothing");
            String plan = Sql.plan(c, "VERBOSE, COSTS OFF", "SELECT * FROM shaped");
            assertTrue(plan.contains("JSON Files: 0 ("), plan);
            table(c, "shaped", COLUMNS, dir.resolve("parts/{a,c}*"));
            plan = Sql.plan(c, "VERBOSE, COSTS OFF", "SELECT * FROM shaped");
            assertTrue(plan.contains("JSON Files: 2 (" + dir.resolve("parts/{a,c}*") + ")"), plan);
            assertTrue(plan.contains("JSON File List: " + dir.resolve("parts/a.ndjson") + ", "
                    + dir.resolve("parts/c.json.gz")), plan);
        }
    }

    /**
     * A name with wildcard characters that exists is that file (IMPORT names
     * files so); a bad pattern is refused when set; a FIFO is refused, not
     * waited on beyond cancel; a directory a glob cannot read is an error,
     * not missing rows.
     */
    @Test
    void namesWithWildcardsFifosAndUnreadableDirectories() throws Exception {
        file("odd/x*.ndjson", "{\"id\": 1}\n");
        file("odd/xa.ndjson", "{\"id\": 2}\n");
        file("odd/br[1].ndjson", "{\"id\": 3}\n");
        file("odd/sub/deep.ndjson", "{\"id\": 4}\n");
        try (Connection c = cluster.connect()) {
            assertEquals(List.of(row("1")), readIds(c, dir.resolve("odd/x*.ndjson")));
            assertEquals(List.of(row("3")), readIds(c, dir.resolve("odd/br[1].ndjson")));
            assertEquals(List.of(row("1"), row("2")), readIds(c, dir.resolve("odd/x?.ndjson")));
            assertEquals(List.of(row("1"), row("2"), row("3"), row("4")), readIds(c, dir.resolve("odd/**/*.ndjson")),
                    "**/ matches no directory too");
            var e = Sql.expectError(c, "HV024", "CREATE FOREIGN TABLE badglob (id int8) SERVER json OPTIONS "
                    + "(files '" + dir.resolve("odd/[.ndjson") + "')");
            assertTrue(e.getServerErrorMessage().getDetail().contains("is not a valid glob pattern"),
                    e.getServerErrorMessage().getDetail());

            Path fifo = dir.resolve("odd/pipe.ndjson");
            assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
            Files.setPosixFilePermissions(fifo, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
            table(c, "shaped", COLUMNS, fifo);
            e = Sql.expectError(c, "58030", "SELECT * FROM shaped");
            assertTrue(e.getServerErrorMessage().getMessage().contains("is not a regular file"),
                    e.getServerErrorMessage().getMessage());
            Files.delete(fifo);

            Path locked = Files.createDirectories(dir.resolve("odd/sub/locked"));
            Files.setPosixFilePermissions(locked, java.util.Set.of()); // the cluster runs as an unprivileged user
            try {
                table(c, "shaped", COLUMNS, dir.resolve("odd/**/*.ndjson"));
                e = Sql.expectError(c, "42501", "SELECT * FROM shaped");
                assertTrue(e.getServerErrorMessage().getMessage().contains(locked.toString()),
                        e.getServerErrorMessage().getMessage());
                assertEquals("1", Sql.value(c, "SELECT 1"));
            } finally {
                Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    /**
     * Symbolic links are followed, as a shell follows them: a link as the
     * directory a pattern starts from, or on the way. The directory a pattern
     * starts from must exist (most likely a typo, else).
     */
    @Test
    void globsFollowSymbolicLinksAndNeedTheirBaseDirectory() throws Exception {
        file("real/a.ndjson", "{\"id\": 1}\n");
        file("real/sub/b.ndjson", "{\"id\": 2}\n");
        Path linked = Files.createSymbolicLink(dir.resolve("linked"), dir.resolve("real"));
        Files.createSymbolicLink(dir.resolve("real/sub/loop"), dir.resolve("real"));
        try (Connection c = cluster.connect()) {
            assertEquals(List.of(row("1")), readIds(c, linked.resolve("*.ndjson")));
            assertEquals(List.of(row("1"), row("2")), readIds(c, linked.resolve("**/*.ndjson")), "a loop is not followed");
            String plan = Sql.plan(c, "VERBOSE, COSTS OFF", "SELECT * FROM shaped");
            assertTrue(plan.contains("JSON File List: " + linked.resolve("a.ndjson") + ", "
                    + linked.resolve("sub/b.ndjson")), "the names the pattern gives: " + plan);
            file("real/sub/deeper/c.ndjson", "{\"id\": 3}\n");
            Files.createSymbolicLink(dir.resolve("real/via"), dir.resolve("real/sub/deeper"));
            assertEquals(List.of(row("3")), readIds(c, dir.resolve("real/*/c.ndjson")), "real/via/c.ndjson");

            table(c, "shaped", COLUMNS, dir.resolve("nowhere/*.ndjson"));
            var e = Sql.expectError(c, "58P01", "SELECT * FROM shaped");
            assertEquals("could not open directory \"" + dir.resolve("nowhere") + "\": No such file or directory",
                    e.getServerErrorMessage().getMessage());
            plan = Sql.plan(c, "COSTS OFF", "SELECT * FROM shaped");
            assertTrue(plan.contains("JSON Files: " + dir.resolve("nowhere/*.ndjson")), "EXPLAIN reads no file: " + plan);
        }
    }

    private List<List<String>> readIds(Connection c, Path files) throws Exception {
        table(c, "shaped", COLUMNS, files);
        return Sql.rows(c, "SELECT id FROM shaped ORDER BY id");
    }

    @Test
    void aHundredThousandLines() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 100_000; i++) {
            b.append("{\"id\":").append(i).append(",\"name\":\"name ").append(i).append("\",\"score\":")
                    .append(i / 4.0).append(",\"ts\":\"2000-01-01T00:00:00Z\",\"nested\":{\"a\":[").append(i)
                    .append("]}}\n");
        }
        Path f = file("big.ndjson", b.toString());
        try (Connection c = cluster.connect()) {
            table(c, "big", "id int8, name text, score float8, ts timestamptz", f);
            assertEquals(row("100000", "5000050000", "name 99999", "1250012500"),
                    Sql.rows(c, "SELECT count(*), sum(id), max(name), sum(score) FROM big").getFirst());
            String plan = Sql.plan(c, "", "SELECT * FROM big");
            Matcher m = Pattern.compile("rows=(\\d+)").matcher(plan);
            assertTrue(m.find(), plan);
            long estimate = Long.parseLong(m.group(1));
            assertTrue(estimate > 50_000 && estimate < 200_000, "the estimate from the file size: " + plan);
            assertTrue(plan.contains("JSON Files: " + f), plan);
            assertTrue(plan.contains("JSON Size: " + b.length() + " bytes"), plan);
            // gzip that compresses these lines ~10x: the estimate is the same number of rows
            table(c, "big", "id int8", file("big.ndjson.gz", gzip(b.toString())));
            m = Pattern.compile("rows=(\\d+)").matcher(Sql.plan(c, "", "SELECT * FROM big"));
            assertTrue(m.find());
            long gzipped = Long.parseLong(m.group(1));
            assertTrue(gzipped > 50_000 && gzipped < 200_000, "the estimate of the gzip file: " + gzipped);
        }
    }

    /** The estimate's bytes per record is remembered per file version: a rewrite of the same size is seen. */
    @Test
    void theRowEstimateFollowsAFileRewrittenDuringTheSession() throws Exception {
        String wide = "{\"id\":0,\"pad\":\"" + "x".repeat(110 - 18) + "\"}\n";
        String narrow = "{\"id\":123}\n";
        assertEquals(110, wide.length());
        assertEquals(11, narrow.length());
        Path f = file("rewritten.ndjson", wide.repeat(1000));
        try (Connection c = cluster.connect()) {
            table(c, "rewritten", "id int8", f);
            assertTrue(Sql.plan(c, "", "SELECT * FROM rewritten").contains("rows=1000 "));
            assertTrue(Sql.plan(c, "", "SELECT * FROM rewritten").contains("rows=1000 "));
            file("rewritten.ndjson", narrow.repeat(10_000));
            Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
            String plan = Sql.plan(c, "", "SELECT * FROM rewritten");
            assertTrue(plan.contains("rows=10000 "), plan);
            assertEquals("10000", Sql.value(c, "SELECT count(*) FROM rewritten"));
        }
    }

    /**
     * Planning samples the start of a file, not a whole file of a few huge
     * records: the bad end of this one is not met (a read of it all would
     * fail and plan with a guess of 100 bytes a record, 30,000 rows).
     */
    @Test
    void planningReadsAFileOfHugeRecordsOnlyInPart() throws Exception {
        String huge = "{\"id\":1,\"pad\":\"" + "x".repeat(3 << 20) + "\"}\n";
        Path f = file("huge.ndjson", huge + "{\"id\": oops}\n");
        try (Connection c = cluster.connect()) {
            table(c, "huge", "id int8", f);
            Matcher m = Pattern.compile("rows=(\\d+)").matcher(Sql.plan(c, "", "SELECT * FROM huge"));
            assertTrue(m.find());
            long estimate = Long.parseLong(m.group(1));
            assertTrue(estimate >= 1 && estimate <= 5, "from the first MiB of the first record: " + estimate);
        }
    }

    @Test
    void aLimitStopsReading() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 200_000; i++) {
            b.append("{\"id\":").append(i).append("}\n");
        }
        Path f = file("long.ndjson", b.toString());
        try (Connection c = cluster.connect()) {
            table(c, "long", "id int8", f);
            assertEquals(List.of(row("1"), row("2"), row("3")), Sql.rows(c, "SELECT id FROM long LIMIT 3"));
            String plan = Sql.plan(c, "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF", "SELECT id FROM long LIMIT 3");
            assertTrue(plan.contains("Limit Pushed Down: 3"), plan);
            Matcher m = Pattern.compile("Bytes Read: (\\d+)").matcher(plan);
            assertTrue(m.find(), plan);
            assertTrue(Long.parseLong(m.group(1)) < b.length() / 4, "read " + m.group(1) + " of " + b.length());
        }
    }
}
