package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;

/**
 * Memory for the row data of one batch (text, numeric, ... values), in the
 * scan's "jfdw rows" memory context.
 *
 * <p>Values are bump-allocated from a chunk that is reused batch after batch:
 * once the executor asks for the next batch, the previous batch's rows are
 * dead. Values too big for the chunk, and those made by type input
 * functions, are palloc'ed; the context is then reset before the next batch.
 * Steady state costs no call into PostgreSQL at all.
 */
final class RowMemory {
    private static final long CHUNK = 64 * 1024;
    /** Row data per batch after which the batch ends early, bounding memory. */
    static final long BATCH_BUDGET = 8L << 20;

    private final long context;
    private MemorySegment chunk;
    private long used;
    private long allocated;
    private boolean dirty;
    private RowBatch batch;

    RowMemory(long context) {
        this.context = context;
    }

    long context() {
        return context;
    }

    /** {@code size} bytes, 8-aligned, valid until the next {@link #startBatch}. */
    MemorySegment allocate(long size) {
        long need = (size + 7) & ~7L;
        if (chunk != null && used + need <= CHUNK) {
            MemorySegment s = chunk.asSlice(used, size);
            used += need;
            return s;
        }
        allocated += Math.max(need, CHUNK);
        if (allocated > BATCH_BUDGET && batch != null) {
            batch.endAfterCurrentRow();
        }
        if (need > CHUNK / 4) {
            dirty = true;
            return Pg.alloc(context, size);
        }
        if (chunk != null) {
            dirty = true;
        }
        chunk = Pg.alloc(context, CHUNK);
        used = need;
        return chunk.asSlice(0, size);
    }

    /**
     * {@code data} as a varlena (a 4-byte header, then the bytes), at an
     * address valid until the next {@link #startBatch}. Written through the
     * chunk itself: the common case allocates no Java object.
     */
    long varlena(byte[] data, int offset, int length) {
        long size = length + 4L;
        long need = (size + 7) & ~7L;
        MemorySegment target;
        long at;
        if (chunk != null && used + need <= CHUNK) {
            target = chunk;
            at = used;
            used += need;
        } else {
            target = allocate(size);
            at = 0;
        }
        target.set(JAVA_INT, at, (int) (size << 2));
        MemorySegment.copy(data, offset, target, JAVA_BYTE, at + 4, length);
        return target.address() + at;
    }

    /** Something palloc'ed in {@link #context()} behind our back (an input function's result). */
    void markDirty() {
        dirty = true;
    }

    /** The previous batch is dead: reuse the chunk, or reset the context if more was used. */
    void startBatch(RowBatch batch) {
        this.batch = batch;
        if (dirty) {
            Pg.resetContext(context);
            chunk = null;
            dirty = false;
        }
        used = 0;
        allocated = 0;
    }
}
