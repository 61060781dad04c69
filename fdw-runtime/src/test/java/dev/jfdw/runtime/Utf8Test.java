package dev.jfdw.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {
    /** The JDK's strict decoder (which, like PostgreSQL, refuses overlongs, surrogates and code points past U+10FFFF) plus NUL. */
    private static long expected(byte[] bytes, int from, int to) {
        int nul = from;
        while (nul < to && bytes[nul] != 0) {
            nul++;
        }
        long malformed = firstMalformed(bytes, from, nul);
        return malformed >= 0 ? malformed : nul < to ? nul : -1;
    }

    private static long firstMalformed(byte[] bytes, int from, int to) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        CoderResult r = d.decode(in, CharBuffer.allocate(to - from + 1), true);
        return r.isError() ? in.position() : -1;
    }

    private static long actual(byte[] bytes, int from, int to) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 0, bytes.length);
            return Utf8.firstInvalid(s, from, to);
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnEveryAlignmentAndLength() {
        Random random = new Random(42);
        String[] pieces = {"a", "bcdefgh", "é", "✓", "😀", "\u07ff", "\uffff", "\udbff\udfff", "12345678"};
        byte[][] bad = {{0}, {(byte) 0x80}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF5}, {(byte) 0xE2, (byte) 0x9C},
            {(byte) 0xFF}};
        for (int round = 0; round < 3000; round++) {
            ByteBuffer b = ByteBuffer.allocate(256);
            int n = random.nextInt(12);
            for (int i = 0; i < n; i++) {
                b.put(pieces[random.nextInt(pieces.length)].getBytes(StandardCharsets.UTF_8));
            }
            if (random.nextBoolean()) {
                b.put(bad[random.nextInt(bad.length)]);
                for (int i = random.nextInt(4); i > 0; i--) {
                    b.put(pieces[random.nextInt(pieces.length)].getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[] bytes = Arrays.copyOf(b.array(), b.position());
            for (int from = 0; from <= Math.min(9, bytes.length); from++) {
                for (int to = from; to <= bytes.length; to += 1 + random.nextInt(3)) {
                    assertEquals(expected(bytes, from, to), actual(bytes, from, to),
                            () -> HexFormat.ofDelimiter(" ").formatHex(bytes));
                }
            }
        }
    }

    @Test
    void longAsciiRunsAndTheirEnds() {
        byte[] ascii = "x".repeat(100).getBytes(StandardCharsets.US_ASCII);
        assertEquals(-1, actual(ascii, 0, 100));
        for (int at = 0; at < 100; at++) {
            byte[] withNul = ascii.clone();
            withNul[at] = 0;
            assertEquals(at, actual(withNul, 0, 100));
            assertEquals(-1, actual(withNul, 0, at));
        }
    }
}
