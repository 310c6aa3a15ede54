package org.carbonupgrade.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.RunSettings;
import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gate takes the access snapshot on a second connection beside its own reads when the run's connection settings
 * (the profile with -Dliquibase.url/username/password, as the Maven plugin reads them) reach the database it checks,
 * and on its own connection otherwise; both give the very same snapshot, and the second connection does not count as
 * another session.
 */
class SnapshotBesideTest {
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MYSQL"})
    void besideTheGatesReadsItTakesTheSameSnapshot(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "beside_" + engine.profile());
        GateSettings settings = new GateSettings(engine.profile(), "carbon", "/backup", false);
        try (Connection c = db.connect()) {
            UpgradeGate.Result inline = UpgradeGate.check(c, settings, false);
            assertTrue(inline.passed(), inline.report());
            assertFalse(inline.accessSnapshot().timings.contains("beside"), inline.accessSnapshot().timings);

            UpgradeGate.Result beside = RunSettings.pointingAt(db, () -> UpgradeGate.check(c, settings, false));
            assertTrue(beside.passed(), beside.report());
            assertTrue(beside.accessSnapshot().timings.contains("taken beside the gate's other reads"), beside.accessSnapshot().timings);
            // The membership reads on connections of their own beside the grant reads (the halves overlap).
            assertTrue(beside.accessSnapshot().timings.contains("memberships read on a connection of their own"), beside.accessSnapshot().timings);
            // UM_USER_ROLE's and UM_HYBRID_USER_ROLE's each on a connection of its own.
            assertTrue(beside.accessSnapshot().timings.contains("memberships read on a connection of their own each"), beside.accessSnapshot().timings);
            assertEquals(inline.accessSnapshot().textToStore(), beside.accessSnapshot().textToStore());
            assertEquals(inline.rowCounts(), beside.rowCounts());
            assertEquals(count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE"), beside.rowCounts().get("UM_HYBRID_USER_ROLE"));
            // Beside, the data precheck checked UM_HYBRID_USER_ROLE from the snapshot's reads: the prefix it found (FOO/alice
            // in every tenant) is the same warning, and FOO/alice still a membership of the snapshot.
            assertEquals(inline.warnings(), beside.warnings());
            assertTrue(beside.warnings().stream().anyMatch(w -> w.contains("FOO (")), beside.warnings().toString());
            assertTrue(beside.accessSnapshot().textToStore().lines().anyMatch(l -> l.startsWith("h\t") && l.contains("\tFOO/alice\t")),
                    "FOO/alice is a membership of the snapshot");
            // Handed to the precheck once, not held through the upgrade.
            assertEquals(null, beside.accessSnapshot().takeHybridRowsSeen());
        }
    }

    /**
     * On PostgreSQL the snapshot's two connections read one state of the database (pg_export_snapshot): a membership
     * committed after the snapshot began, while its membership reads wait for that writer's lock, is in neither half.
     * (The gate refuses connected sessions, so this writer is one it would have refused; the snapshot is asked directly.)
     */
    @org.junit.jupiter.api.Test
    void onPostgresqlBothConnectionsReadOneSnapshot() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.POSTGRESQL, "beside_one_snapshot");
        GateSettings settings = new GateSettings("postgresql", "carbon", "/backup", false);
        try (Connection c = db.connect(); Connection writer = db.connect()) {
            java.util.Map<String, String> tables = new org.carbonupgrade.schema.SchemaReader(c).tableNames();
            long rowsBefore = count(c, "SELECT COUNT(*) FROM UM_USER_ROLE");
            writer.setAutoCommit(false);
            try (java.sql.Statement s = writer.createStatement()) {
                s.execute("LOCK TABLE UM_USER_ROLE IN ACCESS EXCLUSIVE MODE");
                // A membership the snapshot must not see: a user of a tenant in a role of that tenant it does not hold yet.
                int added = s.executeUpdate("INSERT INTO UM_USER_ROLE (UM_ROLE_ID, UM_USER_ID, UM_TENANT_ID)"
                        + " SELECT r.UM_ID, u.UM_ID, u.UM_TENANT_ID FROM UM_USER u JOIN UM_ROLE r ON r.UM_TENANT_ID = u.UM_TENANT_ID"
                        + " WHERE NOT EXISTS (SELECT 1 FROM UM_USER_ROLE ur WHERE ur.UM_USER_ID = u.UM_ID AND ur.UM_ROLE_ID = r.UM_ID"
                        + " AND ur.UM_TENANT_ID = u.UM_TENANT_ID) LIMIT 1");
                assertEquals(1, added);
            }
            org.carbonupgrade.access.AccessSnapshot snapshot = RunSettings.pointingAt(db, () -> {
                try (SnapshotBeside beside = SnapshotBeside.start(c, settings, tables)) {
                    // The snapshot's reads begin, then wait for the writer's lock on UM_USER_ROLE; the writer commits.
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    while (count(c, "SELECT COUNT(*) FROM pg_locks WHERE NOT granted AND relation = 'um_user_role'::regclass") == 0) {
                        assertTrue(System.nanoTime() < deadline, "the snapshot never read UM_USER_ROLE");
                        Thread.sleep(20);
                    }
                    writer.commit();
                    return beside.await();
                }
            });
            assertEquals(rowsBefore + 1, count(c, "SELECT COUNT(*) FROM UM_USER_ROLE"));
            assertEquals(rowsBefore, snapshot.rowCounts.get("UM_USER_ROLE"), snapshot.timings);
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
