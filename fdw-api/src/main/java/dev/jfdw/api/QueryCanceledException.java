package dev.jfdw.api;

/**
 * Thrown by {@link Postgres#checkForInterrupts()} when the query is being
 * cancelled (cancel request, statement_timeout, shutdown). Let it propagate:
 * PostgreSQL then reports the cancellation with its own message.
 */
public final class QueryCanceledException extends FdwException {
    public QueryCanceledException() {
        super(SqlState.QUERY_CANCELED, "canceling statement due to interrupt");
    }
}
