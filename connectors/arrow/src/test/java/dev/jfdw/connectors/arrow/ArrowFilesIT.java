package dev.jfdw.connectors.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfdw.testkit.Sql;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionUtil.CodecType;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.MetadataVersion;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

/** Files, batches and formats; projection, estimates, IMPORT; bad files. */
class ArrowFilesIT extends ArrowClusterTest {
    static final Schema ROWS = new Schema(List.of(
            Field.nullable("id", new ArrowType.Int(64, true)),
            Field.nullable("name", ArrowType.Utf8.INSTANCE),
            Field.nullable("score", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
            Field.nullable("ts", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"))));
    /** The columns of ROWS, as a foreign table declares them. */
    static final String COLUMNS = "id int8, name text, score float8, ts timestamptz";
    /** The same rows in SQL, for row number n: every 7th name and every 5th score NULL. */
    static final String ROWS_SQL = "SELECT n::int8 AS id, CASE WHEN n %% 7 = 0 THEN NULL ELSE 'name ' || n END AS name, "
            + "CASE WHEN n %% 5 = 0 THEN NULL ELSE n / 4.0 END::float8 AS score, "
            + "to_timestamp(n * 60) AS ts FROM generate_series(%d, %d) n";

    /** Rows first .. first + count - 1 of the shape above, as batches of {@code perBatch} rows. */
    Path rows(String name, boolean fileFormat, long first, int batches, int perBatch) {
        return rows(name, fileFormat, first, batches, perBatch, CodecType.NO_COMPRESSION);
    }

    Path rows(String name, boolean fileFormat, long first, int batches, int perBatch, CodecType codec) {
        int[] sizes = new int[batches];
        Arrays.fill(sizes, perBatch);
        return rows(name, fileFormat, first, sizes, codec);
    }

    /** Rows from {@code first} on, in batches of {@code sizes[b]} rows. */
    Path rows(String name, boolean fileFormat, long first, int[] sizes, CodecType codec) {
        return write(name, fileFormat, ROWS, null, sizes, codec, (root, b) -> {
            BigIntVector id = (BigIntVector) root.getVector("id");
            VarCharVector nm = (VarCharVector) root.getVector("name");
            Float8Vector score = (Float8Vector) root.getVector("score");
            TimeStampMicroTZVector ts = (TimeStampMicroTZVector) root.getVector("ts");
            int perBatch = sizes[b];
            long before = Arrays.stream(sizes, 0, b).asLongStream().sum();
            for (int i = 0; i < perBatch; i++) {
                long n = first + before + i;
                id.setSafe(i, n);
                if (n % 7 != 0) {
                    nm.setSafe(i, ("name " + n).getBytes(StandardCharsets.UTF_8));
                }
                if (n % 5 != 0) {
                    score.setSafe(i, n / 4.0);
                }
                ts.setSafe(i, n * 60_000_000);
            }
            for (var v : root.getFieldVectors()) {
                v.setValueCount(perBatch);
            }
        });
    }

    private static void sameRows(Connection c, String table, String sql) throws Exception {
        assertEquals("0", Sql.value(c, "SELECT count(*) FROM (SELECT * FROM " + table + " EXCEPT ALL " + sql + ") x"));
        assertEquals("0", Sql.value(c, "SELECT count(*) FROM (" + sql + " EXCEPT ALL SELECT * FROM " + table + ") x"));
    }

    @Test
    void multiBatchFileEqualsTheHeapTable() throws Exception {
        Path f = rows("many.arrow", true, 1, 12, 10_000);
        long mark = cluster.logMark();
        try (Connection c = cluster.connect()) {
            table(c, "many", COLUMNS, f);
            Sql.execute(c, "CREATE TEMP TABLE heap AS " + ROWS_SQL.formatted(1, 120_000));
            sameRows(c, "many", "SELECT * FROM heap");
            assertEquals(Sql.rows(c, "SELECT count(*), sum(id), max(name), avg(score), max(ts) FROM heap"),
                    Sql.rows(c, "SELECT count(*), sum(id), max(name), avg(score), max(ts) FROM many"));
            // exact row count from the footer
            assertContains(Sql.plan(c, "", "SELECT * FROM many"), "rows=120000 ");
            // the columnar path: the glue converts every column itself, a thousand rows a Java call
            String analyzed = Sql.plan(c, "ANALYZE", "SELECT * FROM many");
            assertContains(analyzed, "Rows From Columns: 120000");
            var calls = java.util.regex.Pattern.compile("Java Calls: (\\d+)").matcher(analyzed);
            assertTrue(calls.find() && Long.parseLong(calls.group(1)) < 150, analyzed);
            assertFalse(analyzed.contains("Converted in Java"), analyzed);
            // an int64 into numeric is converted in Java, and EXPLAIN says so
            table(c, "many_numeric", "id numeric, name text", f);
            assertEquals("7200060000", Sql.value(c, "SELECT sum(id) FROM many_numeric"));
            assertContains(Sql.plan(c, "ANALYZE", "SELECT * FROM many_numeric"), "Columns Converted in Java: id\n");
        }
        // Arrow's logging goes to the server log, warnings only: no SLF4J complaint, no INFO chatter per session
        String log = cluster.logSince(mark);
        assertFalse(log.contains("SLF4J") || log.contains("org.apache.arrow"), log);
    }

    /**
     * ANALYZE through the columnar path: with every row in the sample, the
     * statistics equal a heap table's of the same rows (the values of each
     * batch copied out before the next batch reuses their memory).
     */
    @Test
    void analyzeGivesTheStatisticsOfTheSameRowsInAHeapTable() throws Exception {
        Path f = rows("analyzed.arrow", true, 1, 5, 1000);
        String stats = "SELECT attname, null_frac, avg_width, n_distinct, most_common_vals::text, "
                + "most_common_freqs::text, histogram_bounds::text FROM pg_stats WHERE tablename = '%s' ORDER BY attname";
        try (Connection c = cluster.connect()) {
            table(c, "analyzed", COLUMNS, f);
            Sql.execute(c, "DROP TABLE IF EXISTS analyzed_heap",
                    "CREATE TABLE analyzed_heap AS " + ROWS_SQL.formatted(1, 5000),
                    "ANALYZE analyzed", "ANALYZE analyzed_heap");
            List<List<String>> heap = Sql.rows(c, stats.formatted("analyzed_heap"));
            assertEquals(4, heap.size());
            assertEquals(heap, Sql.rows(c, stats.formatted("analyzed")));
            assertEquals("5000", Sql.value(c, "SELECT reltuples::int8 FROM pg_class WHERE relname = 'analyzed'"));
        }
    }

    /** Row counts are read once per session and file: a file rewritten since is counted again. */
    @Test
    void theRowEstimateFollowsAFileRewrittenDuringTheSession() throws Exception {
        Path f = rows("changing.arrow", true, 1, 2, 1000);
        try (Connection c = cluster.connect()) {
            table(c, "changing", COLUMNS, f);
            assertContains(Sql.plan(c, "", "SELECT * FROM changing"), "rows=2000 ");
            assertContains(Sql.plan(c, "", "SELECT * FROM changing"), "rows=2000 ");
            rows("changing.arrow", true, 1, 3, 1000);
            assertContains(Sql.plan(c, "", "SELECT * FROM changing"), "rows=3000 ");
            assertEquals("3000", Sql.value(c, "SELECT count(*) FROM changing"));
        }
    }

    @Test
    void streamFormatAndSeveralFiles() throws Exception {
        rows("part1.arrows", false, 1, 3, 1000);
        rows("part2.arrow", true, 3001, 2, 1000);
        try (Connection c = cluster.connect()) {
            table(c, "parts", COLUMNS, dir);
            sameRows(c, "parts", ROWS_SQL.formatted(1, 5000));
            table(c, "globbed", COLUMNS, dir.resolve("part*.arrow*"));
            assertEquals("5000", Sql.value(c, "SELECT count(*) FROM globbed"));
        }
    }

    @Test
    void zeroRowFilesAndEmptyBatches() throws Exception {
        Path none = rows("none.arrow", true, 1, 0, 0);
        Path empty = rows("empty.arrow", true, 1, 3, 0);
        try (Connection c = cluster.connect()) {
            table(c, "none", "id int8, name text", none);
            assertEquals("0", Sql.value(c, "SELECT count(*) FROM none"));
            table(c, "empty", "id int8, name text", empty);
            assertEquals("0", Sql.value(c, "SELECT count(*) FROM empty"));
        }
    }

    @Test
    void emptyBatchesAndFilesBetweenRowsLoseNothing() throws Exception {
        Path mixed = Files.createDirectories(dir.resolve("mixed"));
        for (boolean fileFormat : new boolean[] {true, false}) {
            String ext = fileFormat ? ".arrow" : ".arrows";
            rows("mixed/a" + ext, fileFormat, 1, new int[] {0, 1000, 0, 0, 1000, 0}, CodecType.NO_COMPRESSION);
            rows("mixed/b" + ext, fileFormat, 1, 0, 0);
            rows("mixed/c" + ext, fileFormat, 2001, new int[] {1, 0, 999}, CodecType.NO_COMPRESSION);
        }
        try (Connection c = cluster.connect()) {
            table(c, "mixed_file", COLUMNS, mixed.resolve("*.arrow"));
            sameRows(c, "mixed_file", ROWS_SQL.formatted(1, 3000));
            table(c, "mixed_stream", COLUMNS, mixed.resolve("*.arrows"));
            sameRows(c, "mixed_stream", ROWS_SQL.formatted(1, 3000));
            assertContains(Sql.plan(c, "", "SELECT * FROM mixed_file"), "rows=3000 ");
        }
    }

    @Test
    void batchesAreReadOneAtATime() throws Exception {
        Path f = rows("twelve.arrow", true, 1, 12, 10_000);
        try (Connection c = cluster.connect()) {
            table(c, "twelve", COLUMNS, f);
            String plan = Sql.plan(c, "ANALYZE", "SELECT * FROM twelve LIMIT 5");
            assertContains(plan, "Record Batches Read: 1");
            assertTrue(bytesRead(c, "SELECT * FROM twelve LIMIT 5") < Files.size(f) / 10, plan);
            assertContains(Sql.plan(c, "ANALYZE", "SELECT * FROM twelve"), "Record Batches Read: 12");
        }
    }

    @Test
    void projectionReadsOnlyNeededColumnsAndGivesTheSameRows() throws Exception {
        Path f = rows("proj.arrow", true, 1, 2, 500);
        try (Connection c = cluster.connect()) {
            table(c, "proj", "id int8, name text, score float8, ts timestamptz, missing_ok text", f);
            // a column the file lacks is only an error when the query reads it
            assertEquals(Sql.rows(c, "SELECT sum(id), max(name) FROM (" + ROWS_SQL.formatted(1, 1000) + ") x"),
                    Sql.rows(c, "SELECT sum(id), max(name) FROM proj"));
            String plan = Sql.plan(c, "VERBOSE", "SELECT sum(id) FROM proj");
            assertContains(plan, "Columns Read: id");
            // and reads only their buffers: none for count(*), the ids' 8 kB for sum(id), all for every column
            long none = bytesRead(c, "SELECT count(*) FROM proj");
            long ids = bytesRead(c, "SELECT sum(id) FROM proj");
            long all = bytesRead(c, "SELECT id, name, score, ts FROM proj");
            assertTrue(ids - none >= 1000 * 8 && ids - none < 1000 * 8 + 1024, none + " / " + ids);
            assertTrue(all > ids + 1000 * 16, ids + " / " + all);
            assertTrue(all <= Files.size(f), all + " / " + Files.size(f));
            // two columns on one field
            table(c, "proj2", "a int8 OPTIONS (field 'id'), b int8 OPTIONS (field 'id'), s float8 OPTIONS (field 'score')", f);
            assertEquals(Sql.rows(c, "SELECT sum(id), sum(id), sum(score) FROM proj"),
                    Sql.rows(c, "SELECT sum(a), sum(b), sum(s) FROM proj2"));
            var e = Sql.expectError(c, "HV005", "SELECT missing_ok FROM proj");
            assertContains(all(e), "missing_ok");
            assertContains(all(e), "id, name, score, ts");
        }
    }

    private static long bytesRead(Connection c, String query) throws Exception {
        String plan = Sql.plan(c, "ANALYZE", query);
        var m = java.util.regex.Pattern.compile("Arrow Bytes Read: (\\d+) bytes").matcher(plan);
        assertTrue(m.find(), plan);
        return Long.parseLong(m.group(1));
    }

    @Test
    void aTypeThatCannotFitIsAnErrorAtScanStart() throws Exception {
        Path f = rows("t.arrow", true, 1, 1, 10);
        try (Connection c = cluster.connect()) {
            table(c, "wrong", "id int8, ts date", f);
            var e = Sql.expectError(c, "HV004", "SELECT ts FROM wrong");
            assertContains(all(e), "column \"ts\" of type date");
            assertContains(all(e), "Timestamp(MICROSECOND, UTC)");
            assertContains(all(e), f.toString());
            assertEquals("10", Sql.value(c, "SELECT count(id) FROM wrong"));
            // at scan start, not at the first value: a file without rows fails the same way
            table(c, "wrong_empty", "id int8, ts date", rows("t0.arrow", true, 1, 0, 0));
            assertContains(all(Sql.expectError(c, "HV004", "SELECT ts FROM wrong_empty")), "column \"ts\" of type date");
        }
    }

    @Test
    void badFilesNameTheFile() throws Exception {
        Path good = rows("a_good.arrow", true, 1, 4, 1000);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(dir.resolve("truncated.arrow"), Arrays.copyOf(bytes, bytes.length / 2));
        // the footer kept, the batches it points at cut out
        int tail = java.nio.ByteBuffer.wrap(bytes, bytes.length - 10, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() + 10;
        byte[] hollow = Arrays.copyOf(bytes, bytes.length / 3 + tail);
        System.arraycopy(bytes, bytes.length - tail, hollow, bytes.length / 3, tail);
        Path hollowed = Files.write(dir.resolve("hollowed.arrow"), hollow);
        Path notArrow = Files.write(dir.resolve("notes.arrow"), "id,name\n1,x\n".getBytes(StandardCharsets.UTF_8));
        Path otherSchema = write("b_other.arrow", true, new Schema(List.of(Field.nullable("id", ArrowType.Utf8.INSTANCE))),
                null, 1, 1, (root, b) -> {
                    ((VarCharVector) root.getVector(0)).setSafe(0, "x".getBytes(StandardCharsets.UTF_8));
                    root.getVector(0).setValueCount(1);
                });
        try (Connection c = cluster.connect()) {
            for (Path bad : List.of(truncated, hollowed, notArrow)) {
                assertFileError(c, "XX001", bad, "id int8", "SELECT count(id) FROM bad", "is not a readable Arrow IPC file");
            }
            Path mixed = Files.createDirectory(dir.resolve("mixed"));
            Files.copy(good, mixed.resolve("a_good.arrow"));
            Files.copy(otherSchema, mixed.resolve("b_other.arrow"));
            table(c, "mixed", "id int8", mixed);
            var e = Sql.expectError(c, "HV004", "SELECT count(id) FROM mixed");
            assertContains(all(e), "b_other.arrow");
            table(c, "missing", "id int8", dir.resolve("nope.arrow"));
            Sql.expectError(c, "58P01", "SELECT count(id) FROM missing");
            String plan = Sql.rows(c, "EXPLAIN SELECT * FROM missing").toString();
            assertTrue(plan.contains("Arrow Files: " + dir.resolve("nope.arrow")), plan);
            Sql.rows(c, "EXPLAIN ANALYZE SELECT * FROM missing LIMIT 0");
            assertEquals("4000", Sql.value(c, "SELECT count(*) FROM (SELECT id FROM mixed LIMIT 4000) x"));
        }
    }

    /**
     * A stream cut short at a message's end, or inside the next length, is
     * no shorter stream: without its end-of-stream marker it is damaged.
     * Offsets that run backwards are damage too, not an internal error.
     */
    @Test
    void cutStreamsAndBadOffsetsNameTheFile() throws Exception {
        Path good = rows("whole.arrows", false, 1, 3, 100);
        byte[] bytes = Files.readAllBytes(good);
        Path atEnd = Files.write(dir.resolve("cut-at-end.arrows"), Arrays.copyOf(bytes, bytes.length - 8));
        Path inLength = Files.write(dir.resolve("cut-in-length.arrows"), Arrays.copyOf(bytes, bytes.length - 6));
        Path inMarker = Files.write(dir.resolve("cut-in-marker.arrows"), Arrays.copyOf(bytes, bytes.length - 4));
        Path backwards = column("backwards.arrow", Field.nullable("v", ArrowType.Utf8.INSTANCE), 2, (VarCharVector v) -> {
            v.setSafe(0, "hello".getBytes(StandardCharsets.UTF_8));
            v.setSafe(1, "abc".getBytes(StandardCharsets.UTF_8));
            v.getOffsetBuffer().setInt(4, 9); // offsets 0, 9, 8
        });
        // the format before Arrow 0.15: no continuation tokens, and a bare zero length at the end
        Path legacy = dir.resolve("legacy.arrows");
        try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(List.of(
                Field.nullable("id", new ArrowType.Int(64, true)))), ALLOCATOR);
             FileChannel out = FileChannel.open(legacy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out,
                     new IpcOption(true, MetadataVersion.DEFAULT))) {
            writer.start();
            for (int b = 0; b < 2; b++) {
                root.allocateNew();
                ((BigIntVector) root.getVector(0)).setSafe(0, b + 1);
                root.setRowCount(1);
                writer.writeBatch();
            }
            writer.end();
        }
        try (Connection c = cluster.connect()) {
            table(c, "whole", "id int8", good);
            assertEquals("300", Sql.value(c, "SELECT count(id) FROM whole"));
            table(c, "legacy", "id int8", legacy);
            assertEquals("3", Sql.value(c, "SELECT sum(id) FROM legacy"));
            for (Path cut : List.of(atEnd, inLength)) {
                assertFileError(c, "XX001", cut, "id int8", "SELECT count(id) FROM bad",
                        "is not a readable Arrow IPC file: it ends without an end-of-stream marker (truncated?)",
                        "record batch 4");
            }
            // the continuation marker whole, its length missing: Arrow's reader says so itself
            assertFileError(c, "XX001", inMarker, "id int8", "SELECT count(id) FROM bad",
                    "is not a readable Arrow IPC file", "record batch 4");
            assertFileError(c, "XX001", backwards, "v text", "SELECT * FROM bad", "is not a readable Arrow IPC file",
                    "record batch 1");
        }
    }

    /** An empty time zone is none, as Arrow's schema says: such files agree with zoneless ones, and import so. */
    @Test
    void anEmptyTimeZoneIsNone() throws Exception {
        Path d = Files.createDirectory(dir.resolve("zones"));
        for (String zone : new String[] {null, ""}) {
            write("zones/" + (zone == null ? "null" : "empty") + ".arrow", true, new Schema(List.of(
                    Field.nullable("ts", new ArrowType.Timestamp(TimeUnit.MICROSECOND, zone)))), null, 1, 1, (root, b) -> {
                        ((TimeStampVector) root.getVector(0)).setSafe(0, 0L);
                        root.getVector(0).setValueCount(1);
                    });
        }
        try (Connection c = cluster.connect()) {
            table(c, "zones", "ts timestamp", d);
            assertEquals(List.of(List.of("1970-01-01 00:00:00"), List.of("1970-01-01 00:00:00")),
                    Sql.rows(c, "SELECT ts FROM zones"));
            Sql.execute(c, "DROP SCHEMA IF EXISTS zones CASCADE", "CREATE SCHEMA zones",
                    "IMPORT FOREIGN SCHEMA x FROM SERVER arrow INTO zones OPTIONS (directory '" + d + "')");
            assertEquals(List.of(List.of("empty", "timestamp without time zone"),
                            List.of("null", "timestamp without time zone")),
                    Sql.rows(c, "SELECT c.relname, format_type(atttypid, atttypmod) FROM pg_attribute a "
                            + "JOIN pg_class c ON c.oid = attrelid WHERE relnamespace = 'zones'::regnamespace "
                            + "AND attnum > 0 ORDER BY 1"));
            Sql.execute(c, "DROP SCHEMA zones CASCADE");
        }
    }

    /**
     * Damages a file: a batch header lists its buffers as (offset, length)
     * and its fields as (rows, NULL count), pairs of little-endian longs; the
     * first pair ({@code first}, {@code second}) gets {@code newSecond} as its
     * second. Returns the new bytes.
     */
    private static byte[] patchPair(Path f, long first, long second, long newSecond) throws IOException {
        byte[] bytes = Files.readAllBytes(f);
        java.nio.ByteBuffer le = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 16 <= bytes.length; i += 8) {
            if (le.getLong(i) == first && le.getLong(i + 8) == second) {
                le.putLong(i + 8, newSecond);
                Files.write(f, bytes);
                return bytes;
            }
        }
        throw new AssertionError("no pair (" + first + ", " + second + ") in " + f);
    }

    /** Finds the little-endian ints {@code run} in the file and sets the one at {@code index} to {@code value}. */
    private static void patchInt(Path f, int[] run, int index, int value) throws IOException {
        byte[] bytes = Files.readAllBytes(f);
        java.nio.ByteBuffer le = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        search:
        for (int i = 0; i + 4 * run.length <= bytes.length; i += 4) {
            for (int k = 0; k < run.length; k++) {
                if (le.getInt(i + 4 * k) != run[k]) {
                    continue search;
                }
            }
            le.putInt(i + 4 * index, value);
            Files.write(f, bytes);
            return;
        }
        throw new AssertionError("no ints " + Arrays.toString(run) + " in " + f);
    }

    @Test
    void theBitmapNotTheHeadersNullCountSaysWhatIsNull() throws Exception {
        Path f = column("nulls.arrow", Field.nullable("v", new ArrowType.Int(32, true)), 3,
                (org.apache.arrow.vector.IntVector v) -> {
                    v.set(0, 1);
                    v.setNull(1);
                    v.set(2, 3);
                });
        try (Connection c = cluster.connect()) {
            table(c, "nulls", "v int4", f);
            assertEquals("2|3|4", Sql.value(c, "SELECT count(v) || '|' || count(*) || '|' || sum(v) FROM nulls"));
            // the header now says no NULLs, the bitmap still says row 2 is: the value there is not a 0
            byte[] bytes = patchPair(f, 3, 1, 0);
            Path stream = Files.write(dir.resolve("nulls.arrows"), Arrays.copyOfRange(bytes, 8, bytes.length));
            for (Path p : List.of(f, stream)) {
                table(c, "nulls", "v int4", p);
                assertEquals("2|3|4", Sql.value(c, "SELECT count(v) || '|' || count(*) || '|' || sum(v) FROM nulls"));
                assertEquals("1,NULL,3", Sql.value(c, "SELECT string_agg(coalesce(v::text, 'NULL'), ',') FROM nulls"));
            }
            patchPair(f, 3, 0, 5);
            assertFileError(c, "XX001", f, "v int4", "SELECT sum(v) FROM bad", "field \"v\" has 5 NULLs in 3 rows");
        }
    }

    /** An error names the record batch of its own file, counted from 1, in either format. */
    @Test
    void errorsNameTheRecordBatchOfTheirFile() throws Exception {
        for (boolean fileFormat : new boolean[] {true, false}) {
            String ext = fileFormat ? ".arrow" : ".arrows";
            Path d = Files.createDirectories(dir.resolve("batches" + ext));
            rows(d.getFileName() + "/a" + ext, fileFormat, 1, 3, 10);
            // ids 32760.., so 32768, past int2, is row 3 of the second batch
            rows(d.getFileName() + "/b" + ext, fileFormat, 32760, 2, 5);
            try (Connection c = cluster.connect()) {
                assertFileError(c, "22003", d.resolve("b" + ext), "id int2", "SELECT * FROM bad", "32768");
                table(c, "bad", "id int2", d.resolve("*" + ext));
                var e = Sql.expectError(c, "22003", "SELECT * FROM bad");
                assertContains(all(e), d.resolve("b" + ext) + "\", record batch 2");
            }
        }
    }

    /**
     * Arrow Java orders a dense union's members by type id and then pairs
     * them with the file's buffers in that order: a union whose ids are not
     * ascending is a clear "not supported" when the file is opened, not a
     * damaged file when a batch loads. A stream loads every field, so it
     * refuses the file even where the query reads no union.
     */
    @Test
    void aDenseUnionWithUnorderedTypeIdsIsNotSupported() throws Exception {
        Field union = new Field("u", FieldType.nullable(new ArrowType.Union(
                org.apache.arrow.vector.types.UnionMode.Dense, new int[] {7, 5})),
                List.of(Field.nullable("i", new ArrowType.Int(64, true)), Field.nullable("s", ArrowType.Utf8.INSTANCE)));
        Path f = dir.resolve("unordered.arrows");
        try (var out = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            var channel = new org.apache.arrow.vector.ipc.WriteChannel(out);
            org.apache.arrow.vector.ipc.message.MessageSerializer.serialize(channel,
                    new Schema(List.of(Field.nullable("id", new ArrowType.Int(32, true)), union)));
            org.apache.arrow.vector.ipc.ArrowStreamWriter.writeEndOfStream(channel,
                    org.apache.arrow.vector.ipc.message.IpcOption.DEFAULT);
        }
        try (Connection c = cluster.connect()) {
            assertFileError(c, "0A000", f, "id int4", "SELECT * FROM bad", "dense union, field \"u\"",
                    "type ids are not in ascending order");
        }
    }

    @Test
    void aBufferShorterThanItsBatchIsAnErrorNamingTheFile() throws Exception {
        Path f = column("short.arrow", Field.nullable("v", new ArrowType.Decimal(20, 2, 128)), 10,
                (org.apache.arrow.vector.DecimalVector v) -> {
                    for (int i = 0; i < 10; i++) {
                        v.set(i, java.math.BigDecimal.valueOf(i, 2));
                    }
                });
        // the values, 10 x 16 bytes at 8, now 16 bytes
        byte[] bytes = patchPair(f, 8, 160, 16);
        Path stream = dir.resolve("short.arrows");
        Files.write(stream, Arrays.copyOfRange(bytes, 8, bytes.length)); // the file format is the stream after "ARROW1\0\0"
        try (Connection c = cluster.connect()) {
            // Arrow alone would grow the buffer with zeros and give nine rows of 0.00
            for (Path p : List.of(f, stream)) {
                assertFileError(c, "XX001", p, "v numeric", "SELECT sum(v) FROM bad",
                        "the data buffer of field \"v\" holds 16 bytes where its 10 rows need 160");
            }
        }
    }

    @Test
    void aShortDictionaryBufferIsAnErrorToo() throws Exception {
        var encoding = new org.apache.arrow.vector.types.pojo.DictionaryEncoding(1, false, new ArrowType.Int(32, true));
        try (BigIntVector values = new BigIntVector("values", ALLOCATOR)) {
            values.allocateNew(10);
            for (int i = 0; i < 10; i++) {
                values.set(i, 1000 + i);
            }
            values.setValueCount(10);
            var provider = new org.apache.arrow.vector.dictionary.DictionaryProvider.MapDictionaryProvider();
            provider.put(new org.apache.arrow.vector.dictionary.Dictionary(values, encoding));
            Field v = new Field("v", new FieldType(true, new ArrowType.Int(32, true),
                    encoding), null);
            Path f = write("dict.arrow", true, new Schema(List.of(v)), provider, 1, 3, (root, b) -> {
                var idx = (org.apache.arrow.vector.IntVector) root.getVector(0);
                idx.set(0, 0);
                idx.set(1, 9);
                idx.set(2, 5);
                idx.setValueCount(3);
            });
            try (Connection c = cluster.connect()) {
                table(c, "dict", "v int8", f);
                assertEquals("3014", Sql.value(c, "SELECT sum(v) FROM dict"));
                // an index past the dictionary's end (index 9 of the second row made 12): an error, not a NULL
                byte[] bytes = Files.readAllBytes(f);
                Path outside = dir.resolve("dict_outside.arrow");
                Files.write(outside, bytes);
                patchInt(outside, new int[] {0, 9, 5}, 1, 12);
                assertFileError(c, "XX001", outside, "v int8", "SELECT sum(v) FROM bad",
                        "field \"v\": row 1 has dictionary index 12, outside the dictionary of 10 values");
                // the dictionary's values, 10 x 8 bytes at 8, cut to 8 bytes: Arrow would read zeros for entries 1..9
                patchPair(f, 8, 80, 8);
                assertFileError(c, "XX001", f, "v int8", "SELECT sum(v) FROM bad", "holds 8 bytes where its 10 rows need 80");
            }
        }
    }

    @Test
    void deltaDictionariesAreAClearNotSupported() throws Exception {
        var encoding = new org.apache.arrow.vector.types.pojo.DictionaryEncoding(1, false, new ArrowType.Int(32, true));
        Schema schema = new Schema(List.of(new Field("v", new FieldType(true, new ArrowType.Int(32, true), encoding), null)));
        Path f = dir.resolve("delta.arrow");
        try (BigIntVector values = new BigIntVector("values", ALLOCATOR);
             BigIntVector delta = new BigIntVector("values", ALLOCATOR);
             var root = org.apache.arrow.vector.VectorSchemaRoot.create(schema, ALLOCATOR);
             var channel = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.CREATE,
                     java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            values.allocateNew(2);
            values.set(0, 1000);
            values.set(1, 1001);
            values.setValueCount(2);
            delta.allocateNew(1);
            delta.set(0, 1002);
            delta.setValueCount(1);
            var provider = new org.apache.arrow.vector.dictionary.DictionaryProvider.MapDictionaryProvider();
            provider.put(new org.apache.arrow.vector.dictionary.Dictionary(values, encoding));
            try (var writer = new org.apache.arrow.vector.ipc.ArrowFileWriter(root, provider, channel) {
                void writeDelta(org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch batch) throws IOException {
                    writeDictionaryBatch(batch);
                }
            }) {
                writer.start();
                var idx = (org.apache.arrow.vector.IntVector) root.getVector(0);
                idx.allocateNew(2);
                idx.set(0, 0);
                idx.set(1, 2); // the delta's value
                idx.setValueCount(2);
                root.setRowCount(2);
                writer.writeBatch();
                try (var d = new org.apache.arrow.vector.VectorSchemaRoot(List.of(delta.getField()),
                        List.<org.apache.arrow.vector.FieldVector>of(delta), 1);
                     var batch = new org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch(1,
                             new org.apache.arrow.vector.VectorUnloader(d).getRecordBatch(), true)) {
                    writer.writeDelta(batch);
                }
                writer.end();
            }
        }
        try (Connection c = cluster.connect()) {
            // Arrow Java's file reader reads one dictionary batch per dictionary: index 2 would have no value
            assertFileError(c, "0A000", f, "v int8", "SELECT sum(v) FROM bad", "delta dictionaries");
        }
    }

    @Test
    void compressedBuffersAreAClearNotSupported() throws Exception {
        for (boolean fileFormat : new boolean[] {true, false}) {
            Path f = rows(fileFormat ? "lz4.arrow" : "lz4.arrows", fileFormat, 1, 2, 100, CodecType.LZ4_FRAME);
            try (Connection c = cluster.connect()) {
                assertFileError(c, "0A000", f, "id int8, name text", "SELECT sum(id), max(name) FROM bad", "LZ4_FRAME");
            }
        }
    }

    @Test
    void importForeignSchemaMapsTheArrowSchema() throws Exception {
        Path d = Files.createDirectory(dir.resolve("import"));
        rows("import/events.arrow", true, 1, 1, 100);
        rows("import/more.arrows", false, 1, 1, 10);
        rows("import/events.arrows", false, 1, 1, 5); // the same name without extension: it keeps its own
        Files.writeString(d.resolve("readme.txt"), "not arrow");
        byte[] whole = Files.readAllBytes(d.resolve("events.arrow"));
        Files.write(d.resolve("cut.arrow"), Arrays.copyOf(whole, whole.length / 2));
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            Sql.execute(c, "DROP SCHEMA IF EXISTS imported CASCADE", "CREATE SCHEMA imported");
            s.execute("IMPORT FOREIGN SCHEMA x FROM SERVER arrow INTO imported OPTIONS (directory '" + d + "')");
            // each file passed over is named, with why, so that a missing table is no mystery
            List<String> notices = Sql.notices(s);
            assertEquals(2, notices.size(), notices.toString());
            for (int i = 0; i < 2; i++) {
                String file = d.resolve(List.of("cut.arrow", "readme.txt").get(i)).toString();
                assertTrue(notices.get(i).startsWith("IMPORT FOREIGN SCHEMA passed over a file: file \"" + file
                        + "\" is not a readable Arrow IPC file: "), notices.get(i));
            }
            assertEquals(List.of(List.of("events"), List.of("events.arrows"), List.of("more")), Sql.rows(c,
                    "SELECT relname FROM pg_class WHERE relnamespace = 'imported'::regnamespace ORDER BY 1"));
            assertEquals("5", Sql.value(c, "SELECT count(*) FROM imported.\"events.arrows\""));
            assertEquals(List.of(List.of("id", "bigint"), List.of("name", "text"), List.of("score", "double precision"),
                            List.of("ts", "timestamp with time zone")),
                    Sql.rows(c, "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                            + "WHERE attrelid = 'imported.events'::regclass AND attnum > 0 ORDER BY attnum"));
            assertEquals("100", Sql.value(c, "SELECT count(*) FROM imported.events"));
            Sql.execute(c, "DROP SCHEMA imported CASCADE", "CREATE SCHEMA imported",
                    "IMPORT FOREIGN SCHEMA x LIMIT TO (more) FROM SERVER arrow INTO imported OPTIONS (directory '" + d + "')");
            assertEquals("10", Sql.value(c, "SELECT count(*) FROM imported.more"));
            Sql.execute(c, "DROP SCHEMA imported CASCADE");
        }
    }

    /**
     * Names longer than the 63 bytes PostgreSQL keeps: files alike in those
     * bytes make distinct tables, fields alike in them distinct columns with
     * a field option; fields of one name, which no column can tell apart,
     * are left out, and a column naming one is an error. An empty name
     * (PostgreSQL has none) becomes one after the column's position.
     */
    @Test
    void importCutsLongNamesAndLeavesOutAmbiguousFields() throws Exception {
        Path d = Files.createDirectory(dir.resolve("long"));
        String x = "x".repeat(70);
        List<String> names = List.of(x + "_one", x + "_two", "dup", "dup", "id", "");
        Schema schema = new Schema(names.stream().map(n -> Field.nullable(n, new ArrowType.Int(64, true))).toList());
        for (String file : List.of("a".repeat(70) + "1.arrow", "a".repeat(70) + "2.arrow")) {
            write("long/" + file, true, schema, null, 1, 1, (root, b) -> {
                for (int i = 0; i < names.size(); i++) {
                    ((BigIntVector) root.getVector(i)).setSafe(0, i + 1);
                    root.getVector(i).setValueCount(1);
                }
            });
        }
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DROP SCHEMA IF EXISTS long_names CASCADE", "CREATE SCHEMA long_names");
            try (Statement s = c.createStatement()) {
                s.execute("IMPORT FOREIGN SCHEMA x FROM SERVER arrow INTO long_names OPTIONS (directory '" + d + "')");
                assertEquals(List.of("a".repeat(63), "a".repeat(61) + "_3").stream()
                        .map(t -> "IMPORT FOREIGN SCHEMA left the fields named \"dup\" of file \"" + d.resolve(
                                t.equals("a".repeat(63)) ? "a".repeat(70) + "1.arrow" : "a".repeat(70) + "2.arrow")
                                + "\" out of table \"" + t + "\": no column could tell them apart").toList(),
                        Sql.notices(s));
            }
            assertEquals(List.of(List.of("a".repeat(61) + "_3"), List.of("a".repeat(63))), Sql.rows(c,
                    "SELECT relname FROM pg_class WHERE relnamespace = 'long_names'::regnamespace ORDER BY 1"));
            String table = "long_names." + "a".repeat(63);
            assertEquals(List.of(List.of("x".repeat(63), "field " + x + "_one"),
                            List.of("x".repeat(61) + "_2", "field " + x + "_two"), Sql.row("id", null),
                            List.of("column4", "field ")),
                    Sql.rows(c, "SELECT attname, array_to_string(attfdwoptions, ',') FROM pg_attribute "
                            + "WHERE attrelid = '" + table + "'::regclass AND attnum > 0 ORDER BY attnum")
                            .stream().map(r -> Sql.row(r.get(0), r.get(1) == null ? null : r.get(1).replace("=", " ")))
                            .toList());
            assertEquals(List.of(List.of("1", "2", "5", "6")), Sql.rows(c, "SELECT " + "x".repeat(63) + ", "
                    + "x".repeat(61) + "_2, id, column4 FROM " + table));
            Path file = d.resolve("a".repeat(70) + "1.arrow");
            assertFileError(c, "42702", file, "dup int8", "SELECT dup FROM bad",
                    "more than one field named \"dup\"");
            Sql.execute(c, "DROP SCHEMA long_names CASCADE");
        }
    }

    /**
     * The files of a table must agree on the types of the fields it reads,
     * and only those: nullability, metadata and other fields may differ.
     */
    @Test
    void filesMustAgreeOnlyOnTheFieldsRead() throws Exception {
        Path d = Files.createDirectory(dir.resolve("agree"));
        write("agree/a.arrow", true, new Schema(List.of(Field.notNullable("id", new ArrowType.Int(64, true)),
                Field.nullable("extra", ArrowType.Utf8.INSTANCE))), null, 1, 2, (root, b) -> {
                    ((BigIntVector) root.getVector(0)).setSafe(0, 1);
                    ((BigIntVector) root.getVector(0)).setSafe(1, 2);
                    ((VarCharVector) root.getVector(1)).setSafe(0, "x".getBytes(StandardCharsets.UTF_8));
                    root.getVector(0).setValueCount(2);
                    root.getVector(1).setValueCount(2);
                });
        write("agree/b.arrow", true, new Schema(List.of(Field.nullable("id", new ArrowType.Int(64, true)),
                Field.nullable("extra", new ArrowType.Int(32, true)))), null, 1, 1, (root, b) -> {
                    ((BigIntVector) root.getVector(0)).setSafe(0, 3);
                    ((IntVector) root.getVector(1)).setSafe(0, 4);
                    root.getVector(0).setValueCount(1);
                    root.getVector(1).setValueCount(1);
                });
        try (Connection c = cluster.connect()) {
            table(c, "agree", "id int8", d);
            assertEquals("6", Sql.value(c, "SELECT sum(id) FROM agree"));
            table(c, "agree", "id int8, extra text", d);
            var e = Sql.expectError(c, "HV004", "SELECT * FROM agree");
            assertContains(all(e), "b.arrow");
            assertContains(all(e), "Field \"extra\" is Int(32, true) in this file, Utf8 in the first");
        }
    }

    @Test
    void importForeignSchemaMapsEveryArrowType() throws Exception {
        Path d = Files.createDirectory(dir.resolve("import-types"));
        Field uuid = new Field("uid", new FieldType(true,
                new ArrowType.FixedSizeBinary(16), null, java.util.Map.of("ARROW:extension:name", "arrow.uuid")), null);
        Field int64 = Field.nullable("item", new ArrowType.Int(64, true));
        Schema schema = new Schema(List.of(
                Field.nullable("i8", new ArrowType.Int(8, true)), Field.nullable("u32", new ArrowType.Int(32, false)),
                Field.nullable("u64", new ArrowType.Int(64, false)),
                Field.nullable("h", new ArrowType.FloatingPoint(FloatingPointPrecision.HALF)),
                Field.nullable("dec", new ArrowType.Decimal(38, 10, 128)), Field.nullable("b", ArrowType.Bool.INSTANCE),
                Field.nullable("lu", ArrowType.LargeUtf8.INSTANCE), Field.nullable("bin", ArrowType.Binary.INSTANCE),
                Field.nullable("vu", ArrowType.Utf8View.INSTANCE), Field.nullable("vb", ArrowType.BinaryView.INSTANCE),
                uuid, Field.nullable("d", new ArrowType.Date(DateUnit.DAY)),
                Field.nullable("t", new ArrowType.Time(TimeUnit.MICROSECOND, 64)),
                Field.nullable("ts", new ArrowType.Timestamp(TimeUnit.NANOSECOND, null)),
                Field.nullable("dur", new ArrowType.Duration(TimeUnit.MILLISECOND)),
                new Field("lst", FieldType.nullable(ArrowType.List.INSTANCE),
                        List.of(int64)),
                new Field("nested", FieldType.nullable(ArrowType.List.INSTANCE),
                        List.of(new Field("item", FieldType.nullable(
                                ArrowType.List.INSTANCE), List.of(int64)))),
                new Field("st", FieldType.nullable(ArrowType.Struct.INSTANCE),
                        List.of(Field.nullable("a", new ArrowType.Int(32, true)))),
                new Field("lv", FieldType.nullable(ArrowType.ListView.INSTANCE), List.of(int64)),
                new Field("ree", FieldType.nullable(ArrowType.RunEndEncoded.INSTANCE), List.of(
                        Field.notNullable("run_ends", new ArrowType.Int(32, true)),
                        Field.nullable("values", new ArrowType.Int(64, false))))));
        write("import-types/all.arrow", true, schema, null, 0, 0, (root, b) -> { });
        rows("import-types/other.arrow", true, 1, 1, 10);
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DROP SCHEMA IF EXISTS imported_types CASCADE", "CREATE SCHEMA imported_types",
                    "IMPORT FOREIGN SCHEMA x EXCEPT (other) FROM SERVER arrow INTO imported_types OPTIONS (directory '"
                            + d + "')");
            assertEquals(List.of(List.of("all")), Sql.rows(c,
                    "SELECT relname FROM pg_class WHERE relnamespace = 'imported_types'::regnamespace"));
            assertEquals(List.of("i8 smallint", "u32 bigint", "u64 numeric(20,0)", "h real", "dec numeric(38,10)",
                            "b boolean", "lu text", "bin bytea", "vu text", "vb bytea", "uid uuid", "d date", "t time without time zone",
                            "ts timestamp without time zone", "dur interval", "lst bigint[]", "nested jsonb", "st jsonb", "lv bigint[]", "ree numeric(20,0)"),
                    Sql.rows(c, "SELECT attname || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute "
                            + "WHERE attrelid = 'imported_types.all'::regclass AND attnum > 0 ORDER BY attnum")
                            .stream().map(List::getFirst).toList());
            assertEquals("0", Sql.value(c, "SELECT count(*) FROM imported_types.all"));
            Sql.execute(c, "DROP SCHEMA imported_types CASCADE");
        }
    }

    @Test
    void onlyPrivilegedRolesNameServerFiles() throws Exception {
        Path f = rows("p.arrow", true, 1, 1, 3);
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DROP ROLE IF EXISTS arrow_user", "CREATE ROLE arrow_user",
                    "GRANT USAGE ON FOREIGN SERVER arrow TO arrow_user", "GRANT CREATE ON SCHEMA public TO arrow_user",
                    "SET ROLE arrow_user");
            var e = Sql.expectError(c, "42501",
                    "CREATE FOREIGN TABLE mine (id int8) SERVER arrow OPTIONS (files '" + f + "')");
            assertTrue(all(e).contains("files"), all(e));
            Sql.execute(c, "RESET ROLE", "REVOKE ALL ON SCHEMA public FROM arrow_user",
                    "REVOKE ALL ON FOREIGN SERVER arrow FROM arrow_user", "DROP ROLE arrow_user");
        }
    }
}
