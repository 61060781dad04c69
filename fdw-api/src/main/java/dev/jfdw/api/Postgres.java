package dev.jfdw.api;

import dev.jfdw.api.internal.Backend;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * Services of the PostgreSQL backend a connector runs in. Every method but
 * {@link #onBackendThread()} must be called on the backend thread (the one
 * that calls the connector); from any other thread it throws
 * {@link WrongThreadException}.
 */
public final class Postgres {
    private Postgres() {}

    private static final class Holder {
        static final Backend BACKEND = ServiceLoader.load(Backend.class, Postgres.class.getClassLoader())
                .findFirst().orElse(null);
    }

    private static Backend backend() {
        Backend b = Holder.BACKEND;
        if (b == null) {
            throw new IllegalStateException("not running inside a PostgreSQL backend");
        }
        return b;
    }

    /** Reports a message through PostgreSQL's elog, at the given level. */
    public static void log(LogLevel level, String message) {
        backend().log(level, message);
    }

    /**
     * True when the query is being cancelled. Cheap (a memory read); poll it
     * in long loops that do not add rows.
     */
    public static boolean interruptPending() {
        return backend().interruptPending();
    }

    /** Throws {@link QueryCanceledException} when the query is being cancelled. */
    public static void checkForInterrupts() {
        if (interruptPending()) {
            throw new QueryCanceledException();
        }
    }

    /**
     * Runs {@code action} on another thread if the query is cancelled (a
     * cancel request, {@code statement_timeout}, or the backend told to
     * end) while the returned registration is open. For a call that blocks
     * without polling {@link #interruptPending()}, such as a read from a
     * socket or a JDBC query, the action unblocks it: it closes the socket,
     * or cancels the statement. The blocked call then fails, and the query
     * ends with PostgreSQL's own error (57014 for a cancel) whatever the call
     * threw. The action must be safe to run while the call is blocked, from
     * another thread, and must not call PostgreSQL. Close the registration
     * when the call is done; it ends anyway when the call into Java that
     * made it returns.
     *
     * {@snippet :
     * try (var onCancel = Postgres.onCancel(socket::close)) {
     *     n = in.read(buffer);
     * }
     * }
     */
    public static Registration onCancel(CancelAction action) {
        return backend().onCancel(java.util.Objects.requireNonNull(action, "action"));
    }

    /** What unblocks a call: {@code socket::close}, {@code statement::cancel}. What it throws is ignored. */
    @FunctionalInterface
    public interface CancelAction {
        void run() throws Exception;
    }

    /** What {@link #onCancel} registered; closing it twice is harmless. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Runs {@code body} in a subtransaction. If PostgreSQL raises an error
     * inside, the subtransaction is rolled back and the {@link PgException}
     * propagates out of this method, where it may be caught and handled:
     * this is the only way to go on after a PostgreSQL error. Other
     * exceptions also roll the subtransaction back. A query cancel or
     * statement timeout raised inside is the exception, as in PL/pgSQL: it
     * propagates as a {@link QueryCanceledException}, which is not the
     * connector's to handle; later calls into PostgreSQL fail, and it ends
     * the statement when the connector method returns.
     */
    public static <T> T inSubtransaction(Supplier<T> body) {
        return backend().inSubtransaction(body);
    }

    /**
     * Whether the current user is a superuser or has the privileges of
     * pg_read_server_files: what file_fdw requires to name a file. Options
     * declared {@link OptionSpec#readsServerFiles()} are checked already; a
     * connector checks this itself before it reads files for another reason
     * (IMPORT FOREIGN SCHEMA from a directory).
     */
    public static boolean canReadServerFiles() {
        return backend().canReadServerFiles();
    }

    /** True on the backend thread, the only one allowed to call PostgreSQL. */
    public static boolean onBackendThread() {
        return backend().onBackendThread();
    }
}
