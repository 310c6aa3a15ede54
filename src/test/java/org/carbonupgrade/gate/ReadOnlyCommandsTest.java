package org.carbonupgrade.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.command.CommandScope;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Errors;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.Snapshot;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Commands that only read (status, history, validate, updateSQL) leave the database byte-identical, also
 * before Liquibase's own tables exist; updateSQL leaves a live upgrade's lock alone; destructive commands
 * (changelogSync, markNextChangeSetRan, clearCheckSums on a partly upgraded database, dropAll) are refused
 * before they touch anything.
 */
class ReadOnlyCommandsTest {
    private static final Contexts CARBON = new Contexts("carbon");
    private static final Contexts IS = new Contexts("carbon,is");

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void readOnlyCommandsWriteNothingOnANotYetUpgradedDatabase(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "ro_fresh_" + engine.profile());
        assertReadOnlyCommandsChangeNothing(db, CARBON, false);
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void readOnlyCommandsWriteNothingOnAPartlyUpgradedDatabase(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "ro_partly_" + engine.profile());
        Upgrade.of(db).update(10); // the audit changesets, then the first um-domain ones
        assertReadOnlyCommandsChangeNothing(db, CARBON, true);
    }

    /** The README's review command for Identity Server, live, on a fresh IS 4.0.0 database (issue 11, point 8). */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void identityServerReviewIsCompleteAndChangesNothing(Engine engine) throws Exception {
        TestDatabase db = Fixtures.identity40(engine, "ro_is_" + engine.profile());
        Map<String, String> before = Snapshot.of(db);
        StringWriter sql = new StringWriter();
        Upgrade.of(db).identityServer().set(GateSettings.BACKUP, null).run(l -> l.update(IS, new LabelExpression(), sql));
        String text = sql.toString().toUpperCase();
        assertTrue(text.matches("(?s).*CREATE TABLE [A-Z0-9_.]*IDP_BASE_TABLE \\(.*"), text);
        assertTrue(text.matches("(?s).*INSERT INTO [A-Z0-9_.]*IDP_BASE_TABLE .*"), text);
        assertTrue(text.contains("'CARBON-4.2.0'") || text.contains("TAG = 'CARBON-4.2.0'"), "the file runs to its last changeset:\n" + text);
        assertEquals(before, Snapshot.of(db));
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MYSQL"})
    void updateSqlLeavesTheLockOfARunningUpgradeAloneAndTheSecondUpdateIsRefused(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "ro_lock_" + engine.profile());
        upgradeHalfWayAndHoldTheLock(db, "carbon-upgrade-1 (10.0.0.9)");
        Map<String, String> held = Snapshot.of(db);
        StringWriter sql = new StringWriter();
        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> l.update(CARBON, new LabelExpression(), sql));
        assertEquals(held, Snapshot.of(db), "review must leave the lock (and everything else) as it was");
        assertTrue(sql.toString().contains("carbon-upgrade-1 (10.0.0.9)"), "the review says an upgrade holds the lock:\n" + sql);

        Exception e = assertThrows(Exception.class, () -> Upgrade.of(db).update());
        assertTrue(Errors.messages(e).contains("held by carbon-upgrade-1 (10.0.0.9)"), Errors.messages(e));
        assertEquals(held, Snapshot.of(db));
    }

    /**
     * A killed run's statement goes on in the server for a while, holding its table locks. The next run reports the
     * held upgrade lock at once instead of first waiting behind those table locks (MariaDB took 43 s in issue 11).
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MYSQL"})
    void aHeldLockIsReportedWithoutWaitingBehindTheDeadRunsTableLocks(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "ro_stale_blocked_" + engine.profile());
        upgradeHalfWayAndHoldTheLock(db, "killed-host (10.0.0.3)");
        boolean waited = false;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (Connection deadRun = db.connect(); Connection watcher = db.connect()) {
            deadRun.setAutoCommit(engine != Engine.POSTGRESQL);
            deadRun.createStatement().execute(engine == Engine.POSTGRESQL ? "LOCK TABLE UM_USER IN ACCESS EXCLUSIVE MODE" : "LOCK TABLES UM_USER WRITE");
            java.util.concurrent.Future<?> rerun = pool.submit(() -> {
                Upgrade.of(db).set(GateSettings.ALLOW_SESSIONS, "true").update();
                return null;
            });
            String waiting = engine == Engine.POSTGRESQL
                    ? "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    : "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND STATE LIKE 'Waiting for table%lock'";
            while (!rerun.isDone()) {
                if (Rows.count(watcher, waiting) > 0 && !waited) {
                    waited = true;
                    if (engine == Engine.POSTGRESQL) deadRun.rollback(); else deadRun.createStatement().execute("UNLOCK TABLES");
                }
                Thread.sleep(50);
            }
            Exception e = assertThrows(java.util.concurrent.ExecutionException.class, rerun::get);
            assertTrue(Errors.messages(e).contains("held by killed-host (10.0.0.3)"), Errors.messages(e));
        } finally {
            pool.shutdownNow();
        }
        assertFalse(waited, "the rerun waited behind the dead run's table lock before reporting the held upgrade lock");
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void destructiveCommandsAreRefusedBeforeTheyTouchAnything(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "ro_destructive_" + engine.profile());
        assertDestructiveCommandsRefused(db);
        Upgrade.of(db).update(6);
        assertDestructiveCommandsRefused(db);
        refusedUnchanged(db, l -> l.clearCheckSums(), "clearChecksums");
    }

    /** Once the upgrade is complete, clearing checksums only makes the next run recompute them: allowed. */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2"})
    void clearCheckSumsIsAllowedOnACompletedUpgrade(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "ro_clear_done_" + engine.profile());
        Upgrade.of(db).update();
        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> l.clearCheckSums());
        try (Connection c = db.connect()) {
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOG WHERE MD5SUM IS NOT NULL"));
        }
    }

    /** Five changesets applied, and the lock row as a running (or killed) update holds it (StandardLockService.acquireLock). */
    private static void upgradeHalfWayAndHoldTheLock(TestDatabase db, String holder) throws Exception {
        Upgrade.of(db).update(5);
        try (Connection c = db.connect(); java.sql.PreparedStatement ps = c.prepareStatement(
                "UPDATE DATABASECHANGELOGLOCK SET LOCKED = TRUE, LOCKEDBY = ?, LOCKGRANTED = CURRENT_TIMESTAMP WHERE ID = 1")) {
            ps.setString(1, holder);
            ps.executeUpdate();
            if (!c.getAutoCommit()) c.commit();
        }
    }

    private static void assertDestructiveCommandsRefused(TestDatabase db) throws Exception {
        refusedUnchanged(db, l -> l.changeLogSync(CARBON, new LabelExpression()), "changelogSync");
        refusedUnchanged(db, l -> l.changeLogSync("carbon-4.2.0", CARBON, new LabelExpression()), "changelogSyncToTag");
        refusedUnchanged(db, l -> l.changeLogSync(CARBON, new LabelExpression(), new StringWriter()), "changelogSyncSql");
        refusedUnchanged(db, l -> l.markNextChangeSetRan(CARBON, new LabelExpression()), "markNextChangesetRan");
        refusedUnchanged(db, l -> l.markNextChangeSetRan(CARBON, new LabelExpression(), new StringWriter()), "markNextChangesetRanSql");
        refusedUnchanged(db, l -> l.dropAll(), "dropAll");
    }

    private static void refusedUnchanged(TestDatabase db, Upgrade.Action command, String name) throws Exception {
        Map<String, String> before = Snapshot.of(db);
        Exception e = assertThrows(Exception.class, () -> Upgrade.of(db).set(GateSettings.BACKUP, null).run(command), name);
        String message = Errors.messages(e);
        assertTrue(message.contains("carbon-upgrade refuses " + name), message);
        assertEquals(before, Snapshot.of(db), name + " must change nothing");
    }

    private static void assertReadOnlyCommandsChangeNothing(TestDatabase db, Contexts contexts, boolean partly) throws Exception {
        Map<String, String> before = Snapshot.of(db);
        StringWriter status = new StringWriter();
        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> l.reportStatus(true, contexts, new LabelExpression(), status));
        assertTrue(status.toString().matches("(?s).*\\d+ changesets? ha(ve|s) not been applied.*"), status.toString());
        assertEquals(before, Snapshot.of(db), "status");

        ByteArrayOutputStream history = new ByteArrayOutputStream();
        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> new CommandScope("history")
                .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, l.getDatabase()).setOutput(history).execute());
        assertEquals(partly, history.toString().contains("um-domain"), history.toString());
        assertEquals(before, Snapshot.of(db), "history");

        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> l.validate());
        assertEquals(before, Snapshot.of(db), "validate");

        StringWriter sql = new StringWriter();
        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> l.update(contexts, new LabelExpression(), sql));
        assertTrue(sql.toString().contains("carbon-4.2.0"), sql.toString());
        // The file runs as it is: where Liquibase's tables do not exist yet, it creates them itself.
        assertEquals(!partly, sql.toString().toUpperCase().matches("(?s).*CREATE TABLE [A-Z0-9_.]*DATABASECHANGELOG \\(.*"), sql.toString());
        assertEquals(!partly, sql.toString().toUpperCase().matches("(?s).*CREATE TABLE [A-Z0-9_.]*DATABASECHANGELOGLOCK \\(.*"), sql.toString());
        assertFalse(sql.toString().isBlank());
        assertEquals(before, Snapshot.of(db), "updateSQL");
    }
}
