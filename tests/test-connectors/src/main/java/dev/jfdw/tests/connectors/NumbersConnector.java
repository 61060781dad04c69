package dev.jfdw.tests.connectors;

import dev.jfdw.api.Column;
import dev.jfdw.api.Connector;
import dev.jfdw.api.Explain;
import dev.jfdw.api.FdwException;
import dev.jfdw.api.ForeignTableDefinition;
import dev.jfdw.api.ForeignTableDefinition.ColumnDefinition;
import dev.jfdw.api.ImportRequest;
import dev.jfdw.api.OptionScope;
import dev.jfdw.api.OptionSpec;
import dev.jfdw.api.Options;
import dev.jfdw.api.Qual;
import dev.jfdw.api.Row;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import dev.jfdw.api.ScanPlan;
import dev.jfdw.api.ScanRequest;
import dev.jfdw.api.SortKey;
import dev.jfdw.api.SqlState;
import dev.jfdw.api.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * Exercises the whole Connector SPI: the rows id = 1..count with columns
 * derived from id, where the connector itself applies the quals on id,
 * label and flag, returns rows in id order either way, stops at the limit, and
 * counts what it produced so that tests can tell its filtering from
 * PostgreSQL's.
 *
 * <p>Columns, by name: id int8, grp int (id % 7), label text ("item-" || id),
 * flag bool (id is even), note text (NULL when id % 5 = 0, else "n" || id),
 * token_length int (the length of the user mapping's token, 0 if none).
 */
public final class NumbersConnector implements Connector {
    static final OptionSpec<Long> COUNT = OptionSpec.integer("count", 0, 1_000_000_000)
            .in(OptionScope.TABLE).required().describedAs("Rows 1..count.");
    static final OptionSpec<Long> SCALE = OptionSpec.integer("scale", 0, 1_000_000)
            .in(OptionScope.IMPORT).defaultsTo(10L).describedAs("The count of imported tables.");

    /** A row width the connector states instead of PostgreSQL's estimate (0: PostgreSQL's). */
    static final OptionSpec<Long> WIDTH = OptionSpec.integer("row_width", 0, 1_000_000)
            .in(OptionScope.TABLE).defaultsTo(0L);

    /** A password-like option, and a table option that makes the connector leak it, on purpose. */
    static final OptionSpec<String> TOKEN = OptionSpec.custom("token", "a token of 8 characters or more", s -> {
        if (s.length() < 8) {
            throw new IllegalArgumentException("Expected at least 8 characters.");
        }
        return s;
    }).in(OptionScope.USER_MAPPING).secret();
    static final OptionSpec<Boolean> LEAK = OptionSpec.bool("leak_token").in(OptionScope.TABLE).defaultsTo(false);

    /** Whether ANALYZE may read the table. */
    static final OptionSpec<Boolean> ANALYZABLE = OptionSpec.bool("analyzable").in(OptionScope.TABLE).defaultsTo(true);

    /** The columns whose quals it applies, with {@link Qual#predicate()}. */
    private static final Set<String> FILTERED = Set.of("id", "label", "flag");

    @Override
    public String name() {
        return "numbers";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(COUNT, SCALE, WIDTH, TOKEN, LEAK, ANALYZABLE);
    }

    @Override
    public boolean analyzable(Table table, Options options) {
        return options.get(ANALYZABLE);
    }

    private static boolean handles(Qual q) {
        return FILTERED.contains(q.column().name()) && q.testable();
    }

    @Override
    public ScanPlan planScan(ScanRequest request) {
        List<Qual> handled = request.quals().stream().filter(NumbersConnector::handles).toList();
        double rows = request.options().get(COUNT) * request.selectivity(handled);
        // rows come in id order, ascending or descending as asked
        List<SortKey> keys = request.sortKeys();
        boolean byId = keys.size() == 1 && keys.getFirst().column().name().equals("id");
        byte[] state = {(byte) (byId && keys.getFirst().descending() ? 1 : 0)};
        return ScanPlan.estimate(rows).withHandledQuals(handled).withSorted(byId).withState(state)
                .withWidth(Math.toIntExact(request.options().get(WIDTH)));
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
        /** Rows produced since the last (re)scan: the limit counts per pass. */
        private long producedInPass;
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
                Predicate<Object> p = q.predicate();
                LongPredicate test = switch (q.column().name()) {
                    case "id" -> id -> p.test(id);
                    case "label" -> id -> p.test("item-" + id);
                    default -> id -> p.test(id % 2 == 0);
                };
                matches = matches.and(test);
            }
            next = descending ? count : 1;
            producedInPass = 0;
            scans++;
        }

        @Override
        public boolean next(Rows rows) {
            if (context.options().get(LEAK)) {
                throw new FdwException(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                        "token " + context.options().get(TOKEN) + " was refused")
                        .withDetail("Tried " + context.options().get(TOKEN) + ".");
            }
            long limit = context.limit().orElse(Long.MAX_VALUE);
            while (!rows.full() && next >= 1 && next <= count && producedInPass < limit) {
                long id = next;
                next += descending ? -1 : 1;
                examined++;
                if (!matches.test(id)) {
                    continue;
                }
                produced++;
                producedInPass++;
                Row row = rows.add();
                for (Column c : context.columns()) {
                    switch (c.name()) {
                        case "id" -> row.setLong(c.index(), id);
                        case "grp" -> row.setLong(c.index(), id % 7);
                        case "label" -> row.setString(c.index(), "item-" + id);
                        case "flag" -> row.setBoolean(c.index(), id % 2 == 0);
                        case "note" -> row.setString(c.index(), id % 5 == 0 ? null : "n" + id);
                        // whose user mapping the scan got, without showing its secret
                        case "token_length" -> row.setLong(c.index(),
                                context.options().isSet(TOKEN) ? context.options().get(TOKEN).length() : 0);
                        default -> { }
                    }
                }
            }
            return next >= 1 && next <= count && producedInPass < limit;
        }

        @Override
        public boolean rescan() {
            start();
            return true;
        }

        @Override
        public void explain(Explain explain) {
            explain.property("Order", descending ? "id descending" : "id ascending");
            if (context.options().get(LEAK)) {
                explain.property("Token", context.options().get(TOKEN));
            }
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
