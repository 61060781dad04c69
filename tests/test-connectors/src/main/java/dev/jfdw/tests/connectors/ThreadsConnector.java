package dev.jfdw.tests.connectors;

import dev.jfdw.api.Connector;
import dev.jfdw.api.LogLevel;
import dev.jfdw.api.Postgres;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Calls PostgreSQL from a thread of its own, which must fail with a Java
 * exception and never crash; returns one row (text) naming what was thrown,
 * or "no exception". The thread also stays alive for a while, so tests can
 * check that a cancel still reaches the backend with a Java thread around.
 */
public final class ThreadsConnector implements Connector {
    @Override
    public String name() {
        return "threads";
    }

    @Override
    public Scan openScan(ScanContext context) {
        return new Scan() {
            boolean done;

            @Override
            public boolean next(Rows rows) {
                if (done) {
                    return false;
                }
                AtomicReference<String> outcome = new AtomicReference<>("no exception");
                Thread t = new Thread(() -> {
                    try {
                        Postgres.log(LogLevel.NOTICE, "from a foreign thread");
                    } catch (Throwable e) {
                        outcome.set(e.getClass().getName());
                    }
                    try {
                        Thread.sleep(3000);
                    } catch (InterruptedException ignored) {
                        // done lingering
                    }
                }, "jfdw-test-foreign-thread");
                t.setDaemon(true);
                t.start();
                while (outcome.get().equals("no exception") && t.isAlive()) {
                    Thread.onSpinWait();
                }
                rows.add().setString(0, outcome.get());
                done = true;
                return false;
            }
        };
    }
}
