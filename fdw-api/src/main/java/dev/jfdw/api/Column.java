package dev.jfdw.api;

/**
 * A column of a foreign table.
 *
 * @param name    the column name
 * @param index   its position in the row, 0-based (attnum - 1); what {@link Row} setters take
 * @param type    its type
 * @param typmod  its type modifier (e.g. the length of varchar(n); a domain's, its base type's), -1 if none
 * @param options its column-level options
 */
public record Column(String name, int index, PgType type, int typmod, Options options) {
}
