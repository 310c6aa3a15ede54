package org.carbonupgrade.audit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import liquibase.change.custom.CustomTaskChange;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomChangeException;

import org.carbonupgrade.access.AccessSnapshot;
import org.carbonupgrade.change.PlainCustomChange;
import org.carbonupgrade.gate.GateRunner;
import org.carbonupgrade.gate.UpgradeGate;

/**
 * Stores the gate's snapshot of effective 4.0.x access (AccessSnapshot) in CARBON_UPGRADE_ACCESS, before the first
 * change. Only the first run of an upgrade has one: later runs, and updateSQL, store nothing.
 */
public class RecordAccessSnapshot extends PlainCustomChange implements CustomTaskChange {
    private String message = "No access snapshot to record (taken on the first run of an untouched 4.0.x database only)";

    @Override
    public void execute(Database database) throws CustomChangeException {
        UpgradeGate.Result gate = GateRunner.resultFor(database);
        if (gate == null || gate.accessSnapshot() == null || !(database.getConnection() instanceof JdbcConnection jdbc)
                || GateRunner.reviewOnly(database)) {
            return;
        }
        try {
            Connection c = jdbc.getUnderlyingConnection();
            if (AccessSnapshot.stored(c)) return;
            long start = System.nanoTime();
            AccessSnapshot snapshot = gate.accessSnapshot();
            snapshot.store(c, latestRun(c));
            message = "Recorded effective 4.0.x access in " + AccessSnapshot.TABLE + ": " + snapshot.entries() + " entries, taken in "
                    + snapshot.millis + " ms (" + snapshot.timings + "), stored in " + (System.nanoTime() - start) / 1_000_000 + " ms";
        } catch (SQLException e) {
            throw new CustomChangeException("Could not record the access snapshot in " + AccessSnapshot.TABLE + ": " + e.getMessage(), e);
        }
    }

    private static String latestRun(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT RUN_ID FROM " + RecordUpgradeRun.TABLE
                + " WHERE STARTED_AT = (SELECT MAX(STARTED_AT) FROM " + RecordUpgradeRun.TABLE + ")")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Override
    public String getConfirmationMessage() {
        return message;
    }
}
