package dev.jfdw.tests.connectors;

import dev.jfdw.api.Connector;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import java.util.List;

/**
 * What a connector's class loader lets it see: a row (name, visible) per
 * class of {@link #PROBED}, and one for whether the thread's context class
 * loader is the connector's own.
 */
public final class ClassesConnector implements Connector {
    static final List<String> PROBED = List.of("java.lang.String", "dev.jfdw.api.Connector",
            "dev.jfdw.api.internal.Backend", "dev.jfdw.runtime.Connectors", "com.fasterxml.jackson.core.JsonFactory",
            "org.apache.arrow.vector.VectorSchemaRoot");

    @Override
    public String name() {
        return "classes";
    }

    @Override
    public Scan openScan(ScanContext context) {
        int name = context.table().column("name").index();
        int visible = context.table().column("visible").index();
        return rows -> {
            for (String probed : PROBED) {
                boolean found;
                try {
                    Class.forName(probed, false, ClassesConnector.class.getClassLoader());
                    found = true;
                } catch (ClassNotFoundException e) {
                    found = false;
                }
                rows.add().setString(name, probed).setBoolean(visible, found);
            }
            rows.add().setString(name, "context class loader").setBoolean(visible,
                    Thread.currentThread().getContextClassLoader() == ClassesConnector.class.getClassLoader());
            return false;
        };
    }
}
