package dev.jfdw.connectors.json;

import static dev.jfdw.testkit.Sql.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jfdw.testkit.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every type the JSON connector converts: each JSON value must give the
 * same value as the SQL literal next to it, cast by PostgreSQL itself.
 */
class JsonTypesIT extends JsonClusterTest {
    /**
     * A column of {@code type} read from records {"v": json}; each must equal
     * the SQL expression beside it (NULL for a JSON null or a missing key).
     */
    private void check(String type, String... jsonAndSql) throws Exception {
        StringBuilder lines = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < jsonAndSql.length; i += 2) {
            String json = jsonAndSql[i];
            lines.append(json == null ? "{\"other\": 1}" : "{\"n\": " + i / 2 + ", \"v\": " + json + "}").append('\n');
            expected.add(jsonAndSql[i + 1]);
        }
        Path f = file("values.ndjson", lines.toString());
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "SET TimeZone = 'America/New_York'", "SET DateStyle = 'ISO, YMD'",
                    "SET IntervalStyle = 'postgres'", "SET extra_float_digits = 1");
            table(c, "typed", "v " + type, f);
            List<List<String>> actual = Sql.rows(c, "SELECT v::text FROM typed");
            for (int i = 0; i < expected.size(); i++) {
                String sql = expected.get(i);
                String want = Sql.value(c, "SELECT (" + sql + ")::" + type + "::text");
                assertEquals(want, actual.get(i).getFirst(), type + " from " + jsonAndSql[2 * i]);
            }
            assertEquals(expected.size(), actual.size());
        }
    }

    @Test
    void integers() throws Exception {
        check("int2", "32767", "32767", "-32768", "-32768", "\" 12 \"", "12", "null", "NULL", null, "NULL");
        check("int4", "2147483647", "2147483647", "-2147483648", "-2147483648", "\"-7\"", "-7");
        check("int8", "9223372036854775807", "9223372036854775807", "-9223372036854775808", "-9223372036854775808",
                "\"+42\"", "42", "0", "0");
    }

    @Test
    void floats() throws Exception {
        check("float4", "1.5", "1.5", "3.4028235e38", "'3.4028235e38'", "0.1", "'0.1'", "\"NaN\"", "'NaN'",
                "\"-Infinity\"", "'-Infinity'", "-0.0", "'-0'", "1e-45", "'1e-45'",
                // strings as float4in reads them, through strtod: hexadecimal, and its NaN forms
                "\"0x1.000001p0\"", "'0x1.000001p0'", "\"0x1.0000011p0\"", "'0x1.0000011p0'",
                "\"0x1.8p-150\"", "'0x1.8p-150'", "\"-NaN(1)\"", "'-NaN(1)'");
        check("float8", "2.718281828459045", "2.718281828459045", "1e308", "'1e308'", "4.9e-324", "'4.9e-324'",
                "\"Infinity\"", "'Infinity'", "\" 0.25 \"", "0.25", "123456789012345678901234567890",
                "'123456789012345678901234567890'",
                "\"0x10\"", "'0x10'", "\" -0X1.8P+1 \"", "'-0X1.8P+1'", "\"0x.e\"", "'0x.e'",
                "\"0x1p-1074\"", "'0x1p-1074'", "\"0x1.fffffffffffffp1023\"", "'0x1.fffffffffffffp1023'",
                "\"+nan\"", "'+nan'", "\"nan()\"", "'nan()'");
    }

    @Test
    void numericKeepsEveryDigit() throws Exception {
        check("numeric",
                "12345678901234567890.123456789012345678901234567890",
                "12345678901234567890.123456789012345678901234567890",
                "1e-20", "1e-20", "-0.000", "-0.000", "1E+400", "1e400",
                "\"3.14159265358979323846264338327950288\"", "3.14159265358979323846264338327950288",
                "\"NaN\"", "'NaN'", "\"-Infinity\"", "'-Infinity'", "100", "100");
        check("numeric(5,2)", "3.14159", "3.14159", "-999.994", "-999.994");
        // short numbers, read without a BigDecimal: their digits and scale exactly, and the column's rounding
        check("numeric", "0", "0", "-0", "0", "-12.50", "-12.50", "0.05", "0.05", "123456789012345678",
                "123456789012345678", "-1234567890123456789", "-1234567890123456789", "0.000000000000000001",
                "0.000000000000000001", "7", "7");
        check("numeric(7,2)", "99999.99", "99999.99", "1.005", "1.005", "-3", "-3", "12.3", "12.3");
    }

    @Test
    void text() throws Exception {
        check("text",
                "\"h\\u00e9llo \\\"w\\u00f6rld\\\" \\\\ \\/ \\b\\f\\n\\r\\t\"",
                "E'h\\u00e9llo \"w\\u00f6rld\" \\\\ / \\b\\f\\n\\r\\t'",
                "\"\\ud83d\\ude00 and 😀 and 中文\"", "'😀 and 😀 and 中文'",
                "1.50", "'1.50'", "true", "'true'", "\"\"", "''",
                "{\"a\": [1, 2]}", "'{\"a\": [1, 2]}'");
        check("varchar(3)", "\"abc\"", "'abc'", "\"ab   \"", "'ab   '");
        check("char(3)", "\"ab\"", "'ab'");
    }

    @Test
    void booleans() throws Exception {
        check("bool", "true", "true", "false", "false", "\"yes\"", "true", "\"off\"", "false", "\"t\"", "true",
                "1", "true", "\"0\"", "false");
    }

    @Test
    void datesAndTimes() throws Exception {
        check("date", "\"2024-02-29\"", "'2024-02-29'", "\"0001-01-01\"", "'0001-01-01'", "\"infinity\"", "'infinity'",
                "\"January 8, 1999\"", "'January 8, 1999'", "\"4714-11-24 BC\"", "'4714-11-24 BC'");
        check("time", "\"23:59:59.999999\"", "'23:59:59.999999'", "\"04:05 PM\"", "'04:05 PM'");
        check("timestamp", "\"2024-05-01T12:30:00.123456\"", "'2024-05-01 12:30:00.123456'",
                "\"2024-05-01 12:30\"", "'2024-05-01 12:30'", "\"2024-05-01T12:30:00+05:00\"", "'2024-05-01 12:30:00'",
                "\"-infinity\"", "'-infinity'", "\"2024-05-01T12:30:00.1234567\"", "'2024-05-01 12:30:00.1234567'");
        check("timestamptz", "\"2024-05-01T12:30:00.5+02:00\"", "'2024-05-01 12:30:00.5+02'",
                "\"2024-05-01T10:00:00Z\"", "'2024-05-01 10:00:00Z'", "\"2024-05-01t10:00:00-0330\"",
                "'2024-05-01 10:00:00-03:30'", "\"2024-05-01 10:00:00\"", "'2024-05-01 10:00:00'",
                "\"2024-05-01T10:00:00.1234567Z\"", "'2024-05-01 10:00:00.1234567Z'", "\"infinity\"", "'infinity'",
                "\"2024-07-01T00:00:00Z\"", "'2024-07-01 00:00:00+00'");
        check("timestamp(0)", "\"2024-05-01T12:30:00.6\"", "'2024-05-01 12:30:00.6'");
        check("interval", "\"1 year 2 mons 3 days 04:05:06\"", "'1 year 2 mons 3 days 04:05:06'",
                "\"P1Y2M3DT4H5M6S\"", "'P1Y2M3DT4H5M6S'");
    }

    @Test
    void otherBuiltInTypes() throws Exception {
        check("uuid", "\"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11\"", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'");
        check("bytea", "\"\\\\x0102ff\"", "'\\x0102ff'");
        check("inet", "\"192.168.0.1/24\"", "'192.168.0.1/24'");
        // through each type's input function, from strings, and from numbers and booleans as written
        check("timetz", "\"12:34:56.789+02\"", "'12:34:56.789+02'");
        check("money", "\"$1,234.50\"", "'1234.50'", "12.5", "12.5");
        check("bit(3)", "\"101\"", "B'101'");
        check("varbit", "\"10110\"", "B'10110'");
        check("cidr", "\"10.1.0.0/16\"", "'10.1.0.0/16'");
        check("macaddr", "\"08:00:2b:01:02:03\"", "'08:00:2b:01:02:03'");
        check("point", "\"(1.5,2)\"", "'(1.5,2)'");
        check("tsvector", "\"a fat cat\"", "'a fat cat'");
        check("int4range", "\"[1,10)\"", "'[1,10)'");
        check("char", "\"x\"", "'x'", "7", "'7'");
        check("oid", "4294967295", "4294967295");
    }

    @Test
    void jsonColumnsGetTheValueAsWritten() throws Exception {
        // json keeps the text exactly (spaces, key order, duplicate keys, escapes, 2.50)
        String object = "{\"b\": [1, 2.50, \"x\\u0041\"],   \"a\": null, \"a\": 1}";
        check("json", object, "'" + object + "'", "12.50", "'12.50'", "\"a\\u00e9\"", "'\"a\\u00e9\"'",
                "[]", "'[]'", "null", "NULL", "\"\\u0000\"", "'\"\\u0000\"'");
        check("jsonb", object, "'" + object + "'", "123456789012345678901234567890.5",
                "'123456789012345678901234567890.5'", "\"x\"", "'\"x\"'", "false", "'false'",
                // an escaped backslash before u0000 is no \u0000 escape; nesting deeper than Jackson's default 1000
                "{\"a\": \"\\\\u0000\"}", "'{\"a\": \"\\\\u0000\"}'",
                "[".repeat(2000) + "]".repeat(2000), "'" + "[".repeat(2000) + "]".repeat(2000) + "'");
    }

    /** PostgreSQL's input functions skip ASCII white space around a value, and no other. */
    @Test
    void onlyAsciiWhiteSpaceAroundNumbersAndBooleans() throws Exception {
        Path f = file("spaces.ndjson", "{\"i\": \"\\t42\\n\", \"f\": \" 1.5\\r\", \"b\": \"\\f yes \"}\n");
        try (Connection c = cluster.connect()) {
            table(c, "spaces", "i int4, f float8, b bool", f);
            assertEquals(List.of(List.of("42", "1.5", "t")), Sql.rows(c, "SELECT * FROM spaces"));
            for (String[] column : new String[][] {{"int4", "\"42\\u2003\""}, {"float8", "\"\\u00a01.5\""},
                    {"numeric", "\"\\u001c1.5\""}, {"bool", "\"true\\u3000\""}}) {
                Path g = file("unicode_space.ndjson", "{\"v\": " + column[1] + "}\n");
                table(c, "unicode_space", "v " + column[0], g);
                Sql.expectError(c, "22P02", "SELECT * FROM unicode_space");
            }
        }
    }

    @Test
    void arraysEnumsAndDomains() throws Exception {
        check("int[]", "[1, 2, null]", "'{1,2,NULL}'", "[[1, 2], [3, 4]]", "'{{1,2},{3,4}}'", "[]", "'{}'",
                "\"{5,6}\"", "'{5,6}'");
        check("text[]", "[\"a\", \"b\\\"c\", \"d\\\\e\", null, \"NULL\"]", "ARRAY['a', 'b\"c', 'd\\e', NULL, 'NULL']");
        // an object element is its text as written, as a text column gets it: no digit rounded, 1e400 a number
        check("text[]", "[{\"p\": 1.10, \"x\": 0.1000000000000000055511151231257827, \"y\": 1e400}, 2]",
                "ARRAY['{\"p\": 1.10, \"x\": 0.1000000000000000055511151231257827, \"y\": 1e400}', '2']");
        check("jsonb[]", "[\"a\", {\"b\": 1}, [2, 3], null]", "ARRAY['\"a\"', '{\"b\": 1}', '[2, 3]', NULL]::jsonb[]");
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DROP TYPE IF EXISTS mood CASCADE", "CREATE TYPE mood AS ENUM ('sad', 'happy')",
                    "DROP DOMAIN IF EXISTS small_positive CASCADE",
                    "CREATE DOMAIN small_positive AS int CHECK (VALUE BETWEEN 1 AND 9)");
        }
        check("mood", "\"happy\"", "'happy'");
        check("small_positive", "5", "5", "\"7\"", "7");
        // a domain over jsonb or an array reads what its base type reads: a string is JSON, a list an array
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DROP DOMAIN IF EXISTS doc CASCADE", "CREATE DOMAIN doc AS jsonb",
                    "DROP DOMAIN IF EXISTS pair CASCADE", "CREATE DOMAIN pair AS int[] CHECK (cardinality(VALUE) = 2)");
        }
        check("doc", "\"123\"", "'\"123\"'", "{\"a\": [1]}", "'{\"a\": [1]}'");
        check("pair", "[1, 2]", "'{1,2}'");
    }

    /**
     * Any key is a key, an escaped NUL too, wherever it stands in the record
     * (the parser is told which key to expect at each position); a path may
     * name any array index, however far: NULL when the array is shorter.
     */
    @Test
    void anyKeyAndAnyArrayIndex() throws Exception {
        String eight = "\"k0\": 0, \"k1\": 1, \"k2\": 2, \"k3\": 3, \"k4\": 4, \"k5\": 5, \"k6\": 6, \"k7\": 7";
        Path f = file("keys.ndjson", "{" + eight + ", \"\\u0000\": 1, \"v\": 8}\n"
                + "{\"\\u0000\": 1, \"v\": 9, " + eight + "}\n"
                + "{" + eight + ", \"\\u0000\": 1, \"v\": 10}\n");
        try (Connection c = cluster.connect()) {
            table(c, "keyed", "k7 int4, v int4", f);
            assertEquals(List.of(row("7", "8"), row("7", "9"), row("7", "10")), Sql.rows(c, "SELECT * FROM keyed"));
            Path arrays = file("arrays.ndjson", "{\"a\": [10, 11, 12]}\n{\"a\": []}\n");
            table(c, "far", "a1 int4 OPTIONS (path 'a[1]'), far int4 OPTIONS (path 'a[999999999]'), "
                    + "near int4 OPTIONS (path 'a[2]')", arrays);
            assertEquals(List.of(row("11", null, "12"), row(null, null, null)), Sql.rows(c, "SELECT * FROM far"));
            assertEquals(List.of(row("1")), Sql.rows(c, "SELECT count(*) FROM far WHERE far IS NULL AND a1 = 11"));
        }
    }

    @Test
    void nestedValuesByPathAndRenamedKeys() throws Exception {
        Path f = file("nested.ndjson", """
                {"id": 1, "a": {"b": [{"c": 10}, {"c": 11, "d": "x"}]}, "weird key.with dots": "w", "Name": "n1"}
                {"id": 2, "a": {"b": []}, "Name": "n2"}
                {"id": 3, "a": [1], "weird key.with dots": null}
                {"id": 4, "a": {"b": "not an array"}}
                """);
        try (Connection c = cluster.connect()) {
            table(c, "nested", "id int8, c0 int8 OPTIONS (path 'a.b[0].c'), c1 int8 OPTIONS (path '$.a.b[1].c'), "
                    + "d text OPTIONS (path 'a.b[1].d'), b jsonb OPTIONS (path 'a.b'), "
                    + "a json OPTIONS (key 'a'), w text OPTIONS (path '\"weird key.with dots\"'), "
                    + "name text OPTIONS (key 'Name')", f);
            // inside a value a column takes whole, a json column still gets its text as written
            Path exact = file("exact.ndjson", "{\"a\": {\"k\": \"caf\\u00e9\\/\"}}\n");
            table(c, "exact", "a jsonb, k json OPTIONS (path 'a.k')", exact);
            assertEquals("\"caf\\u00e9\\/\"", Sql.value(c, "SELECT k::text FROM exact"));
            assertEquals(List.of(
                    row("1", "10", "11", "x", "[{\"c\": 10}, {\"c\": 11, \"d\": \"x\"}]",
                            "{\"b\": [{\"c\": 10}, {\"c\": 11, \"d\": \"x\"}]}", "w", "n1"),
                    row("2", null, null, null, "[]", "{\"b\": []}", null, "n2"),
                    row("3", null, null, null, null, "[1]", null, null),
                    row("4", null, null, null, "\"not an array\"", "{\"b\": \"not an array\"}", null, null)),
                    Sql.rows(c, "SELECT * FROM nested ORDER BY id"));
        }
    }
}
