package dev.jfdw.connectors.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A JSON array as a PostgreSQL array literal: {@code [1, null, "a\"b", [2]]}
 * is {@code {1,NULL,"a\"b",{2}}}. For an array of json or jsonb, each
 * element is a JSON value, its JSON text: {@code ["a", [2]]} is
 * {@code {"\"a\"","[2]"}}.
 */
final class PgArrays {
    private PgArrays() {}

    static String literal(String jsonArray, boolean ofJson) {
        try {
            return ofJson ? jsonElements(jsonArray) : literal(jsonArray);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String literal(String jsonArray) throws IOException {
        try (JsonParser p = JsonReader.FACTORY.createParser(jsonArray)) {
            StringBuilder b = new StringBuilder();
            append(jsonArray, p, p.nextToken(), b);
            return b.toString();
        }
    }

    /** The elements' JSON text, exactly as written (jsonb keeps a number's trailing zeros). */
    private static String jsonElements(String jsonArray) throws IOException {
        try (JsonReader r = new JsonReader(jsonArray, 0, 1)) {
            StringBuilder b = new StringBuilder("{");
            r.next();
            for (JsonToken e = r.next(); e != JsonToken.END_ARRAY; e = r.next()) {
                b.append(b.length() > 1 ? "," : "");
                if (e == JsonToken.VALUE_NULL) {
                    b.append("NULL");
                } else {
                    quote(e == JsonToken.START_OBJECT || e == JsonToken.START_ARRAY ? r.capture() : r.rawScalar(e), b);
                }
            }
            return b.append('}').toString();
        }
    }

    private static void append(String json, JsonParser p, JsonToken t, StringBuilder b) throws IOException {
        switch (t) {
            case START_ARRAY -> {
                b.append('{');
                boolean first = true;
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    append(json, p, e, b);
                }
                b.append('}');
            }
            case VALUE_NULL -> b.append("NULL");
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> b.append(p.getText());
            case START_OBJECT -> {
                // as written, as a text column gets it: a copy through Jackson would round numbers
                int start = Math.toIntExact(p.currentTokenLocation().getCharOffset());
                p.skipChildren();
                quote(json.substring(start, Math.toIntExact(p.currentLocation().getCharOffset())), b);
            }
            default -> quote(p.getText(), b);
        }
    }

    private static void quote(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        b.append('"');
    }
}
