package dev.jfdw.connectors.json;

import static dev.jfdw.testkit.Sql.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfdw.testkit.Sql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the JSON connector does itself: the quals it tests while reading,
 * the columns it converts, the limit it stops at. Every result is checked
 * against the same rows copied into a heap table, where PostgreSQL does
 * all the work.
 */
class JsonPushdownIT extends JsonClusterTest {
    private static final String COLUMNS = "id int8, name text, score float8, flag bool, ts timestamptz, amount numeric";

    @BeforeEach
    void tables() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 1000; i++) {
            b.append("{\"id\": ").append(i);
            if (i % 10 != 0) {
                b.append(", \"name\": \"name ").append(i).append('"');
            }
            b.append(", \"score\": ").append(i % 7 == 0 ? "null" : Double.toString(i / 4.0));
            b.append(", \"flag\": ").append(i % 2 == 0);
            b.append(", \"ts\": \"2000-01-01T00:").append(String.format("%02d:%02d", i / 60 % 60, i % 60)).append("Z\"");
            b.append(", \"amount\": ").append(i).append(".50");
            b.append(", \"bad\": \"not a number\"}\n");
        }
        try (Connection c = cluster.connect()) {
            table(c, "pd", COLUMNS + ", bad int8", file("pd.ndjson", b.toString()));
            Sql.execute(c, "DROP TABLE IF EXISTS pd_heap", "CREATE TABLE pd_heap AS SELECT " + "id, name, score, flag, "
                    + "ts, amount FROM pd");
        }
    }

    private static long count(String plan, String property) {
        Matcher m = Pattern.compile(property + ": (\\d+)").matcher(plan);
        assertTrue(m.find(), plan);
        return Long.parseLong(m.group(1));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"id = 42", "id IN (1, 500, 5000)", "id BETWEEN 10 AND 20", "id <> 5 AND id < 8",
            "name = 'name 77'", "name LIKE 'name 9_'", "name IS NULL", "name IS NOT NULL AND id < 15",
            "score > 200.5", "score IS NULL AND id < 50", "flag AND id < 10", "NOT flag AND id < 10",
            "name < 'name 2' COLLATE \"C\" AND id < 100", "amount = 7.5", "amount >= 999.5",
            "name ILIKE 'NAME 1%'", "name NOT ILIKE 'N%E 1%' AND id < 30"})
    void pushedQualsGiveTheSameRows(String where) throws Exception {
        try (Connection c = cluster.connect()) {
            String columns = "id, name, score, flag, ts, amount";
            assertEquals(Sql.rows(c, "SELECT " + columns + " FROM pd_heap WHERE " + where + " ORDER BY id"),
                    Sql.rows(c, "SELECT " + columns + " FROM pd WHERE " + where + " ORDER BY id"), where);
            String plan = Sql.plan(c, "ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF", "SELECT id FROM pd WHERE " + where);
            assertTrue(plan.contains("Pushed Down: "), plan);
            assertFalse(plan.contains("Filter: ("), plan);
            long matching = Sql.longValue(c, "SELECT count(*) FROM pd_heap WHERE " + where);
            assertEquals(1000 - matching, count(plan, "Rows Removed by Connector Filter"), plan);
        }
    }

    @ParameterizedTest(name = "{0}")
    // ILIKE under a collation that folds more than ASCII letters, as Java would not
    @ValueSource(strings = {"ts > '2000-01-01 00:10:00+00'", "name ILIKE 'NAME 1%' COLLATE \"und-x-icu\"",
            "score + 1 > 100"})
    void otherQualsStayWithPostgres(String where) throws Exception {
        try (Connection c = cluster.connect()) {
            assertEquals(Sql.rows(c, "SELECT id FROM pd_heap WHERE " + where + " ORDER BY id"),
                    Sql.rows(c, "SELECT id FROM pd WHERE " + where + " ORDER BY id"), where);
            String plan = Sql.plan(c, "COSTS OFF", "SELECT id FROM pd WHERE " + where);
            assertTrue(plan.contains("Filter: ("), plan);
            assertFalse(plan.contains("Pushed Down"), plan);
        }
    }

    /**
     * A repeated key's last value is the column's, as in jsonb, for the quals
     * too; null tests see values of every type. Each WHERE gives the rows
     * PostgreSQL finds evaluating it itself (above an OFFSET 0 fence).
     */
    @Test
    void repeatedKeysAndNullTestsGiveWhatPostgresFinds() throws Exception {
        java.nio.file.Path f = file("repeated.ndjson", """
                {"id": 1, "x": 1, "x": 2, "d": "2024-01-02"}
                {"id": 2, "x": null, "x": 5, "ts": "2024-01-02T03:04:05Z"}
                {"id": 3, "x": 5, "x": null, "d": null, "j": [1]}
                {"id": 4, "s": "a", "s": "b", "j": {"k": 1}}
                {"id": 5, "x": 1, "s": "read after all", "d": "2024-05-06", "x": 2}
                """);
        try (Connection c = cluster.connect()) {
            table(c, "repeated", "id int8, x int8, s text, d date, ts timestamptz, j jsonb", f);
            assertEquals(List.of(row("1", "2", null, "2024-01-02"), row("2", "5", null, null), row("3", null, null, null),
                    row("4", null, "b", null), row("5", "2", "read after all", "2024-05-06")),
                    Sql.rows(c, "SELECT id, x, s, d FROM repeated ORDER BY id"));
            for (String where : List.of("x = 2", "x = 1", "x = 5", "x IS NULL", "x IS NOT NULL", "s = 'b'", "s = 'a'",
                    "d IS NOT NULL", "d IS NULL", "ts IS NOT NULL", "ts IS NULL", "j IS NOT NULL", "j IS NULL")) {
                String pushed = Sql.plan(c, "VERBOSE", "SELECT id FROM repeated WHERE " + where);
                assertTrue(pushed.contains("Pushed Down: (" + where + ")"), pushed);
                String columns = "SELECT id, x, s, d, ts, j::text FROM ";
                assertEquals(Sql.rows(c, columns + "(SELECT * FROM repeated OFFSET 0) t WHERE " + where + " ORDER BY id"),
                        Sql.rows(c, columns + "repeated WHERE " + where + " ORDER BY id"), where);
            }
        }
    }

    /**
     * A repeated key whose earlier value held the columns a path reads: the
     * last value counts, whatever it is, as jsonb reads the same line.
     */
    @Test
    void aRepeatedParentKeyTakesWhatItsEarlierValueHeldWithIt() throws Exception {
        String lines = """
                {"id": 1, "o": {"b": 1}, "arr": [1, 2]}
                {"id": 2, "o": {"b": 1}, "o": 5}
                {"id": 3, "o": {"b": 1}, "o": {"c": 2}}
                {"id": 4, "o": {"b": 1}, "o": null}
                {"id": 5, "arr": [1, 2], "arr": [3]}
                {"id": 6, "o": {"b": 1, "c": 3}, "o": {"b": 7}}
                """;
        java.nio.file.Path f = file("parents.ndjson", lines);
        try (Connection c = cluster.connect()) {
            table(c, "parents", "id int8, b int8 OPTIONS (path 'o.b'), oc int8 OPTIONS (path 'o.c'), "
                    + "a1 int8 OPTIONS (path 'arr[1]'), o jsonb", f);
            Sql.execute(c, "CREATE TEMP TABLE parents_ref AS SELECT (d->>'id')::int8 AS id, (d #>> '{o,b}')::int8 AS b, "
                    + "(d #>> '{o,c}')::int8 AS oc, (d #>> '{arr,1}')::int8 AS a1, nullif(d->'o', 'null') AS o "
                    + "FROM (SELECT l::jsonb AS d FROM regexp_split_to_table($json$" + lines.strip()
                    + "$json$, '\n') l) x");
            String columns = "SELECT id, b, oc, a1, o::text FROM ";
            assertEquals(Sql.rows(c, columns + "parents_ref ORDER BY id"), Sql.rows(c, columns + "parents ORDER BY id"));
            for (String where : List.of("b = 1", "b IS NULL", "oc = 3", "oc IS NOT NULL", "a1 = 2", "a1 IS NULL")) {
                assertEquals(Sql.rows(c, columns + "parents_ref WHERE " + where + " ORDER BY id"),
                        Sql.rows(c, columns + "parents WHERE " + where + " ORDER BY id"), where);
            }
        }
    }

    /**
     * Pushed-down text constants in databases that are not UTF-8: in an
     * encoding Java knows (WIN866) and in one only the server can convert
     * (LATIN6); read as UTF-8, the constant matched nothing.
     */
    @Test
    void pushedDownTextMatchesInOtherServerEncodings() throws Exception {
        // shown: what EXPLAIN shows; with no Java charset for the encoding, messages keep to ASCII
        record Db(String encoding, String word, String other, String prefix, String shown) {}
        for (Db db : List.of(new Db("WIN866", "Привет", "мир", "П", "Привет"),
                new Db("LATIN6", "Þór", "Øystein", "Þ", "??r"),
                // 'ё' is 0xB8 and 'д' 0xE4 in WIN1251: under C, byte order, not code point order
                new Db("WIN1251", "ёлка", "дом", "ё", "ёлка"))) {
            String name = "enc_" + db.encoding().toLowerCase(java.util.Locale.ROOT);
            java.nio.file.Path f = file(name + ".ndjson", "{\"name\": \"" + db.word() + "\"}\n{\"name\": \""
                    + db.other() + "\"}\n");
            try (Connection c = cluster.connect()) {
                Sql.execute(c, "DROP DATABASE IF EXISTS " + name, "CREATE DATABASE " + name + " ENCODING '"
                        + db.encoding() + "' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
            }
            try (Connection c = DriverManager.getConnection(cluster.jdbcUrl().replaceAll("/postgres$", "/" + name),
                    "postgres", "")) {
                Sql.execute(c, "CREATE EXTENSION jfdw", "SELECT jfdw.create_wrapper('json')",
                        "CREATE SERVER json FOREIGN DATA WRAPPER json");
                table(c, "words", "name text", f);
                String pushed = Sql.plan(c, "VERBOSE", "SELECT * FROM words WHERE name = '" + db.word() + "'");
                assertTrue(pushed.contains("Pushed Down: (name = '" + db.shown() + "')"), pushed);
                assertEquals(row("1", "1", "1", db.word()), Sql.rows(c, "SELECT (SELECT count(*) FROM words WHERE name = '"
                        + db.word() + "'), (SELECT count(*) FROM words WHERE name <> '" + db.word() + "'), "
                        + "(SELECT count(*) FROM words WHERE name LIKE '" + db.prefix() + "%'), "
                        + "(SELECT name FROM words WHERE name = '" + db.word() + "')").getFirst(), db.encoding());
                // ranges as the database orders them: pushed down only where that is code point order
                Sql.execute(c, "CREATE TABLE words_heap AS SELECT * FROM words");
                for (String op : List.of("<", "<=", ">", ">=")) {
                    String where = " WHERE name " + op + " '" + db.other() + "'";
                    assertEquals(Sql.rows(c, "SELECT name FROM words_heap" + where + " ORDER BY name"),
                            Sql.rows(c, "SELECT name FROM words" + where + " ORDER BY name"), db.encoding() + where);
                }
            }
            try (Connection c = cluster.connect()) {
                Sql.execute(c, "DROP DATABASE " + name);
            }
        }
    }

    /**
     * SQL_ASCII text is bytes in no known encoding: a constant that is not
     * UTF-8 has no faithful Java string (0xE9 would read as U+FFFD and match
     * a U+FFFD in the file), so text quals stay with PostgreSQL there.
     */
    @Test
    void textQualsStayWithPostgresInSqlAscii() throws Exception {
        java.nio.file.Path f = file("sql_ascii.ndjson", "{\"name\": \"\\ufffd\"}\n{\"name\": \"plain\"}\n");
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DROP DATABASE IF EXISTS enc_sql_ascii",
                    "CREATE DATABASE enc_sql_ascii ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        }
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl().replaceAll("/postgres$", "/enc_sql_ascii"),
                "postgres", "")) {
            Sql.execute(c, "CREATE EXTENSION jfdw", "SELECT jfdw.create_wrapper('json')",
                    "CREATE SERVER json FOREIGN DATA WRAPPER json");
            table(c, "words", "name text", f);
            // (a plan showing E'\xe9' would not reach a UTF-8 client)
            for (String where : List.of("name = 'plain'", "name LIKE 'p%'", "name IN ('plain')", "name > 'a'")) {
                String plan = Sql.plan(c, "COSTS OFF", "SELECT * FROM words WHERE " + where);
                assertFalse(plan.contains("Pushed Down"), plan);
            }
            assertEquals("0", Sql.value(c, "SELECT count(*) FROM words WHERE name = E'\\xe9'"));
            assertEquals("1", Sql.value(c, "SELECT count(*) FROM words WHERE name = 'plain'"));
            assertEquals(List.of(row("t")), Sql.rows(c, "SELECT count(*) = 2 FROM words WHERE name IS NOT NULL"));
        }
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DROP DATABASE enc_sql_ascii WITH (FORCE)");
        }
    }

    @Test
    void onlyTheColumnsTheQueryUsesAreConverted() throws Exception {
        try (Connection c = cluster.connect()) {
            // every record's "bad" is not a bigint: only a query that reads it fails
            assertEquals(List.of(row("1000", "500500")), Sql.rows(c, "SELECT count(*), sum(id) FROM pd"));
            Sql.expectError(c, "22P02", "SELECT bad FROM pd");
            String plan = Sql.plan(c, "VERBOSE, COSTS OFF", "SELECT id FROM pd WHERE name = 'x'");
            assertTrue(plan.contains("Columns Read: id, name"), plan);
        }
    }

    @Test
    void aNestedLoopPassesTheOuterValueAsAParameter() throws Exception {
        try (Connection c = cluster.connect()) {
            // reading a file three times costs what reading it once and keeping the rows does not: without
            // Materialize, the planner takes the parameterized path, which rescans with each outer value
            Sql.execute(c, "SET enable_hashjoin = off", "SET enable_mergejoin = off", "SET enable_material = off",
                    "CREATE TEMP TABLE wanted AS SELECT * FROM (VALUES (3::int8), (500), (2000)) v(x)", "ANALYZE wanted");
            String query = "SELECT w.x, p.name FROM wanted w JOIN pd p ON p.id = w.x ORDER BY w.x";
            assertEquals(List.of(row("3", "name 3"), row("500", null)), Sql.rows(c, query));
            String plan = Sql.plan(c, "COSTS OFF", query);
            assertTrue(plan.matches("(?s).*Pushed Down: \\(id = \\$\\d+\\)(\\n.*)?"), plan);
        }
    }

    @Test
    void aPreparedStatementsParameterIsTestedAtEachExecution() throws Exception {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("prepareThreshold", "1");
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(), props)) {
            Sql.execute(c, "SET plan_cache_mode = force_generic_plan");
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pd WHERE score > ?")) {
                for (int i = 0; i < 12; i++) {
                    ps.setDouble(1, i * 20.0);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertEquals(Sql.longValue(c, "SELECT count(*) FROM pd_heap WHERE score > " + i * 20.0),
                                rs.getLong(1), "score > " + i * 20.0);
                    }
                }
            }
        }
    }
}
