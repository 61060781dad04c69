package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import dev.jfdw.api.FdwException;
import dev.jfdw.api.SqlState;

/**
 * Strings between Java and the server encoding. Text data is checked the way
 * PostgreSQL checks its input: no NUL characters, no unpaired surrogates, no
 * characters the server encoding cannot hold. Nothing is replaced silently.
 */
final class PgStrings {
    private PgStrings() {}

    private static final Map<String, String> JAVA_NAMES = Map.ofEntries(
            Map.entry("UTF8", "UTF-8"), Map.entry("SQL_ASCII", "US-ASCII"),
            Map.entry("LATIN1", "ISO-8859-1"), Map.entry("LATIN2", "ISO-8859-2"),
            Map.entry("LATIN3", "ISO-8859-3"), Map.entry("LATIN4", "ISO-8859-4"),
            Map.entry("LATIN5", "ISO-8859-9"), Map.entry("LATIN7", "ISO-8859-13"),
            Map.entry("LATIN9", "ISO-8859-15"), Map.entry("ISO_8859_5", "ISO-8859-5"),
            Map.entry("ISO_8859_6", "ISO-8859-6"), Map.entry("ISO_8859_7", "ISO-8859-7"),
            Map.entry("ISO_8859_8", "ISO-8859-8"), Map.entry("WIN1250", "windows-1250"),
            Map.entry("WIN1251", "windows-1251"), Map.entry("WIN1252", "windows-1252"),
            Map.entry("WIN1253", "windows-1253"), Map.entry("WIN1254", "windows-1254"),
            Map.entry("WIN1255", "windows-1255"), Map.entry("WIN1256", "windows-1256"),
            Map.entry("WIN1257", "windows-1257"), Map.entry("WIN1258", "windows-1258"),
            Map.entry("KOI8R", "KOI8-R"), Map.entry("KOI8U", "KOI8-U"),
            Map.entry("EUC_JP", "EUC-JP"), Map.entry("EUC_KR", "EUC-KR"),
            Map.entry("EUC_CN", "GB2312"), Map.entry("SJIS", "Shift_JIS"),
            Map.entry("BIG5", "Big5"), Map.entry("GBK", "GBK"), Map.entry("GB18030", "GB18030"),
            Map.entry("WIN866", "IBM866"), Map.entry("WIN874", "x-windows-874"), Map.entry("LATIN10", "ISO-8859-16"));

    private static boolean utf8 = true;
    private static boolean sqlAscii = false;
    private static Charset charset = StandardCharsets.UTF_8;

    /** Called at boot with the database's encoding name. */
    static void init(String serverEncoding) {
        utf8 = serverEncoding.equals("UTF8");
        sqlAscii = serverEncoding.equals("SQL_ASCII");
        String javaName = JAVA_NAMES.get(serverEncoding.toUpperCase(Locale.ROOT));
        charset = javaName != null && Charset.isSupported(javaName) ? Charset.forName(javaName) : null;
    }

    /**
     * Whether text from the server must be converted by the server: its
     * encoding has no Java charset (LATIN6, LATIN8, EUC_TW, EUC_JIS_2004,
     * MULE_INTERNAL). Reading it as UTF-8 would garble a pushed-down
     * constant and lose rows.
     */
    private static boolean serverDecodes() {
        return charset == null && !utf8 && !sqlAscii;
    }

    /** Decodes a C string in the server encoding. */
    static String decode(MemorySegment cstring) {
        if (cstring.equals(MemorySegment.NULL)) {
            return null;
        }
        MemorySegment s = cstring.reinterpret(Long.MAX_VALUE);
        if (serverDecodes()) {
            return Pg.toUtf8(s, Math.toIntExact(strlen(s)));
        }
        return string(s);
    }

    /** A C string in a Java charset (MemorySegment.getString takes only the standard ones). */
    private static String string(MemorySegment s) {
        Charset cs = javaCharset();
        if (cs == StandardCharsets.UTF_8 || cs == StandardCharsets.ISO_8859_1 || cs == StandardCharsets.US_ASCII) {
            return s.getString(0, cs);
        }
        return new String(s.asSlice(0, strlen(s)).toArray(JAVA_BYTE), cs);
    }

    /** Decodes bytes in the server encoding. */
    static String decode(byte[] bytes) {
        if (serverDecodes()) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment s = a.allocate(Math.max(bytes.length, 1));
                MemorySegment.copy(bytes, 0, s, JAVA_BYTE, 0, bytes.length);
                return Pg.toUtf8(s, bytes.length);
            }
        }
        return new String(bytes, javaCharset());
    }

    /**
     * Decodes an error report's text without calling the server, which
     * refuses calls while an error is pending: in an encoding with no Java
     * charset, non-ASCII characters may come out wrong.
     */
    static String decodeMessage(MemorySegment cstring) {
        if (cstring.equals(MemorySegment.NULL)) {
            return null;
        }
        return string(cstring.reinterpret(Long.MAX_VALUE));
    }

    /** SQL_ASCII: text is bytes in no known encoding, which a Java string cannot hold as they are. */
    static boolean serverIsSqlAscii() {
        return sqlAscii;
    }

    private static Charset javaCharset() {
        return charset != null && !sqlAscii ? charset : StandardCharsets.UTF_8;
    }

    static long strlen(MemorySegment s) {
        long n = 0;
        while (s.get(JAVA_BYTE, n) != 0) {
            n++;
        }
        return n;
    }

    /** Decodes a NUL-terminated string stored inline in {@code field} (a NameData). */
    static String decodeInline(MemorySegment field) {
        long n = 0;
        while (n < field.byteSize() && field.get(JAVA_BYTE, n) != 0) {
            n++;
        }
        return decode(field.asSlice(0, n).toArray(JAVA_BYTE));
    }

    /**
     * Encodes text data for the server. {@code null} means the server must
     * convert it (an encoding Java does not know): see {@link #needsServerConversion()}.
     */
    static byte[] encode(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new FdwException(SqlState.CHARACTER_NOT_IN_REPERTOIRE,
                    "invalid byte sequence for encoding \"UTF8\": 0x00")
                    .withDetail("Text values cannot contain the NUL character (\\u0000).");
        }
        if (utf8 || sqlAscii || charset == null) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            // getBytes replaces an unpaired surrogate with '?': look for one wherever the bytes could hide it
            if (b.length != s.length() || hasReplacement(b, s)) {
                checkSurrogates(s);
            }
            return b;
        }
        CharsetEncoder enc = charset.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            ByteBuffer bb = enc.encode(CharBuffer.wrap(s));
            byte[] b = new byte[bb.remaining()];
            bb.get(b);
            return b;
        } catch (CharacterCodingException e) {
            throw new FdwException(SqlState.UNTRANSLATABLE_CHARACTER,
                    "character in \"" + abbreviate(s) + "\" has no equivalent in encoding \""
                            + charset.name() + "\"");
        }
    }

    /** True when {@link #encode} yields UTF-8 that the server must still convert. */
    static boolean needsServerConversion() {
        return !utf8 && !sqlAscii && charset == null;
    }

    /**
     * Encodes a message for an error report or log line: never fails,
     * replaces what the server encoding cannot hold.
     */
    static byte[] encodeMessage(String s) {
        String clean = s.replace('\0', ' ');
        if (serverDecodes()) {
            // no Java charset, and no call into the server on an error path: ASCII, which every server encoding holds
            return clean.getBytes(StandardCharsets.US_ASCII);
        }
        return clean.getBytes(javaCharset());
    }

    /** With one byte per char, a '?' byte that is not a '?' char was an unpaired surrogate. */
    private static boolean hasReplacement(byte[] b, String s) {
        boolean question = false;
        for (byte x : b) {
            question |= x == '?';
        }
        if (!question) {
            return false;
        }
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '?' && s.charAt(i) != '?') {
                return true;
            }
        }
        return false;
    }

    private static void checkSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new FdwException(SqlState.CHARACTER_NOT_IN_REPERTOIRE,
                        "invalid Unicode in \"" + abbreviate(s) + "\": unpaired surrogate U+"
                                + Integer.toHexString(c).toUpperCase(Locale.ROOT) + " at index " + i);
            }
        }
    }

    static boolean serverIsUtf8() {
        return utf8;
    }

    /** Every byte is ASCII and not NUL. */
    static boolean isPlainAscii(byte[] b, int offset, int length) {
        int bad = 0;
        for (int i = offset; i < offset + length; i++) {
            bad |= b[i] - 1; // negative for 0 and for every byte above 0x7F
        }
        return bad >= 0;
    }

    /** Valid UTF-8 without NUL (setString's rules: a NUL or an unpaired surrogate is an error there). */
    static boolean isValidUtf8(byte[] b, int offset, int length) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, offset, length)).toString();
            return s.indexOf('\0') < 0;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Strict UTF-8: an invalid sequence is the error PostgreSQL gives for one. */
    static String decodeUtf8(byte[] b, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw new FdwException(SqlState.CHARACTER_NOT_IN_REPERTOIRE, "invalid byte sequence for encoding \"UTF8\"")
                    .withDetail("The text given as UTF-8 bytes is not valid UTF-8.");
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
