package dev.jfdw.tests.connectors;

import dev.jfdw.api.Column;
import dev.jfdw.api.Connector;
import dev.jfdw.api.Explain;
import dev.jfdw.api.FdwException;
import dev.jfdw.api.OptionScope;
import dev.jfdw.api.OptionSpec;
import dev.jfdw.api.PgException;
import dev.jfdw.api.PgType;
import dev.jfdw.api.Postgres;
import dev.jfdw.api.Row;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import dev.jfdw.api.ScanPlan;
import dev.jfdw.api.ScanRequest;
import dev.jfdw.api.fdw.ForeignCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fails on purpose, where and how the table says:
 * {@code fail_in} plan | begin | iterate | rescan | end | explain | never, and
 * {@code error}:
 * <ul>
 * <li>{@code fdw}: an FdwException with {@code sqlstate}, a detail and a hint</li>
 * <li>{@code npe}, {@code soe} (deep recursion), {@code oom} (heap exhausted), {@code runtime}</li>
 * <li>{@code exit}: System.exit(3); {@code exit_thread}: a thread of its own
 *     calls System.exit(4) while the callback runs on, for up to a minute,
 *     checking for interrupts</li>
 * <li>{@code pg}: PostgreSQL raises (in iterate, an input function given
 *     {@code bad_value}, "abc" by default, for the column named "bad" or else
 *     the int4 column; elsewhere a catalog lookup of server 0)</li>
 * <li>{@code pg_swallowed}: the connector catches that PgException and goes on
 *     (the error must still reach the client)</li>
 * <li>{@code pg_wrapped}: it rethrows it wrapped in a RuntimeException</li>
 * <li>{@code pg_subxact}: it catches it inside a subtransaction and goes on
 *     (the query must succeed, the bad value replaced by -1);
 *     {@code pg_subxact_swallowed} catches it inside the subtransaction too;
 *     {@code pg_subxact_catch_all} catches any RuntimeException, a cancel's
 *     too (which must still end the statement)</li>
 * </ul>
 * Otherwise it produces {@code rows} rows of (id int8, v int4). Scans still
 * open are counted in {@link #OPEN}, so tests can see every scan closed.
 */
public final class FaultyConnector implements Connector {
    static final OptionSpec<String> FAIL_IN = OptionSpec.string("fail_in").defaultsTo("never");
    static final OptionSpec<String> ERROR = OptionSpec.string("error").defaultsTo("fdw");
    static final OptionSpec<String> BAD_VALUE = OptionSpec.string("bad_value").defaultsTo("abc");
    static final OptionSpec<String> SQLSTATE = OptionSpec.string("sqlstate").defaultsTo("HV000");
    static final OptionSpec<Long> ROWS = OptionSpec.integer("rows", 0, Long.MAX_VALUE).defaultsTo(3L);
    /** Row n has v = n * scale: a large scale overflows the int column. */
    static final OptionSpec<Long> SCALE = OptionSpec.integer("scale", 0, Long.MAX_VALUE).defaultsTo(10L);
    static final OptionSpec<String> FAIL_VALIDATE = OptionSpec.<String>custom("fail_validate", "never valid", v -> {
        throw new IllegalArgumentException("This option is never valid.");
    }).in(OptionScope.TABLE, OptionScope.SERVER);

    /** Scans opened and not yet closed, across queries (read by the "open_scans" table option test). */
    static int OPEN;

    @Override
    public String name() {
        return "faulty";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(FAIL_IN, ERROR, SQLSTATE, ROWS, SCALE, BAD_VALUE, FAIL_VALIDATE);
    }

    @Override
    public ScanPlan planScan(ScanRequest request) {
        maybeFail(request.options().get(FAIL_IN), "plan", request.options(), null, -1);
        return ScanPlan.estimate(request.options().get(ROWS));
    }

    @Override
    public Scan openScan(ScanContext context) {
        var options = context.options();
        String failIn = options.get(FAIL_IN);
        maybeFail(failIn, "begin", options, null, -1);
        long rows = options.get(ROWS);
        long scale = options.get(SCALE);
        List<Column> columns = context.table().columns();
        int intColumn = columns.stream().filter(c -> c.type().oid() == PgType.INT4).mapToInt(Column::index)
                .findFirst().orElse(-1);
        int badColumn = columns.stream().filter(c -> c.name().equals("bad")).mapToInt(Column::index)
                .findFirst().orElse(intColumn);
                OPEN++;
        return new Scan() {
            long n;
            boolean closed;

            @Override
            public boolean next(Rows out) {
                while (n < rows && !out.full()) {
                    n++;
                    Row row = out.add();
                    row.setLong(columns.getFirst().index(), n);
                    if (n == 2) {
                        maybeFail(failIn, "iterate", options, row, badColumn);
                    } else if (intColumn >= 0) {
                        row.setLong(intColumn, n * scale);
                    }
                }
                return n < rows;
            }

            @Override
            public boolean rescan() {
                maybeFail(failIn, "rescan", options, null, -1);
                n = 0;
                return true;
            }

            @Override
            public void explain(Explain explain) {
                maybeFail(failIn, "explain", options, null, -1);
                explain.property("Open Scans", OPEN, null);
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    OPEN--;
                }
                maybeFail(failIn, "end", options, null, -1);
            }
        };
    }

    static void maybeFail(String failIn, String here, dev.jfdw.api.Options options, Row row, int intColumn) {
        if (!failIn.equals(here)) {
            if (row != null && intColumn >= 0) {
                row.setLong(intColumn, 20);
            }
            return;
        }
        String message = "faulty connector failed in " + here;
        switch (options.get(ERROR)) {
            case "fdw" -> throw new FdwException(options.get(SQLSTATE), message)
                    .withDetail("detail from " + here).withHint("hint from " + here);
            case "runtime" -> throw new IllegalStateException(message);
            case "npe" -> {
                Map<String, String> none = null;
                none.get(message);
            }
            case "soe" -> recurse(0);
            case "oom" -> {
                List<long[]> hog = new ArrayList<>();
                while (true) {
                    hog.add(new long[1 << 20]);
                }
            }
            case "pg" -> raisePostgresError(row, intColumn, options.get(BAD_VALUE));
            case "exit" -> System.exit(3);
            case "exit_thread" -> {
                Thread t = new Thread(() -> System.exit(4), "jfdw-test-exiting-thread");
                t.setDaemon(true);
                t.start();
                // a long call, as PostgreSQL would have it: it ends when the backend is told to
                long until = System.nanoTime() + 60_000_000_000L;
                while (System.nanoTime() < until) {
                    Postgres.checkForInterrupts();
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            case "pg_swallowed" -> {
                try {
                    raisePostgresError(row, intColumn, options.get(BAD_VALUE));
                } catch (PgException e) {
                    // wrongly carrying on: jfdw must still report the error
                }
            }
            case "pg_wrapped" -> {
                try {
                    raisePostgresError(row, intColumn, options.get(BAD_VALUE));
                } catch (PgException e) {
                    throw new RuntimeException("wrapped", e);
                }
            }
            case "pg_subxact", "pg_subxact_swallowed", "pg_subxact_catch_all" -> {
                try {
                    Postgres.inSubtransaction(() -> {
                        try {
                            raisePostgresError(row, intColumn, options.get(BAD_VALUE));
                        } catch (PgException e) {
                            if (options.get(ERROR).equals("pg_subxact")) {
                                throw e;
                            }
                            // wrongly carrying on inside: the subtransaction cannot commit, and says why
                        }
                        return null;
                    });
                } catch (RuntimeException e) {
                    if (!(e instanceof PgException) && !options.get(ERROR).equals("pg_subxact_catch_all")) {
                        throw e;
                    }
                    String caught = "caught " + (e instanceof PgException pg ? pg.sqlState()
                            : e.getClass().getSimpleName()) + ": " + e.getMessage();
                    // to the server log even when PostgreSQL refuses calls: what the connector saw, for tests
                    System.err.println("faulty connector " + caught);
                    Postgres.log(dev.jfdw.api.LogLevel.NOTICE, caught);
                    if (row != null) {
                        row.setLong(intColumn, -1);
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown error kind " + options.get(ERROR));
        }
    }

    /** A column given a bad value raises its input function's error; elsewhere a bad catalog lookup raises XX000. */
    private static void raisePostgresError(Row row, int column, String badValue) {
        if (row != null && column >= 0) {
            row.setString(column, badValue);
        } else {
            ForeignCatalog.server(0);
        }
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }
}
