package dev.jfdw.runtime;

import dev.jfdw.api.LogLevel;
import dev.jfdw.api.PgException;
import dev.jfdw.api.Postgres;
import dev.jfdw.api.fdw.ForeignDataWrapper;
import dev.jfdw.api.fdw.ForeignServer;
import dev.jfdw.api.fdw.ForeignTable;
import dev.jfdw.api.fdw.UserMapping;
import dev.jfdw.api.internal.Backend;
import java.lang.foreign.MemorySegment;
import java.util.function.Supplier;

/** The backend services behind {@link dev.jfdw.api.Postgres} and the mirror's catalog lookups. */
public final class BackendImpl implements Backend {
    @Override
    public void log(LogLevel level, String message) {
        Pg.elog(Layout.intOf(level.name()), message);
    }

    @Override
    public boolean interruptPending() {
        Native.checkThread();
        return Native.cancelPending();
    }

    @Override
    public Postgres.Registration onCancel(Postgres.CancelAction action) {
        return CancelWatch.register(action);
    }

    @Override
    public <T> T inSubtransaction(Supplier<T> body) {
        int depth = Pg.subxactBegin();
        T result;
        try {
            result = body.get();
        } catch (Throwable t) {
            try {
                Pg.subxactRollback(depth);
            } catch (PgException e) {
                t.addSuppressed(e);
            }
            throw t;
        }
        try {
            Pg.subxactCommit(depth);
        } catch (PgException e) {
            // refused: the body caught an error of PostgreSQL's instead of letting it end the subtransaction
            Pg.subxactRollback(depth);
            throw e;
        }
        return result;
    }

    @Override
    public boolean canReadServerFiles() {
        return Pg.canReadServerFiles();
    }

    @Override
    public boolean onBackendThread() {
        return Native.onBackendThread();
    }

    @Override
    public ForeignTable foreignTable(int relid) {
        return Views.ForeignTableView.of(Pg.foreignTable(relid), Scopes.current());
    }

    @Override
    public ForeignServer foreignServer(int serverId) {
        return Views.ForeignServerView.of(Pg.foreignServer(serverId), Scopes.current());
    }

    @Override
    public ForeignDataWrapper foreignDataWrapper(int fdwId) {
        return Views.ForeignDataWrapperView.of(Pg.foreignWrapper(fdwId), Scopes.current());
    }

    @Override
    public UserMapping userMapping(int userId, int serverId) {
        MemorySegment um = Pg.userMapping(userId, serverId);
        return um.equals(MemorySegment.NULL) ? null : Views.UserMappingView.of(um, Scopes.current());
    }

    @Override
    public int currentUserId() {
        return Pg.currentUser();
    }
}
