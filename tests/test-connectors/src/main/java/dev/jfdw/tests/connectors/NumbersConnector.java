package dev.jfdw.tests.connectors;

import dev.jfdw.api.Column;
import dev.jfdw.api.Connector;
import dev.jfdw.api.Explain;
import dev.jfdw.api.FdwException;
import dev.jfdw.api.ForeignTableDefinition;
import dev.jfdw.api.ForeignTableDefinition.ColumnDefinition;
import dev.jfdw.api.ImportRequest;
import dev.jfdw.api.Like;
import dev.jfdw.api.Operator;
import dev.jfdw.api.OptionScope;
import dev.jfdw.api.OptionSpec;
import dev.jfdw.api.Qual;
import dev.jfdw.api.Row;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import dev.jfdw.api.ScanPlan;
import dev.jfdw.api.ScanRequest;
import dev.jfdw.api.SortKey;
import dev.jfdw.api.SqlState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * Exercises the whole Connector SPI: the rows id = 1..count with columns
 * derived from id, where the connector itself applies the quals on id and
 * label, returns rows in id order either way, stops at the limit, and
 * counts what it produced so that tests can tell its filtering from
 * PostgreSQL's.
 *
 * <p>Columns, by name: id int8, grp int (id % 7), label text ("item-" || id),
 * flag bool (id is even), note text (NULL when id % 5 = 0, else "n" || id).
 */
public final class NumbersConnector implements Connector {
    static final OptionSpec<Long> COUNT = OptionSpec.integer("count", 0, 1_000_000_000)
            .in(OptionScope.TABLE).required().describedAs("Rows 1..count.");
    static final OptionSpec<Long> SCALE = OptionSpec.integer("scale", 0, 1_000_000)
            .in(OptionScope.IMPORT).defaultsTo(10L).describedAs("The count of imported tables.");

    private static final Set<Operator> ON_ID = Set.of(Operator.EQ, Operator.NE, Operator.LT, Operator.LE,
            Operator.GT, Operator.GE, Operator.IN, Operator.IS_NULL, Operator.IS_NOT_NULL);
    private static final Set<Operator> ON_LABEL = Set.of(Operator.EQ, Operator.LT, Operator.GE, Operator.LIKE,
            Operator.NOT_LIKE, Operator.ILIKE, Operator.NOT_ILIKE);

    @Override
    public String name() {
        return "numbers";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(COUNT, SCALE);
    }

    private static boolean handles(Qual q) {
        return switch (q.column().name()) {
            case "id" -> ON_ID.contains(q.operator());
            case "label" -> ON_LABEL.contains(q.operator());
            case "flag" -> q.operator() == Operator.EQ;
            default -> false;
        };
    }

    @Override
    public ScanPlan planScan(ScanRequest request) {
        List<Qual> handled = request.quals().stream().filter(NumbersConnector::handles).toList();
        double rows = request.options().get(COUNT);
        for (Qual q : handled) {
            if (q.column().name().equals("id") && q.operator() == Operator.EQ) {
                rows = 1;
            }
        }
        // rows come in id order, ascending or descending as asked
        List<SortKey> keys = request.sortKeys();
        boolean byId = keys.size() == 1 && keys.getFirst().column().name().equals("id");
        byte[] state = {(byte) (byId && keys.getFirst().descending() ? 1 : 0)};
        return ScanPlan.estimate(rows).withHandledQuals(handled).withSorted(byId).withState(state);
    }

    @Override
    public Scan openScan(ScanContext context) {
        return new NumbersScan(context);
    }

    private static final class NumbersScan implements Scan {
        private final ScanContext context;
        private final long count;
        private final boolean descending;
        private LongPredicate matches;
        private long next;
        private long produced;
        private long examined;
        private int scans;

        NumbersScan(ScanContext context) {
            this.context = context;
            this.count = context.options().get(COUNT);
            this.descending = context.planState()[0] == 1;
            start();
        }

        /** The quals' values are fresh at each (re)scan: a nested loop's parameters change. */
        private void start() {
            matches = id -> true;
            for (Qual q : context.quals()) {
                matches = matches.and(test(q));
            }
            next = descending ? count : 1;
            scans++;
        }

        private static LongPredicate test(Qual q) {
            return switch (q.column().name()) {
                case "id" -> idTest(q);
                case "label" -> labelTest(q);
                default -> id -> (id % 2 == 0) == (Boolean) q.value();
            };
        }

        private static LongPredicate idTest(Qual q) {
            Object v = q.value();
            return switch (q.operator()) {
                case IS_NULL -> id -> false;
                case IS_NOT_NULL -> id -> true;
                case IN -> {
                    List<Object> values = q.values();
                    yield id -> values.stream().anyMatch(x -> x != null && ((Number) x).longValue() == id);
                }
                default -> {
                    if (v == null) {
                        yield id -> false;
                    }
                    long x = ((Number) v).longValue();
                    yield switch (q.operator()) {
                        case EQ -> id -> id == x;
                        case NE -> id -> id != x;
                        case LT -> id -> id < x;
                        case LE -> id -> id <= x;
                        case GT -> id -> id > x;
                        default -> id -> id >= x;
                    };
                }
            };
        }

        private static LongPredicate labelTest(Qual q) {
            if (q.value() == null) {
                return id -> false;
            }
            String v = (String) q.value();
            Predicate<String> p = switch (q.operator()) {
                case EQ -> v::equals;
                // PostgreSQL offers range quals on text only under C ordering, which compareTo matches for ASCII
                case LT -> x -> x.compareTo(v) < 0;
                case GE -> x -> x.compareTo(v) >= 0;
                case LIKE -> Like.matcher(v, false);
                case ILIKE -> Like.matcher(v, true);
                case NOT_LIKE -> Like.matcher(v, false).negate();
                default -> Like.matcher(v, true).negate();
            };
            return id -> p.test("item-" + id);
        }

        @Override
        public boolean next(Rows rows) {
            long limit = context.limit().orElse(Long.MAX_VALUE);
            while (!rows.full() && next >= 1 && next <= count && produced < limit) {
                long id = next;
                next += descending ? -1 : 1;
                examined++;
                if (!matches.test(id)) {
                    continue;
                }
                produced++;
                Row row = rows.add();
                for (Column c : context.columns()) {
                    switch (c.name()) {
                        case "id" -> row.setLong(c.index(), id);
                        case "grp" -> row.setLong(c.index(), id % 7);
                        case "label" -> row.setString(c.index(), "item-" + id);
                        case "flag" -> row.setBoolean(c.index(), id % 2 == 0);
                        case "note" -> row.setString(c.index(), id % 5 == 0 ? null : "n" + id);
                        default -> { }
                    }
                }
            }
            return next >= 1 && next <= count && produced < limit;
        }

        @Override
        public boolean rescan() {
            start();
            return true;
        }

        @Override
        public void explain(Explain explain) {
            explain.property("Order", descending ? "id descending" : "id ascending");
            if (explain.analyze()) {
                explain.property("Rows Examined", examined, null);
                explain.property("Rows Produced", produced, null);
                explain.property("Scans", scans, null);
            }
        }
    }

    /** Three tables of schema "demo": "small", "big" and "odd name", sized by the IMPORT option scale. */
    @Override
    public List<ForeignTableDefinition> importSchema(ImportRequest request) {
        if (!request.remoteSchema().equals("demo")) {
            throw new FdwException(SqlState.FDW_SCHEMA_NOT_FOUND,
                    "schema \"" + request.remoteSchema() + "\" does not exist")
                    .withHint("The numbers connector has one schema, \"demo\".");
        }
        long count = request.importOptions().get(SCALE);
        List<ColumnDefinition> columns = List.of(new ColumnDefinition("id", "int8", Map.of()),
                new ColumnDefinition("label", "text", Map.of()), new ColumnDefinition("Note's", "text", Map.of()));
        List<ForeignTableDefinition> tables = new ArrayList<>();
        for (String name : List.of("small", "big", "odd name")) {
            long n = name.equals("big") ? count * 1000 : count;
            tables.add(new ForeignTableDefinition(name, columns, Map.of("count", Long.toString(n))));
        }
        return tables;
    }
}
