package dev.jfdw.connectors.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jfdw.testkit.ConnectorTest;
import dev.jfdw.testkit.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil.CodecType;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ArrowWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Arrow connector's end-to-end tests: a real cluster with the
 * connector's JAR, a wrapper and server named arrow, files written here with
 * Arrow Java into a fresh directory per test. Afterwards, no backend may
 * have crashed.
 */
abstract class ArrowClusterTest extends ConnectorTest {
    static final BufferAllocator ALLOCATOR = new RootAllocator();

    private long logMark;

    ArrowClusterTest() {
        super("arrow");
    }

    @org.junit.jupiter.api.BeforeEach
    void markLog() {
        logMark = cluster.logMark();
    }

    /** Every Arrow buffer a query took was given back, also by queries that failed. */
    @org.junit.jupiter.api.AfterEach
    void noArrowMemoryLeaked() {
        String log = cluster.logSince(logMark);
        if (log.contains("Memory was leaked")) {
            throw new AssertionError("Arrow memory leaked:\n" + log);
        }
    }

    /**
     * Writes {@code batches} record batches of {@code rowsPerBatch} rows: {@code fill}
     * gets the root (value count not yet set) and the batch number.
     */
    Path write(String name, boolean fileFormat, Schema schema, DictionaryProvider dictionaries, int batches,
               int rowsPerBatch, BiConsumer<VectorSchemaRoot, Integer> fill) {
        return write(name, fileFormat, schema, dictionaries, batches, rowsPerBatch, CodecType.NO_COMPRESSION, fill);
    }

    /** As above, the buffers compressed with {@code codec}. */
    Path write(String name, boolean fileFormat, Schema schema, DictionaryProvider dictionaries, int batches,
               int rowsPerBatch, CodecType codec, BiConsumer<VectorSchemaRoot, Integer> fill) {
        int[] sizes = new int[batches];
        java.util.Arrays.fill(sizes, rowsPerBatch);
        return write(name, fileFormat, schema, dictionaries, sizes, codec, fill);
    }

    /** Batches of {@code sizes[b]} rows each. */
    Path write(String name, boolean fileFormat, Schema schema, DictionaryProvider dictionaries, int[] sizes,
               CodecType codec, BiConsumer<VectorSchemaRoot, Integer> fill) {
        Path p = dir.resolve(name);
        CompressionCodec.Factory codecs = codec == CodecType.NO_COMPRESSION ? NoCompressionCodec.Factory.INSTANCE
                : CommonsCompressionFactory.INSTANCE;
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, ALLOCATOR);
             FileChannel out = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING);
             ArrowWriter writer = fileFormat
                     ? new ArrowFileWriter(root, dictionaries, out, Map.of(), IpcOption.DEFAULT, codecs, codec)
                     : new ArrowStreamWriter(root, dictionaries, out, IpcOption.DEFAULT, codecs, codec)) {
            writer.start();
            for (int b = 0; b < sizes.length; b++) {
                root.allocateNew();
                fill.accept(root, b);
                root.setRowCount(sizes[b]);
                writer.writeBatch();
            }
            writer.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** One batch, one column "v", filled by {@code fill} with {@code rows} values. */
    <V extends FieldVector> Path column(String name, org.apache.arrow.vector.types.pojo.Field field, int rows,
                                        java.util.function.Consumer<V> fill) {
        return write(name, true, new Schema(List.of(field)), null, 1, rows, (root, b) -> {
            @SuppressWarnings("unchecked")
            V v = (V) root.getVector(0);
            fill.accept(v);
            v.setValueCount(rows);
        });
    }

    /** CREATE FOREIGN TABLE name (columns) SERVER arrow OPTIONS (files 'path'), replacing any. */
    static void table(Connection c, String name, String columns, Path files) throws SQLException {
        Sql.execute(c, "DROP FOREIGN TABLE IF EXISTS " + name,
                "CREATE FOREIGN TABLE " + name + " (" + columns + ") SERVER arrow OPTIONS (files '" + files + "')");
    }

    /**
     * Reading {@code file} through a table "bad" of {@code columns} fails with
     * {@code sqlState}, naming the file and saying each of {@code says}; the
     * session stays usable.
     */
    static void assertFileError(Connection c, String sqlState, Path file, String columns, String query,
                                String... says) throws Exception {
        table(c, "bad", columns, file);
        var e = Sql.expectError(c, sqlState, query);
        assertContains(all(e), file.toString());
        for (String s : says) {
            assertContains(all(e), s);
        }
        assertEquals("1", Sql.value(c, "SELECT 1"));
    }

    /** The error's message, detail and context lines together. */
    static String all(org.postgresql.util.PSQLException e) {
        var m = e.getServerErrorMessage();
        return m == null ? e.getMessage() : m.getMessage() + "\n" + m.getDetail() + "\n" + m.getWhere() + "\n" + m.getHint();
    }

    static void assertContains(String s, String part) {
        if (s == null || !s.contains(part)) {
            throw new AssertionError("expected \"" + part + "\" in: " + s);
        }
    }
}
