package dev.jfdw.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Ties Java to PostgreSQL memory contexts. Each context that Java views
 * into gets a {@link Scope}: a confined Arena for the views, plus resources
 * to close. When PostgreSQL resets or deletes the context (end of query,
 * error, plan invalidation) a reset callback tells Java, which closes the
 * arena, so a stale view throws IllegalStateException instead of reading
 * freed memory, and closes the resources, so scan state never outlives a
 * failed query.
 */
final class Scopes {
    private Scopes() {}

    private static final Map<Long, Scope> byContext = new HashMap<>();

    static final class Scope {
        final long context;
        final Arena arena = Arena.ofConfined();
        private final Deque<AutoCloseable> resources = new ArrayDeque<>();
        private final Map<Long, Object> attachments = new HashMap<>();
        private boolean closed;

        private Scope(long context) {
            this.context = context;
        }

        /** A view of {@code size} bytes at {@code address}, valid while the context lives. */
        MemorySegment view(long address, long size) {
            return MemorySegment.ofAddress(address).reinterpret(size, arena, null);
        }

        MemorySegment view(MemorySegment pointer, long size) {
            return view(pointer.address(), size);
        }

        /** Closes {@code r} when the context goes away (unless closed earlier). */
        void onRelease(AutoCloseable r) {
            resources.push(r);
        }

        /** Keeps a Java object for a struct at {@code address} living in this context. */
        void attach(long address, Object o) {
            attachments.put(address, o);
        }

        Object attached(long address) {
            return attachments.get(address);
        }

        boolean isClosed() {
            return closed;
        }

        private void release() {
            closed = true;
            attachments.clear();
            Throwable first = null;
            while (!resources.isEmpty()) {
                try {
                    resources.pop().close();
                } catch (Throwable t) {
                    if (first == null) {
                        first = t;
                    }
                }
            }
            arena.close();
            if (first != null) {
                throw new IllegalStateException("releasing Java state of a memory context failed", first);
            }
        }
    }

    /** The scope of a memory context, created (and watched) on first use. */
    static Scope of(long context) {
        Scope s = byContext.get(context);
        if (s == null) {
            s = new Scope(context);
            int handle = Handles.register(s);
            try {
                Pg.watchContext(context, handle);
            } catch (RuntimeException e) {
                Handles.remove(handle);
                throw e;
            }
            byContext.put(context, s);
        }
        return s;
    }

    /** The scope of the backend's CurrentMemoryContext. */
    static Scope current() {
        return of(Native.currentMemoryContext());
    }

    /** The RELEASE upcall: the context of this scope was reset or deleted. */
    static void released(Scope s) {
        byContext.remove(s.context, s);
        s.release();
    }

    static int live() {
        return byContext.size();
    }
}
