package dev.jfdw.api;

/**
 * Where a scan writes its rows: a batch that PostgreSQL's executor reads
 * after {@link Scan#next} returns. Rows are written in place; nothing is
 * copied or boxed.
 *
 * <pre>{@code
 * public boolean next(Rows rows) {
 *     while (!rows.full() && source.hasNext()) {
 *         Item it = source.next();
 *         rows.add().setLong(0, it.id()).setString(1, it.name());
 *     }
 *     return source.hasNext();
 * }
 * }</pre>
 */
public interface Rows {
    /**
     * True when the batch has no room for another row. Also true when the
     * query is being cancelled, so that a scan loop ends promptly.
     */
    boolean full();

    /** Starts the next row, all columns NULL. Only call when {@link #full()} is false. */
    Row add();

    /** Rows added to this batch so far. */
    int size();
}
