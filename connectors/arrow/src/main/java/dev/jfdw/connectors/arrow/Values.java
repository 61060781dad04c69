package dev.jfdw.connectors.arrow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.util.ObjectMapperFactory;
import org.apache.arrow.vector.util.Text;

/**
 * Nested values (lists, structs, maps) as the text PostgreSQL's input
 * functions read: an array literal, or JSON. Their elements are read by
 * vector type, not through Arrow's {@code getObject}, which gives a uint64's
 * bits as a signed long, a float16's bits as a short, a timestamp with a
 * zone as its raw count, and nanoseconds that PostgreSQL would round.
 */
final class Values {
    private static final ObjectMapper JSON = ObjectMapperFactory.newObjectMapper();

    private Values() {}

    /** Bytes, written as bytea's hex text. */
    private record Bytes(byte[] value) {
        @Override
        public String toString() {
            return "\\x" + HexFormat.of().formatHex(value);
        }
    }

    /** A timestamp's text, cut to whole microseconds toward the earlier one, as scalar columns are. */
    private record Timestamp(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    static boolean nested(ValueVector v) {
        return v instanceof ListVector || v instanceof LargeListVector || v instanceof FixedSizeListVector
                || v instanceof StructVector;
    }

    /** The value at {@code i}: a List, a Map (structs and maps), or an element's Java value; null for NULL. */
    static Object value(ValueVector v, int i) {
        if (v.isNull(i)) {
            return null;
        }
        return switch (v) {
            case MapVector m -> {
                StructVector entries = (StructVector) m.getDataVector();
                ValueVector keys = entries.getChildrenFromFields().get(0);
                ValueVector values = entries.getChildrenFromFields().get(1);
                Map<String, Object> map = new LinkedHashMap<>();
                for (int e = m.getElementStartIndex(i); e < m.getElementEndIndex(i); e++) {
                    map.put(String.valueOf(value(keys, e)), value(values, e));
                }
                yield map;
            }
            case ListVector l -> elements(l.getDataVector(), l.getElementStartIndex(i), l.getElementEndIndex(i));
            case LargeListVector l -> elements(l.getDataVector(), Math.toIntExact(l.getElementStartIndex(i)),
                    Math.toIntExact(l.getElementEndIndex(i)));
            case FixedSizeListVector l -> elements(l.getDataVector(), i * l.getListSize(), (i + 1) * l.getListSize());
            case StructVector s -> {
                Map<String, Object> fields = new LinkedHashMap<>();
                for (ValueVector child : s.getChildrenFromFields()) {
                    fields.put(child.getName(), value(child, i));
                }
                yield fields;
            }
            case UInt8Vector u -> u.getObjectNoOverflow(i);
            case UInt4Vector u -> u.getObjectNoOverflow(i);
            case UInt2Vector u -> (int) u.get(i);
            case UInt1Vector u -> u.getObjectNoOverflow(i);
            case Float2Vector f -> Float.float16ToFloat(f.get(i));
            case TimeStampVector t -> timestamp(t, i);
            case DateDayVector d -> LocalDate.ofEpochDay(d.get(i));
            case DateMilliVector d -> LocalDate.ofEpochDay(Math.floorDiv(d.get(i), 86_400_000L));
            case VarBinaryVector b -> new Bytes(b.get(i));
            case LargeVarBinaryVector b -> new Bytes(b.get(i));
            case FixedSizeBinaryVector b -> new Bytes(b.get(i));
            default -> {
                Object o = v.getObject(i);
                yield o instanceof Text t ? t.toString() : o;
            }
        };
    }

    private static List<Object> elements(ValueVector data, int from, int to) {
        List<Object> list = new ArrayList<>(to - from);
        for (int e = from; e < to; e++) {
            list.add(value(data, e));
        }
        return list;
    }

    private static Timestamp timestamp(TimeStampVector t, int i) {
        ArrowType.Timestamp type = (ArrowType.Timestamp) t.getField().getType();
        long v = t.get(i);
        long micros = switch (type.getUnit()) {
            case SECOND -> Math.multiplyExact(v, 1_000_000L);
            case MILLISECOND -> Math.multiplyExact(v, 1_000L);
            case MICROSECOND -> v;
            case NANOSECOND -> Math.floorDiv(v, 1_000L);
        };
        LocalDateTime utc = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                (int) Math.floorMod(micros, 1_000_000L) * 1_000, ZoneOffset.UTC);
        return new Timestamp(type.getTimezone() == null ? utc.toString() : utc + "+00:00");
    }

    /** A list as an array literal: {1,2,NULL}, {"a","b \"c\""}, {{1,2},{3,4}}. */
    static String arrayLiteral(Object list) {
        StringBuilder b = new StringBuilder();
        append(b, list);
        return b.toString();
    }

    private static void append(StringBuilder b, Object o) {
        switch (o) {
            case null -> b.append("NULL");
            case List<?> l -> {
                b.append('{');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    append(b, l.get(i));
                }
                b.append('}');
            }
            case Number n -> b.append(n);
            case Boolean x -> b.append(x);
            default -> {
                b.append('"');
                String s = o instanceof Map<?, ?> ? json(o) : o.toString();
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

    /** A struct or map as an object, a list as an array; bytes, dates and timestamps as their text. */
    static String json(Object value) {
        try {
            return JSON.writeValueAsString(jsonTree(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write an Arrow value as JSON", e);
        }
    }

    private static Object jsonTree(Object o) {
        return switch (o) {
            case null -> null;
            case List<?> l -> l.stream().map(Values::jsonTree).toList();
            case Map<?, ?> m -> {
                Map<Object, Object> tree = new LinkedHashMap<>();
                m.forEach((k, v) -> tree.put(k, jsonTree(v)));
                yield tree;
            }
            case Bytes b -> b.toString();
            case Timestamp t -> t.text();
            case LocalDate d -> d.toString();
            default -> o;
        };
    }
}
