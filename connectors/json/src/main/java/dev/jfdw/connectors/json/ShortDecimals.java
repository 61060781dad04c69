package dev.jfdw.connectors.json;

/**
 * The double of a short decimal number, computed exactly and fast:
 * Clinger's fast path. An integer up to 2^53 times a power of ten from -22
 * to 22 is one division or multiplication of two doubles that hold their
 * values exactly, and IEEE arithmetic rounds that one operation correctly,
 * so the result is the double nearest the decimal, as
 * {@link Double#parseDouble} gives. Numbers in data files are mostly such
 * numbers; for the others this answers NaN (which no JSON number is) and
 * the caller asks the full parser.
 */
final class ShortDecimals {
    private ShortDecimals() {}

    private static final double[] POWERS_OF_TEN = new double[23];
    /** Integers up to this are exact doubles. */
    private static final long MAX_EXACT = 1L << 53;

    static {
        double p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p; // exact: 10^22 < 2^53 * 2^22, and 5^22 < 2^53
            p *= 10;
        }
    }

    /** The JSON number in {@code c[off, off + len)} as a double, or NaN when it is not short. */
    static double toDouble(char[] c, int off, int len) {
        int i = off;
        int end = off + len;
        boolean negative = i < end && c[i] == '-';
        if (negative) {
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int point = -1;
        for (; i < end; i++) {
            int d = c[i] - '0';
            if (d >= 0 && d <= 9) {
                mantissa = mantissa * 10 + d; // 18 digits cannot overflow; more go to the full parser
                digits++;
            } else if (c[i] == '.' && point < 0) {
                point = digits;
            } else {
                break;
            }
        }
        if (digits == 0 || digits > 18 || mantissa > MAX_EXACT) {
            return Double.NaN;
        }
        int decimals = point < 0 ? 0 : digits - point;
        int exponent = 0;
        if (i < end) {
            if (c[i] != 'e' && c[i] != 'E' || ++i == end) {
                return Double.NaN;
            }
            boolean negativeExponent = c[i] == '-';
            if (c[i] == '-' || c[i] == '+') {
                i++;
            }
            int start = i;
            for (; i < end && i - start < 4; i++) {
                char ch = c[i];
                if (ch < '0' || ch > '9') {
                    return Double.NaN;
                }
                exponent = exponent * 10 + (ch - '0');
            }
            if (i != end || i == start) {
                return Double.NaN;
            }
            if (negativeExponent) {
                exponent = -exponent;
            }
        }
        int power = exponent - decimals;
        double d;
        if (mantissa == 0) {
            d = 0;
        } else if (power >= 0 && power < POWERS_OF_TEN.length) {
            d = mantissa * POWERS_OF_TEN[power];
        } else if (power < 0 && -power < POWERS_OF_TEN.length) {
            d = mantissa / POWERS_OF_TEN[-power];
        } else {
            return Double.NaN;
        }
        return negative ? -d : d;
    }
}
