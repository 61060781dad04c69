package dev.jfdw.api;

/**
 * A running scan of a foreign table, opened by {@link Connector#openScan}.
 * Called only on the backend thread, one method at a time.
 */
public interface Scan extends AutoCloseable {
    /**
     * Writes the next rows. Add rows while {@link Rows#full()} is false and
     * there are more; return whether more rows may follow. Returning true
     * with no row added is fine (the scan is asked again).
     */
    boolean next(Rows rows);

    /**
     * Restarts the scan from the beginning (a nested loop's inner side).
     * The values of {@link ScanContext#quals()} may have changed (they are
     * the outer row's now): re-read them. Return false, the default, to have
     * the scan closed and opened again.
     */
    default boolean rescan() {
        return false;
    }

    /**
     * The query is done with the scan (EndForeignScan, or a rescan that
     * {@link #rescan()} declined): it read the last row, or needs no more
     * (a LIMIT). Not called when the query fails, nor for plain EXPLAIN.
     * PostgreSQL may be called here, to report what the scan did (a NOTICE
     * of the rows it skipped, say). {@link #close()} follows.
     */
    default void end() {
    }

    /** Adds connector-specific lines to EXPLAIN output. */
    default void explain(Explain explain) {
    }

    /**
     * Releases resources. Also called when the query fails or is cancelled,
     * while PostgreSQL cleans up: release Java resources only, do not call
     * PostgreSQL.
     */
    @Override
    default void close() {
    }
}
