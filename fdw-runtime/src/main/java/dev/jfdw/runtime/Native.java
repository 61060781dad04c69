package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jfdw.api.PgException;
import dev.jfdw.api.QueryCanceledException;
import dev.jfdw.api.SqlState;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Map;

/**
 * Calls from Java into PostgreSQL.
 *
 * <p>Every C function Java calls has one signature, {@code int32 fn(Datum *argv)},
 * and is reached through one of two entry points, {@code int32 entry(fn, argv)}:
 * {@code jfdw_direct}, or, for functions that may raise an ERROR, the glue's
 * guard, which catches the longjmp in C; the guard's status becomes a
 * {@link PgException} here. Java reaches the entry points through
 * {@link #entry}, a JNI native method the glue registers at boot: per call it
 * costs what an FFM downcall does, but it needs no linking, where the first
 * FFM downcall handle adds tens of milliseconds to every backend's first
 * query. Arguments travel in a stack of argv frames, so a call made during a
 * nested upcall does not clobber its caller's.
 *
 * <p>Only the backend thread may call PostgreSQL: everything here checks.
 */
final class Native {
    private Native() {}

    /** Calls {@code entry(fn, argv)}; registered by the glue (jvm.c, native_entry). */
    private static native int entry(long entry, long fn, long argv);

    private static final int GUARD_OK = 0;
    private static final int GUARD_PG_ERROR = 1;
    private static final int GUARD_REFUSED = 2;

    private static final int FRAME_SLOTS = 16;

    private static Map<String, MemorySegment> symbols = Map.of();
    private static Thread backendThread;
    private static long guard;
    private static long direct;
    private static Frame[] frames;
    private static int depth;
    private static MemorySegment currentMemoryContext;
    private static final VarHandle INT_VOLATILE = JAVA_INT.varHandle();

    /** Postgres's interrupt flags; constants for the JIT once the glue has booted. */
    private static final class Interrupts {
        static final MemorySegment PENDING = symbol("InterruptPending").reinterpret(4);
        static final MemorySegment QUERY_CANCEL = symbol("QueryCancelPending").reinterpret(4);
        static final MemorySegment PROC_DIE = symbol("ProcDiePending").reinterpret(4);
    }

    /** Reads the glue's symbol table: {@code count} '\n'-terminated names and as many addresses. */
    static void init(MemorySegment names, long namesLength, MemorySegment addresses, int count) {
        String[] keys = Layout.lines(names, namesLength, count);
        long[] values = addresses.reinterpret(count * 8L).toArray(JAVA_LONG);
        Map<String, MemorySegment> map = new HashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            map.put(keys[i], MemorySegment.ofAddress(values[i]));
        }
        symbols = Map.copyOf(map);
        backendThread = Thread.currentThread();
        guard = symbol("jfdw_guard").address();
        direct = symbol("jfdw_direct").address();
        frames = moreFrames(new Frame[0], 64);
        currentMemoryContext = symbol("CurrentMemoryContext").reinterpret(8);
    }

    static MemorySegment symbol(String name) {
        MemorySegment s = symbols.get(name);
        if (s == null) {
            throw new IllegalStateException("the jfdw glue does not export symbol \"" + name
                    + "\": jfdw.so and jfdw-runtime.jar are from different builds");
        }
        return s;
    }

    static boolean onBackendThread() {
        return Thread.currentThread() == backendThread;
    }

    /** Whether the glue has booted the runtime in this backend. */
    static boolean booted() {
        return backendThread != null;
    }

    static void checkThread() {
        if (Thread.currentThread() != backendThread) {
            throw new WrongThreadException("only the PostgreSQL backend thread may call into PostgreSQL, not \""
                    + Thread.currentThread().getName() + "\"");
        }
    }

    /**
     * True when the query is being cancelled or the backend told to exit.
     * InterruptPending alone also covers harmless interrupts (catch-up,
     * barrier), which the executor absorbs between rows.
     */
    static boolean cancelPending() {
        return (int) INT_VOLATILE.getVolatile(Interrupts.PENDING, 0L) != 0
                && ((int) INT_VOLATILE.getVolatile(Interrupts.QUERY_CANCEL, 0L) != 0
                || (int) INT_VOLATILE.getVolatile(Interrupts.PROC_DIE, 0L) != 0);
    }

    /** The backend's CurrentMemoryContext. */
    static long currentMemoryContext() {
        return currentMemoryContext.get(JAVA_LONG, 0);
    }

    /** A C function Java may call. */
    record Function(String name, long address, boolean guarded) {
        /** A function that may raise: called through the guard. */
        static Function guarded(String name) {
            return new Function(name, symbol(name).address(), true);
        }

        /** A function that cannot raise: called directly. */
        static Function direct(String name) {
            return new Function(name, symbol(name).address(), false);
        }
    }

    private static final class ThreadStart {
        static final Function MASK = Function.direct("jfdw_thread_start_mask");
    }

    /**
     * Starts a thread from the backend thread with PostgreSQL's signals
     * blocked, so that it inherits a blocked mask: the JVM's ThreadStart
     * hook blocks them too, but only once the thread runs.
     */
    static Thread startThread(Thread.Builder builder, Runnable task) {
        try (Frame f = frame()) {
            f.set(0, 1).call(ThreadStart.MASK);
        }
        try {
            return builder.start(task);
        } finally {
            try (Frame f = frame()) {
                f.set(0, 0).call(ThreadStart.MASK);
            }
        }
    }

    /** While true, PostgreSQL may not be called: jfdw is releasing a failed query's state. */
    private static boolean restricted;

    /** Refuses calls into PostgreSQL (or allows them again); returns the previous setting. */
    static boolean restrict(boolean refuse) {
        boolean was = restricted;
        restricted = refuse;
        return was;
    }

    /** Pushes an argv frame; close it (try-with-resources) when done. */
    static Frame frame() {
        checkThread();
        if (restricted) {
            throw new IllegalStateException("PostgreSQL cannot be called while jfdw releases the state of a query"
                    + " (Scan.close after an error)");
        }
        return pushFrame();
    }

    /** A frame even while calls are restricted: for a call that ends the process. */
    static Frame frameToExit() {
        checkThread();
        return pushFrame();
    }

    private static Frame pushFrame() {
        if (depth == frames.length) {
            // no limit of our own: PostgreSQL's max_stack_depth ends a runaway recursion, with its own error
            frames = moreFrames(frames, frames.length);
        }
        return frames[depth++];
    }

    /** {@code frames} and {@code count} new ones after them. */
    private static Frame[] moreFrames(Frame[] frames, int count) {
        MemorySegment memory = Arena.global().allocate((long) FRAME_SLOTS * 8 * count, 8);
        Frame[] more = java.util.Arrays.copyOf(frames, frames.length + count);
        for (int i = 0; i < count; i++) {
            more[frames.length + i] = new Frame(memory.asSlice((long) i * FRAME_SLOTS * 8, FRAME_SLOTS * 8));
        }
        return more;
    }

    /** Arguments and results of one call, as Datums. */
    static final class Frame implements AutoCloseable {
        private final MemorySegment argv;

        private Frame(MemorySegment argv) {
            this.argv = argv;
        }

        Frame set(int i, long value) {
            argv.setAtIndex(JAVA_LONG, i, value);
            return this;
        }

        Frame set(int i, double value) {
            argv.setAtIndex(JAVA_DOUBLE, i, value);
            return this;
        }

        Frame set(int i, boolean value) {
            return set(i, value ? 1L : 0L);
        }

        Frame set(int i, MemorySegment pointer) {
            return set(i, pointer.address());
        }

        long get(int i) {
            return argv.getAtIndex(JAVA_LONG, i);
        }

        MemorySegment pointer(int i) {
            return MemorySegment.ofAddress(get(i));
        }

        /**
         * Calls {@code fn}; a PostgreSQL error becomes a {@link PgException},
         * or a {@link QueryCanceledException} for a cancel.
         */
        Frame call(Function fn) {
            int rc = entry(fn.guarded ? guard : direct, fn.address, argv.address());
            if (rc == GUARD_OK) {
                return this;
            }
            PgException e = pendingError(rc == GUARD_REFUSED);
            // its own kind, that a catch of PostgreSQL's errors (to skip a bad value) lets through
            throw SqlState.QUERY_CANCELED.equals(e.sqlState()) ? new QueryCanceledException(e.getMessage()) : e;
        }

        @Override
        public void close() {
            depth--;
        }
    }

    private static final class ErrorData {
        static final Function PENDING = Function.direct("jfdw_pending_error");
        static final Function REPLACE = Function.direct("jfdw_pending_error_replace");
        static final long SIZE = Layout.sizeOf("ErrorData");
        static final long SQLERRCODE = Layout.of("ErrorData.sqlerrcode");
        static final long MESSAGE = Layout.of("ErrorData.message");
        static final long DETAIL = Layout.of("ErrorData.detail");
        static final long HINT = Layout.of("ErrorData.hint");
        static final long CONTEXT = Layout.of("ErrorData.context");
        static final long DETAIL_LOG = Layout.of("ErrorData.detail_log");
        static final long INTERNAL_QUERY = Layout.of("ErrorData.internalquery");
    }

    /** The error the guard parked, as a PgException. */
    private static PgException pendingError(boolean refused) {
        MemorySegment edata;
        try (Frame f = frame()) {
            edata = f.call(ErrorData.PENDING).pointer(0);
        }
        if (edata.equals(MemorySegment.NULL)) {
            return new PgException("XX000", "PostgreSQL error state lost", null, null, null);
        }
        edata = edata.reinterpret(ErrorData.SIZE);
        long[] fields = {ErrorData.MESSAGE, ErrorData.DETAIL, ErrorData.HINT, ErrorData.CONTEXT, ErrorData.DETAIL_LOG,
                ErrorData.INTERNAL_QUERY};
        String[] text = new String[fields.length];
        // a value a connector passed to PostgreSQL (an input function's error quotes it) may be a secret
        try (Arena a = Arena.ofConfined(); Frame f = frame()) {
            boolean masked = false;
            for (int i = 0; i < fields.length; i++) {
                String raw = PgStrings.decodeMessage(edata.get(ADDRESS, fields[i]));
                text[i] = Secrets.mask(raw);
                boolean changed = raw != null && !raw.equals(text[i]);
                f.set(i, changed ? Pg.cstring(a, text[i]) : MemorySegment.NULL);
                masked |= changed;
            }
            if (masked) {
                f.call(ErrorData.REPLACE);
            }
        }
        String context = text[3];
        if (refused) {
            context = (context == null ? "" : context + "\n")
                    + "jfdw: PostgreSQL refused a call because this earlier error has not propagated yet";
        }
        return new PgException(unpackSqlState(edata.get(JAVA_INT, ErrorData.SQLERRCODE)), text[0], text[1], text[2],
                context);
    }

    /** Inverse of MAKE_SQLSTATE: five 6-bit characters. */
    static String unpackSqlState(int code) {
        char[] c = new char[5];
        for (int i = 0; i < 5; i++) {
            c[i] = (char) (((code >> (6 * i)) & 0x3F) + '0');
        }
        return new String(c);
    }
}
