package dev.jfdw.tests;

import static dev.jfdw.testkit.Sql.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfdw.testkit.Sql;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Errors in both directions: Java exceptions become ERRORs with the SQLSTATE
 * the connector chose (XX000 otherwise), PostgreSQL errors raised under Java
 * reach the client unchanged, and after every error the session goes on and
 * no scan is left open.
 */
class ErrorsIT extends ClusterTest {
    @BeforeEach
    void servers() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "faulty");
            Fixtures.server(c, "generator");
        }
    }

    /** A table of the faulty connector; its name says how it fails. */
    private static String faulty(Connection c, String failIn, String error) throws Exception {
        String name = "f_" + failIn + "_" + error;
        Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS " + name + " (id int8, v int4) SERVER faulty OPTIONS ("
                + "fail_in '" + failIn + "', error '" + error + "', sqlstate 'JF001')");
        return name;
    }

    /** The query that reaches the callback. */
    private static String queryReaching(String failIn, String table) {
        return switch (failIn) {
            case "explain" -> "EXPLAIN SELECT * FROM " + table;
            case "rescan" -> "SELECT (SELECT count(*) FROM " + table + " f WHERE f.id <= g.x) "
                    + "FROM generate_series(1, 3) g(x)";
            default -> "SELECT * FROM " + table;
        };
    }

    private static void assertSessionUsable(Connection c) throws Exception {
        assertEquals("1", Sql.value(c, "SELECT 1"));
        assertEquals(0, Fixtures.liveScans(c), "no jfdw scan is left after the failed query");
        assertEquals(0, Fixtures.watchedContexts(c), "no query context is still watched");
        String explain = String.join("\n", Sql.rows(c, "EXPLAIN SELECT * FROM f_never_fdw").stream()
                .map(List::getFirst).toList());
        assertTrue(explain.contains("Open Scans: 1"), "every connector scan was closed:\n" + explain);
    }

    @ParameterizedTest(name = "in {0}")
    @ValueSource(strings = {"plan", "begin", "iterate", "rescan", "end", "explain"})
    void javaExceptionInEachCallbackBecomesAnErrorWithItsSqlState(String failIn) throws Exception {
        try (Connection c = cluster.connect()) {
            faulty(c, "never", "fdw");
            String table = faulty(c, failIn, "fdw");
            PSQLException e = Sql.expectError(c, "JF001", queryReaching(failIn, table));
            ServerErrorMessage m = e.getServerErrorMessage();
            assertEquals("faulty connector failed in " + failIn, m.getMessage());
            assertEquals("detail from " + failIn, m.getDetail());
            assertEquals("hint from " + failIn, m.getHint());
            assertTrue(m.getWhere().contains("jfdw connector \"faulty\""), m.getWhere());
            assertSessionUsable(c);
        }
    }

    /** An error cannot carry a success, warning or no-data SQLSTATE, which clients would not take for one. */
    @ParameterizedTest
    @ValueSource(strings = {"00000", "01000", "02000"})
    void anErrorWithANonErrorSqlStateIsXX000(String sqlState) throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS f_state_" + sqlState + " (id int8, v int4) SERVER faulty "
                    + "OPTIONS (fail_in 'iterate', error 'fdw', sqlstate '" + sqlState + "')");
            PSQLException e = Sql.expectError(c, "XX000", "SELECT * FROM f_state_" + sqlState);
            assertEquals("faulty connector failed in iterate", e.getServerErrorMessage().getMessage());
            assertSessionUsable(c);
        }
    }

    /**
     * System.exit would end the backend without PostgreSQL's cleanup, and
     * the postmaster would restart the cluster: the session ends with a
     * FATAL instead, which names the call and where it came from, and the
     * other sessions never notice (ClusterTest checks the postmaster and
     * the server log).
     */
    @Test
    void systemExitInAConnectorEndsItsSessionAlone() throws Exception {
        try (Connection other = cluster.connect()) {
            faulty(other, "never", "fdw");
            try (Connection c = cluster.connect()) {
                String table = faulty(c, "iterate", "exit");
                PSQLException e = Sql.expectError(c, "XX000", "SELECT * FROM " + table);
                ServerErrorMessage m = e.getServerErrorMessage();
                assertEquals("terminating connection because Java code called Runtime.exit(3)", m.getMessage());
                assertTrue(m.getDetail().contains("dev.jfdw.tests.connectors.FaultyConnector.maybeFail"), m.getDetail());
                assertTrue(m.getHint().contains("throws an exception"), m.getHint());
                assertFalse(c.isValid(5), "the session has ended");
            }
            assertEquals(row("3", "6"), Sql.rows(other, "SELECT count(*), sum(id) FROM f_never_fdw").getFirst());
        }
    }

    /**
     * From a thread of the connector's own, System.exit cannot end the
     * session there and then: the backend is told to terminate, as
     * pg_terminate_backend does, and the calling thread never returns (so
     * the JVM does not exit); the server log says who called it.
     */
    @Test
    void systemExitFromAConnectorsThreadTerminatesItsSession() throws Exception {
        long mark = cluster.logMark();
        try (Connection c = cluster.connect()) {
            String table = faulty(c, "iterate", "exit_thread");
            PSQLException e = Sql.expectError(c, "57P01", "SELECT * FROM " + table);
            assertEquals("terminating connection due to administrator command", e.getServerErrorMessage().getMessage());
            assertFalse(c.isValid(5), "the session has ended");
        }
        String log = cluster.logSince(mark);
        assertTrue(log.contains("thread \"jfdw-test-exiting-thread\" called Runtime.exit(4): the session is terminated")
                && log.contains("FaultyConnector.lambda"), log);
    }

    @Test
    void validatorErrorsAreTheConnectorsOwn() throws Exception {
        try (Connection c = cluster.connect()) {
            PSQLException e = Sql.expectError(c, "HV024",
                    "CREATE FOREIGN TABLE f_bad_option (id int8) SERVER faulty OPTIONS (fail_validate 'x')");
            assertEquals("invalid value for option \"fail_validate\": \"x\"", e.getServerErrorMessage().getMessage());
            assertEquals("This option is never valid.", e.getServerErrorMessage().getDetail());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "npe, XX000, java.lang.NullPointerException",
            "runtime, XX000, java.lang.IllegalStateException: faulty connector failed in iterate",
            "soe, 54001, stack depth limit exceeded in Java code",
            "oom, 53200, out of memory in jfdw's JVM"})
    void unexpectedJavaFailuresBecomeErrorsAndTheSessionGoesOn(String error, String sqlState, String message)
            throws Exception {
        try (Connection c = cluster.connect()) {
            faulty(c, "never", "fdw");
            String table = faulty(c, "iterate", error);
            PSQLException e = Sql.expectError(c, sqlState, "SELECT * FROM " + table);
            assertTrue(e.getServerErrorMessage().getMessage().startsWith(message), e.getServerErrorMessage().getMessage());
            if (sqlState.equals("XX000")) {
                assertTrue(e.getServerErrorMessage().getDetail().contains("dev.jfdw.tests.connectors.FaultyConnector.maybeFail"),
                        "the stack trace is in DETAIL: " + e.getServerErrorMessage().getDetail());
            }
            assertSessionUsable(c);
            // the JVM is still fine for the next query
            assertEquals(row("3", "6"), Sql.rows(c, "SELECT count(*), sum(id) FROM f_never_fdw").getFirst());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pg", "pg_swallowed", "pg_wrapped"})
    void postgresErrorUnderJavaReachesTheClientUnchanged(String error) throws Exception {
        try (Connection c = cluster.connect()) {
            faulty(c, "never", "fdw");
            String table = faulty(c, "iterate", error);
            PSQLException own = Sql.expectError(c, "22P02", "SELECT 'abc'::int4");
            PSQLException e = Sql.expectError(c, "22P02", "SELECT * FROM " + table);
            assertEquals(own.getServerErrorMessage().getMessage(), e.getServerErrorMessage().getMessage());
            assertTrue(e.getServerErrorMessage().getWhere().contains("column \"v\""), e.getServerErrorMessage().getWhere());
            assertSessionUsable(c);
        }
    }

    /**
     * A Postgres error raised under an inner scan and caught by PL/pgSQL,
     * in a function an outer scan calls (for its qual's value), is handled:
     * it must neither surface when the outer scan's upcall returns nor make
     * PostgreSQL refuse the outer connector's calls.
     */
    @Test
    void anErrorPlpgsqlCaughtUnderAnotherScanStaysCaught() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "numbers");
            faulty(c, "never", "fdw");
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS caught_outer (id int8) SERVER numbers OPTIONS (count '5')");
            String inner = faulty(c, "iterate", "pg");
            Sql.execute(c, "CREATE OR REPLACE FUNCTION caught_two() RETURNS int8 STABLE LANGUAGE plpgsql AS $$ "
                    + "BEGIN BEGIN PERFORM count(*) FROM " + inner + "; "
                    + "EXCEPTION WHEN invalid_text_representation THEN NULL; END; RETURN 2; END $$");
            assertEquals("2", Sql.value(c, "SELECT caught_two()"));
            assertTrue(Sql.rows(c, "EXPLAIN SELECT id FROM caught_outer WHERE id = caught_two()").toString()
                    .contains("Pushed Down"), "the outer scan evaluates the function itself");
            assertEquals(List.of(row("2")), Sql.rows(c, "SELECT id FROM caught_outer WHERE id = caught_two()"));
            // at each rescan of a parameterized scan
            Sql.execute(c, "SET enable_hashjoin = off; SET enable_mergejoin = off; SET enable_material = off");
            assertEquals(List.of(row("3", "12")), Sql.rows(c, "SELECT count(*), sum(i.id) FROM generate_series(1, 3) g(x) "
                    + "JOIN caught_outer i ON i.id = caught_two() + g.x"));
            Sql.execute(c, "RESET enable_hashjoin; RESET enable_mergejoin; RESET enable_material");
            assertSessionUsable(c);
        }
    }

    /** What PostgreSQL says of the same bad value in plain SQL, DETAIL and HINT included, reaches the client. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"json, abc", "date, 13/25/2020"})
    void postgresErrorKeepsItsDetailAndHint(String type, String value) throws Exception {
        try (Connection c = cluster.connect()) {
            faulty(c, "never", "fdw");
            String table = "f_pg_" + type;
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS " + table + " (id int8, bad " + type + ") SERVER faulty "
                    + "OPTIONS (fail_in 'iterate', error 'pg', bad_value '" + value + "')");
            ServerErrorMessage own;
            try (var st = c.createStatement()) {
                st.execute("SELECT '" + value + "'::" + type);
                throw new AssertionError(value + " is a valid " + type);
            } catch (PSQLException e) {
                own = e.getServerErrorMessage();
            }
            assertTrue(own.getDetail() != null || own.getHint() != null, "the error has a detail or a hint");
            ServerErrorMessage m = Sql.expectError(c, own.getSQLState(), "SELECT * FROM " + table)
                    .getServerErrorMessage();
            assertEquals(own.getMessage(), m.getMessage());
            assertEquals(own.getDetail(), m.getDetail());
            assertEquals(own.getHint(), m.getHint());
            assertTrue(m.getWhere().contains("column \"bad\""), m.getWhere());
            assertSessionUsable(c);
        }
    }

    /**
     * PostgreSQL's own error, not a Java exception made of it: its message
     * alone, and raised where PostgreSQL raised it (a Java exception would be
     * "PgException: ..." raised by the glue).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plan", "begin", "rescan", "end", "explain"})
    void postgresErrorInEachCallbackIsPostgresOwn(String failIn) throws Exception {
        try (Connection c = cluster.connect()) {
            faulty(c, "never", "fdw");
            String table = faulty(c, failIn, "pg");
            ServerErrorMessage m = Sql.expectError(c, "XX000", queryReaching(failIn, table)).getServerErrorMessage();
            assertEquals("cache lookup failed for foreign server 0", m.getMessage());
            assertEquals("foreign.c", m.getFile());
            assertEquals("GetForeignServerExtended", m.getRoutine());
            assertSessionUsable(c);
        }
    }

    /**
     * Caught outside the subtransaction, or (wrongly) inside it: either way
     * the subtransaction is rolled back, inSubtransaction throws the error,
     * and the connector catching that carries on safely.
     */
    @ParameterizedTest
    @ValueSource(strings = {"pg_subxact", "pg_subxact_swallowed"})
    void postgresErrorCaughtInASubtransactionLetsTheQuerySucceed(String kind) throws Exception {
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            String table = faulty(c, "iterate", kind);
            List<List<String>> rows = Sql.rows(c, "SELECT id, v FROM " + table + " ORDER BY id");
            assertEquals(List.of(row("1", "10"), row("2", "-1"), row("3", "30")), rows);
            s.execute("SELECT count(*) FROM " + table);
            SQLWarning w = s.getWarnings();
            assertNotNull(w, "the connector's NOTICE arrives");
            assertTrue(w.getMessage().contains("caught 22P02"), w.getMessage());
        }
    }

    /**
     * A statement timeout raised inside a subtransaction (a domain's CHECK
     * sleeping) is not the connector's to swallow, as it is not PL/pgSQL's:
     * it is a QueryCanceledException, not a PgException, so a connector's
     * catch of PostgreSQL's errors lets it through; a connector catching it
     * anyway would carry on, but its next call into PostgreSQL is refused and
     * the statement ends with 57014 instead of returning rows.
     */
    @ParameterizedTest
    @ValueSource(strings = {"pg_subxact", "pg_subxact_catch_all"})
    void aCancelCaughtInASubtransactionStillEndsTheStatement(String kind) throws Exception {
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            faulty(c, "never", "fdw");
            Sql.execute(c, "CREATE OR REPLACE FUNCTION e_slow_check(text) RETURNS boolean LANGUAGE sql "
                            + "AS 'SELECT pg_sleep(5) IS NOT NULL'",
                    "DROP FOREIGN TABLE IF EXISTS e_cancel_swallowed",
                    "DROP DOMAIN IF EXISTS e_slow_text",
                    "CREATE DOMAIN e_slow_text AS text CHECK (e_slow_check(VALUE))",
                    "CREATE FOREIGN TABLE e_cancel_swallowed (id int8, v int4, bad e_slow_text) SERVER faulty "
                            + "OPTIONS (fail_in 'iterate', error '" + kind + "', bad_value 'x')");
            s.execute("SET statement_timeout = '300ms'");
            long mark = cluster.logMark();
            PSQLException e = assertThrows(PSQLException.class, () -> s.executeQuery(
                    "SELECT * FROM e_cancel_swallowed").close());
            assertEquals("57014", e.getSQLState(), e.getMessage());
            String where = e.getServerErrorMessage().getWhere();
            // raised where the domain's CHECK ran, converting the value in the connector's subtransaction
            assertTrue(where != null && where.contains("column \"bad\""), "the timeout ended the sleep: " + where);
            assertTrue(where.contains("jfdw connector \"faulty\", IterateForeignScan"), where);
            assertEquals(null, s.getWarnings(), "the connector's NOTICE that it caught the error was refused");
            // what the connector's catch saw: a catch of PgException (pg_subxact) nothing, a catch-all the cancel
            String log = cluster.logSince(mark);
            assertEquals(kind.equals("pg_subxact_catch_all"),
                    log.contains("faulty connector caught QueryCanceledException: canceling statement due to statement timeout"),
                    log);
            assertFalse(log.contains("faulty connector caught 57014"), log);
            s.execute("RESET statement_timeout");
            assertSessionUsable(c);
        }
    }

    @Test
    void optionValidationIsPostgresFdwStyle() throws Exception {
        try (Connection c = cluster.connect()) {
            PSQLException unknown = Sql.expectError(c, "HV00D",
                    "CREATE FOREIGN TABLE e_unknown (id int8) SERVER generator OPTIONS (rows '1', rowz '2')");
            assertEquals("invalid option \"rowz\"", unknown.getServerErrorMessage().getMessage());
            assertEquals("Valid options in this context are: batch_size, columnar, null_every, rows.",
                    unknown.getServerErrorMessage().getHint());

            PSQLException bad = Sql.expectError(c, "HV024",
                    "CREATE FOREIGN TABLE e_bad (id int8) SERVER generator OPTIONS (rows 'many')");
            assertEquals("invalid value for option \"rows\": \"many\"", bad.getServerErrorMessage().getMessage());

            PSQLException missing = Sql.expectError(c, "HV002",
                    "CREATE FOREIGN TABLE e_missing (id int8) SERVER generator");
            assertEquals("option \"rows\" is required", missing.getServerErrorMessage().getMessage());

            PSQLException misplaced = Sql.expectError(c, "HV00D",
                    "CREATE SERVER e_server FOREIGN DATA WRAPPER generator OPTIONS (rows '5')");
            assertTrue(misplaced.getServerErrorMessage().getHint().startsWith(
                    "Option \"rows\" belongs on the foreign table."), misplaced.getServerErrorMessage().getHint());

            PSQLException column = Sql.expectError(c, "HV00D",
                    "CREATE FOREIGN TABLE e_column (id int8 OPTIONS (rows '1')) SERVER generator OPTIONS (rows '1')");
            assertEquals("invalid option \"rows\"", column.getServerErrorMessage().getMessage());

            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS e_alter (id int8) SERVER generator OPTIONS (rows '1')");
            Sql.expectError(c, "HV002", "ALTER FOREIGN TABLE e_alter OPTIONS (DROP rows)");
            Sql.expectError(c, "HV024", "ALTER FOREIGN TABLE e_alter OPTIONS (SET rows '-1')");
            assertEquals("1", Sql.value(c, "SELECT count(*) FROM e_alter"));
        }
    }

    /**
     * Everything the extension makes belongs to it: DROP EXTENSION names the
     * wrappers built on it, CASCADE drops them all, the schema included, and
     * the extension can be made again; a dump restores the wrappers.
     */
    @Test
    void theExtensionOwnsWhatItMakes() throws Exception {
        String db = "ext_" + System.nanoTime();
        String restored = db + "_restored";
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "CREATE DATABASE " + db, "CREATE DATABASE " + restored);
        }
        String url = cluster.jdbcUrl().substring(0, cluster.jdbcUrl().lastIndexOf('/') + 1);
        try (Connection c = java.sql.DriverManager.getConnection(url + db, "postgres", "")) {
            Sql.execute(c, "CREATE EXTENSION jfdw",
                    "SELECT jfdw.create_wrapper('generator')",
                    "SELECT jfdw.create_wrapper('generator', 'generator_too')", // shares the functions
                    "CREATE SERVER g2 FOREIGN DATA WRAPPER generator_too",
                    "CREATE FOREIGN TABLE t (id int8) SERVER g2 OPTIONS (rows '3')");
            assertEquals("6", Sql.value(c, "SELECT sum(id) FROM t"));

            Process dump = new ProcessBuilder(cluster.binDirectory().resolve("pg_dump").toString(),
                    "-h", "127.0.0.1", "-p", Integer.toString(cluster.port()), "-U", "postgres", "-d", db)
                    .redirectErrorStream(true).start();
            byte[] script = dump.getInputStream().readAllBytes();
            assertEquals(0, dump.waitFor(), new String(script));
            Process restore = new ProcessBuilder(cluster.binDirectory().resolve("psql").toString(), "-X", "-q",
                    "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", Integer.toString(cluster.port()),
                    "-U", "postgres", "-d", restored).redirectErrorStream(true).start();
            restore.getOutputStream().write(script);
            restore.getOutputStream().close();
            String out = new String(restore.getInputStream().readAllBytes());
            assertEquals(0, restore.waitFor(), out);

            PSQLException e = Sql.expectError(c, "2BP01", "DROP EXTENSION jfdw");
            assertTrue(e.getServerErrorMessage().getDetail().contains("foreign table t depends on server g2"),
                    e.getServerErrorMessage().getDetail());
            Sql.execute(c, "DROP EXTENSION jfdw CASCADE");
            assertEquals("0", Sql.value(c, "SELECT count(*) FROM pg_namespace WHERE nspname = 'jfdw'"));
            assertEquals("0", Sql.value(c, "SELECT count(*) FROM pg_proc WHERE prosrc = 'jfdw_handler'"));
            assertEquals("0", Sql.value(c, "SELECT count(*) FROM pg_foreign_data_wrapper"));
            Sql.execute(c, "CREATE EXTENSION jfdw", "SELECT jfdw.create_wrapper('generator')");
        }
        try (Connection c = java.sql.DriverManager.getConnection(url + restored, "postgres", "")) {
            assertEquals("6", Sql.value(c, "SELECT sum(id) FROM t"));
        } finally {
            try (Connection c = cluster.connect()) {
                Sql.execute(c, "DROP DATABASE " + db + " WITH (FORCE)", "DROP DATABASE " + restored + " WITH (FORCE)");
            }
        }
    }

    @Test
    void unknownConnectorIsReportedWithWhatWasSearched() throws Exception {
        try (Connection c = cluster.connect()) {
            PSQLException e = Sql.expectError(c, "42704", "SELECT jfdw.create_wrapper('nosuch')");
            assertEquals("jfdw connector \"nosuch\" not found", e.getServerErrorMessage().getMessage());
            assertTrue(e.getServerErrorMessage().getDetail().contains("generator"), e.getServerErrorMessage().getDetail());
            assertEquals("0", Sql.value(c, "SELECT count(*) FROM pg_proc WHERE proname = 'nosuch_handler'"),
                    "create_wrapper left nothing behind");
            Sql.expectError(c, "22023", "SELECT jfdw.create_wrapper('Bad-Name')");
        }
    }

    /**
     * A JAR on the connector path that cannot load (its services file names a
     * class it lacks) is passed over with a WARNING: the connectors of the
     * other JARs still work, and a connector not found says what failed.
     * Named to be tried first when looking for the generator.
     */
    @Test
    void aBrokenConnectorJarDoesNotHideTheOthers() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS e_gen3 (id int8) SERVER generator OPTIONS (rows '3')");
        }
        Path jar = cluster.connectorDirectory().resolve("generator-old.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/services/dev.jfdw.api.Connector"));
            out.write("com.example.MissingConnector\n".getBytes(StandardCharsets.UTF_8));
        }
        String warning = "jfdw could not load the connectors of " + jar + ": ";
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT sum(id) FROM e_gen3"); // a new session: it looks for the generator
            List<String> notices = Sql.notices(s);
            assertEquals(1, notices.size(), notices.toString());
            assertTrue(notices.getFirst().startsWith(warning)
                    && notices.getFirst().contains("com.example.MissingConnector not found"), notices.getFirst());
            PSQLException e = Sql.expectError(c, "42704", "SELECT jfdw.create_wrapper('nosuch')");
            assertTrue(e.getServerErrorMessage().getDetail().contains("Could not load " + jar + ": "),
                    e.getServerErrorMessage().getDetail());
        } finally {
            Files.delete(jar);
        }
    }
}
