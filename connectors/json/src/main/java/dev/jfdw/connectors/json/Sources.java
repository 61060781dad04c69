package dev.jfdw.connectors.json;

import dev.jfdw.api.FdwException;
import dev.jfdw.api.ServerFiles;
import dev.jfdw.api.ServerFiles.Entry;
import dev.jfdw.api.SqlState;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.util.zip.GZIPInputStream;

/** Opening the files of a table's {@code files} option (found by {@link ServerFiles}). */
final class Sources {
    private Sources() {}

    /**
     * The file's bytes, decompressed when it is gzip (by its magic number,
     * whatever its name), with counts of the bytes read from disk.
     */
    static CountingInput open(Entry source) {
        CountingInput raw = null;
        try {
            raw = new CountingInput(Files.newInputStream(source.path()));
            // no buffer of its own: JsonReader reads in large chunks, and every layer is a copy of the file
            PushbackInputStream peek = new PushbackInputStream(raw, 2);
            byte[] magic = peek.readNBytes(2);
            peek.unread(magic);
            boolean gzip = magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
            raw.decoded = gzip ? new Gunzip(peek) : peek;
            raw.gzip = gzip;
            return raw;
        } catch (IOException e) {
            closeQuietly(raw); // a descriptor PostgreSQL does not count: not left to the garbage collector
            throw e instanceof EOFException eof ? gzipEndsEarly(source.path().toString(), eof) // in its header
                    : ioError("could not open file", source.path().toString(), e);
        }
    }

    /** Closes a file's streams, gzip's inflater included, when failing already. */
    static void closeQuietly(CountingInput in) {
        if (in != null) {
            try {
                (in.decoded != null ? in.decoded : in).close();
            } catch (IOException ignored) {
                // failing already: the first error is the one to report
            }
        }
    }

    /** gzip that says how much it compresses: its read-ahead makes the file's own count no measure. */
    static final class Gunzip extends GZIPInputStream {
        Gunzip(InputStream in) throws IOException {
            super(in, 1 << 16);
        }

        /** Compressed bytes per decompressed byte, so far (in the current gzip member). */
        double ratio() {
            return inf.getBytesWritten() == 0 ? 1 : (double) inf.getBytesRead() / inf.getBytesWritten();
        }
    }

    /** A file's stream: {@link #decoded} is what to parse; the counts are of the file itself. */
    static final class CountingInput extends InputStream {
        private final InputStream file;
        private long bytesRead;
        InputStream decoded;
        boolean gzip;

        CountingInput(InputStream file) {
            this.file = file;
        }

        long bytesRead() {
            return bytesRead;
        }

        @Override
        public int read() throws IOException {
            int b = file.read();
            if (b >= 0) {
                bytesRead++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = file.read(b, off, len);
            if (n > 0) {
                bytesRead += n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    static FdwException gzipEndsEarly(String file, EOFException e) {
        return new FdwException(SqlState.IO_ERROR, "could not read file \"" + file + "\": the gzip data ends early", e)
                .withDetail("The file is truncated.");
    }

    static FdwException ioError(String what, String file, IOException e) {
        return ServerFiles.ioError(what, file, e);
    }
}
