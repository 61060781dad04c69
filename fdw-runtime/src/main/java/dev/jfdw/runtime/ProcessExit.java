package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Runtime.exit in a backend. The JVM would end the process without
 * PostgreSQL's cleanup, and the postmaster answers that by restarting the
 * cluster, every session with it. The JDK logs each Runtime.exit (and
 * System.exit) call, with the caller's stack, to the System.Logger named
 * {@code java.lang.Runtime} before it shuts anything down (Runtime.exit's
 * implementation note): {@link JfdwLoggerFinder} hands that record here,
 * and the session ends PostgreSQL's way instead. Runtime.halt, which logs
 * nothing, cannot be stopped.
 */
final class ProcessExit {
    private ProcessExit() {}

    /** The logger the JDK logs Runtime.exit to. */
    static final String RUNTIME_LOGGER = "java.lang.Runtime";

    private static final int SIGTERM = 15;

    /**
     * Called where Runtime.exit logs {@code call} ("Runtime.exit(3)"): on
     * the backend thread, a FATAL ends the session; on another thread, the
     * backend is told to terminate, as pg_terminate_backend does, and the
     * thread never returns, so the JVM does not exit. Before the runtime
     * has booted, the exit goes on.
     */
    static void requested(Throwable call) {
        if (!Native.booted()) {
            return;
        }
        String trace = PgErrors.stackTrace(call);
        if (Native.onBackendThread()) {
            Pg.terminate(call.getMessage(), trace);
        }
        LogStreams.log("thread \"" + Thread.currentThread().getName() + "\" called " + call.getMessage()
                + ": the session is terminated instead, and the thread stopped for good\n" + trace);
        terminateBackend();
        while (true) {
            LockSupport.park(); // interrupts too are no way out
        }
    }

    /** kill(getpid(), SIGTERM): from any thread; the backend thread is the one not blocking the signal. */
    private static void terminateBackend() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle kill = linker.downcallHandle(linker.defaultLookup().findOrThrow("kill"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
            int rc = (int) kill.invokeExact((int) ProcessHandle.current().pid(), SIGTERM);
            if (rc != 0) {
                LogStreams.log("could not signal the backend to terminate (kill returned " + rc + ")");
            }
        } catch (Throwable t) {
            LogStreams.log("could not signal the backend to terminate: " + t);
        }
    }
}
