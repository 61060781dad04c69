package dev.jfdw.api;

/** What the planner asks a connector to plan: a scan of one foreign table. */
public interface ScanRequest {
    Table table();

    /** The merged options of wrapper, server, user mapping and table. */
    Options options();
}
