package org.carbonupgrade.staging;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

import org.carbonupgrade.ConnectionSettings;
import org.carbonupgrade.Engine;
import org.carbonupgrade.Progress;
import org.carbonupgrade.audit.SafeText;
import org.carbonupgrade.audit.ToolVersion;
import org.carbonupgrade.gate.Redact;
import org.carbonupgrade.rehearsal.Baseline;
import org.carbonupgrade.rehearsal.ExplicitIds;
import org.carbonupgrade.schema.SchemaReader;
import org.carbonupgrade.verify.Additions;

/**
 * The stage: makes the staging database a copy of production's Carbon 4.0.0 database and records the copy's base,
 * so the upgrade (liquibase:update, next in the same Maven command) runs on staging while production stays live.
 *
 * <ul>
 * <li>Staging empty: the 4.0.0 schema is created (Baseline.create, with {@code is} Identity Server's too), every
 *     staged table is copied from production, parents first, streamed (fetch size) and inserted in batches of
 *     {@value #BATCH} rows, each batch committed; production is read in ONE read-only repeatable-read transaction
 *     (PostgreSQL REPEATABLE READ READ ONLY, MySQL/MariaDB START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY:
 *     MVCC reads, no table lock; H2 opened with ACCESS_MODE_DATA=r), so the copy is production at one instant.
 *     Then the id generators move past the copied ids and the production side of the base is recorded.</li>
 * <li>Staging holds an untouched 4.0.0 copy the DBA restored from a native dump (the Carbon tables, no Liquibase
 *     table, no 4.2.0 table, no base): only the base is recorded, from that copy.</li>
 * <li>Refused, with the reason and the fix: engines differ; staging is production (same URL or same database);
 *     staging is neither empty nor an untouched 4.0.0 copy; a base is already recorded (the stage runs once; then
 *     catch-up); a copy was interrupted (STATE COPYING: the operator empties staging and stages again: a copy
 *     committed batch by batch cannot be told apart from production's later changes, so it is never resumed).</li>
 * </ul>
 */
public final class Stage {
    static final int BATCH = 1000;
    public static final String SOURCE_URL = "carbon.upgrade.source.url";
    public static final String SOURCE_USER = "carbon.upgrade.source.username";
    public static final String SOURCE_PASSWORD = "carbon.upgrade.source.password";

    /** What the operator asked for: production (source), staging (target), product. */
    public record Settings(Engine engine, boolean identityServer, ConnectionSettings production, ConnectionSettings staging) {
    }

    /** A refusal: nothing was written (or, for an interrupted copy, nothing more); the message says what to do. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /** The outcome, for the log and the tests. */
    public record Result(String how, long rowsCopied, long baseRows, List<Sequences.Moved> moved) {
    }

    private final Settings settings;
    private final Consumer<String> log;
    /** Tests: runs once production's snapshot is taken (tables counted), before the first row is copied. */
    Runnable inSnapshot = () -> { };

    public Stage(Settings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    public Result run() throws Exception {
        Engine engine = settings.engine();
        if (sameUrl(settings.production().url(), settings.staging().url())) {
            throw new Refused("Production and staging are the same URL (" + Redact.url(settings.staging().url()) + "). Point"
                    + " -Dliquibase.url at an empty staging database and -D" + SOURCE_URL + " at production.");
        }
        if (org.carbonupgrade.h2.H2File.legacy(settings.production().url()) != null
                || org.carbonupgrade.h2.H2File.legacy(settings.staging().url()) != null) {
            throw new Refused("A Carbon H2 1.2 file (WSO2CARBON_DB.h2.db) cannot take part in a staging upgrade: embedded H2 is"
                    + " open in one process only, so production cannot stay live beside its copy anyway. Stop Carbon and upgrade"
                    + " a copy of the file in place (README, H2 section).");
        }
        try (Connection production = connectProduction(); Connection staging = connect(settings.staging(), engine)) {
            checkEngines(production, staging, engine);
            if (sameDatabase(production, staging, engine)) {
                throw new Refused("Production and staging are the same database (" + Redact.url(settings.staging().url()) + " reaches "
                        + Redact.url(settings.production().url()) + "'s database). The stage never writes to production: give an"
                        + " empty staging database.");
            }
            checkProduction(production, engine);
            String existing = StageBase.state(staging);
            if (existing != null) throw new Refused(alreadyStaged(existing));
            Map<String, String> stagingTables = new SchemaReader(staging).tableNames();
            BaseTables.ALL.forEach(stagingTables::remove); // a stage killed before its first row left only these
            if (stagingTables.isEmpty()) return copy(production, staging, engine);
            checkRestored(stagingTables, engine);
            return restored(production, staging, engine);
        }
    }

    private Result copy(Connection production, Connection staging, Engine engine) throws Exception {
        staging.setAutoCommit(false);
        BaseTables.create(staging, engine);
        insertStageRow(production, staging, "COPY");
        staging.commit();
        Baseline.create(staging, settings.identityServer());
        staging.commit();
        List<StagedTable> tables = StagedTables.of(staging, engine, settings.identityServer());
        checkColumns(production, tables);
        log.accept("Staging " + Redact.url(settings.staging().url()) + " was empty: created the Carbon 4.0.0 schema ("
                + tables.size() + " tables); copying production " + Redact.url(settings.production().url()) + " in one read-only snapshot");

        try {
            return copyRows(production, staging, engine, tables);
        } catch (SQLException e) {
            throw new SQLException("The copy stopped: " + SafeText.line(Redact.text(e.getMessage())) + ". Staging holds part of a copy"
                    + " (CARBON_UPGRADE_STAGE state COPYING) that is never resumed: empty the staging database (drop and re-create it)"
                    + " and run the stage again. Production was only read.", e.getSQLState(), e.getErrorCode(), e);
        }
    }

    private Result copyRows(Connection production, Connection staging, Engine engine, List<StagedTable> tables) throws SQLException {
        long copied = 0;
        Map<String, Long> counts = new LinkedHashMap<>();
        beginSnapshot(production, engine);
        XminScan.Mark snapshot;
        BinlogScan.Mark binlog;
        try {
            // The copy is production in this snapshot: catch-up later reads only rows written since (PostgreSQL).
            snapshot = XminScan.current(production, engine);
            binlog = binlogMark(production, engine);
            long total = 0;
            for (StagedTable t : tables) {
                counts.put(t.name(), count(production, t.name()));
                total += counts.get(t.name());
            }
            inSnapshot.run();
            Progress progress = new Progress("copy", total, log);
            ExplicitIds.oracleTriggers(staging, false); // Oracle (written, not run here): WSO2's id triggers would replace the ids
            for (StagedTable t : tables) copied += copyTable(production, staging, engine, t, progress);
            ExplicitIds.oracleTriggers(staging, true);
            progress.done();
        } finally {
            production.rollback(); // it only read: ends the snapshot
        }
        for (StagedTable t : tables) {
            long there = count(staging, t.name());
            if (there != counts.get(t.name())) {
                throw new SQLException("The copy of " + t.name() + " has " + there + " rows, production had " + counts.get(t.name())
                        + " in the snapshot. Empty the staging database and run the stage again.");
            }
        }
        List<Sequences.Moved> moved = Sequences.advancePastIds(staging, engine, tables.stream().map(StagedTable::name).toList());
        long base = record(staging, engine, tables, copied, snapshot, binlog);
        log.accept("Copied " + copied + " rows of " + tables.size() + " tables; " + moved.size() + " id generators moved past the copied ids;"
                + " recorded the production side of the base (" + base + " rows). Staging is ready for the upgrade.");
        return new Result("COPY", copied, base, moved);
    }

    private Result restored(Connection production, Connection staging, Engine engine) throws Exception {
        staging.setAutoCommit(false);
        List<StagedTable> tables = StagedTables.of(staging, engine, settings.identityServer());
        long rows = 0;
        for (StagedTable t : tables) rows += count(staging, t.name());
        log.accept("Staging " + Redact.url(settings.staging().url()) + " holds a Carbon 4.0.0 copy (" + rows + " rows in " + tables.size()
                + " tables), restored by the DBA: recording its base without copying. Production's changes since that dump are"
                + " what catch-up brings over.");
        BaseTables.create(staging, engine);
        insertStageRow(production, staging, "RESTORED");
        List<Sequences.Moved> moved = Sequences.advancePastIds(staging, engine, tables.stream().map(StagedTable::name).toList());
        long base = record(staging, engine, tables, 0, null, null); // the dump's moment on production is unknown
        log.accept("Recorded the production side of the base (" + base + " rows); " + moved.size() + " id generators moved. Staging is"
                + " ready for the upgrade.");
        return new Result("RESTORED", 0, base, moved);
    }

    private long record(Connection staging, Engine engine, List<StagedTable> tables, long copied, XminScan.Mark snapshot, BinlogScan.Mark binlog)
            throws SQLException {
        long base = StageBase.recordProductionSide(staging, engine, tables, log);
        XminScan.record(staging, snapshot);
        BinlogScan.record(staging, binlog);
        try (PreparedStatement ps = staging.prepareStatement("UPDATE " + BaseTables.STAGE + " SET ROWS_COPIED = ?")) {
            ps.setLong(1, copied);
            ps.executeUpdate();
        }
        staging.commit();
        return base;
    }

    /** One table, streamed from the snapshot into staging in committed batches. */
    private long copyTable(Connection production, Connection staging, Engine engine, StagedTable t, Progress progress) throws SQLException {
        String columns = String.join(", ", t.columns());
        String insert = "INSERT INTO " + t.name() + " (" + columns + ") VALUES (" + "?, ".repeat(t.columns().size() - 1) + "?)";
        // SQL Server takes explicit ids only with IDENTITY_INSERT on (written, not run here).
        String identity = ExplicitIds.sqlServerIdentityTable(staging, insert);
        if (identity != null) ExplicitIds.execute(staging, "SET IDENTITY_INSERT " + identity + " ON");
        long rows = 0;
        try (Statement read = production.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
             PreparedStatement write = staging.prepareStatement(insert)) {
            read.setFetchSize(engine == Engine.MYSQL ? Integer.MIN_VALUE : BATCH);
            try (ResultSet rs = read.executeQuery("SELECT " + columns + " FROM " + t.name())) {
                ResultSetMetaData md = rs.getMetaData();
                int n = t.columns().size();
                int pending = 0;
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        Object v = t.lobColumns().contains(t.columns().get(i - 1)) ? lob(rs, i, md.getColumnType(i)) : rs.getObject(i);
                        if (v == null) write.setNull(i, md.getColumnType(i)); else write.setObject(i, v);
                    }
                    write.addBatch();
                    if (++pending == BATCH) {
                        write.executeBatch();
                        staging.commit();
                        progress.advance(pending);
                        rows += pending;
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    write.executeBatch();
                    staging.commit();
                    progress.advance(pending);
                    rows += pending;
                }
            }
        } finally {
            if (identity != null) ExplicitIds.execute(staging, "SET IDENTITY_INSERT " + identity + " OFF");
        }
        return rows;
    }

    /** A large object's value, read whole (one row at a time): a driver's Blob handle is not valid on the other connection. */
    private static Object lob(ResultSet rs, int i, int type) throws SQLException {
        return type == Types.CLOB || type == Types.NCLOB || type == Types.LONGVARCHAR || type == Types.LONGNVARCHAR
                ? rs.getString(i) : rs.getBytes(i);
    }

    /**
     * The snapshot every table is read in. PostgreSQL: the driver begins each transaction READ ONLY at REPEATABLE
     * READ; MySQL/MariaDB: a consistent snapshot taken now; H2: the file is open read-only.
     */
    private static void beginSnapshot(Connection production, Engine engine) throws SQLException {
        production.setAutoCommit(false);
        switch (engine) {
            case POSTGRESQL -> {
                production.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                production.setReadOnly(true);
                String level = single(production, "SELECT current_setting('transaction_isolation') || ' ' || current_setting('transaction_read_only')");
                if (!"repeatable read on".equals(level)) throw new SQLException("Production's snapshot is '" + level + "', not 'repeatable read on'");
            }
            case MYSQL -> {
                production.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                ExplicitIds.execute(production, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
            }
            case MSSQL -> {
                // Written, not run here: a row-versioned snapshot needs ALLOW_SNAPSHOT_ISOLATION ON for the database.
                production.setTransactionIsolation(4096); // SQLServerConnection.TRANSACTION_SNAPSHOT
                production.setReadOnly(true);
            }
            case ORACLE -> ExplicitIds.execute(production, "SET TRANSACTION READ ONLY"); // written, not run here
            case H2 -> production.setReadOnly(true);
        }
    }

    private Connection connectProduction() throws SQLException {
        return connectProduction(settings.production(), settings.engine());
    }

    /**
     * Production as stage and catch-up open it: only ever read. Embedded H2 opens the file read-only (the copy cannot
     * write to it whatever happens) and only if it exists: H2 otherwise creates an empty database at a mistyped path,
     * where catch-up then found "not a Carbon 4.0.0 database" and left the new file behind. A refusal names production's
     * options, not staging's.
     */
    static Connection connectProduction(ConnectionSettings p, Engine engine) throws SQLException {
        String url = p.url();
        String upper = url.toUpperCase(Locale.ROOT);
        if (engine == Engine.H2 && !upper.startsWith("JDBC:H2:MEM:")) {
            if (!upper.contains("ACCESS_MODE_DATA")) url += ";ACCESS_MODE_DATA=r";
            if (!upper.contains("IFEXISTS")) url += ";IFEXISTS=TRUE";
        }
        return connect(new ConnectionSettings(url, p.username(), p.password()), engine, "production",
                "-D" + SOURCE_URL + ", -D" + SOURCE_USER + " and -D" + SOURCE_PASSWORD);
    }

    /**
     * Staging also gets the drivers' batch rewriting (one multi-row INSERT per batch: several times faster; MySQL's driver
     * also sends a batch of other statements as one multi-statement round trip). Catch-up connects to staging the same way.
     */
    static Connection connect(ConnectionSettings s, Engine engine) throws SQLException {
        return connect(s, engine, "staging", "the URL, user and password");
    }

    /**
     * A refused connection names the database ({@code which}) and what the operator corrects ({@code check}); the URL is
     * redacted and the password never shown.
     */
    private static Connection connect(ConnectionSettings s, Engine engine, String which, String check) throws SQLException {
        Properties props = new Properties();
        if (s.username() != null) props.setProperty("user", s.username());
        props.setProperty("password", s.password() == null ? "" : s.password());
        if (engine == Engine.MYSQL) props.setProperty("rewriteBatchedStatements", "true");
        if (engine == Engine.POSTGRESQL) props.setProperty("reWriteBatchedInserts", "true");
        try {
            return DriverManager.getConnection(s.url(), props);
        } catch (SQLException e) {
            throw new SQLException("Cannot connect to " + which + " " + Redact.url(s.url()) + " as " + s.username() + ": "
                    + Redact.text(e.getMessage()) + ". Check " + check + ".", e.getSQLState(), e.getErrorCode());
        }
    }

    private void checkEngines(Connection production, Connection staging, Engine profile) throws Exception {
        Engine p = Engine.of(production);
        Engine s = Engine.of(staging);
        if (p != s) {
            throw new Refused("Production is " + p.describe(production) + " but staging is " + s.describe(staging) + ": the stage copies"
                    + " between databases of the same engine only (WSO2's 4.2.0 scripts are per engine). Give a " + p.profile() + " staging database.");
        }
        if (p != profile) {
            throw new Refused("The profile is " + profile.profile() + " but both databases are " + p.describe(production) + ": run with -P" + p.profile() + ".");
        }
    }

    /**
     * MariaDB: the binary log position of the copy's snapshot (catch-up then reads production's changes from the log),
     * or null, logged, where the server or the account cannot give one (the first catch-up pass hashes every row then).
     */
    private BinlogScan.Mark binlogMark(Connection production, Engine engine) throws SQLException {
        if (engine != Engine.MYSQL) return null;
        try {
            BinlogScan.Mark now = BinlogScan.current(production, engine);
            BinlogScan.Access access = BinlogScan.Access.of(settings.production());
            if (access == null) throw new BinlogScan.Unprovable("production's URL names no single host and port");
            return now.stamped(BinlogScan.fileStarted(access, now.file()));
        } catch (BinlogScan.Unprovable e) {
            log.accept("No binary log position recorded for the copy (" + e.getMessage() + "): the first catch-up pass hashes every"
                    + " production row, later ones read the binary log where they can.");
            return null;
        }
    }

    /** The server's own identity of the database each connection reached: two URLs may name one database. */
    static boolean sameDatabase(Connection a, Connection b, Engine engine) throws SQLException {
        String first = databaseIdentity(a, engine);
        String second = databaseIdentity(b, engine);
        if (engine == Engine.H2 && first != null && second != null && !first.startsWith("mem:")) {
            return Path.of(first).toAbsolutePath().normalize().equals(Path.of(second).toAbsolutePath().normalize());
        }
        return first != null && first.equals(second);
    }

    /** The server's own identity of the database a connection reached (catch-up's binary log mark records it too). */
    static String databaseIdentity(Connection c, Engine engine) throws SQLException {
        String sql = switch (engine) {
            // The postmaster's start time (to the microsecond) tells servers apart; the database oid and name the database.
            case POSTGRESQL -> "SELECT CAST(pg_postmaster_start_time() AS TEXT) || '/' || d.oid || '/' || d.datname || '/' || current_schema()"
                    + " FROM pg_database d WHERE d.datname = current_database()";
            case MYSQL -> "SELECT CONCAT(@@hostname, ':', @@port, ':', @@datadir, ':', DATABASE())";
            case H2 -> "SELECT COALESCE(DATABASE_PATH(), 'mem:' || DATABASE())";
            case MSSQL -> "SELECT CONCAT(@@SERVERNAME, ':', DB_NAME(), ':', SCHEMA_NAME())";
            case ORACLE -> "SELECT SYS_CONTEXT('USERENV', 'DB_UNIQUE_NAME') || ':' || SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA') FROM DUAL";
        };
        return single(c, sql);
    }

    static boolean sameUrl(String a, String b) {
        return a != null && a.trim().equalsIgnoreCase(b == null ? "" : b.trim());
    }

    /** Production must be a Carbon 4.0.0 database this product's copy carries whole. */
    private void checkProduction(Connection production, Engine engine) throws Refused, SQLException {
        Set<String> present = new TreeSet<>(new SchemaReader(production).tableNames().keySet());
        List<String> baseline = StagedTables.baselineNames(engine, settings.identityServer());
        List<String> missing = baseline.stream().filter(t -> !present.contains(t)).toList();
        if (present.contains("DATABASECHANGELOG") || present.contains(BaseTables.STAGE)) {
            throw new Refused("Production " + Redact.url(settings.production().url()) + " has carbon-upgrade's or Liquibase's tables: it is"
                    + " (partly) upgraded or itself a staging copy. -D" + SOURCE_URL + " must name the live Carbon 4.0.0 database.");
        }
        if (!missing.isEmpty()) {
            throw new Refused("Production " + Redact.url(settings.production().url()) + " is not a complete Carbon 4.0.0"
                    + (settings.identityServer() ? " Identity Server" : "") + " database: missing " + missing + "."
                    + (settings.identityServer() ? " Without -Pis only the Carbon tables are staged." : ""));
        }
        present.removeAll(baseline);
        if (!present.isEmpty()) {
            List<String> identity = present.stream().filter(t -> t.startsWith("IDN_")).toList();
            throw new Refused("Production has tables the copy would not carry: " + present + ". A copy without them would lose"
                    + " their rows at the switch." + (!identity.isEmpty() && !settings.identityServer()
                    ? " Identity Server tables: run with -P" + engine.profile() + ",is." : "")
                    + " Otherwise restore a native dump of production into staging (it carries every table) and run the stage on it.");
        }
    }

    /** The copy writes production's columns into the baseline's: a 4.0.x/4.1.x variant with other columns is refused. */
    private static void checkColumns(Connection production, List<StagedTable> tables) throws Refused, SQLException {
        List<String> differences = new ArrayList<>();
        SchemaReader reader = new SchemaReader(production);
        Map<String, String> names = reader.tableNames();
        for (StagedTable t : tables) {
            Set<String> there = reader.readTable(names.get(t.name())).columns.keySet();
            if (!new TreeSet<>(there).equals(new TreeSet<>(t.columns()))) {
                differences.add(t.name() + " has " + there + ", the 4.0.0 schema " + t.columns());
            }
        }
        if (!differences.isEmpty()) {
            throw new Refused("Production's columns differ from the Carbon 4.0.0 schema the copy creates: " + String.join("; ", differences)
                    + ". Empty the staging database, restore a native dump of production into it and run the stage again.");
        }
    }

    /** Staging is not empty: it must be an untouched 4.0.0 copy (a DBA's restored dump). */
    private void checkRestored(Map<String, String> stagingTables, Engine engine) throws Refused {
        List<String> baseline = StagedTables.baselineNames(engine, settings.identityServer());
        List<String> missing = baseline.stream().filter(t -> !stagingTables.containsKey(t)).toList();
        List<String> upgraded = new ArrayList<>();
        for (String t : stagingTables.keySet()) {
            if (t.startsWith("DATABASECHANGELOG") || t.startsWith("CARBON_UPGRADE_")) upgraded.add(t);
        }
        Additions.tables(engine, settings.identityServer()).stream().filter(stagingTables::containsKey).forEach(upgraded::add);
        if (missing.size() == baseline.size()) {
            throw new Refused("Staging " + Redact.url(settings.staging().url()) + " is not empty and holds no Carbon database (found "
                    + preview(stagingTables.keySet()) + "). Give an empty database, or one holding a native dump of production.");
        }
        if (!missing.isEmpty() || !upgraded.isEmpty()) {
            throw new Refused("Staging " + Redact.url(settings.staging().url()) + " is neither empty nor an untouched Carbon 4.0.0 copy ("
                    + (missing.isEmpty() ? "" : "missing " + missing + "; ") + (upgraded.isEmpty() ? "" : "already has " + upgraded + "; ")
                    + "). Empty it (drop and re-create the database), or restore a fresh native dump of production into it, and run again.");
        }
    }

    private String alreadyStaged(String state) {
        return switch (state) {
            case BaseTables.COPYING -> "Staging " + Redact.url(settings.staging().url()) + " holds an interrupted copy (CARBON_UPGRADE_STAGE"
                    + " state COPYING). A half copy is never resumed: empty the staging database (drop and re-create it) and run the stage again.";
            case BaseTables.STAGED -> "Staging " + Redact.url(settings.staging().url()) + " is already staged (its base is recorded) but not yet"
                    + " upgraded. The stage runs once: finish the upgrade with liquibase:update alone (same -P and -Dliquibase.* options),"
                    + " then bring production's later changes over with exec:java@catch-up.";
            default -> "Staging " + Redact.url(settings.staging().url()) + " is already staged and upgraded (state " + SafeText.line(state) + ")."
                    + " The stage runs once: bring production's later changes over with exec:java@catch-up. To start over, empty the"
                    + " staging database and run the stage again.";
        };
    }

    private void insertStageRow(Connection production, Connection staging, String how) throws SQLException {
        try (PreparedStatement ps = staging.prepareStatement("INSERT INTO " + BaseTables.STAGE + " (STAGE_ID, STATE, HOW, ENGINE, PRODUCT,"
                + " SOURCE_URL, SOURCE_USER, SOURCE_INFO, STARTED_AT, TOOL_VERSION) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, UUID.randomUUID().toString());
            ps.setString(2, BaseTables.COPYING);
            ps.setString(3, how);
            ps.setString(4, settings.engine().profile());
            ps.setString(5, settings.identityServer() ? "is" : "carbon");
            ps.setString(6, cut(Redact.url(settings.production().url()), 1000));
            ps.setString(7, cut(settings.production().username(), 200));
            ps.setString(8, cut(settings.engine().describe(production), 500));
            ps.setTimestamp(9, Timestamp.from(Instant.now()));
            ps.setString(10, ToolVersion.get());
            ps.executeUpdate();
        }
    }

    private static String cut(String s, int max) {
        s = SafeText.line(s);
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static String preview(Set<String> names) {
        List<String> list = new ArrayList<>(names);
        return list.size() <= 5 ? list.toString() : list.subList(0, 5) + " and " + (list.size() - 5) + " more";
    }

    private static long count(Connection c, String table) throws SQLException {
        return Long.parseLong(single(c, "SELECT COUNT(*) FROM " + RowHashSql.checkName(table)));
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
