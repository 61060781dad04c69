package dev.jfdw.api.fdw;

/** The plan node of a foreign scan ({@code ForeignScan}). */
public interface ForeignScan extends PgStruct {
    int scanRelid();

    PgList fdwPrivate();

    PgList fdwExpressions();

    int serverId();
}
