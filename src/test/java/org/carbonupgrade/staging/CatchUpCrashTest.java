package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A catch-up pass killed (SIGKILL, as in upgrade/CrashTest) after it wrote every row, ran the transforms and
 * refreshed its base, but before its commit: staging is exactly as before the pass, production untouched, and the
 * next pass applies everything and converges. The command runs in its own JVM through CatchUpMain, as
 * exec:java@catch-up runs it. PostgreSQL and MariaDB only: an embedded H2 file is held by the process that opened it.
 */
class CatchUpCrashTest {
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MYSQL"})
    void aKilledPassLeavesStagingAsItWasAndTheNextOneConverges(Engine engine) throws Exception {
        killedPassConverges(StagedPair.restored(engine, "catchup_kill"), List.of());
    }

    /**
     * MariaDB, staged by the copy (a binary log position recorded): the killed pass and the next one read production's
     * changes from the binary log, from the same recorded position (the killed pass recorded nothing), and converge.
     */
    @org.junit.jupiter.api.Test
    void aKilledBinaryLogPassLeavesStagingAsItWasAndTheNextOneConverges() throws Exception {
        try (BinlogXaLock noForeignXa = BinlogXaLock.shared()) {
            String log = killedPassConverges(StagedPair.copied(Engine.MYSQL, "catchup_killbl"), List.of());
            assertTrue(log.contains("reading only the rows its binary log names"), log);
        }
    }

    /**
     * PostgreSQL after a first pass recorded production's snapshot: the killed pass reads only the rows written since, on
     * the other connections in its snapshot (ExportedSnapshot), and has rewritten the 'P' base during the compare; killed
     * before its commit, that is gone with the rest.
     */
    @org.junit.jupiter.api.Test
    void aKilledPassThatScannedOnSeveralConnectionsAndRewroteItsBaseDuringTheCompareLeavesStagingAsItWas() throws Exception {
        StagedPair pair = StagedPair.restored(Engine.POSTGRESQL, "catchup_kill_xmin");
        assertTrue(pair.catchUp().applied(), "the first pass records production's snapshot");
        String log = killedPassConverges(pair, List.of("APPLIED"));
        assertTrue(log.contains("reading only rows written since the base's snapshot"), log);
        assertTrue(log.contains("on another connection in this snapshot, with the base read on a staging connection of its own"), log);
        assertTrue(log.contains("compare: base refresh: P rows"), log);
    }

    /**
     * The cut-over's pass (-Dcarbon.upgrade.catchup.final=true) killed before its commit: no pending base row, no audit row,
     * staging and its base as they were (the dump covers CARBON_UPGRADE_BASE_PENDING); the next, ordinary passes converge.
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MYSQL"})
    void aKilledFinalPassLeavesNothingPendingAndTheNextOneConverges(Engine engine) throws Exception {
        String log = killedPassConverges(StagedPair.restored(engine, "catchup_killfinal"), List.of(), true);
        assertTrue(log.contains("final pass: no session on production's database but the pass's own"), log);
    }

    private static String killedPassConverges(StagedPair pair, List<String> outcomesBefore) throws Exception {
        return killedPassConverges(pair, outcomesBefore, false);
    }

    /** Production's changes, a pass killed before its commit, then the next passes; returns the killed pass's log. */
    private static String killedPassConverges(StagedPair pair, List<String> outcomesBefore, boolean last) throws Exception {
        try (Connection p = pair.production.connect()) {
            Writes.production(p);
        }
        Map<String, List<String>> stagingBefore;
        Map<String, List<String>> productionBefore;
        try (Connection s = pair.staging.connect(); Connection p = pair.production.connect()) {
            stagingBefore = Rows.dump(s, null);
            productionBefore = Rows.dump(p, null);
        }

        Path log = Path.of("target", pair.staging.name + "-catch-up.log");
        Process process = start(pair, log, last);
        try {
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline && process.isAlive()
                    && !(Files.exists(log) && Files.readString(log).contains("paused before commit"))) {
                Thread.sleep(50);
            }
            assertTrue(process.isAlive(), "the pass ended before it could be killed; see " + log + ":\n" + Files.readString(log));
            assertTrue(Files.readString(log).contains("paused before commit"), "the pass never reached its commit; see " + log);
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        waitForServerToDropSessions(pair.staging);

        try (Connection s = pair.staging.connect(); Connection p = pair.production.connect()) {
            Map<String, List<String>> after = Rows.dump(s, null);
            // The audit table is created before the pass's transaction; it holds no row of the killed pass.
            List<String> audit = after.remove(CatchUpAudit.TABLE);
            List<String> auditBefore = stagingBefore.remove(CatchUpAudit.TABLE);
            assertEquals(auditBefore == null ? List.of() : auditBefore, audit == null ? List.of() : audit, "a killed pass left an audit row");
            assertEquals(stagingBefore, after, "a killed pass changed staging");
            assertEquals(productionBefore, Rows.dump(p, null), "catch-up wrote to production");
        }

        String killed = Files.readString(log);
        CatchUp.Outcome next = pair.catchUp();
        assertTrue(next.applied() && next.rows() > 0, "the next pass applies production's rows: " + next.counts());
        assertTrue(next.verification().passed(), next.verification().problems());
        assertEquals(0, pair.catchUp().rows(), "and the one after finds nothing left");
        try (Connection s = pair.staging.connect()) {
            List<String> outcomes = new java.util.ArrayList<>(outcomesBefore);
            outcomes.addAll(List.of("APPLIED", "APPLIED"));
            assertEquals(outcomes, CatchUpTest.outcomes(s));
        }
        return killed;
    }

    /** @param more further -D options (SlotScanTest: the opt-in to replication slots) */
    static Process start(StagedPair pair, Path log, boolean last, String... more) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        TestDatabase p = pair.production;
        TestDatabase s = pair.staging;
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dcarbon.upgrade.basedir=" + System.getProperty("carbon.upgrade.basedir", "."),
                "-Dcarbon.upgrade.reportDir=" + Path.of("target", "test-reports", s.name),
                "-D" + Stage.SOURCE_URL + "=" + p.url, "-D" + Stage.SOURCE_USER + "=" + p.user,
                "-D" + Stage.SOURCE_PASSWORD + "=" + p.password,
                "-Dliquibase.url=" + s.url, "-Dliquibase.username=" + s.user, "-Dliquibase.password=" + s.password,
                "-Dcarbon.upgrade.catchup.testPauseBeforeCommitMillis=120000", "-D" + FinalPass.PROPERTY + "=" + last,
                CatchUpMain.class.getName(), pair.engine.profile(), "is"));
        command.addAll(1, List.of(more));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** A killed client's session lingers in the server until it notices; its locks with it. */
    static void waitForServerToDropSessions(TestDatabase db) throws Exception {
        String sql = db.engine == Engine.POSTGRESQL
                ? "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '" + db.name + "' AND pid <> pg_backend_pid()"
                : "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '" + db.name + "' AND ID <> CONNECTION_ID()";
        try (Connection c = db.connect()) {
            for (int i = 0; i < 600 && Writes.single(c, sql) > 0; i++) Thread.sleep(100);
        }
    }
}
