package org.carbonupgrade.change;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.custom.CustomChangeWrapper;
import liquibase.change.custom.CustomSqlChange;
import liquibase.database.Database;
import liquibase.database.PreparedStatementFactory;
import liquibase.database.core.MSSQLDatabase;
import liquibase.database.core.OracleDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomChangeException;
import liquibase.exception.DatabaseException;
import liquibase.exception.ValidationErrors;
import liquibase.statement.ExecutablePreparedStatement;
import liquibase.statement.SqlStatement;
import liquibase.statement.core.CommentStatement;
import liquibase.statement.core.RawSqlStatement;

import org.carbonupgrade.gate.GateRunner;
import org.carbonupgrade.gate.GateSettings;

/**
 * A domain back-fill (changelogs/carbon/um-domain-ids.xml) run in key-range chunks of UM_ID, each chunk its own
 * transaction, with progress lines. At tens of millions of rows one set-based UPDATE is one huge transaction
 * (undo, WAL, replication lag, locks held for minutes) with no sign of life; chunks keep each transaction
 * small and say how far the fill is.
 *
 * <p>Each chunk runs the changelog's own set-based statement with {@code AND UM_ID >= ? AND UM_ID < ?} added,
 * so the rows it writes are exactly those the single statement writes (the ranges cover every key once, and
 * UM_ID need not even be unique for that). Every back-fill touches only rows still without a domain id
 * ({@value #LACKING}: NULL, or the placeholder -1 MySQL/MariaDB's column is added with so that the fill updates in
 * place, changelogs/carbon/um-domain-ids.xml), so a run killed between (or inside) chunks resumes where the last
 * commit left it: the committed chunks are done, the rest still qualifies. The chunk size is {@value #CHUNK_SIZE_PROPERTY} (default
 * {@value #DEFAULT_CHUNK_SIZE}, chosen by measurement: docs/benchmark.md).
 *
 * <p>Review (updateSQL, offline or live) prints the plain set-based statement under a comment saying how it
 * runs: the DBA reads the SQL once, not once per chunk. Callers that need the plain statement to run it their
 * own way (staging catch-up, in one transaction of its own) use {@link #plainStatements(Change, Database)}.
 */
public class ChunkedBackfill extends PlainCustomChange implements CustomSqlChange {
    public static final String CHUNK_SIZE_PROPERTY = "carbon.upgrade.chunkSize";
    public static final int DEFAULT_CHUNK_SIZE = 50_000;
    /** A row still without its domain id, as every back-fill statement of the changelog selects it (validated). */
    public static final String LACKING = "(UM_DOMAIN_ID IS NULL OR UM_DOMAIN_ID = -1)";
    /** The value MySQL/MariaDB's UM_HYBRID_USER_ROLE.UM_DOMAIN_ID holds until it is back-filled: no UM_DOMAIN id (they start at 1). */
    public static final int PLACEHOLDER = -1;

    /** The tables a back-fill may chunk: the name becomes SQL, so it comes from this list only. */
    private static final Set<String> TABLES = Set.of("UM_HYBRID_USER_ROLE", "UM_ROLE_PERMISSION");

    private String table;
    private String rows = "domain";
    private String sql;
    private String mssqlSql;
    private String oracleSql;

    public void setTable(String table) {
        this.table = table.trim().toUpperCase(Locale.ROOT);
    }

    /** Which rows this back-fill gives a domain, for the progress lines ("primary domain", ...). */
    public void setRows(String rows) {
        this.rows = rows.trim();
    }

    /** The set-based statement; it ends with its WHERE clause, so the key range can be added with AND. */
    public void setSql(String sql) {
        this.sql = statement(sql);
    }

    /** SQL Server's spelling of the statement (CHARINDEX, LEN), when it differs. */
    public void setMssqlSql(String sql) {
        this.mssqlSql = statement(sql);
    }

    /** Oracle's spelling of the statement (SUBSTR, INSTR), when it differs. */
    public void setOracleSql(String sql) {
        this.oracleSql = statement(sql);
    }

    private static String statement(String text) {
        return text.strip().replaceFirst(";\\s*$", "");
    }

    public String getTable() {
        return table;
    }

    /** The plain set-based statement for this engine, as the changelog holds it. */
    public String sqlFor(Database database) {
        if (database instanceof MSSQLDatabase && mssqlSql != null) return mssqlSql;
        if (database instanceof OracleDatabase && oracleSql != null) return oracleSql;
        return sql;
    }

    /**
     * The plain set-based statements of a back-fill change as the changelog holds them (no chunks, no commits),
     * for this database. Any other change: its own statements.
     */
    public static SqlStatement[] plainStatements(Change change, Database database) {
        // Generating first: the wrapper hands the changelog's <param> values to the custom change only then.
        SqlStatement[] generated = change.generateStatements(database);
        if (change instanceof CustomChangeWrapper wrapper && wrapper.getCustomChange() instanceof ChunkedBackfill fill) {
            return new SqlStatement[] {new RawSqlStatement(fill.sqlFor(database))};
        }
        return generated;
    }

    @Override
    public SqlStatement[] generateStatements(Database database) throws CustomChangeException {
        int chunkSize = chunkSize();
        boolean live = database.getConnection() instanceof JdbcConnection;
        if (!live || GateRunner.reviewOnly(database)) {
            return new SqlStatement[] {
                new CommentStatement("Runs in chunks of about " + String.format(Locale.ROOT, "%,d", chunkSize)
                        + " rows by key range of " + table + ".UM_ID, each chunk committed on its own:\n-- this statement with"
                        + " AND UM_ID >= ? AND UM_ID < ? added. It touches only rows still without UM_DOMAIN_ID,\n--"
                        + " so a re-run after a crash goes on from the last committed chunk. Chunk size: -D"
                        + CHUNK_SIZE_PROPERTY + "."),
                new RawSqlStatement(sqlFor(database))};
        }
        return new SqlStatement[] {new Chunked("back-fill " + table + " " + rows, table, sqlFor(database), chunkSize, gateRowCount(database))};
    }

    /**
     * The table's rows as the gate counted them before the first change of this run, or null (no gate in this run). No
     * changeset adds or removes rows of the tables a back-fill fills, so it still holds; it only sizes the chunks and the
     * progress, and saves a scan of the whole table per back-fill.
     */
    private Long gateRowCount(Database database) {
        org.carbonupgrade.gate.UpgradeGate.Result gate = GateRunner.resultFor(database);
        return gate == null ? null : gate.rowCounts().get(table);
    }

    /** -Dcarbon.upgrade.chunkSize (or the same key on the Liquibase scope), else the measured default. */
    static int chunkSize() throws CustomChangeException {
        String value = GateSettings.value(CHUNK_SIZE_PROPERTY);
        if (value == null) {
            return DEFAULT_CHUNK_SIZE;
        }
        try {
            int size = Integer.parseInt(value.replace("_", "").replace(",", ""));
            if (size > 0) return size;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CustomChangeException("-D" + CHUNK_SIZE_PROPERTY + "=" + org.carbonupgrade.audit.SafeText.line(value)
                + " is not a positive whole number of rows; leave it out for the default " + DEFAULT_CHUNK_SIZE + ".");
    }

    @Override
    public ValidationErrors validate(Database database) {
        ValidationErrors errors = new ValidationErrors();
        if (table == null || !TABLES.contains(table)) {
            errors.addError("ChunkedBackfill: table must be one of " + TABLES + ", not " + table);
        }
        if (sql == null) {
            errors.addError("ChunkedBackfill on " + table + ": the sql param (the statement) is required");
        }
        for (String statement : java.util.Arrays.asList(sql, mssqlSql, oracleSql)) {
            if (statement != null && !endsInTopLevelWhere(statement)) {
                errors.addError("ChunkedBackfill on " + table + ": each statement must be an UPDATE whose last"
                        + " top-level clause is WHERE without OR, so that AND UM_ID >= ? AND UM_ID < ? narrows it");
            }
            // The chunk loop counts and ranges the rows to do by the same test, and a re-run must find only the rest.
            if (statement != null && !statement.replaceAll("\\s+", " ").contains("WHERE " + LACKING)) {
                errors.addError("ChunkedBackfill on " + table + ": each statement must select only rows still without a domain"
                        + " id, with WHERE " + LACKING + " first");
            }
        }
        return errors;
    }

    /** True when the text is an UPDATE with a top-level WHERE and no top-level OR (appending AND keeps its meaning). */
    public static boolean endsInTopLevelWhere(String sql) {
        String upper = sql.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("UPDATE ")) return false;
        int depth = 0;
        boolean inString = false;
        int where = -1;
        for (int i = 0; i < upper.length(); i++) {
            char ch = upper.charAt(i);
            if (ch == '\'') inString = !inString;
            if (inString) continue;
            if (ch == '(') depth++;
            else if (ch == ')') depth--;
            else if (depth == 0 && wordAt(upper, i, "WHERE")) where = i;
            else if (depth == 0 && where >= 0 && wordAt(upper, i, "OR")) return false;
        }
        return where >= 0 && depth == 0;
    }

    private static boolean wordAt(String text, int i, String word) {
        return text.startsWith(word, i) && (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))
                && (i + word.length() == text.length() || !Character.isLetterOrDigit(text.charAt(i + word.length())));
    }

    @Override
    public String getConfirmationMessage() {
        return "Back-filled UM_DOMAIN_ID of " + table + " in key-range chunks";
    }

    /**
     * What Liquibase's JDBC executor runs: the chunk loop. It is a {@link RawSqlStatement} of the plain statement
     * too, so anything that only renders SQL (Liquibase's SQL generators) sees the set-based statement.
     */
    static final class Chunked extends RawSqlStatement implements ExecutablePreparedStatement {
        private final String what;
        private final String table;
        private final int chunkSize;
        /** The table's rows counted by the gate, or null: counted here then. */
        private final Long rowCount;

        Chunked(String what, String table, String sql, int chunkSize, Long rowCount) {
            super(sql);
            this.what = what;
            this.table = table;
            this.chunkSize = chunkSize;
            this.rowCount = rowCount;
        }

        @Override
        public void execute(PreparedStatementFactory statements) throws DatabaseException {
            Consumer<String> log = line -> Scope.getCurrentScope().getLog(ChunkedBackfill.class).info(line);
            try {
                run(statements, log);
            } catch (SQLException e) {
                throw new DatabaseException("Back-fill of " + table + " stopped: " + e.getMessage()
                        + ". The chunks before it are committed; run the upgrade again to go on from there.", e);
            }
        }

        private void run(PreparedStatementFactory statements, Consumer<String> log) throws SQLException, DatabaseException {
            // The table name is from TABLES (validated), never from the database or the command line.
            // The whole key range, read from the ends of the primary key's index: the ranges cover every row, and the
            // statement itself picks the rows still without a domain id (limiting MIN and MAX to those would scan the
            // whole table once per back-fill; on a resumed run the chunks already done find nothing to update).
            long first;
            long last;
            try (PreparedStatement ps = statements.create("SELECT MIN(UM_ID), MAX(UM_ID) FROM " + table);
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                first = rs.getLong(1);
                if (rs.wasNull()) {
                    log.accept(what + ": " + table + " has no rows, nothing to do");
                    return;
                }
                last = rs.getLong(2);
                if (nothingLacking(ps.getConnection())) {
                    log.accept(what + ": no row of " + table + " lacks UM_DOMAIN_ID (rebuilt with them), nothing to do");
                    return;
                }
            }
            long count = rowCount != null ? rowCount : countRows(statements);
            try (PreparedStatement update = statements.create(getSql() + " AND UM_ID >= ? AND UM_ID < ?");
                 PreparedStatement next = statements.create("SELECT MIN(UM_ID) FROM " + table + " WHERE UM_ID >= ?")) {
                KeyRangeChunks.run(what, "updated", update, next, first, last, first, chunkSize, count, log);
            }
        }

        /**
         * PostgreSQL rebuilds UM_HYBRID_USER_ROLE with its domain ids before its back-fills run (HybridUserRoleRebuild): one
         * scan that stops at the first row lacking one saves the chunk loop's read of the whole table by key ranges. The
         * other engines always have rows to fill here.
         */
        private boolean nothingLacking(Connection connection) throws SQLException {
            if (org.carbonupgrade.Engine.of(connection) != org.carbonupgrade.Engine.POSTGRESQL) return false;
            try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM " + table + " WHERE " + LACKING + " LIMIT 1");
                 ResultSet rs = ps.executeQuery()) {
                return !rs.next();
            }
        }

        private long countRows(PreparedStatementFactory statements) throws SQLException, DatabaseException {
            try (PreparedStatement ps = statements.create("SELECT COUNT(*) FROM " + table); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Math.max(1, rs.getLong(1));
            }
        }
    }
}
