package org.carbonupgrade.staging;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.carbonupgrade.Engine;
import org.carbonupgrade.staging.ChangeScan.BaseRow;
import org.carbonupgrade.staging.ChangeScan.Change;
import org.carbonupgrade.staging.ChangeScan.Kind;
import org.carbonupgrade.staging.ChangeScan.Row;

/**
 * Production's changes on PostgreSQL without hashing every row (docs/staging.md, "How changes are detected").
 *
 * <p>Every row version carries the id of the transaction that wrote it (xmin). A snapshot's xmin is the oldest
 * transaction still running when it was taken: every transaction below it had ended, so a row visible now whose xmin
 * is below the xmin of the snapshot the 'P' base equals was visible, with the same values, in that snapshot, and is
 * in the base unchanged. Rows at or above it (inserted or updated since, including by a transaction that was running
 * at base time and committed later) are the candidates: a superset of the changed rows, each confirmed by its row hash
 * against its base row. Deletes leave no row: per table, rows now = base rows + inserted - deleted, with the inserted
 * known, so a table that is short has deletes; then per bucket (a key-only hash, no row hash) the short buckets, and
 * of their base keys those production no longer has (looked up by primary key).
 *
 * <p>xids are 32-bit and wrap: the comparison is {@code age(xmin) <= age(recorded xid)}, right while fewer than 2^31
 * transactions lie between the recorded snapshot and now. The full 64-bit xid (with its epoch) is recorded and a pass
 * falls back to the hash scan when the gap is 2^30 or more, when the cluster (system identifier) is not the recorded
 * one (the database may be a copy made inside the cluster: its rows keep their xmins), when nothing is recorded (a restored dump: its moment's snapshot is unknown), or
 * when the server is older than PostgreSQL 13 (pg_current_snapshot).
 */
final class XminScan {
    /** A snapshot's xmin with the identity of the transaction counter it belongs to. */
    record Mark(long xmin, String systemId, long databaseOid) {
    }

    /** The widest gap between the recorded xmin and now this scan trusts: half of age()'s 2^31 range. */
    static final long MAX_GAP = 1L << 30;

    private XminScan() {
    }

    /**
     * Production's snapshot in the caller's (repeatable-read) transaction, or null when this server cannot say (not
     * PostgreSQL 13+, or no permission to read the system identifier).
     */
    static Mark current(Connection production, Engine engine) throws SQLException {
        if (engine != Engine.POSTGRESQL || production.getMetaData().getDatabaseMajorVersion() < 13) return null;
        try (Statement s = production.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT has_function_privilege('pg_control_system()', 'EXECUTE')")) {
                rs.next();
                if (!rs.getBoolean(1)) return null;
            }
            try (ResultSet rs = s.executeQuery("SELECT pg_snapshot_xmin(pg_current_snapshot())::text, (SELECT system_identifier FROM pg_control_system())::text,"
                    + " (SELECT oid FROM pg_database WHERE datname = current_database())::text")) {
                rs.next();
                return new Mark(Long.parseLong(rs.getString(1)), rs.getString(2), Long.parseLong(rs.getString(3)));
            }
        }
    }

    /** The mark the 'P' base equals, or null (none recorded, or a staging staged before the table existed). */
    static Mark recorded(Connection staging) throws SQLException {
        if (!new org.carbonupgrade.schema.SchemaReader(staging).tableNames().containsKey(BaseTables.SNAPSHOT)) return null;
        try (Statement s = staging.createStatement();
                ResultSet rs = s.executeQuery("SELECT SNAPSHOT_XMIN, SYSTEM_ID, DATABASE_OID FROM " + BaseTables.SNAPSHOT)) {
            return rs.next() ? new Mark(rs.getLong(1), rs.getString(2), rs.getLong(3)) : null;
        }
    }

    /** Replaces the recorded mark (null: none, the next pass scans by hashes), in the caller's transaction. */
    static void record(Connection staging, Mark mark) throws SQLException {
        try (Statement s = staging.createStatement()) {
            s.executeUpdate("DELETE FROM " + BaseTables.SNAPSHOT);
        }
        if (mark == null) return;
        try (PreparedStatement ps = staging.prepareStatement("INSERT INTO " + BaseTables.SNAPSHOT
                + " (SNAPSHOT_XMIN, SYSTEM_ID, DATABASE_OID, RECORDED_AT) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, mark.xmin());
            ps.setString(2, mark.systemId());
            ps.setLong(3, mark.databaseOid());
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }

    /** Why the recorded mark cannot serve against production now, or null when it can. */
    static String unusable(Mark recorded, Mark now) {
        if (now == null) return "production cannot report its snapshot (PostgreSQL 13+ and EXECUTE on pg_control_system() are needed)";
        if (recorded == null) return "no snapshot of production is recorded for the base (a restored dump, or a staging staged before"
                + " this was recorded): this pass records one";
        // The xid counter is the cluster's: a database copied inside it (CREATE DATABASE ... TEMPLATE) keeps its rows' xmins,
        // each of which still tells whether the row was committed before the snapshot. The oid is kept for the record only.
        if (!recorded.systemId().equals(now.systemId())) {
            return "production is not on the PostgreSQL cluster the base's snapshot was taken on (restored or moved since)";
        }
        if (now.xmin() < recorded.xmin()) return "production's transaction counter is behind the recorded snapshot's";
        if (now.xmin() - recorded.xmin() >= MAX_GAP) return "over 2^30 transactions since the base's snapshot (xids wrap at 2^32)";
        return null;
    }

    /** Production's changes in a table with a primary key since the recorded snapshot, confirmed against the 'P' base. */
    static ChangeScan.Result scan(Connection production, Connection staging, Engine engine, CatchUpTable t, Mark since, PhaseClock clock)
            throws SQLException {
        return scan(production, staging, engine, t, since, clock, new HashMap<>());
    }

    /** @param counted gets the table's row count on production in this snapshot (the pass's row check needs it too) */
    static ChangeScan.Result scan(Connection production, Connection staging, Engine engine, CatchUpTable t, Mark since, PhaseClock clock,
            Map<String, Long> counted) throws SQLException {
        return scan(production, staging, engine, t, since, clock, counted, null);
    }

    /**
     * Production's side of one table's scan: everything read from production before the base is consulted. It reads
     * production alone, so it may run on another connection in the very same snapshot (ExportedSnapshot) while the pass's
     * own connection scans other tables.
     *
     * @param perBucket id-range buckets: production's rows per bucket now (null for hash buckets)
     * @param candidates the rows written since {@code since}: key text, hash, bucket, key values
     * @param rows the table's rows now
     */
    record Live(Map<Integer, Long> perBucket, Map<String, Row> candidates, long rows) {
    }

    /** Reads {@link Live} on {@code production} (any connection in the pass's snapshot). */
    static Live live(Connection production, Engine engine, CatchUpTable t, Mark since, PhaseClock clock) throws SQLException {
        if (!t.production().primaryKey()) throw new IllegalArgumentException(t.name() + " has no primary key: scanned by hashes");
        StagedTable p = t.production();
        String xid = Long.toString(since.xmin() & 0xFFFFFFFFL);
        // Candidates: rows written by a transaction at or after the snapshot's xmin (age() is relative to one reference
        // per statement, so the comparison is the xids' order modulo 2^32). The xid is a number this class formatted.
        String written = "age(xmin) <= age('" + xid + "'::xid)";
        String sql = "SELECT " + p.keyText(engine) + " AS K, " + p.rowHash(engine) + " AS H, " + p.bucket(engine) + " AS B, "
                + String.join(", ", p.keyColumns()) + " FROM " + p.name() + " WHERE " + written;
        Map<String, Row> candidates = new LinkedHashMap<>();
        Map<Integer, Long> perBucket = null;
        if (p.rangeBuckets()) {
            // Id-range buckets: one pass over the table counts its rows per bucket and, per bucket, the rows written since;
            // the candidates are then read by the id ranges of the buckets that have any (primary-key index), each row
            // tested again. The same rows as the filter over the whole table, in the same snapshot: a row written since
            // lies in a bucket counted as having one. When most buckets have one (a transaction held the xmin back), the
            // table is read whole instead.
            perBucket = new HashMap<>();
            Set<Integer> withWritten = new TreeSet<>();
            try (Statement s = production.createStatement(); ResultSet rs = s.executeQuery("SELECT Q.B, COUNT(*), SUM(Q.W) FROM (SELECT "
                    + p.bucket(engine) + " AS B, CASE WHEN " + written + " THEN 1 ELSE 0 END AS W FROM " + p.name() + ") Q GROUP BY Q.B")) {
                while (rs.next()) {
                    perBucket.put(rs.getInt(1), rs.getLong(2));
                    if (rs.getLong(3) > 0) withWritten.add(rs.getInt(1));
                }
            }
            clock.lap("P rows per id range, and written since the base");
            if (withWritten.size() <= perBucket.size() / 8) {
                List<Integer> all = new ArrayList<>(withWritten);
                for (int from = 0; from < all.size(); from += 500) {
                    Set<Integer> chunk = new TreeSet<>(all.subList(from, Math.min(all.size(), from + 500)));
                    read(production, sql + " AND " + p.bucketRanges(chunk), p, chunk, candidates);
                }
            } else {
                read(production, sql, p, null, candidates);
            }
        } else {
            read(production, sql, p, null, candidates);
        }
        clock.lap("P rows written since the base");
        // Id-range buckets: the per-bucket counts taken above give the table's rows too (no second scan when rows went).
        long rows = perBucket != null ? perBucket.values().stream().mapToLong(Long::longValue).sum() : count(production, t.name());
        clock.lap("P row count");
        return new Live(perBucket, candidates, rows);
    }

    /**
     * As {@link #scan(Connection, Connection, Engine, CatchUpTable, Mark, PhaseClock, Map)}, with production's side already
     * read ({@code live}, in this pass's snapshot, perhaps on another connection), or null to read it here.
     */
    static ChangeScan.Result scan(Connection production, Connection staging, Engine engine, CatchUpTable t, Mark since, PhaseClock clock,
            Map<String, Long> counted, Live live) throws SQLException {
        if (!t.production().primaryKey()) throw new IllegalArgumentException(t.name() + " has no primary key: scanned by hashes");
        clock.restart();
        if (live == null) live = live(production, engine, t, since, clock);
        Map<String, Row> candidates = live.candidates();
        Map<Integer, Long> perBucket = live.perBucket();
        Map<String, BaseRow> base = new HashMap<>(ChangeScan.baseRowsAtKeys(staging, t.name(), StageBase.PRODUCTION, candidates.keySet()));
        clock.lap("P base rows of them");
        Map<String, Change> changes = new LinkedHashMap<>();
        Map<Integer, Long> insertedPerBucket = new HashMap<>();
        for (Row r : candidates.values()) {
            BaseRow before = base.get(r.key());
            if (before == null) {
                changes.put(r.key(), new Change(r.key(), Kind.INSERT, r));
                insertedPerBucket.merge(r.bucket(), 1L, Long::sum);
            } else if (before.hash() != r.hash()) {
                changes.put(r.key(), new Change(r.key(), Kind.UPDATE, r));
            }
        }
        long inserted = insertedPerBucket.values().stream().mapToLong(Long::longValue).sum();
        long rows = live.rows();
        counted.put(t.name(), rows);
        // The base's total first (one sum in the database); its figures per bucket only where rows went.
        long deleted = baseTotal(staging, t.name()) + inserted - rows;
        clock.lap("P base total");
        if (deleted < 0) {
            throw new SQLException(t.name() + " has " + (-deleted) + " rows more on production than its base and the rows written since"
                    + " account for: the base of this staging is not production's. Stage again from production as it is now.");
        }
        if (deleted > 0) {
            if (perBucket == null) {
                perBucket = bucketCounts(production, engine, t);
                clock.lap("P key counts per bucket");
            }
            Set<Integer> shortBuckets = shortBuckets(t, perBucket, baseCounts(staging, t.name()), insertedPerBucket, deleted);
            clock.lap("P short buckets (base figures per bucket)");
            Map<String, BaseRow> inShort = ChangeScan.baseRows(staging, t.name(), StageBase.PRODUCTION, shortBuckets);
            inShort.keySet().removeAll(candidates.keySet());
            clock.lap("P base rows of short buckets");
            List<String> gone = missing(production, t, inShort.keySet());
            clock.lap("P base keys of short buckets looked up");
            if (gone.size() != deleted) {
                throw new SQLException(t.name() + ": " + deleted + " rows deleted on production by the count, " + gone.size() + " found by key:"
                        + " the base of this staging is not production's. Stage again from production as it is now.");
            }
            for (String key : gone) {
                changes.put(key, new Change(key, Kind.DELETE, null));
                base.put(key, inShort.get(key));
            }
        }
        Map<String, Row> rowsRead = new LinkedHashMap<>();
        Set<Integer> buckets = new TreeSet<>();
        for (Change c : changes.values()) {
            if (c.now() != null) {
                rowsRead.put(c.key(), c.now());
                buckets.add(c.now().bucket());
            }
            BaseRow b = base.get(c.key());
            if (b != null) buckets.add(b.bucket());
        }
        base.keySet().retainAll(changes.keySet());
        return new ChangeScan.Result(changes, rowsRead, buckets, base);
    }

    /** Reads candidate rows (key text, hash, bucket, key values); with {@code buckets}, only rows whose bucket is one of them. */
    private static void read(Connection production, String sql, StagedTable p, Set<Integer> buckets, Map<String, Row> into) throws SQLException {
        try (Statement s = production.createStatement()) {
            s.setFetchSize(1000);
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    if (buckets != null && !buckets.contains(rs.getInt(3))) continue;
                    into.put(rs.getString(1), ChangeScan.row(rs, p.keyColumns().size()));
                }
            }
        }
    }

    /** The 'P' base's key count per bucket (the summary table). */
    private static Map<Integer, Long> baseCounts(Connection staging, String table) throws SQLException {
        Map<Integer, Long> out = new HashMap<>();
        try (PreparedStatement ps = staging.prepareStatement("SELECT BUCKET, ROW_COUNT FROM " + BaseTables.SUMMARY
                + " WHERE SIDE = 'P' AND TABLE_NAME = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getInt(1), rs.getLong(2));
            }
        }
        return out;
    }

    /** The 'P' base's keys in this table: the sum of the summary's per-bucket counts, the same figures {@link #baseCounts} reads. */
    static long baseTotal(Connection staging, String table) throws SQLException {
        try (PreparedStatement ps = staging.prepareStatement("SELECT SUM(ROW_COUNT) FROM " + BaseTables.SUMMARY + " WHERE SIDE = 'P' AND TABLE_NAME = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long count(Connection production, String table) throws SQLException {
        try (Statement s = production.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + RowHashSql.checkName(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Production's rows per bucket now. Hash buckets: only the key is hashed (for its bucket), not the row; id-range
     * buckets: the first key column divided by the width, no text at all.
     */
    static Map<Integer, Long> bucketCounts(Connection production, Engine engine, CatchUpTable t) throws SQLException {
        Map<Integer, Long> now = new HashMap<>();
        try (Statement s = production.createStatement(); ResultSet rs = s.executeQuery("SELECT Q.B, COUNT(*) FROM (SELECT "
                + t.production().bucket(engine) + " AS B FROM " + t.name() + ") Q GROUP BY Q.B")) {
            while (rs.next()) now.put(rs.getInt(1), rs.getLong(2));
        }
        return now;
    }

    /** Buckets holding fewer keys now than their base count plus the keys inserted into them: those with deletes. */
    private static Set<Integer> shortBuckets(CatchUpTable t, Map<Integer, Long> now, Map<Integer, Long> baseCounts,
            Map<Integer, Long> inserted, long deleted) throws SQLException {
        Set<Integer> out = new TreeSet<>();
        long shortBy = 0;
        for (Map.Entry<Integer, Long> e : baseCounts.entrySet()) {
            long expected = e.getValue() + inserted.getOrDefault(e.getKey(), 0L);
            long missing = expected - now.getOrDefault(e.getKey(), 0L);
            if (missing > 0) {
                out.add(e.getKey());
                shortBy += missing;
            }
        }
        if (shortBy != deleted) {
            throw new SQLException(t.name() + ": the buckets are short by " + shortBy + " keys, the table by " + deleted
                    + ": the base of this staging is not production's. Stage again from production as it is now.");
        }
        return out;
    }

    /**
     * Which of these key texts production no longer has: the keys, read back into their values, are sent as arrays and
     * looked up by primary key in one anti-join per few thousand keys.
     */
    private static List<String> missing(Connection production, CatchUpTable t, Set<String> keyTexts) throws SQLException {
        List<String> out = new ArrayList<>();
        if (keyTexts.isEmpty()) return out;
        int[] types = ChangeScan.keyTypes(production, t);
        List<String> keyColumns = t.keyColumns();
        String[] arrayTypes = new String[types.length];
        for (int i = 0; i < types.length; i++) arrayTypes[i] = ChangeScan.isInteger(types[i]) ? "int8" : "text";
        String columns = "n" + java.util.stream.IntStream.range(0, types.length).mapToObj(i -> ", k" + i).collect(Collectors.joining());
        String arrays = "?::text[]" + java.util.stream.IntStream.range(0, types.length).mapToObj(i -> ", ?::" + arrayTypes[i] + "[]")
                .collect(Collectors.joining());
        String match = java.util.stream.IntStream.range(0, types.length).mapToObj(i -> "T." + keyColumns.get(i) + " = u.k" + i)
                .collect(Collectors.joining(" AND "));
        String sql = "SELECT u.n FROM unnest(" + arrays + ") AS u(" + columns + ") WHERE NOT EXISTS (SELECT 1 FROM " + t.name() + " T WHERE " + match + ")";
        List<String> all = new ArrayList<>(keyTexts);
        for (int from = 0; from < all.size(); from += 5000) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 5000));
            Object[][] values = new Object[types.length][chunk.size()];
            for (int j = 0; j < chunk.size(); j++) {
                Object[] key = ChangeScan.keyValues(chunk.get(j), types);
                for (int i = 0; i < types.length; i++) values[i][j] = key[i];
            }
            try (PreparedStatement ps = production.prepareStatement(sql)) {
                List<Array> bound = new ArrayList<>();
                bound.add(production.createArrayOf("text", chunk.toArray()));
                for (int i = 0; i < types.length; i++) bound.add(production.createArrayOf(arrayTypes[i], values[i]));
                for (int i = 0; i < bound.size(); i++) ps.setArray(i + 1, bound.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

}
