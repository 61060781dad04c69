package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.jfdw.api.Column;
import dev.jfdw.api.Options;
import dev.jfdw.api.PgType;
import dev.jfdw.api.Qual;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import dev.jfdw.api.Table;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

/**
 * The training run of jfdw's AOT cache (JDK 25+), run by {@code jfdw install}:
 * {@code java -XX:AOTCacheOutput=jfdw.aot -cp <installed JARs> dev.jfdw.runtime.AotTraining}.
 *
 * <p>A backend's first query spends most of its time linking the FFM
 * machinery (downcall handles, the upcall stub) and loading classes; a cache
 * built from this run lets later JVMs start with that done. It does what a
 * backend's boot does, without PostgreSQL: links the same call shapes,
 * exercises segment access, loads every runtime and API class, and, given
 * the connector directory, discovers connectors, loads every class of their
 * JARs and runs a generator scan.
 */
final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle upcall = MethodHandles.lookup().findStatic(Upcalls.class, "upcall",
                MethodType.methodType(long.class, int.class, MemorySegment.class));
        linker.upcallStub(upcall, FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS), Arena.global());

        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(4096, 8);
            for (int i = 0; i < 1000; i++) {
                s.set(JAVA_LONG, (i % 64) * 8L, i);
                s.set(JAVA_INT, (i % 64) * 4L, i);
                s.set(JAVA_SHORT, (i % 64) * 2L, (short) i);
                s.set(JAVA_BYTE, i % 64, (byte) i);
                s.set(JAVA_DOUBLE, (i % 64) * 8L, i);
                s.set(ADDRESS, 512, s);
                s.get(JAVA_LONG, (i % 64) * 8L);
                s.get(ADDRESS, 512);
                s.asSlice(i % 64, 8).fill((byte) 1);
                MemorySegment.copy(new long[8], 0, s, JAVA_LONG, 1024, 8);
            }
            arena.allocateFrom("jfdw", StandardCharsets.UTF_8).getString(0);
            MemorySegment.ofAddress(s.address()).reinterpret(64, arena, null).get(JAVA_INT, 0);
        }
        loadClassesOf(AotTraining.class);
        loadClassesOf(dev.jfdw.api.Connector.class);
        if (args.length > 0) {
            scanWithInstalledConnectors(Path.of(args[0]));
        }
    }

    /**
     * Finds the connectors installed in {@code dir} as a backend does, and
     * runs the generator's scan over by-value columns through a RowBatch on
     * native memory: the classes and method profiles of a real first query.
     * Nothing here may call PostgreSQL, so the symbols C would provide point
     * at zeroed memory.
     */
    private static void scanWithInstalledConnectors(Path dir) throws Exception {
        String[] names = {"jfdw_guard", "jfdw_direct", "InterruptPending", "QueryCancelPending", "ProcDiePending",
            "CurrentMemoryContext"};
        byte[] text = (String.join("\n", names) + "\n").getBytes(StandardCharsets.US_ASCII);
        MemorySegment blob = Arena.global().allocate(text.length);
        MemorySegment.copy(text, 0, blob, JAVA_BYTE, 0, text.length);
        MemorySegment addresses = Arena.global().allocate(8L * names.length, 8);
        for (int i = 0; i < names.length; i++) {
            addresses.setAtIndex(ADDRESS, i, Arena.global().allocate(8, 8));
        }
        Native.init(blob, text.length, addresses, names.length);
        PgStrings.init("UTF8");

        for (var fdw : Connectors.scanDirectory(dir).values()) {
            // every class of each connector's JAR, its libraries too: Arrow's first query in a
            // backend took 130 ms less (650 → 520 ms), and its backend 5 MB less private memory
            loadClassesOf(fdw instanceof ConnectorFdw c ? c.connector().getClass() : fdw.getClass());
            if (!(fdw instanceof ConnectorFdw c) || !c.name().equals("generator")) {
                continue;
            }
            int[] types = {PgType.INT8, PgType.FLOAT8, PgType.TIMESTAMPTZ, PgType.INT4, PgType.BOOL, PgType.DATE};
            List<Column> columns = new ArrayList<>();
            ColumnCodec[] codecs = new ColumnCodec[types.length];
            for (int i = 0; i < types.length; i++) {
                columns.add(new Column("c" + i, i, new PgType(types[i], "t" + i), -1, Options.EMPTY));
                codecs[i] = ColumnCodec.of("c" + i, types[i], -1, "t" + i, 0);
            }
            Options options = Options.merge(c.specs(), List.of(Map.of("rows", "200000")));
            Scan scan = c.connector().openScan(new ScanContext() {
                @Override
                public Table table() {
                    return new Table(1, "training", columns);
                }

                @Override
                public Options options() {
                    return options;
                }

                @Override
                public byte[] planState() {
                    return new byte[0];
                }

                @Override
                public List<Column> columns() {
                    return columns;
                }

                @Override
                public List<Qual> quals() {
                    return List.of();
                }

                @Override
                public OptionalLong limit() {
                    return OptionalLong.empty();
                }

                @Override
                public boolean explainOnly() {
                    return false;
                }

                @Override
                public java.util.Optional<dev.jfdw.api.PgException> nullRefused(Column column) {
                    return java.util.Optional.empty();
                }
            });
            int capacity = 1000;
            RowBatch batch = new RowBatch(codecs, new RowMemory(0));
            batch.bind(Arena.global().allocate(8L * capacity * types.length, 8),
                    Arena.global().allocate((long) capacity * types.length, 8), capacity);
            boolean more = true;
            while (more) {
                batch.reset();
                more = scan.next(batch);
                batch.publish();
            }
            scan.close();
        }
        for (String n : List.of("0", "-1.5", "12345678901234567890.0001", "1E-20", "9.99E+30")) {
            PgNumeric.decode(PgNumeric.encode(new java.math.BigDecimal(n), -1));
        }
        PgText.timestamptz(java.time.Instant.now());
        PgStrings.encode("training ✓");
        // what every plan goes through: its state written and read back, messages checked for secrets
        PlanState.decode(new PlanState(new int[] {1, 2}, List.of(new PlanState.PlannedQual(1,
                dev.jfdw.api.Operator.LT, 0, PgType.INT8, "bigint", false, false, "(c0 < 10)")), 10,
                new byte[] {1}).encode());
        Secrets.mask("training");
        LogStreams.stream("training"); // built, not installed: nothing may reach elog here
    }

    /** Loads and links every class in the JAR that holds {@code anchor}. */
    private static void loadClassesOf(Class<?> anchor) throws IOException, ClassNotFoundException {
        var source = anchor.getProtectionDomain().getCodeSource();
        if (source == null) {
            return;
        }
        ClassLoader loader = anchor.getClassLoader();
        try (InputStream in = source.getLocation().openStream(); JarInputStream jar = new JarInputStream(in)) {
            for (JarEntry e = jar.getNextJarEntry(); e != null; e = jar.getNextJarEntry()) {
                String name = e.getName();
                if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                    try {
                        Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                    } catch (LinkageError | ClassNotFoundException absent) {
                        // a library's class for an optional dependency the JAR does not bundle
                    }
                }
            }
        }
    }
}
