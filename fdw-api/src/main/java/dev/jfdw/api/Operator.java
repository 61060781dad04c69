package dev.jfdw.api;

/** The operators of the restrictions a connector may apply ({@link Qual}). */
public enum Operator {
    EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">="),
    /** {@code col IN (...)} or {@code col = ANY(array)}: the value is a List. */
    IN("IN"),
    IS_NULL("IS NULL"), IS_NOT_NULL("IS NOT NULL"),
    /** SQL LIKE patterns ({@code %}, {@code _}, backslash escapes); see {@link Like}. */
    LIKE("LIKE"), NOT_LIKE("NOT LIKE"), ILIKE("ILIKE"), NOT_ILIKE("NOT ILIKE");

    private final String sql;

    Operator(String sql) {
        this.sql = sql;
    }

    /** How SQL spells it. */
    public String sql() {
        return sql;
    }
}
