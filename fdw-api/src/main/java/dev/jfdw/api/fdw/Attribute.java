package dev.jfdw.api.fdw;

/** One attribute of a {@link TupleDesc} ({@code FormData_pg_attribute}). */
public interface Attribute extends PgStruct {
    String name();

    /** attnum, 1-based. */
    int number();

    int typeId();

    int typmod();

    boolean isDropped();

    boolean notNull();
}
