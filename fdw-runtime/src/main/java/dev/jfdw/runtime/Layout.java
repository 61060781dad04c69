package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The struct layouts of the server jfdw was compiled against, from the glue's
 * offset table ({@code offsets.c}). Java has no offsets of its own.
 */
final class Layout {
    private static Map<String, Long> values = Map.of();

    private Layout() {}

    /** Reads the table: {@code count} names, each ending in '\n', and as many int64 values. */
    static void load(MemorySegment names, long namesLength, MemorySegment table, int count) {
        String[] keys = lines(names, namesLength, count);
        long[] v = table.reinterpret(count * 8L).toArray(JAVA_LONG);
        Map<String, Long> map = new HashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            map.put(keys[i], v[i]);
        }
        values = Map.copyOf(map);
    }

    /** {@code count} '\n'-terminated ASCII names, read with one bulk copy. */
    static String[] lines(MemorySegment text, long length, int count) {
        String all = new String(text.reinterpret(length).toArray(JAVA_BYTE), StandardCharsets.ISO_8859_1);
        String[] result = new String[count];
        int from = 0;
        for (int i = 0; i < count; i++) {
            int end = all.indexOf('\n', from);
            result[i] = all.substring(from, end);
            from = end + 1;
        }
        return result;
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
