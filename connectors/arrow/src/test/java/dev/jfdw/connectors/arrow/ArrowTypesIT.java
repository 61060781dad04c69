package dev.jfdw.connectors.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jfdw.testkit.Sql;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.arrow.vector.*;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.complex.impl.UnionMapWriter;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.IntervalUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

/**
 * Every Arrow type the connector maps: each value, read through a column of
 * the given type, must equal the SQL literal beside it cast by PostgreSQL.
 * Row 1 of every vector is NULL.
 */
class ArrowTypesIT extends ArrowClusterTest {
    private static Field field(ArrowType type) {
        return new Field("v", FieldType.nullable(type), null);
    }

    /** Writes vector "v" with fill (row 1 left NULL) and checks it as pgType against the SQL expressions. */
    private <V extends FieldVector> void check(String pgType, ArrowType type, Consumer<V> fill, String... sql)
            throws Exception {
        check(pgType, field(type), fill, sql);
    }

    private <V extends FieldVector> void check(String pgType, Field field, Consumer<V> fill, String... sql)
            throws Exception {
        checkFile(pgType, column("values.arrow", field, sql.length, fill), field.toString(), sql);
    }

    /** Column "v" of file f, read as pgType, row by row against the SQL expressions. */
    private void checkFile(String pgType, Path f, String what, String... sql) throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "SET TimeZone = 'America/New_York'", "SET DateStyle = 'ISO, YMD'",
                    "SET IntervalStyle = 'postgres'", "SET extra_float_digits = 1");
            table(c, "typed", "v " + pgType, f);
            List<List<String>> actual = Sql.rows(c, "SELECT v::text FROM typed");
            assertEquals(sql.length, actual.size());
            for (int i = 0; i < sql.length; i++) {
                String want = Sql.value(c, "SELECT (" + sql[i] + ")::" + pgType + "::text");
                assertEquals(want, actual.get(i).getFirst(), pgType + " from " + what + ", row " + i);
            }
        }
    }

    @Test
    void signedIntegers() throws Exception {
        this.<TinyIntVector>check("int2", new ArrowType.Int(8, true), v -> { v.set(0, -128); v.set(2, 127); },
                "-128", "NULL", "127");
        this.<SmallIntVector>check("int4", new ArrowType.Int(16, true), v -> { v.set(0, -32768); v.set(2, 32767); },
                "-32768", "NULL", "32767");
        this.<IntVector>check("int4", new ArrowType.Int(32, true), v -> { v.set(0, Integer.MIN_VALUE); v.set(2, 7); },
                "-2147483648", "NULL", "7");
        this.<BigIntVector>check("int8", new ArrowType.Int(64, true),
                v -> { v.set(0, Long.MIN_VALUE); v.set(2, Long.MAX_VALUE); },
                "-9223372036854775808", "NULL", "9223372036854775807");
        // narrowing is checked value by value
        this.<BigIntVector>check("int2", new ArrowType.Int(64, true), v -> { v.set(0, -5); v.set(2, 300); },
                "-5", "NULL", "300");
        this.<IntVector>check("numeric", new ArrowType.Int(32, true), v -> { v.set(0, -1); v.set(2, 2); },
                "-1", "NULL", "2");
    }

    @Test
    void unsignedIntegersWiden() throws Exception {
        this.<UInt1Vector>check("int2", new ArrowType.Int(8, false), v -> { v.set(0, (byte) 255); v.set(2, 1); },
                "255", "NULL", "1");
        this.<UInt2Vector>check("int4", new ArrowType.Int(16, false), v -> { v.set(0, 65535); v.set(2, 0); },
                "65535", "NULL", "0");
        this.<UInt4Vector>check("int8", new ArrowType.Int(32, false), v -> { v.set(0, -1); v.set(2, 5); },
                "4294967295", "NULL", "5");
        this.<UInt8Vector>check("numeric", new ArrowType.Int(64, false), v -> { v.set(0, -1L); v.set(2, 9); },
                "18446744073709551615", "NULL", "9");
    }

    @Test
    void narrowingOutOfRangeIsAnError() throws Exception {
        Path f = column("big.arrow", field(new ArrowType.Int(64, true)), 2, (BigIntVector v) -> {
            v.set(0, 1);
            v.set(1, 70000);
        });
        try (Connection c = cluster.connect()) {
            assertFileError(c, "22003", f, "v int2", "SELECT * FROM bad", "70000", "row 1");
        }
    }

    @Test
    void valuesConvertedInJavaNameTheirRowWhenTheyDoNotFit() throws Exception {
        Path decimals = column("decimals.arrow", field(new ArrowType.Decimal(30, 0, 128)), 3, (DecimalVector v) -> {
            v.set(0, BigDecimal.ONE);
            v.set(2, new BigDecimal("100000000000000000000"));
        });
        Path strings = column("strings.arrow", field(ArrowType.Utf8.INSTANCE), 3, (VarCharVector v) -> {
            v.set(0, "ab".getBytes(StandardCharsets.UTF_8));
            v.set(1, "abcd".getBytes(StandardCharsets.UTF_8));
        });
        try (Connection c = cluster.connect()) {
            // decimal vectors, converted in Java a value at a time, then text into varchar(n)
            assertFileError(c, "22003", decimals, "v int8", "SELECT * FROM bad", "100000000000000000000", "row 2");
            assertFileError(c, "22001", strings, "v varchar(3)", "SELECT * FROM bad", "abcd", "Column \"v\", row 1.");
        }
    }

    @Test
    void floats() throws Exception {
        this.<Float2Vector>check("float4", new ArrowType.FloatingPoint(FloatingPointPrecision.HALF),
                v -> { v.setWithPossibleTruncate(0, 1.5f); v.setWithPossibleTruncate(2, -0.25f); },
                "1.5", "NULL", "-0.25");
        this.<Float4Vector>check("float4", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE),
                v -> { v.set(0, Float.MAX_VALUE); v.set(2, Float.NaN); },
                "'3.4028235e38'", "NULL", "'NaN'");
        this.<Float8Vector>check("float8", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE),
                v -> { v.set(0, Double.MIN_VALUE); v.set(2, Double.NEGATIVE_INFINITY); },
                "'4.9e-324'", "NULL", "'-Infinity'");
        this.<Float4Vector>check("float8", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE),
                v -> { v.set(0, 0.5f); v.set(2, 3f); }, "0.5", "NULL", "3");
        // as float4::numeric: 6 significant digits, not the float's 0.100000001490116
        this.<Float4Vector>check("numeric", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE),
                v -> { v.set(0, 0.1f); v.set(2, Float.MAX_VALUE); v.set(3, Float.NaN); },
                "0.1::float4", "NULL", "'3.4028235e38'::float4", "'NaN'::float4");
    }

    @Test
    void decimals() throws Exception {
        this.<DecimalVector>check("numeric", new ArrowType.Decimal(38, 10, 128),
                v -> { v.set(0, new BigDecimal("1234567890123456789012345678.0123456789")); v.set(2, new BigDecimal("-0.0000000001")); },
                "1234567890123456789012345678.0123456789", "NULL", "-0.0000000001");
        this.<Decimal256Vector>check("numeric", new ArrowType.Decimal(70, 5, 256),
                v -> { v.set(0, new BigDecimal("12345678901234567890123456789012345678901234567890123456789012345.12345")); v.set(2, BigDecimal.ZERO.setScale(5)); },
                "12345678901234567890123456789012345678901234567890123456789012345.12345", "NULL", "0.00000");
        // values that fit in a long take the fast path: every digit and the scale kept, signs, zeros
        Consumer<DecimalVector> money = v -> {
            v.set(0, new BigDecimal("-50000.00"));
            v.set(2, new BigDecimal("123399876.55"));
            v.set(3, new BigDecimal("0.00"));
            v.set(4, new BigDecimal("9999999999999999.99"));
            v.set(5, new BigDecimal("-0.05"));
        };
        String[] moneySql = {"-50000.00", "NULL", "123399876.55", "0.00", "9999999999999999.99", "-0.05"};
        this.check("numeric", new ArrowType.Decimal(18, 2, 128), money, moneySql);
        // a column's scale: padded, or rounded half away from zero, as PostgreSQL's cast does
        this.check("numeric(22,4)", new ArrowType.Decimal(18, 2, 128), money, moneySql);
        this.check("numeric(19,1)", new ArrowType.Decimal(18, 2, 128), money, moneySql);
        this.check("float8", new ArrowType.Decimal(18, 2, 128), money, moneySql);
        this.check("text", new ArrowType.Decimal(18, 2, 128), money, moneySql);
        this.<Decimal256Vector>check("numeric", new ArrowType.Decimal(40, 12, 256),
                v -> { v.set(0, new BigDecimal("-1.000000000001")); v.set(2, new BigDecimal("-9223372.036854775808")); },
                "-1.000000000001", "NULL", "-9223372.036854775808");
    }

    @Test
    void aDecimalTooWideForItsColumnNamesItsRow() throws Exception {
        Path f = column("wide.arrow", field(new ArrowType.Decimal(18, 2, 128)), 3, (DecimalVector v) -> {
            v.set(0, new BigDecimal("999.99"));
            v.set(2, new BigDecimal("1000.00"));
        });
        try (Connection c = cluster.connect()) {
            assertFileError(c, "22003", f, "v numeric(5,2)", "SELECT * FROM bad", "numeric field overflow",
                    "Column \"v\", row 2.");
        }
    }

    @Test
    void booleans() throws Exception {
        this.<BitVector>check("bool", ArrowType.Bool.INSTANCE, v -> { v.set(0, 1); v.set(2, 0); v.set(3, 1); },
                "true", "NULL", "false", "true");
    }

    @Test
    void strings() throws Exception {
        this.<VarCharVector>check("text", ArrowType.Utf8.INSTANCE, v -> {
            v.set(0, "héllo, wörld ✓ 😀".getBytes(StandardCharsets.UTF_8));
            v.set(2, new byte[0]);
            v.set(3, "x".repeat(300).getBytes(StandardCharsets.UTF_8));
        }, "'héllo, wörld ✓ 😀'", "NULL", "''", "repeat('x', 300)");
        this.<LargeVarCharVector>check("varchar", ArrowType.LargeUtf8.INSTANCE, v -> {
            v.set(0, "quote \" and \\".getBytes(StandardCharsets.UTF_8));
            v.set(2, "z".getBytes(StandardCharsets.UTF_8));
        }, "'quote \" and \\'", "NULL", "'z'");
        this.<VarCharVector>check("date", ArrowType.Utf8.INSTANCE, v -> v.set(0, "2024-02-29".getBytes(StandardCharsets.UTF_8)),
                "'2024-02-29'", "NULL");
    }

    @Test
    void invalidUtf8IsAnError() throws Exception {
        Path f = column("bad.arrow", field(ArrowType.Utf8.INSTANCE), 3, (VarCharVector v) -> {
            v.set(0, "ok".getBytes(StandardCharsets.UTF_8));
            v.set(1, new byte[] {'a', (byte) 0xC3, '('});
            v.set(2, new byte[] {'n', 0, 'l'});
        });
        try (Connection c = cluster.connect()) {
            table(c, "bad", "v text", f);
            var e = Sql.expectError(c, "22021", "SELECT * FROM bad");
            assertContains(all(e), "0xc3");
            assertContains(all(e), "row 1");
            assertEquals("1", Sql.value(c, "SELECT 1"));
        }
    }

    /** A NUL in a string is an error, never a string cut short, whichever column type takes it. */
    @Test
    void aNulInAStringIsAnError() throws Exception {
        Path f = column("nul.arrow", field(ArrowType.Utf8.INSTANCE), 3, (VarCharVector v) -> {
            v.set(0, "ok".getBytes(StandardCharsets.UTF_8));
            v.set(1, new byte[] {'n', 0, 'l'});
            v.set(2, "fine".getBytes(StandardCharsets.UTF_8));
        });
        try (Connection c = cluster.connect()) {
            for (String type : List.of("text", "varchar(10)", "char(5)")) {
                table(c, "nul", "v " + type, f);
                var e = Sql.expectError(c, "22021", "SELECT * FROM nul");
                assertContains(all(e), "0x00");
                assertContains(all(e), "Column \"v\", row 1.");
                assertContains(all(e), f.toString());
                assertEquals("1", Sql.value(c, "SELECT 1"));
            }
        }
    }

    @Test
    void binaries() throws Exception {
        this.<VarBinaryVector>check("bytea", ArrowType.Binary.INSTANCE, v -> { v.set(0, new byte[] {0, 1, (byte) 255}); v.set(2, new byte[0]); },
                "'\\x0001ff'::bytea", "NULL", "''::bytea");
        this.<LargeVarBinaryVector>check("bytea", ArrowType.LargeBinary.INSTANCE, v -> v.set(0, new byte[] {42}),
                "'\\x2a'::bytea", "NULL");
        this.<FixedSizeBinaryVector>check("bytea", new ArrowType.FixedSizeBinary(3), v -> v.set(0, new byte[] {1, 2, 3}),
                "'\\x010203'::bytea", "NULL");
        UUID u = UUID.fromString("0b7f3f6e-9c1e-4c8e-8a52-6b3c0d1e2f34");
        Field uuid = new Field("v", new FieldType(true, new ArrowType.FixedSizeBinary(16), null,
                Map.of("ARROW:extension:name", "arrow.uuid")), null);
        this.<FixedSizeBinaryVector>check("uuid", uuid,
                v -> v.set(0, ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array()),
                "'" + u + "'", "NULL");
    }

    @Test
    void dates() throws Exception {
        this.<DateDayVector>check("date", new ArrowType.Date(DateUnit.DAY), v -> { v.set(0, 19782); v.set(2, -719162); v.set(3, 0); },
                "'2024-02-29'", "NULL", "'0001-01-01'", "'1970-01-01'");
        this.<DateMilliVector>check("date", new ArrowType.Date(DateUnit.MILLISECOND), v -> { v.set(0, 86_400_000L * 19782); v.set(2, -1); },
                "'2024-02-29'", "NULL", "'1969-12-31'");
        this.<DateDayVector>check("timestamp", new ArrowType.Date(DateUnit.DAY), v -> v.set(0, 1), "'1970-01-02'", "NULL");
    }

    @Test
    void times() throws Exception {
        this.<TimeSecVector>check("time", new ArrowType.Time(TimeUnit.SECOND, 32), v -> { v.set(0, 3661); v.set(2, 86399); },
                "'01:01:01'", "NULL", "'23:59:59'");
        this.<TimeMilliVector>check("time", new ArrowType.Time(TimeUnit.MILLISECOND, 32), v -> v.set(0, 45_296_789),
                "'12:34:56.789'", "NULL");
        this.<TimeMicroVector>check("time", new ArrowType.Time(TimeUnit.MICROSECOND, 64), v -> v.set(0, 45_296_789_012L),
                "'12:34:56.789012'", "NULL");
        this.<TimeNanoVector>check("time", new ArrowType.Time(TimeUnit.NANOSECOND, 64), v -> v.set(0, 45_296_789_012_999L),
                "'12:34:56.789012'", "NULL");
    }

    @Test
    void timestamps() throws Exception {
        this.<TimeStampSecVector>check("timestamp", new ArrowType.Timestamp(TimeUnit.SECOND, null),
                v -> { v.set(0, 1_709_164_800L); v.set(2, -62_135_596_800L); },
                "'2024-02-29 00:00:00'", "NULL", "'0001-01-01 00:00:00'");
        this.<TimeStampMilliTZVector>check("timestamptz", new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC"),
                v -> v.set(0, 1_709_164_800_123L), "'2024-02-29 00:00:00.123+00'", "NULL");
        this.<TimeStampMicroTZVector>check("timestamptz", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"),
                v -> { v.set(0, 1_709_164_800_123_456L); v.set(2, -1); },
                "'2024-02-29 00:00:00.123456+00'", "NULL", "'1969-12-31 23:59:59.999999+00'");
        // nanoseconds: truncated toward the earlier microsecond, before 1970 too
        this.<TimeStampNanoVector>check("timestamp", new ArrowType.Timestamp(TimeUnit.NANOSECOND, null),
                v -> { v.set(0, 1_709_164_800_123_456_789L); v.set(2, -1L); },
                "'2024-02-29 00:00:00.123456'", "NULL", "'1969-12-31 23:59:59.999999'");
    }

    @Test
    void timestampOutOfRangeIsAnError() throws Exception {
        Path f = column("far.arrow", field(new ArrowType.Timestamp(TimeUnit.SECOND, null)), 1,
                (TimeStampSecVector v) -> v.set(0, Long.MAX_VALUE / 2));
        try (Connection c = cluster.connect()) {
            table(c, "far", "v timestamp", f);
            var e = Sql.expectError(c, "22008", "SELECT * FROM far");
            assertContains(all(e), "out of range");
            assertEquals("1", Sql.value(c, "SELECT 1"));
        }
    }

    @Test
    void durationsAndIntervals() throws Exception {
        this.<DurationVector>check("interval", new ArrowType.Duration(TimeUnit.MILLISECOND),
                v -> v.set(0, 90_061_001L), "'25:01:01.001'", "NULL");
        this.<DurationVector>check("interval", new ArrowType.Duration(TimeUnit.NANOSECOND),
                v -> v.set(0, 1_500L), "'00:00:00.000001'", "NULL");
        this.<IntervalYearVector>check("interval", new ArrowType.Interval(IntervalUnit.YEAR_MONTH),
                v -> v.set(0, 14), "'1 year 2 mons'", "NULL");
        this.<IntervalDayVector>check("interval", new ArrowType.Interval(IntervalUnit.DAY_TIME),
                v -> v.set(0, 3, 1500), "'3 days 00:00:01.5'", "NULL");
        this.<IntervalMonthDayNanoVector>check("interval", new ArrowType.Interval(IntervalUnit.MONTH_DAY_NANO),
                v -> v.set(0, 1, 2, 3_000_000_000L), "'1 mon 2 days 00:00:03'", "NULL");
        // into text, as PostgreSQL writes an interval
        this.<DurationVector>check("text", new ArrowType.Duration(TimeUnit.MILLISECOND),
                v -> v.set(0, -90_061_001L), "'-25:01:01.001'::interval", "NULL");
        this.<IntervalMonthDayNanoVector>check("text", new ArrowType.Interval(IntervalUnit.MONTH_DAY_NANO),
                v -> v.set(0, 14, -2, 3_000_000_000L), "'1 year 2 mons -2 days +00:00:03'::interval", "NULL");
    }

    /** A dictionary of strings (null: a NULL) with int32 indexes, under {@code id}; the caller closes its vector. */
    private static Dictionary strings(long id, String... values) {
        VarCharVector v = new VarCharVector("dictionary", ALLOCATOR);
        v.allocateNew();
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                v.setNull(i);
            } else {
                v.setSafe(i, values[i].getBytes(StandardCharsets.UTF_8));
            }
        }
        v.setValueCount(values.length);
        return new Dictionary(v, new DictionaryEncoding(id, false, new ArrowType.Int(32, true)));
    }

    @Test
    void dictionaryEncodedStrings() throws Exception {
        Dictionary words = strings(1, "alpha", "beta");
        DictionaryEncoding encoding = words.getEncoding();
        DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider();
        provider.put(words);
        Field v = new Field("v", new FieldType(true, new ArrowType.Int(32, true), encoding), null);
        Path f = write("dict.arrow", true, new Schema(List.of(v)), provider, 2, 3, (root, b) -> {
            IntVector idx = (IntVector) root.getVector(0);
            idx.set(0, b);
            idx.setNull(1);
            idx.set(2, 1 - b);
            idx.setValueCount(3);
        });
        try (Connection c = cluster.connect()) {
            table(c, "dict", "v text", f);
            assertEquals(List.of(List.of("alpha"), Sql.row((String) null), List.of("beta"), List.of("beta"),
                    Sql.row((String) null), List.of("alpha")), Sql.rows(c, "SELECT v FROM dict"));
        }
        words.getVector().close();
    }

    /** An empty dictionary (Arrow Java writes it without offsets), which only NULL indexes can use. */
    @Test
    void anEmptyDictionaryServesNullRows() throws Exception {
        Dictionary none = strings(2);
        DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider();
        provider.put(none);
        Field v = new Field("v", new FieldType(true, new ArrowType.Int(32, true), none.getEncoding()), null);
        Path f = write("empty-dict.arrow", true, new Schema(List.of(v)), provider, 1, 2, (root, b) -> {
            IntVector idx = (IntVector) root.getVector(0);
            idx.setNull(0);
            idx.setNull(1);
            idx.setValueCount(2);
        });
        try (Connection c = cluster.connect()) {
            table(c, "empty_dict", "v text", f);
            assertEquals(List.of(Sql.row((String) null), Sql.row((String) null)), Sql.rows(c, "SELECT v FROM empty_dict"));
        }
        none.getVector().close();
    }

    /** Arrow's map keys are never NULL: one that is marks a damaged file, named. */
    @Test
    void aNullMapKeyIsADamagedFile() throws Exception {
        Path f = column("null-key.arrow", STRING_MAP, 1, (MapVector v) -> {
            oneEntry(v, "k", 1);
            ((StructVector) v.getDataVector()).getChild("key").setNull(0);
        });
        try (Connection c = cluster.connect()) {
            assertFileError(c, "XX001", f, "v jsonb", "SELECT * FROM bad", "map field \"v\" has a NULL key",
                    "record batch 1, row 0");
        }
    }

    @Test
    void listsBecomeArrays() throws Exception {
        Field list = new Field("v", FieldType.nullable(ArrowType.List.INSTANCE),
                List.of(Field.nullable("item", new ArrowType.Int(64, true))));
        this.<ListVector>check("int8[]", list, v -> {
            UnionListWriter w = v.getWriter();
            w.setPosition(0);
            w.startList();
            w.bigInt().writeBigInt(1);
            w.writeNull();
            w.bigInt().writeBigInt(-3);
            w.endList();
            w.setPosition(2);
            w.startList();
            w.endList();
        }, "'{1,NULL,-3}'", "NULL", "'{}'");
        Field strings = new Field("v", FieldType.nullable(ArrowType.LargeList.INSTANCE),
                List.of(Field.nullable("item", ArrowType.Utf8.INSTANCE)));
        this.<org.apache.arrow.vector.complex.LargeListVector>check("text[]", strings, v -> {
            var w = v.getWriter();
            w.setPosition(0);
            w.startList();
            w.writeVarChar("a \"b\"");
            w.writeVarChar("{c}");
            w.endList();
        }, "ARRAY['a \"b\"', '{c}']", "NULL");
    }

    private static Field listOf(ArrowType element) {
        return new Field("v", FieldType.nullable(ArrowType.List.INSTANCE), List.of(Field.nullable("item", element)));
    }

    /** Fills row 0 of a list vector with the {@code count} values {@code fill} sets in its data vector. */
    @SuppressWarnings("unchecked")
    private static <V extends FieldVector> Consumer<ListVector> list(int count, Consumer<V> fill) {
        return v -> {
            V d = (V) v.getDataVector();
            d.setInitialCapacity(count);
            d.allocateNew();
            fill.accept(d);
            d.setValueCount(count);
            firstList(v, count);
        };
    }

    /** Row 0 of a list vector: the first {@code count} values of its data vector. */
    private static void firstList(ListVector v, int count) {
        v.startNewValue(0);
        v.endValue(0, count);
    }

    /**
     * Elements keep their Arrow type in arrays and JSON: Arrow's getObject
     * gives a uint64's bits signed, a float16's bits as a number, a
     * timestamp with a zone as its raw count, bytes as a Java object's name.
     */
    @Test
    void nestedValuesAreReadByTheirOwnTypes() throws Exception {
        this.<ListVector>check("numeric[]", listOf(new ArrowType.Int(64, false)), list(3, (UInt8Vector d) -> {
            d.set(0, -1L);
            d.set(1, Long.MIN_VALUE);
            d.setNull(2);
        }), "'{18446744073709551615,9223372036854775808,NULL}'", "NULL");
        this.<ListVector>check("real[]", listOf(new ArrowType.FloatingPoint(FloatingPointPrecision.HALF)),
                list(3, (Float2Vector d) -> {
                    d.set(0, Float.floatToFloat16(1.5f));
                    d.set(1, Float.floatToFloat16(Float.NaN));
                    d.set(2, Float.floatToFloat16(Float.POSITIVE_INFINITY));
                }), "'{1.5,NaN,Infinity}'", "NULL");
        this.<ListVector>check("bytea[]", listOf(ArrowType.Binary.INSTANCE), list(3, (VarBinaryVector d) -> {
            d.setSafe(0, new byte[] {0, 1, (byte) 0xff});
            d.setSafe(1, new byte[0]);
            d.setNull(2);
        }), "ARRAY['\\x0001ff'::bytea, '\\x'::bytea, NULL]", "NULL");
        // nanoseconds cut toward the earlier microsecond, as in a timestamp column
        this.<ListVector>check("timestamp[]", listOf(new ArrowType.Timestamp(TimeUnit.NANOSECOND, null)),
                list(3, (TimeStampNanoVector d) -> {
                    d.set(0, -1L);
                    d.set(1, 1999L);
                    d.set(2, 1_577_836_800_999_999_999L);
                }), "ARRAY['1969-12-31 23:59:59.999999', '1970-01-01 00:00:00.000001', '2020-01-01 00:00:00.999999']"
                + "::timestamp[]", "NULL");
        this.<ListVector>check("timestamptz[]", listOf(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
                list(2, (TimeStampMicroTZVector d) -> {
                    d.set(0, 0L);
                    d.set(1, -1L);
                }), "ARRAY['1970-01-01 00:00:00+00', '1969-12-31 23:59:59.999999+00']::timestamptz[]", "NULL");
        Field struct = new Field("v", FieldType.nullable(ArrowType.Struct.INSTANCE), List.of(
                Field.nullable("a", new ArrowType.Int(32, true)),
                Field.nullable("ts", new ArrowType.Timestamp(TimeUnit.MICROSECOND, null)),
                Field.nullable("d", new ArrowType.Date(DateUnit.DAY)),
                Field.nullable("b", ArrowType.Binary.INSTANCE),
                Field.nullable("u", new ArrowType.Int(64, false))));
        this.<StructVector>check("jsonb", struct, v -> {
            v.getChild("a", IntVector.class).setNull(0);
            v.getChild("ts", org.apache.arrow.vector.TimeStampMicroVector.class).setSafe(0, -1L);
            v.getChild("d", org.apache.arrow.vector.DateDayVector.class).setSafe(0, -1);
            v.getChild("b", org.apache.arrow.vector.VarBinaryVector.class).setSafe(0, new byte[] {0, 1, (byte) 0xff});
            v.getChild("u", org.apache.arrow.vector.UInt8Vector.class).setSafe(0, -1L);
            v.setIndexDefined(0);
            v.getChildrenFromFields().forEach(child -> child.setValueCount(1));
        }, "'{\"a\": null, \"ts\": \"1969-12-31T23:59:59.999999\", \"d\": \"1969-12-31\", "
                + "\"b\": \"\\\\x0001ff\", \"u\": 18446744073709551615}'", "NULL");
    }

    @Test
    void structsAndMapsBecomeJsonb() throws Exception {
        Field struct = new Field("v", FieldType.nullable(ArrowType.Struct.INSTANCE), List.of(
                Field.nullable("a", new ArrowType.Int(32, true)), Field.nullable("b", ArrowType.Utf8.INSTANCE)));
        this.<StructVector>check("jsonb", struct, v -> {
            IntVector a = v.getChild("a", IntVector.class);
            VarCharVector b = v.getChild("b", VarCharVector.class);
            a.setSafe(0, 7);
            b.setSafe(0, "x".getBytes(StandardCharsets.UTF_8));
            v.setIndexDefined(0);
            a.setValueCount(1);
            b.setValueCount(1);
        }, "'{\"a\": 7, \"b\": \"x\"}'", "NULL");
        this.<MapVector>check("jsonb", STRING_MAP, v -> oneEntry(v, "k1", 10), "'{\"k1\": 10}'", "NULL");
    }

    /** A map of utf8 keys to int64 values, as column "v". */
    private static final Field STRING_MAP = new Field("v", FieldType.nullable(new ArrowType.Map(false)), List.of(
                new Field("entries", FieldType.notNullable(ArrowType.Struct.INSTANCE), List.of(
                        Field.notNullable("key", ArrowType.Utf8.INSTANCE),
                        Field.nullable("value", new ArrowType.Int(64, true))))));

    /** Row 0 of a map vector: one entry. */
    private static void oneEntry(MapVector v, String key, long value) {
        UnionMapWriter w = v.getWriter();
        w.setPosition(0);
        w.startMap();
        w.startEntry();
        w.key().varChar().writeVarChar(key);
        w.value().bigInt().writeBigInt(value);
        w.endEntry();
        w.endMap();
    }

    /**
     * Maps keep every entry, in order, into json (jsonb keeps the last of a
     * key, as it does for any object); keys that are not strings are
     * written as their JSON.
     */
    @Test
    void mapsKeepDuplicateKeysAndWriteOtherKeysAsJson() throws Exception {
        Consumer<MapVector> duplicates = v -> {
            UnionMapWriter w = v.getWriter();
            w.setPosition(0);
            w.startMap();
            for (String[] kv : new String[][] {{"k", "0"}, {"k", "1"}, {"z", "2"}}) {
                w.startEntry();
                w.key().varChar().writeVarChar(kv[0]);
                w.value().bigInt().writeBigInt(Long.parseLong(kv[1]));
                w.endEntry();
            }
            w.endMap();
        };
        this.check("json", STRING_MAP, duplicates, "'{\"k\":0,\"k\":1,\"z\":2}'", "NULL");
        this.check("jsonb", STRING_MAP, duplicates, "'{\"k\": 1, \"z\": 2}'", "NULL");
        Field dateKeys = new Field("v", FieldType.nullable(new ArrowType.Map(false)), List.of(
                new Field("entries", FieldType.notNullable(ArrowType.Struct.INSTANCE), List.of(
                        Field.notNullable("key", new ArrowType.Date(DateUnit.DAY)),
                        Field.nullable("value", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE))))));
        this.<MapVector>check("json", dateKeys, v -> {
            UnionMapWriter w = v.getWriter();
            w.setPosition(0);
            w.startMap();
            w.startEntry();
            w.key().dateDay().writeDateDay(-1);
            w.value().float8().writeFloat8(0.5);
            w.endEntry();
            w.endMap();
        }, "'{\"1969-12-31\":0.5}'", "NULL");
    }

    /**
     * List views (each row its own offset and size, out of order or
     * overlapping) become arrays or JSON as lists do; a run-end encoded
     * column reads as its values would, NULL runs included.
     */
    @Test
    void listViewsAndRunEndEncodedColumns() throws Exception {
        Field view = new Field("v", FieldType.nullable(ArrowType.ListView.INSTANCE),
                List.of(Field.nullable("item", new ArrowType.Int(64, true))));
        this.<org.apache.arrow.vector.complex.ListViewVector>check("int8[]", view, v -> {
            BigIntVector d = (BigIntVector) v.getDataVector();
            for (int i = 0; i < 4; i++) {
                d.setSafe(i, i + 1);
            }
            d.setValueCount(4);
            v.setOffset(0, 2);
            v.setSize(0, 2);
            v.setValidity(0, 1);
            v.setOffset(2, 0);
            v.setSize(2, 3);
            v.setValidity(2, 1);
        }, "'{3,4}'", "NULL", "'{1,2,3}'");
        Field large = new Field("v", FieldType.nullable(ArrowType.LargeListView.INSTANCE),
                List.of(Field.nullable("item", new ArrowType.Int(64, false))));
        this.<org.apache.arrow.vector.complex.LargeListViewVector>check("jsonb", large, v -> {
            UInt8Vector d = (UInt8Vector) v.getDataVector();
            d.setSafe(0, -1L);
            d.setValueCount(1);
            v.setOffset(0, 0);
            v.setSize(0, 1);
            v.setValidity(0, 1);
        }, "'[18446744073709551615]'", "NULL");
        Field ree = new Field("v", FieldType.nullable(ArrowType.RunEndEncoded.INSTANCE), List.of(
                Field.notNullable("run_ends", new ArrowType.Int(32, true)),
                Field.nullable("values", new ArrowType.Int(64, false))));
        this.<org.apache.arrow.vector.complex.RunEndEncodedVector>check("numeric", ree, v -> {
            IntVector ends = (IntVector) v.getRunEndsVector();
            UInt8Vector values = (UInt8Vector) v.getValuesVector();
            ends.setSafe(0, 1);
            ends.setSafe(1, 3);
            ends.setSafe(2, 4);
            values.setSafe(0, 7);
            values.setNull(1);
            values.setSafe(2, -1L);
            ends.setValueCount(3);
            values.setValueCount(3);
        }, "7", "NULL", "NULL", "18446744073709551615");
    }

    /** An overflow inside a nested value names what overflowed: here an interval, not a timestamp. */
    /**
     * A timestamp's zone, whichever way it is spelt, makes it an instant; an
     * empty zone is none (Arrow's schema says so), at the top and in JSON.
     */
    @Test
    void timestampZonesOfEverySpelling() throws Exception {
        this.<TimeStampSecTZVector>check("timestamptz", new ArrowType.Timestamp(TimeUnit.SECOND, "+05:30"),
                v -> v.set(0, 0L), "'1970-01-01 00:00:00+00'", "NULL");
        this.<TimeStampNanoTZVector>check("timestamptz", new ArrowType.Timestamp(TimeUnit.NANOSECOND, "Europe/Paris"),
                v -> v.set(0, -1_500L), "'1969-12-31 23:59:59.999998+00'", "NULL");
        this.<TimeStampMicroTZVector>check("timestamp", new ArrowType.Timestamp(TimeUnit.MICROSECOND, ""),
                v -> v.set(0, 0L), "'1970-01-01 00:00:00'", "NULL");
        this.<DateMilliVector>check("timestamptz", new ArrowType.Date(DateUnit.MILLISECOND),
                v -> v.set(0, 86_400_000L), "'1970-01-02 00:00:00+00'", "NULL");
        Field struct = new Field("v", FieldType.nullable(ArrowType.Struct.INSTANCE), List.of(
                Field.nullable("empty", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "")),
                Field.nullable("paris", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "Europe/Paris"))));
        this.<StructVector>check("jsonb", struct, v -> {
            v.getChild("empty", TimeStampMicroTZVector.class).setSafe(0, 0L);
            v.getChild("paris", TimeStampMicroTZVector.class).setSafe(0, 0L);
            v.setIndexDefined(0);
            v.getChildrenFromFields().forEach(child -> child.setValueCount(1));
        }, "'{\"empty\": \"1970-01-01T00:00:00\", \"paris\": \"1970-01-01T00:00:00+00:00\"}'", "NULL");
    }

    /** Units and signs not met above: nanoseconds floored toward the earlier microsecond, as everywhere. */
    @Test
    void durationAndIntervalUnitsAndSigns() throws Exception {
        this.<DurationVector>check("interval", new ArrowType.Duration(TimeUnit.SECOND),
                v -> { v.set(0, 90_061L); v.set(2, -1L); }, "'25:01:01'", "NULL", "'-00:00:01'");
        this.<DurationVector>check("interval", new ArrowType.Duration(TimeUnit.MICROSECOND),
                v -> v.set(0, -1L), "'-00:00:00.000001'", "NULL");
        this.<DurationVector>check("interval", new ArrowType.Duration(TimeUnit.NANOSECOND),
                v -> v.set(0, -1_500L), "'-00:00:00.000002'", "NULL");
        this.<IntervalDayVector>check("interval", new ArrowType.Interval(IntervalUnit.DAY_TIME),
                v -> v.set(0, -3, -1500), "'-3 days -00:00:01.5'", "NULL");
        this.<IntervalMonthDayNanoVector>check("interval", new ArrowType.Interval(IntervalUnit.MONTH_DAY_NANO),
                v -> v.set(0, -1, 0, -1L), "'-1 mons -00:00:00.000001'", "NULL");
        this.<IntervalYearVector>check("interval", new ArrowType.Interval(IntervalUnit.YEAR_MONTH),
                v -> v.set(0, -14), "'-1 years -2 mons'", "NULL");
    }

    /** Edge values of numbers read as vectors: float16 specials and subnormals, a negative decimal scale. */
    @Test
    void numberEdges() throws Exception {
        this.<Float2Vector>check("float4", new ArrowType.FloatingPoint(FloatingPointPrecision.HALF), v -> {
            v.set(0, Float.floatToFloat16(Float.NaN));
            v.set(2, Float.floatToFloat16(Float.NEGATIVE_INFINITY));
            v.set(3, (short) 0x0001); // the least subnormal, 2^-24
            v.set(4, (short) 0x7bff); // the largest, 65504
        }, "'NaN'", "NULL", "'-Infinity'", "'5.9604645e-08'", "65504");
        this.<DecimalVector>check("numeric", new ArrowType.Decimal(5, -2, 128), v -> {
            v.set(0, new BigDecimal(java.math.BigInteger.valueOf(123), -2));
            v.set(2, new BigDecimal(java.math.BigInteger.valueOf(-1), -2));
        }, "12300", "NULL", "-100");
        Path big = column("uint64.arrow", field(new ArrowType.Int(64, false)), 2, (UInt8Vector v) -> {
            v.set(0, Long.MAX_VALUE);
            v.set(1, Long.MIN_VALUE); // 2^63: past int8
        });
        try (Connection c = cluster.connect()) {
            assertFileError(c, "22003", big, "v int8", "SELECT * FROM bad", "9223372036854775808", "row 1");
        }
    }

    /** A list of structs is a JSON array of objects; into an array of another kind, an error at scan start. */
    @Test
    void listsOfStructsAndListsThatFitNoArray() throws Exception {
        Field structs = new Field("v", FieldType.nullable(ArrowType.List.INSTANCE), List.of(
                new Field("item", FieldType.nullable(ArrowType.Struct.INSTANCE),
                        List.of(Field.nullable("a", new ArrowType.Int(32, true))))));
        Consumer<ListVector> two = v -> {
            StructVector s = (StructVector) v.getDataVector();
            s.allocateNew();
            IntVector a = s.getChild("a", IntVector.class);
            a.setSafe(0, 1);
            a.setSafe(1, 2);
            s.setIndexDefined(0);
            s.setIndexDefined(1);
            a.setValueCount(2);
            s.setValueCount(2);
            firstList(v, 2);
        };
        this.<ListVector>check("jsonb", structs, two, "'[{\"a\": 1}, {\"a\": 2}]'", "NULL");
        Path f = column("structs.arrow", structs, 2, two);
        // an empty list as well: the types, not the values, are wrong
        Path bools = column("bools.arrow", listOf(ArrowType.Bool.INSTANCE), 1, (ListVector v) -> firstList(v, 0));
        try (Connection c = cluster.connect()) {
            assertFileError(c, "HV004", f, "v int4[]", "SELECT * FROM bad", "column \"v\" of type integer[]");
            assertFileError(c, "HV004", bools, "v date[]", "SELECT * FROM bad", "column \"v\" of type date[]");
            // lists of lists are more dimensions of one array
            table(c, "nested_ok", "v int8[]", column("nested.arrow", new Field("v",
                    FieldType.nullable(ArrowType.List.INSTANCE), List.of(listOf(new ArrowType.Int(64, true)))), 1,
                    (ListVector v) -> firstList(v, 0)));
            assertEquals("{}", Sql.value(c, "SELECT v::text FROM nested_ok"));
        }
    }

    /** Dates and timestamps in JSON are held to PostgreSQL's range, as in columns. */
    @Test
    void datesInJsonOutsidePostgresRangeAreAnError() throws Exception {
        Field struct = new Field("v", FieldType.nullable(ArrowType.Struct.INSTANCE), List.of(
                Field.nullable("d", new ArrowType.Date(DateUnit.DAY))));
        Path f = column("ancient.arrow", struct, 1, (StructVector v) -> {
            v.getChild("d", DateDayVector.class).setSafe(0, -3_000_000);
            v.setIndexDefined(0);
            v.getChildrenFromFields().forEach(child -> child.setValueCount(1));
        });
        try (Connection c = cluster.connect()) {
            assertFileError(c, "22008", f, "v jsonb", "SELECT * FROM bad", "date out of range: -3000000 days",
                    "record batch 1, row 0");
        }
    }

    @Test
    void anOverflowInANestedValueNamesItsType() throws Exception {
        Path f = column("durations.arrow", listOf(new ArrowType.Duration(TimeUnit.SECOND)), 1,
                list(1, (DurationVector d) -> d.set(0, Long.MAX_VALUE / 100)));
        try (Connection c = cluster.connect()) {
            assertFileError(c, "22008", f, "v jsonb", "SELECT * FROM bad",
                    "interval out of range: " + Long.MAX_VALUE / 100 + " seconds", "record batch 1, row 0");
        }
    }

    /** A domain column reads the Arrow types its base type reads, and its constraints hold. */
    @Test
    void domainsReadAsTheirBaseType() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DROP DOMAIN IF EXISTS a_pos8 CASCADE", "CREATE DOMAIN a_pos8 AS int8 CHECK (VALUE > 0)",
                    "DROP DOMAIN IF EXISTS a_instant CASCADE", "CREATE DOMAIN a_instant AS timestamptz",
                    "DROP DOMAIN IF EXISTS a_ints CASCADE", "CREATE DOMAIN a_ints AS int8[]");
        }
        this.<BigIntVector>check("a_pos8", new ArrowType.Int(64, true), v -> v.set(0, 7), "7", "NULL");
        this.<TimeStampMicroVector>check("a_instant", new ArrowType.Timestamp(TimeUnit.MICROSECOND, null),
                v -> v.set(0, 1_700_000_000_000_000L), "'2023-11-14 22:13:20+00'", "NULL");
        this.<ListVector>check("a_ints", listOf(new ArrowType.Int(64, true)), list(1, (BigIntVector d) -> {
            d.set(0, 5);
        }), "'{5}'", "NULL");
        Path f = column("negative.arrow", field(new ArrowType.Int(64, true)), 1, (BigIntVector v) -> v.set(0, -1));
        try (Connection c = cluster.connect()) {
            table(c, "negative", "v a_pos8", f);
            var e = Sql.expectError(c, "23514", "SELECT * FROM negative");
            assertContains(all(e), "a_pos8");
            table(c, "negative", "v a_instant", f);
            Sql.expectError(c, "HV004", "SELECT * FROM negative");
        }
    }

    @Test
    void viewStringsAndBinaries() throws Exception {
        this.<ViewVarCharVector>check("text", ArrowType.Utf8View.INSTANCE, v -> {
            v.setSafe(0, "short".getBytes(StandardCharsets.UTF_8));
            v.setSafe(2, "a string longer than twelve bytes, kept out of line".getBytes(StandardCharsets.UTF_8));
        }, "'short'", "NULL", "'a string longer than twelve bytes, kept out of line'");
        this.<ViewVarBinaryVector>check("bytea", ArrowType.BinaryView.INSTANCE, v -> v.setSafe(0, new byte[] {0, 1, (byte) 0xff}),
                "'\\x0001ff'::bytea", "NULL");
    }

    /**
     * Strings and binaries meet the column's type: binaries into text as
     * bytea's text, into a domain over bytea as bytes; strings into bytea
     * through bytea's input, as every other type reads a string.
     */
    @Test
    void binariesAndStringsMeetTheirColumnTypes() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DO $$ BEGIN CREATE DOMAIN a_bytes AS bytea; EXCEPTION WHEN duplicate_object THEN END $$");
        }
        this.<VarBinaryVector>check("text", ArrowType.Binary.INSTANCE, v -> v.set(0, new byte[] {0x41, 0x42, (byte) 0xff}),
                "'\\x4142ff'", "NULL");
        this.<LargeVarBinaryVector>check("a_bytes", ArrowType.LargeBinary.INSTANCE, v -> v.set(0, new byte[] {0, 1, (byte) 0xff}),
                "'\\x0001ff'::bytea", "NULL");
        this.<VarCharVector>check("bytea", ArrowType.Utf8.INSTANCE, v -> v.set(0, "\\x41".getBytes(StandardCharsets.UTF_8)),
                "'\\x41'::bytea", "NULL");
        // a float32 as text has its own digits, not those of the double it widens to
        this.<Float4Vector>check("text", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE), v -> v.set(0, 1.1f),
                "'1.1'", "NULL");
    }

    @Test
    void invalidUtf8InAViewStringIsAnError() throws Exception {
        Path f = column("view-bad.arrow", field(ArrowType.Utf8View.INSTANCE), 2, (ViewVarCharVector v) ->
                v.setSafe(1, new byte[] {0x61, (byte) 0xC3, 0x28}));
        try (Connection c = cluster.connect()) {
            assertFileError(c, "22021", f, "v text", "SELECT * FROM bad", "invalid byte sequence for encoding \"UTF8\"");
        }
    }

    /**
     * A union's values are JSON, whatever the member: numbers, strings, and
     * NULL where no member is set. Five rows: a type id buffer of one byte a
     * row, not four.
     */
    @Test
    void unionsBecomeJson() throws Exception {
        Field union = new Field("v", FieldType.nullable(new ArrowType.Union(org.apache.arrow.vector.types.UnionMode.Sparse,
                new int[] {org.apache.arrow.vector.types.Types.MinorType.BIGINT.ordinal(),
                        org.apache.arrow.vector.types.Types.MinorType.VARCHAR.ordinal()})),
                List.of(Field.nullable("bigint", new ArrowType.Int(64, true)), Field.nullable("varchar", ArrowType.Utf8.INSTANCE)));
        this.<org.apache.arrow.vector.complex.UnionVector>check("jsonb", union, v -> {
            v.setType(0, org.apache.arrow.vector.types.Types.MinorType.BIGINT);
            v.getBigIntVector().setSafe(0, 123);
            v.setType(2, org.apache.arrow.vector.types.Types.MinorType.VARCHAR);
            v.getVarCharVector().setSafe(2, "hello".getBytes(StandardCharsets.UTF_8));
            v.setType(3, org.apache.arrow.vector.types.Types.MinorType.BIGINT);
            v.getBigIntVector().setSafe(3, -1);
            v.setType(4, org.apache.arrow.vector.types.Types.MinorType.VARCHAR);
            v.getVarCharVector().setSafe(4, "a \"quoted\" string".getBytes(StandardCharsets.UTF_8));
        }, "'123'", "NULL", "'\"hello\"'", "'-1'", "'\"a \\\"quoted\\\" string\"'");
        // members found by the schema's type ids, not their Java types: two int64 members, ids 5 and 7
        Field twoInts = new Field("v", FieldType.nullable(new ArrowType.Union(org.apache.arrow.vector.types.UnionMode.Sparse,
                new int[] {5, 7})), List.of(Field.nullable("a", new ArrowType.Int(64, true)),
                Field.nullable("b", new ArrowType.Int(64, true))));
        Consumer<org.apache.arrow.vector.complex.UnionVector> fill = v -> {
            BigIntVector a = (BigIntVector) v.getChildrenFromFields().get(0);
            BigIntVector b = (BigIntVector) v.getChildrenFromFields().get(1);
            v.getTypeBuffer().setByte(0, 5);
            a.setSafe(0, 10);
            v.getTypeBuffer().setByte(1, 7);
            v.getTypeBuffer().setByte(2, 7);
            b.setSafe(2, 20);
            a.setSafe(2, 99); // under b's row: not the value
        };
        this.check("jsonb", twoInts, fill, "'10'", "NULL", "'20'");
        Path bad = column("union-bad.arrow", twoInts, 3, fill.andThen(v -> v.getTypeBuffer().setByte(1, 9)));
        try (Connection c = cluster.connect()) {
            assertFileError(c, "XX001", bad, "v jsonb", "SELECT * FROM bad", "has type id 9, which its schema does not declare");
        }
    }

    /** Elements convert as a column of the element type would: uuids, and floats into numeric[] and float8[]. */
    @Test
    void elementsConvertAsTheirColumnTypeWould() throws Exception {
        UUID u = UUID.fromString("0b7f3f6e-9c1e-4c8e-8a52-6b3c0d1e2f34");
        Field uuids = new Field("v", FieldType.nullable(ArrowType.List.INSTANCE), List.of(new Field("item",
                new FieldType(true, new ArrowType.FixedSizeBinary(16), null, Map.of("ARROW:extension:name", "arrow.uuid")),
                null)));
        this.<ListVector>check("uuid[]", uuids, list(2, (FixedSizeBinaryVector d) -> {
            d.set(0, ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array());
            d.setNull(1);
        }), "ARRAY['" + u + "'::uuid, NULL]", "NULL");
        this.<ListVector>check("numeric[]", listOf(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
                list(2, (Float8Vector d) -> {
                    d.set(0, 0.1 + 0.2);
                    d.set(1, 1e-7);
                }), "ARRAY[(0.1::float8 + 0.2::float8)::numeric, 1e-7::float8::numeric]", "NULL");
        this.<ListVector>check("numeric[]", listOf(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
                list(1, (Float4Vector d) -> d.set(0, 1.2345679f)), "ARRAY[1.2345679::float4::numeric]", "NULL");
        this.<ListVector>check("float8[]", listOf(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
                list(1, (Float4Vector d) -> d.set(0, 1.1f)), "ARRAY[1.1::float4::float8]", "NULL");
        this.<ListVector>check("real[]", listOf(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
                list(1, (Float8Vector d) -> d.set(0, 0.1)), "ARRAY[0.1::float8::float4]", "NULL");
        Path overflow = column("real-overflow.arrow", listOf(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), 1,
                list(1, (Float8Vector d) -> d.set(0, 1e39)));
        try (Connection c = cluster.connect()) {
            assertFileError(c, "22003", overflow, "v real[]", "SELECT * FROM bad", "out of range");
        }
        // into integer arrays, rounded as an integer column rounds them
        this.<ListVector>check("int4[]", listOf(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
                list(3, (Float8Vector d) -> {
                    d.set(0, 1.5);
                    d.set(1, 2.5);
                    d.set(2, -3.0);
                }), "ARRAY[1.5::float8::int4, 2.5::float8::int4, -3]", "NULL");
        this.<ListVector>check("int8[]", listOf(new ArrowType.Decimal(10, 2, 128)), list(2, (DecimalVector d) -> {
            d.set(0, new BigDecimal("2.50"));
            d.set(1, new BigDecimal("-2.50"));
        }), "ARRAY[2.50::numeric::int8, -2.50::numeric::int8]", "NULL");
        // a float16 is a float32 made exact: 15 digits into numeric, as in a numeric column
        this.<ListVector>check("numeric[]", listOf(new ArrowType.FloatingPoint(FloatingPointPrecision.HALF)),
                list(1, (Float2Vector d) -> d.set(0, Float.floatToFloat16(0.1f))),
                "ARRAY[0.0999755859375]", "NULL");
    }

    /** A file whose column "v" is encoded with the given dictionary: rows are the values at the indexes (-1: NULL). */
    private Path dictionaryColumn(FieldVector values, int... indexes) {
        DictionaryEncoding encoding = new DictionaryEncoding(7, false, new ArrowType.Int(32, true));
        DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider();
        provider.put(new Dictionary(values, encoding));
        Field v = new Field("v", new FieldType(true, new ArrowType.Int(32, true), encoding), null);
        return write("dictionary.arrow", true, new Schema(List.of(v)), provider, 1, indexes.length, (root, b) -> {
            IntVector idx = (IntVector) root.getVector(0);
            for (int i = 0; i < indexes.length; i++) {
                if (indexes[i] < 0) {
                    idx.setNull(i);
                } else {
                    idx.set(i, indexes[i]);
                }
            }
            idx.setValueCount(indexes.length);
        });
    }

    /** Dictionary values are read as their own type, exactly as the same values in a plain vector. */
    @Test
    void dictionaryEncodedValuesOfEveryKind() throws Exception {
        try (UInt8Vector u = new UInt8Vector("u", ALLOCATOR);
             TimeStampNanoVector ns = new TimeStampNanoVector("ns", ALLOCATOR);
             TimeStampMicroTZVector tz = new TimeStampMicroTZVector("tz", ALLOCATOR, "UTC");
             DateDayVector d = new DateDayVector("d", ALLOCATOR);
             TimeMicroVector t = new TimeMicroVector("t", ALLOCATOR)) {
            u.allocateNew(2);
            u.set(0, -1L);
            u.set(1, 7L);
            u.setValueCount(2);
            checkFile("numeric", dictionaryColumn(u, 0, -1, 1, 0), "dictionary of uint64",
                    "18446744073709551615", "NULL", "7", "18446744073709551615");
            ns.allocateNew(1);
            ns.set(0, 1_700_000_000_000_000_999L);
            ns.setValueCount(1);
            checkFile("timestamp", dictionaryColumn(ns, 0, -1), "dictionary of timestamp[ns]",
                    "'2023-11-14 22:13:20'", "NULL");
            tz.allocateNew(1);
            tz.set(0, 1_700_000_000_000_001L);
            tz.setValueCount(1);
            checkFile("timestamptz", dictionaryColumn(tz, 0, -1), "dictionary of timestamp[us, UTC]",
                    "'2023-11-14 22:13:20.000001+00'", "NULL");
            d.allocateNew(1);
            d.set(0, 19782);
            d.setValueCount(1);
            checkFile("date", dictionaryColumn(d, 0, -1), "dictionary of date32", "'2024-02-29'", "NULL");
            t.allocateNew(1);
            t.set(0, 45_296_789_012L);
            t.setValueCount(1);
            checkFile("time", dictionaryColumn(t, -1, 0), "dictionary of time64[us]", "NULL", "'12:34:56.789012'");
            // a timestamp with a zone into text: as from a plain vector, UTC wall-clock time
            checkFile("text", dictionaryColumn(tz, 0), "dictionary of timestamp[us, UTC] as text",
                    "'2023-11-14 22:13:20.000001'");
        }
        try (FieldVector words = strings(0, null, "x").getVector()) { // a NULL in the dictionary itself
            checkFile("text", dictionaryColumn(words, 0, 1), "dictionary holding a NULL", "NULL", "'x'");
        }
    }

    /**
     * A timestamp without a zone, or a date, read as timestamptz is the
     * instant at UTC, as Arrow's own casts make it: in a plain column, a
     * dictionary and an array alike, whatever the session's TimeZone.
     */
    @Test
    void wallClockTimesIntoTimestamptzAreInstantsAtUtc() throws Exception {
        this.<TimeStampMicroVector>check("timestamptz", new ArrowType.Timestamp(TimeUnit.MICROSECOND, null),
                v -> v.set(0, 1_700_000_000_000_000L), "'2023-11-14 22:13:20+00'", "NULL");
        this.<DateDayVector>check("timestamptz", new ArrowType.Date(DateUnit.DAY), v -> v.set(0, 1),
                "'1970-01-02 00:00:00+00'", "NULL");
        this.<ListVector>check("timestamptz[]", listOf(new ArrowType.Timestamp(TimeUnit.MICROSECOND, null)),
                list(1, (TimeStampMicroVector d) -> {
                    d.set(0, 1_700_000_000_000_000L);
                }), "ARRAY['2023-11-14 22:13:20+00']::timestamptz[]", "NULL");
        // years outside 1-9999 as PostgreSQL writes them: 1 BC is no year 0
        this.<ListVector>check("date[]", listOf(new ArrowType.Date(DateUnit.DAY)), list(2, (DateDayVector d) -> {
            d.set(0, -719_528);
            d.set(1, 2_932_897);
        }), "'{0001-01-01 BC,10000-01-01}'", "NULL");
        this.<ListVector>check("timestamptz[]", listOf(new ArrowType.Date(DateUnit.DAY)), list(1, (DateDayVector d) -> {
            d.set(0, 1);
        }), "ARRAY['1970-01-02 00:00:00+00']::timestamptz[]", "NULL");
        try (TimeStampMicroVector ts = new TimeStampMicroVector("ts", ALLOCATOR)) {
            ts.allocateNew(1);
            ts.set(0, 1_700_000_000_000_000L);
            ts.setValueCount(1);
            checkFile("timestamptz", dictionaryColumn(ts, 0), "dictionary of timestamp[us]", "'2023-11-14 22:13:20+00'");
        }
    }

    @Test
    void listsOfTimesDurationsAndIntervals() throws Exception {
        this.<ListVector>check("time[]", listOf(new ArrowType.Time(TimeUnit.SECOND, 32)), list(2, (TimeSecVector d) -> {
            d.set(0, 3661);
            d.set(1, 86_400);
        }), "'{01:01:01,24:00:00}'", "NULL");
        this.<ListVector>check("time[]", listOf(new ArrowType.Time(TimeUnit.MILLISECOND, 32)),
                list(1, (TimeMilliVector d) -> {
                    d.set(0, 45_296_789);
                }), "'{12:34:56.789}'", "NULL");
        this.<ListVector>check("time[]", listOf(new ArrowType.Time(TimeUnit.NANOSECOND, 64)),
                list(2, (TimeNanoVector d) -> {
                    d.set(0, 45_296_789_012_999L);
                    d.setNull(1);
                }), "'{12:34:56.789012,NULL}'", "NULL");
        // a time outside the day is an error in a list as in a column, not a garbled text
        Path bad = column("bad-times.arrow", listOf(new ArrowType.Time(TimeUnit.SECOND, 32)), 1,
                list(1, (TimeSecVector d) -> d.set(0, -1)));
        try (Connection c = cluster.connect()) {
            assertFileError(c, "22008", bad, "v time[]", "SELECT * FROM bad", "time out of range: -1000000");
        }
        this.<ListVector>check("interval[]", listOf(new ArrowType.Duration(TimeUnit.MICROSECOND)),
                list(2, (DurationVector d) -> {
                    d.set(0, 90_061_000_001L);
                    d.set(1, -1L);
                }), "ARRAY['25:01:01.000001', '-00:00:00.000001']::interval[]", "NULL");
        this.<ListVector>check("interval[]", listOf(new ArrowType.Interval(IntervalUnit.MONTH_DAY_NANO)),
                list(3, (IntervalMonthDayNanoVector d) -> {
                    d.set(0, 14, -3, 14_706_500_000_000L);
                    d.set(1, 0, 0, 0);
                    d.set(2, -1, 1, -1_000_000_000L);
                }), "ARRAY['1 year 2 mons -3 days +04:05:06.5', '0', '-1 mons +1 day -00:00:01']::interval[]", "NULL");
    }

    /** Times, durations and intervals in a struct: as to_jsonb writes them (IntervalStyle postgres). */
    @Test
    void timesAndIntervalsInJsonAreWrittenAsToJsonbWritesThem() throws Exception {
        Field struct = new Field("v", FieldType.nullable(ArrowType.Struct.INSTANCE), List.of(
                Field.nullable("t", new ArrowType.Time(TimeUnit.MICROSECOND, 64)),
                Field.nullable("noon", new ArrowType.Time(TimeUnit.SECOND, 32)),
                Field.nullable("d", new ArrowType.Duration(TimeUnit.NANOSECOND)),
                Field.nullable("i", new ArrowType.Interval(IntervalUnit.MONTH_DAY_NANO)),
                Field.nullable("ts", new ArrowType.Timestamp(TimeUnit.SECOND, null))));
        this.<StructVector>check("jsonb", struct, v -> {
            v.getChild("t", TimeMicroVector.class).setSafe(0, 45_296_789_012L);
            v.getChild("noon", TimeSecVector.class).setSafe(0, 43_200);
            v.getChild("d", DurationVector.class).setSafe(0, 1_500_000_999L);
            v.getChild("i", IntervalMonthDayNanoVector.class).setSafe(0, -14, 3, -14_706_000_000_000L);
            v.getChild("ts", TimeStampSecVector.class).setSafe(0, 1_700_000_040L);
            v.setIndexDefined(0);
            v.getChildrenFromFields().forEach(child -> child.setValueCount(1));
        }, "jsonb_build_object('t', '12:34:56.789012'::time, 'noon', '12:00'::time, 'd', '1.500000 s'::interval, "
                + "'i', '-1 years -2 mons +3 days -04:05:06'::interval, 'ts', '2023-11-14 22:14:00'::timestamp)", "NULL");
    }

    /** Dictionary-encoded elements and struct fields: their values, and IMPORT types them by their values. */
    @Test
    void nestedDictionaryValuesAreDecoded() throws Exception {
        Dictionary fruit = strings(3, "apple", "banana");
        DictionaryEncoding encoding = fruit.getEncoding();
        try (FieldVector values = fruit.getVector()) {
            DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider();
            provider.put(fruit);
            Field list = new Field("v", FieldType.nullable(ArrowType.List.INSTANCE),
                    List.of(new Field("item", new FieldType(true, new ArrowType.Int(32, true), encoding), null)));
            Field struct = new Field("s", FieldType.nullable(ArrowType.Struct.INSTANCE),
                    List.of(new Field("cat", new FieldType(true, new ArrowType.Int(32, true), encoding), null)));
            Path d = java.nio.file.Files.createDirectories(dir.resolve("nested"));
            Path f = write("nested/nested_dict.arrow", true, new Schema(List.of(list, struct)), provider, 1, 1, (root, b) -> {
                ListVector l = (ListVector) root.getVector(0);
                IntVector items = (IntVector) l.getDataVector();
                items.allocateNew(2);
                items.set(0, 1);
                items.set(1, 0);
                items.setValueCount(2);
                firstList(l, 2);
                l.setValueCount(1);
                StructVector s = (StructVector) root.getVector(1);
                s.getChild("cat", IntVector.class).setSafe(0, 1);
                s.setIndexDefined(0);
                s.getChild("cat").setValueCount(1);
                s.setValueCount(1);
            });
            try (Connection c = cluster.connect()) {
                table(c, "nested_dict", "v text[], s jsonb", f);
                assertEquals(List.of(List.of("{banana,apple}", "{\"cat\": \"banana\"}")),
                        Sql.rows(c, "SELECT v::text, s::text FROM nested_dict"));
                Sql.execute(c, "DROP SCHEMA IF EXISTS nd CASCADE", "CREATE SCHEMA nd",
                        "IMPORT FOREIGN SCHEMA x LIMIT TO (nested_dict) FROM SERVER arrow INTO nd OPTIONS (directory '" + d + "')");
                assertEquals(List.of(List.of("v", "text[]"), List.of("s", "jsonb")), Sql.rows(c,
                        "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                                + "WHERE attrelid = 'nd.nested_dict'::regclass AND attnum > 0 ORDER BY attnum"));
            }
        }
    }
}
