package dev.jfdw.api.internal;

import dev.jfdw.api.LogLevel;
import java.util.function.Supplier;

/**
 * Implemented by the jfdw runtime; not for connectors. {@link dev.jfdw.api.Postgres}
 * and the catalog lookups of the mirror API reach the backend through it.
 */
public interface Backend {
    void log(LogLevel level, String message);

    boolean interruptPending();

    dev.jfdw.api.Postgres.Registration onCancel(dev.jfdw.api.Postgres.CancelAction action);

    <T> T inSubtransaction(Supplier<T> body);

    boolean onBackendThread();

    boolean canReadServerFiles();

    dev.jfdw.api.fdw.ForeignTable foreignTable(int relid);

    dev.jfdw.api.fdw.ForeignServer foreignServer(int serverId);

    dev.jfdw.api.fdw.ForeignDataWrapper foreignDataWrapper(int fdwId);

    /** The user mapping of (user, server), falling back to PUBLIC; {@code null} if none. */
    dev.jfdw.api.fdw.UserMapping userMapping(int userId, int serverId);

    int currentUserId();
}
