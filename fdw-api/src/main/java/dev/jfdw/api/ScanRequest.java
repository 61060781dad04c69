package dev.jfdw.api;

import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

/**
 * What the planner asks a connector to plan: a scan of one foreign table,
 * with what the query needs from it.
 */
public interface ScanRequest {
    Table table();

    /** The merged options of wrapper, server, user mapping and table. */
    Options options();

    /** The columns the query uses; the scan may leave the others NULL. */
    List<Column> columns();

    /**
     * The query's restrictions that fit the {@link Qual} model, AND-ed. A
     * connector that applies some of them returns them in
     * {@link ScanPlan#withHandledQuals}; PostgreSQL checks the rest.
     */
    List<Qual> quals();

    /**
     * The query's ORDER BY, when every key is a column of this table; empty
     * otherwise. A connector that returns rows in this order says so with
     * {@link ScanPlan#withSorted}.
     */
    List<SortKey> sortKeys();

    /** The LIMIT (plus OFFSET) of the query, as a hint for estimates. */
    OptionalLong limit();

    /**
     * PostgreSQL's estimate of the fraction of rows that satisfy all these
     * quals (of {@link #quals()}): what a connector without statistics of
     * its own multiplies its row count by for the quals it handles.
     */
    double selectivity(Collection<Qual> quals);
}
