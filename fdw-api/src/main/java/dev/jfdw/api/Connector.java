package dev.jfdw.api;

import java.util.List;

/**
 * A foreign data source, the high-level way to write a jfdw wrapper.
 *
 * <p>Declare the implementation in
 * {@code META-INF/services/dev.jfdw.api.Connector} of the connector's JAR.
 * One instance serves every query of a backend, on the backend thread only.
 * A DBA makes it usable with {@code SELECT jfdw.create_wrapper('<name>')}.
 */
public interface Connector {
    /**
     * The connector's name: lower-case letters, digits and underscores,
     * starting with a letter, at most 41 characters (what
     * {@code jfdw.create_wrapper} accepts). It names the wrapper's handler
     * and validator functions.
     */
    String name();

    /** The options the connector accepts; others are rejected at CREATE/ALTER time. */
    default List<OptionSpec<?>> options() {
        return List.of();
    }

    /** Estimates a scan. Called at planning time, maybe long before the scan runs. */
    default ScanPlan planScan(ScanRequest request) {
        return ScanPlan.estimate(1000);
    }

    /** Starts a scan at execution time. */
    Scan openScan(ScanContext context);

    /**
     * ANALYZE: whether jfdw may read the whole table, through
     * {@link #openScan} as a query does, and keep a random sample of its
     * rows for the planner's statistics (as file_fdw does). Say false where
     * reading everything costs too much (a service that bills per row):
     * ANALYZE then skips the table with a WARNING. The rows of
     * {@link #planScan}'s estimate, for every column and no quals, weigh a
     * foreign partition in ANALYZE of its partitioned table.
     */
    default boolean analyzable(Table table, Options options) {
        return true;
    }

    /**
     * IMPORT FOREIGN SCHEMA: the tables the remote schema holds. jfdw turns
     * them into CREATE FOREIGN TABLE statements in the target schema.
     */
    default List<ForeignTableDefinition> importSchema(ImportRequest request) {
        throw new FdwException(SqlState.FEATURE_NOT_SUPPORTED,
                "connector \"" + name() + "\" does not support IMPORT FOREIGN SCHEMA");
    }
}
