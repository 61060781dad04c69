package dev.jfdw.runtime;

import dev.jfdw.api.OptionSpec;
import dev.jfdw.api.fdw.FdwRoutine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.stream.Collectors;

/** jfdw.status() and jfdw.options(): what this backend's JVM is doing, what a connector accepts; JSON text. */
final class Status {
    private Status() {}

    /**
     * jfdw.options(): a connector's options as a JSON array, a text Datum.
     * A FdwRoutine that is no Connector declares none.
     */
    static long options(FdwRoutine fdw) {
        List<OptionSpec<?>> specs = fdw instanceof ConnectorFdw c ? c.specs() : List.of();
        return Pg.text(specs.stream().map(s -> "{\"name\": " + string(s.name())
                        + ", \"type\": " + string(s.typeDescription())
                        + ", \"scopes\": [" + s.scopes().stream().sorted()
                        .map(scope -> string(scope.name().toLowerCase(java.util.Locale.ROOT)))
                        .collect(Collectors.joining(", ")) + "]"
                        + ", \"required\": " + s.isRequired()
                        + ", \"default_value\": " + (s.defaultValue() == null || s.isSecret() ? "null"
                        : string(s.defaultValue() instanceof Enum<?> e ? e.name().toLowerCase(java.util.Locale.ROOT)
                                : String.valueOf(s.defaultValue())))
                        + ", \"secret\": " + s.isSecret()
                        + ", \"description\": " + string(s.description()) + "}")
                .collect(Collectors.joining(",\n ", "[", "]")));
    }

    /** A JSON string. */
    private static String string(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** A text Datum, palloc'ed in the current memory context. */
    static long json() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        String json = "{\"jvm\": \"running\""
                + ", \"java_version\": \"" + Runtime.version() + "\""
                + String.format(java.util.Locale.ROOT, ", \"boot_ms\": {\"glue_tables\": %.1f, \"upcall_link\": %.1f}",
                        Bootstrap.tablesMillis, Bootstrap.linkMillis)
                + ", \"upcalls\": {\"entry\": \"" + (Bootstrap.stubLinked ? "ffm" : "jni")
                + "\", \"through_jni\": " + Upcalls.jniUpcalls()
                + ", \"ffm_after\": " + Upcalls.LINK_STUB_AFTER
                + (Upcalls.linkFailure() == null ? "" : ", \"ffm_link_failure\": " + string(Upcalls.linkFailure()))
                + "}"
                + ", \"heap_used_bytes\": " + heap.getUsed()
                + ", \"heap_max_bytes\": " + heap.getMax()
                + ", \"live_scans\": " + Handles.count(ScanDriver.class)
                + ", \"watched_contexts\": " + Scopes.live()
                + ", \"cancel_actions\": " + CancelWatch.open()
                + ", \"connectors_loaded\": [" + Connectors.loaded().stream().map(n -> "\"" + n + "\"")
                .collect(Collectors.joining(", ")) + "]"
                + "}";
        return Pg.text(json);
    }
}
