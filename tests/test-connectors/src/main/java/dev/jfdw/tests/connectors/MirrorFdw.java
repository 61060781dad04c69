package dev.jfdw.tests.connectors;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jfdw.api.FdwException;
import dev.jfdw.api.OptionScope;
import dev.jfdw.api.SqlState;
import dev.jfdw.api.fdw.ExplainState;
import dev.jfdw.api.fdw.FdwRoutine;
import dev.jfdw.api.fdw.ForeignCatalog;
import dev.jfdw.api.fdw.ForeignPath;
import dev.jfdw.api.fdw.ForeignScan;
import dev.jfdw.api.fdw.ForeignScanState;
import dev.jfdw.api.fdw.PgList;
import dev.jfdw.api.fdw.PlannerInfo;
import dev.jfdw.api.fdw.RelOptInfo;
import dev.jfdw.api.fdw.TupleTableSlot;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * A wrapper written against the FdwRoutine mirror alone: rows (id int8,
 * twice int8) for id = 1..rows, the second column written as a raw Datum.
 * Option {@code keep_view} keeps the planner's RelOptInfo view in a static
 * field, and {@code use_stale} reads it in a later query: that must throw
 * IllegalStateException, never read freed memory; {@code keep_node} and
 * {@code use_stale_node} do the same with the executor's ForeignScanState,
 * kept at BeginForeignScan and used at the next. Option {@code fail_in}
 * names a callback (GetForeignRelSize, ..., ExplainForeignScan) that throws
 * an FdwException with SQLSTATE JF002, a detail and a hint.
 */
public final class MirrorFdw implements FdwRoutine {
    private static RelOptInfo kept;
    private static ForeignScanState keptNode;

    @Override
    public String name() {
        return "mirror";
    }

    @Override
    public void validate(Map<String, String> options, OptionScope scope) {
        for (String name : options.keySet()) {
            if (scope != OptionScope.TABLE || !Set.of("rows", "keep_view", "use_stale", "keep_node", "use_stale_node", "fail_in").contains(name)) {
                throw new FdwException(SqlState.FDW_INVALID_OPTION_NAME, "invalid option \"" + name + "\"");
            }
        }
    }

    @Override
    public void getForeignRelSize(PlannerInfo root, RelOptInfo baserel, int foreignTableId) {
        Map<String, String> options = ForeignCatalog.table(foreignTableId).options();
        String failIn = options.getOrDefault("fail_in", "");
        failIf(failIn, "GetForeignRelSize");
        long rows = Long.parseLong(options.getOrDefault("rows", "10"));
        if (options.containsKey("keep_view")) {
            kept = baserel;
        }
        if (options.containsKey("use_stale") && kept != null) {
            rows += (long) kept.rows();
        }
        baserel.setRows(rows);
        String node = options.containsKey("keep_node") ? "keep" : options.containsKey("use_stale_node") ? "use" : "-";
        baserel.attach(new Planned(rows, failIn, node));
    }

    /** ANALYZE: the table holds {@code rows} rows; jfdw reads them through the scan callbacks. */
    @Override
    public double analyzeForeignTable(int foreignTableId, int userId) {
        return Long.parseLong(ForeignCatalog.table(foreignTableId).options().getOrDefault("rows", "10"));
    }

    /** {@code node}: what BeginForeignScan does with its node: keep it, use the kept one, or neither. */
    private record Planned(long rows, String failIn, String node) {}

    /** The executor's state: rows to produce, rows produced, the callback that fails. */
    private static final class Scanning {
        final long rows;
        final String failIn;
        long done;

        Scanning(long rows, String failIn) {
            this.rows = rows;
            this.failIn = failIn;
        }
    }

    private static void failIf(String failIn, String callback) {
        if (failIn.equals(callback)) {
            throw new FdwException("JF002", "mirror failed in " + callback)
                    .withDetail("detail from " + callback).withHint("hint from " + callback);
        }
    }

    @Override
    public void getForeignPaths(PlannerInfo root, RelOptInfo baserel, int foreignTableId) {
        Planned planned = (Planned) baserel.attached();
        failIf(planned.failIn(), "GetForeignPaths");
        baserel.addForeignPath(planned.rows(), 1, 1 + planned.rows() * 0.01, null, null);
    }

    @Override
    public ForeignScan getForeignPlan(PlannerInfo root, RelOptInfo baserel, int foreignTableId, ForeignPath bestPath,
                                      PgList targetList, PgList scanClauses, MemorySegment outerPlan) {
        Planned planned = (Planned) baserel.attached();
        failIf(planned.failIn(), "GetForeignPlan");
        byte[] state = (planned.rows() + " " + planned.node() + " " + planned.failIn())
                .getBytes(StandardCharsets.US_ASCII);
        return root.makeForeignScan(targetList, root.actualClauses(scanClauses), baserel.relid(), null,
                root.bytesList(state), null, null, outerPlan);
    }

    @Override
    public void beginForeignScan(ForeignScanState node, int eflags) {
        String[] state = new String(node.plan().fdwPrivate().bytes(), StandardCharsets.US_ASCII).split(" ", 3);
        failIf(state[2], "BeginForeignScan");
        switch (state[1]) {
            case "keep" -> keptNode = node;
            case "use" -> keptNode.scanSlot().descriptor().size(); // reads the slot's memory
            default -> { }
        }
        node.attach(new Scanning(Long.parseLong(state[0]), state[2]));
    }

    @Override
    public boolean iterateForeignScan(ForeignScanState node) {
        Scanning state = (Scanning) node.attached();
        failIf(state.failIn, "IterateForeignScan");
        if (state.done >= state.rows) {
            return false;
        }
        long id = ++state.done;
        TupleTableSlot slot = node.scanSlot();
        slot.row().setLong(0, id);
        if (slot.descriptor().size() > 1) {
            slot.values().setAtIndex(JAVA_LONG, 1, id * 2);
            slot.isNull().set(JAVA_BYTE, 1, (byte) 0);
        }
        return true;
    }

    @Override
    public void reScanForeignScan(ForeignScanState node) {
        Scanning state = (Scanning) node.attached();
        failIf(state.failIn, "ReScanForeignScan");
        state.done = 0;
    }

    @Override
    public void endForeignScan(ForeignScanState node) {
        failIf(((Scanning) node.attached()).failIn, "EndForeignScan");
    }

    @Override
    public void explainForeignScan(ForeignScanState node, ExplainState es) {
        Scanning state = (Scanning) node.attached();
        failIf(state.failIn, "ExplainForeignScan");
        es.property("Mirror Rows", state.rows, null);
    }
}
