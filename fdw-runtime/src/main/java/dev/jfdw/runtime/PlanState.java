package dev.jfdw.runtime;

import dev.jfdw.api.Operator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the runtime keeps in a plan (fdw_private) besides the connector's own
 * state: the columns needed, the quals the connector handles (their values
 * are expressions in fdw_exprs, evaluated at execution), and whether the scan
 * may stop after a LIMIT. Bytes, so that the plan stays copyable.
 *
 * @param columns        attnums the query needs
 * @param quals          quals the connector handles
 * @param limit          rows after which the scan may stop, or -1
 * @param connectorState the connector's plan state
 */
record PlanState(int[] columns, List<PlannedQual> quals, long limit, byte[] connectorState) {
    private static final int FORMAT = 2;

    /**
     * A handled qual: its column, operator, value (fdw_exprs index, -1 for
     * none; the value's type, for an array its elements'; whether it is an
     * array), and how EXPLAIN shows it.
     */
    record PlannedQual(int attnum, Operator operator, int exprIndex, int valueType, String valueTypeName,
                       boolean array, boolean parameter, String display) {}

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeInt(columns.length);
            for (int c : columns) {
                out.writeInt(c);
            }
            out.writeInt(quals.size());
            for (PlannedQual q : quals) {
                out.writeInt(q.attnum());
                out.writeUTF(q.operator().name());
                out.writeInt(q.exprIndex());
                out.writeInt(q.valueType());
                out.writeUTF(q.valueTypeName());
                out.writeBoolean(q.array());
                out.writeBoolean(q.parameter());
                // not writeUTF: a qual's text (a long IN list) may pass its 64 kB
                byte[] display = q.display().getBytes(StandardCharsets.UTF_8);
                out.writeInt(display.length);
                out.write(display);
            }
            out.writeLong(limit);
            out.writeInt(connectorState.length);
            out.write(connectorState);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static PlanState decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalStateException("plan made by another jfdw version (format " + format + ")");
            }
            int[] columns = new int[in.readInt()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = in.readInt();
            }
            int n = in.readInt();
            List<PlannedQual> quals = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                quals.add(new PlannedQual(in.readInt(), Operator.valueOf(in.readUTF()), in.readInt(), in.readInt(),
                        in.readUTF(), in.readBoolean(), in.readBoolean(),
                        new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8)));
            }
            long limit = in.readLong();
            byte[] state = new byte[in.readInt()];
            in.readFully(state);
            return new PlanState(columns, quals, limit, state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
