package dev.jfdw.api;

/**
 * The query is being cancelled (cancel request, statement_timeout,
 * shutdown): thrown by {@link Postgres#checkForInterrupts()} and by any call
 * into PostgreSQL that the cancel interrupted or that came after it (PostgreSQL
 * raised SQLSTATE 57014). Let it propagate: PostgreSQL then reports the
 * cancellation with its own message.
 *
 * <p>Not an {@link FdwException}, so that {@code catch (FdwException e)} or
 * {@code catch (PgException e)} around a value's conversion, to skip a bad
 * value, does not swallow a cancel; as in PL/pgSQL, whose {@code EXCEPTION
 * WHEN OTHERS} does not catch one either. Swallowed anyway, it still ends the
 * statement: PostgreSQL refuses further calls until it has propagated.
 */
public final class QueryCanceledException extends RuntimeException {
    public QueryCanceledException() {
        this("canceling statement due to interrupt");
    }

    /** With PostgreSQL's message, e.g. {@code canceling statement due to statement timeout}. */
    public QueryCanceledException(String message) {
        super(message);
    }
}
