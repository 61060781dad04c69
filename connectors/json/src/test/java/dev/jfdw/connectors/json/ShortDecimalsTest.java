package dev.jfdw.connectors.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast path must give, bit for bit, the double that Double.parseDouble gives, or decline. */
class ShortDecimalsTest {
    private static double parse(String s) {
        return ShortDecimals.toDouble(("xx" + s + "yy").toCharArray(), 2, s.length());
    }

    private static void same(String s) {
        double fast = parse(s);
        if (!Double.isNaN(fast)) {
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(s)), Double.doubleToRawLongBits(fast), s);
        }
    }

    @Test
    void shortDecimalsAreExact() {
        for (String s : List.of("0", "-0", "0.0", "-0.0", "1", "-1", "0.1", "0.25", "1.0", "123456789012345",
                "-123456.789e-3", "1e22", "1E+22", "9.99999999999999e-7", "0.00000000000000001", "1e-22",
                "9007199254740992", "1234567890123456", "0.1234567890123456", "3.141592653589793",
                "2.22507385850720e-5", "17.3e2", "5e-1", "0e400")) {
            same(s);
            assertTrue(!Double.isNaN(parse(s)), s + " takes the fast path");
        }
        Random random = new Random(42);
        for (int n = 0; n < 1_000_000; n++) {
            String digits = Long.toString(random.nextLong(1, 1_000_000_000_000_000L));
            int point = random.nextInt(digits.length() + 1);
            String s = (random.nextBoolean() ? "-" : "") + (point == 0 ? "0" : digits.substring(0, point))
                    + (point < digits.length() ? "." + digits.substring(point) : "")
                    + (random.nextInt(3) == 0 ? "e" + (random.nextInt(61) - 30) : "");
            same(s);
        }
    }

    @Test
    void everythingElseGoesToTheFullParser() {
        for (String s : List.of("9007199254740993", "12345678901234567890", "0.000000000000000000001", "1e23",
                "1e-23", "12e30", "1.5e-300", "1e", "1e+", "1e12345", "1.2.3", "abc", "", "-", ".", "-.", "NaN", "Infinity")) {
            assertTrue(Double.isNaN(parse(s)), s);
        }
    }
}
