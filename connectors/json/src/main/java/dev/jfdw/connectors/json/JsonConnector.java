package dev.jfdw.connectors.json;

import com.fasterxml.jackson.core.JsonToken;
import dev.jfdw.api.Column;
import dev.jfdw.api.Connector;
import dev.jfdw.api.FdwException;
import dev.jfdw.api.ForeignTableDefinition;
import dev.jfdw.api.ImportRequest;
import dev.jfdw.api.Operator;
import dev.jfdw.api.OptionScope;
import dev.jfdw.api.OptionSpec;
import dev.jfdw.api.Qual;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import dev.jfdw.api.ScanPlan;
import dev.jfdw.api.ScanRequest;
import dev.jfdw.api.ServerFiles;
import dev.jfdw.api.ServerFiles.Entry;
import dev.jfdw.api.SqlState;
import dev.jfdw.connectors.json.Sources.CountingInput;
import java.io.IOException;
import java.util.List;

/**
 * JSON files as foreign tables: NDJSON (a value per line) or a top-level
 * array of objects, plain or gzip, one file or many. Read with Jackson's
 * streaming parser; nothing is loaded whole.
 *
 * <pre>{@code
 * CREATE FOREIGN TABLE events (id int8, name text, score float8, ts timestamptz,
 *                              city text OPTIONS (path 'address.city'))
 *     SERVER json OPTIONS (files '/srv/data/events-*.ndjson.gz');
 * }</pre>
 */
public final class JsonConnector implements Connector {
    /** What to do with a value that does not fit its column, or a malformed NDJSON line. */
    public enum OnError { ERROR, SKIP, NULL }

    static final OptionSpec<String> FILES = OptionSpec.custom("files", "a file, directory or glob pattern", s -> {
        if (s.isBlank()) {
            throw new IllegalArgumentException("Name a file, a directory or a glob pattern such as /data/*.json.");
        }
        return ServerFiles.checkPattern(s);
    }).in(OptionScope.TABLE).required().readsServerFiles()
            .describedAs("The file on the database server, a directory (all its files), or a glob pattern "
                    + "(*, ?, [..], {a,b}, ** across directories). Files may be gzip-compressed.");
    static final OptionSpec<OnError> ON_ERROR = OptionSpec.oneOf("on_error", OnError.class)
            .in(OptionScope.SERVER, OptionScope.TABLE).defaultsTo(OnError.ERROR)
            .describedAs("error: stop at a bad value or malformed line; skip: leave out its row; null: "
                    + "make the bad value NULL (and leave out malformed lines). A NOTICE and EXPLAIN ANALYZE "
                    + "count what was left out.");
    static final OptionSpec<String> KEY = OptionSpec.string("key").in(OptionScope.COLUMN)
            .describedAs("The object key the column reads; default: the column's name.");
    static final OptionSpec<JsonPath> PATH = OptionSpec.custom("path", "a JSON path such as a.b[0].c", JsonPath::parse)
            .in(OptionScope.COLUMN).excludes(KEY)
            .describedAs("Where a nested value sits: keys separated by dots, array indexes in brackets.");
    static final OptionSpec<String> DIRECTORY = OptionSpec.string("directory").in(OptionScope.IMPORT)
            .describedAs("IMPORT FOREIGN SCHEMA: the directory to import, instead of the remote schema's name "
                    + "(which PostgreSQL cuts at 63 bytes).");
    static final OptionSpec<Long> SAMPLE_SIZE = OptionSpec.integer("sample_size", 1, 1_000_000)
            .in(OptionScope.IMPORT).defaultsTo(1000L)
            .describedAs("IMPORT FOREIGN SCHEMA: records read per table to infer the column types.");

    @Override
    public String name() {
        return "json";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(FILES, ON_ERROR, KEY, PATH, DIRECTORY, SAMPLE_SIZE);
    }

    /** Where a column's value sits in a record. */
    static JsonPath path(Column c) {
        if (c.options().isSet(PATH)) {
            if (c.options().isSet(KEY)) { // set before PATH excluded KEY at CREATE/ALTER
                throw new FdwException(SqlState.FDW_INVALID_ATTRIBUTE_VALUE,
                        "column \"" + c.name() + "\" has both a key and a path option")
                        .withHint("key names a top-level key, path a nested position; keep one.");
            }
            return c.options().get(PATH);
        }
        return JsonPath.key(c.options().isSet(KEY) ? c.options().get(KEY) : c.name());
    }

    @Override
    public ScanPlan planScan(ScanRequest request) {
        // a missing file: the scan reports it; planning goes on with a guess
        List<Entry> sources = ServerFiles.tryResolve(request.options().get(FILES)).orElse(List.of());
        long bytes = sources.stream().mapToLong(Entry::size).sum();
        double records = sources.isEmpty() ? 1000 : Math.max(1, bytes / BYTES_PER_RECORD.get(sources.getFirst()));
        List<Qual> handled = request.quals().stream().filter(JsonConnector::handles).toList();
        double rows = Math.max(1, records * request.selectivity(handled));
        // like file_fdw: a page read per 8 kB, and parsing costs ten times a tuple's CPU
        double total = 10 + bytes / 8192.0 + records * 0.01 * 10;
        return ScanPlan.estimate(rows).withCosts(10, total).withHandledQuals(handled);
    }

    /** Quals the scan tests as it reads: null tests, and comparisons on the types converted in Java. */
    private static boolean handles(Qual q) {
        return q.testable() && (q.operator() == Operator.IS_NULL || q.operator() == Operator.IS_NOT_NULL
                || new ColumnWriter(q.column()).filterable());
    }

    /** Read once per backend and file version: sampling the file took a millisecond of every query's planning. */
    private static final ServerFiles.Memo<Double> BYTES_PER_RECORD = new ServerFiles.Memo<>(JsonConnector::bytesPerRecord);

    /**
     * The bytes (on disk) per record of a file, from its first 64 kB or so:
     * at least ten records, but no more than 1 MiB, for a file of a few huge
     * records would be read whole to plan a query.
     */
    private static double bytesPerRecord(Entry source) {
        try (CountingInput input = Sources.open(source); JsonReader reader = new JsonReader(input.decoded)) {
            long records = 0;
            int depth = 0;
            boolean topArray = false;
            JsonToken t;
            while ((t = reader.next()) != null) {
                if (depth == 0 && t == JsonToken.START_ARRAY && records == 0) {
                    topArray = true;
                    depth = 1;
                    continue;
                }
                depth += t.isStructStart() ? 1 : t.isStructEnd() ? -1 : 0;
                long read = reader.parser().currentLocation().getByteOffset();
                if (depth == (topArray ? 1 : 0) && t != JsonToken.FIELD_NAME) {
                    records++;
                    if (read > 65536 && records >= 10) {
                        break;
                    }
                } else if (read > 1 << 20) {
                    records++; // within a record that big: one more is the closest guess
                    break;
                }
            }
            if (records == 0) {
                return 100;
            }
            double decoded = reader.parser().currentLocation().getByteOffset();
            double ratio = input.decoded instanceof Sources.Gunzip gunzip ? gunzip.ratio() : 1;
            return Math.max(2, decoded * ratio / records);
        } catch (IOException | RuntimeException e) {
            return 100;
        }
    }

    @Override
    public Scan openScan(ScanContext context) {
        return new JsonScan(context, context.options().get(FILES), context.options().get(ON_ERROR));
    }

    /**
     * IMPORT FOREIGN SCHEMA "/a/directory" (or OPTIONS (directory '...')): a
     * table per file (named after it, without .json, .ndjson, .jsonl and .gz)
     * and per subdirectory (all its files), with columns inferred from the
     * first records.
     */
    @Override
    public List<ForeignTableDefinition> importSchema(ImportRequest request) {
        String directory = request.importOptions().isSet(DIRECTORY) ? request.importOptions().get(DIRECTORY)
                : request.remoteSchema();
        return Inference.importDirectory(ServerFiles.importDirectory(directory, "JSON files"), request,
                Math.toIntExact(request.importOptions().get(SAMPLE_SIZE)));
    }
}
