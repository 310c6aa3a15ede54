package org.carbonupgrade.gate;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import org.carbonupgrade.ReadBeside;
import org.carbonupgrade.access.AccessSnapshot;
import org.carbonupgrade.access.RealmNames;

/**
 * The access snapshot taken on a second connection (ReadBeside) while the gate's own reads (data precheck, row counts)
 * run on the first, so the two sets of scans overlap instead of adding up. Both only read, and nothing writes in
 * between: the gate has already refused if another session is connected (ConnectedSessions, listed before this
 * connection opens), and the gate waits for the snapshot before it returns, i.e. before the first change. Where the
 * second connection cannot reach the very same database as the same user the gate takes the snapshot on its own
 * connection as before. The snapshot itself reads its memberships on a third and a fourth connection beside its grant
 * reads, on PostgreSQL in the same exported snapshot of the database (AccessSnapshot.takeWhole, MembershipReads), and
 * the gate's data precheck checks UM_HYBRID_USER_ROLE from those reads (DataPrecheck.finish) rather than reading it again.
 */
final class SnapshotBeside implements AutoCloseable {
    private final ReadBeside<AccessSnapshot> read;

    private SnapshotBeside(ReadBeside<AccessSnapshot> read) {
        this.read = read;
    }

    /** Starts the snapshot beside {@code c}, or returns null when no second connection to the same database is at hand. */
    static SnapshotBeside start(Connection c, GateSettings settings, Map<String, String> tables) {
        // The run's settings may live on Liquibase's scope, which the snapshot's thread does not see: resolved here.
        RealmNames names = RealmNames.current();
        ReadBeside<AccessSnapshot> read = ReadBeside.start(c, settings.expectedEngine(), "access snapshot",
                second -> AccessSnapshot.takeIfFirst(second, tables, names, settings.expectedEngine()));
        return read == null ? null : new SnapshotBeside(read);
    }

    /** The snapshot (null: none to take, see AccessSnapshot.takeIfFirst), waiting for it if the gate's reads ended first. */
    AccessSnapshot await() throws SQLException {
        AccessSnapshot s = read.await();
        if (s != null) s.timings += ", taken beside the gate's other reads: the gate waited " + read.waited() + " ms for it";
        return s;
    }

    /** Waits for the reads to end (a refused gate does not use them) and closes the second connection. */
    @Override
    public void close() throws SQLException {
        read.close();
    }
}
