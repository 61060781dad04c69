package dev.jfdw.api.fdw;

import dev.jfdw.api.OptionScope;
import dev.jfdw.api.Rows;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL's {@code FdwRoutine}, one method per callback, for authors who
 * work at the planner's level. Declare an implementation in
 * {@code META-INF/services/dev.jfdw.api.fdw.FdwRoutine}; one instance serves
 * a backend, on the backend thread only.
 *
 * <p>The callbacks are PostgreSQL 15's scan, import and analyze ones;
 * modify, join/upper paths, parallel and async callbacks will be added as
 * default methods, so implementations keep compiling.
 *
 * <p>Rows reach the executor one per {@link #iterateForeignScan} call, or,
 * when {@link #batchCapacity} is above 1, in batches through
 * {@link #iterateForeignBatch}, with no upcall per row.
 */
public interface FdwRoutine {
    /** The connector name, as for {@link dev.jfdw.api.Connector#name()}. */
    String name();

    /** The validator: checks the options of a CREATE or ALTER ... OPTIONS. */
    default void validate(Map<String, String> options, OptionScope scope) {
    }

    void getForeignRelSize(PlannerInfo root, RelOptInfo baserel, int foreignTableId);

    void getForeignPaths(PlannerInfo root, RelOptInfo baserel, int foreignTableId);

    ForeignScan getForeignPlan(PlannerInfo root, RelOptInfo baserel, int foreignTableId, ForeignPath bestPath,
                               PgList targetList, PgList scanClauses, MemorySegment outerPlan);

    void beginForeignScan(ForeignScanState node, int eflags);

    /** Fills {@code node.scanSlot()} with the next row and returns true, or returns false at the end. */
    boolean iterateForeignScan(ForeignScanState node);

    void reScanForeignScan(ForeignScanState node);

    void endForeignScan(ForeignScanState node);

    default void explainForeignScan(ForeignScanState node, ExplainState es) {
    }

    /**
     * IMPORT FOREIGN SCHEMA: the CREATE FOREIGN TABLE statements to run, in
     * the statement's local schema.
     */
    default List<String> importForeignSchema(ImportForeignSchemaStmt stmt, int serverId) {
        throw new dev.jfdw.api.FdwException(dev.jfdw.api.SqlState.FEATURE_NOT_SUPPORTED,
                "wrapper \"" + name() + "\" does not support IMPORT FOREIGN SCHEMA");
    }

    /**
     * ANALYZE: an estimate of the foreign table's rows, made without reading
     * them, or -1 (the default) to have ANALYZE skip the table with a
     * WARNING. Otherwise jfdw runs {@code SELECT <columns> FROM ONLY <table>}
     * through this wrapper's scan callbacks, as ANALYZE's own work runs, and
     * keeps a random sample of its rows for the planner's statistics. The estimate
     * becomes the pages those rows would fill in a heap table
     * ({@code pg_class.relpages}), by which ANALYZE of a partitioned table
     * shares its sample among the partitions.
     *
     * @param userId the table's owner, whose user mapping applies
     */
    default double analyzeForeignTable(int foreignTableId, int userId) {
        return -1;
    }

    /**
     * Rows per upcall for this scan, asked once after {@link #beginForeignScan};
     * clamped to between 1 and the smaller of 100,000 and 1,048,576 over the
     * number of columns. Batches start at 16 rows and double up to it.
     */
    default int batchCapacity(ForeignScanState node) {
        return 1;
    }

    /**
     * Used instead of {@link #iterateForeignScan} when {@link #batchCapacity}
     * is above 1: writes up to {@code rows}' capacity and returns whether
     * more may follow.
     */
    default boolean iterateForeignBatch(ForeignScanState node, Rows rows) {
        throw new UnsupportedOperationException("batchCapacity > 1 needs iterateForeignBatch");
    }
}
