package dev.jfdw.api;

/** What a scan is opened with. */
public interface ScanContext {
    Table table();

    /** The merged options of wrapper, server, user mapping and table. */
    Options options();

    /** The state {@link ScanPlan#state()} put into the plan. */
    byte[] planState();

    /**
     * True for plain EXPLAIN: the scan will be explained and closed, never
     * read. Do no I/O in {@link Connector#openScan} beyond what EXPLAIN shows.
     */
    boolean explainOnly();
}
