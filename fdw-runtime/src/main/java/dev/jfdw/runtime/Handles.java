package dev.jfdw.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Java objects C refers to by number (scans, memory-context scopes): C never
 * holds a Java reference. A slot table, because a scan's handle is looked
 * up on every batch.
 */
final class Handles {
    private Handles() {}

    private static Object[] table = new Object[64];
    private static final List<Integer> free = new ArrayList<>();
    private static int next = 1;
    private static int live;

    static int register(Object o) {
        int h;
        if (!free.isEmpty()) {
            h = free.removeLast();
        } else {
            h = next++;
            if (h == table.length) {
                table = java.util.Arrays.copyOf(table, table.length * 2);
            }
        }
        table[h] = o;
        live++;
        return h;
    }

    static Object get(int handle) {
        return handle > 0 && handle < table.length ? table[handle] : null;
    }

    static Object remove(int handle) {
        Object o = get(handle);
        if (o != null) {
            table[handle] = null;
            free.add(handle);
            live--;
        }
        return o;
    }

    static long count(Class<?> type) {
        long n = 0;
        for (Object o : table) {
            if (type.isInstance(o)) {
                n++;
            }
        }
        return n;
    }

    static int live() {
        return live;
    }
}
