package dev.jfdw.connectors.json;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.core.sym.ByteQuadsCanonicalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Jackson's UTF-8 parser plus one thing: the bytes of a plain string value,
 * taken where they lie in the parser's buffer. Most strings in JSON data
 * are plain (printable ASCII, no escape); a text column copies their bytes
 * into the row and a date parses them in place, where decoding them to
 * characters first, as the parser does for its text, cost a tenth of a scan.
 *
 * <p>Jackson reads a string's content lazily, when its text is asked for
 * or when the next token skips it. {@link #plainString()} consumes the
 * content instead and leaves the token "incomplete", so that each of
 * Jackson's ways to the content comes through the overrides here: they
 * make the text from the bytes taken, which stay in the buffer until the
 * parser moves to the next token. This leans on Jackson 2's protected
 * members (the input buffer, the lazy-string flag); PlainStringParserTest
 * checks every way to a string's text against Jackson's own decoding, so
 * that a Jackson upgrade that changes them fails the build, not a scan.
 */
final class PlainStringParser extends UTF8StreamJsonParser {
    private int plainStart;
    private int plainEnd;
    /** The current string's content was taken by {@link #plainString()}. */
    private boolean taken;

    private PlainStringParser(IOContext context, int features, InputStream in, ByteQuadsCanonicalizer names) {
        super(context, features, in, null, names, context.allocReadIOBuffer(), 0, 0, 0, true);
    }

    /** Makes these parsers for byte streams. Other inputs (strings, readers) get Jackson's own. */
    static final class Factory extends JsonFactory {
        Factory(JsonFactoryBuilder builder) {
            super(builder);
        }

        /**
         * Replaces Jackson's encoding detection: input is UTF-8, and
         * {@link JsonReader} rejects the other encodings itself.
         */
        @Override
        protected JsonParser _createParser(InputStream in, IOContext context) {
            return new PlainStringParser(context, _parserFeatures, in, _byteSymbolCanonicalizer.makeChild(_factoryFeatures));
        }
    }

    /**
     * At a string value whose content is printable ASCII without escapes
     * and lies whole in the buffer: takes it and returns true; its bytes
     * are then {@link #buffer()}[{@link #plainStart()}, {@link #plainEnd()}).
     * Otherwise returns false and changes nothing.
     */
    boolean plainString() {
        if (!_tokenIncomplete || taken || _currToken != JsonToken.VALUE_STRING) {
            return false;
        }
        byte[] b = _inputBuffer;
        int end = _inputEnd;
        int i = _inputPtr;
        // eight bytes at a time to the first that is not printable ASCII or is a quote or backslash
        while (i + 8 <= end) {
            long special = special((long) LONGS.get(b, i));
            if (special != 0) {
                i += Long.numberOfTrailingZeros(special) >>> 3;
                break;
            }
            i += 8;
        }
        for (; i < end; i++) {
            int c = b[i]; // bytes above 0x7F are negative
            if (c == '"') {
                plainStart = _inputPtr;
                plainEnd = i;
                _inputPtr = i + 1;
                taken = true;
                return true;
            }
            if (c < 0x20 || c == '\\') {
                return false;
            }
        }
        return false;
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;

    /**
     * The high bit of each byte of {@code x} that is a quote, a backslash,
     * below 0x20 or above 0x7F; exact for the lowest such byte (a borrow
     * may mark bytes above it).
     */
    private static long special(long x) {
        long quote = x ^ 0x2222222222222222L;
        long backslash = x ^ 0x5C5C5C5C5C5C5C5CL;
        return ((quote - ONES) & ~quote | (backslash - ONES) & ~backslash | (x - 0x2020202020202020L) & ~x | x)
                & HIGH;
    }

    byte[] buffer() {
        return _inputBuffer;
    }

    int plainStart() {
        return plainStart;
    }

    int plainEnd() {
        return plainEnd;
    }

    /** The text of a taken string, made now for whoever asks for it. */
    private String takenText() throws IOException {
        taken = false;
        _tokenIncomplete = false;
        String text = new String(_inputBuffer, plainStart, plainEnd - plainStart, StandardCharsets.ISO_8859_1);
        _textBuffer.resetWithString(text);
        return text;
    }

    @Override
    protected void _finishString() throws IOException {
        if (taken) {
            takenText();
        } else {
            super._finishString();
        }
    }

    @Override
    protected String _finishAndReturnString() throws IOException {
        return taken ? takenText() : super._finishAndReturnString();
    }

    @Override
    protected void _skipString() throws IOException {
        if (taken) {
            taken = false;
            _tokenIncomplete = false;
        } else {
            super._skipString();
        }
    }

    // base64 values are decoded from the input itself, where a taken string no longer is

    @Override
    public byte[] getBinaryValue(Base64Variant variant) throws IOException {
        if (taken) {
            takenText();
        }
        return super.getBinaryValue(variant);
    }

    @Override
    public int readBinaryValue(Base64Variant variant, OutputStream out) throws IOException {
        if (taken) {
            takenText();
        }
        return super.readBinaryValue(variant, out);
    }
}
