package dev.jfdw.connectors.arrow;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BufferLayout;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.dictionary.Dictionary;
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
 * the file deserves an error.
 */
final class BatchLayout {
    private BatchLayout() {}

    /**
     * Throws IllegalArgumentException naming the field if a buffer is shorter
     * than its rows need, or a field has fewer rows than the batch.
     * {@code fields} are the batch's fields, in its order.
     */
    static void check(List<Field> fields, ArrowRecordBatch batch) {
        if (batch.getBodyCompression().getCodec() != CompressionUtil.CodecType.NO_COMPRESSION.getType()) {
            return; // sizes are compressed ones; the codec factory refuses the batch
        }
        Iterator<ArrowFieldNode> nodes = batch.getNodes().iterator();
        Iterator<ArrowBuf> buffers = batch.getBuffers().iterator();
        for (Field f : fields) {
            ArrowFieldNode node = next(nodes, f);
            if (node.getLength() != batch.getLength()) {
                throw new IllegalArgumentException("field \"" + f.getName() + "\" has " + node.getLength()
                        + " rows in a record batch of " + batch.getLength());
            }
            check(f, node, nodes, buffers);
        }
    }

    /** A dictionary batch against its dictionary's field (a batch for an unknown id is Arrow's error to raise). */
    static void check(Map<Long, Dictionary> dictionaries, ArrowDictionaryBatch batch) {
        Dictionary d = dictionaries.get(batch.getDictionaryId());
        if (d != null) {
            check(List.of(d.getVector().getField()), batch.getDictionary());
        }
    }

    private static void check(Field f, ArrowFieldNode node, Iterator<ArrowFieldNode> nodes, Iterator<ArrowBuf> buffers) {
        long rows = node.getLength();
        List<BufferLayout> layouts = TypeLayout.getTypeLayout(f.getType()).getBufferLayouts();
        boolean hasOffsets = layouts.stream().anyMatch(l -> l.getType() == BufferLayout.BufferType.OFFSET);
        for (BufferLayout layout : layouts) {
            ArrowBuf buf = next(buffers, f);
            long bits = layout.getTypeBitWidth();
            long need = switch (layout.getType()) {
                // a batch may leave the bitmap out when no value (or every value) is NULL
                case VALIDITY -> node.getNullCount() > 0 && node.getNullCount() < rows ? (rows + 7) / 8 : 0;
                case OFFSET -> rows == 0 ? 0 : (rows + (perRowOffsets(f.getType()) ? 0 : 1)) * bits / 8;
                case DATA -> hasOffsets ? 0 : (rows * bits + 7) / 8;
                case TYPE, SIZE -> rows * bits / 8;
                default -> 0;
            };
            if (buf.capacity() < need) {
                String kind = layout.getType().getName().toLowerCase(Locale.ROOT);
                throw new IllegalArgumentException("the " + kind + " buffer of field \"" + f.getName() + "\" holds "
                        + buf.capacity() + " bytes where its " + rows + " rows need " + need);
            }
        }
        for (Field child : f.getChildren()) {
            check(child, next(nodes, child), nodes, buffers);
        }
    }

    /** A dense union's and a list view's offsets are one per row, not one per row plus an end. */
    private static boolean perRowOffsets(ArrowType t) {
        return t instanceof ArrowType.Union u && u.getMode() == UnionMode.Dense
                || t instanceof ArrowType.ListView || t instanceof ArrowType.LargeListView;
    }

    private static <T> T next(Iterator<T> it, Field f) {
        if (!it.hasNext()) {
            throw new IllegalArgumentException("the record batch lists too few buffers for field \"" + f.getName() + "\"");
        }
        return it.next();
    }
}
