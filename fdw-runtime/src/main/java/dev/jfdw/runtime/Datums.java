package dev.jfdw.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jfdw.api.PgType;
import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Datums as Java values, for the values of quals: the reverse of the codecs,
 * by the value's SQL type. Types without a natural Java form come back as
 * their text (the type's output function).
 */
final class Datums {
    private Datums() {}

    private static final java.lang.foreign.ValueLayout.OfLong BIG_ENDIAN =
            JAVA_LONG.withOrder(ByteOrder.BIG_ENDIAN).withByteAlignment(1);

    static Object decode(int type, long datum) {
        return switch (type) {
            case PgType.BOOL -> datum != 0;
            case PgType.INT2 -> (long) (short) datum;
            case PgType.INT4 -> (long) (int) datum;
            case PgType.INT8 -> datum;
            case PgType.FLOAT4 -> (double) Float.intBitsToFloat((int) datum);
            case PgType.FLOAT8 -> Double.longBitsToDouble(datum);
            case PgType.NUMERIC -> numeric(Pg.detoast(datum).toArray(JAVA_BYTE));
            case PgType.TEXT, PgType.VARCHAR, PgType.BPCHAR -> PgStrings.decode(Pg.detoast(datum).toArray(JAVA_BYTE));
            case PgType.BYTEA -> Pg.detoast(datum).toArray(JAVA_BYTE);
            case PgType.DATE -> PgTime.toLocalDate((int) datum);
            case PgType.TIMESTAMP -> PgTime.toLocalDateTime(datum);
            case PgType.TIMESTAMPTZ -> PgTime.toInstant(datum);
            case PgType.TIME -> PgTime.toLocalTime(datum);
            case PgType.UUID -> {
                MemorySegment u = MemorySegment.ofAddress(datum).reinterpret(16);
                yield new UUID(u.get(BIG_ENDIAN, 0), u.get(BIG_ENDIAN, 8));
            }
            default -> Pg.outputValue(type, datum);
        };
    }

    /** A numeric; NaN and the infinities as the Double ones. */
    static Object numeric(byte[] bytes) {
        BigDecimal d = PgNumeric.decode(bytes);
        if (d != null) {
            return d;
        }
        return switch (PgNumeric.special(bytes)) {
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.NaN;
        };
    }

    /** The elements of an array Datum, NULLs included. */
    static List<Object> array(long datum) {
        Pg.ArrayElements a = Pg.deconstructArray(datum);
        List<Object> values = new ArrayList<>(a.count());
        for (int i = 0; i < a.count(); i++) {
            values.add(a.nulls().get(JAVA_BYTE, i) != 0 ? null
                    : decode(a.elementType(), a.values().getAtIndex(JAVA_LONG, i)));
        }
        return values;
    }
}
