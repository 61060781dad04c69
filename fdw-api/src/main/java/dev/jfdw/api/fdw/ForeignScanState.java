package dev.jfdw.api.fdw;

/** The executor's state of a running foreign scan ({@code ForeignScanState}). */
public interface ForeignScanState extends PgStruct {
    ForeignScan plan();

    /** OID of the foreign table scanned. */
    int relationId();

    /**
     * The role whose rights the scan uses (its range table entry's
     * checkAsUser: a view's owner, for a table read through the view), or 0
     * for the current user: whose user mapping applies, as postgres_fdw
     * takes it.
     */
    int checkAsUser();

    /** The slot {@link FdwRoutine#iterateForeignScan} fills. */
    TupleTableSlot scanSlot();

    /** True for plain EXPLAIN: the scan will not be read. */
    boolean explainOnly();

    /** Keeps a Java object with this scan; dropped when the query ends, even on error. */
    void attach(Object state);

    Object attached();
}
