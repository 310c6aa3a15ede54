package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.carbonupgrade.Engine;
import org.carbonupgrade.JitOff;
import org.carbonupgrade.audit.SafeText;

/**
 * PostgreSQL: more connections to production whose transactions read exactly the snapshot of the pass's own
 * transaction, so production's scans (XminScan) run on more than one core without mixing two moments of a live
 * production (docs/staging.md, "How changes are detected").
 *
 * <p>The pass's repeatable-read transaction exports its snapshot ({@code pg_export_snapshot()}); each other connection
 * starts a {@code REPEATABLE READ, READ ONLY} transaction and imports it with {@code SET TRANSACTION SNAPSHOT} as its
 * first statement (PostgreSQL: "Sharing Exported Snapshots"; the same as the access check's MembershipReads). Imported,
 * each is checked against the pass's own: {@code pg_current_snapshot()} must read the same text (xmin, xmax and the
 * transactions running), else the pass reads production on its own connection as before, and logs why. Nothing is
 * written on them; they are rolled back and closed by {@link #close}.
 */
final class ExportedSnapshot implements AutoCloseable {
    private final List<Connection> others;

    private ExportedSnapshot(List<Connection> others) {
        this.others = others;
    }

    /** The other connections, each in a read-only transaction in the pass's snapshot. */
    List<Connection> connections() {
        return others;
    }

    /**
     * Exports the snapshot of {@code production}'s transaction (repeatable read, read only, already started by the caller's
     * first statement) into {@code count} new connections, or returns null, with nothing left open, where that cannot be
     * had (not PostgreSQL, no connector, a connection refused, the imported snapshot not the same); {@code why} gets the
     * reason. Production's transaction is left as it was.
     */
    static ExportedSnapshot open(Connection production, Engine engine, SharedSnapshot.Connector connector, int count, Consumer<String> why) {
        if (engine != Engine.POSTGRESQL || connector == null || count < 1) return null;
        List<Connection> opened = new ArrayList<>();
        try {
            if (production.getAutoCommit() || production.getTransactionIsolation() != Connection.TRANSACTION_REPEATABLE_READ) {
                throw new SQLException("production's connection is not in a repeatable-read transaction");
            }
            String id = single(production, "SELECT pg_export_snapshot()");
            // The server's own identifier ("00000003-0000001B-1"), checked before it goes into SQL (SET takes no parameter).
            if (id == null || !id.matches("[0-9A-Fa-f-]+")) throw new SQLException("unexpected snapshot identifier from pg_export_snapshot(): " + id);
            String mine = single(production, "SELECT pg_current_snapshot()::text");
            for (int i = 0; i < count; i++) {
                Connection c = connector.connect();
                opened.add(c);
                c.setAutoCommit(true);
                // Session settings, before the imported transaction: production's access snapshot is read on these
                // connections beside the pass's staging work (CatchUp.startProductionAccess).
                JitOff.forReads(c);
                c.setReadOnly(true);
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                    s.execute("SET TRANSACTION SNAPSHOT '" + id + "'");
                }
                String theirs = single(c, "SELECT pg_current_snapshot()::text");
                if (!mine.equals(theirs)) {
                    throw new SQLException("the imported snapshot " + theirs + " is not the pass's " + mine);
                }
            }
            List<Connection> others = List.copyOf(opened);
            opened.clear();
            return new ExportedSnapshot(others);
        } catch (SQLException e) {
            why.accept(SafeText.line(e.getMessage()));
            return null;
        } finally {
            opened.forEach(ExportedSnapshot::closeQuietly);
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            if (!c.getAutoCommit()) c.rollback();
        } catch (SQLException ignored) {
            // read only
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // a connection that only read
        }
    }

    /** Ends the other connections' transactions (read only) and closes them. */
    @Override
    public void close() {
        others.forEach(ExportedSnapshot::closeQuietly);
    }
}
