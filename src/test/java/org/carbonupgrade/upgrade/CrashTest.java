package org.carbonupgrade.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.carbonupgrade.Engine;
import org.carbonupgrade.gate.GateSettings;
import org.carbonupgrade.rehearsal.Baseline;
import org.carbonupgrade.rehearsal.Carbon400Seeder;
import org.carbonupgrade.schema.ReferenceCheck;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.carbonupgrade.support.UpgradeProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The upgrade is killed (SIGKILL) twice: once after some changesets, once while the domain back-fill UPDATE runs;
 * the operator clears the stale lock as the error tells, runs again, and gets exactly what an uninterrupted
 * run gives, with no row lost.
 */
class CrashTest {
    private static final int TENANTS = 40;
    private static final int USERS = 3000;

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MYSQL"})
    void killedRunsResumeToTheUninterruptedResult(Engine engine) throws Exception {
        TestDatabase straight = seeded(engine, "crash_straight_" + engine.profile());
        // The same data again for the killed runs. Seeding this much takes longer than the upgrade: PostgreSQL copies
        // the seeded database (CREATE DATABASE ... TEMPLATE); MariaDB has no such copy and is seeded a second time.
        TestDatabase db = engine == Engine.POSTGRESQL ? straight.copy("crash_killed_" + engine.profile())
                : seeded(engine, "crash_killed_" + engine.profile());
        Map<String, List<String>> before = data(db);
        Upgrade.of(straight).update();

        killWhen(db, "SELECT COUNT(*) FROM DATABASECHANGELOG", 12);
        long recorded;
        try (Connection c = db.connect()) {
            recorded = Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOG");
        }
        System.out.printf("[crash] %s: first run killed after %d changesets%n", engine.profile(), recorded);
        resumeAfterStaleLock(db);

        killWhen(db, activeUpdateSql(engine, db), 1);
        System.out.printf("[crash] %s: second run killed inside the UM_HYBRID_USER_ROLE back-fill%n", engine.profile());
        resumeAfterStaleLock(db);
        Upgrade.of(db).update();

        Map<String, List<String>> expected = data(straight);
        Map<String, List<String>> actual = data(db);
        assertEquals(expected.keySet(), actual.keySet());
        for (String table : expected.keySet()) assertEquals(expected.get(table), actual.get(table), "table " + table);
        int preexisting = before.values().stream().mapToInt(List::size).sum();
        System.out.printf("[crash] %s: %d rows in %d tables equal to the uninterrupted run (%d of them from before)%n", engine.profile(),
                actual.values().stream().mapToInt(List::size).sum(), actual.size(), preexisting);
        try (Connection c = db.connect()) {
            assertEquals(List.of(), ReferenceCheck.run(c, Set.of("carbon")).unexplained());
        }
    }

    private static TestDatabase seeded(Engine engine, String name) throws Exception {
        TestDatabase db = TestDatabase.fresh(engine, name);
        try (Connection c = db.connect()) {
            Baseline.create(c, false);
            new Carbon400Seeder(c, TENANTS, USERS).seed();
        }
        return db;
    }

    /** Starts the upgrade in another JVM and kills it as soon as the probe query (which must not see itself) reaches the threshold. */
    private static void killWhen(TestDatabase db, String probe, long threshold) throws Exception {
        Process p = UpgradeProcess.start(db);
        try (Connection watcher = db.connect()) {
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline && p.isAlive()) {
                if (value(watcher, probe) >= threshold) break;
                Thread.sleep(20);
            }
        }
        assertTrue(p.isAlive(), "the upgrade finished before it could be killed; see target/" + db.name + "-upgrade.log");
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        UpgradeProcess.waitForServerToDropTheSession(db);
    }

    private static String activeUpdateSql(Engine engine, TestDatabase db) {
        return engine == Engine.POSTGRESQL
                ? "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '" + db.name + "' AND state = 'active' AND pid <> pg_backend_pid()"
                  + " AND query LIKE '%UPDATE UM_HYBRID_USER_ROLE%SET UM_DOMAIN_ID%'"
                : "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '" + db.name + "' AND ID <> CONNECTION_ID()"
                  + " AND INFO LIKE '%UPDATE UM_HYBRID_USER_ROLE%SET UM_DOMAIN_ID%'";
    }

    private static long value(Connection c, String sql) {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (Exception e) {
            return 0; // DATABASECHANGELOG does not exist yet
        }
    }


    /** The killed run left its lock: the next run says so and how to clear it; the operator clears it. */
    private static void resumeAfterStaleLock(TestDatabase db) throws Exception {
        long locked;
        try (Connection c = db.connect()) {
            locked = Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOGLOCK WHERE LOCKED <> FALSE");
        }
        assertEquals(1, locked, "a killed run leaves DATABASECHANGELOGLOCK held");
        Exception refused = assertThrows(Exception.class, () -> Upgrade.of(db).update());
        String message = org.carbonupgrade.support.Errors.messages(refused);
        assertTrue(message.contains("mvn liquibase:releaseLocks"), message);
        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> l.forceReleaseLocks());
    }

    private static Map<String, List<String>> data(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            Map<String, List<String>> all = new TreeMap<>(Rows.dump(c, null));
            all.keySet().removeIf(t -> t.startsWith("DATABASECHANGELOG") || t.startsWith("CARBON_UPGRADE_"));
            return all;
        }
    }
}
