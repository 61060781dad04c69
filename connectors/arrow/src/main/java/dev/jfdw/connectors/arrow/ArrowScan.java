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
import java.nio.channels.FileChannel;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
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
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads the files one record batch at a time (the reader reuses one set of
 * vectors, so memory stays that of the largest batch) and hands each needed
 * column over as a vector: fixed-width values, decimals and strings
 * straight from Arrow's buffers, dictionaries as indexes into such values,
 * the rest (lists, structs, maps, fixed-size binaries) value by value.
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
    /** What the reader reads; it closes it. */
    private FileChannel channel;
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
    /** The first file's fields for the needed columns: every other file must have the same types. */
    private Field[] firstFields;
    private java.nio.file.Path firstFile;
    private int position;
    /**
     * Per needed column, its validity bitmap in the current record batch
     * (NULL: no nulls), found once per batch: a batch is handed over in
     * pieces of at most the scan's batch size, and counting nulls is a pass
     * over the whole bitmap.
     */
    private MemorySegment[] validity;
    private static final long DAY_MICROS = 86_400_000_000L;

    private long batchesRead;
    /** The record batch of this file being read, from 1: what errors name. */
    private int batchInFile;
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
        return "Arrow file \"" + source.path() + "\", record batch " + batchInFile;
    }

    /** The next record batch, of this file or the next one; false at the end. */
    private boolean loadBatch() {
        while (true) {
            if (reader == null && !openNext()) {
                return false;
            }
            batchInFile++;
            try {
                if (projected != null ? projected.loadNextBatch() : reader.loadNextBatch()) {
                    batchesRead++;
                    validity = new MemorySegment[columns.size()];
                    position = 0;
                    return true;
                }
                if (reader instanceof ArrowStreamReader) {
                    // Arrow's reader takes a stream cut short for its end: the marker tells them apart
                    ArrowFiles.checkEndOfStream(channel);
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
        batchInFile = 0;
        ArrowFiles.Opened opened = ArrowFiles.open(source.path(), allocator);
        reader = opened.reader();
        channel = opened.channel();
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
     * fits, and is the type it has in the first file. Only the types of the
     * fields read must agree: not fields the table does not read, nor
     * nullability, metadata, or whether values are dictionary-encoded.
     */
    private void bind(Schema schema) {
        fieldIndex = new int[columns.size()];
        fields = new Field[columns.size()];
        List<Field> all = schema.getFields();
        for (int c = 0; c < columns.size(); c++) {
            Column column = columns.get(c);
            String name = column.options().isSet(ArrowConnector.FIELD) ? column.options().get(ArrowConnector.FIELD)
                    : column.name();
            int index = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).getName().equals(name)) {
                    if (index >= 0) {
                        throw new FdwException(SqlState.AMBIGUOUS_COLUMN, "Arrow file \"" + source.path()
                                + "\" has more than one field named \"" + name + "\": column \"" + column.name()
                                + "\" cannot tell which it reads");
                    }
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
        // the fields loaded: those read, or with the stream format, all of them
        for (Field f : reader instanceof ArrowFileReader ? List.of(fields) : all) {
            Field union = ArrowTypes.unorderedDenseUnion(f);
            if (union != null) {
                throw new FdwException(SqlState.FEATURE_NOT_SUPPORTED, "Arrow file \"" + source.path()
                        + "\" has a dense union, field \"" + union.getName() + "\" (" + describe(union)
                        + "), whose type ids are not in ascending order, which Arrow Java does not read")
                        .withHint("Write the union with its type ids in ascending order.");
            }
        }
        if (firstFields == null) {
            firstFields = fields;
            firstFile = source.path();
        }
        for (int c = 0; c < columns.size(); c++) {
            if (!ArrowTypes.sameType(fields[c], firstFields[c])) {
                throw new FdwException(SqlState.FDW_INVALID_DATA_TYPE, "Arrow file \"" + source.path()
                        + "\" has a different schema from \"" + firstFile + "\"")
                        .withDetail("Field \"" + fields[c].getName() + "\" is " + describe(fields[c]) + " in this file, "
                                + describe(firstFields[c]) + " in the first.")
                        .withHint("All the files of a foreign table must have the same types for the fields it reads.");
            }
        }
    }

    private static String describe(Field f) {
        return f.getChildren().isEmpty() ? f.getType().toString() : f.getType() + "<" + f.getChildren().stream()
                .map(child -> child.getName() + ": " + describe(child)).collect(Collectors.joining(", ")) + ">";
    }

    // ---- handing vectors over

    /** Needed column k's values in this piece of the record batch. */
    private void hand(ColumnBatch batch, int k, FieldVector vector) {
        Column column = columns.get(k);
        Field field = fields[k];
        if (vector.getField().getDictionary() != null) {
            Dictionary dictionary;
            try {
                dictionary = reader.getDictionaryVectors().get(vector.getField().getDictionary().getId());
            } catch (IOException e) {
                throw ArrowFiles.notArrow(source.path(), e);
            }
            handDictionary(batch, k, (BaseIntVector) vector, dictionary.getVector());
            return;
        }
        if (field.getType() instanceof ArrowType.Null) {
            return;
        }
        try {
            if (handVector(batch, k, vector)) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // the batch refuses buffers that do not hold what they say (offsets out of order or past the data)
            throw ArrowFiles.notArrow(source.path(), e).withContext(where());
        }
        for (int i = batch.first(); i < batch.first() + batch.size(); i++) {
            setRow(batch, i, column, vector, field, i); // a NULL is no value, left unset
        }
    }

    /** Needed column k's values as a vector, if the batch takes them so; false to convert them here. */
    private boolean handVector(ColumnBatch batch, int k, FieldVector vector) {
        Column column = columns.get(k);
        Field field = fields[k];
        int c = column.index();
        ColumnBatch.Encoding encoding = encoding(field, column);
        if (encoding != null && vector instanceof BaseFixedWidthVector) {
            batch.setValues(c, encoding, segment(vector.getDataBuffer()), validity(k, vector));
        } else if (field.getType() instanceof ArrowType.Decimal d) {
            batch.setDecimals(c, d.getBitWidth() / 8, d.getScale(), segment(vector.getDataBuffer()),
                    validity(k, vector));
        } else if ((vector instanceof BaseVariableWidthVector || vector instanceof BaseLargeVariableWidthVector)
                && asVarying(field, column)) {
            batch.setVarying(c, segment(vector.getOffsetBuffer()), vector instanceof BaseLargeVariableWidthVector,
                    segment(vector.getDataBuffer()), validity(k, vector));
        } else {
            return false;
        }
        return true;
    }

    /**
     * How the field's fixed-width values go into the column as a vector, or
     * null if they are converted here: a date into timestamptz is midnight
     * UTC, which no encoding says.
     */
    private static ColumnBatch.Encoding encoding(Field field, Column column) {
        boolean dateAsInstant = field.getType() instanceof ArrowType.Date
                && column.type().base().oid() == PgType.TIMESTAMPTZ;
        return dateAsInstant ? null : ArrowTypes.encoding(field.getType());
    }

    /**
     * Whether variable-width values go to the column as
     * {@link ColumnBatch#setVarying} takes them, which the column's type
     * decides: strings into anything but bytea (as text, or its input
     * function's), binaries into bytea alone. Strings into bytea (through
     * bytea's input) and binaries into anything else (as bytes) are
     * converted value by value.
     */
    private static boolean asVarying(Field field, Column column) {
        boolean binary = field.getType() instanceof ArrowType.Binary || field.getType() instanceof ArrowType.LargeBinary;
        return binary ? column.type().oid() == PgType.BYTEA : column.type().base().oid() != PgType.BYTEA;
    }

    /** Needed column k's validity bitmap in this record batch, or NULL if no value is NULL. */
    private MemorySegment validity(int k, ValueVector vector) {
        if (this.validity[k] == null) {
            // the bitmap says which values are NULL, not the batch header's count, which a writer may get wrong
            MemorySegment bits = segment(vector.getValidityBuffer());
            this.validity[k] = allSet(bits, vector.getValueCount()) ? MemorySegment.NULL : bits;
        }
        return this.validity[k];
    }

    /**
     * A dictionary-encoded column: indexes into values in a vector form,
     * else each row's value converted here.
     */
    private void handDictionary(ColumnBatch batch, int k, BaseIntVector indexes, FieldVector values) {
        Column column = columns.get(k);
        ColumnBatch.Encoding indexEncoding = ArrowTypes.encoding(indexes.getField().getType());
        ColumnBatch.Encoding encoding = encoding(values.getField(), column);
        MemorySegment valid = segment(values.getValidityBuffer());
        ColumnBatch.Dictionary dictionary = switch (values) {
            case BaseFixedWidthVector v when encoding != null ->
                    new ColumnBatch.Dictionary.Values(encoding, segment(v.getDataBuffer()), valid, v.getValueCount());
            case BaseVariableWidthVector v when asVarying(values.getField(), column) -> new ColumnBatch.Dictionary.Varying(
                    segment(v.getOffsetBuffer()), false, segment(v.getDataBuffer()), valid, v.getValueCount());
            case BaseLargeVariableWidthVector v when asVarying(values.getField(), column) ->
                    new ColumnBatch.Dictionary.Varying(segment(v.getOffsetBuffer()), true, segment(v.getDataBuffer()),
                            valid, v.getValueCount());
            default -> null;
        };
        MemorySegment indexValidity = validity(k, indexes);
        try {
            if (dictionary != null) {
                batch.setDictionary(column.index(), indexEncoding, segment(indexes.getDataBuffer()), indexValidity,
                        dictionary);
                return;
            }
            for (int i = batch.first(); i < batch.first() + batch.size(); i++) {
                if (!indexes.isNull(i)) {
                    long at = indexes.getValueAsLong(i);
                    if (at < 0 || at >= values.getValueCount()) {
                        throw new IllegalArgumentException("row " + i + " has dictionary index " + at
                                + ", outside the dictionary of " + values.getValueCount() + " values");
                    }
                    setRow(batch, i, column, values, values.getField(), (int) at);
                }
            }
        } catch (IllegalArgumentException e) {
            throw ArrowFiles.notArrow(source.path(), new IllegalArgumentException("field \"" + fields[k].getName()
                    + "\": " + e.getMessage().replaceFirst("^bad vector for column \"[^\"]*\": ", ""), e))
                    .withContext(where());
        }
    }

    /** Converts one value in Java; an error it raises names the row (within the record batch, from 0). */
    private void setRow(ColumnBatch batch, int row, Column column, FieldVector vector, Field field, int index) {
        try {
            switch (vector) {
                case VarCharVector s when !s.isNull(index) -> {
                    byte[] b = s.get(index);
                    batch.row(row).setText(column.index(), b, 0, b.length);
                }
                case LargeVarCharVector s when !s.isNull(index) -> {
                    byte[] b = s.get(index);
                    batch.row(row).setText(column.index(), b, 0, b.length);
                }
                default -> {
                    Object value = Values.value(vector, field, index, reader);
                    if (value != null) {
                        set(batch.row(row), column, value);
                    }
                }
            }
        } catch (FdwException e) {
            throw e.withContext(where() + ", row " + row);
        } catch (ArithmeticException e) {
            // a large list's offsets past what a Java list holds
            throw ArrowFiles.notArrow(source.path(), new IllegalArgumentException("field \"" + vector.getName()
                    + "\" has list offsets beyond 2^31 - 1", e)).withContext(where() + ", row " + row);
        } catch (IllegalArgumentException e) {
            throw ArrowFiles.notArrow(source.path(), e).withContext(where() + ", row " + row);
        }
    }

    /** A value from {@link Values#value} into its column. */
    private static void set(Row row, Column column, Object value) {
        int c = column.index();
        PgType base = column.type().base();
        int type = base.oid();
        switch (value) {
            case List<?> l when base.kind() == PgType.Kind.ARRAY ->
                    row.setString(c, Values.arrayLiteral(l, base.of().base().oid()));
            case List<?> l -> row.setString(c, Values.json(l));
            case Map<?, ?> m -> row.setString(c, Values.json(m));
            case Values.Entries m -> row.setString(c, Values.json(m));
            case Values.Union u -> row.setString(c, Values.json(u.value()));
            case Values.Bytes b when type == PgType.UUID && b.value().length == 16 ->
                    row.setUuid(c, Values.uuid(b.value()));
            case Values.Bytes b -> row.setBytes(c, b.value());
            // as the vector path does: an instant into timestamptz, wall-clock time into anything else
            case Values.Timestamp t when type == PgType.TIMESTAMPTZ -> row.setTimestamptzEpochMicros(c, t.micros());
            case Values.Timestamp t -> row.setTimestampEpochMicros(c, t.micros());
            case LocalDate d when type == PgType.TIMESTAMPTZ -> row.setTimestamptzEpochMicros(c, dayMicros(d));
            case LocalDate d when type == PgType.TIMESTAMP -> row.setTimestampEpochMicros(c, dayMicros(d));
            case LocalDate d -> row.setDateEpochDays(c, d.toEpochDay());
            case Values.Time t ->
                    row.setTime(c, t.micros() == DAY_MICROS ? LocalTime.MAX : LocalTime.ofNanoOfDay(t.micros() * 1_000));
            case Values.Interval i -> row.setInterval(c, i.months(), i.days(), i.micros());
            default -> row.setObject(c, value);
        }
    }

    /** Midnight UTC of a date, in microseconds since 1970; beyond int64, out of every timestamp's range. */
    private static long dayMicros(LocalDate d) {
        long days = d.toEpochDay();
        return Math.abs(days) <= Long.MAX_VALUE / DAY_MICROS ? days * DAY_MICROS
                : days < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
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
            try {
                allocator.close();
            } catch (IllegalStateException leak) {
                // memory some path did not give back: ours to fix, not a reason to replace the query's own error
                System.err.println("jfdw arrow connector: " + leak.getMessage());
            }
        }
    }
}
