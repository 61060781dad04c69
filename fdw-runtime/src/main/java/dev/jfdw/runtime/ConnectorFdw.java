package dev.jfdw.runtime;

import dev.jfdw.api.Connector;
import dev.jfdw.api.OptionScope;
import dev.jfdw.api.OptionSpec;
import dev.jfdw.api.Options;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import dev.jfdw.api.ScanPlan;
import dev.jfdw.api.ScanRequest;
import dev.jfdw.api.Table;
import dev.jfdw.api.fdw.ExplainState;
import dev.jfdw.api.fdw.FdwRoutine;
import dev.jfdw.api.fdw.ForeignPath;
import dev.jfdw.api.fdw.ForeignScan;
import dev.jfdw.api.fdw.ForeignScanState;
import dev.jfdw.api.fdw.PgList;
import dev.jfdw.api.fdw.PlannerInfo;
import dev.jfdw.api.fdw.RelOptInfo;
import dev.jfdw.runtime.Views.ForeignScanStateView;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Connector SPI, built on the FdwRoutine mirror: plans with the
 * connector's estimates, carries its state through the plan as bytes, and
 * streams its rows in batches.
 */
final class ConnectorFdw implements FdwRoutine {
    /** Rows per upcall: a runtime option every connector accepts. */
    static final OptionSpec<Long> BATCH_SIZE = OptionSpec.integer("batch_size", 1, ScanDriver.MAX_CAPACITY)
            .in(OptionScope.SERVER, OptionScope.TABLE).defaultsTo(1000L)
            .describedAs("Rows passed from Java per call; 1 calls Java once per row.");

    private final Connector connector;
    private final List<OptionSpec<?>> specs;

    ConnectorFdw(Connector connector) {
        this.connector = connector;
        List<OptionSpec<?>> all = new ArrayList<>(connector.options());
        all.add(BATCH_SIZE);
        this.specs = List.copyOf(all);
    }

    Connector connector() {
        return connector;
    }

    List<OptionSpec<?>> specs() {
        return specs;
    }

    @Override
    public String name() {
        return connector.name();
    }

    @Override
    public void validate(Map<String, String> options, OptionScope scope) {
        Options.validate(specs, scope, options);
    }

    private record Planned(TableInfo info, ScanPlan plan) {}

    private record Request(Table table, Options options) implements ScanRequest {}

    @Override
    public void getForeignRelSize(PlannerInfo root, RelOptInfo baserel, int foreignTableId) {
        TableInfo info = TableInfo.load(foreignTableId, baserel.userId(), specs);
        ScanPlan plan = connector.planScan(new Request(info.table(), info.options()));
        baserel.setRows(plan.rows());
        baserel.attach(new Planned(info, plan));
    }

    @Override
    public void getForeignPaths(PlannerInfo root, RelOptInfo baserel, int foreignTableId) {
        ScanPlan plan = ((Planned) baserel.attached()).plan();
        baserel.addForeignPath(plan.rows(), plan.startupCost(), plan.totalCost(), null, null);
    }

    @Override
    public ForeignScan getForeignPlan(PlannerInfo root, RelOptInfo baserel, int foreignTableId, ForeignPath bestPath,
                                      PgList targetList, PgList scanClauses, MemorySegment outerPlan) {
        ScanPlan plan = ((Planned) baserel.attached()).plan();
        return root.makeForeignScan(targetList, root.actualClauses(scanClauses), baserel.relid(), null,
                root.bytesList(plan.state()), null, null, outerPlan);
    }

    /** A running scan: the connector's Scan, reopened on rescan if it cannot rewind. */
    private final class Running implements ScanContext, AutoCloseable {
        private final TableInfo info;
        private final byte[] planState;
        private final boolean explainOnly;
        private Scan scan;
        private boolean exhausted;

        Running(TableInfo info, byte[] planState, boolean explainOnly) {
            this.info = info;
            this.planState = planState;
            this.explainOnly = explainOnly;
        }

        @Override
        public Table table() {
            return info.table();
        }

        @Override
        public Options options() {
            return info.options();
        }

        @Override
        public byte[] planState() {
            return planState.clone();
        }

        @Override
        public boolean explainOnly() {
            return explainOnly;
        }

        void open() {
            scan = connector.openScan(this);
            if (scan == null) {
                throw new IllegalStateException("connector " + connector.name() + " returned no Scan");
            }
            exhausted = false;
        }

        boolean next(Rows rows) {
            if (exhausted) {
                return false;
            }
            exhausted = !scan.next(rows);
            return !exhausted;
        }

        void rescan() {
            if (!scan.rescan()) {
                Scan old = scan;
                scan = null;
                old.close();
                open();
            }
            exhausted = false;
        }

        @Override
        public void close() {
            if (scan != null) {
                Scan s = scan;
                scan = null;
                s.close();
            }
        }
    }

    private static Running running(ForeignScanState node) {
        return (Running) node.attached();
    }

    @Override
    public void beginForeignScan(ForeignScanState node, int eflags) {
        TableInfo info = TableInfo.load(node.relationId(), 0, specs);
        Running r = new Running(info, node.plan().fdwPrivate().bytes(), node.explainOnly());
        node.attach(r);
        r.open();
    }

    @Override
    public int batchCapacity(ForeignScanState node) {
        return Math.toIntExact(running(node).options().get(BATCH_SIZE));
    }

    @Override
    public boolean iterateForeignBatch(ForeignScanState node, Rows rows) {
        return running(node).next(rows);
    }

    @Override
    public boolean iterateForeignScan(ForeignScanState node) {
        Running r = running(node);
        RowBatch rows = ((ForeignScanStateView) node).driver().slotRows();
        rows.reset();
        boolean more = true;
        while (more && rows.size() == 0) {
            if (Native.cancelPending()) {
                throw new dev.jfdw.api.QueryCanceledException();
            }
            more = r.next(rows);
        }
        return rows.size() > 0;
    }

    @Override
    public void reScanForeignScan(ForeignScanState node) {
        running(node).rescan();
    }

    @Override
    public void endForeignScan(ForeignScanState node) {
        running(node).close();
    }

    @Override
    public void explainForeignScan(ForeignScanState node, ExplainState es) {
        es.property("Connector", connector.name());
        if (es.verbose()) {
            es.property("Batch Size", batchCapacity(node), "rows");
        }
        Running r = running(node);
        if (r.scan != null) {
            r.scan.explain(es);
        }
    }
}
