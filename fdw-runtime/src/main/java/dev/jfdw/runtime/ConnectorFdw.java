package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jfdw.api.Column;
import dev.jfdw.api.Connector;
import dev.jfdw.api.FdwException;
import dev.jfdw.api.ForeignTableDefinition;
import dev.jfdw.api.ImportRequest;
import dev.jfdw.api.OptionScope;
import dev.jfdw.api.OptionSpec;
import dev.jfdw.api.Options;
import dev.jfdw.api.PgException;
import dev.jfdw.api.PgType;
import dev.jfdw.api.Qual;
import dev.jfdw.api.QueryCanceledException;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import dev.jfdw.api.ScanPlan;
import dev.jfdw.api.ScanRequest;
import dev.jfdw.api.SortKey;
import dev.jfdw.api.SqlState;
import dev.jfdw.api.Table;
import dev.jfdw.api.fdw.ExplainState;
import dev.jfdw.api.fdw.FdwRoutine;
import dev.jfdw.api.fdw.ForeignPath;
import dev.jfdw.api.fdw.ForeignScan;
import dev.jfdw.api.fdw.ForeignScanState;
import dev.jfdw.api.fdw.ImportForeignSchemaStmt;
import dev.jfdw.api.fdw.PgList;
import dev.jfdw.api.fdw.PlannerInfo;
import dev.jfdw.api.fdw.RelOptInfo;
import dev.jfdw.runtime.PlanState.PlannedQual;
import dev.jfdw.runtime.Quals.Candidate;
import dev.jfdw.runtime.Views.ForeignScanStateView;
import dev.jfdw.runtime.Views.PgListView;
import dev.jfdw.runtime.Views.PlannerInfoView;
import dev.jfdw.runtime.Views.RelOptInfoView;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Connector SPI, built on the FdwRoutine mirror. At planning it asks the
 * connector about the columns, restrictions, order and limit of the query,
 * offers PostgreSQL the paths that follow (sorted, parameterized by a
 * nested loop's outer row), and carries the connector's state and the quals
 * it handles through the plan; at execution it evaluates the quals' values
 * and streams the connector's rows in batches.
 *
 * <p>The code every query runs uses loops, not lambdas or streams: each
 * lambda is a class spun when first used, about 1 ms in a new backend's
 * JVM, and the AOT cache holds only those its training run used, which
 * cannot plan against a real PostgreSQL.
 */
final class ConnectorFdw implements FdwRoutine {
    /** Rows per upcall: a runtime option every connector accepts. */
    static final OptionSpec<Long> BATCH_SIZE = OptionSpec.integer("batch_size", 1, ScanDriver.MAX_CAPACITY)
            .in(OptionScope.SERVER, OptionScope.TABLE).defaultsTo(1000L)
            .describedAs("Rows passed from Java per call; 1 calls Java once per row.");

    private final Connector connector;
    private final List<OptionSpec<?>> specs;
    private int ownValidator;

    ConnectorFdw(Connector connector) {
        this.connector = connector;
        for (OptionSpec<?> spec : connector.options()) {
            if (spec.isSecret() && !spec.scopes().equals(java.util.EnumSet.of(OptionScope.USER_MAPPING))) {
                throw new IllegalStateException("connector " + connector.name() + ": secret option \"" + spec.name()
                        + "\" may be set in " + spec.scopes() + ", whose options every role can read; "
                        + "secrets belong in user mappings alone");
            }
        }
        List<OptionSpec<?>> all = new ArrayList<>(connector.options());
        all.add(BATCH_SIZE);
        this.specs = List.copyOf(all);
    }

    Connector connector() {
        return connector;
    }

    /** Whether a wrapper's validator is this connector's: looked up once, as every query asks. */
    boolean isOwnValidator(int validator) {
        if (validator != 0 && validator != ownValidator && Pg.funcName(validator).equals(name() + "_validator")) {
            ownValidator = validator;
        }
        return validator != 0 && validator == ownValidator;
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
        Secrets.remember(specs, options);
        Options.validate(specs, scope, options);
        for (OptionSpec<?> spec : specs) {
            if (spec.isServerFiles() && options.containsKey(spec.name()) && !Pg.canReadServerFiles()) {
                throw new FdwException(SqlState.INSUFFICIENT_PRIVILEGE, "only superuser or a role with privileges of "
                        + "the pg_read_server_files role may specify the " + spec.name() + " option of a "
                        + connector.name() + " foreign table");
            }
        }
    }

    /** The connector's estimate of a scan of every column, with nothing to filter, sort or stop at. */
    @Override
    public double analyzeForeignTable(int foreignTableId, int userId) {
        TableInfo info = TableInfo.load(foreignTableId, userId, this);
        if (!connector.analyzable(info.table(), info.options())) {
            return -1;
        }
        Table table = info.table();
        return connector.planScan(new Request(table, info.options(), table.columns(), List.of(), List.of(),
                OptionalLong.empty(), null, List.of())).rows();
    }

    // ---------------------------------------------------------------- planning

    private record Request(Table table, Options options, List<Column> columns, List<Qual> quals,
                           List<SortKey> sortKeys, OptionalLong limit, Quals.Rel rel, List<Candidate> candidates)
            implements ScanRequest {
        @Override
        public double selectivity(Collection<Qual> chosen) {
            MemorySegment list = MemorySegment.NULL;
            for (Candidate c : candidates) {
                if (holds(chosen, c.qual())) {
                    list = Pg.appendPointer(list, c.restrictInfo());
                }
            }
            return list.equals(MemorySegment.NULL) ? 1 : Pg.selectivity(rel.root(), list, rel.relid());
        }
    }

    /**
     * Whether {@code quals} holds this very qual. Two clauses can make equal
     * quals ({@code t LIKE $1 AND t LIKE $2}: the same column, operator and
     * type, values unknown yet); a connector that handles one of them must
     * not have the other taken out of PostgreSQL's filter too.
     */
    private static boolean holds(Collection<Qual> quals, Qual qual) {
        for (Qual q : quals) {
            if (q == qual) {
                return true;
            }
        }
        return false;
    }

    /** One way to scan the relation, offered to the planner as a path. */
    private record Choice(List<Candidate> candidates, ScanPlan plan) {
        boolean handles(Candidate c) {
            return holds(plan.handledQuals(), c.qual());
        }

        Set<Long> handledRestrictInfos() {
            Set<Long> handled = new HashSet<>();
            for (Candidate c : candidates) {
                if (handles(c)) {
                    handled.add(c.restrictInfo().address());
                }
            }
            return handled;
        }
    }

    /** What planning learned about the relation; kept with its RelOptInfo. */
    private static final class Planning {
        final TableInfo info;
        final Quals.Rel rel;
        final List<Column> columns;
        final List<Candidate> restrictions;
        final List<SortKey> sortKeys;
        final OptionalLong limit;
        final List<Choice> choices = new ArrayList<>();

        Planning(TableInfo info, Quals.Rel rel, List<Column> columns, List<Candidate> restrictions,
                 List<SortKey> sortKeys, OptionalLong limit) {
            this.info = info;
            this.rel = rel;
            this.columns = columns;
            this.restrictions = restrictions;
            this.sortKeys = sortKeys;
            this.limit = limit;
        }
    }

    private Choice choose(Planning p, List<Candidate> candidates, List<SortKey> sortKeys) {
        List<Qual> quals = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            quals.add(c.qual());
        }
        Request request = new Request(p.info.table(), p.info.options(), p.columns, List.copyOf(quals), sortKeys,
                p.limit, p.rel, candidates);
        ScanPlan plan = connector.planScan(request);
        for (Qual q : plan.handledQuals()) {
            if (!holds(request.quals(), q)) {
                throw new IllegalStateException("connector " + connector.name() + " says it handles " + q
                        + ", which is not one of the request's quals (hand back the request's own Qual objects)");
            }
        }
        return new Choice(candidates, plan);
    }

    /** The connector's estimate, times PostgreSQL's selectivity of the restrictions it leaves to PostgreSQL. */
    private static double rows(PlannerInfo root, RelOptInfo baserel, Choice choice) {
        Set<Long> handled = choice.handledRestrictInfos();
        PgList restrictions = baserel.baseRestrictInfo();
        MemorySegment rest = MemorySegment.NULL;
        for (int i = 0; i < restrictions.size(); i++) {
            if (!handled.contains(restrictions.pointer(i).address())) {
                rest = Pg.appendPointer(rest, restrictions.pointer(i));
            }
        }
        double selectivity = rest.equals(MemorySegment.NULL) ? 1 : Pg.selectivity(root.segment(), rest, 0);
        return Math.max(1, Math.rint(choice.plan().rows() * selectivity));
    }

    @Override
    public void getForeignRelSize(PlannerInfo root, RelOptInfo baserel, int foreignTableId) {
        TableInfo info = TableInfo.load(foreignTableId, baserel.userId(), this);
        Quals.Rel rel = new Quals.Rel(root.segment(), baserel.relid(), info.table(), ((RelOptInfoView) baserel).scope());
        List<Candidate> restrictions = Quals.extract(rel, (PgListView) baserel.baseRestrictInfo());
        OptionalLong limit = root.limitTuples() >= 1 ? Pg.scanLimit(root.segment()) : OptionalLong.empty();
        Planning p = new Planning(info, rel, neededColumns(baserel, info.table()), restrictions,
                sortKeys(root, baserel, rel), limit);
        Choice plain = choose(p, restrictions, p.sortKeys);
        p.choices.add(plain);
        baserel.setRows(rows(root, baserel, plain));
        if (plain.plan().width() > 0) {
            baserel.setWidth(plain.plan().width());
        }
        baserel.attach(p);
    }

    private static List<Column> neededColumns(RelOptInfo baserel, Table table) {
        Pg.NeededAttrs needed = Pg.neededAttrs(baserel.segment());
        if (needed.wholeRow()) {
            return table.columns();
        }
        PgListView attnums = Views.list(needed.attnums(), ((RelOptInfoView) baserel).scope());
        Set<Integer> indexes = new HashSet<>();
        for (int i = 0; i < attnums.size(); i++) {
            indexes.add(attnums.intAt(i) - 1);
        }
        return columnsAt(table, indexes);
    }

    /** The table's columns whose index is in {@code indexes}, in table order. */
    private static List<Column> columnsAt(Table table, Set<Integer> indexes) {
        List<Column> result = new ArrayList<>(indexes.size());
        for (Column c : table.columns()) {
            if (indexes.contains(c.index())) {
                result.add(c);
            }
        }
        return List.copyOf(result);
    }

    private static List<SortKey> sortKeys(PlannerInfo root, RelOptInfo baserel, Quals.Rel rel) {
        PgListView keys = Views.list(Pg.sortKeys(root.segment(), baserel.segment()), rel.scope());
        List<SortKey> result = new ArrayList<>();
        for (int i = 0; i + 3 < keys.size(); i += 4) {
            Column column = rel.column(keys.intAt(i));
            boolean byteOrder = keys.intAt(i + 3) != 0 && PLAIN_ORDER.contains(column.type().base().oid());
            result.add(new SortKey(column, keys.intAt(i + 1) != 0, keys.intAt(i + 2) != 0, byteOrder));
        }
        return result;
    }

    /**
     * Types whose btree order is the plain order of their values, as Java
     * compares them; not bpchar (trailing spaces do not count), interval
     * (1 mon = 30 days), jsonb, inet and the like.
     */
    private static final Set<Integer> PLAIN_ORDER = Set.of(PgType.BOOL, PgType.INT2, PgType.INT4, PgType.INT8,
            PgType.FLOAT4, PgType.FLOAT8, PgType.NUMERIC, PgType.TEXT, PgType.VARCHAR, PgType.BYTEA, PgType.DATE,
            PgType.TIME, PgType.TIMESTAMP, PgType.TIMESTAMPTZ, PgType.UUID);

    private static PgList choiceIndex(PlannerInfo root, int index) {
        return root.bytesList(ByteBuffer.allocate(4).putInt(index).array());
    }

    @Override
    public void getForeignPaths(PlannerInfo root, RelOptInfo baserel, int foreignTableId) {
        Planning p = (Planning) baserel.attached();
        Choice plain = p.choices.getFirst();
        PgList pathKeys = plain.plan().sorted() && !p.sortKeys.isEmpty() ? root.queryPathKeys() : null;
        baserel.addForeignPath(rows(root, baserel, plain), plain.plan().startupCost(), plain.plan().totalCost(),
                pathKeys, choiceIndex(root, 0));

        // the inner side of a nested loop: a join clause whose other side the scan takes as a parameter
        PgListView joins = Views.list(Pg.joinClauses(root.segment(), baserel.segment()), p.rel.scope());
        for (int i = 0; i < joins.size(); i++) {
            Candidate join = Quals.extract(p.rel, joins.pointer(i));
            if (join == null) {
                continue;
            }
            List<Candidate> candidates = new ArrayList<>(p.restrictions);
            candidates.add(join);
            Choice c = choose(p, candidates, List.of());
            if (!c.handles(join)) {
                continue;
            }
            p.choices.add(c);
            double rows = Math.max(1, Math.rint(rows(root, baserel, c)));
            MemorySegment planned = Pg.addParameterizedPath(root.segment(), baserel.segment(), joins.pointer(i),
                    rows, c.plan().startupCost(), c.plan().totalCost(),
                    choiceIndex(root, p.choices.size() - 1).segment());
            if (!planned.equals(MemorySegment.NULL) && !planned.equals(join.restrictInfo())) {
                // the plan's own copy of the clause is the one to leave out of its filter
                candidates.set(candidates.size() - 1, new Candidate(join.qual(), planned, join.valueExpr(),
                        join.valueType(), join.array()));
                p.choices.set(p.choices.size() - 1, new Choice(List.copyOf(candidates), c.plan()));
            }
        }
    }

    @Override
    public ForeignScan getForeignPlan(PlannerInfo root, RelOptInfo baserel, int foreignTableId, ForeignPath bestPath,
                                      PgList targetList, PgList scanClauses, MemorySegment outerPlan) {
        Planning p = (Planning) baserel.attached();
        Choice c = p.choices.get(ByteBuffer.wrap(bestPath.fdwPrivate().bytes()).getInt());
        Set<Long> handled = c.handledRestrictInfos();

        MemorySegment remaining = MemorySegment.NULL;
        MemorySegment applied = MemorySegment.NULL;
        for (int i = 0; i < scanClauses.size(); i++) {
            if (handled.contains(scanClauses.pointer(i).address())) {
                applied = Pg.appendPointer(applied, scanClauses.pointer(i));
            } else if (!Quals.pseudoconstant(p.rel, scanClauses.pointer(i))) {
                // a pseudoconstant is tested once, by a gating Result above the scan: it filters no row
                remaining = Pg.appendPointer(remaining, scanClauses.pointer(i));
            }
        }
        MemorySegment fdwExprs = MemorySegment.NULL;
        List<PlannedQual> planned = new ArrayList<>();
        int exprs = 0;
        for (Candidate cand : c.candidates()) {
            if (!c.handles(cand)) {
                continue;
            }
            int index = -1;
            if (!cand.valueExpr().equals(MemorySegment.NULL)) {
                fdwExprs = Pg.appendPointer(fdwExprs, cand.valueExpr());
                index = exprs++;
            }
            Qual q = cand.qual();
            planned.add(new PlannedQual(q.column().index() + 1, q.operator(), index, cand.valueType(),
                    q.valueType() == null ? "" : q.valueType().name(), cand.array(), q.isParameter(), q.toString()));
        }
        // stopping early is safe only when nothing but the connector filters and the order is right
        boolean ordered = root.queryPathKeys().isEmpty() || (c.plan().sorted() && !p.sortKeys.isEmpty());
        long limit = !bestPath.isParameterized() && remaining.equals(MemorySegment.NULL) && ordered
                && p.limit.isPresent() ? p.limit.getAsLong() : -1;

        int[] columns = new int[p.columns.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = p.columns.get(i).index() + 1;
        }
        byte[] state = new PlanState(columns, planned, limit, c.plan().state()).encode();
        PlannerInfoView r = (PlannerInfoView) root;
        // EvalPlanQual rechecks a row it fetched again (UPDATE ... FROM a foreign table, after a concurrent
        // update) against these: the clauses the connector applied, a nested loop's join clause among them
        return root.makeForeignScan(targetList, root.actualClauses(Views.list(remaining, r.scope())),
                baserel.relid(), Views.list(fdwExprs, r.scope()), root.bytesList(state), null,
                root.actualClauses(Views.list(applied, r.scope())), outerPlan);
    }

    // --------------------------------------------------------------- execution

    /**
     * A running scan. The connector's Scan is opened at the first row, not at
     * BeginForeignScan: a nested loop's parameters have no value before then.
     */
    private final class Running implements ScanContext, AutoCloseable {
        private final TableInfo info;
        private final PlanState state;
        private final List<Column> columns;
        private final ForeignScanStateView node;
        private final MemorySegment exprStates;
        private final MemorySegment values;
        private final MemorySegment nulls;
        private List<Qual> quals;
        private Scan scan;
        private boolean exhausted;
        private boolean rescanPending;
        private final Map<Integer, Optional<PgException>> nullRefusals = new HashMap<>();

        Running(TableInfo info, PlanState state, ForeignScanStateView node) {
            this.info = info;
            this.state = state;
            this.node = node;
            Set<Integer> needed = new HashSet<>();
            for (int attnum : state.columns()) {
                needed.add(attnum - 1);
            }
            this.columns = columnsAt(info.table(), needed);
            node.driver().checkDomainNullsOf(needed);
            PgList exprs = node.plan().fdwExpressions();
            int n = exprs.size();
            this.exprStates = n == 0 ? MemorySegment.NULL : Pg.initExprs(node.segment(), exprs.segment());
            this.values = node.scope().arena.allocate(8L * Math.max(n, 1), 8);
            this.nulls = node.scope().arena.allocate(Math.max(n, 1));
            List<Qual> unevaluated = new ArrayList<>(state.quals().size());
            for (PlannedQual q : state.quals()) {
                unevaluated.add(qual(q, null));
            }
            this.quals = List.copyOf(unevaluated);
        }

        private Qual qual(PlannedQual q, Object value) {
            for (Column column : info.table().columns()) {
                if (column.index() == q.attnum() - 1) {
                    return new Qual(column, q.operator(), value,
                            q.valueType() == 0 ? null : new PgType(q.valueType(), q.valueTypeName()), q.parameter());
                }
            }
            throw new IllegalStateException("the plan's column " + q.attnum() + " is not in the table");
        }

        /** The quals' values for this (re)scan. */
        private void evaluate() {
            // called from IterateForeignScan, which PostgreSQL runs in the scan's per-tuple memory: what
            // decoding the values allocates (element arrays, text forms) is gone by the next row
            if (!exprStates.equals(MemorySegment.NULL)) {
                Pg.evalExprs(node.segment(), exprStates, values, nulls);
            }
            List<Qual> evaluated = new ArrayList<>(state.quals().size());
            for (PlannedQual q : state.quals()) {
                Object value = null;
                if (q.exprIndex() >= 0 && nulls.get(JAVA_BYTE, q.exprIndex()) == 0) {
                    long datum = values.getAtIndex(JAVA_LONG, q.exprIndex());
                    value = q.array() ? Datums.array(datum) : Datums.decode(q.valueType(), datum);
                }
                evaluated.add(qual(q, value));
            }
            quals = List.copyOf(evaluated);
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
            return state.connectorState().clone();
        }

        @Override
        public List<Column> columns() {
            return columns;
        }

        @Override
        public List<Qual> quals() {
            return quals;
        }

        @Override
        public OptionalLong limit() {
            return state.limit() >= 0 ? OptionalLong.of(state.limit()) : OptionalLong.empty();
        }

        @Override
        public boolean explainOnly() {
            return node.explainOnly();
        }

        @Override
        public Optional<PgException> nullRefused(Column column) {
            return nullRefusals.computeIfAbsent(column.index(), i -> column.type().kind() == PgType.Kind.DOMAIN
                    ? node.driver().nullRefusal(column.type().oid()) : Optional.empty());
        }

        private void open() {
            scan = connector.openScan(this);
            if (scan == null) {
                throw new IllegalStateException("connector " + connector.name() + " returned no Scan");
            }
            exhausted = false;
        }

        /** Ready to produce rows: opened, or restarted after a rescan, with fresh values. */
        private void ready() {
            if (scan == null) {
                evaluate();
                open();
            } else if (rescanPending) {
                evaluate();
                if (!scan.rescan()) {
                    Scan old = scan;
                    scan = null;
                    try {
                        old.end();
                    } finally {
                        old.close();
                    }
                    open();
                }
                exhausted = false;
            }
            rescanPending = false;
        }

        boolean next(Rows rows) {
            ready();
            if (exhausted) {
                return false;
            }
            exhausted = !scan.next(rows);
            return !exhausted;
        }

        void rescan() {
            rescanPending = true;
        }

        void end() {
            if (scan != null && !explainOnly()) {
                scan.end();
            }
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
        // the user mapping planning used: a view's owner's, where the table is read through a view
        TableInfo info = TableInfo.load(node.relationId(), node.checkAsUser(), this);
        PlanState state = PlanState.decode(node.plan().fdwPrivate().bytes());
        node.attach(new Running(info, state, (ForeignScanStateView) node));
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
                throw new QueryCanceledException();
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
        Running r = running(node);
        try {
            r.end();
        } finally {
            r.close();
        }
    }

    @Override
    public void explainForeignScan(ForeignScanState node, ExplainState es) {
        Running r = running(node);
        es.property("Connector", connector.name());
        if (!r.state.quals().isEmpty()) {
            es.property("Pushed Down", r.state.quals().stream().map(q -> q.parameter() && q.exprIndex() >= 0
                            ? q.display().replace("$?", Pg.explainExpr(node.segment(), es.segment(), q.exprIndex()))
                            : q.display())
                    .collect(Collectors.joining(" AND ")));
        }
        if (r.state.limit() >= 0) {
            es.property("Limit Pushed Down", r.state.limit(), null);
        }
        if (es.verbose()) {
            // what the scan uses: the option, but fewer rows for a wide table (ScanDriver.MAX_VALUES)
            es.property("Batch Size", node instanceof Views.ForeignScanStateView v ? v.driver().capacity()
                    : batchCapacity(node), "rows");
            es.property("Columns Read", r.columns.isEmpty() ? "(none)"
                    : r.columns.stream().map(Column::name).collect(Collectors.joining(", ")));
        }
        if (r.scan == null) {
            if (!r.explainOnly()) {
                return; // EXPLAIN ANALYZE of a scan that never ran (LIMIT 0, an empty outer side): nothing to open
            }
            r.open();
        }
        r.scan.explain(es);
    }

    // ------------------------------------------------------------------ import

    @Override
    public List<String> importForeignSchema(ImportForeignSchemaStmt stmt, int serverId) {
        var server = dev.jfdw.api.fdw.ForeignCatalog.server(serverId);
        var wrapper = dev.jfdw.api.fdw.ForeignCatalog.wrapper(server.fdwId());
        var mapping = dev.jfdw.api.fdw.ForeignCatalog.userMapping(dev.jfdw.api.fdw.ForeignCatalog.currentUserId(),
                serverId);
        Map<String, String> merged = new LinkedHashMap<>(wrapper.options());
        merged.putAll(server.options());
        if (mapping != null) {
            merged.putAll(mapping.options());
        }
        Secrets.remember(specs, merged);
        Options importOptions = Options.validate(specs, OptionScope.IMPORT, stmt.options());
        Set<String> tables = Set.copyOf(stmt.tables());
        ImportRequest request = new ImportRequest(stmt.remoteSchema(), Options.parse(specs, merged), importOptions,
                stmt.listType() == ImportForeignSchemaStmt.ListType.LIMIT_TO ? tables : Set.of(),
                stmt.listType() == ImportForeignSchemaStmt.ListType.EXCEPT ? tables : Set.of());
        List<String> commands = new ArrayList<>();
        for (ForeignTableDefinition t : connector.importSchema(request)) {
            if (request.wants(t.name())) {
                commands.add(createForeignTable(stmt.localSchema(), server.name(), t));
            }
        }
        return commands;
    }

    static String createForeignTable(String schema, String server, ForeignTableDefinition t) {
        String columns = t.columns().stream()
                .map(c -> Sql.identifier(c.name()) + " " + c.type() + Sql.options(c.options()))
                .collect(Collectors.joining(",\n  "));
        return "CREATE FOREIGN TABLE " + Sql.identifier(schema) + "." + Sql.identifier(t.name()) + " (\n  "
                + columns + "\n) SERVER " + Sql.identifier(server) + Sql.options(t.options());
    }

    /** SQL text: identifiers and literals, always quoted. */
    static final class Sql {
        private Sql() {}

        static String identifier(String s) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }

        static String literal(String s) {
            String quoted = "'" + s.replace("'", "''") + "'";
            return s.indexOf('\\') >= 0 ? "E" + quoted.replace("\\", "\\\\") : quoted;
        }

        static String options(Map<String, String> options) {
            if (options.isEmpty()) {
                return "";
            }
            return " OPTIONS (" + options.entrySet().stream()
                    .map(e -> Sql.identifier(e.getKey()) + " " + Sql.literal(e.getValue()))
                    .collect(Collectors.joining(", ")) + ")";
        }
    }
}
