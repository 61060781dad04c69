package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jfdw.api.PgType;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteOrder;

/**
 * Called once per backend through JNI, right after the JVM is created: reads
 * the glue's tables (struct layouts, C functions). Upcalls then come through
 * JNI until {@link #linkUpcallStub} hands C the FFM upcall stub.
 */
final class Bootstrap {
    private Bootstrap() {}

    private static final long BRIDGE_VERSION = 3;

    /** Milliseconds spent reading the glue's tables at boot, and linking the upcall stub (0 until linked). */
    static double tablesMillis;
    static double linkMillis;
    private static final long BRIDGE_SIZE = 10 * 8;
    private static final long BRIDGE_UPCALL = 72;
    private static MemorySegment bridge;
    static boolean stubLinked;

    /**
     * JfdwBridge, every field 8 bytes: version, noffsets, offset_names,
     * offset_names_len, offset_values, nsymbols, symbol_names, symbol_names_len,
     * symbol_addresses, upcall.
     */
    static int boot(long bridgeAddress) {
        try {
            long t0 = System.nanoTime();
            bridge = MemorySegment.ofAddress(bridgeAddress).reinterpret(BRIDGE_SIZE);
            long version = bridge.get(JAVA_LONG, 0);
            if (version != BRIDGE_VERSION) {
                throw new IllegalStateException("jfdw.so speaks bridge version " + version + ", jfdw-runtime.jar "
                        + BRIDGE_VERSION + ": install both from one build");
            }
            if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
                throw new IllegalStateException("jfdw supports little-endian platforms only");
            }
            Layout.load(bridge.get(ADDRESS, 16), bridge.get(JAVA_LONG, 24), bridge.get(ADDRESS, 32),
                    Math.toIntExact(bridge.get(JAVA_LONG, 8)));
            Native.init(bridge.get(ADDRESS, 48), bridge.get(JAVA_LONG, 56), bridge.get(ADDRESS, 64),
                    Math.toIntExact(bridge.get(JAVA_LONG, 40)));
            checkAssumptions();
            PgStrings.init(Pg.serverEncoding());
            LogStreams.install();
            tablesMillis = (System.nanoTime() - t0) / 1e6;
            return 0;
        } catch (Throwable t) {
            System.err.println("jfdw: the Java runtime failed to boot");
            t.printStackTrace();
            return 1;
        }
    }

    /**
     * Links the FFM upcall stub and makes C call it from the next upcall on.
     * Per call it is cheaper than JNI, but linking it costs tens of
     * milliseconds, so it is linked only once a backend's upcalls pay for it.
     */
    static void linkUpcallStub() throws ReflectiveOperationException {
        long t0 = System.nanoTime();
        MethodHandle entry = MethodHandles.lookup().findStatic(Upcalls.class, "upcall",
                MethodType.methodType(long.class, int.class, MemorySegment.class));
        MemorySegment stub = Linker.nativeLinker().upcallStub(entry,
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS), Arena.global());
        bridge.set(ADDRESS, BRIDGE_UPCALL, stub);
        stubLinked = true;
        linkMillis = (System.nanoTime() - t0) / 1e6;
    }

    /** What the codecs take for granted about this server build. */
    private static void checkAssumptions() {
        if (Layout.of("sizeof(Datum)") != 8 || Layout.of("FLOAT8PASSBYVAL") != 1) {
            throw new IllegalStateException("jfdw needs 8-byte, by-value Datums (a 64-bit server)");
        }
        if (Layout.of("MIN_TIMESTAMP") != PgTime.MIN_TIMESTAMP || Layout.of("END_TIMESTAMP") != PgTime.END_TIMESTAMP
                || Layout.of("DATE_END_JULIAN") - Layout.of("POSTGRES_EPOCH_JDATE") != PgTime.END_DATE
                || -Layout.of("POSTGRES_EPOCH_JDATE") != PgTime.MIN_DATE) {
            throw new IllegalStateException("this server's date/time ranges differ from jfdw's");
        }
        int[][] types = {
            {PgType.BOOL, Layout.intOf("BOOLOID")}, {PgType.INT2, Layout.intOf("INT2OID")},
            {PgType.INT4, Layout.intOf("INT4OID")}, {PgType.INT8, Layout.intOf("INT8OID")},
            {PgType.FLOAT4, Layout.intOf("FLOAT4OID")}, {PgType.FLOAT8, Layout.intOf("FLOAT8OID")},
            {PgType.NUMERIC, Layout.intOf("NUMERICOID")}, {PgType.TEXT, Layout.intOf("TEXTOID")},
            {PgType.VARCHAR, Layout.intOf("VARCHAROID")}, {PgType.BPCHAR, Layout.intOf("BPCHAROID")},
            {PgType.BYTEA, Layout.intOf("BYTEAOID")}, {PgType.DATE, Layout.intOf("DATEOID")},
            {PgType.TIME, Layout.intOf("TIMEOID")}, {PgType.TIMESTAMP, Layout.intOf("TIMESTAMPOID")},
            {PgType.TIMESTAMPTZ, Layout.intOf("TIMESTAMPTZOID")}, {PgType.INTERVAL, Layout.intOf("INTERVALOID")},
            {PgType.UUID, Layout.intOf("UUIDOID")}, {PgType.JSON, Layout.intOf("JSONOID")},
            {PgType.JSONB, Layout.intOf("JSONBOID")}, {PgType.NAME, Layout.intOf("NAMEOID")},
        };
        for (int[] t : types) {
            if (t[0] != t[1]) {
                throw new IllegalStateException("type OID " + t[0] + " is " + t[1] + " in this server");
            }
        }
    }
}
