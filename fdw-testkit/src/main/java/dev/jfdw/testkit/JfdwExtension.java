package dev.jfdw.testkit;

import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Supplies the shared {@link PostgresCluster} of {@link JfdwTest} classes. */
public final class JfdwExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(JfdwExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostgresCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Shared.class, k -> new Shared(startCluster()), Shared.class).cluster;
    }

    /** Closed by JUnit when the whole run ends. */
    private record Shared(PostgresCluster cluster) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            cluster.close();
        }
    }

    private static PostgresCluster startCluster() {
        PostgresCluster.Builder b = PostgresCluster.builder();
        String connectors = System.getProperty("jfdw.test.connectors", "");
        for (String path : connectors.split(File.pathSeparator)) {
            if (!path.isBlank()) {
                b.connector(Path.of(path));
            }
        }
        PostgresCluster cluster = b.start();
        try (Connection c = cluster.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION jfdw");
        } catch (SQLException e) {
            cluster.close();
            throw new ParameterResolutionException("CREATE EXTENSION jfdw failed: is jfdw installed "
                    + "(./jfdw install)? " + e.getMessage(), e);
        }
        return cluster;
    }
}
