package dev.jfdw.connectors.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ColumnWriterTest {
    @Test
    void booleansAsBoolinReadsThem() {
        Map<String, Boolean> cases = Map.ofEntries(Map.entry("t", true), Map.entry("TRUE", true),
                Map.entry(" yes ", true), Map.entry("y", true), Map.entry("on", true), Map.entry("1", true),
                Map.entry("f", false), Map.entry("fal", false), Map.entry("no", false), Map.entry("off", false),
                Map.entry("of", false), Map.entry("0", false));
        cases.forEach((text, value) -> assertEquals(value, ColumnWriter.parseBoolean(text), text));
        for (String bad : new String[] {"", "o", "maybe", "truee", "2", "10", "onn"}) {
            assertNull(ColumnWriter.parseBoolean(bad), bad);
        }
    }

    @Test
    void aNumberIsNonZeroByItsDigitsNotItsExponent() {
        for (String zero : new String[] {"0", "-0.000", "0e-400", "000.000E+5", ".0"}) {
            assertEquals(false, ColumnWriter.nonZero(zero), zero);
        }
        for (String zero : new String[] {"0x0p99", "-0X.000", "0x0"}) {
            assertEquals(false, ColumnWriter.nonZero(zero), zero);
        }
        for (String nonZero : new String[] {"1e-400", "-0.0001e-400", "0.(400 zeros)1".replace("(400 zeros)",
                "0".repeat(400)), "5", "0x1p-1075", "0x.00ep-2000", "0xe"}) {
            assertEquals(true, ColumnWriter.nonZero(nonZero), nonZero);
        }
    }

    @Test
    void arraysBecomePostgresArrayLiterals() {
        assertEquals("{1,2,NULL}", PgArrays.literal("[1, 2, null]", false));
        assertEquals("{{1,2},{3}}", PgArrays.literal("[[1, 2], [3]]", false));
        assertEquals("{\"a\",\"b\\\"c\",\"d\\\\e\",\"NULL\"}", PgArrays.literal("[\"a\", \"b\\\"c\", \"d\\\\e\", \"NULL\"]", false));
        // an object as written, its spaces and digits kept
        assertEquals("{\"{\\\"k\\\": [1.10]}\"}", PgArrays.literal("[{\"k\": [1.10]}]", false));
        // elements of json[]: JSON values, a list among them too
        assertEquals("{\"\\\"a\\\"\",\"[2]\",NULL,\"1.50\"}", PgArrays.literal("[\"a\", [2], null, 1.50]", true));
    }

    @Test
    void inferenceNamesTablesAndCountsDigits() {
        assertEquals("events", Inference.tableName(java.nio.file.Path.of("/x/events.ndjson.gz")));
        assertEquals("a.b", Inference.tableName(java.nio.file.Path.of("/x/a.b.jsonl")));
        assertEquals("data", Inference.tableName(java.nio.file.Path.of("/x/data")));
        assertEquals(3, Inference.significantDigits("-0.00123e10"));
        assertEquals(17, Inference.significantDigits("0.12345678901234567"));
    }
}
