package dev.jfdw.api;

import java.util.List;
import java.util.Map;

/**
 * A foreign table IMPORT FOREIGN SCHEMA creates.
 *
 * @param name    the table's name
 * @param columns its columns
 * @param options its table options
 */
public record ForeignTableDefinition(String name, List<ColumnDefinition> columns, Map<String, String> options) {
    public ForeignTableDefinition {
        columns = List.copyOf(columns);
        options = Map.copyOf(options);
    }

    /**
     * A column.
     *
     * @param name    its name
     * @param type    its type, as SQL spells it ({@code bigint}, {@code numeric(10,2)}, {@code jsonb})
     * @param options its column options
     */
    public record ColumnDefinition(String name, String type, Map<String, String> options) {
        public ColumnDefinition {
            options = Map.copyOf(options);
        }
    }
}
