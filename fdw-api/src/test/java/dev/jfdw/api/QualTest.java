package dev.jfdw.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Qual.predicate() must agree with PostgreSQL's operators on the values it accepts. */
class QualTest {
    private static final PgType INT8 = new PgType(PgType.INT8, "bigint");
    private static final PgType INT4 = new PgType(PgType.INT4, "integer");
    private static final PgType FLOAT8 = new PgType(PgType.FLOAT8, "double precision");
    private static final PgType NUMERIC = new PgType(PgType.NUMERIC, "numeric");
    private static final PgType TEXT = new PgType(PgType.TEXT, "text");

    private static Qual qual(PgType columnType, int typmod, Operator op, Object value, PgType valueType) {
        return new Qual(new Column("c", 0, columnType, typmod, Options.EMPTY), op, value, valueType, false);
    }

    private static Predicate<Object> p(PgType type, Operator op, Object value) {
        return qual(type, -1, op, value, type).predicate();
    }

    @Test
    void nullPassesOnlyIsNull() {
        assertTrue(p(INT8, Operator.IS_NULL, null).test(null));
        assertFalse(p(INT8, Operator.IS_NOT_NULL, null).test(null));
        for (Operator op : List.of(Operator.EQ, Operator.NE, Operator.LT, Operator.GE)) {
            assertFalse(p(INT8, op, 5L).test(null), op + " with a NULL column value");
            assertFalse(p(INT8, op, null).test(5L), op + " with a NULL parameter");
        }
    }

    @Test
    void numbersCompareByValueAcrossJavaTypes() {
        assertTrue(qual(INT8, -1, Operator.EQ, 5L, INT4).predicate().test(5));
        assertTrue(p(NUMERIC, Operator.EQ, new BigDecimal("1.50")).test(new BigDecimal("1.5")), "numeric 1.50 = 1.5");
        assertTrue(p(NUMERIC, Operator.GT, new BigDecimal("9223372036854775807.5")).test(new BigDecimal("1e19")));
        assertTrue(p(INT8, Operator.LT, Long.MIN_VALUE + 1).test(Long.MIN_VALUE), "no overflow in comparisons");
    }

    /** A connector's value is tested as its column stores it, which is what PostgreSQL would compare. */
    @Test
    void valuesAreTestedAsTheSettersStoreThem() {
        PgType real = new PgType(PgType.FLOAT4, "real");
        // realcol = 0.1 is float48eq(0.1::real, 0.1): false for the real a Double 0.1 becomes
        assertFalse(qual(real, -1, Operator.EQ, 0.1, FLOAT8).predicate().test(0.1));
        assertTrue(qual(real, -1, Operator.EQ, (double) 0.1f, FLOAT8).predicate().test(0.1));
        // a double into numeric keeps 15 significant digits: 0.1 + 0.2 is stored as 0.3
        assertTrue(p(NUMERIC, Operator.EQ, new BigDecimal("0.3")).test(0.1 + 0.2));
        // nanoseconds round to the microsecond, half to even
        PgType tz = new PgType(PgType.TIMESTAMPTZ, "timestamp with time zone");
        Instant micro = Instant.parse("2024-01-01T00:00:00.000001Z");
        assertTrue(p(tz, Operator.EQ, micro).test(Instant.parse("2024-01-01T00:00:00.0000006Z")));
        assertFalse(p(tz, Operator.LT, micro).test(Instant.parse("2024-01-01T00:00:00.0000006Z")));
        assertTrue(p(tz, Operator.EQ, Instant.parse("2024-01-01T00:00:00.000002Z"))
                .test(Instant.parse("2024-01-01T00:00:00.0000025Z")), "half to even");
        PgType time = new PgType(PgType.TIME, "time without time zone");
        assertTrue(p(time, Operator.EQ, java.time.LocalTime.MAX).test(java.time.LocalTime.parse("23:59:59.9999996")),
                "24:00:00");
        // a double into an integer column is rounded to even, and compared exactly as the bigint it becomes
        assertTrue(p(INT8, Operator.EQ, 2L).test(2.5));
        assertTrue(p(INT8, Operator.EQ, 4L).test(3.5));
        assertFalse(p(INT8, Operator.EQ, (1L << 53) + 1).test((double) (1L << 53)));
        // a float into numeric keeps 6 significant digits, as float4::numeric: 0.1f is stored as 0.1
        assertTrue(p(NUMERIC, Operator.EQ, new BigDecimal("0.1")).test(0.1f));
        // a BigDecimal into real is rounded once, to the nearest float: 1 + 2^-24 + 2^-60 is 1.0000001
        BigDecimal justAboveHalfway = BigDecimal.ONE.add(new BigDecimal(0x1p-24)).add(new BigDecimal(0x1p-60));
        assertFalse(qual(real, -1, Operator.EQ, 1.0, FLOAT8).predicate().test(justAboveHalfway));
        assertTrue(qual(real, -1, Operator.EQ, (double) Math.nextUp(1f), FLOAT8).predicate().test(justAboveHalfway));
        // a BigInteger into double precision is the double it becomes
        assertTrue(p(FLOAT8, Operator.EQ, 0x1p64).test(java.math.BigInteger.ONE.shiftLeft(64).add(java.math.BigInteger.ONE)));
        // infinity stays infinity
        PgType ts = new PgType(PgType.TIMESTAMP, "timestamp without time zone");
        assertTrue(p(ts, Operator.GT, java.time.LocalDateTime.parse("2020-01-01T00:00")).test(java.time.LocalDateTime.MAX));
        assertTrue(p(tz, Operator.GT, micro).test(Instant.MAX));
    }

    @Test
    void floatsOrderLikeFloat8() {
        assertTrue(p(FLOAT8, Operator.EQ, Double.NaN).test(Double.NaN), "NaN = NaN in PostgreSQL");
        assertTrue(p(FLOAT8, Operator.GT, Double.POSITIVE_INFINITY).test(Double.NaN), "NaN above infinity");
        assertTrue(p(FLOAT8, Operator.EQ, 0.0).test(-0.0), "-0 = 0");
        assertFalse(p(FLOAT8, Operator.LT, 0.0).test(-0.0));
    }

    @Test
    void numericInfinitiesLieBeyondEveryFiniteNumeric() {
        BigDecimal huge = new BigDecimal("1e400"); // infinite as a double
        assertFalse(p(NUMERIC, Operator.EQ, Double.POSITIVE_INFINITY).test(huge), "1e400 is not Infinity");
        assertFalse(p(NUMERIC, Operator.EQ, huge).test(Double.POSITIVE_INFINITY));
        assertTrue(p(NUMERIC, Operator.LT, Double.POSITIVE_INFINITY).test(huge));
        assertTrue(p(NUMERIC, Operator.GT, Double.NEGATIVE_INFINITY).test(huge.negate()));
        assertTrue(p(NUMERIC, Operator.GT, huge).test(Double.NaN), "NaN above every number");
        assertTrue(p(NUMERIC, Operator.GT, Double.POSITIVE_INFINITY).test(Double.NaN));
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            many.add(new BigDecimal(i));
        }
        many.add(Double.POSITIVE_INFINITY);
        Predicate<Object> in = qual(NUMERIC, -1, Operator.IN, many, NUMERIC).predicate();
        assertTrue(in.test(Double.POSITIVE_INFINITY));
        assertFalse(in.test(huge), "a long IN list orders 1e400 apart from Infinity too");
        assertTrue(in.test(new BigDecimal("7.0")));
    }

    @Test
    void textComparesInCodePointOrder() {
        String supplementary = new String(Character.toChars(0x1F600));
        // UTF-16 puts U+FFFD above a surrogate pair; UTF-8 bytes (and PostgreSQL's C collation) below
        assertTrue(p(TEXT, Operator.LT, supplementary).test("\uFFFD"));
        assertTrue(p(TEXT, Operator.LT, "ab").test("a"));
        assertTrue(p(TEXT, Operator.GT, "B").test("a"), "byte order: lower case after upper case");
    }

    @Test
    void inIgnoresNullsAndWorksForLongLists() {
        List<Object> small = Arrays.asList(1L, null, 3L);
        Predicate<Object> in = qual(INT8, -1, Operator.IN, small, INT8).predicate();
        assertTrue(in.test(3L));
        assertFalse(in.test(2L));
        List<Object> large = new ArrayList<>();
        for (long i = 0; i < 100; i += 2) {
            large.add(i);
        }
        Predicate<Object> inLarge = qual(INT8, -1, Operator.IN, large, INT8).predicate();
        assertTrue(inLarge.test(42L));
        assertFalse(inLarge.test(43L));
    }

    @Test
    void aLikePatternEndingInItsEscapeIsPostgresError() {
        FdwException e = assertThrows(FdwException.class, () -> Like.matcher("a\\", false));
        org.junit.jupiter.api.Assertions.assertEquals("22025", e.sqlState());
        assertTrue(Like.matcher("a\\\\", false).test("a\\"), "an escaped backslash is a backslash");
        // as PostgreSQL's filter: no error until there is a row to test
        Predicate<Object> like = p(TEXT, Operator.LIKE, "a\\");
        assertFalse(like.test(null));
        assertThrows(FdwException.class, () -> like.test("abc"));
    }

    /** ILIKE as under the C collation: ASCII letters fold, no other character does. */
    @Test
    void ilikeFoldsAsciiLettersOnly() {
        assertTrue(p(TEXT, Operator.ILIKE, "item-%").test("ITEM-1"));
        assertFalse(p(TEXT, Operator.ILIKE, "\u0130tem-1").test("item-1"), "İ is not i");
        assertFalse(p(TEXT, Operator.ILIKE, "\u00c9t\u00e9").test("\u00e9t\u00e9"), "É is not é");
        assertFalse(p(TEXT, Operator.ILIKE, "\u017f").test("s"), "long s is not s");
        assertTrue(p(TEXT, Operator.NOT_ILIKE, "\u00c9%").test("\u00e9"));
    }

    @Test
    void likeAndNotLike() {
        assertTrue(p(TEXT, Operator.LIKE, "a\\%b_").test("a%bc"));
        assertFalse(p(TEXT, Operator.LIKE, "a\\%b_").test("axbc"));
        assertTrue(p(TEXT, Operator.NOT_LIKE, "a%").test("ba"));
        assertFalse(p(TEXT, Operator.NOT_LIKE, "a%").test(null), "NOT LIKE on NULL is NULL");
    }

    @Test
    void uuidsCompareAsUnsignedBytes() {
        PgType uuid = new PgType(PgType.UUID, "uuid");
        UUID high = UUID.fromString("80000000-0000-0000-0000-000000000000");
        UUID low = UUID.fromString("7fffffff-0000-0000-0000-000000000000");
        assertTrue(p(uuid, Operator.GT, low).test(high));
    }

    @Test
    void onlyExactComparisonsAreTestable() {
        assertTrue(qual(INT8, -1, Operator.EQ, 1L, INT4).testable());
        assertFalse(qual(NUMERIC, (10 << 16 | 2) + 4, Operator.EQ, BigDecimal.ONE, NUMERIC).testable(),
                "numeric(10,2) rounds what it stores");
        assertTrue(qual(TEXT, -1, Operator.ILIKE, "a%", TEXT).testable(), "offered only under C's folding, which Like does");
        assertFalse(qual(new PgType(PgType.DATE, "date"), -1, Operator.LT,
                Instant.EPOCH, new PgType(PgType.TIMESTAMPTZ, "timestamptz")).testable(), "date < timestamptz");
        assertTrue(qual(new PgType(PgType.BPCHAR, "character"), 5, Operator.IS_NULL, null, null).testable());
        assertThrows(IllegalStateException.class,
                () -> qual(new PgType(PgType.BPCHAR, "character"), 5, Operator.EQ, "a", TEXT).predicate());
        assertTrue(QualPredicates.compare(LocalDate.of(2020, 1, 1), LocalDate.MAX) < 0,
                "infinity (LocalDate.MAX) is after every date");
    }

    /** EXPLAIN's "Pushed Down" spells values as PostgreSQL shows them. */
    @Test
    void qualsShowAsSql() {
        PgType date = new PgType(PgType.DATE, "date");
        assertEquals("(c = 'NaN')", qual(FLOAT8, -1, Operator.EQ, Double.NaN, FLOAT8).toString());
        assertEquals("(c IN (1.5, '-Infinity'))", qual(FLOAT8, -1, Operator.IN,
                List.of(1.5, Double.NEGATIVE_INFINITY), FLOAT8).toString());
        assertEquals("(c > 'infinity')", qual(date, -1, Operator.GT, LocalDate.MAX, date).toString());
        assertEquals("(c = 'it''s')", qual(TEXT, -1, Operator.EQ, "it's", TEXT).toString());
        assertEquals("(c = $?)", new Qual(new Column("c", 0, INT8, -1, Options.EMPTY), Operator.EQ, null, INT8, true)
                .toString());
    }
}
