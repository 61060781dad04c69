package dev.jfdw.connectors.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Checks UTF-8 as PostgreSQL does (pg_utf8_islegal): Jackson decodes some
 * invalid sequences (overlong forms such as 0xC0 0xAF for '/', code points
 * beyond U+10FFFF) without a word.
 */
final class Utf8Check {
    private Utf8Check() {}

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The end of the complete, valid sequences that {@code b[from, to)} starts with. */
    static int validPrefix(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            while (i + 8 <= to && ((long) LONGS.get(b, i) & 0x8080808080808080L) == 0) {
                i += 8;
            }
            if (i < to && b[i] >= 0) {
                i++;
                continue;
            }
            int n = i < to ? sequence(b, i, to) : 1;
            if (n <= 0) {
                return i;
            }
            i += n;
        }
        return to;
    }

    /** Whether {@code b[at, to)} is the start of a valid sequence that goes on past {@code to}. */
    static boolean cutOff(byte[] b, int at, int to) {
        return at < to && sequence(b, at, to) == 0;
    }

    /** The length of the valid sequence at {@code b[at]}; 0 if it is valid so far but cut off at {@code to}; -1 if invalid. */
    private static int sequence(byte[] b, int at, int to) {
        int c = b[at] & 0xff;
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (c < 0x80) {
            return 1;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            lo = c == 0xE0 ? 0xA0 : lo;
            hi = c == 0xED ? 0x9F : hi; // no UTF-16 surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            lo = c == 0xF0 ? 0x90 : lo;
            hi = c == 0xF4 ? 0x8F : hi; // nothing beyond U+10FFFF
        } else {
            return -1;
        }
        for (int k = 1; k < n; k++) {
            if (at + k >= to) {
                return 0;
            }
            int ck = b[at + k] & 0xff;
            if (k == 1 ? ck < lo || ck > hi : ck < 0x80 || ck > 0xBF) {
                return -1;
            }
        }
        return n;
    }
}
