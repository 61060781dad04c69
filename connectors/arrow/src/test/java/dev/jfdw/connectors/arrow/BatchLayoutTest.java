package dev.jfdw.connectors.arrow;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.apache.arrow.flatbuf.BodyCompressionMethod;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.compression.CompressionUtil.CodecType;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.message.ArrowBodyCompression;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Batch headers that Arrow Java would load into wrong rows, refused before it does. */
class BatchLayoutTest {
    private static final BufferAllocator ALLOCATOR = new RootAllocator();
    private static final Field INT = Field.nullable("v", new ArrowType.Int(32, true));

    @AfterAll
    static void close() {
        ALLOCATOR.close();
    }

    /** Checks a batch of {@code rows} rows with the given nodes, each buffer {@code bytes} long. */
    private static void check(List<Field> fields, int rows, List<ArrowFieldNode> nodes, int buffers, long bytes,
                              ArrowBodyCompression compression) {
        List<ArrowBuf> bufs = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < buffers; i++) {
                bufs.add(ALLOCATOR.buffer(bytes)); // sizes here are powers of two: Arrow does not round them up
            }
            try (ArrowRecordBatch batch = new ArrowRecordBatch(rows, nodes, bufs, compression)) {
                new BatchLayout(fields).check(batch);
            }
        } finally {
            bufs.forEach(ArrowBuf::close);
        }
    }

    private static String error(List<Field> fields, int rows, List<ArrowFieldNode> nodes, int buffers, long bytes,
                                ArrowBodyCompression compression) {
        return assertThrows(IllegalArgumentException.class,
                () -> check(fields, rows, nodes, buffers, bytes, compression)).getMessage();
    }

    @Test
    void aWellFormedBatchPasses() {
        assertDoesNotThrow(() -> check(List.of(INT), 3, List.of(new ArrowFieldNode(3, 1)), 2, 16,
                NoCompressionCodec.DEFAULT_BODY_COMPRESSION));
        // no bitmap at all is fine when no value, or every value, is NULL
        assertDoesNotThrow(() -> check(List.of(INT), 0, List.of(new ArrowFieldNode(0, 0)), 2, 0,
                NoCompressionCodec.DEFAULT_BODY_COMPRESSION));
    }

    @Test
    void anUnknownCompressionCodecIsAnError() {
        // Arrow Java would take codec 7 for "no compression" and load the compressed bytes as values
        assertTrue(error(List.of(INT), 3, List.of(new ArrowFieldNode(3, 0)), 2, 16,
                new ArrowBodyCompression((byte) 7, BodyCompressionMethod.BUFFER)).contains("unknown codec 7"));
        assertDoesNotThrow(() -> check(List.of(INT), 3, List.of(new ArrowFieldNode(3, 0)), 2, 16,
                new ArrowBodyCompression(CodecType.ZSTD.getType(), BodyCompressionMethod.BUFFER)));
    }

    @Test
    void nullCountsOutsideTheRowsAreAnError() {
        assertEquals("field \"v\" has 5 NULLs in 3 rows", error(List.of(INT), 3, List.of(new ArrowFieldNode(3, 5)), 2,
                16, NoCompressionCodec.DEFAULT_BODY_COMPRESSION));
        assertEquals("field \"v\" has -1 NULLs in 3 rows", error(List.of(INT), 3, List.of(new ArrowFieldNode(3, -1)),
                2, 16, NoCompressionCodec.DEFAULT_BODY_COMPRESSION));
    }

    @Test
    void aBitmapThatIsThereButShortIsAnError() {
        // Arrow keeps a file's bitmap whatever the NULL count says: a short one would be read past its end
        assertTrue(error(List.of(INT), 100, List.of(new ArrowFieldNode(100, 0)), 2, 8,
                NoCompressionCodec.DEFAULT_BODY_COMPRESSION).contains("validity buffer of field \"v\" holds 8 bytes"));
    }

    @Test
    void aStructChildShorterThanItsParentIsAnError() {
        Field struct = new Field("s", FieldType.nullable(ArrowType.Struct.INSTANCE), List.of(INT));
        // struct: one bitmap; child: bitmap and values
        assertEquals("field \"v\" has 2 rows where its parent's rows need 3", error(List.of(struct), 3,
                List.of(new ArrowFieldNode(3, 0), new ArrowFieldNode(2, 0)), 3, 16,
                NoCompressionCodec.DEFAULT_BODY_COMPRESSION));
        Field pairs = new Field("p", FieldType.nullable(new ArrowType.FixedSizeList(2)), List.of(INT));
        assertEquals("field \"v\" has 5 rows where its parent's rows need 6", error(List.of(pairs), 3,
                List.of(new ArrowFieldNode(3, 0), new ArrowFieldNode(5, 0)), 3, 32,
                NoCompressionCodec.DEFAULT_BODY_COMPRESSION));
    }

    @Test
    void aBitmapIsAllSetOnlyIfEveryBitIs() {
        MemorySegment bits = MemorySegment.ofArray(new byte[16]);
        bits.fill((byte) -1);
        assertTrue(ArrowScan.allSet(bits, 128));
        assertTrue(ArrowScan.allSet(MemorySegment.NULL, 0));
        assertFalse(ArrowScan.allSet(MemorySegment.NULL, 1));
        bits.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 12, (byte) 0xEF); // row 100
        assertFalse(ArrowScan.allSet(bits, 128));
        assertFalse(ArrowScan.allSet(bits, 101));
        assertTrue(ArrowScan.allSet(bits, 100));
        assertFalse(ArrowScan.allSet(bits, 129)); // past the bitmap's end
    }
}
