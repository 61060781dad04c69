package dev.jfdw.api.fdw;

/** The planner's view of the foreign relation being planned ({@code RelOptInfo}). */
public interface RelOptInfo extends PgStruct {
    /** Its range-table index. */
    int relid();

    double rows();

    void setRows(double rows);

    /** Estimated average width of its rows, in bytes ({@code reltarget->width}). */
    int width();

    void setWidth(int width);

    /** The restriction clauses ({@code RestrictInfo} nodes). */
    PgList baseRestrictInfo();

    /** The expressions the query needs from this relation ({@code reltarget->exprs}). */
    PgList targetExpressions();

    int serverId();

    /** The user whose mapping applies, or 0 for the current user. */
    int userId();

    /** {@code add_path(rel, create_foreignscan_path(...))}. */
    void addForeignPath(double rows, double startupCost, double totalCost, PgList pathKeys, PgList fdwPrivate);

    /**
     * Keeps a Java object with this relation for the later planning callbacks
     * of the same query; it is dropped with the planner's memory.
     */
    void attach(Object state);

    /** What {@link #attach} stored, or {@code null}. */
    Object attached();
}
