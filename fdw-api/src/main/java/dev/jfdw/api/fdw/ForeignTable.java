package dev.jfdw.api.fdw;

import java.util.Map;

/** A foreign table's catalog entry ({@code ForeignTable}). */
public interface ForeignTable extends PgStruct {
    int relid();

    int serverId();

    Map<String, String> options();
}
