package dev.jfdw.api;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** {@link Qual#testable()} and {@link Qual#predicate()}: PostgreSQL's comparisons, in Java. */
final class QualPredicates {
    private QualPredicates() {}

    private enum Kind { NUMBER, TEXT, BOOL, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, UUID }

    private static final Set<Operator> LIKES = Set.of(Operator.LIKE, Operator.NOT_LIKE, Operator.ILIKE,
            Operator.NOT_ILIKE);

    /** The kind of a type, or null when its values are not compared here. */
    private static Kind kind(int oid, int typmod) {
        boolean plain = typmod < 0;
        return switch (oid) {
            case PgType.INT2, PgType.INT4, PgType.INT8, PgType.FLOAT4, PgType.FLOAT8 -> Kind.NUMBER;
            case PgType.NUMERIC -> plain ? Kind.NUMBER : null;
            case PgType.TEXT -> Kind.TEXT;
            case PgType.VARCHAR -> plain ? Kind.TEXT : null;
            case PgType.BOOL -> Kind.BOOL;
            case PgType.DATE -> Kind.DATE;
            case PgType.TIME -> plain ? Kind.TIME : null;
            case PgType.TIMESTAMP -> plain ? Kind.TIMESTAMP : null;
            case PgType.TIMESTAMPTZ -> plain ? Kind.TIMESTAMPTZ : null;
            case PgType.UUID -> Kind.UUID;
            default -> null;
        };
    }

    static boolean testable(Qual q) {
        if (q.operator() == Operator.IS_NULL || q.operator() == Operator.IS_NOT_NULL) {
            return true;
        }
        Kind column = kind(q.column().type().oid(), q.column().typmod());
        if (column == null || q.valueType() == null || kind(q.valueType().oid(), -1) != column) {
            return false;
        }
        // ILIKE reaches a connector only under C's case folding (ASCII letters), which Like reproduces
        return !LIKES.contains(q.operator()) || column == Kind.TEXT;
    }

    static Predicate<Object> predicate(Qual q) {
        Predicate<Object> test = test(q);
        UnaryOperator<Object> stored = stored(q.column().type().oid());
        return stored == null ? test : v -> test.test(stored.apply(v));
    }

    /**
     * What the Row setters store of a connector's value in a column of this
     * type, where that differs from the value (null: the same): the qual
     * must test what PostgreSQL would read back. A real keeps a float's
     * precision, numeric 15 significant digits of a double and 6 of a float
     * (as the casts), integers a float rounded to even, times microseconds
     * (nanoseconds rounded half to even).
     */
    private static UnaryOperator<Object> stored(int type) {
        return switch (type) {
            case PgType.INT2, PgType.INT4, PgType.INT8 -> v -> switch (v) {
                case Double d when Math.abs(d) < 0x1p63 -> (long) Math.rint(d);
                case Float f when Math.abs(f) < 0x1p63 -> (long) Math.rint(f);
                case BigDecimal d -> d.setScale(0, RoundingMode.HALF_UP);
                case null, default -> v;
            };
            case PgType.FLOAT4 -> v -> switch (v) {
                case Float f -> f;
                case Long l -> (double) (float) l.longValue();
                // rounded once, to a float, as the setter does (through a double would round twice)
                case BigDecimal d -> (double) d.floatValue();
                case BigInteger i -> (double) i.floatValue();
                case Number n -> (double) (float) n.doubleValue();
                case null, default -> v;
            };
            case PgType.FLOAT8 -> v -> switch (v) {
                case BigDecimal d -> d.doubleValue();
                case BigInteger i -> i.doubleValue();
                case Long l -> (double) l;
                case null, default -> v;
            };
            case PgType.NUMERIC -> v -> switch (v) {
                case Double d when Double.isFinite(d) -> new BigDecimal(d).round(FLOAT8_DIGITS);
                // as float4::numeric: 6 significant digits
                case Float f when Float.isFinite(f) -> new BigDecimal(f).round(FLOAT4_DIGITS);
                case null, default -> v;
            };
            case PgType.TIME -> v -> switch (v) {
                case LocalTime t when t.getNano() % 1000 != 0 && !t.equals(LocalTime.MAX) -> {
                    long micros = t.toNanoOfDay() / 1000 + roundingUp(t.getNano());
                    yield micros == 86_400_000_000L ? LocalTime.MAX : LocalTime.ofNanoOfDay(micros * 1000);
                }
                case null, default -> v;
            };
            case PgType.TIMESTAMP -> v -> switch (v) {
                case LocalDateTime t when t.getNano() % 1000 != 0 && !t.equals(LocalDateTime.MAX) ->
                        t.withNano(t.getNano() / 1000 * 1000).plusNanos(roundingUp(t.getNano()) * 1000);
                case null, default -> v;
            };
            case PgType.TIMESTAMPTZ -> v -> switch (v) {
                case Instant t when t.getNano() % 1000 != 0 && !t.equals(Instant.MAX) ->
                        t.minusNanos(t.getNano() % 1000).plusNanos(roundingUp(t.getNano()) * 1000);
                case null, default -> v;
            };
            default -> null;
        };
    }

    /** float8 to numeric keeps 15 significant digits (DBL_DIG), float4 to numeric 6 (FLT_DIG). */
    private static final MathContext FLOAT8_DIGITS = new MathContext(15, RoundingMode.HALF_EVEN);
    private static final MathContext FLOAT4_DIGITS = new MathContext(6, RoundingMode.HALF_EVEN);

    /** 1 if nanoseconds round up to the next microsecond, half to even, as PostgreSQL rounds fractions. */
    private static long roundingUp(int nano) {
        int r = nano % 1000;
        return r > 500 || r == 500 && (nano / 1000 & 1) == 1 ? 1 : 0;
    }

    private static Predicate<Object> test(Qual q) {
        Object value = q.value();
        return switch (q.operator()) {
            case IS_NULL -> Objects::isNull;
            case IS_NOT_NULL -> Objects::nonNull;
            case IN -> in(q.values());
            case LIKE, NOT_LIKE, ILIKE, NOT_ILIKE -> {
                if (value == null) {
                    yield v -> false;
                }
                boolean negated = q.operator() == Operator.NOT_LIKE || q.operator() == Operator.NOT_ILIKE;
                yield new LazyLike((String) value, q.operator() == Operator.ILIKE
                        || q.operator() == Operator.NOT_ILIKE, negated);
            }
            default -> {
                if (value == null) {
                    yield v -> false;
                }
                yield switch (q.operator()) {
                    case EQ -> v -> v != null && compare(v, value) == 0;
                    case NE -> v -> v != null && compare(v, value) != 0;
                    case LT -> v -> v != null && compare(v, value) < 0;
                    case LE -> v -> v != null && compare(v, value) <= 0;
                    case GT -> v -> v != null && compare(v, value) > 0;
                    default -> v -> v != null && compare(v, value) >= 0;
                };
            }
        };
    }

    /**
     * A LIKE compiled at the first value it tests: a bad pattern (one ending
     * in its escape) is an error where PostgreSQL would meet it, at a row,
     * and not in a scan that has none.
     */
    private static final class LazyLike implements Predicate<Object> {
        private final String pattern;
        private final boolean caseInsensitive;
        private final boolean negated;
        private Predicate<String> like;

        LazyLike(String pattern, boolean caseInsensitive, boolean negated) {
            this.pattern = pattern;
            this.caseInsensitive = caseInsensitive;
            this.negated = negated;
        }

        @Override
        public boolean test(Object v) {
            if (v == null) {
                return false;
            }
            if (like == null) {
                like = Like.matcher(pattern, caseInsensitive);
            }
            return like.test((String) v) != negated;
        }
    }

    private static Predicate<Object> in(List<Object> values) {
        List<Object> present = new ArrayList<>();
        for (Object v : values) {
            if (v != null) {
                present.add(v);
            }
        }
        if (present.size() <= 8) {
            return v -> {
                if (v != null) {
                    for (Object x : present) {
                        if (compare(v, x) == 0) {
                            return true;
                        }
                    }
                }
                return false;
            };
        }
        TreeSet<Object> set = new TreeSet<>(QualPredicates::compare);
        set.addAll(present);
        return v -> v != null && set.contains(v);
    }

    /** PostgreSQL's ordering of two non-null values of one kind. */
    static int compare(Object a, Object b) {
        return switch (a) {
            case Number x when b instanceof Number y -> compareNumbers(x, y);
            case String x when b instanceof String y -> compareText(x, y);
            case Boolean x when b instanceof Boolean y -> Boolean.compare(x, y);
            case LocalDate x when b instanceof LocalDate y -> x.compareTo(y);
            case LocalDateTime x when b instanceof LocalDateTime y -> x.compareTo(y);
            case Instant x when b instanceof Instant y -> x.compareTo(y);
            case LocalTime x when b instanceof LocalTime y -> x.compareTo(y);
            case UUID x when b instanceof UUID y -> {
                int c = Long.compareUnsigned(x.getMostSignificantBits(), y.getMostSignificantBits());
                yield c != 0 ? c : Long.compareUnsigned(x.getLeastSignificantBits(), y.getLeastSignificantBits());
            }
            default -> throw new IllegalArgumentException("cannot compare a column value of " + a.getClass().getName()
                    + " with a qual value of " + b.getClass().getName());
        };
    }

    private static boolean floating(Number n) {
        return n instanceof Double || n instanceof Float;
    }

    /**
     * As PostgreSQL compares across numeric types: in float8 if either side
     * is a float, else exactly. A numeric's NaN and infinities are Doubles:
     * against a BigDecimal they order as numeric says, beyond every finite
     * value (1e400 is one, though it is infinite as a double).
     */
    private static int compareNumbers(Number a, Number b) {
        if (floating(a) != floating(b) && (a instanceof BigDecimal || b instanceof BigDecimal)) {
            double special = (floating(a) ? a : b).doubleValue();
            if (!Double.isFinite(special)) {
                int c = Double.isNaN(special) || special > 0 ? 1 : -1;
                return floating(a) ? c : -c;
            }
        }
        if (floating(a) || floating(b)) {
            return compareFloats(a.doubleValue(), b.doubleValue());
        }
        if (a instanceof BigDecimal || b instanceof BigDecimal || a instanceof BigInteger || b instanceof BigInteger) {
            return decimal(a).compareTo(decimal(b));
        }
        return Long.compare(a.longValue(), b.longValue());
    }

    private static BigDecimal decimal(Number n) {
        return switch (n) {
            case BigDecimal d -> d;
            case BigInteger i -> new BigDecimal(i);
            default -> BigDecimal.valueOf(n.longValue());
        };
    }

    /** float8's order: NaN equals NaN and sorts above everything; -0 equals 0. */
    private static int compareFloats(double a, double b) {
        boolean nanA = Double.isNaN(a);
        boolean nanB = Double.isNaN(b);
        if (nanA || nanB) {
            return nanA == nanB ? 0 : nanA ? 1 : -1;
        }
        return a < b ? -1 : a > b ? 1 : 0;
    }

    /** Code point order, which is UTF-8 byte order (the C collation): UTF-16 order but for surrogates. */
    static int compareText(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                boolean sx = Character.isSurrogate(x);
                boolean sy = Character.isSurrogate(y);
                // a supplementary character is above every BMP one, even those above the surrogates
                return sx == sy ? Character.compare(x, y) : sx ? 1 : -1;
            }
        }
        return Integer.compare(a.length(), b.length());
    }
}
