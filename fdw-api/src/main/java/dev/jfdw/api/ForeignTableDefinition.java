package dev.jfdw.api;

import java.nio.charset.StandardCharsets;
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

    /** The bytes of a name PostgreSQL keeps (NAMEDATALEN - 1); it cuts longer ones. */
    public static final int MAX_NAME_BYTES = 63;

    /**
     * {@code name} as a table or column name: as it is, or cut to its
     * longest start that leaves room for {@code suffix} (such as "_2", to
     * tell apart names PostgreSQL would cut to the same) in
     * {@link #MAX_NAME_BYTES} bytes of UTF-8, whole characters.
     */
    public static String name(String name, String suffix) {
        int room = MAX_NAME_BYTES - suffix.getBytes(StandardCharsets.UTF_8).length;
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= room) {
            return name + suffix;
        }
        int end = room;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(utf8, 0, end, StandardCharsets.UTF_8) + suffix;
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
