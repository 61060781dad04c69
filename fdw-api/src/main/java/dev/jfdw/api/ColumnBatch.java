package dev.jfdw.api;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Rows handed over column by column, from {@link Rows#columns}: the way for
 * columnar sources (Arrow, Parquet, a columnar database) to pass whole
 * vectors of values with no call per row or per value.
 *
 * <p>Vectors are described in Apache Arrow's memory layout, which most
 * columnar readers produce or can: values packed little-endian at
 * {@code index * width}, booleans and validity as bitmaps (bit {@code i % 8}
 * of byte {@code i / 8}, 1 = valid; {@link MemorySegment#NULL} = no NULLs),
 * variable-width values as offsets into a data buffer. Indexes are those of
 * the vectors: this batch's rows are {@link #first()} to
 * {@code first() + size() - 1}.
 *
 * <p>Where the pair of encoding and column type allows (integers into
 * integer columns of the same or a wider type, floats, booleans, dates and
 * timestamps, UTF-8 into text), the extension's C code reads the vectors
 * directly, converting a column at a time once {@link Scan#next} returns;
 * any other pair is converted here with the checks of the matching
 * {@link Row} setter. Either way the vectors' memory must stay valid, and
 * unchanged, until the scan's next {@link Scan#next} or {@link Scan#close}
 * (a vector freed before that is an IllegalStateException when next returns).
 * A vector that fails its checks throws, and leaves its column unset.
 *
 * <p>Dictionary-encoded columns ({@link #setDictionary}) hand over indexes
 * into a {@link Dictionary} of values in either form above: the values are
 * checked and converted as they are used, with no call per row.
 *
 * <p>Columns not set are NULL; a column may instead be written row by row
 * with {@link #row(int)}, for values with no vector form (lists, structs).
 */
public interface ColumnBatch {
    /** How fixed-width values are stored. */
    enum Encoding {
        /** Booleans packed 8 to a byte, like validity. */
        BOOL_BITS(0),
        INT8(1), INT16(2), INT32(4), INT64(8),
        UINT8(1), UINT16(2), UINT32(4), UINT64(8),
        FLOAT32(4), FLOAT64(8),
        /** Dates: int32 days, int64 milliseconds since 1970-01-01. */
        DATE_DAYS(4), DATE_MILLIS(8),
        /** Times of day since midnight. */
        TIME_SECONDS(4), TIME_MILLIS(4), TIME_MICROS(8), TIME_NANOS(8),
        /**
         * int64 since 1970-01-01 00:00:00: an instant (UTC) for timestamptz,
         * a wall-clock time for timestamp. PostgreSQL keeps microseconds:
         * nanoseconds are truncated toward the earlier microsecond.
         */
        TIMESTAMP_SECONDS(8), TIMESTAMP_MILLIS(8), TIMESTAMP_MICROS(8), TIMESTAMP_NANOS(8),
        /** int64 lengths of time, into interval. */
        DURATION_SECONDS(8), DURATION_MILLIS(8), DURATION_MICROS(8), DURATION_NANOS(8);

        private final int width;

        Encoding(int width) {
            this.width = width;
        }

        /** Bytes per value; 0 for bits. */
        public int width() {
            return width;
        }
    }

    /** The vector index of this batch's first row. */
    int first();

    /** Rows in this batch: as many as asked for, or fewer if the batch had less room. */
    int size();

    /** Fixed-width values, value {@code i} at {@code values + i * width} (bit {@code i} for BOOL_BITS). */
    ColumnBatch setValues(int column, Encoding encoding, MemorySegment values, MemorySegment validity);

    /**
     * Variable-width values: value {@code i} is {@code data[offsets[i], offsets[i + 1])},
     * offsets int32 or, if {@code largeOffsets}, int64. UTF-8 for text
     * columns (checked: an invalid sequence or a NUL byte is an error), raw
     * bytes for bytea, the type's text form for any other column type.
     */
    ColumnBatch setVarying(int column, MemorySegment offsets, boolean largeOffsets, MemorySegment data,
                           MemorySegment validity);

    /**
     * Decimals: value {@code i} is the {@code width}-byte two's-complement
     * integer at {@code values + i * width} (little-endian; width 4, 8, 16 or
     * 32, as Arrow's decimal32 to decimal256) times 10<sup>-scale</sup>. A
     * numeric column keeps every digit, or rounds to its own scale as
     * PostgreSQL does; any other column takes the value as
     * {@link Row#setBigDecimal} would. Converted in Java, with no BigDecimal
     * for a value that fits in a long.
     */
    ColumnBatch setDecimals(int column, int width, int scale, MemorySegment values, MemorySegment validity);

    /**
     * Dictionary-encoded values: value {@code i} is the dictionary's value
     * number {@code indexes[i]}, or NULL where {@code validity} or the
     * dictionary's own validity says so. Indexes are integers in any
     * {@code INT} or {@code UINT} encoding; an index outside the dictionary
     * is an error naming the row.
     */
    ColumnBatch setDictionary(int column, Encoding indexEncoding, MemorySegment indexes, MemorySegment validity,
                              Dictionary dictionary);

    /**
     * The {@code size} values a dictionary-encoded vector indexes, in one of
     * the layouts {@link #setValues} and {@link #setVarying} take. A
     * dictionary is typically shared by many batches: it is read, and its
     * values checked, only where indexes point.
     */
    sealed interface Dictionary {
        /** The number of values. */
        int size();

        private static void checkSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("a dictionary of " + size + " values");
            }
        }

        /** Fixed-width values, as for {@link #setValues}. */
        record Values(Encoding encoding, MemorySegment values, MemorySegment validity, int size)
                implements Dictionary {
            public Values {
                Objects.requireNonNull(encoding, "encoding");
                Objects.requireNonNull(values, "values");
                Objects.requireNonNull(validity, "validity (MemorySegment.NULL for none)");
                Dictionary.checkSize(size);
            }
        }

        /** Variable-width values, as for {@link #setVarying}. */
        record Varying(MemorySegment offsets, boolean largeOffsets, MemorySegment data, MemorySegment validity,
                       int size) implements Dictionary {
            public Varying {
                Objects.requireNonNull(offsets, "offsets");
                Objects.requireNonNull(data, "data");
                Objects.requireNonNull(validity, "validity (MemorySegment.NULL for none)");
                Dictionary.checkSize(size);
            }
        }
    }

    /**
     * Writes the column values of row {@code index} (a vector index, as for
     * the vectors) with {@link Row}'s setters, for columns with no vector of
     * their own. The row is all NULL until set.
     */
    Row row(int index);
}
