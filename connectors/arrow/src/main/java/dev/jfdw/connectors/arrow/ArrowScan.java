package dev.jfdw.connectors.arrow;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.jfdw.api.Column;
import dev.jfdw.api.ColumnBatch;
import dev.jfdw.api.Explain;
import dev.jfdw.api.FdwException;
import dev.jfdw.api.PgType;
import dev.jfdw.api.Row;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import dev.jfdw.api.ServerFiles;
import dev.jfdw.api.ServerFiles.Entry;
import dev.jfdw.api.SqlState;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads the files one record batch at a time (the reader reuses one set of
 * vectors, so memory stays that of the largest batch) and hands each needed
 * column over as a vector: fixed-width values and strings straight from
 * Arrow's buffers, the rest (decimals, lists, structs, dictionaries) value
 * by value.
 */
final class ArrowScan implements Scan {
    private final ScanContext context;
    private final String files;
    /** Listed when first read: a plain EXPLAIN opens the scan too, and must not fail on a missing file. */
    private List<Entry> sources;
    private final List<Column> columns;
    private final BufferAllocator allocator = new RootAllocator();
    private int nextSource;
    private Entry source;
    /** The current file's reader: its schema and dictionaries, and its batches for a stream. */
    private ArrowReader reader;
    private VectorSchemaRoot root;
    /** The current file's batches, needed fields only, for the file format. */
    private ProjectedBatches projected;
    /**
     * Per needed column: its field's index in the current file's schema, and
     * its vector (loaded anew by each batch, the same object all file long).
     */
    private int[] fieldIndex;
    private FieldVector[] vectors;
    private Field[] fields;
    private Schema firstSchema;
    private java.nio.file.Path firstFile;
    private int position;
    /**
     * Per needed column, its validity bitmap in the current record batch
     * (NULL: no nulls), found once per batch: a batch is handed over in
     * pieces of at most the scan's batch size, and counting nulls is a pass
     * over the whole bitmap.
     */
    private MemorySegment[] validity;
    private long batchesRead;
    private long bytesRead;

    ArrowScan(ScanContext context, String files) {
        this.context = context;
        this.files = files;
        this.columns = context.columns();
    }

    @Override
    public boolean next(Rows rows) {
        while (reader == null || position >= rowCount()) {
            if (!loadBatch()) {
                return false;
            }
        }
        ColumnBatch batch = rows.columns(position, rowCount() - position);
        try {
            for (int c = 0; c < columns.size(); c++) {
                hand(batch, c, vectors[c]);
            }
        } catch (FdwException e) {
            throw e.contextLines().isEmpty() ? e.withContext(where()) : e;
        } catch (IndexOutOfBoundsException e) {
            // Arrow's bounds checks: a buffer shorter than its batch says
            throw ArrowFiles.notArrow(source.path(), e).withContext(where());
        }
        position += batch.size();
        return true;
    }

    private int rowCount() {
        return projected != null ? projected.rowCount() : root.getRowCount();
    }

    private String where() {
        return "Arrow file \"" + source.path() + "\", record batch " + batchesRead;
    }

    /** The next record batch, of this file or the next one; false at the end. */
    private boolean loadBatch() {
        while (true) {
            if (reader == null && !openNext()) {
                return false;
            }
            try {
                if (projected != null ? projected.loadNextBatch() : reader.loadNextBatch()) {
                    batchesRead++;
                    validity = new MemorySegment[columns.size()];
                    position = 0;
                    return true;
                }
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                if (e instanceof FdwException f) {
                    throw f;
                }
                throw ArrowFiles.notArrow(source.path(), e).withContext(where());
            }
            closeReader();
        }
    }

    private boolean openNext() {
        if (sources == null) {
            sources = ServerFiles.resolve(files);
        }
        if (nextSource >= sources.size()) {
            return false;
        }
        source = sources.get(nextSource++);
        ArrowFiles.Opened opened = ArrowFiles.open(source.path(), allocator);
        reader = opened.reader();
        try {
            root = reader.getVectorSchemaRoot();
            bind(root.getSchema());
            if (reader instanceof ArrowFileReader file) {
                int[] needed = IntStream.of(fieldIndex).distinct().sorted().toArray();
                projected = ProjectedBatches.openOrNull(source.path(), opened.channel(), file.getRecordBlocks(),
                        root.getSchema(), needed, allocator);
            }
            vectors = new FieldVector[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                vectors[c] = projected != null ? projected.vector(fieldIndex[c]) : root.getVector(fieldIndex[c]);
            }
        } catch (IOException | RuntimeException e) {
            closeReader();
            if (e instanceof FdwException f) {
                throw f;
            }
            throw ArrowFiles.notArrow(source.path(), e);
        }
        return true;
    }

    /**
     * Finds each needed column's field in this file and checks that its type
     * fits; every later file must have the first one's schema.
     */
    private void bind(Schema schema) {
        if (firstSchema == null) {
            firstSchema = schema;
            firstFile = source.path();
        } else if (!firstSchema.getFields().equals(schema.getFields())) {
            throw new FdwException(SqlState.FDW_INVALID_DATA_TYPE, "Arrow file \"" + source.path()
                    + "\" has a different schema from \"" + firstFile + "\"")
                    .withDetail("This file: " + schema.getFields() + ". The first: " + firstSchema.getFields() + ".")
                    .withHint("All the files of a foreign table must have the same fields and types.");
        }
        fieldIndex = new int[columns.size()];
        fields = new Field[columns.size()];
        List<Field> all = schema.getFields();
        for (int c = 0; c < columns.size(); c++) {
            Column column = columns.get(c);
            String name = column.options().isSet(ArrowConnector.FIELD) ? column.options().get(ArrowConnector.FIELD)
                    : column.name();
            int index = -1;
            for (int i = 0; i < all.size() && index < 0; i++) {
                if (all.get(i).getName().equals(name)) {
                    index = i;
                }
            }
            if (index < 0) {
                throw new FdwException(SqlState.FDW_COLUMN_NAME_NOT_FOUND,
                        "column \"" + column.name() + "\" has no field \"" + name + "\" in Arrow file \""
                                + source.path() + "\"")
                        .withDetail("The file's fields: " + all.stream().map(Field::getName)
                                .collect(Collectors.joining(", ")) + ".")
                        .withHint("Name the field with the column option field, or check that all the table's "
                                + "files have the same schema.");
            }
            Field field = ArrowFiles.valueField(reader, all.get(index));
            if (!ArrowTypes.fits(field, column.type())) {
                throw new FdwException(SqlState.FDW_INVALID_DATA_TYPE,
                        "column \"" + column.name() + "\" of type " + column.type().name()
                                + " cannot hold Arrow field \"" + name + "\" of type " + describe(field))
                        .withDetail("Arrow file \"" + source.path() + "\".")
                        .withHint("IMPORT FOREIGN SCHEMA shows the type jfdw maps it to: " + ArrowTypes.sqlType(field) + ".");
            }
            fieldIndex[c] = index;
            fields[c] = field;
        }
    }

    private static String describe(Field f) {
        return f.getType().toString();
    }

    // ---- handing vectors over

    /** Needed column k's values in this piece of the record batch. */
    private void hand(ColumnBatch batch, int k, FieldVector vector) {
        Column column = columns.get(k);
        Field field = fields[k];
        int c = column.index();
        if (vector.getField().getDictionary() != null) {
            Dictionary dictionary;
            try {
                dictionary = reader.getDictionaryVectors().get(vector.getField().getDictionary().getId());
            } catch (IOException e) {
                throw ArrowFiles.notArrow(source.path(), e);
            }
            FieldVector values = dictionary.getVector();
            BaseIntVector indices = (BaseIntVector) vector;
            for (int i = batch.first(); i < batch.first() + batch.size(); i++) {
                if (!vector.isNull(i)) {
                    long at = indices.getValueAsLong(i);
                    if (at < 0 || at >= values.getValueCount()) {
                        throw ArrowFiles.notArrow(source.path(), new IllegalArgumentException("dictionary index " + at
                                + " of field \"" + field.getName() + "\" is outside its dictionary of "
                                + values.getValueCount() + " values"));
                    }
                    if (!values.isNull((int) at)) {
                        setRow(batch, i, column, values, (int) at);
                    }
                }
            }
            return;
        }
        if (field.getType() instanceof ArrowType.Null) {
            return;
        }
        if (this.validity[k] == null) {
            // the bitmap says which values are NULL, not the batch header's count, which a writer may get wrong
            MemorySegment bits = segment(vector.getValidityBuffer());
            this.validity[k] = allSet(bits, vector.getValueCount()) ? MemorySegment.NULL : bits;
        }
        MemorySegment validity = this.validity[k];
        ColumnBatch.Encoding encoding = ArrowTypes.encoding(field.getType());
        if (encoding != null && vector instanceof BaseFixedWidthVector) {
            batch.setValues(c, encoding, segment(vector.getDataBuffer()), validity);
        } else if (vector instanceof BaseVariableWidthVector) {
            batch.setVarying(c, segment(vector.getOffsetBuffer()), false, segment(vector.getDataBuffer()), validity);
        } else if (vector instanceof BaseLargeVariableWidthVector) {
            batch.setVarying(c, segment(vector.getOffsetBuffer()), true, segment(vector.getDataBuffer()), validity);
        } else {
            for (int i = batch.first(); i < batch.first() + batch.size(); i++) {
                if (!vector.isNull(i)) {
                    setRow(batch, i, column, vector, i);
                }
            }
        }
    }

    /** Converts one value in Java; an error it raises names the row (within the record batch, from 0). */
    private void setRow(ColumnBatch batch, int row, Column column, FieldVector vector, int index) {
        try {
            set(batch.row(row), column, vector, index);
        } catch (FdwException e) {
            throw e.withContext(where() + ", row " + row);
        }
    }

    /** Whether the first {@code bits} bits of {@code bitmap} are all 1: no value is NULL. */
    static boolean allSet(MemorySegment bitmap, int bits) {
        if (bitmap.byteSize() < (bits + 7L) / 8) {
            return false;
        }
        int words = bits / 64;
        for (int w = 0; w < words; w++) {
            if (bitmap.get(JAVA_LONG_UNALIGNED, w * 8L) != -1L) {
                return false;
            }
        }
        for (int i = words * 64; i < bits; i++) {
            if ((bitmap.get(JAVA_BYTE, i >>> 3) & 1 << (i & 7)) == 0) {
                return false;
            }
        }
        return true;
    }

    private static MemorySegment segment(ArrowBuf buf) {
        return buf.capacity() == 0 ? MemorySegment.NULL
                : MemorySegment.ofAddress(buf.memoryAddress()).reinterpret(buf.capacity());
    }

    /** One value by the vector's type: the types with no vector form, and dictionary values. */
    private static void set(Row row, Column column, FieldVector v, int i) {
        int c = column.index();
        switch (v) {
            case org.apache.arrow.vector.DecimalVector d -> row.setBigDecimal(c, d.getObject(i));
            case org.apache.arrow.vector.Decimal256Vector d -> row.setBigDecimal(c, d.getObject(i));
            case org.apache.arrow.vector.Float2Vector f -> row.setDouble(c, Float.float16ToFloat(f.get(i)));
            case org.apache.arrow.vector.FixedSizeBinaryVector b when column.type().oid() == PgType.UUID -> {
                ByteBuffer u = ByteBuffer.wrap(b.get(i));
                row.setUuid(c, new UUID(u.getLong(), u.getLong()));
            }
            case org.apache.arrow.vector.FixedSizeBinaryVector b -> row.setBytes(c, b.get(i));
            case org.apache.arrow.vector.IntervalYearVector y -> row.setInterval(c, y.get(i), 0, 0);
            case org.apache.arrow.vector.IntervalDayVector d -> {
                var h = new org.apache.arrow.vector.holders.NullableIntervalDayHolder();
                d.get(i, h);
                row.setInterval(c, 0, h.days, h.milliseconds * 1000L);
            }
            case org.apache.arrow.vector.IntervalMonthDayNanoVector m -> {
                var h = new org.apache.arrow.vector.holders.NullableIntervalMonthDayNanoHolder();
                m.get(i, h);
                row.setInterval(c, h.months, h.days, Math.floorDiv(h.nanoseconds, 1000L));
            }
            case org.apache.arrow.vector.VarCharVector s -> {
                byte[] b = s.get(i);
                row.setText(c, b, 0, b.length);
            }
            case org.apache.arrow.vector.LargeVarCharVector s -> {
                byte[] b = s.get(i);
                row.setText(c, b, 0, b.length);
            }
            default -> {
                if (Values.nested(v)) {
                    Object o = Values.value(v, i);
                    row.setString(c, o instanceof List<?> && column.type().name().endsWith("[]")
                            ? Values.arrayLiteral(o) : Values.json(o));
                } else {
                    Object o = v.getObject(i);
                    row.setObject(c, o instanceof org.apache.arrow.vector.util.Text t ? t.toString() : o);
                }
            }
        }
    }

    @Override
    public boolean rescan() {
        closeReader();
        nextSource = 0;
        position = 0;
        return true;
    }

    @Override
    public void explain(Explain explain) {
        // files that cannot be listed: reading the table says why, EXPLAIN shows the option (as file_fdw does)
        List<Entry> listed = sources != null ? sources : ServerFiles.tryResolve(files).orElse(null);
        if (listed == null) {
            explain.property("Arrow Files", files);
        } else {
            explain.property("Arrow Files", listed.size(), null);
            explain.property("Arrow Size", listed.stream().mapToLong(Entry::size).sum(), "bytes");
            if (explain.verbose()) {
                explain.property("Arrow File List", listed.isEmpty() ? "(none match " + files + ")"
                        : listed.stream().map(s -> s.path().toString()).collect(Collectors.joining(", ")));
            }
        }
        if (explain.analyze()) {
            explain.property("Record Batches Read", batchesRead, null);
            explain.property("Arrow Bytes Read", bytesRead + currentBytesRead(), "bytes");
        }
    }

    private long currentBytesRead() {
        return (reader == null ? 0 : reader.bytesRead()) + (projected == null ? 0 : projected.bytesRead());
    }

    private void closeReader() {
        if (reader != null) {
            ArrowReader r = reader;
            bytesRead += currentBytesRead();
            if (projected != null) {
                projected.close();
            }
            reader = null;
            root = null;
            projected = null;
            try {
                r.close();
            } catch (IOException e) {
                throw new FdwException(SqlState.IO_ERROR, "could not close \"" + source.path() + "\": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        try {
            closeReader();
        } finally {
            allocator.close();
        }
    }
}
