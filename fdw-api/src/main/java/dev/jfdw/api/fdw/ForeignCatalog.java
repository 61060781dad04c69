package dev.jfdw.api.fdw;

import dev.jfdw.api.internal.Backend;
import java.util.ServiceLoader;

/** Lookups of foreign catalog objects ({@code GetForeignTable} and friends). */
public final class ForeignCatalog {
    private ForeignCatalog() {}

    private static final class Holder {
        static final Backend BACKEND = ServiceLoader.load(Backend.class, ForeignCatalog.class.getClassLoader())
                .findFirst().orElseThrow(() -> new IllegalStateException("not running inside a PostgreSQL backend"));
    }

    public static ForeignTable table(int relid) {
        return Holder.BACKEND.foreignTable(relid);
    }

    public static ForeignServer server(int serverId) {
        return Holder.BACKEND.foreignServer(serverId);
    }

    public static ForeignDataWrapper wrapper(int fdwId) {
        return Holder.BACKEND.foreignDataWrapper(fdwId);
    }

    /** The mapping of (user, server), or of (PUBLIC, server); {@code null} if neither exists. */
    public static UserMapping userMapping(int userId, int serverId) {
        return Holder.BACKEND.userMapping(userId, serverId);
    }

    public static int currentUserId() {
        return Holder.BACKEND.currentUserId();
    }
}
