package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * MariaDB: a run of updates by primary key to one table as one statement per {@value #ROWS} rows instead of a statement
 * per row: the rows' values as a table value constructor joined to the table by its key,
 * {@code UPDATE (WITH v (c1, ..., k1, ...) AS (VALUES (?, ...), ...) SELECT * FROM v) AS u STRAIGHT_JOIN t AS w
 * ON w.K1 = u.k1 ... SET w.C1 = u.c1, ..., w.ADDED = DEFAULT}. The driver's rewritten batch sends the per-row statements in
 * one round trip, but the server still parses, plans and runs each (3,000 updates of UM_USER_ATTRIBUTE on this machine:
 * 1.3-2.5 s as a rewritten batch, 0.6-1.1 s joined; docs/benchmark.md, branch s27-mypass).
 *
 * <p>Why the same rows result: each value is bound exactly as the row's own statement binds it (the driver renders the
 * same literal), and goes into the column by assignment, as {@code SET C = ?} does (an over-long value fails as it
 * would there). The join is on key columns that are all integers (no collation between the derived column and the
 * table's), with distinct keys (a pass's changes are one per key), none NULL, so each row of the run finds at most its
 * own row. The driver reports found rows (not only changed ones: Connector/J's default), so a count below the rows
 * given means staging lacks some key: the caller then undoes the run and replays it row by row, which reports each
 * row's count (a conflict), as for a failure (a unique key of staging's own row), which names its row.
 */
final class GroupedUpdates {
    /** Rows per statement. */
    static final int ROWS = 1000;
    /**
     * Characters of values per statement, at most: a quarter of the server's max_allowed_packet (a string's literal may
     * take up to 4 bytes a character, a byte's 2 escaped) and never above 4 MB; a row above it runs on its own statement.
     */
    private final long maxChars;

    private GroupedUpdates(long maxChars) {
        this.maxChars = maxChars;
    }

    /** For this staging connection: its server's packet limit read once. */
    static GroupedUpdates of(Connection staging) throws SQLException {
        long packet = 4L << 20;
        try (Statement s = staging.createStatement(); ResultSet rs = s.executeQuery("SELECT @@max_allowed_packet")) {
            if (rs.next()) packet = rs.getLong(1);
        }
        return new GroupedUpdates(Math.min(4L << 20, packet / 4));
    }

    /**
     * Whether a run of updates to {@code t} whose queued values are these can go this way: a primary key of integer
     * columns whose values are all given as integers, the row's production columns then its key values.
     */
    boolean fits(CatchUpTable t, List<List<Object>> values) {
        if (!t.production().primaryKey() || values.isEmpty() || (t.nonKeyProductionColumns().isEmpty() && t.addedColumns().isEmpty())) return false;
        int nonKey = t.nonKeyProductionColumns().size();
        int width = nonKey + t.keyColumns().size();
        for (List<Object> row : values) {
            if (row.size() != width) return false;
            for (int i = nonKey; i < width; i++) {
                Object k = row.get(i);
                if (!(k instanceof Integer || k instanceof Long || k instanceof Short)) return false;
            }
            if (chars(row) > maxChars) return false;
        }
        return true;
    }

    /**
     * Runs the run's updates ({@link #fits}), {@code types} the JDBC type of each value (for a NULL). Returns false if
     * fewer rows were found than given.
     *
     * @param told called with a chunk's first row's index before it runs (a failure names its row in the replay)
     */
    boolean run(Connection staging, CatchUpTable t, List<List<Object>> values, List<List<Integer>> types, java.util.function.IntConsumer told)
            throws SQLException {
        List<String> set = t.nonKeyProductionColumns();
        List<String> keys = t.keyColumns();
        int width = set.size() + keys.size();
        boolean all = true;
        for (int from = 0; from < values.size(); ) {
            int to = from;
            long chars = 0;
            while (to < values.size() && to - from < ROWS && (to == from || chars + chars(values.get(to)) <= maxChars)) {
                chars += chars(values.get(to));
                to++;
            }
            told.accept(from);
            String row = "(" + String.join(", ", Collections.nCopies(width, "?")) + ")";
            try (PreparedStatement ps = staging.prepareStatement(sql(t.name(), set, keys, t.addedColumns(), String.join(", ",
                    Collections.nCopies(to - from, row))))) {
                int p = 0;
                for (int r = from; r < to; r++) {
                    for (int i = 0; i < width; i++) {
                        Object v = values.get(r).get(i);
                        if (v == null) ps.setNull(++p, types.get(r).get(i));
                        else ps.setObject(++p, v);
                    }
                }
                // Distinct keys: as many rows found as given means each was.
                if (ps.executeUpdate() != to - from) all = false;
            }
            from = to;
        }
        return all;
    }

    /** The statement for these rows ({@code rows}: the VALUES list's text). */
    static String sql(String table, List<String> set, List<String> keys, List<String> added, String rows) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) names.add("c" + (i + 1));
        for (int i = 0; i < keys.size(); i++) names.add("k" + (i + 1));
        StringBuilder sql = new StringBuilder("UPDATE (WITH v (").append(String.join(", ", names)).append(") AS (VALUES ").append(rows)
                .append(") SELECT * FROM v) AS u STRAIGHT_JOIN ").append(table).append(" AS w ON ");
        for (int i = 0; i < keys.size(); i++) sql.append(i == 0 ? "" : " AND ").append("w.").append(keys.get(i)).append(" = u.k").append(i + 1);
        sql.append(" SET ");
        String separator = "";
        for (int i = 0; i < set.size(); i++) {
            sql.append(separator).append("w.").append(set.get(i)).append(" = u.c").append(i + 1);
            separator = ", ";
        }
        for (String column : added) {
            sql.append(separator).append("w.").append(column).append(" = DEFAULT");
            separator = ", ";
        }
        return sql.toString();
    }

    /** About the characters a row's values take in the statement's text. */
    private static long chars(List<Object> row) {
        long n = 8L * row.size();
        for (Object v : row) {
            if (v instanceof String s) n += 4L * s.length();
            else if (v instanceof byte[] b) n += 2L * b.length;
            else if (v != null) n += 32;
        }
        return n;
    }
}
