package dev.jfdw.connectors.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Taking a string's bytes must not change what the parser reads: the
 * value's text, asked for afterwards in any of Jackson's ways, and every
 * token after it. Values cross the parser's buffer boundary, hold escapes
 * and non-ASCII characters, and are taken or not at random.
 */
class PlainStringParserTest {
    @Test
    void takenStringsReadTheSameAsDecodedOnes() throws Exception {
        Random random = new Random(7);
        List<String> values = new ArrayList<>();
        StringBuilder json = new StringBuilder();
        String[] pieces = {"plain", " text ", "é", "\\\"", "\\n", "\\u00e9", "~\u007f", "日本", "0123456789"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder escaped = new StringBuilder();
            for (int k = random.nextInt(6); k > 0; k--) {
                escaped.append(pieces[random.nextInt(pieces.length)]);
            }
            String text = escaped.toString().replace("\\\"", "\"").replace("\\n", "\n").replace("\\u00e9", "é");
            values.add(text);
            json.append("{\"id\": ").append(i).append(", \"s\": \"").append(escaped).append("\", \"n\": [true]}\n");
        }
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        int taken = 0;
        try (PlainStringParser p = (PlainStringParser) JsonReader.FACTORY.createParser(new ByteArrayInputStream(bytes))) {
            for (int i = 0; i < values.size(); i++) {
                String expected = values.get(i);
                assertEquals(JsonToken.START_OBJECT, p.nextToken());
                assertEquals("id", p.nextFieldName());
                assertEquals(JsonToken.VALUE_NUMBER_INT, p.nextToken());
                assertEquals(i, p.getIntValue());
                assertEquals("s", p.nextFieldName());
                assertEquals(JsonToken.VALUE_STRING, p.nextToken());
                boolean plain = expected.chars().allMatch(ch -> ch >= 0x20 && ch <= 0x7f);
                if (random.nextBoolean() && p.plainString()) {
                    taken++;
                    assertTrue(plain, expected);
                    assertFalse(p.plainString(), "taken once");
                    String bytesTaken = new String(p.buffer(), p.plainStart(), p.plainEnd() - p.plainStart(),
                            StandardCharsets.US_ASCII);
                    assertEquals(expected, bytesTaken);
                }
                switch (random.nextInt(4)) {
                    case 0 -> assertEquals(expected, p.getText());
                    case 1 -> assertEquals(expected, new String(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()));
                    case 2 -> assertEquals(expected, p.getValueAsString());
                    default -> { } // not asked for: the next token skips it
                }
                assertEquals("n", p.nextFieldName());
                assertEquals(JsonToken.START_ARRAY, p.nextToken());
                assertEquals(JsonToken.VALUE_TRUE, p.nextToken());
                assertEquals(JsonToken.END_ARRAY, p.nextToken());
                assertEquals(JsonToken.END_OBJECT, p.nextToken());
            }
            assertEquals(null, p.nextToken());
        }
        assertTrue(taken > 2_000, "the fast path was taken " + taken + " times");
    }
}
