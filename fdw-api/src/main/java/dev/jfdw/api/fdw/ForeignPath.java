package dev.jfdw.api.fdw;

/** The path the planner chose ({@code ForeignPath}). */
public interface ForeignPath extends PgStruct {
    double rows();

    double startupCost();

    double totalCost();

    PgList fdwPrivate();

    /** Whether the path is parameterized: the inner side of a nested loop, fed the outer row. */
    boolean isParameterized();
}
