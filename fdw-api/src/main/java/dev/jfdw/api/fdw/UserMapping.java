package dev.jfdw.api.fdw;

import java.util.Map;

/** A user mapping's catalog entry ({@code UserMapping}). */
public interface UserMapping extends PgStruct {
    int userId();

    int serverId();

    Map<String, String> options();
}
