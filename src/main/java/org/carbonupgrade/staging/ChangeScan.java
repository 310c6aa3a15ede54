package org.carbonupgrade.staging;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.carbonupgrade.Engine;

/**
 * What one side (production against its 'P' base, or staging against its 'S' base) changed in one table since the
 * base was recorded. First per bucket of keys, computed in the database: row count and sum of the row hashes, on the
 * live table and on CARBON_UPGRADE_BASE_ROW; only buckets whose figures differ are then read key by key (key text
 * and row hash, never whole rows), so an unchanged million-row table costs one aggregate query on each side.
 */
final class ChangeScan {
    enum Kind { INSERT, UPDATE, DELETE }

    /** A row as it is now: canonical key text, hash of its columns, bucket, and the key's values for statements. */
    record Row(String key, long hash, int bucket, Object[] keyValues, int copies) {
    }

    /** A change of one key; {@code now} is null for a delete. */
    record Change(String key, Kind kind, Row now) {
    }

    /** The side's changes by key, and its rows now in the buckets that were read (to find keys taken on staging). */
    record Result(Map<String, Change> changes, Map<String, Row> rowsRead, Set<Integer> bucketsRead) {
    }

    private ChangeScan() {
    }

    /**
     * @param live the database holding the table now (production, or staging)
     * @param staging the staging database with the base rows
     * @param side 'P' or 'S'
     * @param extraBuckets buckets to read even when unchanged on this side (the other side changed them)
     */
    static Result scan(Connection live, Connection staging, Engine engine, CatchUpTable t, char side, Set<Integer> extraBuckets)
            throws SQLException {
        Set<Integer> buckets = differingBuckets(live, staging, engine, t, side);
        buckets.addAll(extraBuckets);
        Map<String, Row> now = buckets.isEmpty() ? Map.of() : rows(live, engine, t, side, buckets);
        Map<String, Long> base = buckets.isEmpty() ? Map.of() : baseRows(staging, t.name(), side, buckets);
        Map<String, Change> changes = new LinkedHashMap<>();
        for (Row r : now.values()) {
            Long before = base.get(r.key());
            if (before == null) changes.put(r.key(), new Change(r.key(), Kind.INSERT, r));
            else if (before != r.hash()) changes.put(r.key(), new Change(r.key(), Kind.UPDATE, r));
        }
        for (String key : base.keySet()) {
            if (!now.containsKey(key)) changes.put(key, new Change(key, Kind.DELETE, null));
        }
        return new Result(changes, now, buckets);
    }

    /** Buckets whose row count or hash sum differs between the live table and the side's base rows. */
    static Set<Integer> differingBuckets(Connection live, Connection staging, Engine engine, CatchUpTable t, char side)
            throws SQLException {
        Map<Integer, String> liveFigures = new HashMap<>();
        String sql = "SELECT Q.B, COUNT(*), SUM(Q.H) FROM (" + StageBase.baseRowsSelect(engine, t.side(side)) + ") Q GROUP BY Q.B";
        try (Statement s = live.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) liveFigures.put(rs.getInt(1), rs.getLong(2) + ":" + sum(rs.getBigDecimal(3)));
        }
        Map<Integer, String> baseFigures = new HashMap<>();
        try (PreparedStatement ps = staging.prepareStatement("SELECT BUCKET, COUNT(*), SUM(ROW_HASH) FROM " + BaseTables.ROWS
                + " WHERE SIDE = ? AND TABLE_NAME = ? GROUP BY BUCKET")) {
            ps.setString(1, String.valueOf(side));
            ps.setString(2, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) baseFigures.put(rs.getInt(1), rs.getLong(2) + ":" + sum(rs.getBigDecimal(3)));
            }
        }
        Set<Integer> differ = new TreeSet<>();
        for (Map.Entry<Integer, String> e : liveFigures.entrySet()) {
            if (!Objects.equals(e.getValue(), baseFigures.get(e.getKey()))) differ.add(e.getKey());
        }
        for (Integer b : baseFigures.keySet()) {
            if (!liveFigures.containsKey(b)) differ.add(b);
        }
        return differ;
    }

    private static String sum(BigDecimal d) {
        return d == null ? "0" : d.stripTrailingZeros().toPlainString();
    }

    /** The live rows of these buckets: key text, hash, bucket and key values. */
    static Map<String, Row> rows(Connection c, Engine engine, CatchUpTable t, char side, Set<Integer> buckets) throws SQLException {
        String sql = "SELECT * FROM (" + t.liveRows(engine, side) + ") L" + inBuckets("L.B", buckets, t.buckets());
        Map<String, Row> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement()) {
            s.setFetchSize(1000);
            try (ResultSet rs = s.executeQuery(sql)) {
                int n = t.keyColumns().size();
                while (rs.next()) {
                    Object[] values = new Object[n];
                    for (int i = 0; i < n; i++) values[i] = rs.getObject(4 + i);
                    out.put(rs.getString(1), new Row(rs.getString(1), rs.getLong(2), rs.getInt(3), values, rs.getInt(4 + n)));
                }
            }
        }
        return out;
    }

    static Map<String, Long> baseRows(Connection staging, String table, char side, Set<Integer> buckets) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        // The buckets are integers this class computed, never text from outside.
        try (PreparedStatement ps = staging.prepareStatement("SELECT ROW_KEY, ROW_HASH FROM " + BaseTables.ROWS
                + " WHERE SIDE = ? AND TABLE_NAME = ?" + inBuckets("BUCKET", buckets, Integer.MAX_VALUE).replace(" WHERE ", " AND "))) {
            ps.setString(1, String.valueOf(side));
            ps.setString(2, table);
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    private static String inBuckets(String expression, Set<Integer> buckets, int all) {
        if (buckets.size() >= all) return "";
        return " WHERE " + expression + " IN (" + buckets.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
    }
}
