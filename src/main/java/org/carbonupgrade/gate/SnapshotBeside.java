package org.carbonupgrade.gate;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.carbonupgrade.ConnectionSettings;
import org.carbonupgrade.access.AccessSnapshot;
import org.carbonupgrade.access.RealmNames;

/**
 * The access snapshot taken on a second connection while the gate's own reads (data precheck, row counts) run on the
 * first, so the two sets of scans overlap instead of adding up. Both only read, and nothing writes in between: the
 * gate has already refused if another session is connected (ConnectedSessions, listed before this connection
 * opens), and the gate waits for the snapshot before it returns, i.e. before the first change. Used only where the
 * second connection reaches the very same database as the same user (the profile's settings with the -Dliquibase.*
 * overrides, as the Maven plugin reads them); otherwise, or if it cannot connect, the gate takes the snapshot on its
 * own connection as before.
 */
final class SnapshotBeside implements AutoCloseable {
    private final Connection second;
    private final CompletableFuture<AccessSnapshot> snapshot;
    private long waited;

    private SnapshotBeside(Connection second, Map<String, String> tables) {
        this.second = second;
        // The run's settings may live on Liquibase's scope, which the snapshot's thread does not see: resolved here.
        RealmNames names = RealmNames.current();
        this.snapshot = CompletableFuture.supplyAsync(() -> {
            try {
                return AccessSnapshot.takeIfFirst(second, tables, names);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, r -> {
            Thread t = new Thread(r, "carbon-upgrade access snapshot");
            t.setDaemon(true);
            t.start();
        });
    }

    /** Starts the snapshot beside {@code c}, or returns null when no second connection to the same database is at hand. */
    static SnapshotBeside start(Connection c, GateSettings settings, Map<String, String> tables) {
        if (settings.expectedEngine() == null) return null;
        Connection second = null;
        try {
            ConnectionSettings same = ConnectionSettings.forProfile(settings.expectedEngine());
            if (!Objects.equals(same.url(), c.getMetaData().getURL())) return null;
            second = same.connect();
            if (!Objects.equals(second.getMetaData().getURL(), c.getMetaData().getURL())
                    || !Objects.equals(second.getMetaData().getUserName(), c.getMetaData().getUserName())
                    || !Objects.equals(second.getCatalog(), c.getCatalog())) {
                second.close();
                return null;
            }
            return new SnapshotBeside(second, tables);
        } catch (Exception e) {
            // Not the same settings as the Maven plugin's (another cwd, credentials from elsewhere): take it inline.
            try {
                if (second != null) second.close();
            } catch (SQLException ignored) {
                // nothing was read on it
            }
            return null;
        }
    }

    /** The snapshot (null: none to take, see AccessSnapshot.takeIfFirst), waiting for it if the gate's reads ended first. */
    AccessSnapshot await() throws SQLException {
        long start = System.nanoTime();
        try {
            AccessSnapshot s = snapshot.get();
            waited = (System.nanoTime() - start) / 1_000_000;
            if (s != null) s.timings += ", taken beside the gate's other reads: the gate waited " + waited + " ms for it";
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while taking the access snapshot", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof IllegalStateException && e.getCause().getCause() != null ? e.getCause().getCause() : e.getCause();
            if (cause instanceof SQLException sql) throw sql;
            throw new SQLException("The access snapshot failed: " + cause, cause);
        }
    }

    /** Waits for the reads to end (a refused gate does not use them) and closes the second connection. */
    @Override
    public void close() throws SQLException {
        try {
            snapshot.handle((s, e) -> null).join();
        } finally {
            second.close();
        }
    }
}
