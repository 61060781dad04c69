package dev.jfdw.api;

/** Lines a connector adds to EXPLAIN output, in whatever FORMAT was asked. */
public interface Explain {
    boolean verbose();

    /** EXPLAIN ANALYZE: the scan has run, counters are meaningful. */
    boolean analyze();

    void property(String label, String value);

    void property(String label, long value, String unit);
}
