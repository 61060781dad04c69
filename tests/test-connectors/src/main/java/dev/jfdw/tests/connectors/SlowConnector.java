package dev.jfdw.tests.connectors;

import dev.jfdw.api.Connector;
import dev.jfdw.api.OptionSpec;
import dev.jfdw.api.Postgres;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import java.util.List;

/**
 * Never ends on its own. {@code mode 'rows'}: rows forever (id int8), so a
 * cancel lands between batches. {@code mode 'poll'}: one call into Java that
 * spins forever, polling {@link Postgres#checkForInterrupts()}, as a connector
 * waiting on I/O should.
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
        boolean poll = context.options().get(MODE).equals("poll");
        return new Scan() {
            long n;

            @Override
            public boolean next(Rows rows) {
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
}
