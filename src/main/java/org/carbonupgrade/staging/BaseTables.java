package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.carbonupgrade.Engine;
import org.carbonupgrade.schema.SchemaReader;

/**
 * The base a staging database keeps of its copy, in three tables on staging only. The stage command creates them
 * with plain DDL before the upgrade runs: they are not in any changelog, because an in-place upgrade must never
 * create them. Not Carbon tables; the product never reads them (the gate and the verifier ignore tables that are
 * no Carbon table).
 *
 * <ul>
 * <li>{@value #STAGE}: one row: where the copy came from (URL without password), when, how (COPY or RESTORED),
 *     and the state: COPYING while rows are being copied (a staging left so is half a copy: empty it and stage
 *     again), STAGED once the production-side base is recorded, UPGRADED once the upgrade recorded its side.</li>
 * <li>{@value #TABLES}: per staged table: its position (parents first), buckets, key columns, the 4.0.0 columns
 *     the production side hashes (P_COLUMNS), the columns the staging side hashes after the upgrade (S_COLUMNS),
 *     the large-object columns hashed by digest.</li>
 * <li>{@value #ROWS}: per side and table, each row's key text, bucket and hash. SIDE 'P': production as copied
 *     (4.0.0 form); 'S': staging right after the upgrade (4.2.0 form).</li>
 * <li>{@value #SUMMARY}: per side, table and bucket, the count and hash sum of that bucket's base rows, kept in step
 *     with {@value #ROWS} in the same transaction, so a catch-up pass compares a live table's per-bucket figures with
 *     a small table instead of aggregating millions of base rows again.</li>
 * <li>{@value #SNAPSHOT}: PostgreSQL only, at most one row: the xmin of production's snapshot that the 'P' base equals
 *     (the copy's, then each applied pass's), with the cluster's system identifier and the database's oid, so a pass
 *     reads only rows written since (XminScan).</li>
 * <li>{@value #BINLOG}: MariaDB only, at most one row: the binary log position of production's snapshot that the 'P'
 *     base equals, with what identifies the server, the database and the log file, so a pass reads production's
 *     changes from the binary log (BinlogScan).</li>
 * <li>{@value #SLOT}: PostgreSQL with the opt-in only, at most one row: the logical replication slot on production whose
 *     consistent point is the snapshot the 'P' base equals, so a pass decodes production's changes since (SlotScan).</li>
 * <li>{@value #PENDING}: what a final catch-up pass (the cut-over's, {@code -Dcarbon.upgrade.catchup.final=true}) would
 *     have written to {@value #ROWS} and {@value #SUMMARY}: per side and key the new bucket and hash (none: the key's
 *     base row goes) and the old ones (none: it had no base row). Written in that pass's transaction instead of the
 *     rewrite of the base, as no pass follows a cut-over; a later pass (the cut-over abandoned) merges the rows into
 *     the base in a transaction of its own and deletes them before it compares (CatchUp.mergePending), so the base
 *     then equals the snapshot that pass recorded.</li>
 * </ul>
 */
public final class BaseTables {
    public static final String STAGE = "CARBON_UPGRADE_STAGE";
    public static final String TABLES = "CARBON_UPGRADE_STAGE_TABLE";
    public static final String ROWS = "CARBON_UPGRADE_BASE_ROW";
    public static final String SUMMARY = "CARBON_UPGRADE_BASE_SUMMARY";
    /** PostgreSQL: production's snapshot the 'P' base equals (XminScan); empty on other engines and after a restored dump. */
    public static final String SNAPSHOT = "CARBON_UPGRADE_BASE_SNAPSHOT";
    /** MariaDB: the binary log position of production's snapshot the 'P' base equals (BinlogScan); empty elsewhere. */
    public static final String BINLOG = "CARBON_UPGRADE_BASE_BINLOG";
    /** The base rows a final catch-up pass left to merge (empty but after such a pass). */
    public static final String PENDING = "CARBON_UPGRADE_BASE_PENDING";
    /** PostgreSQL with -Dcarbon.upgrade.catchup.pgSlot=true: the logical replication slot the 'P' base equals (SlotScan). */
    public static final String SLOT = "CARBON_UPGRADE_BASE_SLOT";
    public static final List<String> ALL = List.of(STAGE, TABLES, ROWS, SUMMARY, SNAPSHOT, BINLOG, PENDING, SLOT);
    /** Catch-up's reads of the base by bucket; built once both sides are recorded ({@link #createBucketIndex}). */
    public static final String BUCKET_INDEX = "IX_CARBON_UPGRADE_BASE_BUCKET";

    public static final String COPYING = "COPYING";
    public static final String STAGED = "STAGED";
    public static final String UPGRADED = "UPGRADED";

    /**
     * Column of {@value #TABLES}: NULL or 0, the table's buckets are hashes of its key texts; above 0, ranges of its first
     * key column this wide (StagedTable.bucketWidth). A staging staged before it existed has no such column: hash buckets.
     */
    public static final String BUCKET_WIDTH = "BUCKET_WIDTH";

    /** Longest key text a base row holds (the longest 4.0.0 key, IDN_OPENID_USER_RPS's two names and URL, is ~520). */
    public static final int KEY_LENGTH = 700;

    private BaseTables() {
    }

    /** Whether the database has the stage's tables (false on every database upgraded in place). */
    public static boolean exist(Connection c) throws SQLException {
        return new SchemaReader(c).tableNames().containsKey(STAGE);
    }

    /**
     * Creates whichever of the tables is missing (a stage killed between two of them re-runs this; a staging staged
     * before {@value #SUMMARY} existed gets it from its next catch-up pass, which fills it).
     */
    public static void create(Connection c, Engine engine) throws SQLException {
        Map<String, String> present = new SchemaReader(c).tableNames();
        List<String> ddl = ddl(engine);
        try (Statement s = c.createStatement()) {
            for (int i = 0; i < ALL.size(); i++) {
                if (present.containsKey(ALL.get(i))) continue;
                s.execute(ddl.get(i));
            }
        }
        if (!c.getAutoCommit()) c.commit();
    }

    /**
     * Builds {@value #BUCKET_INDEX} unless it exists: once, after both sides' base rows are in. Kept up during the bulk
     * inserts of the base (rows in random bucket order) it made the stage's recording 1.7-3.2 times slower on MariaDB
     * (docs/benchmark.md "Stage base recording"); one sort at the end is cheaper. On MariaDB the DDL commits the
     * transaction it is in: the caller calls it after the base rows, before it changes the stage's state.
     */
    public static void createBucketIndex(Connection c, Engine engine) throws SQLException {
        if (hasBucketIndex(c)) return;
        try (Statement s = c.createStatement()) {
            s.execute(ddl(engine).get(ALL.size()));
        }
    }

    /**
     * PostgreSQL: gathers the base table's column statistics unless it has them. Without them (right after the bulk insert of
     * the base, before autovacuum gets to it) the planner answers catch-up's lookups of a few hundred base rows by key
     * through the bucket index, reading every base row of the table each time: 4.7 s instead of milliseconds per 200
     * keys of UM_USER_ATTRIBUTE at 1M users (EXPLAIN ANALYZE, docs/benchmark.md). ANALYZE samples; it runs inside a
     * transaction and takes about a second there.
     */
    public static void analyzeIfNever(Connection c, Engine engine) throws SQLException {
        if (engine != Engine.POSTGRESQL) return;
        try (Statement s = c.createStatement()) {
            // Column statistics, not the activity counters: a database copied with CREATE DATABASE ... TEMPLATE keeps the former.
            try (java.sql.ResultSet rs = s.executeQuery("SELECT 1 FROM pg_stats WHERE schemaname = current_schema() AND tablename = '"
                    + ROWS.toLowerCase() + "'")) {
                if (rs.next()) return;
            }
            s.execute("ANALYZE " + ROWS);
        }
    }

    /** Drops {@value #BUCKET_INDEX} if it exists, before base rows are inserted in bulk again (a re-run). */
    public static void dropBucketIndex(Connection c, Engine engine) throws SQLException {
        if (!hasBucketIndex(c)) return;
        boolean named = engine == Engine.MYSQL || engine == Engine.MSSQL; // these name the table the index is on
        try (Statement s = c.createStatement()) {
            s.execute("DROP INDEX " + BUCKET_INDEX + (named ? " ON " + ROWS : ""));
        }
    }

    /** Whether {@value #TABLES} has the column {@value #BUCKET_WIDTH} (not on a staging staged before id-range buckets). */
    public static boolean hasBucketWidth(Connection c) throws SQLException {
        SchemaReader reader = new SchemaReader(c);
        String table = reader.tableNames().get(TABLES);
        return table != null && reader.readTable(table, java.util.EnumSet.of(SchemaReader.Part.COLUMNS)).columns.containsKey(BUCKET_WIDTH);
    }

    /** Whether {@value #ROWS} has {@value #BUCKET_INDEX} (catalogs differ in case: compared ignoring it). */
    public static boolean hasBucketIndex(Connection c) throws SQLException {
        SchemaReader reader = new SchemaReader(c);
        String table = reader.tableNames().get(ROWS);
        return table != null && reader.readTable(table).indexes.containsKey(BUCKET_INDEX);
    }

    /** The DDL per engine. ROW_KEY compares exactly (binary) everywhere: 'a' and 'A ' are different keys. */
    static List<String> ddl(Engine engine) {
        String text = engine == Engine.ORACLE ? "VARCHAR2" : engine == Engine.MSSQL ? "NVARCHAR" : "VARCHAR";
        String chars = engine == Engine.ORACLE ? " CHAR)" : ")";
        String bigint = engine == Engine.ORACLE ? "NUMBER(19)" : "BIGINT";
        String wide = engine == Engine.ORACLE ? "NUMBER(38)" : "DECIMAL(38, 0)";
        String integer = engine == Engine.ORACLE ? "NUMBER(10)" : "INTEGER";
        String time = engine == Engine.MSSQL ? "DATETIME2" : "TIMESTAMP";
        String rowKey = switch (engine) {
            // MySQL's _bin collations pad spaces (MariaDB) and are not the same name on MySQL 8: bytes compare exactly.
            case MYSQL -> "VARBINARY(" + KEY_LENGTH * 4 + ")";
            case MSSQL -> "NVARCHAR(" + KEY_LENGTH + ") COLLATE Latin1_General_BIN2";
            default -> text + "(" + KEY_LENGTH + chars;
        };
        String ascii = engine == Engine.MYSQL ? " CHARACTER SET ascii" : "";
        // SQL Server: a clustered key holds at most 900 bytes; ROW_KEY is up to 1400.
        String pk = engine == Engine.MSSQL ? "PRIMARY KEY NONCLUSTERED" : "PRIMARY KEY";
        return List.of(
                "CREATE TABLE " + STAGE + " (STAGE_ID " + text + "(40" + chars + " NOT NULL, STATE " + text + "(20" + chars + " NOT NULL,"
                        + " HOW " + text + "(10" + chars + " NOT NULL, ENGINE " + text + "(20" + chars + ", PRODUCT " + text + "(20" + chars + ","
                        + " SOURCE_URL " + text + "(1000" + chars + ", SOURCE_USER " + text + "(200" + chars + ", SOURCE_INFO " + text + "(500" + chars + ","
                        + " STARTED_AT " + time + " NOT NULL, STAGED_AT " + time + ", UPGRADED_AT " + time + ", ROWS_COPIED " + bigint + ","
                        + " TOOL_VERSION " + text + "(50" + chars + ", CONSTRAINT PK_CARBON_UPGRADE_STAGE " + pk + " (STAGE_ID))",
                "CREATE TABLE " + TABLES + " (TABLE_NAME " + text + "(64" + chars + ascii + " NOT NULL, TABLE_ORDER " + integer + " NOT NULL,"
                        + " BUCKETS " + integer + " NOT NULL, KEY_COLUMNS " + text + "(1000" + chars + " NOT NULL, HAS_PRIMARY_KEY " + integer + " NOT NULL,"
                        + " P_COLUMNS " + text + "(4000" + chars + " NOT NULL, S_COLUMNS " + text + "(4000" + chars + ","
                        + " LOB_COLUMNS " + text + "(1000" + chars + ", ROWS_AT_STAGE " + bigint + ", " + BUCKET_WIDTH + " " + bigint + ","
                        + " CONSTRAINT PK_CARBON_UPGRADE_STAGE_TABLE " + pk + " (TABLE_NAME))",
                "CREATE TABLE " + ROWS + " (SIDE CHAR(1)" + ascii + " NOT NULL, TABLE_NAME " + text + "(64" + chars + ascii + " NOT NULL,"
                        + " BUCKET " + integer + " NOT NULL, ROW_KEY " + rowKey + " NOT NULL, ROW_HASH " + bigint + " NOT NULL,"
                        + " CONSTRAINT PK_CARBON_UPGRADE_BASE_ROW " + pk + " (SIDE, TABLE_NAME, ROW_KEY))",
                // A bucket's hash sum: 32-bit hashes of any number of rows (a table may grow after the stage).
                "CREATE TABLE " + SUMMARY + " (SIDE CHAR(1)" + ascii + " NOT NULL, TABLE_NAME " + text + "(64" + chars + ascii + " NOT NULL,"
                        + " BUCKET " + integer + " NOT NULL, ROW_COUNT " + bigint + " NOT NULL, HASH_SUM " + wide + " NOT NULL,"
                        + " CONSTRAINT PK_CARBON_UPGRADE_BASE_SUMMARY " + pk + " (SIDE, TABLE_NAME, BUCKET))",
                // The full 64-bit xid (epoch and xid) of the snapshot's xmin; the identity its transaction counter belongs to.
                "CREATE TABLE " + SNAPSHOT + " (SNAPSHOT_XMIN " + bigint + " NOT NULL, SYSTEM_ID " + text + "(40" + chars + " NOT NULL,"
                        + " DATABASE_OID " + bigint + " NOT NULL, RECORDED_AT " + time + " NOT NULL)",
                // The position, the log file's FORMAT_DESCRIPTION time (a RESET MASTER or another server re-uses file names),
                // the server's id and the database's identity (Stage.sameDatabase's text).
                "CREATE TABLE " + BINLOG + " (BINLOG_FILE " + text + "(255" + chars + " NOT NULL, BINLOG_POSITION " + bigint + " NOT NULL,"
                        + " FILE_STARTED " + bigint + " NOT NULL, SERVER_ID " + bigint + " NOT NULL, DATABASE_IDENTITY " + text + "(1000" + chars
                        + " NOT NULL, RECORDED_AT " + time + " NOT NULL)",
                // A final pass's base rows to merge: NULL bucket and hash, the key leaves the base; NULL old ones, it was not in it.
                "CREATE TABLE " + PENDING + " (PASS_ID " + text + "(36" + chars + " NOT NULL, SIDE CHAR(1)" + ascii + " NOT NULL, TABLE_NAME "
                        + text + "(64" + chars + ascii + " NOT NULL, ROW_KEY " + rowKey + " NOT NULL, BUCKET " + integer + ", ROW_HASH " + bigint + ","
                        + " OLD_BUCKET " + integer + ", OLD_HASH " + bigint + ", CONSTRAINT PK_CARBON_UPGRADE_BASE_PENDING " + pk
                        + " (SIDE, TABLE_NAME, ROW_KEY))",
                // The slot's name and consistent point (an LSN as PostgreSQL prints it: hex/hex).
                "CREATE TABLE " + SLOT + " (SLOT_NAME " + text + "(63" + chars + " NOT NULL, CONSISTENT_POINT " + text + "(40" + chars + " NOT NULL,"
                        + " RECORDED_AT " + time + " NOT NULL)",
                // Catch-up reads the keys and hashes of the buckets that differ, and re-sums those buckets after a pass:
                // ROW_HASH in the index answers both from it alone (InnoDB's secondary index holds the primary key, so
                // ROW_KEY too), without a lookup per row in a base table far larger than MariaDB's default buffer pool.
                "CREATE INDEX " + BUCKET_INDEX + " ON " + ROWS + " (SIDE, TABLE_NAME, BUCKET, ROW_HASH)");
    }
}
