package dev.jfdw.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL cluster for tests: initdb'ed into a temporary directory,
 * started on a free port, and stopped and deleted on {@link #close()}.
 *
 * <p>PostgreSQL refuses to run as root: when the tests run as root, the
 * cluster runs as an unprivileged OS user ({@code postgres} by default,
 * {@code jfdw.test.osUser} to choose). Connector JARs are copied into the
 * cluster's own connector directory, readable by that user wherever the build
 * tree lives.
 *
 * <pre>{@code
 * try (PostgresCluster pg = PostgresCluster.builder().connector(Path.of("target/my-connector.jar")).start();
 *      Connection c = pg.connect()) {
 *     c.createStatement().execute("CREATE EXTENSION jfdw");
 * }
 * }</pre>
 */
public final class PostgresCluster implements AutoCloseable {
    private final Path bindir;
    private final Path sharedir;
    private final Path home;
    private final Path dataDir;
    private final Path connectorDir;
    private final Path logFile;
    private final int port;
    private final String osUser;
    private boolean running;

    private PostgresCluster(Builder b) throws IOException, InterruptedException {
        String pgConfig = b.pgConfig != null ? b.pgConfig : defaultPgConfig();
        this.bindir = Path.of(run(List.of(pgConfig, "--bindir")).strip());
        this.sharedir = Path.of(run(List.of(pgConfig, "--sharedir")).strip());
        this.osUser = b.osUser != null ? b.osUser
                : "root".equals(System.getProperty("user.name")) ? "postgres" : null;
        this.port = freePort();
        this.home = Files.createTempDirectory("jfdw-test-");
        this.dataDir = home.resolve("data");
        this.connectorDir = home.resolve("connectors");
        this.logFile = home.resolve("postgresql.log");
        Files.createDirectories(connectorDir);
        for (Path jar : b.connectors) {
            copyConnector(jar);
        }
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        chownTree(home);

        asUser(List.of(bindir.resolve("initdb").toString(), "-D", dataDir.toString(), "-A", "trust",
                "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("port", Integer.toString(port));
        settings.put("listen_addresses", "'127.0.0.1'");
        settings.put("unix_socket_directories", "'" + home + "'");
        settings.put("max_connections", "60");
        settings.put("fsync", "off");
        settings.put("synchronous_commit", "off");
        settings.put("full_page_writes", "off");
        settings.put("log_line_prefix", "'%m [%p] '");
        settings.put("jfdw.connector_path", "'" + connectorDir + ":" + sharedir.resolve("jfdw/connectors") + "'");
        settings.putAll(b.settings);
        StringBuilder conf = new StringBuilder("\n# jfdw test kit\n");
        settings.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(dataDir.resolve("postgresql.conf"), conf.toString(), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a cluster; {@link #start()} runs initdb and starts it. */
    public static final class Builder {
        private String pgConfig = System.getProperty("jfdw.test.pgConfig");
        private String osUser = System.getProperty("jfdw.test.osUser");
        private final List<Path> connectors = new ArrayList<>();
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder() {}

        /** The pg_config of the installation to use (default: $PG_CONFIG, then PostgreSQL 15's, then PATH). */
        public Builder pgConfig(String path) {
            this.pgConfig = path;
            return this;
        }

        /** The OS user that runs the cluster when the tests run as root. */
        public Builder osUser(String user) {
            this.osUser = user;
            return this;
        }

        /** A connector JAR, or a directory of JARs, to make available to the cluster. */
        public Builder connector(Path jarOrDirectory) {
            connectors.add(jarOrDirectory);
            return this;
        }

        /** A postgresql.conf setting, the value written as is (quote strings: {@code "'on'"}). */
        public Builder setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        public PostgresCluster start() {
            try {
                return new PostgresCluster(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String defaultPgConfig() {
        String env = System.getenv("PG_CONFIG");
        if (env != null && !env.isBlank()) {
            return env;
        }
        Path pg15 = Path.of("/usr/lib/postgresql/15/bin/pg_config");
        return Files.isExecutable(pg15) ? pg15.toString() : "pg_config";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void copyConnector(Path source) throws IOException {
        if (Files.isDirectory(source)) {
            Path target = connectorDir.resolve(source.getFileName());
            Files.createDirectories(target);
            try (Stream<Path> jars = Files.list(source)) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    Files.copy(jar, target.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } else {
            Files.copy(source, connectorDir.resolve(source.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void chownTree(Path root) throws IOException {
        if (osUser == null) {
            return;
        }
        UserPrincipal owner = root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(osUser);
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                Files.setOwner(p, owner);
            }
        }
    }

    private String asUser(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (osUser != null) {
            full.addAll(List.of("runuser", "-u", osUser, "--"));
        }
        full.addAll(command);
        return run(full);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + out);
        }
        return out;
    }

    /** Starts the cluster (again, after {@link #stop()}). */
    public void start() {
        try {
            asUser(List.of(bindir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-l", logFile.toString(),
                    "-w", "-t", "120", "start"));
            running = true;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("PostgreSQL did not start; log:\n" + log(), e);
        }
    }

    public void stop() {
        if (!running) {
            return;
        }
        try {
            asUser(List.of(bindir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w",
                    "-t", "120", "stop"));
            running = false;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("PostgreSQL did not stop", e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** A connection as the superuser {@code postgres}. */
    public Connection connect() throws SQLException {
        return connect("postgres");
    }

    public Connection connect(String role) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), role, "");
    }

    /** The server's programs (psql, pg_dump, ...), for tests that run them against the cluster. */
    public Path binDirectory() {
        return bindir;
    }

    public Path dataDirectory() {
        return dataDir;
    }

    /**
     * A new, empty directory that the server can read, for the files a test
     * hands to a connector: the tests may run as root and the server as
     * another OS user, who could not read the build tree.
     */
    public Path newFileDirectory(String name) {
        try {
            Path dir = Files.createTempDirectory(home, name + "-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory connectors are loaded from (first on jfdw.connector_path). */
    public Path connectorDirectory() {
        return connectorDir;
    }

    /** The pid of the postmaster, from postmaster.pid. */
    public long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).getFirst().strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server log so far. */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A position in the server log, for {@link #logSince}. */
    public long logMark() {
        try {
            return Files.exists(logFile) ? Files.size(logFile) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server log written after {@code mark}. */
    public String logSince(long mark) {
        String all = log();
        byte[] bytes = all.getBytes(StandardCharsets.UTF_8);
        return mark >= bytes.length ? "" : new String(bytes, (int) mark, bytes.length - (int) mark, StandardCharsets.UTF_8);
    }

    /**
     * Fails if, since {@code mark}, a backend crashed: the postmaster then logs
     * that a server process was terminated or exited abnormally and
     * reinitializes, which ends every session.
     */
    public void assertNoCrashSince(long mark) {
        String log = logSince(mark);
        for (String sign : List.of("terminated by signal", "exited with exit code", "was terminated by exception",
                "all server processes terminated", "terminating any other active server processes",
                "server process (PID")) {
            if (log.contains(sign)) {
                throw new AssertionError("a backend crashed (\"" + sign + "\" in the server log):\n" + log);
            }
        }
    }

    /**
     * As {@link #assertNoCrashSince(long)}, and without trusting the log's
     * wording: {@code witness}, a session opened at the mark and idle
     * since, must still answer, for a crash ends every session. Closes it.
     */
    public void assertNoCrashSince(long mark, Connection witness) {
        assertNoCrashSince(mark);
        try (witness) {
            try (var s = witness.createStatement(); var r = s.executeQuery("SELECT 1")) {
                r.next();
            }
        } catch (SQLException e) {
            throw new AssertionError("a session opened before the test was ended (a backend crash ends them all):\n"
                    + logSince(mark), e);
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            deleteTree(home);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary directory is not worth failing a run over
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL cluster on port " + port + " in " + home;
    }
}
