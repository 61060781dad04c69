package dev.jfdw.api.fdw;

import java.util.Map;

/** A foreign data wrapper's catalog entry ({@code ForeignDataWrapper}). */
public interface ForeignDataWrapper extends PgStruct {
    int fdwId();

    String name();

    int handler();

    int validator();

    Map<String, String> options();
}
