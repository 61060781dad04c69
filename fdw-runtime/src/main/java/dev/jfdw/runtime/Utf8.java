package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;

/** UTF-8 validation over native memory, by PostgreSQL's rules (no NUL, no surrogates, nothing above U+10FFFF). */
final class Utf8 {
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_BITS = 0x0101010101010101L;

    private Utf8() {}

    /** The position of the first byte that starts an invalid sequence (or is NUL) in {@code [from, to)}, or -1. */
    static long firstInvalid(MemorySegment s, long from, long to) {
        long i = from;
        while ((i = skipAscii(s, i, to)) < to) {
            int b = s.get(JAVA_BYTE, i) & 0xFF;
            if (b == 0) {
                return i;
            }
            int n;
            int min;
            int cp;
            if (b >= 0xC2 && b <= 0xDF) {
                n = 1;
                min = 0x80;
                cp = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                n = 2;
                min = 0x800;
                cp = b & 0x0F;
            } else if (b >= 0xF0 && b <= 0xF4) {
                n = 3;
                min = 0x10000;
                cp = b & 0x07;
            } else {
                return i;
            }
            if (i + n >= to) {
                return i; // cut short
            }
            for (int k = 1; k <= n; k++) {
                int c = s.get(JAVA_BYTE, i + k) & 0xFF;
                if ((c & 0xC0) != 0x80) {
                    return i;
                }
                cp = cp << 6 | c & 0x3F;
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return i;
            }
            i += n + 1;
        }
        return -1;
    }

    /**
     * The first position at or after {@code i} that does not hold a non-NUL
     * ASCII byte: eight bytes at a time, in a loop of its own so that the JIT
     * compiles it as a plain counted loop (folded into the decoder's loop, its
     * loop predicates failed and deoptimised it over and over).
     */
    static long skipAscii(MemorySegment s, long i, long to) {
        for (; i <= to - 8; i += 8) {
            long w = s.get(JAVA_LONG_UNALIGNED, i);
            if (((w & HIGH_BITS) | ((w - LOW_BITS) & ~w & HIGH_BITS)) != 0) {
                break;
            }
        }
        for (; i < to; i++) {
            byte b = s.get(JAVA_BYTE, i);
            if (b <= 0) {
                return i;
            }
        }
        return i;
    }
}
