package dev.jfdw.connectors.arrow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.util.ObjectMapperFactory;
import org.apache.arrow.vector.util.Text;

/** Arrow's Java objects (for nested values) as the text PostgreSQL's input functions read. */
final class Values {
    private static final ObjectMapper JSON = ObjectMapperFactory.newObjectMapper();

    private Values() {}

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
                String s = plain(o).toString();
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

    /** A struct as an object, a map as an object of its keys (as text), a list as an array. */
    static String json(FieldVector v, Object o) {
        try {
            return JSON.writeValueAsString(v instanceof MapVector ? mapObject(o) : o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write an Arrow " + v.getField().getType() + " value as JSON", e);
        }
    }

    /** A map vector's value is a list of {key, value} entries. */
    private static Object mapObject(Object o) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Object e : (List<?>) o) {
            Map<?, ?> entry = (Map<?, ?>) e;
            m.put(String.valueOf(plain(entry.get(MapVector.KEY_NAME))), entry.get(MapVector.VALUE_NAME));
        }
        return m;
    }

    /** Arrow's Text as a String; everything else as it is. */
    static Object plain(Object o) {
        return o instanceof Text t ? t.toString() : o;
    }
}
