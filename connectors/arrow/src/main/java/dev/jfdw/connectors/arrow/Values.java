package dev.jfdw.connectors.arrow;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jfdw.api.FdwException;
import dev.jfdw.api.PgType;
import dev.jfdw.api.SqlState;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.BaseVariableWidthViewVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.IntervalDayVector;
import org.apache.arrow.vector.IntervalMonthDayNanoVector;
import org.apache.arrow.vector.IntervalYearVector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.ViewVarBinaryVector;
import org.apache.arrow.vector.complex.DenseUnionVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.LargeListViewVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.ListViewVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.RunEndEncodedVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.complex.UnionVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.ObjectMapperFactory;

/**
 * Values read one at a time, by vector type, not through Arrow's
 * {@code getObject}, which gives a uint64's bits as a signed long, a
 * float16's bits as a short, a date as its day count, a timestamp with a
 * zone as its raw count, and nanoseconds that PostgreSQL would round. Used
 * for dictionary values, the types with no vector form, and nested values
 * (lists, structs, maps), which become the text PostgreSQL's input
 * functions read: an array literal, or JSON as {@code to_jsonb} writes it.
 */
final class Values {
    private static final ObjectMapper JSON = ObjectMapperFactory.newObjectMapper();
    private static final long DAY_MICROS = 86_400_000_000L;

    private Values() {}

    /** Bytes, written as bytea's hex text. */
    record Bytes(byte[] value) {
        @Override
        public String toString() {
            return "\\x" + HexFormat.of().formatHex(value);
        }
    }

    /** The value of a union's member: JSON, whatever the member's type. */
    record Union(Object value) {}

    /**
     * A map's entries, in order: Arrow leaves keys' uniqueness to writers,
     * and a json column keeps every entry (jsonb, the last of a key).
     */
    record Entries(List<Entry> entries) {}

    record Entry(Object key, Object value) {}

    /** A time of day, in microseconds since midnight (24:00:00 included), in lists and structs too. */
    record Time(long micros) {
        Time {
            if (micros < 0 || micros > DAY_MICROS) {
                throw new FdwException(SqlState.DATETIME_FIELD_OVERFLOW, "time out of range: " + micros
                        + " microseconds since midnight");
            }
        }

        @Override
        public String toString() {
            return clock(micros / 3_600_000_000L, micros / 60_000_000L % 60, micros % 60_000_000L);
        }
    }

    /**
     * A timestamp: microseconds since 1970-01-01 00:00:00, cut toward the
     * earlier microsecond; an instant (UTC) when the Arrow type has a zone,
     * else a wall-clock time, which becomes an instant at UTC where one is
     * needed, as Arrow's own casts do.
     */
    record Timestamp(long micros, boolean zoned) {
        /** PostgreSQL's earliest: 4714-11-24 00:00:00 BC (its latest is past int64 microseconds since 1970). */
        static final long MIN_MICROS = MIN_DATE_DAYS * DAY_MICROS;

        Timestamp {
            // as a column's would be: JSON text PostgreSQL could not read back is no value
            if (micros < MIN_MICROS) {
                throw new FdwException(SqlState.DATETIME_FIELD_OVERFLOW, "timestamp out of range: " + micros
                        + " microseconds since 1970-01-01");
            }
        }

        /** As {@code to_jsonb} writes a timestamp (naive) or a timestamptz in UTC. */
        @Override
        public String toString() {
            return text(zoned);
        }

        /** The text, with the UTC offset or not. */
        String text(boolean offset) {
            long day = Math.floorDiv(micros, DAY_MICROS);
            return date(LocalDate.ofEpochDay(day), "T" + new Time(micros - day * DAY_MICROS) + (offset ? "+00:00" : ""));
        }
    }

    /** An interval's three fields, as PostgreSQL keeps them. */
    record Interval(int months, int days, long micros) {
        /** As PostgreSQL writes it with IntervalStyle postgres: {@code 1 year 2 mons -3 days +04:05:06.5}. */
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            boolean before = part(b, months / 12, "year", false);
            before = part(b, months % 12, "mon", before);
            before = part(b, days, "day", before);
            if (b.isEmpty() || micros != 0) {
                long abs = Math.abs(micros);
                b.append(b.isEmpty() ? "" : " ").append(micros < 0 ? "-" : before ? "+" : "")
                        .append(clock(abs / 3_600_000_000L, abs / 60_000_000L % 60, abs % 60_000_000L));
            }
            return b.toString();
        }

        /** Appends a nonzero field; returns whether it was negative, which signs the next one. */
        private static boolean part(StringBuilder b, int value, String unit, boolean before) {
            if (value == 0) {
                return before;
            }
            b.append(b.isEmpty() ? "" : " ").append(before && value > 0 ? "+" : "").append(value).append(' ')
                    .append(unit).append(value == 1 ? "" : "s");
            return value < 0;
        }
    }

    /**
     * A date as PostgreSQL writes it in ISO style, then {@code time}: years
     * of four digits or more, and no year 0 or below but BC years after
     * all else ({@code 0001-01-01T00:00:00 BC} is the year before 1).
     */
    static String date(LocalDate d, String time) {
        int year = d.getYear();
        int shown = year > 0 ? year : 1 - year;
        return (shown < 1000 ? String.format("%04d", shown) : Integer.toString(shown))
                + (d.getMonthValue() < 10 ? "-0" : "-") + d.getMonthValue()
                + (d.getDayOfMonth() < 10 ? "-0" : "-") + d.getDayOfMonth() + time + (year > 0 ? "" : " BC");
    }

    /** hh:mm:ss and the fraction without trailing zeros, as PostgreSQL writes times. */
    private static String clock(long hours, long minutes, long secondMicros) {
        StringBuilder b = new StringBuilder();
        b.append(hours < 10 ? "0" : "").append(hours).append(minutes < 10 ? ":0" : ":").append(minutes);
        long seconds = secondMicros / 1_000_000;
        b.append(seconds < 10 ? ":0" : ":").append(seconds);
        long fraction = secondMicros % 1_000_000;
        if (fraction != 0) {
            String digits = Long.toString(1_000_000 + fraction).substring(1);
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            b.append('.').append(digits, 0, end);
        }
        return b.toString();
    }

    /**
     * The value at {@code i}, null for NULL: a List (lists), a Map (structs),
     * {@link Entries} (maps), Long, Integer, Short, Byte, BigInteger (uint64), Float, Double,
     * Boolean, BigDecimal, String, LocalDate, or a {@link Bytes},
     * {@link Time}, {@link Timestamp} or {@link Interval}. A
     * dictionary-encoded vector (at any depth) gives its dictionary's value.
     * {@code field} is the schema's field of {@code v}: a union vector's
     * own says other type ids than the file's.
     */
    static Object value(ValueVector v, Field field, int i, DictionaryProvider dictionaries) {
        // before isNull, which Arrow Java answers for a union by its members' Java types
        if (v instanceof UnionVector u) {
            int at = member(u, field, u.getTypeValue(i));
            return at < 0 ? null : union(u.getChildrenFromFields().get(at), child(field, u, at), i, dictionaries);
        }
        if (v instanceof DenseUnionVector u) {
            int at = member(u, field, u.getTypeId(i));
            return at < 0 ? null : union(u.getChildrenFromFields().get(at), child(field, u, at), u.getOffset(i),
                    dictionaries);
        }
        if (v instanceof RunEndEncodedVector r) {
            // no validity of its own: a run's value may be NULL
            return value(r.getValuesVector(), child(field, r, 1), r.getPhysicalIndex(i), dictionaries);
        }
        if (v.isNull(i)) {
            return null;
        }
        DictionaryEncoding encoding = v.getField().getDictionary();
        if (encoding != null) {
            Dictionary dictionary = dictionaries.lookup(encoding.getId());
            long at = ((BaseIntVector) v).getValueAsLong(i);
            if (dictionary == null || at < 0 || at >= dictionary.getVector().getValueCount()) {
                throw new IllegalArgumentException("dictionary index " + at + " of field \"" + v.getName()
                        + "\" is outside its dictionary" + (dictionary == null ? " (there is none with id "
                        + encoding.getId() + ")" : " of " + dictionary.getVector().getValueCount() + " values"));
            }
            return value(dictionary.getVector(), dictionary.getVector().getField(), (int) at, dictionaries);
        }
        return switch (v) {
            case MapVector m -> {
                StructVector entries = (StructVector) m.getDataVector();
                Field entry = child(field, m, 0);
                ValueVector keys = entries.getChildrenFromFields().get(0);
                ValueVector values = entries.getChildrenFromFields().get(1);
                List<Entry> map = new ArrayList<>();
                for (int e = m.getElementStartIndex(i); e < m.getElementEndIndex(i); e++) {
                    Object key = value(keys, child(entry, entries, 0), e, dictionaries);
                    if (key == null) {
                        // Arrow's map keys are never null: the file is damaged
                        throw new IllegalArgumentException("map field \"" + v.getName() + "\" has a NULL key");
                    }
                    map.add(new Entry(key, value(values, child(entry, entries, 1), e, dictionaries)));
                }
                yield new Entries(map);
            }
            case ListVector l -> elements(l.getDataVector(), child(field, l, 0), l.getElementStartIndex(i),
                    l.getElementEndIndex(i), dictionaries);
            case LargeListVector l -> elements(l.getDataVector(), child(field, l, 0),
                    Math.toIntExact(l.getElementStartIndex(i)), Math.toIntExact(l.getElementEndIndex(i)), dictionaries);
            case FixedSizeListVector l -> elements(l.getDataVector(), child(field, l, 0), i * l.getListSize(),
                    (i + 1) * l.getListSize(), dictionaries);
            // a view: each row's own offset and size, in any order, overlapping or not (read from the buffers:
            // Arrow Java's getElementEndIndex gives the offset)
            case ListViewVector l -> {
                int offset = l.getOffsetBuffer().getInt((long) i * Integer.BYTES);
                yield elements(l.getDataVector(), child(field, l, 0), offset,
                        offset + l.getSizeBuffer().getInt((long) i * Integer.BYTES), dictionaries);
            }
            case LargeListViewVector l -> {
                long offset = l.getOffsetBuffer().getLong((long) i * Long.BYTES);
                long size = l.getSizeBuffer().getLong((long) i * Long.BYTES);
                yield elements(l.getDataVector(), child(field, l, 0), Math.toIntExact(offset),
                        Math.toIntExact(offset + size), dictionaries);
            }
            case StructVector s -> {
                Map<String, Object> fields = new LinkedHashMap<>();
                List<FieldVector> children = s.getChildrenFromFields();
                for (int k = 0; k < children.size(); k++) {
                    fields.put(children.get(k).getName(), value(children.get(k), child(field, s, k), i, dictionaries));
                }
                yield fields;
            }
            case UInt8Vector u -> u.getObjectNoOverflow(i);
            case UInt4Vector u -> u.getObjectNoOverflow(i);
            case UInt2Vector u -> (int) u.get(i);
            case UInt1Vector u -> u.getObjectNoOverflow(i);
            case Float2Vector f -> (double) Float.float16ToFloat(f.get(i)); // exact, as a double: no float32 rules
            case TimeStampVector t -> timestamp(t, i);
            case DateDayVector d -> date(d.get(i));
            case DateMilliVector d -> date(Math.floorDiv(d.get(i), 86_400_000L));
            case TimeSecVector t -> new Time(t.get(i) * 1_000_000L);
            case TimeMilliVector t -> new Time(t.get(i) * 1_000L);
            case TimeMicroVector t -> new Time(t.get(i));
            case TimeNanoVector t -> new Time(Math.floorDiv(t.get(i), 1_000L));
            case DurationVector d -> new Interval(0, 0, micros(((ArrowType.Duration) d.getField().getType()).getUnit(),
                    DurationVector.get(d.getDataBuffer(), i), "interval"));
            case IntervalYearVector y -> new Interval(y.get(i), 0, 0);
            case IntervalDayVector d -> {
                var h = new org.apache.arrow.vector.holders.NullableIntervalDayHolder();
                d.get(i, h);
                yield new Interval(0, h.days, h.milliseconds * 1_000L);
            }
            case IntervalMonthDayNanoVector m -> {
                var h = new org.apache.arrow.vector.holders.NullableIntervalMonthDayNanoHolder();
                m.get(i, h);
                yield new Interval(h.months, h.days, Math.floorDiv(h.nanoseconds, 1_000L));
            }
            case VarBinaryVector b -> new Bytes(b.get(i));
            case LargeVarBinaryVector b -> new Bytes(b.get(i));
            case ViewVarBinaryVector b -> new Bytes(b.get(i));
            case FixedSizeBinaryVector b -> new Bytes(b.get(i));
            case BaseVariableWidthViewVector s -> utf8(s.get(i), v); // utf8_view
            case VarCharVector s -> utf8(s.get(i), v);
            case LargeVarCharVector s -> utf8(s.get(i), v);
            case BigIntVector x -> x.get(i);
            case IntVector x -> x.get(i);
            case SmallIntVector x -> x.get(i);
            case TinyIntVector x -> x.get(i);
            case Float8Vector x -> x.get(i);
            case Float4Vector x -> x.get(i);
            case BitVector x -> x.get(i) != 0;
            case DecimalVector x -> x.getObject(i);
            case Decimal256Vector x -> x.getObject(i);
            // getObject's answer would be some Java form of the bits, not the value
            default -> throw new FdwException(SqlState.FEATURE_NOT_SUPPORTED, "Arrow field \"" + v.getName()
                    + "\" of type " + v.getField().getType() + " cannot be read (" + v.getClass().getSimpleName() + ")");
        };
    }

    /**
     * The schema's field of child {@code k} of a vector whose field is
     * {@code f}; the child vector's own where the schema has no such child.
     */
    private static Field child(Field f, FieldVector parent, int k) {
        return k < f.getChildren().size() ? f.getChildren().get(k) : parent.getChildrenFromFields().get(k).getField();
    }

    /**
     * The member of a union that holds a row, by the schema's type ids
     * (Arrow Java's own lookup goes by the members' Java types, and confuses
     * two int64 members): its position, or -1 for id 0 where the schema has
     * no such id, which is how Arrow Java writes a row no member holds. Any
     * other id the schema does not declare is a bad file.
     */
    private static int member(FieldVector union, Field f, int typeId) {
        int[] ids = ((ArrowType.Union) f.getType()).getTypeIds();
        int members = union.getChildrenFromFields().size();
        for (int k = 0; k < members; k++) {
            if ((ids == null || k >= ids.length ? k : ids[k]) == typeId) {
                return k;
            }
        }
        if (typeId == 0) {
            return -1;
        }
        throw new IllegalArgumentException("union field \"" + f.getName() + "\" has type id " + typeId
                + ", which its schema does not declare");
    }

    /** A union's value: its member's, or NULL where the member's is. */
    private static Union union(ValueVector member, Field f, int i, DictionaryProvider dictionaries) {
        Object value = value(member, f, i, dictionaries);
        return value == null ? null : new Union(value);
    }

    /** Text, decoded strictly: Arrow's own decoding puts U+FFFD for invalid UTF-8. */
    private static String utf8(byte[] bytes, ValueVector v) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new FdwException(SqlState.CHARACTER_NOT_IN_REPERTOIRE, "invalid byte sequence for encoding "
                    + "\"UTF8\" in field \"" + v.getName() + "\"");
        }
    }

    private static List<Object> elements(ValueVector data, Field f, int from, int to, DictionaryProvider dictionaries) {
        List<Object> list = new ArrayList<>(to - from);
        for (int e = from; e < to; e++) {
            list.add(value(data, f, e, dictionaries));
        }
        return list;
    }

    /** PostgreSQL's dates, in days since 1970-01-01: from 4714-11-24 BC (Julian day 0) to 5874897-12-31. */
    private static final long MIN_DATE_DAYS = -2_440_588L;
    private static final long END_DATE_DAYS = 2_145_042_906L;

    /** A date, in PostgreSQL's range (in lists and structs too, as in columns). */
    private static LocalDate date(long epochDays) {
        if (epochDays < MIN_DATE_DAYS || epochDays >= END_DATE_DAYS) {
            throw new FdwException(SqlState.DATETIME_FIELD_OVERFLOW,
                    "date out of range: " + epochDays + " days since 1970-01-01");
        }
        return LocalDate.ofEpochDay(epochDays);
    }

    private static Timestamp timestamp(TimeStampVector t, int i) {
        ArrowType.Timestamp type = (ArrowType.Timestamp) t.getField().getType();
        return new Timestamp(micros(type.getUnit(), t.get(i), "timestamp"), ArrowTypes.zoned(type));
    }

    /** A count of {@code unit} in microseconds; beyond int64, {@code what} (a timestamp, an interval) is out of range. */
    private static long micros(org.apache.arrow.vector.types.TimeUnit unit, long v, String what) {
        try {
            return switch (unit) {
                case SECOND -> Math.multiplyExact(v, 1_000_000L);
                case MILLISECOND -> Math.multiplyExact(v, 1_000L);
                case MICROSECOND -> v;
                case NANOSECOND -> Math.floorDiv(v, 1_000L);
            };
        } catch (ArithmeticException e) {
            throw new FdwException(SqlState.DATETIME_FIELD_OVERFLOW, what + " out of range: " + v + " "
                    + unit.name().toLowerCase(Locale.ROOT) + "s");
        }
    }

    /**
     * A list as an array literal: {1,2,NULL}, {"a","b \"c\""}, {{1,2},{3,4}},
     * each element as a column of the array's element type reads it: into
     * timestamptz[], wall-clock timestamps and dates are instants at UTC;
     * into uuid[], 16 bytes are a uuid; floats into numeric[] keep the
     * digits of PostgreSQL's casts, and widen or narrow exactly into
     * float8[] or real[].
     */
    static String arrayLiteral(Object list, int elementType) {
        StringBuilder b = new StringBuilder();
        append(b, list, elementType);
        return b.toString();
    }

    private static void append(StringBuilder b, Object o, int elementType) {
        boolean instants = elementType == PgType.TIMESTAMPTZ;
        switch (o) {
            case null -> b.append("NULL");
            case List<?> l -> {
                b.append('{');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    append(b, l.get(i), elementType);
                }
                b.append('}');
            }
            case Float f when elementType == PgType.NUMERIC && Float.isFinite(f) -> b.append(significant(f, 6));
            case Double d when elementType == PgType.NUMERIC && Double.isFinite(d) -> b.append(significant(d, 15));
            case Float f when elementType == PgType.FLOAT8 -> b.append((double) f);
            // narrowed as a real column narrows it; an overflow or underflow is left to float4in's error
            case Double d when elementType == PgType.FLOAT4 && exactlyNarrowed(d) -> b.append((float) (double) d);
            // into integer arrays, rounded as integer columns round
            case Double d when isInteger(elementType) && Double.isFinite(d) -> b.append(new BigDecimal(Math.rint(d))
                    .toPlainString());
            case Float f when isInteger(elementType) && Float.isFinite(f) -> b.append(new BigDecimal(Math.rint(f))
                    .toPlainString());
            case BigDecimal d when isInteger(elementType) -> b.append(d.setScale(0, RoundingMode.HALF_UP)
                    .toPlainString());
            case Number n -> b.append(n);
            case Boolean x -> b.append(x);
            default -> {
                b.append('"');
                String s = switch (o) {
                    case Map<?, ?> m -> json(m);
                    case Entries m -> json(m);
                    case Union u -> json(u.value());
                    case Timestamp t -> t.text(instants || t.zoned());
                    case LocalDate d -> date(d, instants ? "T00:00:00+00:00" : "");
                    case Bytes x when elementType == PgType.UUID && x.value().length == 16 -> uuid(x.value()).toString();
                    default -> o.toString();
                };
                for (int i = 0; i < s.length(); i++) {
                    char ch = s.charAt(i);
                    if (ch == '"' || ch == '\\') {
                        b.append('\\');
                    }
                    b.append(ch);
                }
                b.append('"');
            }
        }
    }

    private static boolean isInteger(int type) {
        return type == PgType.INT2 || type == PgType.INT4 || type == PgType.INT8;
    }

    /** A double a real holds as (float) makes it: no overflow to infinity, no underflow to zero. */
    private static boolean exactlyNarrowed(double d) {
        float f = (float) d;
        return Float.isFinite(f) == Double.isFinite(d) && (f != 0 || d == 0);
    }

    /** As float8's and float4's casts to numeric: 15 or 6 significant digits. */
    private static String significant(double v, int digits) {
        return new BigDecimal(v).round(new MathContext(digits, RoundingMode.HALF_EVEN)).stripTrailingZeros()
                .toPlainString();
    }

    static UUID uuid(byte[] b) {
        ByteBuffer u = ByteBuffer.wrap(b);
        return new UUID(u.getLong(), u.getLong());
    }

    /**
     * A struct or map as an object (a map's entries all, in order), a list
     * as an array; other values as {@code to_jsonb} writes them.
     */
    static String json(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write an Arrow value as JSON", e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object o) throws IOException {
        switch (o) {
            case null -> g.writeNull();
            case List<?> l -> {
                g.writeStartArray();
                for (Object e : l) {
                    write(g, e);
                }
                g.writeEndArray();
            }
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (var e : m.entrySet()) {
                    g.writeFieldName((String) e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case Entries m -> {
                g.writeStartObject();
                for (Entry e : m.entries()) {
                    g.writeFieldName(key(e.key()));
                    write(g, e.value());
                }
                g.writeEndObject();
            }
            case Union u -> write(g, u.value());
            default -> {
                String text = asJsonString(o);
                if (text != null) {
                    g.writeString(text);
                } else {
                    g.writeObject(o);
                }
            }
        }
    }

    /** A map's key as an object's key: a string as it is, anything else as its JSON text, unquoted. */
    private static String key(Object k) {
        String text = asJsonString(k);
        return text != null ? text : json(k);
    }

    /** The string {@code to_jsonb} writes for a value it writes as a string, or null for other values. */
    private static String asJsonString(Object o) {
        return switch (o) {
            case String s -> s;
            case LocalDate d -> date(d, "");
            case Bytes b -> b.toString();
            case Time t -> t.toString();
            case Timestamp t -> t.toString();
            case Interval t -> t.toString();
            default -> null;
        };
    }
}
