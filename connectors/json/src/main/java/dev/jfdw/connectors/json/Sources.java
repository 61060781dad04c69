package dev.jfdw.connectors.json;

import dev.jfdw.api.FdwException;
import dev.jfdw.api.SqlState;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The files of a table's {@code files} option: one file, every file of a
 * directory, or the files a glob pattern matches ({@code *}, {@code ?},
 * {@code [...]}, {@code {a,b}}, and {@code **} across directories), in name
 * order. Hidden files (.name) are left out of directories and globs.
 * Relative names are relative to the data directory, as with file_fdw.
 */
final class Sources {
    private Sources() {}

    /** A file and its size on disk. */
    record Source(Path path, long size) {
        boolean gzipped() {
            return path.getFileName().toString().endsWith(".gz");
        }
    }

    static boolean isGlob(String files) {
        return files.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    /** The files, now. A missing file is an error; a directory or glob may match none. */
    static List<Source> resolve(String files) {
        try {
            if (isGlob(files)) {
                return glob(files);
            }
            Path path = Path.of(files);
            if (Files.isDirectory(path)) {
                List<Source> result = new ArrayList<>();
                try (Stream<Path> entries = Files.list(path)) {
                    for (Path p : entries.sorted().toList()) {
                        if (!p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)) {
                            result.add(new Source(p, Files.size(p)));
                        }
                    }
                }
                return result;
            }
            try {
                return List.of(new Source(path, Files.size(path)));
            } catch (IOException e) {
                throw ioError("could not open file", files, e);
            }
        } catch (IOException e) {
            throw ioError("could not read directory", files, e);
        }
    }

    private static List<Source> glob(String pattern) throws IOException {
        // walk from the deepest directory without a wildcard
        int firstWild = 0;
        while (firstWild < pattern.length() && "*?[{".indexOf(pattern.charAt(firstWild)) < 0) {
            firstWild++;
        }
        int slash = pattern.lastIndexOf('/', firstWild);
        Path base = Path.of(slash < 0 ? "." : slash == 0 ? "/" : pattern.substring(0, slash));
        String rest = pattern.substring(slash + 1);
        int depth = rest.contains("**") ? Integer.MAX_VALUE : rest.split("/", -1).length;
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        if (!Files.isDirectory(base)) {
            throw ioError("could not open directory", base.toString(), new NoSuchFileException(base.toString()));
        }
        try (Stream<Path> paths = Files.walk(base, depth)) {
            return paths.filter(p -> matcher.matches(base.relativize(p)) && Files.isRegularFile(p)
                            && !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(Path::toString))
                    .map(p -> {
                        try {
                            return new Source(p, Files.size(p));
                        } catch (IOException e) {
                            throw ioError("could not stat file", p.toString(), e);
                        }
                    }).toList();
        }
    }

    /**
     * The file's bytes, decompressed when it is gzip (by its magic number,
     * whatever its name), with counts of the bytes read from disk.
     */
    static CountingInput open(Source source) {
        try {
            CountingInput raw = new CountingInput(Files.newInputStream(source.path()));
            BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
            buffered.mark(2);
            int b1 = buffered.read();
            int b2 = buffered.read();
            buffered.reset();
            boolean gzip = b1 == 0x1f && b2 == 0x8b;
            raw.decoded = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
            raw.gzip = gzip;
            return raw;
        } catch (IOException e) {
            throw ioError("could not open file", source.path().toString(), e);
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

    /** An I/O failure as PostgreSQL reports one: 58P01 for a missing file, 42501 for no permission, else 58030. */
    static FdwException ioError(String what, String file, IOException e) {
        String state = e instanceof NoSuchFileException ? SqlState.UNDEFINED_FILE
                : e instanceof AccessDeniedException ? SqlState.INSUFFICIENT_PRIVILEGE : SqlState.IO_ERROR;
        String reason = e instanceof NoSuchFileException ? "No such file or directory"
                : e instanceof AccessDeniedException ? "Permission denied"
                : e instanceof NotDirectoryException ? "Not a directory" : e.getMessage();
        return new FdwException(state, what + " \"" + file + "\": " + reason, e);
    }
}
