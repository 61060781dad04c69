package dev.jfdw.tests;

import dev.jfdw.testkit.Sql;
import java.sql.Connection;
import java.sql.SQLException;

/** Wrappers and servers shared by the tests, created once per cluster. */
final class Fixtures {
    private Fixtures() {}

    /** Creates the wrapper of {@code connector} and a server named after it, unless they exist. */
    static void server(Connection c, String connector) throws SQLException {
        Sql.execute(c, """
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_foreign_data_wrapper WHERE fdwname = '%1$s') THEN
                    PERFORM jfdw.create_wrapper('%1$s');
                  END IF;
                  IF NOT EXISTS (SELECT FROM pg_foreign_server WHERE srvname = '%1$s') THEN
                    CREATE SERVER %1$s FOREIGN DATA WRAPPER %1$s;
                  END IF;
                END $$""".formatted(connector));
    }

    /** JSON of jfdw.status() in this session. */
    static String status(Connection c) throws SQLException {
        return Sql.value(c, "SELECT jfdw.status()::text");
    }

    static long liveScans(Connection c) throws SQLException {
        return statusCount(c, "live_scans");
    }

    /** Memory contexts whose reset the runtime waits for (a query's, while its scans run). */
    static long watchedContexts(Connection c) throws SQLException {
        return statusCount(c, "watched_contexts");
    }

    private static long statusCount(Connection c, String key) throws SQLException {
        String s = status(c);
        int at = s.indexOf("\"" + key + "\": ");
        if (at < 0) {
            // no JVM in this session, nothing of its own; any other status must say how many
            org.junit.jupiter.api.Assertions.assertEquals("{\"jvm\": \"not started\"}", s);
            return 0;
        }
        return Long.parseLong(s.substring(at + key.length() + 4, s.indexOf(',', at)).strip());
    }
}
