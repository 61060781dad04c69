package dev.jfdw.api;

import java.util.List;

/**
 * A foreign table as a connector sees it.
 *
 * @param oid     its OID
 * @param name    its name (unqualified)
 * @param columns its columns in order, without dropped ones
 */
public record Table(int oid, String name, List<Column> columns) {
    public Table {
        columns = List.copyOf(columns);
    }

    /** The column with this name, or {@code null}. */
    public Column column(String name) {
        for (Column c : columns) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }
}
