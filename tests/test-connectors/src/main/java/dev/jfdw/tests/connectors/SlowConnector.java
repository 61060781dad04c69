package dev.jfdw.tests.connectors;

import dev.jfdw.api.Connector;
import dev.jfdw.api.LogLevel;
import dev.jfdw.api.OptionSpec;
import dev.jfdw.api.Postgres;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

/**
 * Never ends on its own. {@code mode 'rows'}: rows forever (id int8), so a
 * cancel lands between batches. {@code mode 'poll'}: one call into Java that
 * spins forever, polling {@link Postgres#checkForInterrupts()}, as a connector
 * waiting on I/O should. {@code mode 'socket'}: one call into Java blocked
 * reading a loopback socket that never gets a byte, which
 * {@link Postgres#onCancel} closes when the query is cancelled. {@code mode
 * 'forgetful'}: registers an action, leaves it open and returns one row.
 */
public final class SlowConnector implements Connector {
    static final OptionSpec<String> MODE = OptionSpec.string("mode").defaultsTo("rows");

    @Override
    public String name() {
        return "slow";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(MODE);
    }

    @Override
    public Scan openScan(ScanContext context) {
        String mode = context.options().get(MODE);
        boolean poll = mode.equals("poll");
        return new Scan() {
            long n;

            @Override
            public boolean next(Rows rows) {
                if (n == 0 && !mode.equals("forgetful")) {
                    // for the tests: an interrupt that stopped the query before this point proves nothing
                    Postgres.log(LogLevel.LOG, "slow scan under way (mode " + mode + ")");
                }
                if (mode.equals("socket")) {
                    blockOnASocket();
                }
                if (mode.equals("forgetful")) {
                    Postgres.onCancel(() -> { });
                    rows.add().setLong(0, 1);
                    return false;
                }
                if (poll) {
                    long spins = 0;
                    while (true) {
                        Postgres.checkForInterrupts();
                        spins++;
                        if (spins % 1000 == 0) {
                            Thread.onSpinWait();
                        }
                    }
                }
                while (!rows.full()) {
                    rows.add().setLong(0, ++n);
                }
                return true;
            }
        };
    }

    private static void blockOnASocket() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
             Socket client = new Socket(loopback, server.getLocalPort());
             Socket peer = server.accept();
             Postgres.Registration onCancel = Postgres.onCancel(client::close)) {
            int b = client.getInputStream().read(); // the peer never writes: blocks until closed
            throw new IllegalStateException("read " + b + " from a silent socket");
        } catch (IOException e) {
            throw new UncheckedIOException("the socket failed", e);
        }
    }
}
