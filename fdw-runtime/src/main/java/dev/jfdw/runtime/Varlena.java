package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import java.lang.foreign.MemorySegment;

/** Reading PostgreSQL varlena values (little-endian headers). */
final class Varlena {
    private Varlena() {}

    /** The data bytes of an in-memory, uncompressed varlena (4-byte or 1-byte header). */
    static byte[] bytes(MemorySegment pointer) {
        MemorySegment p = pointer.reinterpret(Long.MAX_VALUE);
        int first = p.get(JAVA_BYTE, 0) & 0xFF;
        if ((first & 0x01) == 1) {
            if (first == 0x01) {
                throw new IllegalStateException("external (TOASTed) varlena where an in-memory value was expected");
            }
            int total = (first >> 1) & 0x7F;
            return p.asSlice(1, total - 1).toArray(JAVA_BYTE);
        }
        int header = p.get(JAVA_INT_UNALIGNED, 0);
        if ((header & 0x03) != 0) {
            throw new IllegalStateException("compressed varlena where an uncompressed value was expected");
        }
        int total = (header >>> 2) & 0x3FFFFFFF;
        return p.asSlice(4, total - 4).toArray(JAVA_BYTE);
    }
}
