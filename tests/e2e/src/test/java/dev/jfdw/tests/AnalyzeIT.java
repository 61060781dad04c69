package dev.jfdw.tests;

import static dev.jfdw.testkit.Sql.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfdw.testkit.Sql;
import java.sql.Connection;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * ANALYZE of jfdw foreign tables: every row read through the connector's
 * scan, a sample kept, and the planner's statistics made from it.
 */
class AnalyzeIT extends ClusterTest {
    /** The statistics ANALYZE makes of a column, but correlation (physical order means nothing here). */
    private static final String STATS = "SELECT attname, null_frac, avg_width, n_distinct, most_common_vals::text, "
            + "most_common_freqs::text, histogram_bounds::text FROM pg_stats WHERE schemaname = 'public' "
            + "AND tablename = '%s' AND NOT inherited ORDER BY attname";

    private static final String NUMBERS = "(n::int8) AS id, (n %% 7)::int4 AS grp, 'item-' || n AS label, "
            + "n %% 2 = 0 AS flag, CASE WHEN n %% 5 = 0 THEN NULL ELSE 'n' || n END AS note "
            + "FROM generate_series(1, %d) n";

    @Test
    void statisticsAreThoseOfAHeapTableWithTheSameRows() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "numbers");
            Sql.execute(c,
                    "CREATE FOREIGN TABLE an_nums (id int8, grp int4, label text, flag bool, note text) "
                            + "SERVER numbers OPTIONS (count '2000')",
                    "CREATE TABLE an_heap AS SELECT " + NUMBERS.formatted(2000),
                    "ANALYZE an_nums", "ANALYZE an_heap");
            // 2,000 rows: both samples hold every row, so the statistics are equal, not merely alike
            List<List<String>> heap = Sql.rows(c, STATS.formatted("an_heap"));
            assertEquals(5, heap.size());
            assertEquals(heap, Sql.rows(c, STATS.formatted("an_nums")));
            assertEquals(2000, Sql.longValue(c, "SELECT reltuples::int8 FROM pg_class WHERE relname = 'an_nums'"));
        }
    }

    private static long estimate(Connection c, String query) throws Exception {
        Matcher m = Pattern.compile("rows=(\\d+)").matcher(Sql.plan(c, "", query));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    @Test
    void estimatesFollowTheStatistics() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "numbers");
            Sql.execute(c, "CREATE FOREIGN TABLE an_est (id int8, grp int4, label text, flag bool, note text) "
                    + "SERVER numbers OPTIONS (count '7000')");
            // grp = 3 is left to PostgreSQL, which, with no statistics, guesses 0.5% of the rows
            String query = "SELECT * FROM an_est WHERE grp = 3";
            assertEquals(35, estimate(c, query));
            Sql.execute(c, "ANALYZE an_est");
            assertEquals(1000, estimate(c, query), 10.0);
        }
    }

    @Test
    void droppedColumnsAndQuotedNamesAreReadRight() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "numbers");
            Sql.execute(c,
                    "CREATE SCHEMA IF NOT EXISTS \"An Schema\"",
                    // the numbers connector leaves a column of a name it does not know NULL
                    "CREATE FOREIGN TABLE \"An Schema\".\"Odd Table\" (gone int4, grp int4, \"Odd \"\"Col\" text, "
                            + "id int8, note text) SERVER numbers OPTIONS (count '100')",
                    "ALTER FOREIGN TABLE \"An Schema\".\"Odd Table\" DROP COLUMN gone",
                    "ANALYZE \"An Schema\".\"Odd Table\"");
            assertEquals(List.of(row("Odd \"Col", "1", "0"), row("grp", "0", "7"), row("id", "0", "-1"),
                    row("note", "0.2", "-0.8")), Sql.rows(c, "SELECT attname, null_frac, n_distinct FROM pg_stats "
                    + "WHERE schemaname = 'An Schema' AND tablename = 'Odd Table' ORDER BY attname"));
        }
    }

    @Test
    void aConnectorMayRefuseToBeReadWhole() throws Exception {
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            Fixtures.server(c, "numbers");
            Sql.execute(c, "CREATE FOREIGN TABLE an_refused (id int8) SERVER numbers "
                    + "OPTIONS (count '10', analyzable 'false')");
            s.execute("ANALYZE an_refused");
            SQLWarning w = s.getWarnings();
            assertNotNull(w, "ANALYZE warns that it skips the table");
            assertEquals("skipping \"an_refused\" --- cannot analyze this foreign table", w.getMessage()
                    .replaceFirst("^WARNING: ", ""));
            assertEquals(-1, Sql.longValue(c, "SELECT reltuples::int8 FROM pg_class WHERE relname = 'an_refused'"));
            assertEquals(0, Sql.longValue(c, "SELECT count(*) FROM pg_stats WHERE tablename = 'an_refused'"));
        }
    }

    @Test
    void aFailingScanFailsAnalyzeAndTheSessionGoesOn() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "faulty");
            Sql.execute(c, "CREATE FOREIGN TABLE an_faulty (id int8, v int4) SERVER faulty "
                    + "OPTIONS (fail_in 'iterate', error 'fdw', sqlstate '22023')");
            PSQLException e = assertThrows(PSQLException.class, () -> Sql.execute(c, "ANALYZE an_faulty"));
            assertEquals("22023", e.getSQLState());
            assertEquals(0, Sql.longValue(c, "SELECT count(*) FROM pg_stats WHERE tablename = 'an_faulty'"));
            assertEquals(0, Fixtures.liveScans(c));
            assertEquals(1, Sql.longValue(c, "SELECT 1"));
        }
    }

    @Test
    void statementTimeoutStopsAnalyze() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "slow");
            Sql.execute(c, "CREATE FOREIGN TABLE an_slow (id int8) SERVER slow", "SET statement_timeout = '300ms'");
            PSQLException e = assertThrows(PSQLException.class, () -> Sql.execute(c, "ANALYZE an_slow"));
            assertEquals("57014", e.getSQLState());
            Sql.execute(c, "RESET statement_timeout");
            assertEquals(0, Fixtures.liveScans(c));
        }
    }

    @Test
    void aForeignPartitionIsSampledWithItsParent() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "numbers");
            Sql.execute(c,
                    "CREATE TABLE an_parts (id int8, grp int4, label text, flag bool, note text) PARTITION BY RANGE (id)",
                    "CREATE TABLE an_parts_local PARTITION OF an_parts FOR VALUES FROM (MINVALUE) TO (1)",
                    "INSERT INTO an_parts_local SELECT -id, grp + 10, label, flag, note FROM (SELECT "
                            + NUMBERS.formatted(500) + ") r",
                    "CREATE FOREIGN TABLE an_parts_remote PARTITION OF an_parts FOR VALUES FROM (1) TO (MAXVALUE) "
                            + "SERVER numbers OPTIONS (count '500')",
                    "ANALYZE an_parts");
            assertEquals(14, Sql.longValue(c, "SELECT n_distinct::int8 FROM pg_stats "
                    + "WHERE tablename = 'an_parts' AND attname = 'grp' AND inherited"));
        }
    }

    /**
     * ANALYZE of a partitioned table runs as its owner, who reads a foreign
     * partition of another owner only with SELECT on it: running the read as
     * the partition's owner would run the parent owner's code (a domain's
     * CHECK) with the partition owner's rights.
     */
    @Test
    void aForeignPartitionIsReadAsItsParentsOwner() throws Exception {
        try (Connection c = cluster.connect()) {
            Fixtures.server(c, "numbers");
            Sql.execute(c,
                    "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'an_parent_owner') THEN "
                            + "CREATE ROLE an_parent_owner; CREATE ROLE an_partition_owner; END IF; END $$",
                    "CREATE TABLE an_owned (id int8, grp int4) PARTITION BY RANGE (id)",
                    "CREATE FOREIGN TABLE an_owned_remote PARTITION OF an_owned FOR VALUES FROM (1) TO (MAXVALUE) "
                            + "SERVER numbers OPTIONS (count '70')",
                    "ALTER TABLE an_owned OWNER TO an_parent_owner",
                    "ALTER FOREIGN TABLE an_owned_remote OWNER TO an_partition_owner");
            PSQLException e = Sql.expectError(c, "42501", "ANALYZE an_owned");
            assertEquals("permission denied for foreign table an_owned_remote", e.getServerErrorMessage().getMessage());
            Sql.execute(c, "GRANT SELECT ON an_owned_remote TO an_parent_owner", "ANALYZE an_owned");
            assertEquals(7, Sql.longValue(c, "SELECT n_distinct::int8 FROM pg_stats "
                    + "WHERE tablename = 'an_owned' AND attname = 'grp' AND inherited"));
        }
    }
}
