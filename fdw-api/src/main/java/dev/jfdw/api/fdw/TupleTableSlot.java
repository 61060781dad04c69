package dev.jfdw.api.fdw;

import dev.jfdw.api.Row;
import java.lang.foreign.MemorySegment;

/** A tuple slot ({@code TupleTableSlot}). */
public interface TupleTableSlot extends PgStruct {
    TupleDesc descriptor();

    /** {@code tts_values}: one Datum per attribute. */
    MemorySegment values();

    /** {@code tts_isnull}: one bool per attribute. */
    MemorySegment isNull();

    /** Starts writing this slot's row with typed setters; every column starts NULL. */
    Row row();
}
