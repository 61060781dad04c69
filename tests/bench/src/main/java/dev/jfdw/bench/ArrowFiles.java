package dev.jfdw.bench;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** The benchmark's rows (id, name, score, ts; as in the JSON files) as an Arrow IPC file, in batches of 64k rows. */
final class ArrowFiles {
    private static final int BATCH = 65_536;
    private static final long EPOCH_2000_MICROS = 946_684_800_000_000L;

    private ArrowFiles() {}

    static void write(Path file, long rows) throws IOException {
        Schema schema = new Schema(List.of(
                Field.nullable("id", new ArrowType.Int(64, true)),
                Field.nullable("name", ArrowType.Utf8.INSTANCE),
                Field.nullable("score", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
                Field.nullable("ts", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"))));
        try (RootAllocator allocator = new RootAllocator();
             VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
             FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING);
             ArrowFileWriter writer = new ArrowFileWriter(root, null, out)) {
            BigIntVector id = (BigIntVector) root.getVector("id");
            VarCharVector name = (VarCharVector) root.getVector("name");
            Float8Vector score = (Float8Vector) root.getVector("score");
            TimeStampMicroTZVector ts = (TimeStampMicroTZVector) root.getVector("ts");
            writer.start();
            for (long start = 1; start <= rows; start += BATCH) {
                int n = (int) Math.min(BATCH, rows - start + 1);
                root.allocateNew();
                for (int i = 0; i < n; i++) {
                    long r = start + i;
                    id.setSafe(i, r);
                    name.setSafe(i, ("name " + r).getBytes(StandardCharsets.US_ASCII));
                    score.setSafe(i, r / 4.0);
                    ts.setSafe(i, EPOCH_2000_MICROS + r * 1_000_000);
                }
                root.setRowCount(n);
                writer.writeBatch();
            }
            writer.end();
        }
    }
}
