package org.carbonupgrade.change;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.function.Consumer;

import liquibase.Scope;
import liquibase.change.custom.CustomSqlChange;
import liquibase.database.Database;
import liquibase.database.PreparedStatementFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomChangeException;
import liquibase.exception.DatabaseException;
import liquibase.statement.ExecutablePreparedStatement;
import liquibase.statement.SqlStatement;
import liquibase.statement.core.CommentStatement;
import liquibase.statement.core.RawSqlStatement;

import org.carbonupgrade.gate.GateRunner;

/**
 * PostgreSQL: copies UM_HYBRID_USER_ROLE into CARBON_UPGRADE_HYBRID_USER_ROLE with each row as the two back-fill
 * statements leave it ({@link HybridUserRoleRebuild#insertChunkRebuilt}), in key-range chunks of UM_ID, each committed.
 *
 * <p>Chunks run in key order and each commits whole, so every row of the old table with a UM_ID up to the copy's
 * highest is in the copy: a run stopped anywhere goes on after that key, never copying a row twice or skipping one.
 * The first run marks the copy with its snapshot; the swap refuses the old table's rows written since.
 *
 * <p>Review prints one INSERT of the rows not copied yet, under a comment saying how it runs.
 */
public class CopyHybridUserRole extends PlainCustomChange implements CustomSqlChange {
    /**
     * The rows after the copy's highest key: the whole table on a fresh copy, the rest on a resumed one. One statement, so
     * without the chunks' restriction to their tenants' domains (HybridUserRoleRebuild#insertChunkRebuilt), which would
     * only cost it here.
     */
    static final String REVIEW_SQL = HybridUserRoleRebuild.insertRebuilt(
            "h.UM_ID > COALESCE((SELECT MAX(c.UM_ID) FROM " + HybridUserRoleRebuild.COPY.toUpperCase(Locale.ROOT) + " c), -2147483649)");

    @Override
    public SqlStatement[] generateStatements(Database database) throws CustomChangeException {
        int chunkSize = ChunkedBackfill.chunkSize();
        boolean live = database.getConnection() instanceof JdbcConnection;
        if (!live || GateRunner.reviewOnly(database)) {
            return new SqlStatement[] {
                new CommentStatement("UM_HYBRID_USER_ROLE's rows with UM_DOMAIN_ID and UM_USER_NAME as the two back-fill statements below"
                        + " leave them\n-- (they then find nothing to do). Runs in chunks of about " + String.format(Locale.ROOT, "%,d", chunkSize)
                        + " rows by key range of UM_ID, each chunk committed on its own;\n-- a re-run goes on after the highest key copied."
                        + " Chunk size: -D" + ChunkedBackfill.CHUNK_SIZE_PROPERTY + "."),
                new RawSqlStatement(REVIEW_SQL)};
        }
        return new SqlStatement[] {new Copying(chunkSize, gateRowCount(database))};
    }

    private static Long gateRowCount(Database database) {
        org.carbonupgrade.gate.UpgradeGate.Result gate = GateRunner.resultFor(database);
        return gate == null ? null : gate.rowCounts().get("UM_HYBRID_USER_ROLE");
    }

    @Override
    public String getConfirmationMessage() {
        return "Copied UM_HYBRID_USER_ROLE with its domain ids into " + HybridUserRoleRebuild.COPY.toUpperCase(Locale.ROOT);
    }

    /** The chunk loop, run by Liquibase's JDBC executor; anything that only renders SQL sees the review statement. */
    static final class Copying extends RawSqlStatement implements ExecutablePreparedStatement {
        private final int chunkSize;
        private final Long rowCount;

        Copying(int chunkSize, Long rowCount) {
            super(REVIEW_SQL);
            this.chunkSize = chunkSize;
            this.rowCount = rowCount;
        }

        @Override
        public void execute(PreparedStatementFactory statements) throws DatabaseException {
            Consumer<String> log = line -> Scope.getCurrentScope().getLog(CopyHybridUserRole.class).info(line);
            try {
                run(statements, log);
            } catch (SQLException e) {
                throw new DatabaseException("Copy of UM_HYBRID_USER_ROLE stopped: " + e.getMessage()
                        + ". The chunks before it are committed; run the upgrade again to go on from there.", e);
            }
        }

        private void run(PreparedStatementFactory statements, Consumer<String> log) throws SQLException, DatabaseException {
            String what = "rebuild UM_HYBRID_USER_ROLE: copy";
            try (PreparedStatement ends = statements.create("SELECT MIN(UM_ID), MAX(UM_ID) FROM UM_HYBRID_USER_ROLE");
                 PreparedStatement copied = statements.create("SELECT MAX(UM_ID) FROM " + HybridUserRoleRebuild.COPY);
                 PreparedStatement insert = statements.create(HybridUserRoleRebuild.insertChunkRebuilt("UM_ID >= ? AND UM_ID < ?"));
                 PreparedStatement next = statements.create("SELECT MIN(UM_ID) FROM UM_HYBRID_USER_ROLE WHERE UM_ID >= ?")) {
                Connection connection = insert.getConnection();
                mark(connection);
                long first;
                long last;
                try (ResultSet rs = ends.executeQuery()) {
                    rs.next();
                    first = rs.getLong(1);
                    if (rs.wasNull()) {
                        log.accept(what + ": UM_HYBRID_USER_ROLE has no rows, nothing to copy");
                        return;
                    }
                    last = rs.getLong(2);
                }
                // Resumed: every row up to the copy's highest key is in it (whole chunks, in key order).
                Long lo = first;
                try (ResultSet rs = copied.executeQuery()) {
                    rs.next();
                    long highest = rs.getLong(1);
                    if (!rs.wasNull()) {
                        lo = highest >= last ? null : KeyRangeChunks.nextKey(next, highest + 1);
                        log.accept(String.format(Locale.ROOT, "%s: resumed after UM_ID %,d (copied by an earlier run)", what, highest));
                    }
                }
                long count = rowCount != null ? rowCount : count(connection);
                // A chunk's estimated cost passes jit_above_cost: compiling its statement took 70 ms to 1.2 s of a 100-250 ms
                // chunk at 10M rows (docs/benchmark.md, branch s21-swap2). The setting is put back after the last chunk; a
                // failed copy stops the upgrade, which closes the connection.
                String jit = setJit(connection, "off");
                KeyRangeChunks.run(what, "copied", insert, next, first, last, lo, chunkSize, count, log);
                setJit(connection, jit);
            }
        }

        /** Sets the session's jit to {@code value} and returns the one it had. */
        private static String setJit(Connection c, String value) throws SQLException {
            String was;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_setting('jit')")) {
                rs.next();
                was = rs.getString(1);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT set_config('jit', ?, false)")) {
                ps.setString(1, value);
                ps.executeQuery().close();
            }
            return was;
        }

        /**
         * Marks a copy not begun yet with this snapshot: a row version of the old table that is not visible in it was
         * written by a transaction that had not committed when the copy began, so its chunk may have been copied without it.
         */
        private static void mark(Connection c) throws SQLException {
            if (HybridUserRoleRebuild.copyBeganIn(c) != null) return;
            String snapshot;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT txid_current_snapshot()::text")) {
                rs.next();
                snapshot = rs.getString(1);
            }
            if (!snapshot.matches("\\d+:\\d+:[\\d,]*")) throw new SQLException("unexpected snapshot " + snapshot);
            try (Statement s = c.createStatement()) {
                // The server's own snapshot text, checked above: digits, colons and commas only.
                s.execute("COMMENT ON TABLE " + HybridUserRoleRebuild.COPY + " IS '" + HybridUserRoleRebuild.MARKER + snapshot + "'");
            }
            if (!c.getAutoCommit()) c.commit();
        }

        private static long count(Connection c) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE")) {
                rs.next();
                return Math.max(1, rs.getLong(1));
            }
        }
    }
}
