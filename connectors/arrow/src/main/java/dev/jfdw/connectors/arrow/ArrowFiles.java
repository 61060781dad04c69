package dev.jfdw.connectors.arrow;

import dev.jfdw.api.FdwException;
import dev.jfdw.api.ServerFiles;
import dev.jfdw.api.ServerFiles.Entry;
import dev.jfdw.api.SqlState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flatbuf.Footer;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowFooter;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** Opening Arrow IPC files of either format, and what their metadata tells without reading data. */
final class ArrowFiles {
    private static final byte[] MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);

    private ArrowFiles() {}

    /** The file format starts with "ARROW1"; anything else is read as the stream format. */
    static boolean isFileFormat(FileChannel channel) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(MAGIC.length);
        channel.read(head, 0);
        return head.position() == MAGIC.length && head.flip().equals(ByteBuffer.wrap(MAGIC));
    }

    /** A file opened for reading: the reader owns the channel, which the file format's projected reads share. */
    record Opened(ArrowReader reader, FileChannel channel) {}

    /** A reader over the file; the schema and the file format's footer are read now. */
    static Opened open(Path file, BufferAllocator allocator) {
        FileChannel channel = null;
        ArrowReader reader = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            boolean fileFormat = isFileFormat(channel);
            if (fileFormat && !endsWithMagic(channel)) {
                throw new IOException("it has no footer (truncated?)");
            }
            Uncompressed codecs = new Uncompressed(file);
            reader = fileFormat
                    ? new ArrowFileReader(channel, allocator, codecs) {
                        private final Checked checked = new Checked();

                        @Override
                        protected void loadRecordBatch(ArrowRecordBatch batch) {
                            checkOrClose(batch, () -> checked.recordBatch(this, batch));
                            super.loadRecordBatch(batch);
                        }

                        @Override
                        protected void loadDictionary(ArrowDictionaryBatch batch) {
                            checkOrClose(batch, () -> BatchLayout.check(dictionaries, batch));
                            super.loadDictionary(batch);
                        }
                    }
                    : new ArrowStreamReader(channel, allocator, codecs) {
                        private final Checked checked = new Checked();

                        @Override
                        protected void loadRecordBatch(ArrowRecordBatch batch) {
                            checkOrClose(batch, () -> checked.recordBatch(this, batch));
                            super.loadRecordBatch(batch);
                        }

                        @Override
                        protected void loadDictionary(ArrowDictionaryBatch batch) {
                            checkOrClose(batch, () -> BatchLayout.check(dictionaries, batch));
                            super.loadDictionary(batch);
                        }
                    };
            reader.getVectorSchemaRoot(); // reads the schema (and footer): fails here on a bad file
            if (reader instanceof ArrowFileReader f
                    && f.getDictionaryBlocks().size() > f.getDictionaryVectors().size()) {
                // Arrow Java reads one dictionary batch per dictionary: the deltas would be missing values
                throw new FdwException(SqlState.FEATURE_NOT_SUPPORTED, "Arrow file \"" + file + "\" has "
                        + f.getDictionaryBlocks().size() + " dictionary batches for "
                        + f.getDictionaryVectors().size() + " dictionaries (delta dictionaries), which jfdw does not read")
                        .withHint("Write the file without dictionary deltas, or in the stream format.");
            }
            return new Opened(reader, channel);
        } catch (IOException e) {
            closeQuietly(reader, channel);
            if (e instanceof java.nio.file.NoSuchFileException || e instanceof java.nio.file.AccessDeniedException) {
                throw ServerFiles.ioError("could not open file", file.toString(), e);
            }
            throw notArrow(file, e);
        } catch (FdwException e) {
            closeQuietly(reader, channel);
            throw e;
        } catch (RuntimeException | OutOfMemoryError e) {
            closeQuietly(reader, channel);
            throw notArrow(file, e);
        }
    }

    /**
     * Checks a batch before Arrow loads it; a batch the check refuses is
     * closed, as loading would have: its body's memory is the allocator's.
     */
    private static void checkOrClose(AutoCloseable batch, Runnable check) {
        try {
            check.run();
        } catch (RuntimeException e) {
            try {
                batch.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Arrow's codecs for uncompressed buffers only: a file with LZ4 or ZSTD
     * buffers is a clear "not supported", not Arrow's advice to add a module
     * to the classpath.
     */
    record Uncompressed(Path file) implements CompressionCodec.Factory {
        @Override
        public CompressionCodec createCodec(CompressionUtil.CodecType type) {
            if (type == CompressionUtil.CodecType.NO_COMPRESSION) {
                return NoCompressionCodec.INSTANCE;
            }
            throw new FdwException(SqlState.FEATURE_NOT_SUPPORTED, "Arrow file \"" + file
                    + "\" has " + type + "-compressed buffers, which jfdw does not read")
                    .withHint("Write the file without compression (pyarrow: compression=None in IpcWriteOptions; "
                            + "Arrow Java: the default).");
        }

        @Override
        public CompressionCodec createCodec(CompressionUtil.CodecType type, int level) {
            return createCodec(type);
        }
    }

    /** Checks the record batches a reader loads against its schema's layout, worked out at the first batch. */
    private static final class Checked {
        private BatchLayout layout;

        void recordBatch(ArrowReader reader, ArrowRecordBatch batch) {
            if (layout == null) {
                layout = new BatchLayout(fields(reader));
            }
            layout.check(batch);
        }
    }

    /** The fields of a reader whose schema has been read. */
    private static List<Field> fields(ArrowReader reader) {
        try {
            return reader.getVectorSchemaRoot().getSchema().getFields();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A stream's end-of-stream marker: the continuation token and a zero length. */
    private static final byte[] END_OF_STREAM = {-1, -1, -1, -1, 0, 0, 0, 0};

    /**
     * Where Arrow's stream reader stopped must be just past an end-of-stream
     * marker: else the file was cut short (at a message's end, or within the
     * next length), which the reader takes for the end. A stream in the
     * format before Arrow 0.15, whose messages have no continuation token,
     * ends with a zero length alone.
     */
    static void checkEndOfStream(FileChannel channel) throws IOException {
        ByteBuffer first = ByteBuffer.allocate(4);
        boolean legacy = channel.read(first, 0) == 4 && !first.flip().equals(ByteBuffer.wrap(END_OF_STREAM, 0, 4));
        int length = legacy ? 4 : END_OF_STREAM.length;
        long end = channel.position();
        ByteBuffer tail = ByteBuffer.allocate(length);
        if (end < length || channel.read(tail, end - length) < length
                || !tail.flip().equals(ByteBuffer.wrap(END_OF_STREAM, END_OF_STREAM.length - length, length))) {
            throw new IOException("it ends without an end-of-stream marker (truncated?)");
        }
    }

    /** A complete file-format file ends with the magic too, after its footer. */
    private static boolean endsWithMagic(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 2L * MAGIC.length + 4) {
            return false;
        }
        ByteBuffer tail = ByteBuffer.allocate(MAGIC.length);
        channel.read(tail, size - MAGIC.length);
        return tail.flip().equals(ByteBuffer.wrap(MAGIC));
    }

    /**
     * A damaged file: Arrow's reader fails, or, trusting a garbage length,
     * asks for more heap than there is (nothing else is lost: the
     * allocation is what failed).
     */
    static FdwException notArrow(Path file, Throwable e) {
        String why = e instanceof OutOfMemoryError ? "a length in it is larger than memory (damaged?)"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new FdwException(SqlState.DATA_CORRUPTED, "file \"" + file + "\" is not a readable Arrow IPC file: "
                + why, e).withHint("jfdw reads the Arrow IPC file format (.arrow, Feather v2) and stream format.");
    }

    /**
     * The schema with the values' types, not the indexes', for
     * dictionary-encoded fields; an FdwException naming the file if it is
     * not a readable Arrow IPC file.
     */
    static Schema schema(Path file) {
        try (RootAllocator allocator = new RootAllocator(); ArrowReader reader = open(file, allocator).reader()) {
            List<Field> fields = new ArrayList<>();
            for (Field f : reader.getVectorSchemaRoot().getSchema().getFields()) {
                fields.add(valueField(reader, f));
            }
            return new Schema(fields);
        } catch (IOException | UncheckedIOException e) {
            throw notArrow(file, e);
        }
    }

    /**
     * A field as its values are: a dictionary-encoded field (whose vector
     * holds indexes), at any depth, becomes its dictionary's field under the
     * field's name.
     */
    static Field valueField(ArrowReader reader, Field f) {
        Field values = f;
        if (f.getDictionary() != null) {
            try {
                values = reader.getDictionaryVectors().get(f.getDictionary().getId()).getVector().getField();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<Field> children = new ArrayList<>();
        for (Field child : values.getChildren()) {
            children.add(valueField(reader, child));
        }
        return values == f && children.equals(f.getChildren()) ? f
                : new Field(f.getName(), new FieldType(values.isNullable(), values.getType(), null,
                        values.getMetadata()), children);
    }

    /**
     * The planner's row estimate. Every query plans, and reading the counts
     * took 2-5 ms a query for a 16-batch file (several percent of a
     * million-row scan), so they are read once per backend and file version.
     */
    private static final ServerFiles.Memo<Double> ROW_COUNTS = new ServerFiles.Memo<>(ArrowFiles::readRowCount);

    static double rowCount(Entry entry) {
        return ROW_COUNTS.get(entry);
    }

    /**
     * The file format's footer lists its record batches; each batch's
     * message header holds its length, read without the batch's data (nor
     * the dictionaries', which Arrow's reader would load). A stream has no
     * footer: a guess from its size, as for a damaged file, which the scan
     * then reports.
     */
    private static double readRowCount(Entry entry) {
        try (FileChannel channel = FileChannel.open(entry.path(), StandardOpenOption.READ)) {
            if (!isFileFormat(channel) || !endsWithMagic(channel)) {
                return Math.max(1, entry.size() / 32.0);
            }
            long rows = 0;
            for (ArrowBlock block : recordBlocks(channel)) {
                if (block.getMetadataLength() <= 0 || block.getMetadataLength() > channel.size() - block.getOffset()) {
                    throw new IOException("a record batch header past the end of the file");
                }
                channel.position(block.getOffset());
                MessageMetadataResult m = MessageSerializer.readMessage(new ReadChannel(channel));
                rows += ((RecordBatch) m.getMessage().header(new RecordBatch())).length();
            }
            return rows;
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            return Math.max(1, entry.size() / 32.0);
        }
    }

    /** The record batches the footer of a file-format file lists: its last bytes are the footer's length and the magic. */
    private static List<ArrowBlock> recordBlocks(FileChannel channel) throws IOException {
        long size = channel.size();
        ByteBuffer length = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, length, size - MAGIC.length - 4);
        int footerLength = length.getInt(0);
        if (footerLength <= 0 || footerLength > size - 2L * MAGIC.length - 4) {
            throw new IOException("a footer length of " + footerLength + " bytes");
        }
        ByteBuffer footer = ByteBuffer.allocate(footerLength).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, footer, size - MAGIC.length - 4 - footerLength);
        return new ArrowFooter(Footer.getRootAsFooter(footer)).getRecordBatches();
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining()) {
            if (channel.read(into, position + into.position()) < 0) {
                throw new IOException("the file ends early");
            }
        }
        into.flip();
    }

    /** The reader, which owns the channel and what it has loaded (a dictionary), or else the channel. */
    private static void closeQuietly(ArrowReader reader, FileChannel channel) {
        if (reader != null) {
            try {
                reader.close();
                return;
            } catch (IOException | RuntimeException ignored) {
                // already failing; the channel at least
            }
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }
}
