package dev.jfdw.tests.connectors;

import dev.jfdw.api.Connector;
import dev.jfdw.api.OptionSpec;
import dev.jfdw.api.Row;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One row whose first column gets one Java value, named by the table option
 * {@code value}, through the setter a connector would use for it: how the
 * runtime takes values of one Java type into columns of every type.
 */
public final class ValuesConnector implements Connector {
    static final OptionSpec<String> VALUE = OptionSpec.string("value").required();

    private static final Map<String, BiConsumer<Row, Integer>> VALUES = Map.of(
            "offset_date_time", (r, c) -> r.setObject(c, OffsetDateTime.of(2024, 1, 1, 1, 0, 0, 0,
                    ZoneOffset.ofHours(5))),
            "zoned_date_time", (r, c) -> r.setObject(c, ZonedDateTime.of(2024, 7, 1, 23, 30, 0, 0,
                    ZoneId.of("America/New_York"))),
            "float", (r, c) -> r.setObject(c, 1.1f),
            "decimal", (r, c) -> r.setBigDecimal(c, new BigDecimal("1.0000000596046447753906251")),
            "interval", (r, c) -> r.setInterval(c, -1, 2, 3),
            "period", (r, c) -> r.setObject(c, Period.of(0, -1, 2)),
            "huge_period", (r, c) -> r.setObject(c, Period.ofYears(200_000_000)),
            "huge_days", (r, c) -> r.setDateEpochDays(c, Long.MAX_VALUE / 2),
            "before_timestamps", (r, c) -> r.setTimestamp(c, LocalDateTime.of(-4713, 11, 23, 23, 59, 59,
                    600_000_000)));

    @Override
    public String name() {
        return "values";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(VALUE);
    }

    @Override
    public Scan openScan(ScanContext context) {
        BiConsumer<Row, Integer> value = VALUES.get(context.options().get(VALUE));
        if (value == null) {
            throw new IllegalArgumentException("no value " + context.options().get(VALUE) + ": " + VALUES.keySet());
        }
        return rows -> {
            value.accept(rows.add(), 0);
            return false;
        };
    }
}
