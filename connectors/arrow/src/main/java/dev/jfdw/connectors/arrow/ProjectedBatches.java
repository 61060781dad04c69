package dev.jfdw.connectors.arrow;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowBodyCompression;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The record batches of a file-format Arrow file, read with only the buffers
 * of the fields a query needs: the footer says where each batch is, the
 * batch's header where each field's buffers lie in its body, so a column the
 * query does not use costs no I/O (count(*) reads no data at all).
 */
final class ProjectedBatches implements AutoCloseable {
    private final FileChannel channel;
    private final List<ArrowBlock> blocks;
    private final BufferAllocator allocator;
    /**
     * Per field of the file, flattened depth first as the batch lists them:
     * its first node and buffer; one entry more holds the totals.
     */
    private final int[] firstNode;
    private final int[] firstBuffer;
    /** The needed fields of the file, ascending, and their vectors. */
    private final int[] needed;
    private final List<Field> projected;
    private final VectorSchemaRoot root;
    private final VectorLoader loader;
    private final BatchLayout layout;
    /**
     * The needed buffers of the current batch. One buffer, grown when a batch
     * needs more, serves every batch: the vectors hold slices of it only
     * until the next batch loads, and allocating and freeing megabytes per
     * batch cost page faults and, in Arrow's allocator, more than reading.
     */
    private ArrowBuf body;
    private int next;
    private long bytesRead;

    private ProjectedBatches(Path file, FileChannel channel, List<ArrowBlock> blocks, Schema schema, int[] needed,
            BufferAllocator allocator) {
        this.channel = channel;
        this.blocks = blocks;
        this.allocator = allocator;
        this.needed = needed;
        List<Field> fields = schema.getFields();
        firstNode = new int[fields.size() + 1];
        firstBuffer = new int[fields.size() + 1];
        for (int f = 0; f < fields.size(); f++) {
            firstNode[f + 1] = firstNode[f] + nodes(fields.get(f));
            firstBuffer[f + 1] = firstBuffer[f] + buffers(fields.get(f));
        }
        projected = Arrays.stream(needed).mapToObj(fields::get).toList();
        root = VectorSchemaRoot.create(new Schema(projected), allocator);
        loader = new VectorLoader(root, new ArrowFiles.Uncompressed(file));
        layout = new BatchLayout(projected);
    }

    /**
     * Batches of the needed fields ({@code needed}: indexes into the schema's
     * fields, ascending) when the schema's buffer layout is fixed; null for
     * the variadic view types, which the whole-batch reader handles.
     */
    static ProjectedBatches openOrNull(Path file, FileChannel channel, List<ArrowBlock> blocks, Schema schema,
            int[] needed, BufferAllocator allocator) {
        for (Field f : schema.getFields()) {
            if (!fixedLayout(f)) {
                return null;
            }
        }
        return new ProjectedBatches(file, channel, blocks, schema, needed, allocator);
    }

    private static boolean fixedLayout(Field f) {
        if (!TypeLayout.getTypeLayout(f.getType()).isFixedBufferCount()) {
            return false;
        }
        for (Field child : f.getChildren()) {
            if (!fixedLayout(child)) {
                return false;
            }
        }
        return true;
    }

    private static int nodes(Field f) {
        int n = 1;
        for (Field child : f.getChildren()) {
            n += nodes(child);
        }
        return n;
    }

    private static int buffers(Field f) {
        int n = TypeLayout.getTypeBufferCount(f.getType());
        for (Field child : f.getChildren()) {
            n += buffers(child);
        }
        return n;
    }

    /** The vector of field {@code field} of the file, which must be a needed one. */
    FieldVector vector(int field) {
        return root.getVector(indexOfNeeded(field));
    }

    private int indexOfNeeded(int field) {
        for (int i = 0; i < needed.length; i++) {
            if (needed[i] == field) {
                return i;
            }
        }
        throw new IllegalArgumentException("field " + field + " was not asked for");
    }

    int rowCount() {
        return root.getRowCount();
    }

    long bytesRead() {
        return bytesRead;
    }

    /** Loads the next record batch into the vectors; false after the last. */
    boolean loadNextBatch() throws IOException {
        if (next >= blocks.size()) {
            return false;
        }
        ArrowBlock block = blocks.get(next++);
        long size = channel.size();
        long bodyStart = block.getOffset() + block.getMetadataLength();
        long bodyLength = block.getBodyLength();
        if (block.getOffset() < 0 || block.getMetadataLength() < 0 || bodyLength < 0
                || block.getOffset() > size - block.getMetadataLength() || bodyLength > size - bodyStart) {
            throw new IOException("record batch " + next + " lies outside the file (truncated?)");
        }
        channel.position(block.getOffset());
        ReadChannel in = new ReadChannel(channel);
        MessageMetadataResult message = MessageSerializer.readMessage(in);
        bytesRead += in.bytesRead();
        if (message == null || message.getMessage().headerType() != MessageHeader.RecordBatch) {
            throw new IOException("block " + next + " of the footer is not a record batch");
        }
        RecordBatch header = (RecordBatch) message.getMessage().header(new RecordBatch());
        int nodeCount = firstNode[firstNode.length - 1];
        int bufferCount = firstBuffer[firstBuffer.length - 1];
        if (header.nodesLength() != nodeCount || header.buffersLength() != bufferCount) {
            throw new IOException("record batch " + next + " has " + header.nodesLength() + " field nodes and "
                    + header.buffersLength() + " buffers where the schema has " + nodeCount + " and " + bufferCount);
        }
        List<ArrowFieldNode> nodes = new ArrayList<>();
        List<Buffer> wanted = new ArrayList<>();
        long total = 0;
        for (int k = 0; k < needed.length; k++) {
            int f = needed[k];
            for (int i = firstNode[f]; i < firstNode[f + 1]; i++) {
                FieldNode node = header.nodes(i);
                nodes.add(new ArrowFieldNode(node.length(), node.nullCount()));
            }
            for (int i = firstBuffer[f]; i < firstBuffer[f + 1]; i++) {
                Buffer b = header.buffers(i);
                if (b.offset() < 0 || b.length() < 0 || b.length() > bodyLength - b.offset()) {
                    throw new IOException("buffer " + i + " of record batch " + next + " lies outside its body");
                }
                wanted.add(b);
                total += align(b.length());
            }
        }
        ArrowBodyCompression compression = header.compression() == null ? NoCompressionCodec.DEFAULT_BODY_COMPRESSION
                : new ArrowBodyCompression(header.compression().codec(), header.compression().method());
        if (body == null || body.capacity() < total) {
            if (body != null) {
                body.close();
                body = null;
            }
            body = allocator.buffer(Math.max(total, 8));
        }
        List<ArrowBuf> buffers = new ArrayList<>();
        long at = 0;
        for (Buffer b : wanted) {
            read(body, at, bodyStart + b.offset(), b.length());
            buffers.add(body.slice(at, b.length()));
            at += align(b.length());
        }
        try (ArrowRecordBatch batch = new ArrowRecordBatch(Math.toIntExact(header.length()), nodes, buffers,
                compression, true)) {
            layout.check(batch);
            loader.load(batch);
        }
        return true;
    }

    /** Bytes [from, from + length) of the file into buf at {@code at}. */
    private void read(ArrowBuf buf, long at, long from, long length) throws IOException {
        for (long done = 0; done < length; ) {
            ByteBuffer target = buf.nioBuffer(at + done, (int) Math.min(length - done, 1 << 30));
            while (target.hasRemaining()) {
                int n = channel.read(target, from + done + target.position());
                if (n < 0) {
                    throw new EOFException("the file ends inside a record batch (truncated?)");
                }
            }
            done += target.capacity();
        }
        bytesRead += length;
    }

    /** Arrow pads buffers to 8 bytes; keeping that alignment keeps the vectors' native fast path. */
    private static long align(long n) {
        return (n + 7) & ~7L;
    }

    @Override
    public void close() {
        root.close();
        if (body != null) {
            body.close();
        }
    }
}
