package dev.jfdw.testkit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.postgresql.util.PSQLException;

/** Small JDBC helpers for connector tests. */
public final class Sql {
    private Sql() {}

    public static void execute(Connection c, String... statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** Every row, each as a list of column values in their text form (SQL NULL as null). */
    public static List<List<String>> rows(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    /** The single value of a one-row, one-column query, as text. */
    public static String value(Connection c, String sql) throws SQLException {
        List<List<String>> rows = rows(c, sql);
        if (rows.size() != 1 || rows.getFirst().size() != 1) {
            throw new AssertionError("expected one value from " + sql + ", got " + rows);
        }
        return rows.getFirst().getFirst();
    }

    /**
     * The text of {@code EXPLAIN (options) query}, one line per plan line:
     * {@code plan(c, "ANALYZE, VERBOSE", "SELECT ...")}. Options may be empty.
     */
    public static String plan(Connection c, String options, String query) throws SQLException {
        String explain = options.isBlank() ? "EXPLAIN " : "EXPLAIN (" + options + ") ";
        return String.join("\n", rows(c, explain + query).stream().map(List::getFirst).toList());
    }

    public static long longValue(Connection c, String sql) throws SQLException {
        return Long.parseLong(value(c, sql));
    }

    /**
     * Runs {@code sql}, which must fail with {@code sqlState}; returns the
     * error for further checks (message, detail, hint).
     */
    public static PSQLException expectError(Connection c, String sqlState, String sql) {
        try (Statement s = c.createStatement()) {
            return expectError(s, sqlState, sql);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** As {@link #expectError(Connection, String, String)}, on a given statement (which a test may cancel). */
    public static PSQLException expectError(Statement s, String sqlState, String sql) {
        try {
            s.execute(sql);
        } catch (PSQLException e) {
            if (!sqlState.equals(e.getSQLState())) {
                throw new AssertionError("expected SQLSTATE " + sqlState + " from " + sql + ", got "
                        + e.getSQLState() + ": " + e.getMessage(), e);
            }
            return e;
        } catch (SQLException e) {
            throw new AssertionError("expected a PostgreSQL error from " + sql + ", got " + e, e);
        }
        throw new AssertionError("expected SQLSTATE " + sqlState + " from " + sql + ", but it succeeded");
    }

    /** The messages of the NOTICEs and WARNINGs the statement's last query received, in order. */
    public static List<String> notices(Statement s) throws SQLException {
        List<String> notices = new ArrayList<>();
        for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
            notices.add(w.getMessage());
        }
        return notices;
    }

    public static List<String> row(String... values) {
        return Arrays.asList(values);
    }
}
