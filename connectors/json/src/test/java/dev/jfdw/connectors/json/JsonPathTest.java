package dev.jfdw.connectors.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonPathTest {
    @Test
    void keysIndexesAndQuotedKeys() {
        assertEquals(List.of("a", "b", 0, "c"), JsonPath.parse("a.b[0].c").steps());
        assertEquals(List.of("a", "b"), JsonPath.parse("$.a.b").steps());
        assertEquals(List.of(2, "x"), JsonPath.parse("$[2].x").steps());
        assertEquals(List.of("a.b", "c\"d", "e"), JsonPath.parse("\"a.b\".\"c\\\"d\"[\"e\"]").steps());
        assertEquals(List.of("with space", 10), JsonPath.parse("with space[10]").steps());
        assertEquals(List.of(0, 1), JsonPath.parse("[0][1]").steps());
    }

    @Test
    void printsWhatItParses() {
        for (String path : List.of("a.b[0].c", "\"a.b\"[3]", "x")) {
            assertEquals(JsonPath.parse(path), JsonPath.parse(JsonPath.parse(path).toString()));
        }
    }

    @Test
    void rejectsMalformedPaths() {
        for (String bad : List.of("", "a.", ".a", "a..b", "a[", "a[x]", "a[-1]", "\"a", "a\"b\"", "a]b[0]x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonPath.parse(bad), bad);
            assertEquals(true, e.getMessage().startsWith("Invalid JSON path"), e.getMessage());
        }
    }
}
