package dev.jfdw.api;

import java.util.List;

/**
 * A connector's answer to {@link Connector#planScan}: estimates for the
 * planner, and the state the scan needs at execution time.
 *
 * <p>The state is copied into the plan, which PostgreSQL may cache and run
 * many times (prepared statements), so it must hold everything the scan
 * needs and nothing that lives only in this JVM.
 *
 * @param rows         the estimated number of rows the scan returns (after the quals it handles)
 * @param startupCost  cost before the first row, in the planner's units
 * @param totalCost    cost of returning all rows
 * @param state        opaque bytes handed back in {@link ScanContext#planState()}
 * @param handledQuals the quals of the request the scan applies itself; PostgreSQL checks the others
 * @param sorted       whether rows come in the order of the request's sort keys
 * @param width        the average width of a row of the needed columns, in bytes; 0: PostgreSQL's own
 *                     estimate from the column types
 */
public record ScanPlan(double rows, double startupCost, double totalCost, byte[] state, List<Qual> handledQuals,
                       boolean sorted, int width) {
    private static final byte[] NO_STATE = new byte[0];

    public ScanPlan {
        if (!(rows >= 0) || !(startupCost >= 0) || !(totalCost >= startupCost)) {
            throw new IllegalArgumentException("bad estimates: rows=" + rows + " startup=" + startupCost
                    + " total=" + totalCost);
        }
        if (width < 0) {
            throw new IllegalArgumentException("bad width: " + width);
        }
        state = state == null ? NO_STATE : state.clone();
        handledQuals = handledQuals == null ? List.of() : List.copyOf(handledQuals);
    }

    /** An estimate of {@code rows} rows, costed like a sequential read of them. */
    public static ScanPlan estimate(double rows) {
        double r = Math.max(rows, 1);
        return new ScanPlan(r, 10, 10 + r * 0.01, NO_STATE, List.of(), false, 0);
    }

    public ScanPlan withCosts(double startupCost, double totalCost) {
        return new ScanPlan(rows, startupCost, totalCost, state, handledQuals, sorted, width);
    }

    public ScanPlan withState(byte[] state) {
        return new ScanPlan(rows, startupCost, totalCost, state, handledQuals, sorted, width);
    }

    /**
     * The average width of a returned row, in bytes, when the connector knows
     * better than PostgreSQL's guess from the column types (32 bytes for any
     * text): it weighs the cost of sorting and hashing the rows.
     */
    public ScanPlan withWidth(int bytes) {
        return new ScanPlan(rows, startupCost, totalCost, state, handledQuals, sorted, bytes);
    }

    /**
     * The scan applies these quals itself: the very objects of
     * {@link ScanRequest#quals()} (two clauses may make equal quals, and
     * only those handed back are left out of PostgreSQL's filter).
     */
    public ScanPlan withHandledQuals(List<Qual> quals) {
        return new ScanPlan(rows, startupCost, totalCost, state, quals, sorted, width);
    }

    /** The scan returns rows in the order of {@link ScanRequest#sortKeys()}. */
    public ScanPlan withSorted(boolean sorted) {
        return new ScanPlan(rows, startupCost, totalCost, state, handledQuals, sorted, width);
    }

    @Override
    public byte[] state() {
        return state.clone();
    }
}
