package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jfdw.api.PgException;
import dev.jfdw.api.PgType;
import dev.jfdw.api.Postgres;
import dev.jfdw.api.QueryCanceledException;
import dev.jfdw.api.fdw.Attribute;
import dev.jfdw.api.fdw.ExplainState;
import dev.jfdw.api.fdw.FdwRoutine;
import dev.jfdw.api.fdw.TupleDesc;
import dev.jfdw.runtime.Scopes.Scope;
import dev.jfdw.runtime.Views.ForeignScanStateView;
import dev.jfdw.runtime.Views.SlotView;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;

/**
 * The Java side of one running foreign scan, found from C through the
 * handle in its JfdwScanState. Its scope is the query's memory context: if
 * the query fails and EndForeignScan never comes, the context's reset
 * releases the scan all the same.
 */
final class ScanDriver implements AutoCloseable {
    /** More rows per upcall than this buys nothing and costs memory. */
    static final int MAX_CAPACITY = 100_000;
    /**
     * Values (rows times columns) one batch holds at most: its arrays, in C
     * and staged in Java, are allocated whole at scan start, and 100,000
     * rows of a wide table would ask more of the JVM's heap than it has.
     */
    static final int MAX_VALUES = 1 << 20;

    private static final class State {
        static final long HANDLE = Layout.of("JfdwScanState.handle");
        static final long CHECK_AS_USER = Layout.of("JfdwScanState.check_as_user");
        static final long CAPACITY = Layout.of("JfdwScanState.capacity");
        static final long RELEASED = Layout.of("JfdwScanState.released");
        static final long VALUES = Layout.of("JfdwScanState.values");
        static final long NULLS = Layout.of("JfdwScanState.nulls");
        static final long BATCH_CXT = Layout.of("JfdwScanState.batch_cxt");
        static final long COLUMNAR = Layout.of("JfdwScanState.columnar");
        static final long FIRST = Layout.of("JfdwScanState.first");
        static final long COLUMNS = Layout.of("JfdwScanState.columns");
        static final long COLUMN_SIZE = Layout.sizeOf("JfdwColumn");
        static final long SIZE = Layout.sizeOf("JfdwScanState");
        static final long NODE_STATE = Layout.of("ForeignScanState.ss.ps.state");
        static final long QUERY_CXT = Layout.of("EState.es_query_cxt");
        static final long ESTATE_SIZE = Layout.sizeOf("EState");
        static final long NODE_SLOT = Layout.of("ForeignScanState.ss.ss_ScanTupleSlot");
    }

    private final FdwRoutine fdw;
    private final String connector;
    private final Scope scope;
    private final MemorySegment state;
    private final ForeignScanStateView node;
    private final SlotView slot;
    private final boolean explainOnly;
    private final int handle;
    private final ColumnCodec[] codecs;
    private final RowMemory memory;
    private final RowBatch slotRows;
    /** Columns of domain types the query reads (see {@link #checkDomainNullsOf}), and each one's check state. */
    private int[] domainColumns = new int[0];
    private MemorySegment domainChecks = MemorySegment.NULL;
    private RowBatch batch;
    private int capacity = 1;
    private boolean exhausted;
    private boolean released;
    /** For EXPLAIN ANALYZE: ITERATE upcalls, and rows the glue served from columns. */
    private long javaCalls;
    private long rowsFromColumns;
    private Object attached;

    private ScanDriver(FdwRoutine fdw, String connector, Scope scope, MemorySegment nodePointer,
                       MemorySegment state, boolean explainOnly) {
        this.fdw = fdw;
        this.connector = connector;
        this.scope = scope;
        this.state = state;
        this.explainOnly = explainOnly;
        this.node = new ForeignScanStateView(scope.view(nodePointer, ForeignScanStateView.SIZE), scope, this);
        this.slot = new SlotView(node.segment().get(ADDRESS, State.NODE_SLOT), scope);
        this.codecs = codecs(slot.descriptor(), scope.context);
        this.memory = new RowMemory(state.get(JAVA_LONG, State.BATCH_CXT));
        this.slotRows = new RowBatch(codecs, memory);
        slotRows.bind(slot.values(), slot.isNull(), 1);
        slot.bind(slotRows);
        this.handle = Handles.register(this);
    }

    /** The BEGIN upcall. */
    static ScanDriver begin(FdwRoutine fdw, String connector, MemorySegment nodePointer, int eflags,
                            MemorySegment statePointer) {
        MemorySegment state = statePointer.reinterpret(State.SIZE);
        long queryContext = MemorySegment.ofAddress(nodePointer.reinterpret(ForeignScanStateView.SIZE)
                        .get(JAVA_LONG, State.NODE_STATE)).reinterpret(State.ESTATE_SIZE)
                .get(JAVA_LONG, State.QUERY_CXT);
        Scope scope = Scopes.of(queryContext);
        boolean explainOnly = (eflags & Layout.intOf("EXEC_FLAG_EXPLAIN_ONLY")) != 0;
        ScanDriver d = new ScanDriver(fdw, connector, scope, nodePointer, state, explainOnly);
        state.set(JAVA_INT, State.HANDLE, d.handle);
        scope.onRelease(d);
        fdw.beginForeignScan(d.node, eflags);
        int capacity = fdw.batchCapacity(d.node);
        d.capacity = Math.clamp(capacity, 1, Math.min(MAX_CAPACITY, MAX_VALUES / Math.max(1, d.codecs.length)));
        state.set(JAVA_INT, State.CAPACITY, d.capacity);
        return d;
    }

    private static ColumnCodec[] codecs(TupleDesc desc, long scanContext) {
        ColumnCodec[] codecs = new ColumnCodec[desc.size()];
        for (int i = 0; i < codecs.length; i++) {
            Attribute a = desc.attribute(i);
            if (!a.isDropped()) {
                codecs[i] = ColumnCodec.of(a.name(), a.typeId(), a.typmod(), Pg.typeName(a.typeId()), scanContext);
            }
        }
        return codecs;
    }

    /**
     * Checks the NULLs of these columns (the ones the query reads), where
     * their type is a domain, against the domain's constraints, as its input
     * function would (NOT NULL, a CHECK): a NULL is no value a connector
     * converts. The Connector SPI says which columns; a FdwRoutine that
     * writes the slot itself checks what it writes.
     */
    void checkDomainNullsOf(java.util.Collection<Integer> columns) {
        domainColumns = columns.stream().mapToInt(Integer::intValue)
                .filter(i -> i >= 0 && i < codecs.length && codecs[i] instanceof ColumnCodec.ViaInput
                        && Pg.type(codecs[i].typeOid()).kind() == PgType.Kind.DOMAIN)
                .sorted().toArray();
        domainChecks = scope.arena.allocate(8L * Math.max(1, domainColumns.length), 8);
    }

    /**
     * PostgreSQL's error for a NULL of this domain; empty if NULL passes.
     * Tried in a subtransaction, which also takes a CHECK that fails to
     * evaluate on NULL for a refusal; in a parallel query, which allows
     * none, asked of the constraints without one.
     */
    Optional<PgException> nullRefusal(int domainOid) {
        if (Pg.inParallelMode()) {
            return Pg.domainNullRefusal(domainOid);
        }
        try {
            Postgres.inSubtransaction(() -> {
                Pg.checkDomainNull(domainOid, scope.arena.allocate(8, 8), scope.context);
                return null;
            });
            return Optional.empty();
        } catch (PgException e) {
            return Optional.of(e);
        }
    }

    private void checkDomainNulls(RowBatch rows, int count) {
        for (int d = 0; d < domainColumns.length; d++) {
            int c = domainColumns[d];
            for (int r = 0; r < count; r++) {
                if (rows.isNull(r, c)) {
                    try {
                        Pg.checkDomainNull(codecs[c].typeOid(), domainChecks.asSlice(8L * d, 8), scope.context);
                    } catch (PgException | QueryCanceledException e) {
                        PgErrors.addContext("column \"" + codecs[c].column() + "\"");
                        throw e;
                    }
                }
            }
        }
    }

    /** The driver of a JfdwScanState, for the scan upcalls. */
    static ScanDriver of(MemorySegment statePointer) {
        int h = statePointer.reinterpret(State.SIZE).get(JAVA_INT, State.HANDLE);
        if (Handles.get(h) instanceof ScanDriver d && !d.released) {
            return d;
        }
        throw new IllegalStateException("jfdw scan " + h + " is gone");
    }

    FdwRoutine fdw() {
        return fdw;
    }

    String connector() {
        return connector;
    }

    ForeignScanStateView node() {
        return node;
    }

    SlotView slot() {
        return slot;
    }

    /** Rows written straight into the scan slot, for capacity 1. */
    RowBatch slotRows() {
        return slotRows;
    }

    int checkAsUser() {
        return state.get(JAVA_INT, State.CHECK_AS_USER);
    }

    boolean explainOnly() {
        return explainOnly;
    }

    int capacity() {
        return capacity;
    }

    void attach(Object o) {
        attached = o;
    }

    Object attached() {
        return attached;
    }

    /** The ITERATE upcall: rows produced, 0 at the end. */
    long iterate() {
        javaCalls++;
        if (capacity == 1) {
            if (!fdw.iterateForeignScan(node)) {
                return 0;
            }
            checkDomainNulls(slotRows, 1);
            return 1;
        }
        if (exhausted) {
            return 0;
        }
        if (batch == null) {
            // Not tied to the scope's arena: the runtime alone writes these, and never after release.
            MemorySegment values = state.get(ADDRESS, State.VALUES).reinterpret((long) capacity * codecs.length * 8);
            MemorySegment nulls = state.get(ADDRESS, State.NULLS).reinterpret((long) capacity * codecs.length);
            batch = new RowBatch(codecs, memory);
            batch.bind(values, nulls, capacity);
            batch.bindColumns(state.get(ADDRESS, State.COLUMNS).reinterpret(codecs.length * State.COLUMN_SIZE));
        }
        batch.reset();
        boolean more = true;
        while (more && batch.size() == 0) {
            if (Native.cancelPending()) {
                throw new QueryCanceledException();
            }
            more = fdw.iterateForeignBatch(node, batch);
        }
        exhausted = !more;
        batch.publish();
        checkDomainNulls(batch, batch.size());
        Columns columns = batch.columnBatch();
        boolean columnar = columns != null && columns.servedNatively();
        state.set(JAVA_BYTE, State.COLUMNAR, (byte) (columnar ? 1 : 0));
        state.set(JAVA_LONG, State.FIRST, columnar ? columns.first() : 0);
        if (columnar) {
            rowsFromColumns += batch.size();
        }
        return batch.size();
    }

    /**
     * With ANALYZE, after the connector's own lines: how the rows crossed
     * over, so that a connector's author sees whether it is on the fast
     * path (few Java calls; columns the glue converts itself).
     */
    void explain(ExplainState es) {
        if (!es.analyze()) {
            return;
        }
        es.property("Java Calls", javaCalls, null);
        if (rowsFromColumns > 0) {
            es.property("Rows From Columns", rowsFromColumns, null);
        }
        List<String> slow = (batch != null ? batch : slotRows).columnsConvertedInJava();
        if (!slow.isEmpty()) {
            es.property("Columns Converted in Java", String.join(", ", slow));
        }
    }

    void rescan() {
        exhausted = false;
        fdw.reScanForeignScan(node);
    }

    /** The END upcall. */
    void end() {
        try {
            fdw.endForeignScan(node);
        } finally {
            close();
        }
    }

    /** Releases the scan; on a failed query, from the query context's reset. */
    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        Handles.remove(handle);
        state.set(JAVA_BYTE, State.RELEASED, (byte) 1);
        if (attached instanceof AutoCloseable c) {
            attached = null;
            try {
                c.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("closing the state of a " + connector + " scan failed", e);
            }
        }
    }

    boolean released() {
        return released;
    }
}
