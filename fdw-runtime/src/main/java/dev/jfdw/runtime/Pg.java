package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.jfdw.api.PgException;
import dev.jfdw.api.PgType;
import dev.jfdw.runtime.Native.Frame;
import dev.jfdw.runtime.Native.Function;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Typed wrappers of the glue's downcalls ({@code downcalls.c}), one per C
 * function. Those that may raise go through the guard and throw PgException.
 */
final class Pg {
    private Pg() {}

    private static final Function ALLOC = Function.direct("jfdw_alloc");
    private static final Function CURRENT_USER = Function.direct("jfdw_current_user");
    private static final Function SERVER_ENCODING = Function.direct("jfdw_server_encoding");
    private static final Function CONTEXT_RESET = Function.guarded("jfdw_context_reset");
    private static final Function CONTEXT_CREATE = Function.guarded("jfdw_context_create");
    private static final Function WATCH_CONTEXT = Function.guarded("jfdw_watch_context");
    private static final Function ELOG = Function.guarded("jfdw_elog");
    private static final Function FUNC_NAME = Function.guarded("jfdw_func_name");
    private static final Function FOREIGN_TABLE = Function.guarded("jfdw_foreign_table");
    private static final Function FOREIGN_SERVER = Function.guarded("jfdw_foreign_server");
    private static final Function FOREIGN_WRAPPER = Function.guarded("jfdw_foreign_wrapper");
    private static final Function USER_MAPPING = Function.guarded("jfdw_user_mapping");
    private static final Function RELATION_INFO = Function.guarded("jfdw_relation_info");
    private static final Function COLUMN_OPTIONS = Function.guarded("jfdw_column_options");
    private static final Function TYPE_NAME = Function.guarded("jfdw_type_name");
    private static final Function TYPE_INFO = Function.guarded("jfdw_type_info");
    private static final Function DOMAIN_CHECK_NULL = Function.guarded("jfdw_domain_check_null");
    private static final Function DOMAIN_NULL_REFUSAL = Function.guarded("jfdw_domain_null_refusal");
    private static final Function IN_PARALLEL_MODE = Function.direct("jfdw_in_parallel_mode");
    private static final Function TERMINATE = Function.direct("jfdw_terminate");
    private static final Function ADD_FOREIGN_PATH = Function.guarded("jfdw_add_foreign_path");
    private static final Function EXTRACT_ACTUAL_CLAUSES = Function.guarded("jfdw_extract_actual_clauses");
    private static final Function MAKE_FOREIGN_SCAN = Function.guarded("jfdw_make_foreign_scan");
    private static final Function BYTES_LIST = Function.guarded("jfdw_bytes_list");
    private static final Function EXPLAIN_TEXT = Function.guarded("jfdw_explain_text");
    private static final Function EXPLAIN_EXPR = Function.guarded("jfdw_explain_expr");
    private static final Function EXPLAIN_INTEGER = Function.guarded("jfdw_explain_integer");
    private static final Function INPUT_FUNCTION = Function.guarded("jfdw_input_function");
    private static final Function INPUT_VALUE = Function.guarded("jfdw_input_value");
    private static final Function OUTPUT_VALUE = Function.guarded("jfdw_output_value");
    private static final Function FROM_UTF8 = Function.guarded("jfdw_from_utf8");
    private static final Function TO_UTF8 = Function.guarded("jfdw_to_utf8");
    private static final Function CONFIG_OPTION = Function.guarded("jfdw_config_option");
    private static final Function CSTRING_TO_TEXT = Function.guarded("jfdw_cstring_to_text");
    private static final Function SUBXACT_BEGIN = Function.guarded("jfdw_subxact_begin");
    private static final Function SUBXACT_COMMIT = Function.guarded("jfdw_subxact_commit");
    private static final Function SUBXACT_ROLLBACK = Function.guarded("jfdw_subxact_rollback");

    private static final Function OPERATOR = Function.guarded("jfdw_operator");
    private static final Function EXPR_INFO = Function.guarded("jfdw_expr_info");
    private static final Function NEEDED_ATTRS = Function.guarded("jfdw_needed_attrs");
    private static final Function JOIN_CLAUSES = Function.guarded("jfdw_join_clauses");
    private static final Function ADD_PARAMETERIZED_PATH = Function.guarded("jfdw_add_parameterized_path");
    private static final Function SORT_KEYS = Function.guarded("jfdw_sort_keys");
    private static final Function INIT_EXPRS = Function.guarded("jfdw_init_exprs");
    private static final Function EVAL_EXPRS = Function.guarded("jfdw_eval_exprs");
    private static final Function DECONSTRUCT_ARRAY = Function.guarded("jfdw_deconstruct_array");
    private static final Function DETOAST = Function.guarded("jfdw_detoast");
    private static final Function CAN_READ_SERVER_FILES = Function.guarded("jfdw_can_read_server_files");
    private static final Function APPEND_STRING = Function.guarded("jfdw_append_string");
    private static final Function APPEND_POINTER = Function.guarded("jfdw_append_pointer");
    private static final Function SELECTIVITY = Function.guarded("jfdw_clauselist_selectivity");
    private static final Function COLLATION = Function.guarded("jfdw_collation");
    private static final Function BOOL_CONST = Function.guarded("jfdw_bool_const");
    private static final Function SCAN_LIMIT = Function.guarded("jfdw_scan_limit");

    /** PostgreSQL's MaxAllocSize: larger requests raise instead of returning NULL. */
    static final long MAX_ALLOC = Layout.of("MaxAllocSize");

    /** palloc in {@code context}; never raises, throws OutOfMemoryError when PostgreSQL is out of memory. */
    static MemorySegment alloc(long context, long size) {
        if (size <= 0 || size > MAX_ALLOC) {
            throw new IllegalArgumentException("allocation of " + size + " bytes (PostgreSQL allows 1.." + MAX_ALLOC + ")");
        }
        long p;
        try (Frame f = Native.frame()) {
            p = f.set(0, context).set(1, size).call(ALLOC).get(0);
        }
        if (p == 0) {
            throw new OutOfMemoryError("PostgreSQL is out of memory (request of " + size + " bytes)");
        }
        return MemorySegment.ofAddress(p).reinterpret(size);
    }

    static int currentUser() {
        try (Frame f = Native.frame()) {
            return (int) f.call(CURRENT_USER).get(0);
        }
    }

    static String serverEncoding() {
        try (Frame f = Native.frame()) {
            return f.call(SERVER_ENCODING).pointer(0).reinterpret(Long.MAX_VALUE).getString(0);
        }
    }

    static void resetContext(long context) {
        try (Frame f = Native.frame()) {
            f.set(0, context).call(CONTEXT_RESET);
        }
    }

    static long createContext(long parent) {
        try (Frame f = Native.frame()) {
            return f.set(0, parent).call(CONTEXT_CREATE).get(0);
        }
    }

    /** Java hears RELEASE with {@code handle} when {@code context} is reset or deleted. */
    static void watchContext(long context, int handle) {
        try (Frame f = Native.frame()) {
            f.set(0, context).set(1, handle).call(WATCH_CONTEXT);
        }
    }

    static void elog(int level, String message) {
        try (Arena a = Arena.ofConfined(); Frame f = Native.frame()) {
            f.set(0, level).set(1, cstring(a, Secrets.mask(message))).call(ELOG);
        }
    }

    static String funcName(int oid) {
        try (Frame f = Native.frame()) {
            return PgStrings.decode(f.set(0, oid).call(FUNC_NAME).pointer(0));
        }
    }

    static MemorySegment foreignTable(int relid) {
        try (Frame f = Native.frame()) {
            return f.set(0, relid).call(FOREIGN_TABLE).pointer(0);
        }
    }

    static MemorySegment foreignServer(int serverId) {
        try (Frame f = Native.frame()) {
            return f.set(0, serverId).call(FOREIGN_SERVER).pointer(0);
        }
    }

    static MemorySegment foreignWrapper(int fdwId) {
        try (Frame f = Native.frame()) {
            return f.set(0, fdwId).call(FOREIGN_WRAPPER).pointer(0);
        }
    }

    /** NULL when there is neither a mapping for the user nor for PUBLIC. */
    static MemorySegment userMapping(int userId, int serverId) {
        try (Frame f = Native.frame()) {
            return f.set(0, userId).set(1, serverId).call(USER_MAPPING).pointer(0);
        }
    }

    record RelationInfo(MemorySegment tupleDesc, String name) {}

    static RelationInfo relationInfo(int relid) {
        try (Frame f = Native.frame()) {
            f.set(0, relid).call(RELATION_INFO);
            return new RelationInfo(f.pointer(0), PgStrings.decode(f.pointer(1)));
        }
    }

    static MemorySegment columnOptions(int relid, int attnum) {
        try (Frame f = Native.frame()) {
            return f.set(0, relid).set(1, attnum).call(COLUMN_OPTIONS).pointer(0);
        }
    }

    /** Expression {@code index} of a scan's fdw_exprs, as EXPLAIN writes expressions ($1 for a parameter). */
    static String explainExpr(MemorySegment node, MemorySegment es, int index) {
        try (Frame f = Native.frame()) {
            return PgStrings.decode(f.set(0, node).set(1, es).set(2, index).call(EXPLAIN_EXPR).pointer(0));
        }
    }

    static String typeName(int typeOid) {
        try (Frame f = Native.frame()) {
            return PgStrings.decode(f.set(0, typeOid).call(TYPE_NAME).pointer(0));
        }
    }

    /** A column's type and the modifier its values must fit: its own, or a domain's base type's. */
    record ColumnType(PgType type, int typmod) {}

    /** A type from the catalog: its kind, what it is made of, an enum's labels. */
    static PgType type(int typeOid) {
        return columnType(typeOid, -1).type();
    }

    static ColumnType columnType(int typeOid, int typmod) {
        char typtype;
        int of;
        int domainTypmod;
        List<String> labels = new ArrayList<>();
        try (Frame f = Native.frame()) {
            f.set(0, typeOid).call(TYPE_INFO);
            typtype = (char) f.get(0);
            of = (int) f.get(1);
            domainTypmod = (int) f.get(4);
            MemorySegment label = f.pointer(2).reinterpret(Long.MAX_VALUE);
            for (int i = 0; i < (int) f.get(3); i++) {
                labels.add(PgStrings.decode(label));
                label = label.asSlice(PgStrings.strlen(label) + 1);
            }
        }
        PgType.Kind kind = switch (typtype) {
            case 'b' -> of != 0 ? PgType.Kind.ARRAY : PgType.Kind.BASE;
            case 'd' -> PgType.Kind.DOMAIN;
            case 'e' -> PgType.Kind.ENUM;
            case 'c' -> PgType.Kind.COMPOSITE;
            case 'r' -> PgType.Kind.RANGE;
            default -> PgType.Kind.OTHER;
        };
        return new ColumnType(new PgType(typeOid, typeName(typeOid), kind, of != 0 ? type(of) : null, labels),
                typmod < 0 && kind == PgType.Kind.DOMAIN ? domainTypmod : typmod);
    }

    /**
     * Raises what the domain's input function raises for a NULL: a NOT NULL
     * or CHECK constraint's error. {@code state} (8 bytes, zero at first)
     * keeps the domain's constraints, looked up once, in {@code context}.
     */
    static void checkDomainNull(int domainOid, MemorySegment state, long context) {
        try (Frame f = Native.frame()) {
            f.set(0, domainOid).set(1, state).set(2, context).call(DOMAIN_CHECK_NULL);
        }
    }

    /** Ends the session with a FATAL: PostgreSQL's own exit, its cleanup done. Does not return. */
    static void terminate(String call, String detail) {
        Arena a = Arena.global(); // the process ends
        try (Frame f = Native.frameToExit()) {
            f.set(0, cstring(a, call)).set(1, cstring(a, Secrets.mask(detail))).call(TERMINATE);
        }
    }

    /** Whether a parallel operation is under way: PostgreSQL then allows no subtransaction. */
    static boolean inParallelMode() {
        try (Frame f = Native.frame()) {
            return f.call(IN_PARALLEL_MODE).get(0) != 0;
        }
    }

    /**
     * The error a NULL of this domain would raise, asked without raising it,
     * for where no subtransaction may catch it; empty if the domain takes
     * NULL. A CHECK that fails to evaluate raises its error.
     */
    static Optional<PgException> domainNullRefusal(int domainOid) {
        try (Frame f = Native.frame()) {
            f.set(0, domainOid).call(DOMAIN_NULL_REFUSAL);
            int sqlState = (int) f.get(0);
            return sqlState == 0 ? Optional.empty() : Optional.of(new PgException(Native.unpackSqlState(sqlState),
                    PgStrings.decodeMessage(f.pointer(1)), null, null, null));
        }
    }

    static void addForeignPath(MemorySegment root, MemorySegment baserel, double rows, double startupCost,
                               double totalCost, MemorySegment pathKeys, MemorySegment fdwPrivate) {
        try (Frame f = Native.frame()) {
            f.set(0, root).set(1, baserel).set(2, rows).set(3, startupCost).set(4, totalCost)
                    .set(5, pathKeys).set(6, fdwPrivate).call(ADD_FOREIGN_PATH);
        }
    }

    static MemorySegment extractActualClauses(MemorySegment restrictInfos) {
        try (Frame f = Native.frame()) {
            return f.set(0, restrictInfos).set(1, false).call(EXTRACT_ACTUAL_CLAUSES).pointer(0);
        }
    }

    static MemorySegment makeForeignScan(MemorySegment tlist, MemorySegment quals, int scanRelid,
                                         MemorySegment fdwExprs, MemorySegment fdwPrivate,
                                         MemorySegment fdwScanTlist, MemorySegment recheckQuals,
                                         MemorySegment outerPlan) {
        try (Frame f = Native.frame()) {
            return f.set(0, tlist).set(1, quals).set(2, scanRelid).set(3, fdwExprs).set(4, fdwPrivate)
                    .set(5, fdwScanTlist).set(6, recheckQuals).set(7, outerPlan)
                    .call(MAKE_FOREIGN_SCAN).pointer(0);
        }
    }

    static MemorySegment bytesList(byte[] bytes) {
        try (Arena a = Arena.ofConfined(); Frame f = Native.frame()) {
            MemorySegment data = a.allocate(Math.max(bytes.length, 1));
            MemorySegment.copy(bytes, 0, data, JAVA_BYTE, 0, bytes.length);
            return f.set(0, data).set(1, (long) bytes.length).call(BYTES_LIST).pointer(0);
        }
    }

    static void explainText(String label, String value, MemorySegment es) {
        try (Arena a = Arena.ofConfined(); Frame f = Native.frame()) {
            f.set(0, cstring(a, label)).set(1, cstring(a, value)).set(2, es).call(EXPLAIN_TEXT);
        }
    }

    static void explainInteger(String label, String unit, long value, MemorySegment es) {
        try (Arena a = Arena.ofConfined(); Frame f = Native.frame()) {
            f.set(0, cstring(a, label)).set(1, unit == null ? MemorySegment.NULL : cstring(a, unit))
                    .set(2, value).set(3, es).call(EXPLAIN_INTEGER);
        }
    }

    /** A type's input function, looked up once per scan. */
    record InputFunction(MemorySegment flinfo, int ioParam) {}

    static InputFunction inputFunction(int typeOid, long context) {
        try (Frame f = Native.frame()) {
            f.set(0, typeOid).set(1, context).call(INPUT_FUNCTION);
            return new InputFunction(f.pointer(0), (int) f.get(1));
        }
    }

    /** Calls the input function on a NUL-terminated string in the server encoding. */
    static long inputValue(InputFunction fn, MemorySegment cstring, int typmod, long resultContext) {
        try (Frame f = Native.frame()) {
            return f.set(0, fn.flinfo()).set(1, cstring).set(2, fn.ioParam()).set(3, typmod)
                    .set(4, resultContext).call(INPUT_VALUE).get(0);
        }
    }

    static String outputValue(int typeOid, long datum) {
        try (Frame f = Native.frame()) {
            return PgStrings.decode(f.set(0, typeOid).set(1, datum).call(OUTPUT_VALUE).pointer(0));
        }
    }

    /** Converts UTF-8 to the server encoding (raises on untranslatable characters). */
    static MemorySegment fromUtf8(MemorySegment utf8, int length, long context) {
        try (Frame f = Native.frame()) {
            f.set(0, utf8).set(1, length).set(2, context).call(FROM_UTF8);
            return f.pointer(0).reinterpret(f.get(1));
        }
    }

    /** Text in the server encoding, converted by the server (for encodings Java has no charset for). */
    static String toUtf8(MemorySegment bytes, int length) {
        try (Arena a = Arena.ofConfined(); Frame f = Native.frame()) {
            MemorySegment out = a.allocate(Math.max(4L * length, 1));
            int n = (int) f.set(0, bytes).set(1, length).set(2, out).call(TO_UTF8).get(1);
            return new String(out.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    static String configOption(String name) {
        try (Arena a = Arena.ofConfined(); Frame f = Native.frame()) {
            return PgStrings.decode(f.set(0, cstring(a, name)).call(CONFIG_OPTION).pointer(0));
        }
    }

    /** A text Datum in the current memory context. */
    static long text(String s) {
        try (Arena a = Arena.ofConfined(); Frame f = Native.frame()) {
            byte[] b = PgStrings.encodeMessage(s);
            MemorySegment m = a.allocate(Math.max(b.length, 1));
            MemorySegment.copy(b, 0, m, JAVA_BYTE, 0, b.length);
            return f.set(0, m).set(1, b.length).set(2, Native.currentMemoryContext()).call(CSTRING_TO_TEXT).get(0);
        }
    }

    static int subxactBegin() {
        try (Frame f = Native.frame()) {
            return (int) f.call(SUBXACT_BEGIN).get(0);
        }
    }

    static void subxactCommit(int depth) {
        try (Frame f = Native.frame()) {
            f.set(0, depth).call(SUBXACT_COMMIT);
        }
    }

    static void subxactRollback(int depth) {
        try (Frame f = Native.frame()) {
            f.set(0, depth).call(SUBXACT_ROLLBACK);
        }
    }

    record OperatorInfo(String name, int commutator, boolean builtin) {}

    static OperatorInfo operator(int opno) {
        try (Frame f = Native.frame()) {
            f.set(0, opno).call(OPERATOR);
            return new OperatorInfo(PgStrings.decode(f.pointer(0)), (int) f.get(1), f.get(5) != 0);
        }
    }

    record ExprInfo(boolean referencesRel, boolean referencesAny, boolean isVolatile, int type, int typmod,
                    int elementType) {}

    static ExprInfo exprInfo(MemorySegment root, MemorySegment expr, int relid) {
        try (Frame f = Native.frame()) {
            f.set(0, root).set(1, expr).set(2, relid).call(EXPR_INFO);
            return new ExprInfo(f.get(0) != 0, f.get(1) != 0, f.get(2) != 0, (int) f.get(3), (int) f.get(4),
                    (int) f.get(5));
        }
    }

    record NeededAttrs(MemorySegment attnums, boolean wholeRow) {}

    static NeededAttrs neededAttrs(MemorySegment baserel) {
        try (Frame f = Native.frame()) {
            f.set(0, baserel).call(NEEDED_ATTRS);
            return new NeededAttrs(f.pointer(0), f.get(1) != 0);
        }
    }

    static MemorySegment joinClauses(MemorySegment root, MemorySegment baserel) {
        try (Frame f = Native.frame()) {
            return f.set(0, root).set(1, baserel).call(JOIN_CLAUSES).pointer(0);
        }
    }

    /**
     * Adds a path parameterized by the other side of {@code restrictInfo}.
     * Returns the RestrictInfo the path's plan carries for that clause (an
     * equivalence class derives one anew for the path), NULL if no path was
     * added.
     */
    static MemorySegment addParameterizedPath(MemorySegment root, MemorySegment baserel, MemorySegment restrictInfo,
                                              double rows, double startupCost, double totalCost,
                                              MemorySegment fdwPrivate) {
        try (Frame f = Native.frame()) {
            return f.set(0, root).set(1, baserel).set(2, restrictInfo).set(3, rows).set(4, startupCost)
                    .set(5, totalCost).set(6, fdwPrivate).call(ADD_PARAMETERIZED_PATH).pointer(0);
        }
    }

    static MemorySegment sortKeys(MemorySegment root, MemorySegment baserel) {
        try (Frame f = Native.frame()) {
            return f.set(0, root).set(1, baserel).call(SORT_KEYS).pointer(0);
        }
    }

    static MemorySegment initExprs(MemorySegment node, MemorySegment exprs) {
        try (Frame f = Native.frame()) {
            return f.set(0, node).set(1, exprs).call(INIT_EXPRS).pointer(0);
        }
    }

    static void evalExprs(MemorySegment node, MemorySegment states, MemorySegment values, MemorySegment nulls) {
        try (Frame f = Native.frame()) {
            f.set(0, node).set(1, states).set(2, values).set(3, nulls).call(EVAL_EXPRS);
        }
    }

    record ArrayElements(int elementType, int count, MemorySegment values, MemorySegment nulls) {}

    static ArrayElements deconstructArray(long datum) {
        try (Frame f = Native.frame()) {
            f.set(0, datum).call(DECONSTRUCT_ARRAY);
            int count = (int) f.get(1);
            return new ArrayElements((int) f.get(0), count, f.pointer(2).reinterpret(8L * count),
                    f.pointer(3).reinterpret(count));
        }
    }

    /** The data of a varlena Datum, detoasted. */
    static MemorySegment detoast(long datum) {
        try (Frame f = Native.frame()) {
            f.set(0, datum).call(DETOAST);
            return f.pointer(0).reinterpret(f.get(1));
        }
    }

    static boolean canReadServerFiles() {
        try (Frame f = Native.frame()) {
            return f.call(CAN_READ_SERVER_FILES).get(0) != 0;
        }
    }

    static MemorySegment appendString(MemorySegment list, String s) {
        try (Arena a = Arena.ofConfined(); Frame f = Native.frame()) {
            return f.set(0, list).set(1, cstring(a, s)).call(APPEND_STRING).pointer(0);
        }
    }

    static MemorySegment appendPointer(MemorySegment list, MemorySegment pointer) {
        try (Frame f = Native.frame()) {
            return f.set(0, list).set(1, pointer).call(APPEND_POINTER).pointer(0);
        }
    }

    static double selectivity(MemorySegment root, MemorySegment restrictInfos, int relid) {
        try (Frame f = Native.frame()) {
            f.set(0, root).set(1, restrictInfos).set(2, relid).call(SELECTIVITY);
            return Double.longBitsToDouble(f.get(0));
        }
    }

    record CollationInfo(boolean orderedByCodePoint, boolean deterministic, boolean foldsAsciiOnly) {}

    static CollationInfo collation(int collation) {
        try (Frame f = Native.frame()) {
            f.set(0, collation).call(COLLATION);
            return new CollationInfo(f.get(0) != 0, f.get(1) != 0, f.get(2) != 0);
        }
    }

    static MemorySegment boolConst(boolean value) {
        try (Frame f = Native.frame()) {
            return f.set(0, value).call(BOOL_CONST).pointer(0);
        }
    }

    /** The rows a scan of the query may stop after, if its LIMIT may be pushed down. */
    static OptionalLong scanLimit(MemorySegment root) {
        try (Frame f = Native.frame()) {
            long limit = f.set(0, root).call(SCAN_LIMIT).get(0);
            return limit < 0 ? OptionalLong.empty() : OptionalLong.of(limit);
        }
    }

    /** A NUL-terminated copy of {@code s} in the server encoding, for a message or a name. */
    static MemorySegment cstring(Arena arena, String s) {
        byte[] b = PgStrings.encodeMessage(s);
        MemorySegment m = arena.allocate(b.length + 1L);
        MemorySegment.copy(b, 0, m, JAVA_BYTE, 0, b.length);
        m.set(JAVA_BYTE, b.length, (byte) 0);
        return m;
    }
}
