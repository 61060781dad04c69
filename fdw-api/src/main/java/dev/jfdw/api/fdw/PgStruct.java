package dev.jfdw.api.fdw;

import java.lang.foreign.MemorySegment;

/** A view of a PostgreSQL struct, in place. */
public interface PgStruct {
    /** The struct's memory, bounded to its size and tied to its memory context. */
    MemorySegment segment();
}
