package dev.jfdw.api.fdw;

import java.util.Map;

/** A foreign server's catalog entry ({@code ForeignServer}). */
public interface ForeignServer extends PgStruct {
    int serverId();

    int fdwId();

    String name();

    /** TYPE, or {@code null}. */
    String type();

    /** VERSION, or {@code null}. */
    String version();

    Map<String, String> options();
}
