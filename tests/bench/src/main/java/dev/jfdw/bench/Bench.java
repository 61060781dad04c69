package dev.jfdw.bench;

import dev.jfdw.testkit.PostgresCluster;
import dev.jfdw.testkit.Sql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code ./jfdw bench}: in one cluster and one run, scans of the same rows
 * from a heap table, a C-only FDW (native-glue/cgen) and the generator
 * connector (batch and per-row); the JSON connector on NDJSON against
 * file_fdw on the same rows as CSV, json_populate_recordset over the file as
 * one JSON array, and a heap table; the Arrow connector against a heap
 * table; ANALYZE of the JSON and Arrow tables against file_fdw's and the
 * heap tables'; the first query of a new session; and a backend's private
 * memory. Each query first runs untimed on every source
 * (the first of these runs checks that all sources give the heap's result),
 * so that the figures are the steady state once the JIT has compiled the
 * scan: a session's cold start is what the first-query figure measures.
 * Runs are interleaved, so that noise from the machine falls on every source
 * alike; each figure is the median of the runs, and each ratio the median of
 * the ratios of a source's run to the baseline's run in the same round, so
 * that a slow spell of the machine that lasts a round cancels out.
 * Prints a table and writes target/bench/results.json.
 *
 * <p>System properties: {@code jfdw.bench.rows} (default 10,000,000),
 * {@code jfdw.bench.jsonRows} (default 1,000,000), {@code jfdw.bench.arrowRows}
 * (default 10,000,000), {@code jfdw.bench.runs} (default 9),
 * {@code jfdw.bench.warmups} (untimed runs per query and source, at least;
 * default 3), {@code jfdw.bench.warmupSeconds} (untimed runs go on until each
 * jfdw source has run this long; default 5).
 */
public final class Bench {
    private static final long ROWS = Long.getLong("jfdw.bench.rows", 10_000_000L);
    private static final long JSON_ROWS = Long.getLong("jfdw.bench.jsonRows", 1_000_000L);
    private static final long ARROW_ROWS = Long.getLong("jfdw.bench.arrowRows", 10_000_000L);
    private static final int RUNS = Integer.getInteger("jfdw.bench.runs", 9);
    /** Timed runs go on past RUNS (up to 3 times as many) until the slowest source has run this long. */
    private static final double MEASURE_SECONDS = Double.parseDouble(System.getProperty("jfdw.bench.measureSeconds", "3"));
    private static final int WARMUPS = Math.max(1, Integer.getInteger("jfdw.bench.warmups", 3));
    private static final double WARMUP_SECONDS = Double.parseDouble(System.getProperty("jfdw.bench.warmupSeconds", "5"));
    private static final int LATENCY_RUNS = 10;
    /** {@code jfdw.bench.only=json} or {@code arrow}: only those scans, printed, nothing written (for working on them). */
    private static final String ONLY = System.getProperty("jfdw.bench.only", "");

    /** Where rows come from: a table, or any FROM item; baselines are compared with. */
    private record Source(String name, String from, boolean baseline) {}

    /** Scans of the same rows from several sources: count(*) and an aggregate over every column. */
    /** Rows of some columns, scanned by each source; with no aggregate, ANALYZE of each source's table instead. */
    private record Section(String columns, long rows, String aggregate, List<Source> sources) {
        boolean analyze() {
            return aggregate == null;
        }
    }

    private static final String JSON_COLUMNS = "id int8, name text, score float8, ts timestamptz";

    private static List<Section> sections() {
        List<Section> sections = new ArrayList<>();
        List<String> shapes = List.of("id int8", "id int8, score float8, label text, ts timestamptz");
        List<String> aggregates = List.of("SELECT count(*), sum(id), min(id), max(id) FROM %s",
                "SELECT count(*), sum(id), avg(score), max(label), max(ts) FROM %s");
        for (int s = 0; s < shapes.size(); s++) {
            sections.add(new Section(shapes.get(s), ROWS, aggregates.get(s), List.of(
                    new Source("heap", "heap_" + s, true),
                    new Source("C-only FDW", "c_fdw_" + s, true),
                    new Source("jfdw generator, batch", "jfdw_batch_" + s, false),
                    new Source("jfdw generator, columnar", "jfdw_col_" + s, false),
                    new Source("jfdw generator, per row", "jfdw_row_" + s, false))));
        }
        sections.add(new Section(JSON_COLUMNS, JSON_ROWS,
                "SELECT count(*), sum(id), max(name), avg(score), max(ts) FROM %s", List.of(
                new Source("heap", "json_heap", true),
                new Source("file_fdw, CSV", "json_csv", true),
                new Source("json_populate_recordset", "json_populate_recordset(NULL::json_row, "
                        + "pg_read_file(current_setting('bench.json_array'))::json)", true),
                new Source("jfdw JSON, NDJSON", "json_ndjson", false))));
        for (long rows : List.of(ARROW_ROWS / 10, ARROW_ROWS)) {
            sections.add(new Section(JSON_COLUMNS, rows, "SELECT count(*), sum(id), max(name), avg(score), max(ts) FROM %s",
                    List.of(new Source("heap", "arrow_heap_" + rows, true),
                            new Source("jfdw Arrow, IPC file", "arrow_" + rows, false))));
        }
        // ANALYZE reads every row of a foreign table, file_fdw's too, where it samples a heap table's pages
        sections.add(new Section(JSON_COLUMNS, JSON_ROWS, null, List.of(new Source("heap", "json_heap", true),
                new Source("file_fdw, CSV", "json_csv", true), new Source("jfdw JSON, NDJSON", "json_ndjson", false))));
        sections.add(new Section(JSON_COLUMNS, ARROW_ROWS, null, List.of(new Source("heap", "arrow_heap_" + ARROW_ROWS,
                true), new Source("jfdw Arrow, IPC file", "arrow_" + ARROW_ROWS, false))));
        return sections;
    }

    /** One measurement; {@code runsMs}: the timed runs, in the order of the rounds. */
    record Measurement(Section section, String query, String source, double nsPerRow, double minNsPerRow,
            double[] runsMs) {}

    /** One record of results.json. */
    record Record(String name, String columns, long rows, String query, double nsPerRow, String baseline,
                  Double ratio) {}

    private final List<Measurement> measurements = new ArrayList<>();
    private final List<Record> records = new ArrayList<>();
    private final Map<String, Object> extra = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/bench");
        new Bench().run(out);
    }

    private void run(Path out) throws Exception {
        System.out.printf(Locale.ROOT, "jfdw bench: %,d rows per table, queries serial and without JIT, median of %d or more interleaved runs (until "
                + "each source has run %s s) after %d or more untimed ones (until each jfdw source has run %s s)%n",
                ROWS, RUNS, MEASURE_SECONDS, WARMUPS, WARMUP_SECONDS);
        try (PostgresCluster pg = PostgresCluster.builder()
                .setting("shared_buffers", "'1GB'")
                .setting("max_parallel_workers_per_gather", "0")
                .setting("jit", "off")
                .start()) {
            try (Connection c = pg.connect()) {
                if (ONLY.isEmpty()) {
                    setUp(c);
                } else {
                    Sql.execute(c, "CREATE EXTENSION jfdw");
                }
                if (ONLY.isEmpty() || ONLY.equals("json")) {
                    setUpJson(c, pg.newFileDirectory("bench-json"));
                }
                if (ONLY.isEmpty() || ONLY.equals("arrow")) {
                    setUpArrow(c, pg.newFileDirectory("bench-arrow"));
                }
            }
            for (Section section : sections()) {
                if (ONLY.isEmpty() || section.sources().stream().anyMatch(x -> x.name().toLowerCase(Locale.ROOT)
                        .startsWith("jfdw " + ONLY))) {
                    if (section.analyze()) {
                        analyzes(pg, section);
                    } else {
                        scans(pg, section);
                    }
                }
            }
            if (!ONLY.isEmpty()) {
                System.out.print(table());
                return;
            }
            firstQuery(pg);
            memory(pg);
        }
        report(out);
    }

    private static String table(String source, int shape) {
        return source + "_" + shape;
    }

    /** The same rows as NDJSON (the JSON connector), CSV (file_fdw), and one JSON array (json_populate_recordset). */
    private static void setUpJson(Connection c, Path dir) throws IOException, SQLException {
        System.out.printf(Locale.ROOT, "writing %,d rows as NDJSON, CSV and a JSON array ...%n", JSON_ROWS);
        Path ndjson = dir.resolve("rows.ndjson");
        Path csv = dir.resolve("rows.csv");
        Path array = dir.resolve("rows.json");
        try (var nd = Files.newBufferedWriter(ndjson); var cs = Files.newBufferedWriter(csv);
             var ar = Files.newBufferedWriter(array)) {
            java.time.Instant start = java.time.Instant.parse("2000-01-01T00:00:00Z");
            ar.write("[");
            for (long i = 1; i <= JSON_ROWS; i++) {
                String name = "name " + i;
                String score = Double.toString(i / 4.0);
                String ts = start.plusSeconds(i).toString();
                String record = "{\"id\":" + i + ",\"name\":\"" + name + "\",\"score\":" + score + ",\"ts\":\"" + ts
                        + "\"}";
                nd.write(record);
                nd.write('\n');
                cs.write(i + "," + name + "," + score + "," + ts + "\n");
                ar.write(i == 1 ? "\n" : ",\n");
                ar.write(record);
            }
            ar.write("\n]\n");
        }
        Sql.execute(c,
                "CREATE EXTENSION file_fdw",
                "CREATE SERVER files FOREIGN DATA WRAPPER file_fdw",
                "CREATE FOREIGN TABLE json_csv (" + JSON_COLUMNS + ") SERVER files OPTIONS (filename '" + csv
                        + "', format 'csv')",
                "SELECT jfdw.create_wrapper('json')",
                "CREATE SERVER json FOREIGN DATA WRAPPER json",
                "CREATE FOREIGN TABLE json_ndjson (" + JSON_COLUMNS + ") SERVER json OPTIONS (files '" + ndjson + "')",
                "CREATE TYPE json_row AS (" + JSON_COLUMNS + ")",
                "ALTER DATABASE postgres SET bench.json_array = '" + array + "'",
                "CREATE TABLE json_heap AS SELECT * FROM json_csv",
                "VACUUM (FREEZE, ANALYZE) json_heap");
    }

    /** The JSON rows as Arrow IPC files of 1/10 and all ARROW_ROWS rows, and heap tables loaded from them. */
    private static void setUpArrow(Connection c, Path dir) throws IOException, SQLException {
        Sql.execute(c, "SELECT jfdw.create_wrapper('arrow')", "CREATE SERVER arrow FOREIGN DATA WRAPPER arrow");
        for (long rows : List.of(ARROW_ROWS / 10, ARROW_ROWS)) {
            System.out.printf(Locale.ROOT, "writing %,d rows as an Arrow IPC file ...%n", rows);
            Path file = dir.resolve("rows-" + rows + ".arrow");
            ArrowFiles.write(file, rows);
            Sql.execute(c,
                    "CREATE FOREIGN TABLE arrow_" + rows + " (" + JSON_COLUMNS + ") SERVER arrow OPTIONS (files '" + file + "')",
                    "CREATE TABLE arrow_heap_" + rows + " AS SELECT * FROM arrow_" + rows,
                    "VACUUM (FREEZE, ANALYZE) arrow_heap_" + rows);
        }
    }

    private static void setUp(Connection c) throws SQLException {
        System.out.println("setting up (loading heap tables) ...");
        Sql.execute(c,
                "CREATE EXTENSION jfdw",
                "SELECT jfdw.create_wrapper('generator')",
                "CREATE SERVER gen FOREIGN DATA WRAPPER generator",
                "CREATE FUNCTION cgen_handler() RETURNS fdw_handler AS 'jfdw_cgen' LANGUAGE C STRICT",
                "CREATE FOREIGN DATA WRAPPER cgen HANDLER cgen_handler",
                "CREATE SERVER cgen FOREIGN DATA WRAPPER cgen");
        for (int s = 0; s < 2; s++) {
            String cols = sections().get(s).columns();
            Sql.execute(c,
                    "CREATE FOREIGN TABLE " + table("c_fdw", s) + " (" + cols + ") SERVER cgen OPTIONS (rows '" + ROWS + "')",
                    "CREATE FOREIGN TABLE " + table("jfdw_batch", s) + " (" + cols + ") SERVER gen OPTIONS (rows '" + ROWS
                            + "', batch_size '1000')",
                    "CREATE FOREIGN TABLE " + table("jfdw_row", s) + " (" + cols + ") SERVER gen OPTIONS (rows '" + ROWS
                            + "', batch_size '1')",
                    "CREATE FOREIGN TABLE " + table("jfdw_col", s) + " (" + cols + ") SERVER gen OPTIONS (rows '" + ROWS
                            + "', batch_size '1000', columnar 'true')",
                    "CREATE TABLE " + table("heap", s) + " AS SELECT * FROM " + table("c_fdw", s),
                    "VACUUM (FREEZE, ANALYZE) " + table("heap", s));
        }
        Sql.execute(c,
                "CREATE TABLE lat_heap AS SELECT 1::int8 AS id",
                "CREATE FOREIGN TABLE lat_gen (id int8) SERVER gen OPTIONS (rows '1')");
    }

    private void scans(PostgresCluster pg, Section section) throws SQLException {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("count(*)", "SELECT count(*) FROM %s");
        queries.put("aggregate", section.aggregate());
        try (Connection c = pg.connect()) {
            for (Map.Entry<String, String> q : queries.entrySet()) {
                System.out.printf("measuring %s over (%s) ...%n", q.getKey(), section.columns());
                Map<String, double[]> times = new LinkedHashMap<>();
                String expected = null;
                for (Source src : section.sources()) {
                    String result = String.join(",", Sql.rows(c, q.getValue().formatted(src.from())).getFirst());
                    if (expected == null) {
                        expected = result;
                    } else if (!expected.equals(result)) {
                        throw new IllegalStateException(src.name() + " returned " + result + ", the heap " + expected);
                    }
                }
                // rounds until every jfdw source has run WARMUP_SECONDS: a short query needs many to be compiled
                Map<String, Double> warmed = new LinkedHashMap<>();
                section.sources().stream().filter(src -> !src.baseline()).forEach(src -> warmed.put(src.name(), 0.0));
                double slowest = 0;
                for (int round = 1; round < WARMUPS || warmed.values().stream().anyMatch(ms -> ms < WARMUP_SECONDS * 1e3);
                        round++) {
                    slowest = 0;
                    for (Source src : section.sources()) {
                        double ms = timeQuery(c, q.getValue().formatted(src.from()));
                        slowest = Math.max(slowest, ms);
                        if (!src.baseline()) {
                            warmed.merge(src.name(), ms, Double::sum);
                        }
                    }
                }
                // short queries get more runs: their medians move most from run to run
                int runs = (int) Math.min(3L * RUNS, Math.max(RUNS, Math.ceil(MEASURE_SECONDS * 1e3 / slowest)));
                for (Source src : section.sources()) {
                    times.put(src.name(), new double[runs]);
                }
                for (int run = 0; run < runs; run++) {
                    for (Source src : section.sources()) {
                        times.get(src.name())[run] = timeQuery(c, q.getValue().formatted(src.from()));
                    }
                }
                for (Source src : section.sources()) {
                    double[] t = times.get(src.name());
                    measurements.add(new Measurement(section, q.getKey(), src.name(), median(t) * 1e6 / section.rows(),
                            Arrays.stream(t).min().orElseThrow() * 1e6 / section.rows(), t));
                }
            }
        }
    }

    /** ANALYZE of each source's table, interleaved, after one untimed round. */
    private void analyzes(PostgresCluster pg, Section section) throws SQLException {
        System.out.printf("measuring ANALYZE of (%s), %,d rows ...%n", section.columns(), section.rows());
        try (Connection c = pg.connect()) {
            Map<String, double[]> times = new LinkedHashMap<>();
            for (Source src : section.sources()) {
                timeQuery(c, "ANALYZE " + src.from());
                times.put(src.name(), new double[RUNS]);
            }
            for (int run = 0; run < RUNS; run++) {
                for (Source src : section.sources()) {
                    times.get(src.name())[run] = timeQuery(c, "ANALYZE " + src.from());
                }
            }
            for (Source src : section.sources()) {
                double[] t = times.get(src.name());
                measurements.add(new Measurement(section, "ANALYZE", src.name(), median(t) * 1e6 / section.rows(),
                        Arrays.stream(t).min().orElseThrow() * 1e6 / section.rows(), t));
            }
        }
    }

    /** Milliseconds to run {@code sql} and read its result, if it has one. */
    private static double timeQuery(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            long t0 = System.nanoTime();
            if (st.execute(sql)) {
                try (ResultSet rs = st.getResultSet()) {
                    while (rs.next()) {
                        rs.getString(1);
                    }
                }
            }
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * The first query of a new session: a heap table's, and a jfdw table's
     * (JVM start included), the generator's and, as each connector's own
     * start-up adds to it, a JSON and an Arrow table's first row.
     */
    private void firstQuery(PostgresCluster pg) throws SQLException {
        System.out.println("measuring the first query of new sessions ...");
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("plain", "SELECT count(*) FROM lat_heap");
        queries.put("jfdw", "SELECT count(*) FROM lat_gen");
        queries.put("json", "SELECT * FROM json_ndjson LIMIT 1");
        queries.put("arrow", "SELECT * FROM arrow_" + ARROW_ROWS / 10 + " LIMIT 1");
        Map<String, double[]> ms = new LinkedHashMap<>();
        queries.keySet().forEach(k -> ms.put(k, new double[LATENCY_RUNS]));
        for (int i = 0; i < LATENCY_RUNS; i++) {
            for (var q : queries.entrySet()) {
                try (Connection c = pg.connect()) {
                    ms.get(q.getKey())[i] = timeQuery(c, q.getValue());
                }
            }
        }
        double plain = median(ms.get("plain"));
        for (String k : queries.keySet()) {
            extra.put("first_query_" + k + "_ms", median(ms.get(k)));
        }
        extra.put("first_query_added_ms", median(ms.get("jfdw")) - plain);
        extra.put("first_query_json_added_ms", median(ms.get("json")) - plain);
        extra.put("first_query_arrow_added_ms", median(ms.get("arrow")) - plain);
    }

    /**
     * What a backend adds in memory: its private pages (Private_Clean +
     * Private_Dirty, shared-memory mappings excluded), measured while a second
     * session of the same kind runs, so that file pages both map (libjvm.so,
     * the class archive) count as shared, as they are in production.
     */
    private void memory(PostgresCluster pg) throws Exception {
        System.out.println("measuring backend memory ...");
        String agg = sections().get(1).aggregate();
        long plain = privateKbOfTwo(pg, List.of(agg.formatted(table("heap", 1))));
        long withJvm = privateKbOfTwo(pg, List.of(agg.formatted(table("heap", 1)), agg.formatted(table("jfdw_batch", 1)),
                agg.formatted(table("jfdw_row", 1))));
        extra.put("private_memory_plain_mb", plain / 1024.0);
        extra.put("private_memory_jfdw_mb", withJvm / 1024.0);
        extra.put("private_memory_added_mb", (withJvm - plain) / 1024.0);
        /*
         * Arrow: a backend's memory after scanning 1/10 of the rows, its peak while scanning all of them, and
         * its peak while scanning them all again. The first full scan still compiles code (the JIT compiler's
         * memory comes and goes with what it compiles, when); the second shows what the rows themselves cost.
         */
        String arrowAgg = "SELECT count(*), sum(id), max(name), avg(score), max(ts) FROM arrow_%d";
        try (Connection a = pg.connect()) {
            long pid = Sql.longValue(a, "SELECT pg_backend_pid()");
            Sql.rows(a, arrowAgg.formatted(ARROW_ROWS / 10));
            Sql.rows(a, arrowAgg.formatted(ARROW_ROWS / 10));
            long before = privateKb(pid);
            long[] first = peakDuring(a, pid, arrowAgg.formatted(ARROW_ROWS));
            long between = privateKb(pid);
            long[] second = peakDuring(a, pid, arrowAgg.formatted(ARROW_ROWS));
            extra.put("arrow_private_memory_small_scan_mb", before / 1024.0);
            extra.put("arrow_private_memory_full_scan_peak_mb", first[0] / 1024.0);
            extra.put("arrow_private_memory_full_scan_samples", first[1]);
            extra.put("arrow_private_memory_growth_mb", (first[0] - before) / 1024.0);
            extra.put("arrow_private_memory_before_second_scan_mb", between / 1024.0);
            extra.put("arrow_private_memory_second_scan_peak_mb", second[0] / 1024.0);
            extra.put("arrow_private_memory_second_scan_growth_mb", (second[0] - between) / 1024.0);
        }
    }

    /** The peak of a backend's private memory while it runs {@code query}, and how many samples were taken. */
    private static long[] peakDuring(Connection c, long pid, String query) throws Exception {
        long[] peak = {privateKb(pid), 0};
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    long kb = privateKb(pid);
                    peak[0] = Math.max(peak[0], kb);
                    peak[1]++;
                    Thread.sleep(20);
                }
            } catch (InterruptedException | IOException done) {
                // the scan is over
            }
        });
        Sql.rows(c, query);
        sampler.interrupt();
        sampler.join();
        peak[0] = Math.max(peak[0], privateKb(pid));
        return peak;
    }

    private long privateKbOfTwo(PostgresCluster pg, List<String> queries) throws Exception {
        try (Connection a = pg.connect(); Connection b = pg.connect()) {
            for (String q : queries) {
                Sql.rows(a, q);
                Sql.rows(b, q);
            }
            // let the JVM give back what compilation left in malloc's arenas (TrimNativeHeapInterval)
            Thread.sleep(3000);
            if (queries.size() > 1) {
                extra.put("jvm_status_after_scans", Sql.value(a, "SELECT jfdw.status()::text"));
            }
            return privateKb(Sql.longValue(a, "SELECT pg_backend_pid()"));
        }
    }

    private static long privateKb(long pid) throws IOException {
        long kb = 0;
        boolean shared = false;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                shared = line.split(" ")[1].charAt(3) == 's';
            } else if (!shared && (line.startsWith("Private_Clean:") || line.startsWith("Private_Dirty:"))) {
                kb += Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return kb;
    }

    private Measurement find(Section section, String query, String source) {
        return measurements.stream().filter(m -> m.section().equals(section) && m.query().equals(query)
                && m.source().equals(source)).findFirst().orElseThrow();
    }

    /** Time over the baseline's time: the median of the rounds' ratios. */
    private static double ratio(Measurement m, Measurement baseline) {
        double[] ratios = new double[m.runsMs().length];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = m.runsMs()[i] / baseline.runsMs()[i];
        }
        return median(ratios);
    }

    /** {@link #ratio} of {@code source} to {@code baseline}, in the section {@code which} that has that source. */
    private double ratioIn(Predicate<Section> which, String query, String source, String baseline) {
        Section section = sections().stream().filter(x -> which.test(x)
                && x.sources().stream().anyMatch(y -> y.name().equals(source))).findFirst().orElseThrow();
        return ratio(find(section, query, source), find(section, query, baseline));
    }

    private double ratioIn(String columns, String query, String source, String baseline) {
        return ratioIn(x -> x.columns().equals(columns), query, source, baseline);
    }

    private void report(Path out) throws IOException {
        StringBuilder t = table();
        appendSummary(t);
        System.out.print(t);

        Files.createDirectories(out);
        Files.writeString(out.resolve("results.txt"), t.toString());
        Files.writeString(out.resolve("results.json"), json());
        System.out.println("\nwritten to " + out.resolve("results.json"));
    }

    /** The measurements, a table per section, with the ratio to each baseline. */
    private StringBuilder table() {
        StringBuilder t = new StringBuilder();
        for (Section section : sections()) {
            if (measurements.stream().noneMatch(m -> m.section().equals(section))) {
                continue;
            }
            List<Source> baselines = section.sources().stream().filter(Source::baseline).toList();
            t.append(String.format(Locale.ROOT, "%n(%s), %,d rows%n%-10s %-26s %9s %9s", section.columns(),
                    section.rows(), "query", "source", "ns/row", "(min)"));
            for (Source b : baselines) {
                t.append(String.format(Locale.ROOT, " %14s", "vs " + abbreviate(b.name())));
            }
            t.append('\n');
            for (Measurement m : measurements) {
                if (!m.section().equals(section)) {
                    continue;
                }
                t.append(String.format(Locale.ROOT, "%-10s %-26s %9.1f %9.1f", m.query(), m.source(), m.nsPerRow(),
                        m.minNsPerRow()));
                boolean baseline = false;
                for (Source b : baselines) {
                    double ratio = ratio(m, find(section, m.query(), b.name()));
                    t.append(String.format(Locale.ROOT, " %13.2fx", ratio));
                    if (b.name().equals(m.source())) {
                        baseline = true;
                    } else {
                        records.add(new Record(m.source(), section.columns(), section.rows(), m.query(), m.nsPerRow(),
                                b.name(), ratio));
                    }
                }
                if (baseline) {
                    records.add(new Record(m.source(), section.columns(), section.rows(), m.query(), m.nsPerRow(),
                            null, null));
                }
                t.append('\n');
            }
        }
        t.append("  (ratios are time over the baseline's time, the median of each round's: below 1 is faster)\n");
        return t;
    }

    private void appendSummary(StringBuilder t) {
        t.append(String.format(Locale.ROOT, "%nfirst query in a new session: plain %.1f ms, jfdw %.1f ms (%+.1f ms, "
                        + "JVM start included)%n", extra.get("first_query_plain_ms"), extra.get("first_query_jfdw_ms"),
                extra.get("first_query_added_ms")));
        t.append(String.format(Locale.ROOT, "  a first row, with the connector's own start-up: JSON %.1f ms (%+.1f ms), "
                        + "Arrow %.1f ms (%+.1f ms)%n", extra.get("first_query_json_ms"),
                extra.get("first_query_json_added_ms"), extra.get("first_query_arrow_ms"),
                extra.get("first_query_arrow_added_ms")));
        t.append(String.format(Locale.ROOT, "private memory of a backend after scans (two sessions of a kind): plain "
                        + "%.1f MB, with the JVM %.1f MB (%+.1f MB)%n", extra.get("private_memory_plain_mb"),
                extra.get("private_memory_jfdw_mb"), extra.get("private_memory_added_mb")));
        t.append(String.format(Locale.ROOT, "private memory of a backend scanning %,d Arrow rows: %.1f MB before, at "
                        + "most %.1f MB during the scan (%d samples, the JIT compiler still at work); %.1f MB before "
                        + "a second scan, at most %.1f MB during it%n", ARROW_ROWS,
                extra.get("arrow_private_memory_small_scan_mb"), extra.get("arrow_private_memory_full_scan_peak_mb"),
                extra.get("arrow_private_memory_full_scan_samples"),
                extra.get("arrow_private_memory_before_second_scan_mb"),
                extra.get("arrow_private_memory_second_scan_peak_mb")));
        t.append("\ntargets:\n");
        for (int s = 0; s < 2; s++) {
            String columns = sections().get(s).columns();
            for (String query : List.of("count(*)", "aggregate")) {
                double ratio = ratioIn(columns, query, "jfdw generator, batch", "C-only FDW");
                t.append(target("generator batch <= 1.25x C-only FDW, (" + columns + ") " + query,
                        String.format(Locale.ROOT, "%.2fx", ratio), ratio <= 1.25));
            }
        }
        for (String query : List.of("count(*)", "aggregate")) {
            double faster = 1 / ratioIn(JSON_COLUMNS, query, "jfdw JSON, NDJSON", "file_fdw, CSV");
            t.append(target("JSON >= 2x faster than file_fdw on CSV, " + query,
                    String.format(Locale.ROOT, "%.2fx", faster), faster >= 2));
        }
        double faster = 1 / ratioIn(JSON_COLUMNS, "aggregate", "jfdw JSON, NDJSON", "json_populate_recordset");
        t.append(target("JSON >= 6x faster than json_populate_recordset, aggregate",
                String.format(Locale.ROOT, "%.2fx", faster), faster >= 6));
        for (int s = 0; s < 2; s++) {
            String columns = sections().get(s).columns();
            for (String query : List.of("count(*)", "aggregate")) {
                double ratio = ratioIn(columns, query, "jfdw generator, columnar", "C-only FDW");
                t.append(target("generator columnar <= 1.1x C-only FDW, (" + columns + ") " + query,
                        String.format(Locale.ROOT, "%.2fx", ratio), ratio <= 1.1));
            }
        }
        for (long rows : List.of(ARROW_ROWS / 10, ARROW_ROWS)) {
            for (String query : List.of("count(*)", "aggregate")) {
                double ratio = ratioIn(x -> x.rows() == rows, query, "jfdw Arrow, IPC file", "heap");
                t.append(target(String.format(Locale.ROOT, "Arrow <= 1.0x heap, %,d rows, %s", rows, query),
                        String.format(Locale.ROOT, "%.2fx", ratio), ratio <= 1.0));
            }
        }
        double growth = (double) extra.get("arrow_private_memory_second_scan_growth_mb");
        double firstGrowth = (double) extra.get("arrow_private_memory_growth_mb");
        t.append(target(String.format(Locale.ROOT, "Arrow: backend memory flat over the full scan (peak growth <= 5 MB, "
                        + "second scan; first %+.1f MB)", firstGrowth),
                String.format(Locale.ROOT, "%+.1f MB", growth), growth <= 5));
        double added = (double) extra.get("first_query_added_ms");
        t.append(target("first query <= +150 ms over a plain backend", String.format(Locale.ROOT, "%+.0f ms", added),
                added <= 150));
        double mem = (double) extra.get("private_memory_added_mb");
        t.append(target("<= 40 MB private memory added per backend", String.format(Locale.ROOT, "%.1f MB", mem),
                mem <= 40));
    }

    private static String abbreviate(String name) {
        return name.length() <= 11 ? name : name.substring(0, 11);
    }

    private static String target(String what, String value, boolean met) {
        return String.format(Locale.ROOT, "  %-60s %10s  %s%n", what, value, met ? "met" : "MISSED");
    }

    private String json() {
        StringBuilder j = new StringBuilder("{\n  \"min_runs\": ").append(RUNS)
                .append(",\n  \"measure_seconds\": ").append(MEASURE_SECONDS).append(",\n  \"warmups\": ").append(WARMUPS)
                .append(",\n  \"warmup_seconds\": ").append(WARMUP_SECONDS)
                .append(",\n  \"cpus\": ").append(Runtime.getRuntime().availableProcessors())
                .append(",\n  \"records\": [\n");
        for (int i = 0; i < records.size(); i++) {
            Record r = records.get(i);
            j.append(String.format(Locale.ROOT, "    {\"name\": %s, \"columns\": %s, \"rows\": %d, \"query\": %s, "
                            + "\"ns_per_row\": %.2f, \"baseline\": %s, \"ratio\": %s}%s%n",
                    quote(r.name()), quote(r.columns()), r.rows(), quote(r.query()), r.nsPerRow(),
                    r.baseline() == null ? "null" : quote(r.baseline()),
                    r.ratio() == null ? "null" : String.format(Locale.ROOT, "%.3f", r.ratio()),
                    i + 1 < records.size() ? "," : ""));
        }
        j.append("  ]");
        for (Map.Entry<String, Object> e : extra.entrySet()) {
            Object v = e.getValue();
            j.append(",\n  ").append(quote(e.getKey())).append(": ")
                    .append(switch (v) {
                        case String s -> s.startsWith("{") ? s : quote(s);
                        case Double d -> String.format(Locale.ROOT, "%.2f", d);
                        default -> v.toString(); // a count
                    });
        }
        return j.append("\n}\n").toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
