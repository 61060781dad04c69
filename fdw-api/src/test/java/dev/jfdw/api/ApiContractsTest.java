package dev.jfdw.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiContractsTest {
    @Test
    void sqlStatesAreFiveUpperCaseCharacters() {
        assertEquals("22P02", new FdwException("22P02", "x").sqlState());
        assertThrows(IllegalArgumentException.class, () -> new FdwException("22p02", "x"));
        assertThrows(IllegalArgumentException.class, () -> new FdwException("2202", "x"));
    }

    @Test
    void scanPlansRejectImpossibleEstimates() {
        assertThrows(IllegalArgumentException.class, () -> new ScanPlan(-1, 0, 0, null, null, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new ScanPlan(1, 10, 5, null, null, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new ScanPlan(Double.NaN, 0, 0, null, null, false, 0));
        assertThrows(IllegalArgumentException.class, () -> ScanPlan.estimate(1).withWidth(-1));
        assertEquals(1, ScanPlan.estimate(0).rows(), "at least one row, as the planner wants");
    }

    @Test
    void planStateIsCopiedInAndOut() {
        byte[] state = {1, 2, 3};
        ScanPlan plan = ScanPlan.estimate(10).withState(state);
        state[0] = 9;
        byte[] read = plan.state();
        assertArrayEquals(new byte[] {1, 2, 3}, read);
        read[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, plan.state());
    }

    @Test
    void tablesFindColumnsByName() {
        Table t = new Table(1, "t", List.of(new Column("a", 0, new PgType(PgType.INT8, "bigint"), -1, Options.EMPTY),
                new Column("b", 2, new PgType(PgType.TEXT, "text"), -1, Options.EMPTY)));
        assertEquals(2, t.column("b").index());
        assertEquals(null, t.column("c"));
    }
}
