package dev.jfdw.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An error a connector reports to the client, with the SQLSTATE it chose.
 *
 * <p>Thrown from any connector method, it becomes an {@code ERROR} with this
 * SQLSTATE, message, detail and hint; the session stays usable. Any other
 * exception becomes {@code XX000} (internal error) naming the exception class.
 *
 * <pre>{@code
 * throw new FdwException(SqlState.INVALID_TEXT_REPRESENTATION,
 *         "invalid number \"" + raw + "\" in column \"score\"")
 *     .withDetail("File /data/a.json, line 12.");
 * }</pre>
 */
public class FdwException extends RuntimeException {
    private final String sqlState;
    private String detail;
    private String hint;
    private final List<String> contextLines = new ArrayList<>();

    public FdwException(String sqlState, String message) {
        this(sqlState, message, null);
    }

    public FdwException(String sqlState, String message, Throwable cause) {
        super(message, cause);
        this.sqlState = SqlState.check(Objects.requireNonNull(sqlState, "sqlState"));
    }

    /** The five-character SQLSTATE, e.g. {@code 22P02}. */
    public String sqlState() {
        return sqlState;
    }

    public String detail() {
        return detail;
    }

    public String hint() {
        return hint;
    }

    public FdwException withDetail(String detail) {
        this.detail = detail;
        return this;
    }

    public FdwException withHint(String hint) {
        this.hint = hint;
        return this;
    }

    /**
     * Adds a CONTEXT line saying where the error happened, as PostgreSQL's
     * own error context does ({@code COPY t, line 3, column id: "x"}). A
     * connector that catches an error while reading a source (this one or a
     * {@link PgException} from a type's input function) adds its position
     * and rethrows.
     */
    public FdwException withContext(String line) {
        contextLines.add(Objects.requireNonNull(line));
        return this;
    }

    /** The lines added with {@link #withContext}, first added first. */
    public List<String> contextLines() {
        return List.copyOf(contextLines);
    }
}
