package dev.jfdw.connectors.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.jfdw.api.Column;
import dev.jfdw.api.Explain;
import dev.jfdw.api.FdwException;
import dev.jfdw.api.LogLevel;
import dev.jfdw.api.PgException;
import dev.jfdw.api.Postgres;
import dev.jfdw.api.Qual;
import dev.jfdw.api.Row;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import dev.jfdw.api.SqlState;
import dev.jfdw.connectors.json.JsonConnector.OnError;
import dev.jfdw.connectors.json.Sources.CountingInput;
import dev.jfdw.api.ServerFiles;
import dev.jfdw.api.ServerFiles.Entry;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the records of a table's files into rows. Each top-level value of a
 * file is a record, or an array of records; each record is an object whose
 * keys (or nested positions, with a path option) are the columns. Keys no
 * column maps are skipped without building their values, and so are the
 * values of a record that a qual has rejected, but for the columns quals
 * test: a key may come again later in the record, and its last value is
 * the column's (as in jsonb). A record that such a repeat lets through
 * after all is read again, whole.
 */
final class JsonScan implements Scan {
    /** A position in a record that columns read, or that leads to one. */
    private static final class Field {
        final List<ColumnWriter> writers = new ArrayList<>();
        /** This position or one inside it holds a column a qual tests: read even in a rejected record. */
        boolean filtered;
        Map<String, Field> keys;
        /*
         * The array indexes paths name, ascending, and the child at each:
         * sparse, as a path may name a[999999999] (a column NULL unless an
         * array is that long, not a table of a billion children).
         */
        int[] indexes;
        Field[] atIndexes;
        /** The object (a count of objects read) this position's key was last met in: met again, it repeats. */
        long metIn;
        /** The columns at this position and inside it: cleared when its key repeats. */
        ColumnWriter[] within;
        /*
         * The key met at each position of the last object, and what it maps
         * to. Records mostly repeat their keys in one order: the parser then
         * compares the next key's bytes with the expected one instead of
         * hashing it and looking it up.
         */
        private SerializableString[] expectedKeys = new SerializableString[8];
        private Field[] expectedFields = new Field[8];

        /** The key expected at {@code position}, or null: none yet, or beyond the positions remembered. */
        SerializableString expectedKey(int position) {
            return position < expectedKeys.length ? expectedKeys[position] : null;
        }

        Field expectedField(int position) {
            return position < expectedFields.length ? expectedFields[position] : null;
        }

        /** The child for {@code name}, met at {@code position}; expected there next time. */
        Field key(String name, int position) {
            Field child = keys == null ? null : keys.get(name);
            if (position >= expectedKeys.length && position < 1024) {
                expectedKeys = Arrays.copyOf(expectedKeys, position * 2);
                expectedFields = Arrays.copyOf(expectedFields, position * 2);
            }
            if (position < expectedKeys.length) {
                expectedKeys[position] = new SerializedString(name);
                expectedFields[position] = child;
            }
            return child;
        }

        Field child(Object step) {
            if (step instanceof Integer i) {
                if (indexes == null) {
                    indexes = new int[0];
                    atIndexes = new Field[0];
                }
                int at = Arrays.binarySearch(indexes, i);
                if (at < 0) {
                    at = -at - 1;
                    int[] moreIndexes = new int[indexes.length + 1];
                    Field[] moreFields = new Field[indexes.length + 1];
                    System.arraycopy(indexes, 0, moreIndexes, 0, at);
                    System.arraycopy(atIndexes, 0, moreFields, 0, at);
                    System.arraycopy(indexes, at, moreIndexes, at + 1, indexes.length - at);
                    System.arraycopy(atIndexes, at, moreFields, at + 1, indexes.length - at);
                    moreIndexes[at] = i;
                    moreFields[at] = new Field();
                    indexes = moreIndexes;
                    atIndexes = moreFields;
                }
                return atIndexes[at];
            }
            if (keys == null) {
                keys = new HashMap<>();
            }
            return keys.computeIfAbsent((String) step, k -> new Field());
        }

        boolean nested() {
            return keys != null || indexes != null;
        }

        /** Sets {@link #within} here and below; returns it. */
        ColumnWriter[] collectWithin() {
            List<ColumnWriter> all = new ArrayList<>(writers);
            for (Field child : keys != null ? keys.values() : List.<Field>of()) {
                all.addAll(Arrays.asList(child.collectWithin()));
            }
            for (Field child : atIndexes != null ? atIndexes : new Field[0]) {
                all.addAll(Arrays.asList(child.collectWithin()));
            }
            return within = all.toArray(ColumnWriter[]::new);
        }
    }

    /** Records read per call before returning to let PostgreSQL check for a cancel. */
    private static final int RECORDS_PER_CALL = 16_384;

    private final ScanContext context;
    private final Map<Column, ColumnWriter> writers;
    private final String table;
    private final String files;
    /** Listed when first read: a plain EXPLAIN opens the scan too, and must not fail on a missing file. */
    private List<Entry> sources;
    private final OnError onError;
    private final Field root = new Field();
    private final ColumnWriter[] filtered;
    private final boolean keepRecords;
    private final long limit;

    private int nextSource;
    private Entry source;
    private CountingInput input;
    private JsonReader reader;
    private boolean inArray;

    // the record being read
    private long record;
    /** Objects read, in records and in them: {@link Field#metIn} tells a repeated key. */
    private long objects;
    private boolean rowOpen;
    /**
     * The record's values that did not fit their columns, settled at its
     * end: a repeated key's last value is the one that counts.
     */
    private final List<Pending> pending = new ArrayList<>();
    /**
     * With on_error 'error', the record's values for input functions, which
     * raise their errors at once: converted at its end, unless a qual on
     * another column takes the record out.
     */
    private final List<Awaiting> awaiting = new ArrayList<>();
    /** The columns whose type refuses NULL: a record must give each a value. */
    private final ColumnWriter[] refusingNull;
    /** A qual has rejected the record, so far; the verdict is the last values'. */
    private boolean rejected;
    /** Values were skipped because the record was rejected; and reading it again, skipping none. */
    private boolean skippedAfterReject;
    private boolean rereading;
    /** Where the record began (kept with on_error, for a restart), or -1 before its first token. */
    private long recordStart = -1;
    private long recordLine;
    /** Where (and on which line) the parser last restarted after a malformed line. */
    private long resumedAt;
    private long resumedLine;

    // this pass (since the scan or the last rescan began), then all passes
    private long produced;
    private long passes = 1;
    private FdwException firstProblem;
    private long skipped;
    /** Of the rows skipped, the records that were malformed (the rest had bad values). */
    private long malformed;
    private long nulled;
    private long removed;
    private long bytesRead;

    JsonScan(ScanContext context, String files, OnError onError) {
        this.table = context.table().name();
        this.files = files;
        this.onError = onError;
        this.limit = context.limit().orElse(Long.MAX_VALUE);
        Map<Column, ColumnWriter> writers = new LinkedHashMap<>();
        // a skipped row is one with a bad value in any column, whichever columns the query reads
        for (Column c : onError == OnError.SKIP ? context.table().columns() : context.columns()) {
            writers.put(c, new ColumnWriter(c));
        }
        if (onError == OnError.NULL) {
            // nor can a column whose type refuses NULL take one for a bad value: its row is skipped, whichever
            // columns the query reads
            for (Column c : context.table().columns()) {
                if (!writers.containsKey(c) && context.nullRefused(c).isPresent()) {
                    writers.put(c, new ColumnWriter(c));
                }
            }
        }
        for (Qual q : context.quals()) {
            writers.computeIfAbsent(q.column(), ColumnWriter::new);
        }
        this.filtered = writers.values().stream()
                .filter(w -> context.quals().stream().anyMatch(q -> q.column().equals(w.column)))
                .toArray(ColumnWriter[]::new);
        boolean exact = false;
        for (ColumnWriter w : writers.values()) {
            boolean tested = Arrays.asList(filtered).contains(w);
            Field f = root;
            f.filtered |= tested;
            for (Object step : JsonConnector.path(w.column).steps()) {
                f = f.child(step);
                f.filtered |= tested;
            }
            f.writers.add(w);
            exact |= w.kind == ColumnWriter.Kind.JSON;
        }
        root.collectWithin();
        for (ColumnWriter w : writers.values()) {
            w.nullRefused = context.nullRefused(w.column).orElse(null);
        }
        this.refusingNull = writers.values().stream().filter(w -> w.nullRefused != null).toArray(ColumnWriter[]::new);
        this.context = context;
        this.writers = Map.copyOf(writers);
        applyQuals();
        // keep each record's bytes for exact json text, to skip a bad NDJSON line, and to read a record again
        this.keepRecords = exact || onError != OnError.ERROR || filtered.length > 0 || refusingNull.length > 0;
    }

    /** The quals' predicates, with their values for this (re)scan: a nested loop's parameters change. */
    private void applyQuals() {
        for (ColumnWriter w : filtered) {
            w.filter = null;
        }
        for (Qual q : context.quals()) {
            ColumnWriter w = writers.get(q.column());
            w.filter = w.filter == null ? q.predicate() : w.filter.and(q.predicate());
        }
    }

    @Override
    public boolean next(Rows rows) {
        int records = 0;
        try {
            while (!rows.full() && records < RECORDS_PER_CALL) {
                if (produced >= limit || reader == null && !openNext()) {
                    return false;
                }
                try {
                    recordStart = -1;
                    JsonToken t = nextRecord();
                    if (t == null) {
                        closeReader();
                        continue;
                    }
                    records++;
                    readRecord(t, rows);
                } catch (JsonProcessingException e) {
                    malformed(e, rows);
                }
            }
            return true;
        } catch (IOException e) {
            throw readError(e);
        }
    }

    /** A read that failed: where in the file, and for gzip data that ends early, why. */
    private FdwException readError(IOException e) {
        FdwException error = input != null && input.gzip && e instanceof EOFException eof
                ? Sources.gzipEndsEarly(source.path().toString(), eof)
                : Sources.ioError("could not read file", source.path().toString(), e);
        return reader == null ? error : problem(error, position(reader.currentLine(), reader.currentOffset()));
    }

    private boolean openNext() throws IOException {
        if (sources == null) {
            sources = ServerFiles.resolve(files);
        }
        if (nextSource >= sources.size()) {
            return false;
        }
        source = sources.get(nextSource++);
        input = Sources.open(source);
        try {
            reader = new JsonReader(input.decoded);
        } catch (JsonProcessingException e) {
            Sources.closeQuietly(input);
            JsonLocation at = e.getLocation();
            throw problem(JsonReader.syntaxError(e), at == null ? "line 1" : position(1, at.getByteOffset()));
        } catch (IOException | RuntimeException e) {
            Sources.closeQuietly(input);
            throw e;
        }
        inArray = false;
        resumedAt = 0;
        resumedLine = 1;
        return true;
    }

    private void closeReader() throws IOException {
        if (reader != null) {
            bytesRead += input.bytesRead();
            reader.close();
            reader = null;
            input = null;
        }
    }

    /** The next record's first token: an element of a top-level array, or a top-level value; null at the end. */
    private JsonToken nextRecord() throws IOException {
        while (true) {
            JsonToken t = reader.next();
            if (inArray) {
                if (t == JsonToken.END_ARRAY) {
                    inArray = false;
                    continue;
                }
                if (t == null) {
                    throw truncated();
                }
                return t;
            }
            if (t == JsonToken.START_ARRAY) {
                inArray = true;
                continue;
            }
            return t;
        }
    }

    private JsonProcessingException truncated() {
        return new com.fasterxml.jackson.core.JsonParseException(reader.parser(),
                "Unexpected end-of-input: the file ends inside a value");
    }

    private void readRecord(JsonToken t, Rows rows) throws IOException {
        record++;
        if (keepRecords) {
            recordStart = reader.tokenOffset();
            recordLine = reader.tokenLine();
            reader.keepFrom(recordStart);
        }
        if (t != JsonToken.START_OBJECT) {
            String what = switch (t) {
                case START_ARRAY -> "an array";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_NULL -> "null";
                default -> "a boolean";
            };
            long line = reader.tokenLine();
            long offset = reader.tokenOffset();
            reader.skip(t);
            FdwException e = new FdwException(SqlState.INVALID_TEXT_REPRESENTATION,
                    "JSON record is " + what + ", not an object")
                    .withHint("Each top-level value of a file, or each element of a top-level array, is a row.");
            if (onError == OnError.ERROR) {
                throw problem(e, position(line, offset));
            }
            note(e.withContext(where(position(line, offset))));
            skipped++;
            malformed++;
            return;
        }
        Row row = rows.add();
        rowOpen = true;
        rejected = false;
        skippedAfterReject = false;
        pending.clear();
        awaiting.clear();
        readObject(reader, root, row);
        boolean out = verdict(false);
        if (skippedAfterReject && !out) {
            // values were passed over once a qual rejected the record, but a repeated key let it through
            // after all: read it again, skipping nothing
            pending.clear();
            awaiting.clear();
            try (JsonReader again = new JsonReader(reader.textSince(recordStart), recordStart, recordLine)) {
                again.next();
                rereading = true;
                readObject(again, root, row);
            } finally {
                rereading = false;
            }
            out = verdict(false);
        }
        if (!out && !awaiting.isEmpty() && convertAwaiting(row)) {
            out = verdict(false);
        }
        rowOpen = false;
        if (out) {
            // rows a qual takes out are not returned, and not checked: whether a bad value fails the query must
            // not depend on whether its key came before or after the one the qual rejected
            pending.clear();
            awaiting.clear();
        } else {
            checkNullsRefused();
        }
        boolean bad = settle();
        if (!bad && !out && !pending.isEmpty()) {
            out = verdict(true); // on_error 'null': the quals on the bad values' columns test NULL, as PostgreSQL's would
        }
        if (bad || out) {
            rows.discard();
            if (bad) {
                skipped++;
            } else {
                removed++;
            }
        } else {
            produced++;
        }
    }

    /** A column whose type refuses NULL and that got no value: the domain's own error, located in the file. */
    private void checkNullsRefused() {
        for (ColumnWriter w : refusingNull) {
            if (w.valuedIn != record && pending.stream().noneMatch(p -> p.writer() == w)) {
                FdwException e = new FdwException(w.nullRefused.sqlState(), w.nullRefused.getMessage())
                        .withDetail(w.nullRefused.detail()).withHint(w.nullRefused.hint());
                pending.add(new Pending(w, problem(e, position(recordLine, recordStart) + ", column "
                        + w.column.name() + ": no value")));
            }
        }
    }

    /**
     * Whether a qual rejects the record, by the last value of each column it
     * tests. A value that did not fit its column decides nothing (the row is
     * an error, or skipped, unless a good value rejects it), or, once
     * on_error 'null' has made it so, is NULL.
     */
    private boolean verdict(boolean badAsNull) {
        rejected = false;
        for (ColumnWriter w : filtered) {
            boolean decides = (badAsNull || !bad(w)) && !awaits(w);
            if (!rejected && decides && !w.filter.test(w.seenIn == record ? w.last : null)) {
                rejected = true;
            }
        }
        return rejected;
    }

    private boolean bad(ColumnWriter w) {
        return !pending.isEmpty() && pending.stream().anyMatch(p -> p.writer() == w);
    }

    /** Whether the column's value waits for its input function: it decides nothing yet, as a bad value. */
    private boolean awaits(ColumnWriter w) {
        return !awaiting.isEmpty() && awaiting.stream().anyMatch(a -> a.writer() == w);
    }

    private record Pending(ColumnWriter writer, FdwException error) {}

    /** A value for an input function, and where it is: {@code shown} is the value as errors quote it. */
    private record Awaiting(ColumnWriter writer, String text, String shown, long line, long offset) {}

    /**
     * Converts the record's values that waited for their input functions;
     * returns whether a qual tests one of them (the verdict is to be taken
     * again). An input function's error ends the query.
     */
    private boolean convertAwaiting(Row row) {
        boolean tested = false;
        for (Awaiting a : awaiting) {
            try {
                a.writer().convert(row, a.text());
            } catch (FdwException e) {
                throw problem(e, located(a.line(), a.offset(), a.writer(), a.shown()));
            }
            tested |= a.writer().filter != null;
        }
        awaiting.clear();
        return tested;
    }

    /** The record's bad values (NULL in the row now): an ERROR, or with on_error, whether to skip the row. */
    private boolean settle() {
        if (pending.isEmpty()) {
            return false;
        }
        FdwException first = pending.getFirst().error();
        if (onError == OnError.ERROR) {
            throw first;
        }
        note(first);
        // a NULL the column's type refuses cannot stand in for a bad value: that row is skipped
        if (onError == OnError.NULL && pending.stream().allMatch(p -> p.writer().nullRefused == null)) {
            nulled += pending.size();
            return false;
        }
        return true;
    }

    /** Whether to pass over a value at {@code child}: nothing reads it, or a qual rejects the record already. */
    private boolean passOver(Field child) {
        if (child == null) {
            return true;
        }
        if (rejected && !rereading && !child.filtered) {
            skippedAfterReject = true;
            return true;
        }
        return false;
    }

    private void readObject(JsonReader r, Field f, Row row) throws IOException {
        long object = ++objects;
        for (int position = 0; ; position++) {
            Field child;
            // none expected is null, not a key no file holds: a file may hold any key, an escaped NUL too
            SerializableString expected = f.expectedKey(position);
            if (expected != null && r.nextKey(expected)) {
                child = f.expectedField(position);
            } else {
                JsonToken t = expected != null ? r.parser().currentToken() : r.next();
                if (t == JsonToken.END_OBJECT) {
                    return;
                }
                if (t != JsonToken.FIELD_NAME) {
                    throw truncated();
                }
                child = f.key(r.parser().currentName(), position);
            }
            if (child != null) {
                if (child.metIn == object) {
                    // a repeated key: its last value counts, and what an earlier one held inside is gone
                    for (ColumnWriter w : child.within) {
                        row.setNull(w.index);
                        w.seenIn = -1;
                        w.valuedIn = -1;
                    }
                    if (!pending.isEmpty()) {
                        pending.removeIf(p -> Arrays.asList(child.within).contains(p.writer()));
                    }
                    if (!awaiting.isEmpty()) {
                        awaiting.removeIf(a -> Arrays.asList(child.within).contains(a.writer()));
                    }
                }
                child.metIn = object;
            }
            JsonToken value = r.next();
            if (passOver(child)) {
                r.skip(value);
            } else {
                readValue(r, child, value, row);
            }
        }
    }

    private void readArray(JsonReader r, Field f, Row row) throws IOException {
        int next = 0; // the next of f.indexes to meet
        for (int i = 0; ; i++) {
            JsonToken t = r.next();
            if (t == JsonToken.END_ARRAY) {
                return;
            }
            if (t == null) {
                throw truncated();
            }
            Field child = next < f.indexes.length && f.indexes[next] == i ? f.atIndexes[next++] : null;
            if (passOver(child)) {
                r.skip(t);
            } else {
                readValue(r, child, t, row);
            }
        }
    }

    private void readValue(JsonReader r, Field f, JsonToken t, Row row) throws IOException {
        boolean container = t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY;
        if (f.writers.isEmpty()) {
            if (t == JsonToken.START_OBJECT && f.keys != null) {
                readObject(r, f, row);
            } else if (t == JsonToken.START_ARRAY && f.indexes != null) {
                readArray(r, f, row);
            } else {
                r.skip(t);
            }
            return;
        }
        long start = container ? r.tokenOffset() : -1;
        long line = container ? r.tokenLine() : 0;
        String raw = container ? r.capture() : null;
        for (ColumnWriter w : f.writers) {
            write(r, w, t, raw, start, line, row);
        }
        if (raw != null && f.nested()) {
            // columns inside a value that a column also takes whole: read them from its text
            try (JsonReader inner = new JsonReader(raw, start, line)) {
                if (inner.next() == JsonToken.START_OBJECT) {
                    if (f.keys != null) {
                        readObject(inner, f, row);
                    }
                } else if (f.indexes != null) {
                    readArray(inner, f, row);
                }
            }
        }
    }

    /** Writes a column; {@code start} and {@code line}: where an object or array (consumed already) began. */
    private void write(JsonReader r, ColumnWriter w, JsonToken t, String raw, long start, long line, Row row)
            throws IOException {
        Object value = null;
        boolean fits = true;
        boolean waits = false;
        try {
            value = w.write(r, t, raw, row, onError != OnError.ERROR);
            w.valuedIn = t == JsonToken.VALUE_NULL ? -1 : record;
            if (w.awaiting != null) {
                waits = true;
                awaiting.add(new Awaiting(w, w.awaiting, ColumnWriter.text(r, t, raw),
                        raw != null ? line : r.tokenLine(), raw != null ? start : r.tokenOffset()));
                w.awaiting = null;
            }
        } catch (FdwException e) {
            w.valuedIn = -1;
            String located = located(raw != null ? line : r.tokenLine(), raw != null ? start : r.tokenOffset(), w,
                    ColumnWriter.text(r, t, raw));
            if (e instanceof PgException && onError == OnError.ERROR) {
                throw problem(e, located); // PostgreSQL is aborting already: no other value can decide
            }
            pending.add(new Pending(w, problem(e, located)));
            row.setNull(w.index);
            fits = false;
        }
        if (w.filter != null) {
            w.seenIn = record;
            w.last = value;
            if (fits && !waits && !w.filter.test(value)) { // a bad or unconverted value decides nothing yet: see verdict
                rejected = true;
            }
        }
    }

    /** A syntax error: an ERROR, or with on_error, the NDJSON line skipped. */
    private void malformed(JsonProcessingException e, Rows rows) throws IOException {
        JsonLocation at = e.getLocation();
        long line = at == null ? reader.tokenLine() : reader.errorLine(at);
        long offset = at == null ? reader.tokenOffset() : reader.errorOffset(at);
        FdwException error = JsonReader.syntaxError(e);
        if (rowOpen) {
            rows.discard();
            rowOpen = false;
        }
        if (onError == OnError.ERROR) {
            throw problem(error, position(line, offset));
        }
        if (inArray) {
            throw problem(error.withHint("on_error skips malformed lines of NDJSON files, but cannot find the next "
                    + "record inside a malformed top-level array."), position(line, offset));
        }
        note(error.withContext(where(position(line, offset))));
        skipped++;
        malformed++;
        // go on at the line after the one where the record began (or, between records, where the error is)
        long from = recordStart >= 0 ? recordStart : offset;
        long fromLine = recordStart >= 0 ? recordLine : line;
        if (from < resumedAt) {
            from = resumedAt;
            fromLine = resumedLine;
        }
        if (reader.resumeAfterLine(from, fromLine)) {
            resumedAt = reader.start();
            resumedLine = reader.startLine();
        } else {
            closeReader();
        }
    }

    /** Where a value is, and the value. */
    private String located(long line, long offset, ColumnWriter w, String shown) {
        return position(line, offset) + ", column " + w.column.name() + ": \"" + ColumnWriter.abbreviate(shown) + "\"";
    }

    private String position(long line, long offset) {
        return "line " + line + " (byte " + offset + ")";
    }

    private String where(String position) {
        return "JSON file \"" + source.path() + "\", " + position;
    }

    /** The error, located in the current file. */
    private FdwException problem(FdwException e, String position) {
        return e.withContext(where(position));
    }

    private void note(FdwException e) {
        if (firstProblem == null) {
            firstProblem = e;
        }
    }

    /** The query is done with the scan: say what on_error did, once, over every pass. */
    @Override
    public void end() {
        if (skipped + nulled == 0) {
            return;
        }
        String what;
        if (onError == OnError.SKIP) {
            what = "skipped " + count(skipped, "bad row");
        } else {
            // with on_error 'null', rows are skipped for two reasons: say which
            List<String> skips = new ArrayList<>();
            if (malformed > 0) {
                skips.add(count(malformed, "malformed record"));
            }
            if (skipped > malformed) {
                skips.add(count(skipped - malformed, "row") + " with a bad or missing value in a column whose "
                        + "domain refuses NULL");
            }
            what = (nulled > 0 ? "set " + count(nulled, "bad value") + " to NULL" : "")
                    + (nulled > 0 && !skips.isEmpty() ? " and " : "")
                    + (skips.isEmpty() ? "" : "skipped " + String.join(" and ", skips));
        }
        String first = firstProblem == null ? "" : " The first: " + firstProblem.getMessage()
                + (firstProblem.detail() != null ? " (" + firstProblem.detail() + ")" : "")
                + (firstProblem.contextLines().isEmpty() ? "" : " at " + firstProblem.contextLines().getLast());
        Postgres.log(LogLevel.NOTICE, "foreign table \"" + table + "\": " + what
                + (passes > 1 ? " in " + passes + " scans" : "") + " (on_error '"
                + onError.name().toLowerCase(java.util.Locale.ROOT) + "')." + first);
    }

    private static String count(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    @Override
    public boolean rescan() {
        try {
            closeReader();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        nextSource = 0;
        produced = 0;
        passes++;
        applyQuals();
        return true;
    }

    @Override
    public void explain(Explain explain) {
        // files that cannot be listed: reading the table says why, EXPLAIN shows the option (as file_fdw does)
        List<Entry> listed = sources != null ? sources : ServerFiles.tryResolve(files).orElse(null);
        if (listed == null) {
            explain.property("JSON Files", files);
        } else {
            explain.property("JSON Files", listed.size() == 1 ? listed.getFirst().path().toString()
                    : listed.size() + " (" + files + ")");
            explain.property("JSON Size", listed.stream().mapToLong(Entry::size).sum(), "bytes");
            if (explain.verbose() && listed.size() > 1) {
                explain.property("JSON File List", listed.stream().map(s -> s.path().toString())
                        .collect(Collectors.joining(", ")));
            }
        }
        if (onError != OnError.ERROR) {
            explain.property("On Error", onError.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (explain.analyze()) {
            explain.property("Rows Removed by Connector Filter", removed, null);
            explain.property("Rows Skipped", skipped, null);
            if (onError == OnError.NULL) {
                explain.property("Values Set to NULL", nulled, null);
            }
            explain.property("Bytes Read", bytesRead + (input != null ? input.bytesRead() : 0), "bytes");
        }
    }

    @Override
    public void close() {
        try {
            closeReader();
        } catch (IOException e) {
            // closing a file we only read cannot lose anything
        }
    }
}
