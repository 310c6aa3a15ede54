package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.carbonupgrade.Engine;
import org.carbonupgrade.Progress;
import org.carbonupgrade.audit.SafeText;

/**
 * Records the base of a staging copy in {@link BaseTables}, set-based inside the database: one
 * {@code INSERT INTO CARBON_UPGRADE_BASE_ROW SELECT ... FROM <table>} per table, no row through Java.
 * Neither method commits: the caller's transaction makes the whole side appear at once (the stage commits it;
 * the upgrade's changeset commits with its DATABASECHANGELOG row), and a crash leaves the side as it was.
 *
 * <p>A table without primary key may hold the same row twice: its base row per key then carries the SUM of the
 * identical rows' hashes (n x hash), so per key, and per bucket, {@code SUM(rowHash)} over the live table always
 * equals {@code SUM(ROW_HASH)} over the base. Catch-up compares sums per key, never single hashes.
 */
public final class StageBase {
    public static final char PRODUCTION = 'P';
    public static final char STAGING = 'S';
    /**
     * Rows per bucket at stage time. Catch-up reads every key of a bucket whose count or hash sum differs, so a bucket
     * must stay small: with ~1000, 10,500 changes spread over 10,000 tenants made nearly every bucket of the changed
     * million-row tables differ, and a pass read ~25 M keys and hashes (113 s, 3 GiB; docs/benchmark.md "Staging
     * catch-up at 1M users"). ~32 reads ~32 keys per changed key, at the price of a per-bucket figure per 32 rows.
     */
    static final int ROWS_PER_BUCKET = 32;

    private StageBase() {
    }

    /** 'P' or 'S', checked, for SQL that writes the side as a literal (a bound CHAR(1) is compared as text on PostgreSQL). */
    static char side(char side) {
        if (side != PRODUCTION && side != STAGING) throw new IllegalArgumentException("No such side of the base: " + side);
        return side;
    }

    /**
     * The production side, recorded on staging right after the copy (or on a restored dump): per table, buckets
     * fixed from its row count, then every row's key, bucket and hash. Marks the stage {@value BaseTables#STAGED}.
     * Re-runnable: it first removes any base recorded before. Returns the rows recorded.
     */
    public static long recordProductionSide(Connection staging, Engine engine, List<StagedTable> tables) throws SQLException {
        return recordProductionSide(staging, engine, tables, line -> { });
    }

    /** As above, with progress lines (rows hashed of the total, at most every 5 s) through {@code log}. */
    public static long recordProductionSide(Connection staging, Engine engine, List<StagedTable> tables, Consumer<String> log) throws SQLException {
        execute(staging, "DELETE FROM " + BaseTables.SUMMARY);
        execute(staging, "DELETE FROM " + BaseTables.ROWS);
        execute(staging, "DELETE FROM " + BaseTables.TABLES);
        long recorded = 0;
        int order = 0;
        List<Long> counts = new ArrayList<>();
        for (StagedTable table : tables) counts.add(count(staging, "SELECT COUNT(*) FROM " + table.name()));
        Progress progress = new Progress("base (production side)", counts.stream().mapToLong(Long::longValue).sum(), log);
        // Base tables created by a version before id-range buckets (a stage re-run on them) keep hash buckets.
        boolean widths = BaseTables.hasBucketWidth(staging);
        for (StagedTable table : tables) {
            long rows = counts.get(order);
            int buckets = (int) Math.max(1, Math.min(Integer.MAX_VALUE, rows / ROWS_PER_BUCKET));
            StagedTable fixed = table.withBuckets(buckets, widths ? bucketWidth(staging, engine, table, rows, buckets) : 0);
            try (PreparedStatement ps = staging.prepareStatement("INSERT INTO " + BaseTables.TABLES + " (TABLE_NAME, TABLE_ORDER, BUCKETS,"
                    + " KEY_COLUMNS, HAS_PRIMARY_KEY, P_COLUMNS, LOB_COLUMNS, ROWS_AT_STAGE" + (widths ? ", " + BaseTables.BUCKET_WIDTH : "")
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?" + (widths ? ", ?" : "") + ")")) {
                ps.setString(1, fixed.name());
                ps.setInt(2, ++order);
                ps.setInt(3, fixed.buckets());
                ps.setString(4, String.join(",", fixed.keyColumns()));
                ps.setInt(5, fixed.primaryKey() ? 1 : 0);
                ps.setString(6, String.join(",", fixed.columns()));
                ps.setString(7, String.join(",", fixed.lobColumns()));
                ps.setLong(8, rows);
                if (widths) ps.setLong(9, fixed.bucketWidth());
                ps.executeUpdate();
            }
            recorded += insertBaseRows(staging, engine, fixed, PRODUCTION);
            summarize(staging, PRODUCTION, fixed.name(), null);
            progress.advance(rows);
        }
        progress.done();
        try (PreparedStatement ps = staging.prepareStatement("UPDATE " + BaseTables.STAGE + " SET STATE = ?, STAGED_AT = ?")) {
            ps.setString(1, BaseTables.STAGED);
            ps.setTimestamp(2, Timestamp.from(Instant.now()));
            if (ps.executeUpdate() != 1) throw new SQLException(BaseTables.STAGE + " must hold exactly one row");
        }
        return recorded;
    }

    /**
     * The staging side, right after the upgrade: each staged table's columns as the catalog has them now (4.2.0),
     * hashed with the buckets and keys the production side fixed. Replaces any staging side recorded before (a
     * crashed run's), marks the stage {@value BaseTables#UPGRADED}. Returns the rows recorded.
     */
    public static long recordStagingSide(Connection staging, Engine engine) throws SQLException {
        return recordStagingSide(staging, engine, line -> { });
    }

    /** As above, with progress lines through {@code log} (rows as counted at stage time). */
    public static long recordStagingSide(Connection staging, Engine engine, Consumer<String> log) throws SQLException {
        List<StagedTable> production = recorded(staging, PRODUCTION);
        Progress progress = new Progress("base (staging side)", count(staging, "SELECT COALESCE(SUM(ROWS_AT_STAGE), 0) FROM " + BaseTables.TABLES), log);
        // A staging staged before the summary table existed gets it filled by its first catch-up pass (CatchUp).
        boolean summary = new org.carbonupgrade.schema.SchemaReader(staging).tableNames().containsKey(BaseTables.SUMMARY);
        // Before any write: on MariaDB the DDL commits. The index exists here only after a crashed run or on a staging
        // staged by a version that created it with the table; it is built again once the rows are in.
        BaseTables.dropBucketIndex(staging, engine);
        for (String table : summary ? List.of(BaseTables.SUMMARY, BaseTables.ROWS) : List.of(BaseTables.ROWS)) {
            try (PreparedStatement ps = staging.prepareStatement("DELETE FROM " + table + " WHERE SIDE = ?")) {
                ps.setString(1, String.valueOf(STAGING));
                ps.executeUpdate();
            }
        }
        long recorded = 0;
        for (StagedTable p : production) {
            if (!new org.carbonupgrade.schema.SchemaReader(staging).tableNames().containsKey(p.name())) {
                continue; // dropped by the upgrade (UM_CLAIM_BEHAVIOR): no staging side; S_COLUMNS stays NULL
            }
            StagedTable now = StagedTables.describe(staging, p.name());
            Set<String> lobs = new LinkedHashSet<>(p.lobColumns());
            lobs.addAll(now.lobColumns());
            try (PreparedStatement ps = staging.prepareStatement("UPDATE " + BaseTables.TABLES + " SET S_COLUMNS = ?, LOB_COLUMNS = ? WHERE TABLE_NAME = ?")) {
                ps.setString(1, String.join(",", now.columns()));
                ps.setString(2, String.join(",", lobs));
                ps.setString(3, p.name());
                ps.executeUpdate();
            }
            StagedTable s = new StagedTable(p.name(), p.keyColumns(), now.columns(), lobs, p.primaryKey(), p.buckets(), p.bucketWidth());
            long inserted = insertBaseRows(staging, engine, s, STAGING);
            if (summary) summarize(staging, STAGING, s.name(), null);
            recorded += inserted;
            progress.advance(inserted);
        }
        progress.done();
        // Before the state: on MariaDB (and H2) this DDL commits the side's rows while the stage still says STAGED, so a
        // crash from here to the caller's commit leaves a stage catch-up refuses and the upgrade re-runs this changeset.
        BaseTables.createBucketIndex(staging, engine);
        BaseTables.analyzeIfNever(staging, engine);
        try (PreparedStatement ps = staging.prepareStatement("UPDATE " + BaseTables.STAGE + " SET STATE = ?, UPGRADED_AT = ?")) {
            ps.setString(1, BaseTables.UPGRADED);
            ps.setTimestamp(2, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
        return recorded;
    }

    /**
     * The staged tables as the stage recorded them, parents first: key, buckets, and the columns of one side
     * (P_COLUMNS for {@link #PRODUCTION}, S_COLUMNS for {@link #STAGING}). The staging side lists only tables the
     * 4.2.0 schema still has (the upgrade drops UM_CLAIM_BEHAVIOR), and nothing before the upgrade recorded it.
     */
    public static List<StagedTable> recorded(Connection staging, char side) throws SQLException {
        List<StagedTable> tables = new ArrayList<>();
        if (side == STAGING && !BaseTables.UPGRADED.equals(state(staging))) return tables;
        // A staging staged before id-range buckets has no width column: every table there has hash buckets.
        String width = BaseTables.hasBucketWidth(staging) ? BaseTables.BUCKET_WIDTH : "0";
        try (Statement s = staging.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_NAME, BUCKETS, KEY_COLUMNS,"
                + " HAS_PRIMARY_KEY, P_COLUMNS, S_COLUMNS, LOB_COLUMNS, " + width + " FROM " + BaseTables.TABLES + " ORDER BY TABLE_ORDER")) {
            while (rs.next()) {
                String columns = rs.getString(side == PRODUCTION ? 5 : 6);
                if (columns == null) continue;
                tables.add(new StagedTable(rs.getString(1), split(rs.getString(3)), split(columns),
                        new LinkedHashSet<>(split(rs.getString(7))), rs.getInt(4) == 1, rs.getInt(2), rs.getLong(8)));
            }
        }
        return tables;
    }

    /**
     * The width of a table's id-range buckets, or 0 for hash buckets. Ranges need a primary key whose first column is a
     * 32-bit integer with no negative value at stage time and few rows per id value (every Carbon 4.0.0 table with a
     * generated id: 4.0.x numbers each table from one generator across tenants); the width spreads
     * the ids from the lowest to the highest over {@code buckets} ranges (~{@value #ROWS_PER_BUCKET} rows each when the ids
     * are dense). Ids production takes later fall into new buckets above; a negative one later still has its bucket
     * (RowHashSql.rangeBucket truncates toward zero). Why: a catch-up pass counts rows per bucket with integer
     * arithmetic instead of hashing every key, and reads a bucket's rows by the primary key's index.
     */
    static long bucketWidth(Connection staging, Engine engine, StagedTable table, long rows, int buckets) throws SQLException {
        if (!RowHashSql.rangeBuckets(engine) || !table.primaryKey() || rows == 0) return 0;
        String column = table.keyColumns().get(0);
        try (Statement s = staging.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT " + column + " FROM " + table.name() + " WHERE 1 = 0")) {
                int type = rs.getMetaData().getColumnType(1);
                if (type != java.sql.Types.INTEGER && type != java.sql.Types.SMALLINT && type != java.sql.Types.TINYINT) return 0;
            }
            ResultSet rs = s.executeQuery("SELECT MIN(" + column + "), MAX(" + column + ") FROM " + table.name());
            rs.next();
            long min = rs.getLong(1), max = rs.getLong(2);
            if (rs.wasNull() || min < 0) return 0;
            // Ids shared by many rows (numbered per tenant, say) would crowd a bucket however narrow: hash those keys.
            if (rows > 4 * (max - min + 1)) return 0;
            return Math.max(1, (max - min + buckets) / buckets);
        }
    }

    /**
     * The SELECT that gives one row per key of a live table: bucket, key text, hash (a table without primary key
     * sums the hashes of identical rows). Catch-up runs the same SELECT on production to compare with the base.
     */
    public static String baseRowsSelect(Engine engine, StagedTable table) {
        String bucket = table.bucket(engine);
        String key = table.keyText(engine);
        String hash = table.rowHash(engine);
        if (table.primaryKey()) {
            return "SELECT " + bucket + " AS B, " + key + " AS K, " + hash + " AS H FROM " + table.name();
        }
        return "SELECT MIN(X.B) AS B, X.K AS K, SUM(X.H) AS H FROM (SELECT " + bucket + " AS B, " + key + " AS K, " + hash
                + " AS H FROM " + table.name() + ") X GROUP BY X.K";
    }

    /**
     * (Re)computes {@link BaseTables#SUMMARY} for one side and table from its base rows: every bucket, or only
     * {@code buckets} (those a catch-up pass rewrote base rows in; {@value BaseTables#BUCKET_INDEX} serves them).
     * In the caller's transaction, so the summary commits together with the base rows it sums.
     */
    static void summarize(Connection staging, char side, String table, java.util.Collection<Integer> buckets) throws SQLException {
        List<List<Integer>> chunks = new ArrayList<>();
        if (buckets == null) {
            chunks.add(null);
        } else {
            List<Integer> all = new ArrayList<>(new java.util.TreeSet<>(buckets));
            for (int i = 0; i < all.size(); i += 1000) chunks.add(all.subList(i, Math.min(all.size(), i + 1000)));
        }
        for (List<Integer> chunk : chunks) {
            // The buckets are integers catch-up computed, never text from outside; side and table are bound.
            String in = chunk == null ? "" : " AND BUCKET IN (" + chunk.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")) + ")";
            try (PreparedStatement del = staging.prepareStatement("DELETE FROM " + BaseTables.SUMMARY + " WHERE SIDE = ? AND TABLE_NAME = ?" + in);
                    PreparedStatement ins = staging.prepareStatement("INSERT INTO " + BaseTables.SUMMARY + " (SIDE, TABLE_NAME, BUCKET, ROW_COUNT, HASH_SUM)"
                            + " SELECT SIDE, TABLE_NAME, BUCKET, COUNT(*), SUM(ROW_HASH) FROM " + BaseTables.ROWS + " WHERE SIDE = ? AND TABLE_NAME = ?" + in
                            + " GROUP BY SIDE, TABLE_NAME, BUCKET")) {
                for (PreparedStatement ps : List.of(del, ins)) {
                    ps.setString(1, String.valueOf(side));
                    ps.setString(2, table);
                    ps.executeUpdate();
                }
            }
        }
    }

    private static long insertBaseRows(Connection staging, Engine engine, StagedTable table, char side) throws SQLException {
        // MySQL/MariaDB: the same fingerprints in the cheaper bare form where staging's catalog allows it (RowHashSql.rowHash).
        if (engine == Engine.MYSQL) table = table.withBare(RowHashSql.bareColumns(staging, engine).getOrDefault(table.name(), Set.of()));
        // The side and table name are bound; the SELECT is built from checked names only (StagedTable).
        String sql = "INSERT INTO " + BaseTables.ROWS + " (SIDE, TABLE_NAME, BUCKET, ROW_KEY, ROW_HASH) SELECT CAST(? AS CHAR(1)),"
                + " CAST(? AS " + (engine == Engine.ORACLE ? "VARCHAR2(64)" : engine == Engine.MSSQL ? "NVARCHAR(64)" : "VARCHAR(64)")
                + "), R.B, R.K, R.H FROM (" + baseRowsSelect(engine, table) + ") R";
        try (PreparedStatement ps = staging.prepareStatement(sql)) {
            ps.setString(1, String.valueOf(side));
            ps.setString(2, table.name());
            return ps.executeUpdate();
        }
    }

    /** The stage's state (COPYING, STAGED, UPGRADED), or null when this database has no stage row. */
    public static String state(Connection staging) throws SQLException {
        if (!BaseTables.exist(staging)) return null;
        try (Statement s = staging.createStatement(); ResultSet rs = s.executeQuery("SELECT STATE FROM " + BaseTables.STAGE)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /**
     * The gate's refusal for a staging database whose copy never finished (state COPYING, or base tables without
     * a stage row), or null: upgrading half a copy would give a 4.2.0 database missing rows.
     */
    public static String incompleteCopy(Connection c) throws SQLException {
        String state = state(c);
        if (BaseTables.STAGED.equals(state) || BaseTables.UPGRADED.equals(state)) return null;
        if (state == null) {
            return "This is a staging database whose stage did not finish (" + BaseTables.STAGE + " has no row). Run the stage"
                    + " command (exec:java@stage) again before the upgrade; see docs/staging.md.";
        }
        return "This is a staging database whose copy of production did not finish (" + BaseTables.STAGE + " state "
                + SafeText.line(state) + "). Empty it (drop and re-create the database) and run the stage command (exec:java@stage)"
                + " again; see docs/staging.md.";
    }

    private static List<String> split(String list) {
        return list == null || list.isBlank() ? List.of() : Arrays.asList(list.split(","));
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
