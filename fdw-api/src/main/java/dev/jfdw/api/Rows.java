package dev.jfdw.api;

/**
 * Where a scan writes its rows: a batch that PostgreSQL's executor reads
 * after {@link Scan#next} returns. Rows are written in place; nothing is
 * copied or boxed.
 *
 * <pre>{@code
 * // id, name: the index() of context.table().column("id") and ("name"), found in openScan
 * public boolean next(Rows rows) {
 *     while (!rows.full() && source.hasNext()) {
 *         Item it = source.next();
 *         rows.add().setLong(id, it.id()).setString(name, it.name());
 *     }
 *     return source.hasNext();
 * }
 * }</pre>
 */
public interface Rows {
    /**
     * True when the batch has no room for another row, or already holds as
     * much row data as one batch may (8 MB). PostgreSQL handles a cancel
     * request between batches; a scan that waits inside {@code next} (I/O,
     * network) should call {@link Postgres#checkForInterrupts()} while it waits.
     */
    boolean full();

    /** Starts the next row, all columns NULL. Only call when {@link #full()} is false. */
    Row add();

    /**
     * Takes back the row last added, with whatever was set in it: for a
     * source row that turned out bad or unwanted halfway through.
     */
    void discard();

    /** Rows added to this batch so far. */
    int size();

    /**
     * Hands over rows column by column instead: rows {@code first} to
     * {@code first + count - 1} of the vectors that the returned batch is
     * given, or as many of them as this batch has room for (see
     * {@link ColumnBatch#size()}; hand over the rest at the next call).
     * Only on an empty batch, and once per batch.
     */
    ColumnBatch columns(int first, int count);
}
