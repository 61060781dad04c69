package dev.jfdw.api;

/**
 * One key of the query's ORDER BY, offered to a connector that can return
 * rows already in that order (PostgreSQL then skips its Sort).
 *
 * @param column     the column
 * @param descending DESC
 * @param nullsFirst NULLS FIRST (the default for DESC)
 * @param byteOrder  true when the order is the plain order of the values, as Java compares
 *                   them: booleans, numbers (NaN last), dates and times, uuid and bytea as
 *                   unsigned bytes, text and varchar by code point (the C collation in a UTF-8
 *                   or LATIN1 database: compare code points, or UTF-8 bytes unsigned, not with
 *                   {@code String.compareTo}, which compares UTF-16 units and puts U+1F600
 *                   before U+FF61); false for other types (char(n), interval, jsonb, ...)
 *                   and for text under a linguistic collation, which a connector can rarely
 *                   reproduce
 */
public record SortKey(Column column, boolean descending, boolean nullsFirst, boolean byteOrder) {
}
