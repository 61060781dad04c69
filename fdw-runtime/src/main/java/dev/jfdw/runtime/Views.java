package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.jfdw.api.Row;
import dev.jfdw.api.fdw.Attribute;
import dev.jfdw.api.fdw.ExplainState;
import dev.jfdw.api.fdw.ForeignDataWrapper;
import dev.jfdw.api.fdw.ForeignPath;
import dev.jfdw.api.fdw.ForeignScan;
import dev.jfdw.api.fdw.ForeignScanState;
import dev.jfdw.api.fdw.ForeignServer;
import dev.jfdw.api.fdw.ForeignTable;
import dev.jfdw.api.fdw.ImportForeignSchemaStmt;
import dev.jfdw.api.fdw.PgList;
import dev.jfdw.api.fdw.PlannerInfo;
import dev.jfdw.api.fdw.RelOptInfo;
import dev.jfdw.api.fdw.TupleDesc;
import dev.jfdw.api.fdw.TupleTableSlot;
import dev.jfdw.api.fdw.UserMapping;
import dev.jfdw.runtime.Scopes.Scope;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Zero-copy views of PostgreSQL structs, built from the glue's offset table.
 * Each view is bounded to its struct's size and tied to the scope (memory
 * context) that owns the struct.
 */
final class Views {
    private Views() {}

    static MemorySegment pointer(MemorySegment s, long offset) {
        return s.get(ADDRESS, offset);
    }

    static int oid(MemorySegment s, long offset) {
        return s.get(JAVA_INT, offset);
    }

    static String string(MemorySegment s, long offset) {
        return PgStrings.decode(s.get(ADDRESS, offset));
    }

    /** A list argument's pointer; {@code null} stands for NIL. */
    static MemorySegment pointerOf(PgList list) {
        return list == null ? MemorySegment.NULL : list.segment();
    }

    static PgListView list(MemorySegment pointer, Scope scope) {
        if (pointer.equals(MemorySegment.NULL)) {
            return new PgListView(MemorySegment.NULL, scope);
        }
        return new PgListView(scope.view(pointer, PgListView.SIZE), scope);
    }

    /** A {@code List}; NIL is a NULL pointer. */
    record PgListView(MemorySegment segment, Scope scope) implements PgList {
        static final long SIZE = Layout.sizeOf("List");
        static final long LENGTH = Layout.of("List.length");
        static final long ELEMENTS = Layout.of("List.elements");
        static final long CELL = Layout.sizeOf("ListCell");
        static final int T_CONST = Layout.intOf("T_Const");
        static final int BYTEA = Layout.intOf("BYTEAOID");

        @Override
        public int size() {
            return segment.equals(MemorySegment.NULL) ? 0 : segment.get(JAVA_INT, LENGTH);
        }

        private MemorySegment cells() {
            return scope.view(Views.pointer(segment, ELEMENTS), CELL * size());
        }

        @Override
        public MemorySegment pointer(int i) {
            return cells().get(ADDRESS, CELL * checkIndex(i));
        }

        @Override
        public int intAt(int i) {
            return cells().get(JAVA_INT, CELL * checkIndex(i));
        }

        private int checkIndex(int i) {
            if (i < 0 || i >= size()) {
                throw new IndexOutOfBoundsException("index " + i + " of a list of " + size());
            }
            return i;
        }

        @Override
        public byte[] bytes() {
            if (size() != 1) {
                throw new IllegalStateException("not a list made by bytesList: " + size() + " elements");
            }
            MemorySegment c = scope.view(pointer(0), ConstView.SIZE);
            if (c.get(JAVA_INT, NodeTag.OFFSET) != T_CONST || c.get(JAVA_INT, ConstView.TYPE) != BYTEA
                    || c.get(JAVA_BYTE, ConstView.ISNULL) != 0) {
                throw new IllegalStateException("not a list made by bytesList");
            }
            return Varlena.bytes(MemorySegment.ofAddress(c.get(JAVA_LONG, ConstView.VALUE)));
        }
    }

    static final class NodeTag {
        static final long OFFSET = Layout.of("Node.type");
    }

    static final class ConstView {
        static final long SIZE = Layout.sizeOf("Const");
        static final long TYPE = Layout.of("Const.consttype");
        static final long VALUE = Layout.of("Const.constvalue");
        static final long ISNULL = Layout.of("Const.constisnull");
    }

    /** A List of DefElem with String arguments, as catalog options are. */
    static Map<String, String> options(MemorySegment listPointer, Scope scope) {
        PgListView list = list(listPointer, scope);
        Map<String, String> result = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            MemorySegment def = scope.view(list.pointer(i), Layout.sizeOf("DefElem"));
            String name = string(def, Layout.of("DefElem.defname"));
            MemorySegment arg = pointer(def, Layout.of("DefElem.arg"));
            String value = null;
            if (!arg.equals(MemorySegment.NULL)) {
                MemorySegment node = scope.view(arg, Layout.sizeOf("String"));
                if (node.get(JAVA_INT, NodeTag.OFFSET) != Layout.intOf("T_String")) {
                    throw new IllegalStateException("option \"" + name + "\" is not a string");
                }
                value = string(node, Layout.of("String.sval"));
            }
            result.put(name, value);
        }
        return result;
    }

    record PlannerInfoView(MemorySegment segment, Scope scope) implements PlannerInfo {
        static final long SIZE = Layout.sizeOf("PlannerInfo");
        static final long QUERY_LEVEL = Layout.of("PlannerInfo.query_level");
        static final long TUPLE_FRACTION = Layout.of("PlannerInfo.tuple_fraction");
        static final long LIMIT_TUPLES = Layout.of("PlannerInfo.limit_tuples");

        static PlannerInfoView of(MemorySegment pointer, Scope scope) {
            return new PlannerInfoView(scope.view(pointer, SIZE), scope);
        }

        @Override
        public int queryLevel() {
            return segment.get(JAVA_INT, QUERY_LEVEL);
        }

        @Override
        public double tupleFraction() {
            return segment.get(JAVA_DOUBLE, TUPLE_FRACTION);
        }

        @Override
        public double limitTuples() {
            return segment.get(JAVA_DOUBLE, LIMIT_TUPLES);
        }

        @Override
        public PgList queryPathKeys() {
            return list(pointer(segment, Layout.of("PlannerInfo.query_pathkeys")), scope);
        }

        @Override
        public PgList bytesList(byte[] bytes) {
            return list(Pg.bytesList(bytes), scope);
        }

        @Override
        public PgList actualClauses(PgList restrictInfos) {
            return list(Pg.extractActualClauses(pointerOf(restrictInfos)), scope);
        }

        @Override
        public ForeignScan makeForeignScan(PgList targetList, PgList quals, int scanRelid, PgList fdwExprs,
                                           PgList fdwPrivate, PgList fdwScanTargetList, PgList recheckQuals,
                                           MemorySegment outerPlan) {
            MemorySegment plan = Pg.makeForeignScan(pointerOf(targetList), pointerOf(quals), scanRelid,
                    pointerOf(fdwExprs), pointerOf(fdwPrivate), pointerOf(fdwScanTargetList), pointerOf(recheckQuals),
                    outerPlan == null ? MemorySegment.NULL : outerPlan);
            return ForeignScanView.of(plan, scope);
        }
    }

    record RelOptInfoView(MemorySegment segment, Scope scope, MemorySegment root) implements RelOptInfo {
        static final long SIZE = Layout.sizeOf("RelOptInfo");
        static final long RELID = Layout.of("RelOptInfo.relid");
        static final long ROWS = Layout.of("RelOptInfo.rows");
        static final long RELTARGET = Layout.of("RelOptInfo.reltarget");
        static final long RESTRICTINFO = Layout.of("RelOptInfo.baserestrictinfo");
        static final long SERVERID = Layout.of("RelOptInfo.serverid");
        static final long USERID = Layout.of("RelOptInfo.userid");
        static final long TARGET_SIZE = Layout.sizeOf("PathTarget");
        static final long TARGET_EXPRS = Layout.of("PathTarget.exprs");
        static final long TARGET_WIDTH = Layout.of("PathTarget.width");

        static RelOptInfoView of(MemorySegment pointer, Scope scope, MemorySegment root) {
            return new RelOptInfoView(scope.view(pointer, SIZE), scope, root);
        }

        private MemorySegment target() {
            return scope.view(pointer(segment, RELTARGET), TARGET_SIZE);
        }

        @Override
        public int relid() {
            return segment.get(JAVA_INT, RELID);
        }

        @Override
        public double rows() {
            return segment.get(JAVA_DOUBLE, ROWS);
        }

        @Override
        public void setRows(double rows) {
            segment.set(JAVA_DOUBLE, ROWS, rows);
        }

        @Override
        public int width() {
            return target().get(JAVA_INT, TARGET_WIDTH);
        }

        @Override
        public void setWidth(int width) {
            target().set(JAVA_INT, TARGET_WIDTH, width);
        }

        @Override
        public PgList baseRestrictInfo() {
            return list(pointer(segment, RESTRICTINFO), scope);
        }

        @Override
        public PgList targetExpressions() {
            return list(pointer(target(), TARGET_EXPRS), scope);
        }

        @Override
        public int serverId() {
            return oid(segment, SERVERID);
        }

        @Override
        public int userId() {
            return oid(segment, USERID);
        }

        @Override
        public void addForeignPath(double rows, double startupCost, double totalCost, PgList pathKeys,
                                   PgList fdwPrivate) {
            Pg.addForeignPath(root, segment, rows, startupCost, totalCost, Views.pointerOf(pathKeys),
                    Views.pointerOf(fdwPrivate));
        }

        @Override
        public void attach(Object state) {
            scope.attach(segment.address(), state);
        }

        @Override
        public Object attached() {
            return scope.attached(segment.address());
        }
    }

    record ForeignPathView(MemorySegment segment, Scope scope) implements ForeignPath {
        static final long SIZE = Layout.sizeOf("ForeignPath");

        static ForeignPathView of(MemorySegment pointer, Scope scope) {
            return new ForeignPathView(scope.view(pointer, SIZE), scope);
        }

        @Override
        public double rows() {
            return segment.get(JAVA_DOUBLE, Layout.of("ForeignPath.path.rows"));
        }

        @Override
        public double startupCost() {
            return segment.get(JAVA_DOUBLE, Layout.of("ForeignPath.path.startup_cost"));
        }

        @Override
        public double totalCost() {
            return segment.get(JAVA_DOUBLE, Layout.of("ForeignPath.path.total_cost"));
        }

        @Override
        public PgList fdwPrivate() {
            return list(pointer(segment, Layout.of("ForeignPath.fdw_private")), scope);
        }

        @Override
        public boolean isParameterized() {
            return !pointer(segment, Layout.of("ForeignPath.path.param_info")).equals(MemorySegment.NULL);
        }
    }

    record ForeignScanView(MemorySegment segment, Scope scope) implements ForeignScan {
        static final long SIZE = Layout.sizeOf("ForeignScan");
        static final long SCANRELID = Layout.of("ForeignScan.scan.scanrelid");
        static final long FDW_PRIVATE = Layout.of("ForeignScan.fdw_private");
        static final long FDW_EXPRS = Layout.of("ForeignScan.fdw_exprs");
        static final long SERVER = Layout.of("ForeignScan.fs_server");

        static ForeignScanView of(MemorySegment pointer, Scope scope) {
            return new ForeignScanView(scope.view(pointer, SIZE), scope);
        }

        @Override
        public int scanRelid() {
            return segment.get(JAVA_INT, SCANRELID);
        }

        @Override
        public PgList fdwPrivate() {
            return list(pointer(segment, FDW_PRIVATE), scope);
        }

        @Override
        public PgList fdwExpressions() {
            return list(pointer(segment, FDW_EXPRS), scope);
        }

        @Override
        public int serverId() {
            return oid(segment, SERVER);
        }
    }

    /** The executor's node; {@code driver} holds its Java-side state. */
    record ForeignScanStateView(MemorySegment segment, Scope scope, ScanDriver driver) implements ForeignScanState {
        static final long SIZE = Layout.sizeOf("ForeignScanState");
        static final long PLAN = Layout.of("ForeignScanState.ss.ps.plan");
        static final long RELATION = Layout.of("ForeignScanState.ss.ss_currentRelation");
        static final long SLOT = Layout.of("ForeignScanState.ss.ss_ScanTupleSlot");
        static final long REL_SIZE = Layout.sizeOf("RelationData");
        static final long RD_ID = Layout.of("RelationData.rd_id");

        @Override
        public ForeignScan plan() {
            return ForeignScanView.of(pointer(segment, PLAN), scope);
        }

        @Override
        public int relationId() {
            MemorySegment rel = pointer(segment, RELATION);
            return rel.equals(MemorySegment.NULL) ? 0 : oid(scope.view(rel, REL_SIZE), RD_ID);
        }

        @Override
        public TupleTableSlot scanSlot() {
            return driver.slot();
        }

        @Override
        public boolean explainOnly() {
            return driver.explainOnly();
        }

        @Override
        public int checkAsUser() {
            return driver.checkAsUser();
        }

        @Override
        public void attach(Object state) {
            driver.attach(state);
        }

        @Override
        public Object attached() {
            return driver.attached();
        }
    }

    /** A slot; {@code writer} writes its row in place. */
    static final class SlotView implements TupleTableSlot {
        static final long SIZE = Layout.sizeOf("TupleTableSlot");
        static final long VALUES = Layout.of("TupleTableSlot.tts_values");
        static final long ISNULL = Layout.of("TupleTableSlot.tts_isnull");
        static final long TUPDESC = Layout.of("TupleTableSlot.tts_tupleDescriptor");

        private final MemorySegment segment;
        private final TupleDescView descriptor;
        private final MemorySegment values;
        private final MemorySegment isNull;
        private RowBatch writer;

        SlotView(MemorySegment pointer, Scope scope) {
            segment = scope.view(pointer, SIZE);
            descriptor = TupleDescView.of(pointer(segment, TUPDESC), scope);
            int natts = descriptor.size();
            values = scope.view(pointer(segment, VALUES), Math.max(natts, 1) * 8L);
            isNull = scope.view(pointer(segment, ISNULL), Math.max(natts, 1));
        }

        @Override
        public MemorySegment segment() {
            return segment;
        }

        @Override
        public TupleDesc descriptor() {
            return descriptor;
        }

        @Override
        public MemorySegment values() {
            return values;
        }

        @Override
        public MemorySegment isNull() {
            return isNull;
        }

        /** Binds the writer the scan uses for this slot's rows. */
        void bind(RowBatch writer) {
            this.writer = writer;
        }

        @Override
        public Row row() {
            if (writer == null) {
                throw new IllegalStateException("this slot has no row writer");
            }
            writer.reset();
            return writer.add();
        }
    }

    record TupleDescView(MemorySegment segment, Scope scope) implements TupleDesc {
        static final long NATTS = Layout.of("TupleDescData.natts");
        static final long ATTRS = Layout.of("TupleDescData.attrs");
        static final long ATTR_SIZE = Layout.sizeOf("FormData_pg_attribute");

        static TupleDescView of(MemorySegment pointer, Scope scope) {
            MemorySegment head = scope.view(pointer, ATTRS);
            int natts = head.get(JAVA_INT, NATTS);
            return new TupleDescView(scope.view(pointer, ATTRS + ATTR_SIZE * natts), scope);
        }

        @Override
        public int size() {
            return segment.get(JAVA_INT, NATTS);
        }

        @Override
        public Attribute attribute(int i) {
            if (i < 0 || i >= size()) {
                throw new IndexOutOfBoundsException("attribute " + i + " of " + size());
            }
            return new AttributeView(segment.asSlice(ATTRS + ATTR_SIZE * i, ATTR_SIZE));
        }
    }

    record AttributeView(MemorySegment segment) implements Attribute {
        static final long NAME = Layout.of("FormData_pg_attribute.attname");
        static final long TYPID = Layout.of("FormData_pg_attribute.atttypid");
        static final long NUM = Layout.of("FormData_pg_attribute.attnum");
        static final long TYPMOD = Layout.of("FormData_pg_attribute.atttypmod");
        static final long DROPPED = Layout.of("FormData_pg_attribute.attisdropped");
        static final long NOTNULL = Layout.of("FormData_pg_attribute.attnotnull");
        static final long NAMEDATALEN = Layout.of("NAMEDATALEN");

        @Override
        public String name() {
            return PgStrings.decodeInline(segment.asSlice(NAME, NAMEDATALEN));
        }

        @Override
        public int number() {
            return segment.get(JAVA_SHORT, NUM);
        }

        @Override
        public int typeId() {
            return segment.get(JAVA_INT, TYPID);
        }

        @Override
        public int typmod() {
            return segment.get(JAVA_INT, TYPMOD);
        }

        @Override
        public boolean isDropped() {
            return segment.get(JAVA_BYTE, DROPPED) != 0;
        }

        @Override
        public boolean notNull() {
            return segment.get(JAVA_BYTE, NOTNULL) != 0;
        }
    }

    record ForeignTableView(MemorySegment segment, Scope scope) implements ForeignTable {
        static ForeignTableView of(MemorySegment pointer, Scope scope) {
            return new ForeignTableView(scope.view(pointer, Layout.sizeOf("ForeignTable")), scope);
        }

        @Override
        public int relid() {
            return oid(segment, Layout.of("ForeignTable.relid"));
        }

        @Override
        public int serverId() {
            return oid(segment, Layout.of("ForeignTable.serverid"));
        }

        @Override
        public Map<String, String> options() {
            return Views.options(pointer(segment, Layout.of("ForeignTable.options")), scope);
        }
    }

    record ForeignServerView(MemorySegment segment, Scope scope) implements ForeignServer {
        static ForeignServerView of(MemorySegment pointer, Scope scope) {
            return new ForeignServerView(scope.view(pointer, Layout.sizeOf("ForeignServer")), scope);
        }

        @Override
        public int serverId() {
            return oid(segment, Layout.of("ForeignServer.serverid"));
        }

        @Override
        public int fdwId() {
            return oid(segment, Layout.of("ForeignServer.fdwid"));
        }

        @Override
        public String name() {
            return string(segment, Layout.of("ForeignServer.servername"));
        }

        @Override
        public String type() {
            return string(segment, Layout.of("ForeignServer.servertype"));
        }

        @Override
        public String version() {
            return string(segment, Layout.of("ForeignServer.serverversion"));
        }

        @Override
        public Map<String, String> options() {
            return Views.options(pointer(segment, Layout.of("ForeignServer.options")), scope);
        }
    }

    record ForeignDataWrapperView(MemorySegment segment, Scope scope) implements ForeignDataWrapper {
        static ForeignDataWrapperView of(MemorySegment pointer, Scope scope) {
            return new ForeignDataWrapperView(scope.view(pointer, Layout.sizeOf("ForeignDataWrapper")), scope);
        }

        @Override
        public int fdwId() {
            return oid(segment, Layout.of("ForeignDataWrapper.fdwid"));
        }

        @Override
        public String name() {
            return string(segment, Layout.of("ForeignDataWrapper.fdwname"));
        }

        @Override
        public int handler() {
            return oid(segment, Layout.of("ForeignDataWrapper.fdwhandler"));
        }

        @Override
        public int validator() {
            return oid(segment, Layout.of("ForeignDataWrapper.fdwvalidator"));
        }

        @Override
        public Map<String, String> options() {
            return Views.options(pointer(segment, Layout.of("ForeignDataWrapper.options")), scope);
        }
    }

    record UserMappingView(MemorySegment segment, Scope scope) implements UserMapping {
        static UserMappingView of(MemorySegment pointer, Scope scope) {
            return new UserMappingView(scope.view(pointer, Layout.sizeOf("UserMapping")), scope);
        }

        @Override
        public int userId() {
            return oid(segment, Layout.of("UserMapping.userid"));
        }

        @Override
        public int serverId() {
            return oid(segment, Layout.of("UserMapping.serverid"));
        }

        @Override
        public Map<String, String> options() {
            return Views.options(pointer(segment, Layout.of("UserMapping.options")), scope);
        }
    }

    record ImportStmtView(MemorySegment segment, Scope scope) implements ImportForeignSchemaStmt {
        static ImportStmtView of(MemorySegment pointer, Scope scope) {
            return new ImportStmtView(scope.view(pointer, Layout.sizeOf("ImportForeignSchemaStmt")), scope);
        }

        @Override
        public String remoteSchema() {
            return string(segment, Layout.of("ImportForeignSchemaStmt.remote_schema"));
        }

        @Override
        public String localSchema() {
            return string(segment, Layout.of("ImportForeignSchemaStmt.local_schema"));
        }

        @Override
        public ListType listType() {
            int t = segment.get(JAVA_INT, Layout.of("ImportForeignSchemaStmt.list_type"));
            if (t == Layout.intOf("FDW_IMPORT_SCHEMA_LIMIT_TO")) {
                return ListType.LIMIT_TO;
            }
            return t == Layout.intOf("FDW_IMPORT_SCHEMA_EXCEPT") ? ListType.EXCEPT : ListType.ALL;
        }

        @Override
        public java.util.List<String> tables() {
            PgListView list = list(pointer(segment, Layout.of("ImportForeignSchemaStmt.table_list")), scope);
            java.util.List<String> names = new java.util.ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                names.add(string(scope.view(list.pointer(i), Layout.sizeOf("RangeVar")), Layout.of("RangeVar.relname")));
            }
            return names;
        }

        @Override
        public Map<String, String> options() {
            return Views.options(pointer(segment, Layout.of("ImportForeignSchemaStmt.options")), scope);
        }
    }

    record ExplainView(MemorySegment segment) implements ExplainState {
        static ExplainView of(MemorySegment pointer, Scope scope) {
            return new ExplainView(scope.view(pointer, Layout.sizeOf("ExplainState")));
        }

        @Override
        public boolean verbose() {
            return segment.get(JAVA_BYTE, Layout.of("ExplainState.verbose")) != 0;
        }

        @Override
        public boolean analyze() {
            return segment.get(JAVA_BYTE, Layout.of("ExplainState.analyze")) != 0;
        }

        @Override
        public void property(String label, String value) {
            Pg.explainText(label, Secrets.mask(value), segment);
        }

        @Override
        public void property(String label, long value, String unit) {
            Pg.explainInteger(label, unit, value, segment);
        }
    }
}
