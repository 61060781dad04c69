package dev.jfdw.connectors.arrow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.flatbuf.BodyCompressionMethod;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BufferLayout;
import org.apache.arrow.vector.BufferLayout.BufferType;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.message.ArrowBodyCompression;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.UnionMode;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Checks a record batch's buffers against its fields before Arrow loads it.
 * Arrow Java grows a buffer shorter than its row count says with zeros, so a
 * damaged length in a file would become rows of zeros: a wrong answer, where
 * the file deserves an error. The fields' layouts are worked out once, when
 * the schema is known: a batch is checked many times per query, in code
 * that mostly runs interpreted.
 */
final class BatchLayout {
    /**
     * A field as a batch lists it: one node, then its buffers; children
     * follow depth first. {@code parent} is the parent's node (-1 at the top
     * level); a child has at least {@code perParentRow} rows per row of its
     * parent (0: its parent's offsets say how many).
     */
    private record Node(String name, int parent, int perParentRow, BufferType[] types, int[] bits,
                        boolean hasOffsets, boolean perRowOffsets) {}

    private final Node[] nodes;

    /** The layout of batches of {@code fields}, in their order. */
    BatchLayout(List<Field> fields) {
        List<Node> all = new ArrayList<>();
        for (Field f : fields) {
            flatten(f, -1, 0, all);
        }
        nodes = all.toArray(Node[]::new);
    }

    private static void flatten(Field f, int parent, int perParentRow, List<Node> into) {
        List<BufferLayout> layouts = TypeLayout.getTypeLayout(f.getType()).getBufferLayouts();
        BufferType[] types = new BufferType[layouts.size()];
        int[] bits = new int[layouts.size()];
        boolean hasOffsets = false;
        for (int i = 0; i < types.length; i++) {
            types[i] = layouts.get(i).getType();
            bits[i] = layouts.get(i).getTypeBitWidth();
            hasOffsets |= types[i] == BufferType.OFFSET;
        }
        int self = into.size();
        into.add(new Node(f.getName(), parent, perParentRow, types, bits, hasOffsets, perRowOffsets(f.getType())));
        int perRow = switch (f.getType()) {
            case ArrowType.Struct s -> 1;
            case ArrowType.Union u when u.getMode() == UnionMode.Sparse -> 1;
            case ArrowType.FixedSizeList l -> l.getListSize();
            default -> 0;
        };
        for (Field child : f.getChildren()) {
            flatten(child, self, perRow, into);
        }
    }

    /** A dictionary batch against its dictionary's field (a batch for an unknown id is Arrow's error to raise). */
    static void check(Map<Long, Dictionary> dictionaries, ArrowDictionaryBatch batch) {
        Dictionary d = dictionaries.get(batch.getDictionaryId());
        if (d != null) {
            new BatchLayout(List.of(d.getVector().getField())).check(batch.getDictionary());
        }
    }

    /**
     * Throws IllegalArgumentException naming the field if a buffer is shorter
     * than its rows need, or a field has fewer rows than the batch.
     */
    void check(ArrowRecordBatch batch) {
        ArrowBodyCompression compression = batch.getBodyCompression();
        if (compression.getCodec() != CompressionUtil.CodecType.NO_COMPRESSION.getType()) {
            if (compression.getCodec() != CompressionUtil.CodecType.LZ4_FRAME.getType()
                    && compression.getCodec() != CompressionUtil.CodecType.ZSTD.getType()
                    || compression.getMethod() != BodyCompressionMethod.BUFFER) {
                // Arrow would take an unknown codec for no compression at all
                throw new IllegalArgumentException("the record batch is compressed with unknown codec "
                        + compression.getCodec() + " (method " + compression.getMethod() + ")");
            }
            return; // sizes are compressed ones; the codec factory refuses the batch
        }
        List<ArrowFieldNode> fieldNodes = batch.getNodes();
        List<ArrowBuf> buffers = batch.getBuffers();
        int b = 0;
        for (int n = 0; n < nodes.length; n++) {
            Node node = nodes[n];
            if (n >= fieldNodes.size()) {
                throw tooFew(node);
            }
            ArrowFieldNode fieldNode = fieldNodes.get(n);
            long rows = fieldNode.getLength();
            long nulls = fieldNode.getNullCount();
            if (node.parent() < 0 && rows != batch.getLength()) {
                throw new IllegalArgumentException("field \"" + node.name() + "\" has " + rows
                        + " rows in a record batch of " + batch.getLength());
            }
            if (rows < 0 || nulls < 0 || nulls > rows) {
                throw new IllegalArgumentException("field \"" + node.name() + "\" has " + nulls + " NULLs in "
                        + rows + " rows");
            }
            if (node.parent() >= 0) {
                long need = (long) fieldNodes.get(node.parent()).getLength() * node.perParentRow();
                if (rows < need) {
                    throw new IllegalArgumentException("field \"" + node.name() + "\" has " + rows
                            + " rows where its parent's rows need " + need);
                }
            }
            for (int i = 0; i < node.types().length; i++) {
                if (b >= buffers.size()) {
                    throw tooFew(node);
                }
                ArrowBuf buf = buffers.get(b++);
                long bits = node.bits()[i];
                long need = switch (node.types()[i]) {
                    // a batch may leave the bitmap out when no value (or every value) is NULL, not cut it short
                    case VALIDITY -> buf.capacity() > 0 || nulls > 0 && nulls < rows ? (rows + 7) / 8 : 0;
                    case OFFSET -> rows == 0 ? 0 : (rows + (node.perRowOffsets() ? 0 : 1)) * bits / 8;
                    case DATA -> node.hasOffsets() ? 0 : (rows * bits + 7) / 8;
                    // a union's type ids are int8, whatever width Arrow Java's TypeLayout gives them
                    case TYPE -> rows;
                    case SIZE -> rows * bits / 8;
                    default -> 0;
                };
                if (buf.capacity() < need) {
                    String kind = node.types()[i].getName().toLowerCase(Locale.ROOT);
                    throw new IllegalArgumentException("the " + kind + " buffer of field \"" + node.name() + "\" holds "
                            + buf.capacity() + " bytes where its " + rows + " rows need " + need);
                }
            }
        }
    }

    /** A dense union's and a list view's offsets are one per row, not one per row plus an end. */
    private static boolean perRowOffsets(ArrowType t) {
        return t instanceof ArrowType.Union u && u.getMode() == UnionMode.Dense
                || t instanceof ArrowType.ListView || t instanceof ArrowType.LargeListView;
    }

    private static IllegalArgumentException tooFew(Node node) {
        return new IllegalArgumentException("the record batch lists too few buffers for field \"" + node.name() + "\"");
    }
}
