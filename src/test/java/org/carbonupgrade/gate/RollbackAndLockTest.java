package org.carbonupgrade.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import liquibase.Contexts;
import liquibase.LabelExpression;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Errors;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.Snapshot;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rollback is refused with the reason and changes nothing; a stale lock is explained and can be cleared. */
class RollbackAndLockTest {

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void everyRollbackIsRefusedAndChangesNothing(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "rollback_" + engine.profile());
        Upgrade.of(db).update();
        Map<String, String> upgraded = Snapshot.of(db);
        for (Upgrade.Action rollback : new Upgrade.Action[] {
                l -> l.rollback(1, new Contexts("carbon"), new LabelExpression()),
                l -> l.rollback(60, new Contexts("carbon"), new LabelExpression()),
                l -> l.rollback("carbon-4.2.0", new Contexts("carbon"), new LabelExpression()),
                l -> l.rollback(new java.util.Date(0), new Contexts("carbon"), new LabelExpression())}) {
            Exception e = assertThrows(Exception.class, () -> Upgrade.of(db).run(rollback));
            String message = Errors.messages(e);
            assertTrue(message.contains("cannot be rolled back") && message.contains("restore that backup"), message);
            assertEquals(upgraded, Snapshot.of(db), "a refused rollback must change nothing");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void aStaleLockIsExplainedAndReleaseLocksClearsIt(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "stale_lock_" + engine.profile());
        Upgrade.of(db).update(5);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // What a killed run leaves behind.
            s.execute("UPDATE DATABASECHANGELOGLOCK SET LOCKED = TRUE, LOCKEDBY = 'carbon-host-7 (10.0.0.7)', LOCKGRANTED = CURRENT_TIMESTAMP WHERE ID = 1");
            if (!c.getAutoCommit()) c.commit();
        }
        Map<String, String> before = Snapshot.of(db);
        Exception e = assertThrows(Exception.class, () -> Upgrade.of(db).update());
        String message = Errors.messages(e);
        assertTrue(message.contains("held by carbon-host-7 (10.0.0.7)") && message.contains("mvn liquibase:releaseLocks"), message);
        assertEquals(before, Snapshot.of(db));

        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> l.forceReleaseLocks());
        Upgrade.of(db).update();
        try (Connection c = db.connect()) {
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE UM_DOMAIN_ID IS NULL"));
        }
    }

    /** The second line of defence: every changeset's own rollback refuses (tagDatabase allows none; nothing to undo). */
    @org.junit.jupiter.api.Test
    void everyChangesetCarriesARefusingRollback() throws Exception {
        TestDatabase db = TestDatabase.fresh(Engine.H2, "rollback_blocks");
        java.util.List<String> missing = new java.util.ArrayList<>();
        int[] checked = {0};
        Upgrade.of(db).run(l -> {
            for (liquibase.changelog.ChangeSet cs : l.getDatabaseChangeLog().getChangeSets()) {
                checked[0]++;
                boolean tagOnly = cs.getChanges().stream().allMatch(c -> c instanceof liquibase.change.core.TagDatabaseChange);
                boolean refuses = cs.getRollback().getChanges().stream().anyMatch(c -> c instanceof liquibase.change.custom.CustomChangeWrapper w
                        && w.getClassName().equals(org.carbonupgrade.audit.RefuseRollback.class.getName()));
                if (!refuses && !tagOnly) missing.add(cs.toString());
            }
        });
        assertTrue(checked[0] > 60, "changesets parsed: " + checked[0]);
        assertEquals(java.util.List.of(), missing);
    }
}
