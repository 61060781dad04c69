package dev.jfdw.api.fdw;

import java.lang.foreign.MemorySegment;

/** A PostgreSQL {@code List}; NIL is the empty list. */
public interface PgList extends PgStruct {
    int size();

    default boolean isEmpty() {
        return size() == 0;
    }

    /** The i-th element of a list of pointers (nodes). */
    MemorySegment pointer(int i);

    /** The i-th element of an integer or OID list. */
    int intAt(int i);

    /**
     * The bytes of a list made by {@link PlannerInfo#bytesList(byte[])}:
     * a connector's plan state, read back at execution time.
     */
    byte[] bytes();
}
