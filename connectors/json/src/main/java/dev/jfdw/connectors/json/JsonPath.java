package dev.jfdw.connectors.json;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a column's value sits in a record: {@code a.b[0].c}, optionally
 * starting with {@code $.}; a key with dots, brackets or quotes is written in
 * double quotes, {@code "a.b"} or {@code ["a.b"]}, with {@code \"} and
 * {@code \\} inside.
 *
 * @param steps keys (String) and array indexes (Integer), outermost first
 */
record JsonPath(List<Object> steps) {
    JsonPath {
        steps = List.copyOf(steps);
    }

    static JsonPath key(String key) {
        return new JsonPath(List.of(key));
    }

    /** Parses a path; throws IllegalArgumentException saying what is wrong, as option validation wants. */
    static JsonPath parse(String text) {
        List<Object> steps = new ArrayList<>();
        int i = text.startsWith("$.") ? 2 : text.startsWith("$[") ? 1 : 0;
        int n = text.length();
        boolean expectKey = true;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '[') {
                int close = text.indexOf(']', i);
                if (i + 1 < n && text.charAt(i + 1) == '"') {
                    StringBuilder key = new StringBuilder();
                    i = quoted(text, i + 1, key);
                    if (i >= n || text.charAt(i) != ']') {
                        throw bad(text, "expected ] after the quoted key");
                    }
                    steps.add(key.toString());
                    i++;
                } else {
                    if (close < 0) {
                        throw bad(text, "unclosed [");
                    }
                    String index = text.substring(i + 1, close).strip();
                    if (!index.matches("[0-9]{1,9}")) {
                        throw bad(text, "an array index is a number from 0, not \"" + index + "\"");
                    }
                    steps.add(Integer.parseInt(index));
                    i = close + 1;
                }
                expectKey = false;
            } else if (c == '.') {
                if (expectKey) {
                    throw bad(text, "empty key");
                }
                expectKey = true;
                i++;
            } else if (!expectKey) {
                throw bad(text, "expected . or [ at position " + (i + 1));
            } else if (c == '"') {
                StringBuilder key = new StringBuilder();
                i = quoted(text, i, key);
                steps.add(key.toString());
                expectKey = false;
            } else {
                int end = i;
                while (end < n && ".[\"".indexOf(text.charAt(end)) < 0) {
                    end++;
                }
                steps.add(text.substring(i, end));
                i = end;
                expectKey = false;
            }
        }
        if (steps.isEmpty() || expectKey) {
            throw bad(text, steps.isEmpty() ? "the path is empty" : "the path ends with a dot");
        }
        return new JsonPath(steps);
    }

    /** Reads a double-quoted key starting at {@code at}; returns the index after the closing quote. */
    private static int quoted(String text, int at, StringBuilder key) {
        int i = at + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                key.append(text.charAt(i + 1));
                i += 2;
            } else if (c == '"') {
                return i + 1;
            } else {
                key.append(c);
                i++;
            }
        }
        throw bad(text, "unclosed quote");
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("Invalid JSON path \"" + text + "\": " + why + ". "
                + "Write keys separated by dots and array indexes in brackets: a.b[0].c.");
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Object step : steps) {
            if (step instanceof Integer index) {
                b.append('[').append(index).append(']');
            } else {
                String key = (String) step;
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(key.matches("[^.\\[\\]\"]+") ? key
                        : "\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
            }
        }
        return b.toString();
    }
}
