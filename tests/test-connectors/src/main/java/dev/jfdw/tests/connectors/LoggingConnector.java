package dev.jfdw.tests.connectors;

import dev.jfdw.api.Connector;
import dev.jfdw.api.LogLevel;
import dev.jfdw.api.Postgres;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;

/** One empty scan that logs through every channel a connector has, at every level. */
public final class LoggingConnector implements Connector {
    @Override
    public String name() {
        return "logging";
    }

    @Override
    public Scan openScan(ScanContext context) {
        return rows -> {
            for (LogLevel level : LogLevel.values()) {
                Postgres.log(level, level + " from java");
            }
            Thread other = new Thread(() -> System.out.println("stdout line from a connector's thread"));
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.println("stdout line from java");
            System.err.println("stderr line from java");
            System.getLogger("jfdw.test").log(System.Logger.Level.INFO, "system logger line from java");
            System.getLogger("jfdw.test").log(System.Logger.Level.WARNING, "system logger exception from java",
                    new IllegalStateException("logged, not thrown"));
            return false;
        };
    }
}
