package dev.jfdw.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jfdw.api.FdwException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PgNumericTest {
    /** The bytes numeric.c makes: a 16-bit header (and weight, in the long form), then base-10000 digits. */
    private static byte[] shorts(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putShort((short) v);
        }
        return b.array();
    }

    @Test
    void knownEncodings() {
        assertArrayEquals(shorts(0x8000), PgNumeric.encode(BigDecimal.ZERO, -1), "0: short, no digits");
        assertArrayEquals(shorts(0x8000, 1), PgNumeric.encode(BigDecimal.ONE, -1));
        // -1.5: negative, dscale 1, weight 0, digits 1 5000
        assertArrayEquals(shorts(0x8000 | 0x2000 | (1 << 7), 1, 5000), PgNumeric.encode(new BigDecimal("-1.5"), -1));
        // 0.001: dscale 3, weight -1, digit 10
        assertArrayEquals(shorts(0x8000 | (3 << 7) | 0x40 | 0x3F, 10), PgNumeric.encode(new BigDecimal("0.001"), -1));
        // 0.000001: weight -2, digit 100
        assertArrayEquals(shorts(0x8000 | (6 << 7) | 0x40 | 0x3E, 100),
                PgNumeric.encode(new BigDecimal("0.000001"), -1));
        // 12345.6789: weight 1, digits 1 2345 6789
        assertArrayEquals(shorts(0x8000 | (4 << 7) | 1, 1, 2345, 6789),
                PgNumeric.encode(new BigDecimal("12345.6789"), -1));
        // 1E+300: weight 75 does not fit the short form
        byte[] big = PgNumeric.encode(new BigDecimal("1E+300"), -1);
        assertArrayEquals(shorts(0, 75, 1), big);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "-1", "0.5", "1.50", "-0.001", "99999999", "100000000", "0.00000001",
            "123456789012345678901234567890.123456789012345678901234567890", "1E+1000", "-1E-1000", "9.99E+130000"})
    void roundTrips(String value) {
        BigDecimal v = new BigDecimal(value);
        BigDecimal expected = v.scale() < 0 ? v.setScale(0) : v;
        assertEquals(expected, PgNumeric.decode(PgNumeric.encode(v, -1)));
        assertEquals(expected.scale(), PgNumeric.decode(PgNumeric.encode(v, -1)).scale(), "dscale is kept");
    }

    /**
     * The long path makes exactly the BigDecimal path's bytes, and declines
     * only where that path must round or may fail.
     */
    @Test
    void longsEncodeAsTheirBigDecimals() {
        Random r = new Random(7);
        int fast = 0;
        for (int i = 0; i < 200_000; i++) {
            long unscaled = switch (i % 4) {
                case 0 -> r.nextLong();
                case 1 -> r.nextLong() >> r.nextInt(64);
                case 2 -> r.nextInt(20_001) - 10_000;
                default -> (r.nextBoolean() ? 1 : -1) * (long) Math.pow(10, r.nextInt(19));
            };
            int scale = r.nextInt(45) - 2;
            int typmod = switch (i % 3) {
                case 0 -> -1;
                case 1 -> ((r.nextInt(40) + 1) << 16 | r.nextInt(45)) + 4;
                default -> ((r.nextInt(1000) + 1) << 16 | (r.nextInt(60) - 20) & 0x7FF) + 4;
            };
            byte[] b = PgNumeric.encode(unscaled, scale, typmod);
            if (b == null) {
                assertTrue(typmod >= 4 || scale < 0, "declined " + unscaled + "E-" + scale + " with no typmod");
                continue;
            }
            fast++;
            assertArrayEquals(PgNumeric.encode(BigDecimal.valueOf(unscaled, scale), typmod), b,
                    unscaled + "E-" + scale + " typmod " + typmod);
        }
        assertTrue(fast > 75_000, "most values take the long path: " + fast);
        for (long v : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE + 1, 10_000, 9_999, 100_000_000}) {
            for (int scale : new int[] {0, 1, 3, 4, 5, 8, 20, 63, 64, 300}) {
                assertArrayEquals(PgNumeric.encode(BigDecimal.valueOf(v, scale), -1), PgNumeric.encode(v, scale, -1),
                        v + "E-" + scale);
            }
        }
        assertNull(PgNumeric.encode(15, 1, (3 << 16) + 4), "1.5 into numeric(3,0) rounds: BigDecimal's to do");
        assertNull(PgNumeric.encode(1000, 0, (3 << 16) + 4), "1000 overflows numeric(3,0): BigDecimal's error");
        assertNull(PgNumeric.encode(1, -2, -1), "a negative scale");
    }

    @Test
    void randomValuesRoundTrip() {
        Random r = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            BigDecimal v = new BigDecimal(new java.math.BigInteger(r.nextInt(200) + 1, r), r.nextInt(60) - 10);
            BigDecimal expected = v.scale() < 0 ? v.setScale(0) : v;
            assertEquals(expected, PgNumeric.decode(PgNumeric.encode(v, -1)), v.toString());
        }
    }

    private static int typmod(int precision, int scale) {
        return ((precision << 16) | (scale & 0x7FF)) + 4;
    }

    @Test
    void typmodRoundsHalfAwayFromZeroAndChecksPrecision() {
        assertEquals(new BigDecimal("123.46"), PgNumeric.decode(PgNumeric.encode(new BigDecimal("123.455"), typmod(5, 2))));
        assertEquals(new BigDecimal("-123.46"),
                PgNumeric.decode(PgNumeric.encode(new BigDecimal("-123.455"), typmod(5, 2))));
        FdwException e = assertThrows(FdwException.class,
                () -> PgNumeric.encode(new BigDecimal("999.995"), typmod(5, 2)));
        assertEquals("22003", e.sqlState());
        assertEquals("A field with precision 5, scale 2 must round to an absolute value less than 10^3.", e.detail());
        // PostgreSQL 15: negative scales round to the left of the point
        assertEquals(new BigDecimal("12000"), PgNumeric.decode(PgNumeric.encode(new BigDecimal("12345"), typmod(2, -3))));
    }

    @Test
    void numericInsLimitsComeBeforeAnyScaling() {
        // 1e20000000 scaled to its digits would take the heap and seconds; PostgreSQL fails at once
        for (String big : new String[] {"1e20000000", "-1e131072", "1e-16384", "1e-20000000"}) {
            FdwException e = assertThrows(FdwException.class, () -> PgNumeric.encode(new BigDecimal(big), typmod(10, 2)),
                    big);
            assertEquals("22003", e.sqlState(), big);
            assertEquals("value overflows numeric format", e.getMessage(), big);
            assertThrows(FdwException.class, () -> PgNumeric.encode(new BigDecimal(big), -1), big);
        }
        for (String edge : new String[] {"1e131071", "1e-16383"}) {
            assertEquals(0, new BigDecimal(edge).compareTo(PgNumeric.decode(PgNumeric.encode(new BigDecimal(edge), -1))),
                    edge);
        }
    }

    @Test
    void bigDecimalsIntoFloatsAreRangeCheckedLikeFloat8in() {
        ColumnCodec f8 = ColumnCodec.of("v", dev.jfdw.api.PgType.FLOAT8, -1, "double precision", 0);
        for (String bad : new String[] {"1e-400", "-1e-400", "1e400"}) {
            BigDecimal v = new BigDecimal(bad);
            assertEquals("22003", assertThrows(FdwException.class, () -> ColumnCodec.finite(f8, v.doubleValue(), v),
                    bad).sqlState());
        }
        assertEquals(0.0, ColumnCodec.finite(f8, 0.0, new BigDecimal("0.000")));
        assertEquals(4.9e-324, ColumnCodec.finite(f8, new BigDecimal("4.9e-324").doubleValue(), new BigDecimal("4.9e-324")));
        assertEquals(5_000_001, ColumnCodec.integerDigits(new BigDecimal("1e5000000")));
        assertEquals(3, ColumnCodec.integerDigits(new BigDecimal("-123.45")));
    }

    @Test
    void specialValues() {
        assertNull(PgNumeric.decode(PgNumeric.encodeSpecial(Double.NaN, -1)));
        assertEquals("NaN", PgNumeric.special(PgNumeric.encodeSpecial(Double.NaN, -1)));
        assertEquals("Infinity", PgNumeric.special(PgNumeric.encodeSpecial(Double.POSITIVE_INFINITY, -1)));
        assertEquals("-Infinity", PgNumeric.special(PgNumeric.encodeSpecial(Double.NEGATIVE_INFINITY, -1)));
        assertThrows(FdwException.class, () -> PgNumeric.encodeSpecial(Double.POSITIVE_INFINITY, typmod(5, 2)));
    }
}
