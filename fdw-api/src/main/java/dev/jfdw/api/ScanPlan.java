package dev.jfdw.api;

/**
 * A connector's answer to {@link Connector#planScan}: estimates for the
 * planner, and the state the scan needs at execution time.
 *
 * <p>The state is copied into the plan, which PostgreSQL may cache and run
 * many times (prepared statements), so it must hold everything the scan
 * needs and nothing that lives only in this JVM.
 *
 * @param rows        the estimated number of rows the scan returns
 * @param startupCost cost before the first row, in the planner's units
 * @param totalCost   cost of returning all rows
 * @param state       opaque bytes handed back in {@link ScanContext#planState()}
 */
public record ScanPlan(double rows, double startupCost, double totalCost, byte[] state) {
    private static final byte[] NO_STATE = new byte[0];

    public ScanPlan {
        if (!(rows >= 0) || !(startupCost >= 0) || !(totalCost >= startupCost)) {
            throw new IllegalArgumentException("bad estimates: rows=" + rows + " startup=" + startupCost
                    + " total=" + totalCost);
        }
        state = state == null ? NO_STATE : state.clone();
    }

    /** An estimate of {@code rows} rows, costed like a sequential read of them. */
    public static ScanPlan estimate(double rows) {
        double r = Math.max(rows, 1);
        return new ScanPlan(r, 10, 10 + r * 0.01, NO_STATE);
    }

    public ScanPlan withCosts(double startupCost, double totalCost) {
        return new ScanPlan(rows, startupCost, totalCost, state);
    }

    public ScanPlan withState(byte[] state) {
        return new ScanPlan(rows, startupCost, totalCost, state);
    }

    @Override
    public byte[] state() {
        return state.clone();
    }
}
