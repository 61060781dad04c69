package dev.jfdw.tests.connectors;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jfdw.api.ColumnBatch;
import dev.jfdw.api.ColumnBatch.Encoding;
import dev.jfdw.api.Connector;
import dev.jfdw.api.OptionScope;
import dev.jfdw.api.OptionSpec;
import dev.jfdw.api.Row;
import dev.jfdw.api.Rows;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import dev.jfdw.api.ScanPlan;
import dev.jfdw.api.ScanRequest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Batches of three kinds in turn, in one scan: column vectors with one
 * column written row by row, column vectors only, and rows written one by
 * one. What the glue keeps of a batch must not show in the next. Table
 * (id int8, val int8, tag text), rows id = 1..count: val = id * 10, NULL
 * when id % 3 = 0; tag = 'c' || id in batches of the first kind (written
 * row by row within them), else NULL. Row batches leave val and tag unset
 * where they are NULL, and are preceded by an empty column batch, after
 * which the rows go into the same batch.
 */
public final class MixedBatchesConnector implements Connector {
    static final OptionSpec<Long> COUNT = OptionSpec.integer("count", 0, 1_000_000).in(OptionScope.TABLE).required();
    private static final int VECTOR = 100;

    @Override
    public String name() {
        return "mixed";
    }

    @Override
    public List<OptionSpec<?>> options() {
        return List.of(COUNT);
    }

    @Override
    public ScanPlan planScan(ScanRequest request) {
        return ScanPlan.estimate(request.options().get(COUNT));
    }

    @Override
    public Scan openScan(ScanContext context) {
        long count = context.options().get(COUNT);
        int id = context.table().column("id").index();
        int val = context.table().column("val").index();
        int tag = context.table().column("tag").index();
        Arena arena = Arena.ofConfined();
        MemorySegment ids = arena.allocate(8L * VECTOR, 8);
        MemorySegment vals = arena.allocate(8L * VECTOR, 8);
        MemorySegment validity = arena.allocate(VECTOR / 8 + 1);
        return new Scan() {
            long done;
            int kind;
            boolean handedEmpty;

            @Override
            public boolean next(Rows rows) {
                if (kind < 2) {
                    int n = (int) Math.min(VECTOR, count - done);
                    validity.fill((byte) 0);
                    for (int r = 0; r < n; r++) {
                        long v = done + r + 1;
                        ids.setAtIndex(JAVA_LONG, r, v);
                        vals.setAtIndex(JAVA_LONG, r, v % 3 == 0 ? -1 : v * 10);
                        if (v % 3 != 0) {
                            validity.set(JAVA_BYTE, r >> 3, (byte) (validity.get(JAVA_BYTE, r >> 3) | 1 << (r & 7)));
                        }
                    }
                    ColumnBatch batch = rows.columns(0, n);
                    batch.setValues(id, Encoding.INT64, ids, MemorySegment.NULL);
                    batch.setValues(val, Encoding.INT64, vals, validity);
                    for (int r = 0; kind == 0 && r < batch.size(); r++) {
                        batch.row(r).setString(tag, "c" + (done + r + 1));
                    }
                    done += batch.size();
                } else {
                    if (!handedEmpty) {
                        rows.columns((int) done, 0);
                        handedEmpty = true;
                        return true;
                    }
                    handedEmpty = false;
                    while (done < count && !rows.full()) {
                        long v = ++done;
                        Row row = rows.add();
                        row.setLong(id, v);
                        if (v % 3 != 0) {
                            row.setLong(val, v * 10);
                        }
                    }
                }
                kind = (kind + 1) % 3;
                return done < count;
            }

            @Override
            public boolean rescan() {
                done = 0;
                kind = 0;
                handedEmpty = false;
                return true;
            }

            @Override
            public void close() {
                arena.close();
            }
        };
    }
}
