package dev.jfdw.api.fdw;

/** A row type ({@code TupleDesc}). */
public interface TupleDesc extends PgStruct {
    /** Number of attributes, dropped ones included. */
    int size();

    /** The i-th attribute, 0-based. */
    Attribute attribute(int i);
}
