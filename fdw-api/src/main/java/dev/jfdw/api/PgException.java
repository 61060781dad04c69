package dev.jfdw.api;

/**
 * An error raised by PostgreSQL in a call a connector made (a type's input
 * function, a subtransaction, ...), with all its fields.
 *
 * <p>Outside {@link Postgres#inSubtransaction}, catching it does not undo it:
 * the error still reaches the client, unchanged, when the connector method
 * returns, and further calls into PostgreSQL fail until then. Inside
 * {@code inSubtransaction} the subtransaction is rolled back and the
 * connector may handle the error and go on.
 */
public final class PgException extends FdwException {
    private final String context;

    public PgException(String sqlState, String message, String detail, String hint, String context) {
        super(sqlState, message);
        withDetail(detail);
        withHint(hint);
        this.context = context;
    }

    /** PostgreSQL's CONTEXT lines, or {@code null}. */
    public String context() {
        return context;
    }
}
