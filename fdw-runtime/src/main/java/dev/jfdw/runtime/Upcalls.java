package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jfdw.api.OptionScope;
import dev.jfdw.api.fdw.FdwRoutine;
import dev.jfdw.api.fdw.ForeignScan;
import dev.jfdw.runtime.Scopes.Scope;
import dev.jfdw.runtime.Views.ExplainView;
import dev.jfdw.runtime.Views.ForeignPathView;
import dev.jfdw.runtime.Views.PlannerInfoView;
import dev.jfdw.runtime.Views.RelOptInfoView;
import java.lang.foreign.MemorySegment;

/**
 * The one entry point C calls: {@code int64 upcall(int32 op, Datum *argv)}.
 * Nothing may escape it (an exception leaving an upcall stub kills the
 * JVM and the backend with it): every Throwable becomes a status and a
 * filled error buffer, and C raises the ERROR after this frame is gone.
 */
final class Upcalls {
    private Upcalls() {}

    private static final long ARGV_SIZE = 8 * 8;

    /**
     * Upcalls made through JNI before the FFM stub is linked. Linking costs
     * 20-30 ms and saves about 200 ns per upcall (docs/architecture.md), so
     * the stub pays for itself after some 125,000 upcalls; linking it at
     * about that point keeps a backend within twice the best cost in
     * hindsight, and sessions that make few upcalls (rows in batches) never
     * pay for it.
     */
    static final long LINK_STUB_AFTER = Long.getLong("jfdw.upcallStubAfter", 100_000);
    private static long jniUpcalls;
    private static String linkFailure;

    private static int depth;

    /** The entry C calls through JNI (jvm.c, jni_upcall) until the FFM stub is linked. */
    static long jniUpcall(int op, long argv) {
        if (++jniUpcalls == LINK_STUB_AFTER) {
            try {
                Bootstrap.linkUpcallStub();
            } catch (Throwable t) {
                linkFailure = t.toString(); // upcalls go on through JNI
            }
        }
        return upcall(op, MemorySegment.ofAddress(argv));
    }

    static long jniUpcalls() {
        return jniUpcalls;
    }

    static String linkFailure() {
        return linkFailure;
    }

    /**
     * Rows (ITERATE) are handled here, everything else in {@link #call}:
     * kept small, this method is compiled early (C1 gives up on a method
     * with every op's code inlined, leaving it interpreted for thousands
     * of upcalls).
     */
    static long upcall(int op, MemorySegment argv) {
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        FdwRoutine fdw = null;
        int at = ++depth;
        try {
            MemorySegment a = argv.reinterpret(ARGV_SIZE);
            if (op == Op.ITERATE) {
                ScanDriver d = ScanDriver.of(a.get(ADDRESS, 0));
                fdw = d.fdw();
                thread.setContextClassLoader(Connectors.loaderOf(fdw));
                return d.iterate();
            }
            fdw = routine(op, a);
            if (fdw != null) {
                thread.setContextClassLoader(Connectors.loaderOf(fdw));
            }
            call(op, fdw, a);
            return 0;
        } catch (Throwable t) {
            String context;
            try {
                context = context(op, fdw);
            } catch (Throwable noRoom) {
                context = null; // out of heap or stack: the error without it
            }
            return PgErrors.report(t, context);
        } finally {
            // nothing may leave an upcall stub: the JVM would end the backend's process
            depth = at - 1;
            try {
                CancelWatch.returned(at);
            } catch (Throwable ignored) {
                // out of heap or stack: a registration left open closes when the next upcall returns
            }
            thread.setContextClassLoader(saved);
            Thread.interrupted();
        }
    }

    /** Calls into Java running now: more than one where Java called PostgreSQL, which called Java. */
    static int depth() {
        return depth;
    }

    /** The connector an upcall is for; null for the runtime's own. */
    private static FdwRoutine routine(int op, MemorySegment a) {
        return switch (op) {
            case Op.VALIDATE -> Connectors.forFunction(a.get(JAVA_INT, 0));
            case Op.REL_SIZE, Op.PATHS, Op.PLAN, Op.BEGIN -> Connectors.forFunction(a.get(JAVA_INT, 24));
            case Op.IMPORT, Op.ANALYZE -> Connectors.forFunction(a.get(JAVA_INT, 16));
            case Op.RESCAN, Op.END, Op.EXPLAIN -> ScanDriver.of(a.get(ADDRESS, 0)).fdw();
            default -> null;
        };
    }

    private static void call(int op, FdwRoutine fdw, MemorySegment a) {
        switch (op) {
            case Op.VALIDATE -> fdw.validate(Views.options(a.get(ADDRESS, 8), Scopes.current()), scope(a.get(JAVA_INT, 16)));
            case Op.REL_SIZE, Op.PATHS, Op.PLAN -> plan(op, fdw, a);
            case Op.BEGIN -> ScanDriver.begin(fdw, fdw.name(), a.get(ADDRESS, 0), a.get(JAVA_INT, 8), a.get(ADDRESS, 16));
            case Op.RESCAN -> ScanDriver.of(a.get(ADDRESS, 0)).rescan();
            case Op.END -> ScanDriver.of(a.get(ADDRESS, 0)).end();
            case Op.EXPLAIN -> {
                ScanDriver d = ScanDriver.of(a.get(ADDRESS, 0));
                ExplainView es = ExplainView.of(a.get(ADDRESS, 8), Scopes.current());
                fdw.explainForeignScan(d.node(), es);
                d.explain(es);
            }
            case Op.RELEASE -> {
                if (Handles.remove(a.get(JAVA_INT, 0)) instanceof Scope s) {
                    boolean was = Native.restrict(true);
                    try {
                        Scopes.released(s);
                    } finally {
                        Native.restrict(was);
                    }
                }
            }
            case Op.STATUS -> a.set(JAVA_LONG, 0, Status.json());
            case Op.OPTIONS -> a.set(JAVA_LONG, 0,
                    Status.options(Connectors.byName(PgStrings.decode(a.get(ADDRESS, 0)))));
            case Op.IMPORT -> {
                MemorySegment list = MemorySegment.NULL;
                for (String command : fdw.importForeignSchema(
                        Views.ImportStmtView.of(a.get(ADDRESS, 0), Scopes.current()), a.get(JAVA_INT, 8))) {
                    list = Pg.appendString(list, command);
                }
                a.set(ADDRESS, 0, list);
            }
            case Op.ANALYZE -> {
                double rows = fdw.analyzeForeignTable(a.get(JAVA_INT, 0), a.get(JAVA_INT, 8));
                if (Double.isNaN(rows)) {
                    throw new IllegalStateException("analyzeForeignTable returned NaN rows");
                }
                a.set(JAVA_DOUBLE, 0, rows);
            }
            default -> throw new IllegalArgumentException("unknown upcall op " + op);
        }
    }

    private static void plan(int op, FdwRoutine fdw, MemorySegment a) {
        Scope scope = Scopes.current();
        PlannerInfoView root = PlannerInfoView.of(a.get(ADDRESS, 0), scope);
        RelOptInfoView baserel = RelOptInfoView.of(a.get(ADDRESS, 8), scope, root.segment());
        int relid = a.get(JAVA_INT, 16);
        switch (op) {
            case Op.REL_SIZE -> fdw.getForeignRelSize(root, baserel, relid);
            case Op.PATHS -> fdw.getForeignPaths(root, baserel, relid);
            default -> {
                ForeignScan plan = fdw.getForeignPlan(root, baserel, relid,
                        ForeignPathView.of(a.get(ADDRESS, 32), scope),
                        Views.list(a.get(ADDRESS, 40), scope), Views.list(a.get(ADDRESS, 48), scope),
                        a.get(ADDRESS, 56));
                a.set(ADDRESS, 0, plan == null ? MemorySegment.NULL : plan.segment());
            }
        }
    }

    private static String context(int op, FdwRoutine fdw) {
        return fdw == null ? "jfdw, " + Op.callback(op)
                : "jfdw connector \"" + fdw.name() + "\", " + Op.callback(op);
    }

    private static OptionScope scope(int catalog) {
        if (catalog == Layout.intOf("ForeignDataWrapperRelationId")) {
            return OptionScope.WRAPPER;
        } else if (catalog == Layout.intOf("ForeignServerRelationId")) {
            return OptionScope.SERVER;
        } else if (catalog == Layout.intOf("UserMappingRelationId")) {
            return OptionScope.USER_MAPPING;
        } else if (catalog == Layout.intOf("ForeignTableRelationId")) {
            return OptionScope.TABLE;
        } else if (catalog == Layout.intOf("AttributeRelationId")) {
            return OptionScope.COLUMN;
        }
        throw new IllegalArgumentException("options for unknown catalog " + catalog);
    }
}
