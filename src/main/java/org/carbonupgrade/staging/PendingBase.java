package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.carbonupgrade.Engine;

/**
 * {@value BaseTables#PENDING}: the base rows a final catch-up pass leaves to merge instead of rewriting
 * {@value BaseTables#ROWS} and {@value BaseTables#SUMMARY} in its own transaction (BaseTables). Appending ~2 rows per
 * applied key to a small table costs a fraction of the random upserts into a base of millions of rows, in the one pass
 * whose time is the downtime, and after which, once the cut-over is done, no pass follows.
 */
final class PendingBase {
    /** One key of one side: its base row to be (null bucket: none) and the one it replaces (null old bucket: none). */
    record Entry(char side, String table, String key, Integer bucket, Long hash, Integer oldBucket, Long oldHash) {
    }

    /** Rows per array statement on PostgreSQL. */
    private static final int CHUNK = 5000;

    private PendingBase() {
    }

    /** Whether staging holds pending rows (false on a staging staged before the table existed, which has none). */
    static boolean any(Connection staging) throws SQLException {
        if (!new org.carbonupgrade.schema.SchemaReader(staging).tableNames().containsKey(BaseTables.PENDING)) return false;
        try (Statement s = staging.createStatement()) {
            s.setMaxRows(1);
            try (ResultSet rs = s.executeQuery("SELECT SIDE FROM " + BaseTables.PENDING)) {
                return rs.next();
            }
        }
    }

    /** Appends the entries in the caller's transaction: on PostgreSQL one INSERT ... SELECT FROM unnest(arrays) per 5,000. */
    static void write(Connection staging, Engine engine, String passId, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) return;
        String columns = " (PASS_ID, SIDE, TABLE_NAME, ROW_KEY, BUCKET, ROW_HASH, OLD_BUCKET, OLD_HASH)";
        if (engine == Engine.POSTGRESQL) {
            try (PreparedStatement ins = staging.prepareStatement("INSERT INTO " + BaseTables.PENDING + columns + " SELECT CAST(? AS VARCHAR(36)),"
                    + " u.s, u.t, u.k, u.b, u.h, u.ob, u.oh FROM unnest(?::text[], ?::text[], ?::text[], ?::int4[], ?::int8[], ?::int4[], ?::int8[])"
                    + " AS u(s, t, k, b, h, ob, oh)")) {
                for (int from = 0; from < entries.size(); from += CHUNK) {
                    List<Entry> chunk = entries.subList(from, Math.min(entries.size(), from + CHUNK));
                    ins.setString(1, passId);
                    ins.setArray(2, staging.createArrayOf("text", chunk.stream().map(e -> String.valueOf(e.side())).toArray()));
                    ins.setArray(3, staging.createArrayOf("text", chunk.stream().map(Entry::table).toArray()));
                    ins.setArray(4, staging.createArrayOf("text", chunk.stream().map(Entry::key).toArray()));
                    ins.setArray(5, staging.createArrayOf("int4", chunk.stream().map(Entry::bucket).toArray()));
                    ins.setArray(6, staging.createArrayOf("int8", chunk.stream().map(Entry::hash).toArray()));
                    ins.setArray(7, staging.createArrayOf("int4", chunk.stream().map(Entry::oldBucket).toArray()));
                    ins.setArray(8, staging.createArrayOf("int8", chunk.stream().map(Entry::oldHash).toArray()));
                    ins.executeUpdate();
                }
            }
            return;
        }
        // Elsewhere one JDBC batch, which the staging connection's driver rewrites into multi-row inserts (CatchUpMain), in
        // the primary key's order (side, table, key bytes: ROW_KEY is VARBINARY on MariaDB): InnoDB appends to the last
        // page instead of splitting pages all over the table (the pass lists each table's 'P' rows, then its 'S' rows).
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(java.util.Comparator.comparing((Entry e) -> e.side()).thenComparing(Entry::table)
                .thenComparing(e -> e.key().getBytes(java.nio.charset.StandardCharsets.UTF_8), java.util.Arrays::compareUnsigned));
        try (PreparedStatement ins = staging.prepareStatement("INSERT INTO " + BaseTables.PENDING + columns + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Entry e : sorted) {
                ins.setString(1, passId);
                ins.setString(2, String.valueOf(e.side()));
                ins.setString(3, e.table());
                ins.setString(4, e.key());
                ins.setObject(5, e.bucket(), java.sql.Types.INTEGER);
                ins.setObject(6, e.hash(), java.sql.Types.BIGINT);
                ins.setObject(7, e.oldBucket(), java.sql.Types.INTEGER);
                ins.setObject(8, e.oldHash(), java.sql.Types.BIGINT);
                ins.addBatch();
            }
            ins.executeBatch();
        }
    }

    /** The pending rows, side and table together, and the final pass(es) that left them. */
    static List<Entry> read(Connection staging, java.util.Set<String> passes) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (Statement s = staging.createStatement(); ResultSet rs = s.executeQuery("SELECT SIDE, TABLE_NAME, ROW_KEY, BUCKET, ROW_HASH, OLD_BUCKET,"
                + " OLD_HASH, PASS_ID FROM " + BaseTables.PENDING + " ORDER BY SIDE, TABLE_NAME")) {
            while (rs.next()) {
                out.add(new Entry(rs.getString(1).charAt(0), rs.getString(2), rs.getString(3), (Integer) nullable(rs, 4, rs.getInt(4)),
                        (Long) nullable(rs, 5, rs.getLong(5)), (Integer) nullable(rs, 6, rs.getInt(6)), (Long) nullable(rs, 7, rs.getLong(7))));
                passes.add(rs.getString(8));
            }
        }
        return out;
    }

    private static Object nullable(ResultSet rs, int column, Object value) throws SQLException {
        return rs.wasNull() ? null : value;
    }

    static void clear(Connection staging) throws SQLException {
        try (Statement s = staging.createStatement()) {
            s.executeUpdate("DELETE FROM " + BaseTables.PENDING);
        }
    }
}
