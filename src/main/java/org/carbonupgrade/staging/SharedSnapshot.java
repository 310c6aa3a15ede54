package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.carbonupgrade.Engine;
import org.carbonupgrade.audit.SafeText;

/**
 * MariaDB: a second connection to production whose transaction sees exactly the moment the pass's own connection sees,
 * so the hashing scan of production's tables can run on two cores without mixing two moments of a live production.
 *
 * <p>MariaDB has no way to hand a snapshot to another connection (PostgreSQL's pg_export_snapshot). What it has is
 * {@code BACKUP STAGE BLOCK_COMMIT}: while a third connection holds it, no transaction on the server can commit
 * (a commit waits; nothing fails). Both transactions are started with {@code START TRANSACTION WITH CONSISTENT
 * SNAPSHOT} inside that window, so both read views are taken with the same set of committed transactions: the same
 * moment. The window is released right after (milliseconds: two statements); production's writers only wait that
 * long, and nothing is written. Needs the RELOAD privilege on production; {@code lock_wait_timeout} is set to a few
 * seconds for the lock's session, so a backup running on production (which holds the backup lock) makes the pass fall
 * back to one connection instead of waiting for it. Without it the pass reads production on its own connection alone,
 * as before, and logs why.
 */
final class SharedSnapshot implements AutoCloseable {
    /** Opens a new connection to production with the pass's settings. */
    interface Connector {
        Connection connect() throws SQLException;
    }

    /** Seconds the lock's session waits for the backup lock before the pass goes on with one connection. */
    static final int LOCK_WAIT_SECONDS = 3;

    private final Connection second;

    private SharedSnapshot(Connection second) {
        this.second = second;
    }

    /** The second connection, in its transaction at the pass's moment (read only). */
    Connection connection() {
        return second;
    }

    /**
     * Starts {@code production}'s transaction (repeatable read, read only, autocommit off: the caller set them) and a
     * second connection's at the same moment, or returns null, having started nothing, where that cannot be had (not
     * MariaDB/MySQL, no connector, no privilege, a backup lock held elsewhere); {@code why} gets the reason.
     */
    static SharedSnapshot open(Connection production, Engine engine, Connector connector, java.util.function.Consumer<String> why) {
        if (engine != Engine.MYSQL || connector == null) return null;
        Connection lock = null;
        Connection second = null;
        try {
            lock = connector.connect();
            second = connector.connect();
            second.setAutoCommit(true);
            second.setReadOnly(true);
            second.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            second.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                s.execute("SET SESSION lock_wait_timeout = " + LOCK_WAIT_SECONDS);
                s.execute("BACKUP STAGE START");
                try {
                    s.execute("BACKUP STAGE BLOCK_COMMIT");
                    execute(production, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
                    execute(second, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
                } finally {
                    s.execute("BACKUP STAGE END");
                }
            }
            lock.close();
            SharedSnapshot shared = new SharedSnapshot(second);
            second = null;
            return shared;
        } catch (SQLException e) {
            why.accept(SafeText.line(e.getMessage()));
            rollbackQuietly(production);
            closeQuietly(second);
            return null;
        } finally {
            closeQuietly(lock);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (!c.getAutoCommit()) c.rollback();
        } catch (SQLException ignored) {
            // nothing was read in it
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // a connection that only held a lock or a read-only transaction
        }
    }

    /** Ends the second connection's transaction and closes it. */
    @Override
    public void close() {
        rollbackQuietly(second);
        closeQuietly(second);
    }
}
