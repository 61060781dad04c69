package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.jfdw.api.FdwException;
import dev.jfdw.api.PgException;
import dev.jfdw.api.QueryCanceledException;
import dev.jfdw.runtime.Native.Frame;
import dev.jfdw.runtime.Native.Function;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Java failures as PostgreSQL errors. The upcall entry point hands every
 * Throwable here; it fills the glue's JfdwJavaError buffer and returns the
 * status C turns into an ERROR once the Java frames are gone. A PostgreSQL
 * error raised under Java is still pending in C and wins: C re-throws it
 * with all its original fields.
 */
final class PgErrors {
    private PgErrors() {}

    static final long STATUS_JAVA_ERROR = -1;
    static final long STATUS_INTERRUPT = -3;

    private static final int MAX_STACK_LINES = 40;
    private static final PrintStream SERVER_LOG =
            new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    private static final class Buffer {
        static final MemorySegment ERROR = Native.symbol("jfdw_java_error").reinterpret(Layout.sizeOf("JfdwJavaError"));
        static final long SQLSTATE = Layout.of("JfdwJavaError.sqlstate");
        static final long MESSAGE = Layout.of("JfdwJavaError.message");
        static final long DETAIL = Layout.of("JfdwJavaError.detail");
        static final long HINT = Layout.of("JfdwJavaError.hint");
        static final long CONTEXT = Layout.of("JfdwJavaError.context");
        static final long MESSAGE_SIZE = Layout.of("sizeof(JfdwJavaError.message)");
        static final long DETAIL_SIZE = Layout.of("sizeof(JfdwJavaError.detail)");
        static final long HINT_SIZE = Layout.of("sizeof(JfdwJavaError.hint)");
        static final long CONTEXT_SIZE = Layout.of("sizeof(JfdwJavaError.context)");
    }

    private static final Function ADD_CONTEXT = Function.direct("jfdw_pending_error_context");

    /** Adds a CONTEXT line to the PostgreSQL error pending in C, if any. */
    static void addContext(String line) {
        try (Arena a = Arena.ofConfined(); Frame f = Native.frame()) {
            f.set(0, Pg.cstring(a, line)).call(ADD_CONTEXT);
        }
    }

    /** Describes {@code t} for C and returns the upcall status. Never throws. */
    static long report(Throwable t, String context) {
        try {
            if (t instanceof QueryCanceledException || Native.cancelPending()) {
                if (context != null) {
                    addContext(context); // to PostgreSQL's cancel, if one was raised under Java
                    // and to the one C raises now, if not
                    put(Buffer.ERROR, Buffer.CONTEXT, Buffer.CONTEXT_SIZE, Secrets.mask(context));
                }
                return STATUS_INTERRUPT;
            }
            switch (t) {
                case PgException e -> {
                    String added = e.contextLines().isEmpty() ? null : String.join("\n", e.contextLines());
                    fill(e.sqlState(), e.getMessage(), e.detail(), e.hint(), join(join(e.context(), added), context));
                    // the error C re-throws is the pending one: it gets the lines too
                    for (String line : e.contextLines()) {
                        addContext(line);
                    }
                    if (context != null) {
                        addContext(context);
                    }
                }
                case FdwException e -> fill(e.sqlState(), e.getMessage(), e.detail(), e.hint(),
                        join(e.contextLines().isEmpty() ? null : String.join("\n", e.contextLines()), context));
                case OutOfMemoryError e -> fill("53200", "out of memory in jfdw's JVM: " + e.getMessage(),
                        null, "Give the JVM a larger heap with -Xmx in jfdw.jvm_options (the default is 64m).", context);
                case StackOverflowError e -> fill("54001", "stack depth limit exceeded in Java code",
                        stackTrace(e), null, context);
                default -> {
                    StringWriter trace = new StringWriter();
                    t.printStackTrace(new PrintWriter(trace));
                    SERVER_LOG.println("jfdw: " + context + ": uncaught Java exception");
                    SERVER_LOG.print(Secrets.mask(trace.toString()));
                    fill("XX000", t.getClass().getName() + (t.getMessage() != null ? ": " + t.getMessage() : ""),
                            stackTrace(t), null, context);
                }
            }
        } catch (Throwable failure) {
            try {
                fill("XX000", "jfdw could not report a Java error: " + t.getClass().getName(), null, null, context);
            } catch (Throwable ignored) {
                // the buffer stays as it was; C reports a generic error
            }
        }
        return STATUS_JAVA_ERROR;
    }

    private static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + "\n" + b;
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        String[] lines = out.toString().split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.length && i < MAX_STACK_LINES; i++) {
            b.append(lines[i].stripTrailing()).append('\n');
        }
        if (lines.length > MAX_STACK_LINES) {
            b.append("\t... ").append(lines.length - MAX_STACK_LINES).append(" more lines in the server log");
        }
        return b.toString().stripTrailing();
    }

    private static void fill(String sqlState, String message, String detail, String hint, String context) {
        MemorySegment e = Buffer.ERROR;
        put(e, Buffer.MESSAGE, Buffer.MESSAGE_SIZE, Secrets.mask(message));
        put(e, Buffer.DETAIL, Buffer.DETAIL_SIZE, Secrets.mask(detail));
        put(e, Buffer.HINT, Buffer.HINT_SIZE, Secrets.mask(hint));
        put(e, Buffer.CONTEXT, Buffer.CONTEXT_SIZE, Secrets.mask(context));
        put(e, Buffer.SQLSTATE, 8, sqlState);
    }

    /** Writes {@code s} NUL-terminated in the server encoding, cut to fit. */
    private static void put(MemorySegment buffer, long offset, long size, String s) {
        String text = s == null ? "" : s;
        byte[] b = PgStrings.encodeMessage(text);
        while (b.length > size - 1) {
            text = text.substring(0, (int) Math.min(text.length() - 1, size - 5)) + "...";
            b = PgStrings.encodeMessage(text);
        }
        MemorySegment.copy(b, 0, buffer, JAVA_BYTE, offset, b.length);
        buffer.set(JAVA_BYTE, offset + b.length, (byte) 0);
    }
}
