package dev.jfdw.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfdw.testkit.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.util.PSQLException;

/**
 * The JVM inside the backend: configuration that cannot work is refused with
 * a clear ERROR, never a crash (ClusterTest checks after every test that no
 * backend died and the postmaster is the same); the backend's own stack
 * keeps working with the JVM up.
 */
class JvmIT extends ClusterTest {
    @BeforeEach
    void tables() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "generator");
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS jvm_gen (id int8) SERVER generator OPTIONS (rows '3')");
        }
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "jfdw.libjvm_path  | /nonexistent/libjvm.so | does not exist",
            "jfdw.libjvm_path  | relative/libjvm.so     | must be an absolute path",
            "jfdw.jvm_options  | Xmx64m                 | does not start with \"-\"",
            "jfdw.jvm_options  | -Xss1m                 | is set by jfdw and cannot be changed",
            "jfdw.jvm_options  | -Djava.class.path=/tmp | is set by jfdw and cannot be changed",
            // each of these restarted the cluster: signals back to the JVM, an abort on a Java exception
            "jfdw.jvm_options  | -XX:-ReduceSignalUsage | is set by jfdw and cannot be changed",
            "jfdw.jvm_options  | -XX:+UnlockDiagnosticVMOptions | is set by jfdw and cannot be changed",
            "jfdw.jvm_options  | -XX:AbortVMOnException=java.lang.NullPointerException | is set by jfdw and cannot be changed",
            "jfdw.jvm_options  | -XX:VMOptionsFile=/tmp/options | is set by jfdw and cannot be changed",
            // PostgreSQL's SIGFPE handler on Java's frames; HotSpot's guard pages on the backend's stack
            "jfdw.jvm_options  | -XX:+AllowUserSignalHandlers | is set by jfdw and cannot be changed",
            "jfdw.jvm_options  | -XX:StackShadowPages=1 | is set by jfdw and cannot be changed",
            "jfdw.connector_path | relative/dir         | is not an absolute path"})
    void badSettingsAreRefusedWhenSet(String parameter, String value, String reason) throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.status(c); // loads jfdw, which defines and checks its settings
            PSQLException e = Sql.expectError(c, "22023", "SET " + parameter + " = '" + value + "'");
            assertTrue(e.getServerErrorMessage().getMessage().contains("invalid value for parameter"),
                    e.getServerErrorMessage().getMessage());
            assertTrue(e.getServerErrorMessage().getDetail().contains(reason), e.getServerErrorMessage().getDetail());
            assertEquals("3", Sql.value(c, "SELECT count(*) FROM jvm_gen"));
        }
    }

    @Test
    void aBadSettingMadeBeforeJfdwLoadsIsReportedAndIgnored() throws Exception {
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            s.execute("SET jfdw.libjvm_path = '/nonexistent/libjvm.so'");
            s.execute("SELECT count(*) FROM jvm_gen");
            SQLWarning w = s.getWarnings();
            assertNotNull(w, "PostgreSQL warns when jfdw loads and finds the placeholder invalid");
            assertTrue(w.getMessage().contains("invalid value for parameter \"jfdw.libjvm_path\""), w.getMessage());
            assertEquals("3", Sql.value(c, "SELECT count(*) FROM jvm_gen"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "-Xmx1k                        | Too small maximum heap",
            "-XX:+NoSuchOptionForJfdwTests | Unrecognized VM option",
            "-XX:+UseG1GC -XX:+UseParallelGC | Multiple garbage collectors selected"})
    void badJvmOptionsAreAnErrorAndTheSessionCanRetry(String options, String javaSays) throws Exception {
        try (Connection c = cluster.connect()) {
            assertEquals("{\"jvm\": \"not started\"}", Fixtures.status(c));
            Sql.execute(c, "SET jfdw.jvm_options = '" + options + "'");
            PSQLException e = Sql.expectError(c, "22023", "SELECT count(*) FROM jvm_gen");
            assertTrue(e.getServerErrorMessage().getMessage().startsWith("invalid jfdw.jvm_options"),
                    e.getServerErrorMessage().getMessage());
            assertTrue(e.getServerErrorMessage().getDetail().contains(javaSays), e.getServerErrorMessage().getDetail());
            // nothing was created yet, so the same session can fix the setting and go on
            Sql.execute(c, "RESET jfdw.jvm_options");
            assertEquals("3", Sql.value(c, "SELECT count(*) FROM jvm_gen"));
        }
    }

    /** jfdw.jvm_options is superuser-only (a -D option may hold a password): so is its value in the error. */
    @Test
    void badJvmOptionsAreShownOnlyToSuperusers() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "DO $$ BEGIN CREATE ROLE jvm_user; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
                    "GRANT SELECT ON jvm_gen TO jvm_user",
                    "SET jfdw.jvm_options = '-Dsecret=hunter2hunter2 -XX:+NoSuchOptionForJfdwTests'",
                    "SET ROLE jvm_user");
            PSQLException e = Sql.expectError(c, "22023", "SELECT count(*) FROM jvm_gen");
            assertEquals("invalid jfdw.jvm_options: a JVM does not start with them",
                    e.getServerErrorMessage().getMessage());
            assertEquals(null, e.getServerErrorMessage().getDetail());
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
            Sql.execute(c, "RESET ROLE");
            PSQLException again = Sql.expectError(c, "22023", "SELECT count(*) FROM jvm_gen");
            assertTrue(again.getServerErrorMessage().getDetail().contains("-Dsecret=hunter2hunter2"),
                    again.getServerErrorMessage().getDetail());
            Sql.execute(c, "RESET jfdw.jvm_options");
            assertEquals("3", Sql.value(c, "SELECT count(*) FROM jvm_gen"));
        }
    }

    @Test
    void goodJvmOptionsAreUsed() throws Exception {
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "SET jfdw.jvm_options = '-Xmx96m'");
            assertEquals("3", Sql.value(c, "SELECT count(*) FROM jvm_gen"));
            String status = Fixtures.status(c);
            long max = Long.parseLong(status.replaceAll(".*\"heap_max_bytes\": (\\d+).*", "$1"));
            assertTrue(max > 64L << 20 && max <= 96L << 20, "the heap is bounded by -Xmx96m: " + status);
        }
        // an initial heap of one's own replaces jfdw's maximum too, which it would exceed
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "SET jfdw.jvm_options = '-Xms128m'");
            assertEquals("3", Sql.value(c, "SELECT count(*) FROM jvm_gen"));
            String status = Fixtures.status(c);
            long max = Long.parseLong(status.replaceAll(".*\"heap_max_bytes\": (\\d+).*", "$1"));
            assertTrue(max >= 128L << 20, "the heap may grow past -Xms128m: " + status);
        }
    }

    /**
     * A JDK tree whose release file says {@code version} and whose libjvm's
     * JNI_CreateJavaVM fails with JNI_ERR, built here with gcc (which
     * {@code ./jfdw test} installs with the server headers).
     */
    private Path fakeJdk(String version) throws Exception {
        Path home = cluster.newFileDirectory("fake-jdk");
        Path server = Files.createDirectories(home.resolve("lib/server"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        Path source = Files.writeString(home.resolve("fake.c"),
                "int JNI_CreateJavaVM(void **vm, void **env, void *args) { return -1; }\n");
        Path libjvm = server.resolve("libjvm.so");
        Process cc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", libjvm.toString(), source.toString())
                .redirectErrorStream(true).start();
        String output = new String(cc.getInputStream().readAllBytes());
        assertEquals(0, cc.waitFor(), output);
        return libjvm;
    }

    @Test
    void aJdkOlderThan22IsRefusedBeforeAJvmIsCreated() throws Exception {
        Path libjvm = fakeJdk("17.0.12");
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "SET jfdw.libjvm_path = '" + libjvm + "'");
            PSQLException e = Sql.expectError(c, "F0000", "SELECT count(*) FROM jvm_gen");
            assertEquals("\"" + libjvm + "\" is the libjvm of JDK 17, and jfdw needs JDK 22 or newer",
                    e.getServerErrorMessage().getMessage());
            // nothing was created: the session can still start the right one
            Sql.execute(c, "RESET jfdw.libjvm_path");
            assertEquals("3", Sql.value(c, "SELECT count(*) FROM jvm_gen"));
        }
    }

    @Test
    void aJvmThatFailedToStartIsReportedOnEveryLaterUse() throws Exception {
        Path libjvm = fakeJdk("25");
        String cause = "JNI_CreateJavaVM failed with code -1; see the server log";
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "SET jfdw.libjvm_path = '" + libjvm + "'");
            PSQLException first = Sql.expectError(c, "58000", "SELECT count(*) FROM jvm_gen");
            assertEquals("could not start the JVM for jfdw: " + cause, first.getServerErrorMessage().getMessage());
            // a process cannot create a second JVM: every later use says why, whatever the settings now
            Sql.execute(c, "RESET jfdw.libjvm_path");
            for (int i = 0; i < 2; i++) {
                PSQLException later = Sql.expectError(c, "58000", "SELECT count(*) FROM jvm_gen");
                assertEquals("the JVM of this session failed to start earlier", later.getServerErrorMessage().getMessage());
                assertEquals(cause, later.getServerErrorMessage().getDetail());
                assertTrue(later.getServerErrorMessage().getHint().contains("Start a new session"),
                        later.getServerErrorMessage().getHint());
            }
            assertEquals("{\"jvm\": \"failed\"}", Sql.value(c, "SELECT jfdw.status()"));
            assertEquals("1", Sql.value(c, "SELECT 1"));
        }
        try (Connection c = cluster.connect()) {
            assertEquals("3", Sql.value(c, "SELECT count(*) FROM jvm_gen"));
        }
    }

    @Test
    void aLibraryThatIsNotAJvmIsAnError() throws Exception {
        Path notAJvm = List.of(Path.of("/usr/lib/x86_64-linux-gnu/libm.so.6"), Path.of("/lib/x86_64-linux-gnu/libm.so.6"),
                Path.of("/usr/lib/aarch64-linux-gnu/libm.so.6")).stream().filter(Files::exists).findFirst().orElseThrow();
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "SET jfdw.libjvm_path = '" + notAJvm + "'");
            PSQLException e = Sql.expectError(c, "F0000", "SELECT count(*) FROM jvm_gen");
            assertTrue(e.getServerErrorMessage().getMessage().contains("is not a libjvm"),
                    e.getServerErrorMessage().getMessage());
            Sql.execute(c, "RESET jfdw.libjvm_path");
            assertEquals("3", Sql.value(c, "SELECT count(*) FROM jvm_gen"));
        }
    }

    @Test
    void deepRecursionInSqlWithTheJvmUpIsAnErrorNotACrash() throws Exception {
        try (Connection c = cluster.connect()) {
            assertEquals("3", Sql.value(c, "SELECT count(*) FROM jvm_gen"));
            // as deep as PostgreSQL allows: HotSpot's guard pages must lie beyond it
            String depth = null;
            for (String candidate : List.of("65024kB", "31744kB", "15872kB", "7680kB", "3584kB", "2048kB")) {
                try {
                    Sql.execute(c, "SET max_stack_depth = '" + candidate + "'");
                    depth = candidate;
                    break;
                } catch (SQLException e) {
                    // beyond this backend's stack rlimit: try a smaller one
                }
            }
            assertNotNull(depth);
            Sql.execute(c, "CREATE OR REPLACE FUNCTION jvm_recurse(n int) RETURNS int LANGUAGE plpgsql "
                    + "AS $$ BEGIN RETURN jvm_recurse(n + 1); END $$");
            PSQLException e = Sql.expectError(c, "54001", "SELECT jvm_recurse(1)");
            assertTrue(e.getServerErrorMessage().getMessage().contains("stack depth limit exceeded"));
            // recursion that goes through a foreign scan at every level
            Sql.execute(c, "CREATE OR REPLACE FUNCTION jvm_recurse_scan(n int) RETURNS int8 LANGUAGE plpgsql "
                    + "AS $$ BEGIN RETURN (SELECT sum(id) FROM jvm_gen) + jvm_recurse_scan(n + 1); END $$");
            Sql.expectError(c, "54001", "SELECT jvm_recurse_scan(1)");
            // recursion through Java at every level: the scan computes its qual's value, calling the function
            Fixtures.server(c, "numbers");
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS jvm_numbers (id int8) SERVER numbers OPTIONS (count '3')",
                    "CREATE OR REPLACE FUNCTION jvm_nest(n int) RETURNS int8 STABLE LANGUAGE plpgsql AS $$ BEGIN "
                            + "IF n = 0 THEN RETURN 1; END IF; "
                            + "RETURN (SELECT id FROM jvm_numbers WHERE id = jvm_nest(n - 1)); END $$",
                    "SET plan_cache_mode = force_generic_plan");
            assertEquals("1", Sql.value(c, "SELECT jvm_nest(100)"), "no nesting limit of jfdw's own");
            e = Sql.expectError(c, "54001", "SELECT jvm_nest(-1)");
            assertTrue(e.getServerErrorMessage().getMessage().contains("stack depth limit exceeded"));
            Sql.execute(c, "RESET plan_cache_mode");
            assertEquals("3", Sql.value(c, "SELECT count(*) FROM jvm_gen"));
        }
    }

    @Test
    void statusReportsTheJvmWithoutStartingIt() throws Exception {
        try (Connection c = cluster.connect()) {
            assertEquals("{\"jvm\": \"not started\"}", Fixtures.status(c));
            assertEquals("{\"jvm\": \"not started\"}", Fixtures.status(c));
            Sql.value(c, "SELECT count(*) FROM jvm_gen");
            String status = Fixtures.status(c);
            assertTrue(status.contains("\"jvm\": \"running\"") && status.contains("\"connectors_loaded\": [\"generator\"]")
                    && status.contains("\"live_scans\": 0"), status);
        }
    }

    /**
     * C calls Java through JNI, which needs nothing linked, until a backend
     * has made enough upcalls for the FFM upcall stub's cheaper calls to pay
     * for linking it; rows are the same either way.
     */
    @Test
    void upcallsGoThroughJniUntilTheFfmStubPaysForItself() throws Exception {
        String perRow = "SELECT count(*), sum(id) FROM jvm_gen_per_row";
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS jvm_gen_per_row (id int8) SERVER generator "
                    + "OPTIONS (rows '5000', batch_size '1')");
            assertEquals(List.of(List.of("5000", "12502500")), Sql.rows(c, perRow));
            String status = Fixtures.status(c);
            assertTrue(status.contains("\"entry\": \"jni\"") && status.contains("\"upcall_link\": 0.0"), status);
        }
        try (Connection c = cluster.connect()) {
            Sql.execute(c, "SET jfdw.jvm_options = '-Djfdw.upcallStubAfter=1000'");
            assertEquals(List.of(List.of("5000", "12502500")), Sql.rows(c, perRow));
            String status = Fixtures.status(c);
            assertTrue(status.contains("\"entry\": \"ffm\", \"through_jni\": 1000,")
                    && !status.contains("\"upcall_link\": 0.0"), status);
            assertEquals(List.of(List.of("5000", "12502500")), Sql.rows(c, perRow));
            assertTrue(Fixtures.status(c).contains("\"through_jni\": 1000,"), Fixtures.status(c));
        }
    }

    @Test
    void logsReachTheClientAndTheServerLog() throws Exception {
        long mark = cluster.logMark();
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            Fixtures.server(c, "logging");
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS jvm_logging (id int8) SERVER logging");
            s.execute("SET client_min_messages = debug5");
            s.execute("SELECT * FROM jvm_logging");
            List<String> received = new java.util.ArrayList<>();
            for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                var m = ((org.postgresql.util.PSQLWarning) w).getServerErrorMessage();
                if (m.getMessage().matches("[A-Z0-9]+ from java")) {
                    received.add(m.getSeverity() + ": " + m.getMessage());
                }
            }
            // each level as PostgreSQL's own (elog's DEBUGn arrive as DEBUG)
            assertEquals(List.of("DEBUG: DEBUG5 from java", "DEBUG: DEBUG4 from java", "DEBUG: DEBUG3 from java",
                    "DEBUG: DEBUG2 from java", "DEBUG: DEBUG1 from java", "LOG: LOG from java", "INFO: INFO from java",
                    "NOTICE: NOTICE from java", "WARNING: WARNING from java"), received);
            s.execute("RESET client_min_messages");
        }
        String log = cluster.logSince(mark);
        for (String line : List.of("LOG:  LOG from java", "WARNING:  WARNING from java",
                "LOG:  Java stdout: stdout line from java", "LOG:  Java stderr: stderr line from java",
                "stdout line from a connector's thread", "INFO jfdw.test: system logger line from java",
                // a logged exception keeps its stack trace, as java.util.logging's would
                "WARNING jfdw.test: system logger exception from java\n"
                        + "\tjava.lang.IllegalStateException: logged, not thrown\n\t\tat ",
                "//dev.jfdw.tests.connectors.LoggingConnector.lambda$openScan$")) {
            assertTrue(log.contains(line), "server log has \"" + line + "\":\n" + log);
        }
    }

    /**
     * Each connector JAR has a class loader of its own that sees the JDK and
     * the jfdw API, not the API's internal package, the runtime, nor the
     * libraries other connectors bring (Jackson, Arrow, installed beside
     * it); while it runs, it is the thread's context class loader.
     */
    @Test
    void aConnectorSeesTheJdkAndTheApiOnly() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "classes");
            Sql.execute(c, "CREATE FOREIGN TABLE IF NOT EXISTS jvm_classes (name text, visible bool) SERVER classes");
            assertEquals(List.of(List.of("java.lang.String", "t"), List.of("dev.jfdw.api.Connector", "t"),
                            List.of("dev.jfdw.api.internal.Backend", "f"), List.of("dev.jfdw.runtime.Connectors", "f"),
                            List.of("com.fasterxml.jackson.core.JsonFactory", "f"),
                            List.of("org.apache.arrow.vector.VectorSchemaRoot", "f"),
                            List.of("context class loader", "t")),
                    Sql.rows(c, "SELECT name, visible FROM jvm_classes"));
            // which are there: the JSON and Arrow connectors load in this cluster
            assertEquals("t", Sql.value(c, "SELECT count(*) > 0 FROM jfdw.options('json')"));
            assertEquals("t", Sql.value(c, "SELECT count(*) > 0 FROM jfdw.options('arrow')"));
        }
    }
}
