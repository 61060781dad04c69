package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * The struct layouts of the server jfdw was compiled against, from the glue's
 * offset table ({@code offsets.c}). Java has no offsets of its own.
 */
final class Layout {
    private static Map<String, Long> values = Map.of();

    private Layout() {}

    /** Reads {@code JfdwOffset[count]}: {const char *name; int64 value}. */
    static void load(MemorySegment table, long count) {
        MemorySegment entries = table.reinterpret(count * 16);
        Map<String, Long> map = new HashMap<>();
        for (long i = 0; i < count; i++) {
            String name = entries.get(ADDRESS, i * 16).reinterpret(Long.MAX_VALUE).getString(0);
            map.put(name, entries.get(JAVA_LONG, i * 16 + 8));
        }
        values = Map.copyOf(map);
    }

    /** An offset, size or constant; fails loudly if the glue does not export it. */
    static long of(String name) {
        Long v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("the jfdw glue does not export \"" + name
                    + "\": jfdw.so and jfdw-runtime.jar are from different builds");
        }
        return v;
    }

    static int intOf(String name) {
        return Math.toIntExact(of(name));
    }

    static long sizeOf(String type) {
        return of("sizeof(" + type + ")");
    }
}
