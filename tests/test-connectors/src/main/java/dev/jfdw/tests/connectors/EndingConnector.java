package dev.jfdw.tests.connectors;

import dev.jfdw.api.Column;
import dev.jfdw.api.Connector;
import dev.jfdw.api.LogLevel;
import dev.jfdw.api.OptionScope;
import dev.jfdw.api.OptionSpec;
import dev.jfdw.api.Postgres;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import dev.jfdw.api.ScanPlan;
import dev.jfdw.api.ScanRequest;
import java.util.List;

/**
 * Rows 1 to {@code rows} in its first column; each scan says at its end
 * (a NOTICE from {@link Scan#end()}) how many rows it wrote. It declines
 * rescans unless {@code rescan} is true, so a nested loop opens a new scan
 * for each outer row. {@code rows} may be set at every level, the wrapper's
 * included.
 */
public final class EndingConnector implements Connector {
    /** At every level, so that a test sees which one wins. */
    static final OptionSpec<Long> ROWS = OptionSpec.integer("rows", 0, Long.MAX_VALUE).in(OptionScope.WRAPPER,
            OptionScope.SERVER, OptionScope.USER_MAPPING, OptionScope.TABLE).defaultsTo(3L);
    static final OptionSpec<Boolean> RESCAN = OptionSpec.bool("rescan").defaultsTo(false);

    @Override
    public String name() {
        return "ending";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(ROWS, RESCAN);
    }

    @Override
    public ScanPlan planScan(ScanRequest request) {
        return ScanPlan.estimate(request.options().get(ROWS));
    }

    @Override
    public Scan openScan(ScanContext context) {
        long rows = context.options().get(ROWS);
        boolean rescans = context.options().get(RESCAN);
        Column id = context.table().columns().getFirst();
        return new Scan() {
            long n;
            long written;

            @Override
            public boolean next(Rows out) {
                while (n < rows && !out.full()) {
                    out.add().setLong(id.index(), ++n);
                    written++;
                }
                return n < rows;
            }

            @Override
            public boolean rescan() {
                n = 0;
                return rescans;
            }

            @Override
            public void end() {
                Postgres.log(LogLevel.NOTICE, "scan ended after writing " + written + " rows");
            }
        };
    }
}
