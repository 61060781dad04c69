package dev.jfdw.runtime;

import dev.jfdw.api.FdwException;
import dev.jfdw.api.SqlState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * BigDecimal to and from PostgreSQL's numeric format (numeric.c): base-10000
 * digits with a weight and a display scale, short or long header. Every
 * digit is kept; a column's (precision, scale) rounds and range-checks as
 * PostgreSQL's apply_typmod does.
 */
final class PgNumeric {
    private PgNumeric() {}

    private static final int SIGN_NEG = 0x4000;
    private static final int SHORT = 0x8000;
    private static final int SHORT_SIGN_NEG = 0x2000;
    private static final int SHORT_DSCALE_SHIFT = 7;
    private static final int SHORT_WEIGHT_SIGN = 0x0040;
    private static final int SHORT_WEIGHT_MASK = 0x003F;
    private static final int DSCALE_MASK = 0x3FFF;
    /** NUMERIC_WEIGHT_MAX + 1 groups of 4 digits before the point, as PostgreSQL's numeric allows. */
    private static final int MAX_INTEGER_DIGITS = 131_072;
    private static final int NAN = 0xC000;
    private static final int PINF = 0xD000;
    private static final int NINF = 0xF000;
    private static final BigInteger NBASE = BigInteger.valueOf(10_000);

    /** The numeric value's bytes after the varlena header. */
    static byte[] encode(BigDecimal value, int typmod) {
        // numeric_in's limits, before anything is scaled: 1e5000000 would become five million digits first
        if (ColumnCodec.integerDigits(value) > MAX_INTEGER_DIGITS || value.scale() > DSCALE_MASK) {
            throw overflow();
        }
        BigDecimal v = applyTypmod(value, typmod);
        if (v.scale() < 0) {
            v = v.setScale(0);
        }
        int dscale = v.scale();
        if (dscale > DSCALE_MASK) {
            throw overflow();
        }
        String digits = v.unscaledValue().abs().toString();
        int intLen = digits.length() - dscale;
        int padLeft = intLen > 0 ? (4 - intLen % 4) % 4 : -intLen;
        int padRight = (4 - dscale % 4) % 4;
        String padded = "0".repeat(padLeft) + digits + "0".repeat(padRight);
        int groups = padded.length() / 4;
        // with no integer digits, the padded string starts right at the decimal point
        int weight = intLen > 0 ? (intLen + padLeft) / 4 - 1 : -1;
        short[] d = new short[groups];
        for (int i = 0; i < groups; i++) {
            d[i] = Short.parseShort(padded.substring(i * 4, i * 4 + 4));
        }
        int first = 0;
        int last = groups;
        while (first < last && d[first] == 0) {
            first++;
            weight--;
        }
        while (last > first && d[last - 1] == 0) {
            last--;
        }
        if (first < last && (weight > Short.MAX_VALUE || weight < Short.MIN_VALUE)) {
            throw overflow();
        }
        return bytes(v.signum() < 0, dscale, weight, d, first, last);
    }

    /**
     * A numeric's bytes: the header, short where it fits, then
     * {@code digits[first, last)}, base-10000 groups from the most
     * significant, whose first has {@code weight}. No digits is zero.
     */
    private static byte[] bytes(boolean negative, int dscale, int weight, short[] digits, int first, int last) {
        if (first == last) {
            negative = false;
            weight = 0;
        }
        boolean isShort = dscale <= 63 && weight <= 63 && weight >= -64;
        byte[] b = new byte[(isShort ? 2 : 4) + 2 * (last - first)];
        int at;
        if (isShort) {
            SHORTS.set(b, 0, (short) (SHORT | (negative ? SHORT_SIGN_NEG : 0) | (dscale << SHORT_DSCALE_SHIFT)
                    | (weight < 0 ? SHORT_WEIGHT_SIGN : 0) | (weight & SHORT_WEIGHT_MASK)));
            at = 2;
        } else {
            SHORTS.set(b, 0, (short) ((negative ? SIGN_NEG : 0) | (dscale & DSCALE_MASK)));
            SHORTS.set(b, 2, (short) weight);
            at = 4;
        }
        for (int i = first; i < last; i++, at += 2) {
            SHORTS.set(b, at, digits[i]);
        }
        return b;
    }

    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.nativeOrder());

    /**
     * {@code unscaled} × 10<sup>-scale</sup> as {@link #encode(BigDecimal, int)}
     * encodes it, with long arithmetic alone (decimal vectors and integers
     * into numeric: a BigDecimal, its digit string and its substrings cost
     * five times as much). Null where that path must decide: a negative scale,
     * a column scale below the value's (rounding), or a value the column's
     * precision may not hold (the error).
     */
    static byte[] encode(long unscaled, int scale, int typmod) {
        if (scale < 0 || scale > DSCALE_MASK || unscaled == Long.MIN_VALUE) {
            return null;
        }
        if (typmod >= 4) {
            int[] ps = precisionScale(typmod);
            int precision = ps[0];
            int columnScale = ps[1];
            if (columnScale < scale || columnScale - scale >= POW10.length) {
                return null;
            }
            try {
                unscaled = Math.multiplyExact(unscaled, POW10[columnScale - scale]);
            } catch (ArithmeticException e) {
                return null;
            }
            scale = columnScale;
            if (precision < POW10.length && Math.abs(unscaled) >= POW10[precision]) {
                return null;
            }
        }
        // base-10000 groups, filled from the least significant, which ends where the fraction's last group does
        long u = Math.abs(unscaled);
        int pad = (4 - scale % 4) % 4;
        short[] groups = new short[6];
        int first = groups.length;
        if (pad > 0) {
            groups[--first] = (short) (u % POW10[4 - pad] * POW10[pad]);
            u /= POW10[4 - pad];
        }
        while (u != 0) {
            groups[--first] = (short) (u % 10_000);
            u /= 10_000;
        }
        int last = groups.length;
        while (last > first && groups[last - 1] == 0) {
            last--;
        }
        int weight = -((scale + pad) / 4) + groups.length - 1 - first;
        return bytes(unscaled < 0, scale, weight, groups, first, last);
    }

    /** NaN, Infinity or -Infinity; a column with a precision cannot hold the infinities. */
    static byte[] encodeSpecial(double value, int typmod) {
        int header;
        if (Double.isNaN(value)) {
            header = NAN;
        } else {
            if (typmod >= 4) {
                int[] ps = precisionScale(typmod);
                throw new FdwException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow")
                        .withDetail("A field with precision " + ps[0] + ", scale " + ps[1]
                                + " cannot hold an infinite value.");
            }
            header = value > 0 ? PINF : NINF;
        }
        return ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) header).array();
    }

    private static int[] precisionScale(int typmod) {
        int t = typmod - 4;
        return new int[] {(t >> 16) & 0xFFFF, ((t & 0x7FF) ^ 1024) - 1024};
    }

    static BigDecimal applyTypmod(BigDecimal v, int typmod) {
        if (typmod < 4) {
            return v;
        }
        int[] ps = precisionScale(typmod);
        int precision = ps[0];
        int scale = ps[1];
        BigDecimal r = v.setScale(scale, RoundingMode.HALF_UP);
        if (r.unscaledValue().abs().compareTo(BigInteger.TEN.pow(precision)) >= 0) {
            int maxDigits = precision - scale;
            throw new FdwException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow")
                    .withDetail("A field with precision " + precision + ", scale " + scale
                            + " must round to an absolute value less than "
                            + (maxDigits != 0 ? "10^" + maxDigits : "1") + ".");
        }
        return r;
    }

    private static FdwException overflow() {
        return new FdwException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format");
    }

    /**
     * Decodes the bytes after the varlena header. NaN and the infinities have
     * no BigDecimal; they come back as {@code null} with {@link #special} telling which.
     */
    static BigDecimal decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        int header = b.getShort() & 0xFFFF;
        if ((header & 0xC000) == 0xC000) {
            return null;
        }
        boolean negative;
        int dscale;
        int weight;
        if ((header & 0xC000) == SHORT) {
            negative = (header & SHORT_SIGN_NEG) != 0;
            dscale = (header & 0x1F80) >> SHORT_DSCALE_SHIFT;
            weight = (header & SHORT_WEIGHT_SIGN) != 0 ? (header & SHORT_WEIGHT_MASK) | ~SHORT_WEIGHT_MASK
                    : header & SHORT_WEIGHT_MASK;
        } else {
            negative = (header & 0xC000) == SIGN_NEG;
            dscale = header & DSCALE_MASK;
            weight = b.getShort();
        }
        int ndigits = b.remaining() / 2;
        BigInteger unscaled = BigInteger.ZERO;
        for (int i = 0; i < ndigits; i++) {
            unscaled = unscaled.multiply(NBASE).add(BigInteger.valueOf(b.getShort()));
        }
        // the digits are worth unscaled * 10000^(weight - ndigits + 1)
        BigDecimal v = new BigDecimal(unscaled, -4 * (weight - ndigits + 1)).setScale(dscale, RoundingMode.UNNECESSARY);
        return negative ? v.negate() : v;
    }

    /** For a special value: "NaN", "Infinity" or "-Infinity"; otherwise {@code null}. */
    static String special(byte[] bytes) {
        int header = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getShort() & 0xFFFF;
        return switch (header) {
            case NAN -> "NaN";
            case PINF -> "Infinity";
            case NINF -> "-Infinity";
            default -> null;
        };
    }
}
