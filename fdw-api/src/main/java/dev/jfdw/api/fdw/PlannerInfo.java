package dev.jfdw.api.fdw;

import java.lang.foreign.MemorySegment;

/** The planner's state for one query level ({@code PlannerInfo}). */
public interface PlannerInfo extends PgStruct {
    int queryLevel();

    /** Fraction of the result the caller is expected to fetch (0: all). */
    double tupleFraction();

    /** A bound on the rows needed (a LIMIT), or -1. */
    double limitTuples();

    /** The order the query wants its result in ({@code query_pathkeys}); NIL if none. */
    PgList queryPathKeys();

    /**
     * A one-element List holding these bytes in a bytea Const: the form in
     * which plan state survives copyObject, plan caching and parallel workers.
     */
    PgList bytesList(byte[] bytes);

    /** {@code extract_actual_clauses(restrictInfos, false)}. */
    PgList actualClauses(PgList restrictInfos);

    /** {@code make_foreignscan(...)}. */
    ForeignScan makeForeignScan(PgList targetList, PgList quals, int scanRelid, PgList fdwExprs,
                                PgList fdwPrivate, PgList fdwScanTargetList, PgList recheckQuals,
                                MemorySegment outerPlan);
}
