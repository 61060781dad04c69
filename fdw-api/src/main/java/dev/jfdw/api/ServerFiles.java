package dev.jfdw.api;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * Hidden files (.name) are left out of directories, and of globs unless
 * the pattern spells the dot, name by name, as a shell does. Symbolic links
 * are followed, and a file reached by two names is listed once, under the
 * first in name order. Relative names are relative to the data directory,
 * as with file_fdw.
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
            Pattern.of(files);
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

    /**
     * The files, now. A missing file is an error, and so is the directory a
     * pattern starts from (the part before its first wildcard); a directory
     * or pattern may match none.
     */
    public static List<Entry> resolve(String files) {
        try {
            if (isGlob(files)) {
                return glob(files);
            }
            Path path = Path.of(files);
            if (Files.exists(path) && !Files.isDirectory(path) && !Files.isRegularFile(path)) {
                // a FIFO or a device: a read from it could wait for ever, deaf to cancel and terminate
                throw new FdwException(SqlState.IO_ERROR, "\"" + files + "\" is not a regular file")
                        .withHint("Name a file, a directory or a glob pattern.");
            }
            if (Files.isDirectory(path)) {
                try (Stream<Path> entries = Files.list(path)) {
                    return distinct(entries.filter(p -> !p.getFileName().toString().startsWith(".")
                            && Files.isRegularFile(p)).toList());
                }
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

    /**
     * A glob: the directory without wildcards it starts from, and the rest
     * of the path as a regular expression over the names below it, matched
     * as a shell does (bash with globstar): {@code *}, {@code ?} and
     * {@code [...]} stay within one name, a name's leading dot is matched
     * only by a dot the pattern spells there, {@code **} alone as a name is
     * any number of directories (none hidden), and {@code {a,b}} is either.
     * Java's own glob matcher does none of the dot rules, and its {@code **}
     * needs at least one directory and crosses them anywhere in a name.
     *
     * @param depth how many names deep a match can be (for the walk)
     */
    private record Pattern(Path base, java.util.regex.Pattern rest, int depth) {
        /** Parses a pattern; one that is no glob (an unclosed bracket, say) throws IllegalArgumentException. */
        static Pattern of(String pattern) {
            int firstWild = 0;
            while (firstWild < pattern.length() && "*?[{".indexOf(pattern.charAt(firstWild)) < 0) {
                firstWild++;
            }
            int slash = pattern.lastIndexOf('/', firstWild);
            Path base = Path.of(slash < 0 ? "." : slash == 0 ? "/" : pattern.substring(0, slash));
            String rest = pattern.substring(slash + 1);
            try {
                StringBuilder regex = new StringBuilder();
                int names = translate(rest, regex);
                return new Pattern(base, java.util.regex.Pattern.compile(regex.toString()), names);
            } catch (IllegalArgumentException e) { // PatternSyntaxException too: a bad range in brackets
                String why = e instanceof java.util.regex.PatternSyntaxException p ? p.getDescription() : e.getMessage();
                throw new IllegalArgumentException("\"" + pattern + "\" is not a valid glob pattern: " + why + ".", e);
            }
        }

        /** Whether the path of a file, relative to the base, matches. */
        boolean matches(Path relative) {
            return rest.matcher(relative.toString()).matches();
        }

        private static final String NO_DOT = "(?!\\.)";

        /** Appends the glob's regular expression; returns the names a match may have (MAX_VALUE with **). */
        private static int translate(String glob, StringBuilder re) {
            int names = 1;
            boolean globstar = false;
            boolean nameStart = true;
            // for each open {: whether it began a name, as each of its alternatives then does
            java.util.Deque<Boolean> groups = new java.util.ArrayDeque<>();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                boolean atStart = nameStart;
                nameStart = false;
                switch (c) {
                    case '\\' -> {
                        if (++i == glob.length()) {
                            throw new IllegalArgumentException("nothing to escape after the final \\");
                        }
                        re.append(literal(glob.charAt(i)));
                    }
                    case '/' -> {
                        if (!atStart) { // a//b is a/b
                            re.append('/');
                            names++;
                        }
                        nameStart = true;
                    }
                    case '*' -> {
                        int end = i;
                        while (end + 1 < glob.length() && glob.charAt(end + 1) == '*') {
                            end++;
                        }
                        boolean wholeName = end + 1 == glob.length() || glob.charAt(end + 1) == '/';
                        if (end > i && atStart && wholeName) {
                            globstar = true;
                            if (end + 1 == glob.length()) { // everything below, at any depth
                                re.append("(?:" + NO_DOT + "[^/]*/)*" + NO_DOT + "[^/]*");
                            } else { // any number of directories, none too
                                re.append("(?:" + NO_DOT + "[^/]+/)*");
                                end++;
                                nameStart = true;
                            }
                        } else { // within a name, ** is *
                            re.append(atStart ? NO_DOT : "").append("[^/]*");
                        }
                        i = end;
                    }
                    case '?' -> re.append(atStart ? NO_DOT : "").append("[^/]");
                    case '[' -> i = bracket(glob, i, re.append(atStart ? NO_DOT : ""));
                    case '{' -> {
                        groups.push(atStart);
                        re.append("(?:");
                        nameStart = atStart;
                    }
                    case ',' -> {
                        if (groups.isEmpty()) {
                            re.append(',');
                        } else {
                            re.append('|');
                            nameStart = groups.peek();
                        }
                    }
                    case '}' -> {
                        if (groups.isEmpty()) {
                            re.append(literal(c));
                        } else {
                            groups.pop();
                            re.append(')');
                        }
                    }
                    default -> re.append(literal(c));
                }
            }
            if (!groups.isEmpty()) {
                throw new IllegalArgumentException("{ without }");
            }
            return globstar ? Integer.MAX_VALUE : names;
        }

        /**
         * [abc], [a-z], [!a] or [^a] (not a), []a] (] first is itself),
         * never a '/'. Appends the class; returns the index of its ].
         */
        private static int bracket(String glob, int open, StringBuilder re) {
            int i = open + 1;
            boolean negated = i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^');
            if (negated) {
                i++;
            }
            StringBuilder members = new StringBuilder();
            for (int first = i; ; i++) {
                if (i >= glob.length()) {
                    throw new IllegalArgumentException("[ without ]");
                }
                char c = glob.charAt(i);
                if (c == ']' && i > first) {
                    break;
                }
                boolean escaped = c == '\\' && i + 1 < glob.length();
                if (escaped) {
                    c = glob.charAt(++i);
                }
                if (c == '/') {
                    throw new IllegalArgumentException("a / inside [...]");
                }
                boolean range = c == '-' && !escaped && i > first && i + 1 < glob.length() && glob.charAt(i + 1) != ']';
                members.append(range ? "-" : literal(c));
            }
            re.append(negated ? "[^/" : "[").append(members).append(']');
            return i;
        }

        /** A character matched as itself (ASCII punctuation escaped; nothing else is special in a regex). */
        private static String literal(char c) {
            return c < 128 && !Character.isLetterOrDigit(c) ? "\\" + c : String.valueOf(c);
        }
    }

    private static List<Entry> glob(String files) throws IOException {
        Pattern pattern;
        try {
            pattern = Pattern.of(files);
        } catch (IllegalArgumentException e) {
            throw new FdwException(SqlState.FDW_INVALID_ATTRIBUTE_VALUE, e.getMessage(), e);
        }
        Path base = pattern.base();
        if (!Files.isDirectory(base)) {
            // most likely a typo: an error naming it says more than no rows would
            throw ioError("could not open directory", base.toString(), Files.exists(base)
                    ? new NotDirectoryException(base.toString()) : new NoSuchFileException(base.toString()));
        }
        List<Path> found = new ArrayList<>();
        try {
            // symbolic links are followed, as a shell does, and the files keep the names the pattern gives them
            Files.walkFileTree(base, EnumSet.of(FileVisitOption.FOLLOW_LINKS), pattern.depth(),
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                            // followed, a link has its target's attributes: one that still is a link is dangling,
                            // an error to read where the pattern names it, as a shell's cat would be
                            if ((attributes.isRegularFile() || attributes.isSymbolicLink())
                                    && pattern.matches(base.relativize(file))) {
                                found.add(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                            if (e instanceof FileSystemLoopException) {
                                return FileVisitResult.CONTINUE; // a link to a directory above it: its files are met there
                            }
                            throw e; // a directory on the way that cannot be read: its files would be missing rows
                        }
                    });
        } catch (IOException e) {
            String where = e instanceof FileSystemException f && f.getFile() != null ? f.getFile() : base.toString();
            throw ioError("could not read directory", where, e);
        }
        return distinct(found);
    }

    /**
     * The entries of {@code paths} in name order, each file once: one
     * reached by two names (a link, a linked directory that {@code **}
     * walks twice) keeps its first name, since reading it twice would
     * return its rows twice.
     */
    private static List<Entry> distinct(List<Path> paths) {
        List<Entry> result = new ArrayList<>();
        Set<Object> seen = new HashSet<>();
        for (Path p : paths.stream().sorted(Comparator.comparing(Path::toString)).toList()) {
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class);
            } catch (IOException e) {
                throw ioError("could not stat file", p.toString(), e);
            }
            if (a.fileKey() == null || seen.add(a.fileKey())) {
                result.add(new Entry(p, a.size(), a.lastModifiedTime()));
            }
        }
        return result;
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
