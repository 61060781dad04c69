package dev.jfdw.connectors.arrow;

import dev.jfdw.api.Connector;
import dev.jfdw.api.FdwException;
import dev.jfdw.api.ForeignTableDefinition;
import dev.jfdw.api.ImportRequest;
import dev.jfdw.api.LogLevel;
import dev.jfdw.api.OptionScope;
import dev.jfdw.api.OptionSpec;
import dev.jfdw.api.Postgres;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import dev.jfdw.api.ScanPlan;
import dev.jfdw.api.ScanRequest;
import dev.jfdw.api.ServerFiles;
import dev.jfdw.api.ServerFiles.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow IPC files as foreign tables: the file format (.arrow, Feather v2)
 * and the stream format, one file or many, read a record batch at a time
 * with Apache Arrow Java and handed to PostgreSQL as column vectors.
 *
 * <pre>{@code
 * CREATE FOREIGN TABLE trips (id int8, name text, score float8, ts timestamptz)
 *     SERVER arrow OPTIONS (files '/srv/data/trips/*.arrow');
 * }</pre>
 */
public final class ArrowConnector implements Connector {
    /**
     * Arrow logs (through SLF4J, then java.util.logging, whose console
     * handler the server log receives) three INFO lines as each backend
     * first allocates; warnings are worth a log line, those are not. Held
     * here: java.util.logging keeps loggers only weakly.
     */
    private static final Logger ARROW_LOG = Logger.getLogger("org.apache.arrow");

    static {
        ARROW_LOG.setLevel(Level.WARNING);
    }

    /** Files passed over by IMPORT with a NOTICE each; the rest are counted in one. */
    private static final int MAX_NOTICES = 10;

    static final OptionSpec<String> FILES = OptionSpec.custom("files", "a file, directory or glob pattern", s -> {
        if (s.isBlank()) {
            throw new IllegalArgumentException("Name a file, a directory or a glob pattern such as /data/*.arrow.");
        }
        return ServerFiles.checkPattern(s);
    }).in(OptionScope.TABLE).required().readsServerFiles()
            .describedAs("The Arrow IPC file on the database server (file or stream format), a directory (all "
                    + "its files), or a glob pattern (*, ?, [..], {a,b}, ** across directories).");
    static final OptionSpec<String> FIELD = OptionSpec.string("field").in(OptionScope.COLUMN)
            .describedAs("The Arrow field the column reads; default: the column's name.");
    static final OptionSpec<String> DIRECTORY = OptionSpec.string("directory").in(OptionScope.IMPORT)
            .describedAs("IMPORT FOREIGN SCHEMA: the directory to import, instead of the remote schema's name.");

    @Override
    public String name() {
        return "arrow";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(FILES, FIELD, DIRECTORY);
    }

    /** Exact row counts from the files' footers (the stream format has none: estimated from its size). */
    @Override
    public ScanPlan planScan(ScanRequest request) {
        double rows = 0;
        long bytes = 0;
        try {
            for (Entry file : ServerFiles.resolve(request.options().get(FILES))) {
                rows += ArrowFiles.rowCount(file);
                bytes += file.size();
            }
        } catch (FdwException e) {
            rows = 1000; // the scan reports it; planning goes on with a guess
        }
        // columns come ready-made: little CPU per row, a page read per 8 kB
        double total = 10 + bytes / 8192.0 * 0.1 + rows * 0.0025;
        return ScanPlan.estimate(Math.max(1, rows)).withCosts(10, total);
    }

    @Override
    public Scan openScan(ScanContext context) {
        return new ArrowScan(context, context.options().get(FILES));
    }

    /**
     * IMPORT FOREIGN SCHEMA "/a/directory": a table per Arrow file (named
     * after it, without .arrow, .feather, .arrows or .ipc unless another file
     * has that name already), its columns from
     * the file's schema. Files that are not readable Arrow are passed over,
     * each with a NOTICE saying why (up to {@value #MAX_NOTICES}).
     */
    @Override
    public List<ForeignTableDefinition> importSchema(ImportRequest request) {
        String directory = request.importOptions().isSet(DIRECTORY) ? request.importOptions().get(DIRECTORY)
                : request.remoteSchema();
        Path dir = ServerFiles.importDirectory(directory, "Arrow files");
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw ServerFiles.ioError("could not read directory", directory, e);
        }
        List<ForeignTableDefinition> tables = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<String> passedOver = new ArrayList<>();
        for (Path file : files) {
            // t.arrow and t.arrows in one directory: the second keeps its extension, or gets a number;
            // so do names alike in the 63 bytes PostgreSQL keeps
            String name = ForeignTableDefinition.name(tableName(file), "");
            for (int n = 2; !names.add(name); n++) {
                name = ForeignTableDefinition.name(file.getFileName().toString(), n == 2 ? "" : "_" + n);
            }
            if (!request.wants(name)) {
                continue;
            }
            Schema schema;
            try {
                schema = ArrowFiles.schema(file);
            } catch (FdwException e) {
                passedOver.add(e.getMessage());
                continue;
            }
            tables.add(new ForeignTableDefinition(name, ArrowTypes.columns(schema),
                    Map.of(FILES.name(), file.toAbsolutePath().toString())));
            for (String field : ArrowTypes.ambiguousNames(schema)) {
                Postgres.log(LogLevel.NOTICE, "IMPORT FOREIGN SCHEMA left the fields named \"" + field + "\" of file \""
                        + file + "\" out of table \"" + name + "\": no column could tell them apart");
            }
        }
        // a DBA looking for a missing table learns why without reading the server log
        passedOver.stream().limit(MAX_NOTICES).forEach(
                why -> Postgres.log(LogLevel.NOTICE, "IMPORT FOREIGN SCHEMA passed over a file: " + why));
        if (passedOver.size() > MAX_NOTICES) {
            Postgres.log(LogLevel.NOTICE, "IMPORT FOREIGN SCHEMA passed over " + (passedOver.size() - MAX_NOTICES)
                    + " more files it could not read as Arrow IPC");
        }
        return tables;
    }

    static String tableName(Path file) {
        String name = file.getFileName().toString();
        for (String ext : List.of(".arrow", ".feather", ".arrows", ".ipc")) {
            if (name.endsWith(ext) && name.length() > ext.length()) {
                return name.substring(0, name.length() - ext.length());
            }
        }
        return name;
    }
}
