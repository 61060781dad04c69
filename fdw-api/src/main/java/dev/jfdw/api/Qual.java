package dev.jfdw.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.function.Predicate;

/**
 * A restriction of the query a connector may apply itself: {@code column
 * operator value}. PostgreSQL hands down the conditions that fit this
 * model (comparisons, IN, IS [NOT] NULL, LIKE/ILIKE, boolean columns) and
 * evaluates everything else itself.
 *
 * <p>The value's Java type follows the value's SQL type: Long for integers,
 * Double for floats, BigDecimal for numeric (a Double for its NaN and
 * infinities), String for text, Boolean, LocalDate, LocalDateTime, Instant,
 * LocalTime, UUID, byte[]; other types as their text. For IN it is a List of
 * those, which may hold nulls ({@code id IN (3, NULL)}: a null matches no
 * row); it is {@code null} for IS [NOT] NULL. On a char(n) column, text is
 * compared as PostgreSQL compares char(n): trailing blanks do not count
 * (but LIKE sees the padded value). A value that comes from a parameter ({@code $1}, or the outer row of
 * a nested loop) is unknown at planning ({@link #isParameter()}, value null)
 * and fresh at every (re)scan; a parameter may turn out NULL, which no row
 * matches.
 *
 * @param column    the column restricted
 * @param operator  the comparison
 * @param value     the value compared with, see above
 * @param valueType the value's SQL type (for IN, its elements'), which may differ from the column's
 *                  ({@code int8col = 5} compares with an int4); null for IS [NOT] NULL
 * @param parameter whether the value comes from a parameter
 */
public record Qual(Column column, Operator operator, Object value, PgType valueType, boolean parameter) {
    /** Whether the value is only known at execution. */
    public boolean isParameter() {
        return parameter;
    }

    /** The values of an IN qual. */
    @SuppressWarnings("unchecked")
    public List<Object> values() {
        if (operator != Operator.IN) {
            throw new IllegalStateException(this + " is not an IN qual");
        }
        return value == null ? List.of() : (List<Object>) value;
    }

    /**
     * Whether {@link #predicate()} tests this qual exactly as PostgreSQL
     * would: IS [NOT] NULL on any column; otherwise a column of type
     * smallint, integer, bigint, real, double precision, numeric, text,
     * varchar, boolean, date, time, timestamp, timestamptz or uuid (numeric,
     * varchar and the times without a type modifier), compared with a value
     * of the same kind, and LIKE and ILIKE on text (ILIKE is offered only
     * under a collation that folds case as C does). A connector that applies quals with
     * {@code predicate()} handles the testable ones and leaves the rest.
     */
    public boolean testable() {
        return QualPredicates.testable(this);
    }

    /**
     * This qual as a test of a column's value, with PostgreSQL's semantics:
     * numbers compare by value across Java types, floats with NaN equal to
     * itself and above everything, text in code point order (the C
     * collation's), UUIDs as unsigned bytes; a NULL value ({@code null})
     * passes only IS NULL. Pass the value as the {@link Row} setters take it
     * for the column's type: Long (or Integer, Short), Double (or Float),
     * BigDecimal, String, Boolean, LocalDate, LocalTime, LocalDateTime,
     * Instant, UUID. It is tested as the setter stores it, which is what
     * PostgreSQL would compare: a Double in a real column as a float, in a
     * numeric column with 15 significant digits, in an integer column
     * rounded to even; times to the microsecond. Build it once per scan:
     * IN lists are compiled here, a LIKE pattern at the first value tested
     * (so that a bad one is an error only where there is a row to test).
     *
     * @throws IllegalStateException if the qual is not {@link #testable()}
     */
    public Predicate<Object> predicate() {
        if (!testable()) {
            throw new IllegalStateException(this + " cannot be tested in Java (see Qual.testable())");
        }
        return QualPredicates.predicate(this);
    }

    /** As SQL shows it, for EXPLAIN: {@code (score > 5)}, {@code (name LIKE 'a%')}, {@code (id = $?)}. */
    @Override
    public String toString() {
        String col = column.name();
        return switch (operator) {
            case IS_NULL, IS_NOT_NULL -> "(" + col + " " + operator.sql() + ")";
            default -> "(" + col + " " + operator.sql() + " " + (parameter && value == null ? "$?" : literal(value)) + ")";
        };
    }

    private static String literal(Object v) {
        return switch (v) {
            case null -> "NULL";
            // the special values as PostgreSQL spells them, quoted as it shows them
            case Double d when !Double.isFinite(d) -> d.isNaN() ? "'NaN'" : d > 0 ? "'Infinity'" : "'-Infinity'";
            case Float f when !Float.isFinite(f) -> f.isNaN() ? "'NaN'" : f > 0 ? "'Infinity'" : "'-Infinity'";
            case LocalDate d when d.equals(LocalDate.MAX) -> "'infinity'";
            case LocalDate d when d.equals(LocalDate.MIN) -> "'-infinity'";
            case LocalDateTime t when t.equals(LocalDateTime.MAX) -> "'infinity'";
            case LocalDateTime t when t.equals(LocalDateTime.MIN) -> "'-infinity'";
            case Instant t when t.equals(Instant.MAX) -> "'infinity'";
            case Instant t when t.equals(Instant.MIN) -> "'-infinity'";
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            case List<?> l -> "(" + String.join(", ", l.stream().map(Qual::literal).toList()) + ")";
            case byte[] b -> "'\\x" + java.util.HexFormat.of().formatHex(b) + "'";
            default -> "'" + v.toString().replace("'", "''") + "'";
        };
    }
}
