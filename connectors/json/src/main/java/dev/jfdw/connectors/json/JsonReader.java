package dev.jfdw.connectors.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The tokens of one JSON input, from Jackson's non-blocking parser fed out
 * of a buffer this class owns. Owning the bytes gives what a plain parser
 * on a stream cannot: the exact text of a value (a json column keeps it as
 * written), a restart at the next line after a malformed NDJSON line, and
 * positions in bytes as well as lines. Memory stays bounded by the largest
 * record, never the file.
 *
 * <p>Positions are offsets in the decoded input (the file itself unless it
 * is gzip), counting a UTF-8 byte order mark, which is skipped.
 */
final class JsonReader implements Closeable {
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
            // PostgreSQL's limits, not Jackson's defaults: text up to 1 GB, numeric's 131072 + 16383 digits
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength((1 << 30) - 1).maxNumberLength(150_000).maxNameLength(1 << 20).build())
            .build();

    private static final int CHUNK = 1 << 18;
    private static final int MAX_BUFFER = (1 << 30) + CHUNK;

    private final InputStream in;
    private JsonParser parser;
    private ByteArrayFeeder feeder;
    private byte[] buf;
    /** Input offset of buf[0]. */
    private long bufBase;
    private int bufEnd;
    /** Input offset and line number (minus one) where the current parser started. */
    private long parserBase;
    private long lineBase;
    /** Input offset from which bytes must stay in the buffer, or -1. */
    private long keepFrom = -1;
    private boolean eof;

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
            throw new JsonParseException(null, "the input is UTF-16 (it starts with a UTF-16 byte order mark); "
                    + "JSON files must be UTF-8");
        }
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
        restart(offset, line - 1);
    }

    /** A fresh parser from input offset {@code at}, whose first line is {@code linesBefore + 1}. */
    private void restart(long at, long linesBefore) throws IOException {
        if (parser != null) {
            parser.close();
        }
        parser = FACTORY.createNonBlockingByteArrayParser();
        feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        parserBase = at;
        lineBase = linesBefore;
        int from = (int) (at - bufBase);
        if (from < bufEnd) {
            feeder.feedInput(buf, from, bufEnd);
        } else if (eof) {
            feeder.endOfInput();
        }
    }

    JsonParser parser() {
        return parser;
    }

    /** How much input has been read so far. */
    long bytesBuffered() {
        return bufBase + bufEnd;
    }

    /** The input offset and line where the current parser started. */
    long start() {
        return parserBase;
    }

    long startLine() {
        return lineBase + 1;
    }

    /** The next token, reading input as needed; null at the end. */
    JsonToken next() throws IOException {
        JsonToken t = parser.nextToken();
        while (t == JsonToken.NOT_AVAILABLE) {
            feedMore();
            t = parser.nextToken();
        }
        return t;
    }

    /** Consumes the value that starts with {@code t}: nothing more for a scalar. */
    void skip(JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
            return;
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken n = next();
            if (n == null) {
                throw new JsonParseException(parser, "Unexpected end-of-input: the file ends inside a value");
            }
            if (n.isStructStart()) {
                depth++;
            } else if (n.isStructEnd()) {
                depth--;
            }
        }
    }

    /** Consumes the object or array that starts at the current token and returns its exact text. */
    String capture() throws IOException {
        long start = startOffset();
        long kept = keepFrom;
        if (kept < 0 || kept > start) {
            keepFrom = start;
        }
        skip(parser.currentToken());
        String text = text(start, parserBase + parser.currentLocation().getByteOffset());
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
                long end = parserBase + parser.currentLocation().getByteOffset();
                long start = keepFrom >= 0 ? openingQuote(end, keepFrom) : -1;
                yield start >= 0 ? text(start, end) : quote(parser.getText());
            }
            case VALUE_NULL -> "null";
            default -> parser.getText();
        };
    }

    /**
     * The opening quote of the string that ends at {@code end}: the first
     * unescaped quote before the closing one, if the buffer still holds it
     * (at or after {@code from}); else -1. The parser's own token start is
     * not always exact.
     */
    private long openingQuote(long end, long from) {
        for (long i = end - 2; i >= Math.max(from, bufBase); i--) {
            if (byteAt(i) == '"') {
                long backslashes = 0;
                while (i - backslashes - 1 >= bufBase && byteAt(i - backslashes - 1) == '\\') {
                    backslashes++;
                }
                if (backslashes % 2 == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Where the current scalar value starts, for messages: exact for strings. */
    long valueOffset(JsonToken t) {
        if (t == JsonToken.VALUE_STRING) {
            long start = openingQuote(parserBase + parser.currentLocation().getByteOffset(), bufBase);
            if (start >= 0) {
                return start;
            }
        }
        return tokenOffset();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        char[] escaped = com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s);
        return b.append(escaped).append('"').toString();
    }

    private String text(long from, long to) {
        return new String(buf, (int) (from - bufBase), (int) (to - from), StandardCharsets.UTF_8);
    }

    /** Keeps the input from {@code offset} (a record's start) in memory until {@link #keepFrom} moves. */
    void keepFrom(long offset) {
        keepFrom = offset;
    }

    private byte byteAt(long offset) {
        return buf[(int) (offset - bufBase)];
    }

    /**
     * The input offset of the current START_OBJECT or START_ARRAY: exact,
     * unlike {@link #tokenOffset()}, as the parser stops right after it.
     */
    long startOffset() {
        return parserBase + parser.currentLocation().getByteOffset() - 1;
    }

    /** The input offset where the current token starts, give or take a byte (messages only). */
    long tokenOffset() {
        return parserBase + parser.currentTokenLocation().getByteOffset();
    }

    /** The line (from 1) where the current token starts. */
    long tokenLine() {
        return lineBase + parser.currentTokenLocation().getLineNr();
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
     * {@code recordLine}: gives up the rest of that line and parses on from
     * the next one. Returns false when there is no next line.
     */
    boolean resumeAfterLine(long recordStart, long recordLine) throws IOException {
        keepFrom = recordStart;
        long pos = recordStart;
        while (true) {
            for (int i = (int) (pos - bufBase); i < bufEnd; i++) {
                if (buf[i] == '\n') {
                    keepFrom = -1;
                    restart(bufBase + i + 1, recordLine);
                    return true;
                }
            }
            pos = bufBase + bufEnd;
            keepFrom = pos;
            if (read() < 0) {
                return false;
            }
        }
    }

    /** The parser took everything fed: read and feed the next chunk, or signal the end. */
    private void feedMore() throws IOException {
        int from = read();
        if (from < 0) {
            feeder.endOfInput();
        } else {
            feeder.feedInput(buf, from, bufEnd);
        }
    }

    /**
     * Reads more input into the buffer, first dropping what is neither kept
     * nor unparsed. Returns where the new bytes start, or -1 at the end.
     */
    private int read() throws IOException {
        if (eof) {
            return -1;
        }
        long keep = keepFrom >= 0 ? keepFrom : bufBase + bufEnd;
        int drop = (int) Math.min(keep - bufBase, bufEnd);
        if (drop > 0) {
            System.arraycopy(buf, drop, buf, 0, bufEnd - drop);
            bufEnd -= drop;
            bufBase += drop;
        }
        if (buf.length - bufEnd < CHUNK / 2) {
            if (buf.length >= MAX_BUFFER) {
                throw new JsonParseException(parser, "a JSON record is larger than 1 GB");
            }
            buf = java.util.Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, MAX_BUFFER));
        }
        int n;
        do {
            n = in.read(buf, bufEnd, buf.length - bufEnd);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            return -1;
        }
        bufEnd += n;
        return bufEnd - n;
    }

    @Override
    public void close() throws IOException {
        parser.close();
        if (in != null) {
            in.close();
        }
    }
}
