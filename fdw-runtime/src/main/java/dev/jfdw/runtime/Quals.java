package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.jfdw.api.Column;
import dev.jfdw.api.Operator;
import dev.jfdw.api.PgType;
import dev.jfdw.api.Qual;
import dev.jfdw.api.Table;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds, among a relation's restriction (or join) clauses, those that fit
 * the {@link Qual} model: a column of the relation compared with a value
 * that does not depend on it. The value is any non-volatile expression: a
 * constant, a parameter, or (for the inner side of a nested loop) the outer
 * row's columns; it is evaluated at execution.
 *
 * <p>Comparisons are pushed only where Java can reproduce them: built-in
 * operators, and for text, range comparisons only under an ordering like C,
 * ILIKE only under C's case folding, and equality only under deterministic
 * collations.
 */
final class Quals {
    private Quals() {}

    /**
     * A clause that fits: the qual as the planner sees it (a constant value,
     * or a parameter), the RestrictInfo it came from, and the expression of
     * its value (NULL for IS [NOT] NULL) with the value's type (for IN, the
     * array's element type).
     */
    record Candidate(Qual qual, MemorySegment restrictInfo, MemorySegment valueExpr, int valueType, boolean array) {}

    private static final class Node {
        static final long TAG = Layout.of("Node.type");
        static final int T_VAR = Layout.intOf("T_Var");
        static final int T_CONST = Layout.intOf("T_Const");
        static final int T_OPEXPR = Layout.intOf("T_OpExpr");
        static final int T_SAOP = Layout.intOf("T_ScalarArrayOpExpr");
        static final int T_NULLTEST = Layout.intOf("T_NullTest");
        static final int T_BOOLEXPR = Layout.intOf("T_BoolExpr");
        static final int T_RELABEL = Layout.intOf("T_RelabelType");
        static final long VAR_SIZE = Layout.sizeOf("Var");
        static final long VARNO = Layout.of("Var.varno");
        static final long VARATTNO = Layout.of("Var.varattno");
        static final long VARLEVELSUP = Layout.of("Var.varlevelsup");
        static final long CONST_SIZE = Layout.sizeOf("Const");
        static final long CONST_TYPE = Layout.of("Const.consttype");
        static final long CONST_VALUE = Layout.of("Const.constvalue");
        static final long CONST_ISNULL = Layout.of("Const.constisnull");
        static final long OP_SIZE = Layout.sizeOf("OpExpr");
        static final long OP_OPNO = Layout.of("OpExpr.opno");
        static final long OP_ARGS = Layout.of("OpExpr.args");
        static final long OP_COLL = Layout.of("OpExpr.inputcollid");
        static final long SAOP_SIZE = Layout.sizeOf("ScalarArrayOpExpr");
        static final long SAOP_OPNO = Layout.of("ScalarArrayOpExpr.opno");
        static final long SAOP_USEOR = Layout.of("ScalarArrayOpExpr.useOr");
        static final long SAOP_ARGS = Layout.of("ScalarArrayOpExpr.args");
        static final long SAOP_COLL = Layout.of("ScalarArrayOpExpr.inputcollid");
        static final long NT_SIZE = Layout.sizeOf("NullTest");
        static final long NT_ARG = Layout.of("NullTest.arg");
        static final long NT_TYPE = Layout.of("NullTest.nulltesttype");
        static final long NT_ARGISROW = Layout.of("NullTest.argisrow");
        static final int IS_NULL = Layout.intOf("IS_NULL");
        static final long BOOL_SIZE = Layout.sizeOf("BoolExpr");
        static final long BOOL_OP = Layout.of("BoolExpr.boolop");
        static final long BOOL_ARGS = Layout.of("BoolExpr.args");
        static final int NOT_EXPR = Layout.intOf("NOT_EXPR");
        static final long RELABEL_SIZE = Layout.sizeOf("RelabelType");
        static final long RELABEL_ARG = Layout.of("RelabelType.arg");
        static final long RI_SIZE = Layout.sizeOf("RestrictInfo");
        static final long RI_CLAUSE = Layout.of("RestrictInfo.clause");
        static final long RI_PSEUDO = Layout.of("RestrictInfo.pseudoconstant");
    }

    private static final Set<Operator> RANGE = Set.of(Operator.LT, Operator.LE, Operator.GT, Operator.GE);
    private static final Set<Integer> TEXT_TYPES = Set.of(PgType.TEXT, PgType.VARCHAR, PgType.BPCHAR);

    /** The context of one extraction: the planner, the relation, its columns. */
    record Rel(MemorySegment root, int relid, Table table, Scopes.Scope scope) {
        Column column(int attnum) {
            for (Column c : table.columns()) {
                if (c.index() == attnum - 1) {
                    return c;
                }
            }
            return null;
        }
    }

    /** The candidates among a List of RestrictInfo. */
    static List<Candidate> extract(Rel rel, Views.PgListView restrictInfos) {
        List<Candidate> result = new ArrayList<>();
        for (int i = 0; i < restrictInfos.size(); i++) {
            Candidate c = extract(rel, restrictInfos.pointer(i));
            if (c != null) {
                result.add(c);
            }
        }
        return result;
    }

    /** The candidate of one RestrictInfo, or null. */
    static Candidate extract(Rel rel, MemorySegment restrictInfoPointer) {
        if (pseudoconstant(rel, restrictInfoPointer)) {
            return null;
        }
        MemorySegment ri = rel.scope().view(restrictInfoPointer, Node.RI_SIZE);
        return fromClause(rel, ri.get(ADDRESS, Node.RI_CLAUSE), restrictInfoPointer);
    }

    /** Whether a RestrictInfo names no column of the query's level (nor anything volatile): a gate, not a filter. */
    static boolean pseudoconstant(Rel rel, MemorySegment restrictInfoPointer) {
        return rel.scope().view(restrictInfoPointer, Node.RI_SIZE).get(JAVA_BYTE, Node.RI_PSEUDO) != 0;
    }

    private static int tag(Rel rel, MemorySegment node) {
        return rel.scope().view(node, 4).get(JAVA_INT, Node.TAG);
    }

    private static MemorySegment strip(Rel rel, MemorySegment node) {
        while (tag(rel, node) == Node.T_RELABEL) {
            node = rel.scope().view(node, Node.RELABEL_SIZE).get(ADDRESS, Node.RELABEL_ARG);
        }
        return node;
    }

    /** The column a node is, if it is a plain column of this relation. */
    private static Column ourColumn(Rel rel, MemorySegment node) {
        MemorySegment n = strip(rel, node);
        if (tag(rel, n) != Node.T_VAR) {
            return null;
        }
        MemorySegment var = rel.scope().view(n, Node.VAR_SIZE);
        int attno = var.get(JAVA_SHORT, Node.VARATTNO);
        if (var.get(JAVA_INT, Node.VARNO) != rel.relid() || var.get(JAVA_INT, Node.VARLEVELSUP) != 0 || attno <= 0) {
            return null;
        }
        return rel.column(attno);
    }

    private static Candidate fromClause(Rel rel, MemorySegment clause, MemorySegment ri) {
        int tag = tag(rel, clause);
        if (tag == Node.T_OPEXPR) {
            return fromOpExpr(rel, rel.scope().view(clause, Node.OP_SIZE), ri);
        } else if (tag == Node.T_SAOP) {
            return fromArrayOp(rel, rel.scope().view(clause, Node.SAOP_SIZE), ri);
        } else if (tag == Node.T_NULLTEST) {
            MemorySegment nt = rel.scope().view(clause, Node.NT_SIZE);
            Column c = nt.get(JAVA_BYTE, Node.NT_ARGISROW) != 0 ? null : ourColumn(rel, nt.get(ADDRESS, Node.NT_ARG));
            if (c == null) {
                return null;
            }
            Operator op = nt.get(JAVA_INT, Node.NT_TYPE) == Node.IS_NULL ? Operator.IS_NULL : Operator.IS_NOT_NULL;
            return new Candidate(new Qual(c, op, null, null, false), ri, MemorySegment.NULL, 0, false);
        } else if (tag == Node.T_VAR || tag == Node.T_BOOLEXPR) {
            return fromBooleanColumn(rel, clause, ri);
        }
        return null;
    }

    private static Operator operator(String name) {
        return switch (name) {
            case "=" -> Operator.EQ;
            case "<>" -> Operator.NE;
            case "<" -> Operator.LT;
            case "<=" -> Operator.LE;
            case ">" -> Operator.GT;
            case ">=" -> Operator.GE;
            case "~~" -> Operator.LIKE;
            case "!~~" -> Operator.NOT_LIKE;
            case "~~*" -> Operator.ILIKE;
            case "!~~*" -> Operator.NOT_ILIKE;
            default -> null;
        };
    }

    private static Candidate fromOpExpr(Rel rel, MemorySegment op, MemorySegment ri) {
        Views.PgListView args = Views.list(op.get(ADDRESS, Node.OP_ARGS), rel.scope());
        if (args.size() != 2) {
            return null;
        }
        Pg.OperatorInfo info = Pg.operator(op.get(JAVA_INT, Node.OP_OPNO));
        if (!info.builtin()) {
            return null;
        }
        Column column = ourColumn(rel, args.pointer(0));
        MemorySegment value = args.pointer(1);
        String name = info.name();
        if (column == null) {
            column = ourColumn(rel, args.pointer(1));
            value = args.pointer(0);
            if (column == null || info.commutator() == 0) {
                return null;
            }
            Pg.OperatorInfo commuted = Pg.operator(info.commutator());
            if (!commuted.builtin()) {
                return null;
            }
            name = commuted.name();
        }
        Operator operator = operator(name);
        if (operator == null || !collationAllows(op.get(JAVA_INT, Node.OP_COLL), operator)) {
            return null;
        }
        boolean like = operator == Operator.LIKE || operator == Operator.NOT_LIKE || operator == Operator.ILIKE
                || operator == Operator.NOT_ILIKE;
        if (like && !TEXT_TYPES.contains(column.type().oid())) {
            return null;
        }
        return withValue(rel, column, operator, value, ri, false);
    }

    private static Candidate fromArrayOp(Rel rel, MemorySegment saop, MemorySegment ri) {
        Views.PgListView args = Views.list(saop.get(ADDRESS, Node.SAOP_ARGS), rel.scope());
        if (saop.get(JAVA_BYTE, Node.SAOP_USEOR) == 0 || args.size() != 2) {
            return null;
        }
        Pg.OperatorInfo info = Pg.operator(saop.get(JAVA_INT, Node.SAOP_OPNO));
        Column column = ourColumn(rel, args.pointer(0));
        if (column == null || !info.builtin() || !info.name().equals("=")
                || !collationAllows(saop.get(JAVA_INT, Node.SAOP_COLL), Operator.IN)) {
            return null;
        }
        return withValue(rel, column, Operator.IN, args.pointer(1), ri, true);
    }

    private static Candidate fromBooleanColumn(Rel rel, MemorySegment clause, MemorySegment ri) {
        boolean value = true;
        MemorySegment node = clause;
        if (tag(rel, clause) == Node.T_BOOLEXPR) {
            MemorySegment b = rel.scope().view(clause, Node.BOOL_SIZE);
            Views.PgListView args = Views.list(b.get(ADDRESS, Node.BOOL_ARGS), rel.scope());
            if (b.get(JAVA_INT, Node.BOOL_OP) != Node.NOT_EXPR || args.size() != 1) {
                return null;
            }
            value = false;
            node = args.pointer(0);
        }
        Column column = ourColumn(rel, node);
        if (column == null || column.type().oid() != PgType.BOOL) {
            return null;
        }
        return new Candidate(new Qual(column, Operator.EQ, value, new PgType(PgType.BOOL, "boolean"), false), ri,
                Pg.boolConst(value), PgType.BOOL, false);
    }

    /**
     * Range comparisons of text need code point order (C, in UTF-8), ILIKE
     * C's case folding (ASCII letters only), any comparison a deterministic
     * collation.
     */
    private static boolean collationAllows(int collation, Operator op) {
        if (collation == 0) {
            return true;
        }
        if (PgStrings.serverIsSqlAscii()) {
            return false; // two different non-UTF-8 strings could decode to the same Java string
        }
        Pg.CollationInfo c = Pg.collation(collation);
        boolean ilike = op == Operator.ILIKE || op == Operator.NOT_ILIKE;
        return c.deterministic() && (c.orderedByCodePoint() || !RANGE.contains(op)) && (c.foldsAsciiOnly() || !ilike);
    }

    /** The candidate, if the value side is something the scan can evaluate: no reference to this relation. */
    private static Candidate withValue(Rel rel, Column column, Operator operator, MemorySegment value,
                                       MemorySegment ri, boolean array) {
        Pg.ExprInfo info = Pg.exprInfo(rel.root(), value, rel.relid());
        if (info.referencesRel() || info.isVolatile()) {
            return null;
        }
        MemorySegment stripped = strip(rel, value);
        Object known = null;
        boolean parameter = true;
        if (tag(rel, stripped) == Node.T_CONST) {
            MemorySegment c = rel.scope().view(stripped, Node.CONST_SIZE);
            parameter = false;
            if (c.get(JAVA_BYTE, Node.CONST_ISNULL) == 0) {
                long datum = c.get(JAVA_LONG, Node.CONST_VALUE);
                known = array ? Datums.array(datum) : Datums.decode(c.get(JAVA_INT, Node.CONST_TYPE), datum);
            }
        }
        int type = array ? info.elementType() : info.type();
        return new Candidate(new Qual(column, operator, known, new PgType(type, Pg.typeName(type)), parameter), ri,
                value, type, array);
    }
}
