package dev.jfdw.connectors.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.jfdw.api.ForeignTableDefinition;
import dev.jfdw.api.ForeignTableDefinition.ColumnDefinition;
import dev.jfdw.api.ImportRequest;
import dev.jfdw.connectors.json.Sources.CountingInput;
import dev.jfdw.api.ServerFiles;
import dev.jfdw.api.ServerFiles.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * IMPORT FOREIGN SCHEMA for JSON: a table per file and per subdirectory of
 * a directory, with a column per top-level key of the first records, typed
 * by what the records hold.
 */
final class Inference {
    private Inference() {}

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** {@code dir} as ServerFiles.importDirectory returned it: checked, readable by the role. */
    static List<ForeignTableDefinition> importDirectory(Path dir, ImportRequest request, int sampleSize) {
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> Files.isRegularFile(p) || Files.isDirectory(p)).sorted().toList();
        } catch (IOException e) {
            throw Sources.ioError("could not read directory", dir.toString(), e);
        }
        List<ForeignTableDefinition> tables = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path entry : entries) {
            // PostgreSQL keeps 63 bytes of a name: names that differ later, or not at all, get a number
            String name = ForeignTableDefinition.name(tableName(entry), "");
            for (int n = 2; !names.add(name); n++) {
                name = ForeignTableDefinition.name(entry.getFileName().toString(), n == 2 ? "" : "_" + n);
            }
            if (request.wants(name)) {
                String files = entry.toAbsolutePath().toString();
                tables.add(new ForeignTableDefinition(name, columns(ServerFiles.resolve(files), sampleSize),
                        Map.of(JsonConnector.FILES.name(), files)));
            }
        }
        return tables;
    }

    /** A file's name without .gz and .json, .ndjson or .jsonl; a directory's name. */
    static String tableName(Path entry) {
        String name = entry.getFileName().toString();
        if (Files.isDirectory(entry)) {
            return name;
        }
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        for (String ext : List.of(".json", ".ndjson", ".jsonl")) {
            if (name.endsWith(ext) && name.length() > ext.length()) {
                return name.substring(0, name.length() - ext.length());
            }
        }
        return name;
    }

    /** What the values of one key were. */
    private static final class Seen {
        boolean bools;
        boolean ints;
        boolean bigInts;
        boolean floats;
        boolean preciseFloats;
        boolean strings;
        boolean containers;
        boolean allDates = true;
        boolean allTimestamps = true;
        boolean allTimestamptz = true;
        boolean allUuids = true;

        void add(JsonParser p, JsonToken t) throws IOException {
            switch (t) {
                case VALUE_TRUE, VALUE_FALSE -> bools = true;
                case VALUE_NUMBER_INT -> {
                    boolean big = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER;
                    // beyond 2^53 a double would round it
                    bigInts |= big || Math.abs(p.getLongValue()) > (1L << 53);
                    ints = true;
                }
                case VALUE_NUMBER_FLOAT -> {
                    floats = true;
                    // more digits than a double keeps, or a magnitude it cannot hold (1e400, 1e-400)
                    String text = p.getText();
                    int digits = significantDigits(text);
                    double d = Double.parseDouble(text);
                    preciseFloats |= digits > 15 || Double.isInfinite(d) || d == 0 && digits > 0;
                }
                case VALUE_STRING -> {
                    String s = p.getText();
                    strings = true;
                    allDates &= IsoDates.epochDays(s) != IsoDates.NONE;
                    allTimestamps &= IsoDates.timestampMicros(s) != IsoDates.NONE;
                    allTimestamptz &= IsoDates.timestamptzMicros(s) != IsoDates.NONE;
                    allUuids &= UUID_TEXT.matcher(s).matches();
                }
                case START_OBJECT, START_ARRAY -> containers = true;
                default -> { }
            }
        }

        String type() {
            boolean numbers = ints || floats;
            int kinds = (bools ? 1 : 0) + (numbers ? 1 : 0) + (strings ? 1 : 0);
            if (containers) {
                return "jsonb";
            }
            if (kinds != 1) {
                return "text";
            }
            if (bools) {
                return "boolean";
            }
            if (numbers) {
                return floats ? (preciseFloats || bigInts ? "numeric" : "double precision")
                        : bigInts ? "numeric" : "bigint";
            }
            return allUuids ? "uuid" : allDates ? "date" : allTimestamptz ? "timestamp with time zone"
                    : allTimestamps ? "timestamp" : "text";
        }
    }

    static int significantDigits(String number) {
        int digits = 0;
        boolean leading = true;
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c == 'e' || c == 'E') {
                break;
            }
            if (c >= '0' && c <= '9') {
                leading &= c == '0';
                if (!leading) {
                    digits++;
                }
            }
        }
        return digits;
    }

    private static final Set<String> SYSTEM_COLUMNS = Set.of("tableoid", "ctid", "xmin", "xmax", "cmin", "cmax");

    /** Columns for the top-level keys of the first {@code sampleSize} records, in the order first seen. */
    static List<ColumnDefinition> columns(List<Entry> sources, int sampleSize) {
        Map<String, Seen> keys = new LinkedHashMap<>();
        int records = 0;
        for (Entry source : sources) {
            if (records >= sampleSize) {
                break;
            }
            try (CountingInput input = Sources.open(source); JsonReader reader = new JsonReader(input.decoded)) {
                records = sample(reader, keys, records, sampleSize);
            } catch (JsonProcessingException e) {
                throw JsonReader.syntaxError(e).withContext("JSON file \"" + source.path() + "\", line "
                        + (e.getLocation() == null ? 1 : Math.max(e.getLocation().getLineNr(), 1)));
            } catch (IOException e) {
                throw Sources.ioError("could not read file", source.path().toString(), e);
            }
        }
        List<ColumnDefinition> columns = new ArrayList<>();
        // PostgreSQL's system columns: a column of that name is refused (42701), so such a key gets a suffix
        Set<String> names = new HashSet<>(SYSTEM_COLUMNS);
        for (Map.Entry<String, Seen> e : keys.entrySet()) {
            String key = e.getKey();
            String name = columnName(key, columns.size() + 1, "");
            for (int n = 2; !names.add(name); n++) {
                name = columnName(key, columns.size() + 1, "_" + n);
            }
            columns.add(new ColumnDefinition(name, e.getValue().type(),
                    name.equals(key) ? Map.of() : Map.of(JsonConnector.KEY.name(), key)));
        }
        return columns;
    }

    private static int sample(JsonReader reader, Map<String, Seen> keys, int records, int sampleSize)
            throws IOException {
        boolean inArray = false;
        JsonToken t;
        while (records < sampleSize && (t = reader.next()) != null) {
            if (!inArray && t == JsonToken.START_ARRAY) {
                inArray = true;
                continue;
            }
            if (inArray && t == JsonToken.END_ARRAY) {
                inArray = false;
                continue;
            }
            records++;
            if (t != JsonToken.START_OBJECT) {
                reader.skip(t);
                continue;
            }
            for (JsonToken f = reader.next(); f == JsonToken.FIELD_NAME; f = reader.next()) {
                Seen seen = keys.computeIfAbsent(reader.parser().currentName(), k -> new Seen());
                JsonToken v = reader.next();
                seen.add(reader.parser(), v);
                reader.skip(v);
            }
        }
        return records;
    }

    /** The key as a column name, as PostgreSQL keeps it, with {@code suffix}; an empty key gets one. */
    private static String columnName(String key, int position, String suffix) {
        return ForeignTableDefinition.name(key.isEmpty() ? "column" + position : key, suffix);
    }
}
