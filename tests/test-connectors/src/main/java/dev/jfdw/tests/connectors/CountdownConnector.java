package dev.jfdw.tests.connectors;

import dev.jfdw.api.Column;
import dev.jfdw.api.Connector;
import dev.jfdw.api.OptionScope;
import dev.jfdw.api.OptionSpec;
import dev.jfdw.api.Row;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import dev.jfdw.api.ScanPlan;
import dev.jfdw.api.ScanRequest;
import java.util.List;

/** The README's example connector, verbatim: ReadmeIT runs the README's SQL against it. */
public final class CountdownConnector implements Connector {
    static final OptionSpec<Long> FROM = OptionSpec.integer("from", 0, 1_000_000)
            .in(OptionScope.TABLE).required().describedAs("Where to start counting down.");

    @Override public String name() { return "countdown"; }

    @Override public List<OptionSpec<?>> options() { return List.of(FROM); }

    @Override public ScanPlan planScan(ScanRequest request) {
        return ScanPlan.estimate(request.options().get(FROM) + 1);
    }

    @Override public Scan openScan(ScanContext context) {
        long from = context.options().get(FROM);
        Column n = context.table().column("n");
        Column label = context.table().column("label");
        return new Scan() {
            long next = from;

            @Override public boolean next(Rows rows) {
                while (next >= 0 && !rows.full()) {
                    Row row = rows.add();
                    if (n != null) row.setLong(n.index(), next);
                    if (label != null) row.setString(label.index(), next == 0 ? "liftoff" : "T-" + next);
                    next--;
                }
                return next >= 0;
            }
        };
    }
}
