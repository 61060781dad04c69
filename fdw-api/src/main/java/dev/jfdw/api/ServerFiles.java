package dev.jfdw.api;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Files on the database server named by a connector's option, for
 * connectors that read them (declare that option with
 * {@link OptionSpec#readsServerFiles()}): one file, every file of a
 * directory, or the files a glob pattern matches ({@code *}, {@code ?},
 * {@code [...]}, {@code {a,b}}, and {@code **} across directories, none
 * included), in name order. A name that exists is that file or directory,
 * even if it has wildcard characters; {@code \} escapes them in a pattern.
 * Hidden files (.name) are left out of directories and globs. Relative
 * names are relative to the data directory, as with file_fdw.
 */
public final class ServerFiles {
    private ServerFiles() {}

    /** A file, its size on disk and when it was last modified. */
    public record Entry(Path path, long size, FileTime modified) {
        static Entry of(Path path) throws IOException {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new Entry(path, a.size(), a.lastModifiedTime());
        }
    }

    /**
     * What a connector learns from a file's content for planning (a row
     * count, bytes per record), kept in this backend while the file keeps
     * its size and modification time. Every query plans, and reading a
     * file for its estimate each time costs milliseconds a query.
     */
    public static final class Memo<T> {
        private record Known<T>(Entry file, T value) {}

        private final Function<Entry, T> read;
        private final Map<Path, Known<T>> known = new ConcurrentHashMap<>();

        /** {@code read} learns the value from a file (it should not throw: planning goes on). */
        public Memo(Function<Entry, T> read) {
            this.read = read;
        }

        /** The value for this version of the file: remembered, or read now. */
        public T get(Entry file) {
            Known<T> k = known.get(file.path());
            if (k != null && k.file().equals(file)) {
                return k.value();
            }
            T value = read.apply(file);
            known.put(file.path(), new Known<>(file, value));
            return value;
        }
    }

    /** Whether {@code files} is a glob pattern rather than a file or directory name. */
    public static boolean isGlob(String files) {
        return files.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{')
                && !Files.exists(Path.of(files));
    }

    /**
     * Checks a files option when it is set: a pattern that is no glob
     * (an unclosed bracket, say) throws IllegalArgumentException, which an
     * option's parser turns into an invalid-value error (HV024).
     */
    public static String checkPattern(String files) {
        if (isGlob(files)) {
            Pattern p = Pattern.of(files);
            p.matchers();
        }
        return files;
    }

    /**
     * The files, if they can be listed now; empty if not (a missing file or
     * directory). For estimates and EXPLAIN, which must not fail where
     * reading the table would say why.
     */
    public static Optional<List<Entry>> tryResolve(String files) {
        try {
            return Optional.of(resolve(files));
        } catch (FdwException e) {
            return Optional.empty();
        }
    }

    /** The files, now. A missing file is an error; a directory or glob may match none. */
    public static List<Entry> resolve(String files) {
        try {
            if (isGlob(files)) {
                return glob(Pattern.of(files));
            }
            Path path = Path.of(files);
            if (Files.exists(path) && !Files.isDirectory(path) && !Files.isRegularFile(path)) {
                // a FIFO or a device: a read from it could wait for ever, deaf to cancel and terminate
                throw new FdwException(SqlState.IO_ERROR, "\"" + files + "\" is not a regular file")
                        .withHint("Name a file, a directory or a glob pattern.");
            }
            if (Files.isDirectory(path)) {
                List<Entry> result = new ArrayList<>();
                try (Stream<Path> entries = Files.list(path)) {
                    for (Path p : entries.sorted().toList()) {
                        if (!p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)) {
                            result.add(Entry.of(p));
                        }
                    }
                }
                return result;
            }
            try {
                return List.of(Entry.of(path));
            } catch (IOException e) {
                throw ioError("could not open file", files, e);
            }
        } catch (IOException e) {
            throw ioError("could not read directory", files, e);
        }
    }

    /** A glob: the directory without wildcards it starts from, and the pattern for the rest of the path. */
    private record Pattern(String text, Path base, String rest) {
        static Pattern of(String pattern) {
            int firstWild = 0;
            while (firstWild < pattern.length() && "*?[{".indexOf(pattern.charAt(firstWild)) < 0) {
                firstWild++;
            }
            int slash = pattern.lastIndexOf('/', firstWild);
            return new Pattern(pattern, Path.of(slash < 0 ? "." : slash == 0 ? "/" : pattern.substring(0, slash)),
                    pattern.substring(slash + 1));
        }

        /**
         * Java's {@code **}{@code /} needs at least one directory; a shell's
         * (globstar) matches none too: each may also be left out.
         */
        List<PathMatcher> matchers() {
            List<String> variants = new ArrayList<>();
            leaveOut(rest, 0, variants);
            try {
                return variants.stream().map(v -> FileSystems.getDefault().getPathMatcher("glob:" + v)).toList();
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new IllegalArgumentException("\"" + text + "\" is not a valid glob pattern: "
                        + e.getDescription() + ".", e);
            }
        }

        private static void leaveOut(String p, int from, List<String> variants) {
            int at = p.indexOf("**/", from);
            while (at > 0 && p.charAt(at - 1) != '/') { // x**/ is no globstar
                at = p.indexOf("**/", at + 1);
            }
            if (at < 0 || variants.size() > 64) {
                variants.add(p);
                return;
            }
            leaveOut(p, at + 3, variants);
            leaveOut(p.substring(0, at) + p.substring(at + 3), at, variants);
        }
    }

    private static boolean hidden(Path relative) {
        for (Path name : relative) {
            if (name.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static List<Entry> glob(Pattern pattern) throws IOException {
        Path base = pattern.base();
        List<PathMatcher> matchers;
        try {
            matchers = pattern.matchers();
        } catch (IllegalArgumentException e) {
            throw new FdwException(SqlState.FDW_INVALID_ATTRIBUTE_VALUE, e.getMessage(), e);
        }
        int depth = pattern.rest().contains("**") ? Integer.MAX_VALUE : pattern.rest().split("/", -1).length;
        if (!Files.isDirectory(base)) {
            throw ioError("could not open directory", base.toString(), new NoSuchFileException(base.toString()));
        }
        // as a shell: names that start with a dot, files or directories, only where the pattern says so
        boolean dotsNamed = ("/" + pattern.rest()).contains("/.");
        try (Stream<Path> paths = Files.walk(base, depth)) {
            return paths.filter(p -> matchers.stream().anyMatch(m -> m.matches(base.relativize(p)))
                            && Files.isRegularFile(p) && (dotsNamed || !hidden(base.relativize(p))))
                    .sorted(Comparator.comparing(Path::toString))
                    .map(p -> {
                        try {
                            return Entry.of(p);
                        } catch (IOException e) {
                            throw ioError("could not stat file", p.toString(), e);
                        }
                    }).toList();
        } catch (java.io.UncheckedIOException e) {
            // a directory on the way that cannot be read: its files would be missing rows
            String where = e.getCause() instanceof java.nio.file.FileSystemException f && f.getFile() != null
                    ? f.getFile() : base.toString();
            throw ioError("could not read directory", where, e.getCause());
        }
    }

    /**
     * The directory IMPORT FOREIGN SCHEMA reads {@code kind} (say "JSON
     * files") from: only superusers and members of pg_read_server_files
     * (42501), and it must be an existing directory named by absolute path
     * (HV00Q).
     */
    public static Path importDirectory(String directory, String kind) {
        if (!Postgres.canReadServerFiles()) {
            throw new FdwException(SqlState.INSUFFICIENT_PRIVILEGE,
                    "permission denied to import " + kind + " from \"" + directory + "\"")
                    .withHint("Only superusers and members of pg_read_server_files may read files on the server.");
        }
        Path dir = Path.of(directory);
        if (!dir.isAbsolute() || !Files.isDirectory(dir)) {
            throw new FdwException(SqlState.FDW_SCHEMA_NOT_FOUND, "directory \"" + directory + "\" does not exist")
                    .withHint("The remote schema of IMPORT FOREIGN SCHEMA is a directory on the database server, "
                            + "named by its absolute path: IMPORT FOREIGN SCHEMA \"/srv/data\" FROM SERVER ... INTO ...");
        }
        return dir;
    }

    /** An I/O failure as PostgreSQL reports one: 58P01 for a missing file, 42501 for no permission, else 58030. */
    public static FdwException ioError(String what, String file, IOException e) {
        String state = e instanceof NoSuchFileException ? SqlState.UNDEFINED_FILE
                : e instanceof AccessDeniedException ? SqlState.INSUFFICIENT_PRIVILEGE : SqlState.IO_ERROR;
        String reason = e instanceof NoSuchFileException ? "No such file or directory"
                : e instanceof AccessDeniedException ? "Permission denied"
                : e instanceof NotDirectoryException ? "Not a directory" : e.getMessage();
        return new FdwException(state, what + " \"" + file + "\": " + reason, e);
    }
}
