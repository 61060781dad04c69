package dev.jfdw.connectors.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.ContentReference;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.jfdw.api.FdwException;
import dev.jfdw.api.Postgres;
import dev.jfdw.api.SqlState;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The tokens of one JSON input, from Jackson's streaming parser reading out
 * of a buffer this class owns. Owning the bytes gives what a parser on a
 * plain stream cannot: the exact text of a value (a json column keeps it as
 * written), a restart at the next line after a malformed NDJSON line, and
 * positions in bytes as well as lines. Memory stays bounded by the largest
 * record, never the file.
 *
 * <p>Positions are offsets in the decoded input (the file itself unless it
 * is gzip), counting a UTF-8 byte order mark, which is skipped.
 */
final class JsonReader implements Closeable {
    static final JsonFactory FACTORY = new PlainStringParser.Factory((JsonFactoryBuilder) new JsonFactoryBuilder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
            // PostgreSQL's limits, not Jackson's defaults: text up to 1 GB, numeric's 131072 + 16383 digits,
            // nesting as deep as the record goes (jsonb's own parser stops at max_stack_depth); keys up to
            // 1 MiB of UTF-8 (docs/reference.md lists these limits)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength((1 << 30) - 1).maxNumberLength(150_000).maxNameLength(1 << 20)
                    .maxNestingDepth(Integer.MAX_VALUE).build()));

    private static final int CHUNK = 1 << 18;
    private static final int MAX_BUFFER = (1 << 30) + CHUNK;

    private final InputStream in;
    private PlainStringParser parser;
    private byte[] buf;
    /** Input offset of buf[0]. */
    private long bufBase;
    private int bufEnd;
    /** Input offset up to which the parser has taken bytes. */
    private long served;
    /** Input offset and line number (minus one) where the current parser started. */
    private long parserBase;
    private long lineBase;
    /** Input offset from which bytes must stay in the buffer, or -1. */
    private long keepFrom = -1;
    private boolean eof;
    /** Input offset up to which the bytes are checked UTF-8: the parser gets no further. */
    private long checked;
    /** Input offset of invalid UTF-8 (then {@link #checked} too), or -1. */
    private long invalidAt = -1;

    /** What the parser reads: the buffer, refilled from the input as it runs dry. */
    private final InputStream feed = new InputStream() {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (served == checked) {
                if (invalidAt == checked) {
                    throw invalidUtf8();
                }
                if (!fill()) {
                    if (checked == bufBase + bufEnd) {
                        return -1;
                    }
                    invalidAt = checked; // the input ends inside a sequence
                }
            }
            int n = (int) Math.min(len, checked - served);
            System.arraycopy(buf, (int) (served - bufBase), b, off, n);
            served += n;
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    };

    /** Reads a stream; {@link #close()} closes it. */
    JsonReader(InputStream in) throws IOException {
        this.in = in;
        this.buf = new byte[CHUNK];
        while (bufEnd < 3 && !eof) {
            int n = in.read(buf, bufEnd, buf.length - bufEnd);
            eof = n < 0;
            bufEnd += Math.max(n, 0);
        }
        int start = 0;
        if (bufEnd >= 3 && (buf[0] & 0xff) == 0xEF && (buf[1] & 0xff) == 0xBB && (buf[2] & 0xff) == 0xBF) {
            start = 3;
        } else if (bufEnd >= 2 && ((buf[0] & 0xff) == 0xFE && (buf[1] & 0xff) == 0xFF
                || (buf[0] & 0xff) == 0xFF && (buf[1] & 0xff) == 0xFE)) {
            throw new InvalidUtf8(String.format("0x%02x", buf[0] & 0xff), 0,
                    "The file is UTF-16 (it starts with a UTF-16 byte order mark); JSON files must be UTF-8.");
        }
        for (int i = start; i < Math.min(bufEnd, start + 4); i++) {
            if (buf[i] == 0) {
                // no UTF-8 JSON text holds a zero byte: this is UTF-16 or UTF-32 without a byte order mark
                throw new InvalidUtf8("0x00", i,
                        "The file looks like UTF-16 or UTF-32 (it has a zero byte); JSON files must be UTF-8.");
            }
        }
        checked = start;
        check();
        restart(start, 0);
    }

    /**
     * Reads a value already in memory: the JSON text of part of an input,
     * which began at {@code offset} on line {@code line}, so that positions
     * still point into that input.
     */
    JsonReader(String json, long offset, long line) throws IOException {
        this.in = null;
        this.buf = json.getBytes(StandardCharsets.UTF_8);
        this.bufEnd = buf.length;
        this.bufBase = offset;
        this.eof = true;
        this.checked = offset + bufEnd; // a String's bytes are UTF-8
        this.keepFrom = offset; // all of it is in memory: values' exact text too
        restart(offset, line - 1);
    }

    /** A fresh parser from input offset {@code at}, whose first line is {@code linesBefore + 1}. */
    private void restart(long at, long linesBefore) throws IOException {
        if (parser != null) {
            parser.close();
        }
        if (at > checked) {
            // resumed past invalid UTF-8, which the malformed record took with it
            checked = at;
            invalidAt = -1;
            check();
        }
        served = at;
        parserBase = at;
        lineBase = linesBefore;
        parser = (PlainStringParser) FACTORY.createParser(feed);
    }

    PlainStringParser parser() {
        return parser;
    }

    /** The input offset and line where the current parser started. */
    long start() {
        return parserBase;
    }

    long startLine() {
        return lineBase + 1;
    }

    /** The next token; null at the end. */
    JsonToken next() throws IOException {
        return parser.nextToken();
    }

    /**
     * In an object: moves to the next key, which is probably {@code expected}
     * (the parser then compares bytes instead of looking the key up). Returns
     * whether it was; if not, the current token is the key, or END_OBJECT.
     */
    boolean nextKey(SerializableString expected) throws IOException {
        return parser.nextFieldName(expected);
    }

    /** Consumes the value that starts with {@code t}: nothing more for a scalar. */
    void skip(JsonToken t) throws IOException {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            parser.skipChildren();
        }
    }

    /** Consumes the object or array that starts at the current token and returns its exact text. */
    String capture() throws IOException {
        long start = tokenOffset();
        long kept = keepFrom;
        if (kept < 0 || kept > start) {
            keepFrom = start;
        }
        parser.skipChildren();
        String text = text(start, currentOffset());
        keepFrom = kept;
        return text;
    }

    /**
     * A scalar's JSON text: a number as written, a literal, and a string as
     * written when the record's bytes are kept ({@link #keepFrom}), else
     * re-escaped from its value.
     */
    String rawScalar(JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> {
                parser.finishToken(); // the parser reads a string's content lazily
                long start = tokenOffset();
                yield keepFrom >= 0 && keepFrom <= start ? text(start, currentOffset())
                        : "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(parser.getText())) + "\"";
            }
            case VALUE_NULL -> "null";
            default -> parser.getText();
        };
    }

    /** The input's text from {@code offset}, kept by {@link #keepFrom}, to the end of the current token. */
    String textSince(long offset) {
        return text(offset, currentOffset());
    }

    private String text(long from, long to) {
        return new String(buf, (int) (from - bufBase), (int) (to - from), StandardCharsets.UTF_8);
    }

    /** Keeps the input from {@code offset} (a record's start) in memory until {@link #keepFrom} moves. */
    void keepFrom(long offset) {
        keepFrom = offset;
    }

    /** The input offset where the current token starts. */
    long tokenOffset() {
        return parserBase + parser.currentTokenLocation().getByteOffset();
    }

    /** The input offset just after the current token. */
    long currentOffset() {
        return parserBase + parser.currentLocation().getByteOffset();
    }

    /** The line (from 1) where the current token starts. */
    long tokenLine() {
        return lineBase + parser.currentTokenLocation().getLineNr();
    }

    /** The line (from 1) the parser has read to. */
    long currentLine() {
        return lineBase + parser.currentLocation().getLineNr();
    }

    /** The input offset and line of a parse error. */
    long errorOffset(JsonLocation at) {
        return parserBase + Math.max(at.getByteOffset(), 0);
    }

    long errorLine(JsonLocation at) {
        return lineBase + Math.max(at.getLineNr(), 1);
    }

    /**
     * After a syntax error in a record that began at {@code recordStart} on
     * {@code recordLine}: gives up the rest of that record and parses on from
     * the next line that starts with a record, a '{' (or '[') in its first
     * column. The lines between are the malformed record's: a record that
     * spans lines (pretty-printed) holds nested objects on lines of their
     * own, indented, which must not become rows. Returns false when no line
     * starts a record.
     *
     * <p>Lines end as Jackson counts them, so that line numbers agree: at
     * LF, at CRLF, and at a CR alone (old Mac line ends).
     */
    boolean resumeAfterLine(long recordStart, long recordLine) throws IOException {
        keepFrom = -1;
        long pos = recordStart;
        long line = recordLine;
        boolean lineStart = false;
        boolean afterCr = false;
        while (true) {
            for (int i = (int) (pos - bufBase); i < bufEnd; i++) {
                byte b = buf[i];
                if (lineStart && (b == '{' || b == '[')) {
                    restart(bufBase + i, line - 1);
                    return true;
                }
                if (b == '\r' || b == '\n' && !afterCr) { // the LF of a CRLF ends no second line
                    line++;
                }
                lineStart = b == '\r' || b == '\n';
                afterCr = b == '\r';
            }
            pos = bufBase + bufEnd;
            served = pos;
            if (checked < pos) {
                checked = pos;
                invalidAt = -1;
            }
            // no row comes back until a record starts: a long run of other lines is read in one call
            Postgres.checkForInterrupts();
            if (!fill()) {
                return false;
            }
        }
    }

    /**
     * Reads more input into the buffer, first dropping what the parser has
     * taken and no one keeps. Returns false at the end of the input.
     */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        long keep = keepFrom >= 0 ? Math.min(keepFrom, served) : served;
        int drop = (int) Math.min(keep - bufBase, bufEnd);
        if (drop > 0) {
            System.arraycopy(buf, drop, buf, 0, bufEnd - drop);
            bufEnd -= drop;
            bufBase += drop;
        }
        if (buf.length - bufEnd < CHUNK / 2) {
            if (buf.length >= MAX_BUFFER) {
                throw new StreamConstraintsException("Record length exceeds the maximum allowed (1 GB)",
                        parser.currentLocation());
            }
            buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, MAX_BUFFER));
        }
        int n;
        do {
            n = in.read(buf, bufEnd, buf.length - bufEnd);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            return false;
        }
        bufEnd += n;
        check();
        return true;
    }

    /** Checks the buffered bytes from {@link #checked} on; a sequence cut off at the end waits for more. */
    private void check() {
        if (invalidAt >= 0) {
            return;
        }
        int valid = Utf8Check.validPrefix(buf, (int) (checked - bufBase), bufEnd);
        checked = bufBase + valid;
        if (valid < bufEnd && !Utf8Check.cutOff(buf, valid, bufEnd)) {
            invalidAt = checked;
        }
    }

    private JsonParseException invalidUtf8() {
        int at = (int) (invalidAt - bufBase);
        int lead = buf[at] & 0xff;
        // as the lead byte claims (PostgreSQL shows one byte for what cannot lead)
        int length = lead >= 0xF8 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        StringBuilder bytes = new StringBuilder();
        for (int i = at; i < Math.min(bufEnd, at + length); i++) {
            bytes.append(bytes.isEmpty() ? "" : " ").append(String.format("0x%02x", buf[i] & 0xff));
        }
        // the parser has taken every byte before the bad one, and counted their lines (its byte count, asked
        // while it reads, is ahead by what it took last)
        JsonLocation where = new JsonLocation(ContentReference.unknown(), invalidAt - parserBase, -1L,
                parser.currentLocation().getLineNr(), -1);
        return new InvalidUtf8(bytes.toString(), where);
    }

    /** Bytes that are not UTF-8: what PostgreSQL reports as 22021, not as bad JSON. */
    static final class InvalidUtf8 extends JsonParseException {
        static final String MESSAGE = "invalid byte sequence for encoding \"UTF8\": ";

        final String bytes;
        final String detail;

        InvalidUtf8(String bytes, JsonLocation where) {
            super(null, MESSAGE + bytes, where);
            this.bytes = bytes;
            this.detail = null;
        }

        /** Before the parser starts: at {@code offset}, on line 1. */
        InvalidUtf8(String bytes, long offset, String detail) {
            super(null, MESSAGE + bytes,
                    new JsonLocation(ContentReference.unknown(), offset, -1L, 1, -1));
            this.bytes = bytes;
            this.detail = detail;
        }
    }

    /**
     * A parse error as the client gets it: invalid UTF-8 as PostgreSQL
     * reports it ({@code 22021}); valid JSON beyond this reader's limits
     * ({@link #FACTORY}'s constraints, a record over 1 GB) {@code 54000};
     * else {@code 22P02}. Jackson's description is the DETAIL, less what
     * only Jackson's own users can act on: its feature flags and limits by
     * their Java names, and where an unclosed object or array began, in
     * lines counted since the parser last started (wrong after an on_error
     * restart; the CONTEXT gives the position in the file).
     */
    static FdwException syntaxError(JsonProcessingException e) {
        if (e instanceof InvalidUtf8 bad) {
            return new FdwException(SqlState.CHARACTER_NOT_IN_REPERTOIRE, InvalidUtf8.MESSAGE + bad.bytes)
                    .withDetail(bad.detail);
        }
        String detail = e.getOriginalMessage()
                .replaceAll("\\s*\\([^()\\[]*\\[Source:[^\\]]*\\][^()]*\\)", "")
                .replaceAll(":?\\s*enable `[^`]*` to allow", "")
                .replaceAll(", from `[^`]*`", "")
                .replaceAll("\\(not recognized as one since Feature '\\w+' not enabled for parser\\)", "(JSON has none)")
                .replaceAll("\\s+", " ").strip();
        if (detail.startsWith("Non-standard token")) {
            detail += ": JSON numbers are finite (a float or numeric column reads \"NaN\" and \"Infinity\" as strings)";
        }
        detail += detail.endsWith(".") ? "" : ".";
        if (e instanceof StreamConstraintsException) {
            return new FdwException(SqlState.PROGRAM_LIMIT_EXCEEDED, "JSON record exceeds a limit of the JSON connector")
                    .withDetail(detail);
        }
        return new FdwException(SqlState.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type json")
                .withDetail(detail);
    }

    @Override
    public void close() throws IOException {
        parser.close();
        if (in != null) {
            in.close();
        }
    }
}
