package dev.jfdw.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.stream.Collectors;

/** jfdw.status(): what this backend's JVM is doing, as JSON text. */
final class Status {
    private Status() {}

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
                + (Upcalls.linkFailure() == null ? "" : ", \"ffm_link_failure\": \"" + Upcalls.linkFailure()
                        .replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                + "}"
                + ", \"heap_used_bytes\": " + heap.getUsed()
                + ", \"heap_max_bytes\": " + heap.getMax()
                + ", \"live_scans\": " + Handles.count(ScanDriver.class)
                + ", \"watched_contexts\": " + Scopes.live()
                + ", \"connectors_loaded\": [" + Connectors.loaded().stream().map(n -> "\"" + n + "\"")
                .collect(Collectors.joining(", ")) + "]"
                + "}";
        return Pg.text(json);
    }
}
