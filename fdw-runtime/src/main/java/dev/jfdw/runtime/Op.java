package dev.jfdw.runtime;

/** Upcall op codes; must match {@code JfdwOp} in jfdw.h. */
final class Op {
    private Op() {}

    static final int VALIDATE = 1;
    static final int REL_SIZE = 2;
    static final int PATHS = 3;
    static final int PLAN = 4;
    static final int BEGIN = 5;
    static final int ITERATE = 6;
    static final int RESCAN = 7;
    static final int END = 8;
    static final int EXPLAIN = 9;
    static final int RELEASE = 10;
    static final int STATUS = 11;
    static final int IMPORT = 12;
    static final int OPTIONS = 13;
    static final int ANALYZE = 14;

    static String callback(int op) {
        return switch (op) {
            case VALIDATE -> "validator";
            case REL_SIZE -> "GetForeignRelSize";
            case PATHS -> "GetForeignPaths";
            case PLAN -> "GetForeignPlan";
            case BEGIN -> "BeginForeignScan";
            case ITERATE -> "IterateForeignScan";
            case RESCAN -> "ReScanForeignScan";
            case END -> "EndForeignScan";
            case EXPLAIN -> "ExplainForeignScan";
            case RELEASE -> "memory context reset";
            case STATUS -> "jfdw.status()";
            case IMPORT -> "ImportForeignSchema";
            case OPTIONS -> "jfdw.options()";
            case ANALYZE -> "AnalyzeForeignTable";
            default -> "op " + op;
        };
    }
}
