package dev.jfdw.api;

import java.util.Set;

/**
 * IMPORT FOREIGN SCHEMA: which remote schema, with which options, and which
 * tables (LIMIT TO / EXCEPT).
 *
 * @param remoteSchema the schema named in the statement (what it means is the connector's business)
 * @param options      the options of wrapper, server and user mapping, merged
 * @param importOptions the statement's own OPTIONS, checked against the connector's
 *                     {@link OptionScope#IMPORT} options
 * @param limitTo      the tables of LIMIT TO, or empty
 * @param except       the tables of EXCEPT, or empty
 */
public record ImportRequest(String remoteSchema, Options options, Options importOptions, Set<String> limitTo,
                            Set<String> except) {
    public ImportRequest {
        limitTo = Set.copyOf(limitTo);
        except = Set.copyOf(except);
    }

    /** Whether the statement asks for this table (jfdw filters the result too). */
    public boolean wants(String table) {
        return (limitTo.isEmpty() || limitTo.contains(table)) && !except.contains(table);
    }
}
