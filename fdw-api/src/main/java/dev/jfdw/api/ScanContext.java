package dev.jfdw.api;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** What a scan is opened with. */
public interface ScanContext {
    Table table();

    /** The merged options of wrapper, server, user mapping and table. */
    Options options();

    /** The state {@link ScanPlan#state()} put into the plan. */
    byte[] planState();

    /** The columns the query uses; the others may be left NULL. */
    List<Column> columns();

    /**
     * The quals the plan said this connector handles, with their values for
     * this scan (parameters evaluated now; after a rescan, again). PostgreSQL
     * does not check them: the scan must return only rows that satisfy all.
     * For a plain EXPLAIN ({@link #explainOnly()}) nothing is evaluated:
     * every value is null, constants' too (at planning they have theirs).
     */
    List<Qual> quals();

    /**
     * When present, the query needs at most this many rows from the scan,
     * and it is safe to stop there (every restriction is handled by the
     * connector, and rows come in the requested order if there is one).
     * It counts per pass: after a {@link Scan#rescan()} (a LATERAL
     * subquery's, with new parameter values) up to this many rows again.
     */
    OptionalLong limit();

    /**
     * True for plain EXPLAIN: the scan will be explained and closed, never
     * read. Do no I/O in {@link Connector#openScan} beyond what EXPLAIN shows.
     */
    boolean explainOnly();

    /**
     * PostgreSQL's error for a NULL in this column, when its type refuses
     * NULL (a domain NOT NULL, or a CHECK that NULL fails), or empty. jfdw
     * checks the NULLs of the columns a query reads after each batch anyway;
     * a connector that can say where a value was missing (a file's line), or
     * that skips bad rows, asks first. Looked up once per column and scan.
     */
    Optional<PgException> nullRefused(Column column);
}
