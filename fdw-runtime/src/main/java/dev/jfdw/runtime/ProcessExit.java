package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * Runtime.exit in a backend. The JVM would end the process without
 * PostgreSQL's cleanup, and the postmaster answers that by restarting the
 * cluster, every session with it. The JDK logs each Runtime.exit (and
 * System.exit) call, with the caller's stack, to the System.Logger named
 * {@code java.lang.Runtime} before it shuts anything down (Runtime.exit's
 * implementation note): {@link JfdwLoggerFinder} hands that record here,
 * and the session ends PostgreSQL's way instead. Runtime.halt, which logs
 * nothing, cannot be stopped, and neither can an exit from another thread
 * while the backend waits for that thread.
 */
final class ProcessExit {
    private ProcessExit() {}

    /** The logger the JDK logs Runtime.exit to. */
    static final String RUNTIME_LOGGER = "java.lang.Runtime";

    private static final int SIGTERM = 15;

    /** How long a thread that called Runtime.exit waits for the backend to terminate before the exit goes on. */
    private static final long GRACE_NANOS = 10_000_000_000L;

    private static final Pattern CALL = Pattern.compile("Runtime\\.exit\\(-?[0-9]+\\)");

    /** Whether a record of the Runtime logger is the JDK's report of a Runtime.exit call. */
    static boolean isExitCall(Throwable t) {
        StackTraceElement[] frames = t.getStackTrace();
        return t.getClass() == Throwable.class && t.getMessage() != null && CALL.matcher(t.getMessage()).matches()
                && frames.length > 0 && frames[0].getClassName().equals("java.lang.Shutdown");
    }

    /**
     * Called where Runtime.exit logs {@code call} ("Runtime.exit(3)"): on
     * the backend thread, a FATAL ends the session; on another thread, the
     * backend is told to terminate, as pg_terminate_backend does, and the
     * thread waits for it. Should the backend not get there in time (it
     * may be waiting for that very thread), the exit goes on, as it does
     * before the runtime has booted.
     */
    static void requested(Throwable call) {
        if (!Native.booted()) {
            return;
        }
        String trace;
        try {
            StringWriter w = new StringWriter();
            call.printStackTrace(new PrintWriter(w));
            trace = w.toString().stripTrailing();
        } catch (Throwable t) { // a StackOverflowError the caller caught and exited on, say
            trace = "(no stack trace: " + t + ")";
        }
        if (Native.onBackendThread()) {
            Pg.terminate(call.getMessage(), trace);
        }
        LogStreams.log("thread \"" + Thread.currentThread().getName() + "\" called " + call.getMessage()
                + ": the session is terminated instead\n" + trace);
        terminateBackend();
        long until = System.nanoTime() + GRACE_NANOS;
        boolean interrupted = false;
        for (long left = GRACE_NANOS; left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
            // interrupts are no way out, and must not make this a busy loop: park returns at once while one is set
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        LogStreams.log("the backend did not terminate within " + GRACE_NANOS / 1_000_000_000L + " s of "
                + call.getMessage() + " on thread \"" + Thread.currentThread().getName() + "\": the JVM exits");
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
