package dev.jfdw.runtime;

import dev.jfdw.api.Connector;
import dev.jfdw.api.FdwException;
import dev.jfdw.api.fdw.FdwRoutine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds connectors in the directories of {@code jfdw.connector_path}. Each
 * JAR there, or each subdirectory (all its JARs together), gets its own
 * class loader that sees only the JDK and the jfdw API: two connectors can
 * bring different versions of one library, and none sees jfdw's internals.
 *
 * <p>A wrapper's handler and validator functions are named
 * {@code <connector>_handler} and {@code <connector>_validator}; the
 * connector is found from the function's OID.
 */
final class Connectors {
    private Connectors() {}

    private static final Map<Integer, FdwRoutine> byFunction = new HashMap<>();
    private static final Map<String, FdwRoutine> byName = new HashMap<>();
    private static final Map<Path, ClassLoader> loaders = new HashMap<>();

    /** The connector of a handler or validator function. */
    static FdwRoutine forFunction(int functionOid) {
        FdwRoutine fdw = byFunction.get(functionOid);
        if (fdw == null) {
            String function = Pg.funcName(functionOid);
            fdw = byName(connectorName(function));
            byFunction.put(functionOid, fdw);
        }
        return fdw;
    }

    static String connectorName(String function) {
        if (function != null) {
            for (String suffix : List.of("_handler", "_validator")) {
                if (function.endsWith(suffix) && function.length() > suffix.length()) {
                    return function.substring(0, function.length() - suffix.length());
                }
            }
        }
        throw new FdwException("42883", "function \"" + function + "\" is not a jfdw handler or validator")
                .withHint("jfdw finds the connector from the function name, <connector>_handler or "
                        + "<connector>_validator; jfdw.create_wrapper('<connector>') creates both.");
    }

    static FdwRoutine byName(String name) {
        FdwRoutine fdw = byName.get(name);
        if (fdw != null) {
            return fdw;
        }
        Map<String, FdwRoutine> found = new LinkedHashMap<>();
        Map<Path, String> broken = new LinkedHashMap<>();
        scan(name, found, broken);
        fdw = found.get(name);
        if (fdw == null) {
            StringBuilder unloadable = new StringBuilder();
            broken.forEach((entry, why) -> unloadable.append(" Could not load ").append(entry).append(": ")
                    .append(why).append('.'));
            throw new FdwException("42704", "jfdw connector \"" + name + "\" not found")
                    .withDetail("Searched jfdw.connector_path = '" + connectorPath() + "'; found: "
                            + (found.isEmpty() ? "none" : String.join(", ", new TreeSet<>(found.keySet()))) + "."
                            + unloadable)
                    .withHint("Put the connector's JAR into one of those directories.");
        }
        byName.put(name, fdw);
        return fdw;
    }

    static List<String> loaded() {
        return new ArrayList<>(new TreeSet<>(byName.keySet()));
    }

    private static String connectorPath() {
        String path = Pg.configOption("jfdw.connector_path");
        return path == null ? "" : path;
    }

    /** Loads connectors until {@code wanted} is found; entries that fail to load go to {@code broken}. */
    private static void scan(String wanted, Map<String, FdwRoutine> found, Map<Path, String> broken) {
        for (String dir : connectorPath().split(":")) {
            if (!dir.isBlank() && scanDirectory(Path.of(dir), wanted, found, broken)) {
                break;
            }
        }
        broken.forEach((entry, why) -> Pg.elog(Layout.intOf("WARNING"),
                "jfdw could not load the connectors of " + entry + ": " + why));
    }

    /** Every connector in one directory (used by the AOT training run). */
    static Map<String, FdwRoutine> scanDirectory(Path dir) {
        Map<String, FdwRoutine> found = new LinkedHashMap<>();
        Map<Path, String> broken = new LinkedHashMap<>();
        scanDirectory(dir, null, found, broken);
        if (!broken.isEmpty()) {
            throw new IllegalStateException("could not load connectors: " + broken);
        }
        return found;
    }

    private static boolean scanDirectory(Path dir, String wanted, Map<String, FdwRoutine> found,
            Map<Path, String> broken) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        for (Path entry : likelyFirst(entries(dir), wanted)) {
            try {
                ClassLoader loader = loaderFor(entry);
                for (Connector c : ServiceLoader.load(Connector.class, loader)) {
                    found.putIfAbsent(c.name(), new ConnectorFdw(c));
                }
                for (FdwRoutine r : ServiceLoader.load(FdwRoutine.class, loader)) {
                    found.putIfAbsent(r.name(), r);
                }
            } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                // one broken JAR (a missing class, a newer class file version, a connector whose
                // constructor fails) must not hide the others: it is reported, and passed over
                String why = e.getCause() != null && e instanceof ServiceConfigurationError
                        ? e.getMessage() + " (" + e.getCause() + ")" : e.toString();
                broken.put(entry, why);
            }
            if (wanted != null && found.containsKey(wanted)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The entries whose file name contains the wanted connector's name
     * first: finding a connector loads every connector met before it, and a
     * large one (Arrow's) adds tens of milliseconds to a session's first query.
     */
    private static List<Path> likelyFirst(List<Path> entries, String wanted) {
        if (wanted == null) {
            return entries;
        }
        List<Path> ordered = new ArrayList<>();
        for (Path p : entries) {
            if (p.getFileName().toString().contains(wanted)) {
                ordered.add(p);
            }
        }
        for (Path p : entries) {
            if (!ordered.contains(p)) {
                ordered.add(p);
            }
        }
        return ordered;
    }

    private static List<Path> entries(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isDirectory(p) || p.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list connector directory " + dir, e);
        }
    }

    private static ClassLoader loaderFor(Path entry) {
        return loaders.computeIfAbsent(entry, p -> {
            List<URL> urls = new ArrayList<>();
            try {
                if (Files.isDirectory(p)) {
                    for (Path jar : entries(p)) {
                        if (jar.toString().endsWith(".jar")) {
                            urls.add(jar.toUri().toURL());
                        }
                    }
                } else {
                    urls.add(p.toUri().toURL());
                }
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
            return new URLClassLoader("jfdw connector " + p.getFileName(), urls.toArray(URL[]::new), API_ONLY);
        });
    }

    /**
     * The parent of every connector loader: the JDK, plus the jfdw API
     * packages but their internal one, which only the runtime implements.
     */
    private static final ClassLoader API_ONLY = new ClassLoader("jfdw-api", ClassLoader.getPlatformClassLoader()) {
        private final ClassLoader app = Connectors.class.getClassLoader();

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("dev.jfdw.api.") && !name.startsWith("dev.jfdw.api.internal.")) {
                return app.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    };

    /** The class loader of a connector's own code, for the thread context while it runs. */
    static ClassLoader loaderOf(FdwRoutine fdw) {
        return fdw instanceof ConnectorFdw c ? c.connector().getClass().getClassLoader() : fdw.getClass().getClassLoader();
    }
}
