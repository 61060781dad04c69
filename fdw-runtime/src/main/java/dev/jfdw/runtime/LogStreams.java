package dev.jfdw.runtime;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * System.out and System.err, line by line, into the server log: through
 * elog(LOG) on the backend thread, so lines carry log_line_prefix; written
 * to the backend's stderr (which is the server log) from other threads or
 * when PostgreSQL cannot be called.
 */
final class LogStreams {
    private LogStreams() {}

    private static final OutputStream RAW = new FileOutputStream(FileDescriptor.err);

    static void install() {
        System.setOut(stream("stdout"));
        System.setErr(stream("stderr"));
    }

    /** A stream whose lines go to the server log; not yet installed as System.out or System.err. */
    static PrintStream stream(String name) {
        return new PrintStream(new LineStream(name), true, StandardCharsets.UTF_8);
    }

    /** A line to the server log, by whatever way is safe now. */
    static void log(String line) {
        if (Native.onBackendThread()) {
            try {
                Pg.elog(Layout.intOf("LOG"), line);
                return;
            } catch (RuntimeException e) {
                // PostgreSQL cannot be called now: fall through to raw stderr
            }
        }
        synchronized (RAW) {
            try {
                RAW.write(("jfdw: " + Secrets.mask(line) + "\n").getBytes(StandardCharsets.UTF_8));
                RAW.flush();
            } catch (java.io.IOException ignored) {
                // nowhere left to report it
            }
        }
    }

    /** A line longer than this is logged in pieces. */
    private static final int MAX_LINE = 8192;

    /**
     * Buffers per thread and logs whole lines. flush() logs nothing: PrintStream
     * flushes after every write, which would cut a printf into pieces.
     */
    private static final class LineStream extends OutputStream {
        private final String name;
        private final ThreadLocal<ByteArrayOutputStream> line = ThreadLocal.withInitial(ByteArrayOutputStream::new);

        LineStream(String name) {
            this.name = name;
        }

        @Override
        public void write(int b) {
            ByteArrayOutputStream buf = line.get();
            if (b == '\n') {
                flushLine(buf);
            } else {
                buf.write(b);
                if (buf.size() >= MAX_LINE) {
                    flushLine(buf);
                }
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        private void flushLine(ByteArrayOutputStream buf) {
            String text = buf.toString(StandardCharsets.UTF_8);
            buf.reset();
            log("Java " + name + ": " + text);
        }
    }
}
