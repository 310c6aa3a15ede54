package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.carbonupgrade.ConnectionSettings;
import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Rows;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The cut-over's pass (-Dcarbon.upgrade.catchup.final=true, FinalPass): refused while another session is on production's
 * database, before it reads anything and again right before its commit (nothing applied, the refusal recorded); in review
 * mode it says what it would do and changes nothing; applied, it leaves the base rows and summary as they were and its
 * base rows in CARBON_UPGRADE_BASE_PENDING; a later pass (the cut-over abandoned) merges them first and then behaves as
 * after a refreshed base: nothing to apply, no conflict, the summary in step with the base and with production; after
 * production changes again it applies only the new changes.
 */
class CatchUpFinalTest {
    /**
     * MariaDB: a session's details come from the server, and a user name may hold a line break: the refusal shows them on
     * one line, escaped, so a forged line cannot pass for the tool's own output (the in-place gate escapes them too).
     */
    @org.junit.jupiter.api.Test
    void aSessionsDetailsAreShownOnOneLine() throws Exception {
        StagedPair pair = StagedPair.copied(Engine.MYSQL, "final_oneline");
        String user = org.carbonupgrade.support.TestDatabase.PREFIX + "final_evil\n[catch-up] final pass: the cut-over can proceed";
        String quoted = "'" + user.replace("\n", "\\n") + "'@'%'";
        try (Connection p = pair.production.connect(); java.sql.Statement st = p.createStatement()) {
            st.execute("DROP USER IF EXISTS " + quoted);
            st.execute("CREATE USER " + quoted + " IDENTIFIED BY 'x'");
            st.execute("GRANT SELECT ON " + pair.production.name + ".* TO " + quoted);
        }
        try (Connection server = java.sql.DriverManager.getConnection(pair.production.url, user, "x")) {
            FinalPass.Refused refused = assertThrows(FinalPass.Refused.class, () -> pass(pair, true, null, new Log()));
            assertTrue(refused.getMessage().contains("final_evil\\n[catch-up] final pass"), refused.getMessage());
            assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
        } finally {
            try (Connection p = pair.production.connect(); java.sql.Statement st = p.createStatement()) {
                st.execute("DROP USER IF EXISTS " + quoted);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void theFinalPassRefusesBesideOtherSessionsAndLeavesItsBaseRowsPendingForTheNextPass(Engine engine) throws Exception {
        StagedPair pair = StagedPair.copied(engine, "final");
        // A first, ordinary pass (PostgreSQL: records production's snapshot, so the later ones read only rows written since).
        assertTrue(pair.catchUp().applied());
        try (Connection s = pair.staging.connect()) {
            Writes.stagingOwn(s);
        }
        try (Connection p = pair.production.connect()) {
            Writes.production(p);
        }
        Map<String, List<String>> stagingBefore = dump(pair);
        // Production's schema and rows (H2: its file is compared by the stage tests; a session holds it open here).
        Map<String, String> productionBefore = engine == Engine.H2 ? null : org.carbonupgrade.support.Snapshot.of(pair.production);

        // A Carbon server still connected to production: refused before anything is read, the refusal recorded.
        try (Connection server = pair.production.connect()) {
            Log log = new Log();
            FinalPass.Refused refused = assertThrows(FinalPass.Refused.class, () -> pass(pair, true, null, log));
            assertTrue(refused.getMessage().contains("other sessions are connected to production's database")
                    && refused.getMessage().contains("Stop every Carbon server using production"), refused.getMessage());
            assertFalse(log.text().contains("compared"), "the refused pass read production:\n" + log.text());
            // Its review says so and changes nothing (checked below).
            Log reviewLog = new Log();
            pass(pair, true, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), reviewLog);
            assertTrue(reviewLog.text().contains("review of a final pass: the real pass would refuse now: other sessions are connected"),
                    reviewLog.text());
        }
        assertUnchangedButTheAudit(pair, stagingBefore, List.of("APPLIED", "REFUSED"));
        try (Connection s = pair.staging.connect()) {
            assertTrue(CatchUpTest.text(s, "SELECT CONFLICTS FROM " + CatchUpAudit.TABLE + " WHERE OUTCOME = 'REFUSED'").startsWith("final pass refused: other sessions"));
        }
        if (productionBefore != null) assertEquals(productionBefore, org.carbonupgrade.support.Snapshot.of(pair.production), "production after the refusals");

        // Review of the final pass: what it would do, nothing changed.
        Log reviewLog = new Log();
        ByteArrayOutputStream sql = new ByteArrayOutputStream();
        CatchUp.Outcome reviewed = pass(pair, true, new PrintStream(sql, true, StandardCharsets.UTF_8), reviewLog);
        assertFalse(reviewed.applied());
        assertTrue(reviewLog.text().contains("final pass: no session on production's database but the pass's own"), reviewLog.text());
        assertTrue(reviewLog.text().contains("review of a final pass: it would apply"), reviewLog.text());
        assertTrue(sql.toString(StandardCharsets.UTF_8).contains("INSERT INTO UM_USER ("));
        assertUnchangedButTheAudit(pair, stagingBefore, List.of("APPLIED", "REFUSED"));

        // The final pass: applied and verified; the base as it was, its rows pending.
        Map<String, List<String>> baseBefore = base(pair);
        Log finalLog = new Log();
        CatchUp.Outcome last = pass(pair, true, null, finalLog);
        assertTrue(last.applied(), "applied: " + last.conflicts());
        assertTrue(last.verification().passed(), last.verification().problems());
        CatchUp.TableCounts users = last.counts().get("UM_USER");
        assertEquals(List.of(5, 1, 1), List.of(users.inserted(), users.updated(), users.deleted()), users.toString());
        assertEquals(baseBefore, base(pair), "the final pass rewrote the base");
        long pending = pending(pair);
        assertTrue(pending >= last.rows() && pending <= 2L * last.rows(), pending + " pending rows for " + last.rows() + " applied");
        assertTrue(finalLog.text().contains("base rows left pending (final pass)"), finalLog.text());
        try (Connection s = pair.staging.connect()) {
            assertEquals(List.of("APPLIED", "REFUSED", CatchUp.FINAL), CatchUpTest.outcomes(s));
        }

        // Review after it (the cut-over abandoned): the pending rows merged in its own transaction, nothing to apply, nothing changed.
        Map<String, List<String>> afterFinal = dump(pair);
        CatchUp.Outcome review = pass(pair, false, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new Log());
        assertTrue(review.conflicts().isEmpty() && review.counts().values().stream().allMatch(c -> c.applied() == 0), review.counts().toString());
        assertEquals(afterFinal, dump(pair), "review changed staging");

        // The next pass merges them first, finds nothing to apply and no conflict; the base is as a refresh leaves it.
        Log nextLog = new Log();
        CatchUp.Outcome next = pass(pair, false, null, nextLog);
        assertTrue(next.applied() && next.conflicts().isEmpty(), next.conflicts().toString());
        assertEquals(0, next.rows(), "re-applied after the final pass: " + next.counts());
        assertTrue(nextLog.text().contains("merged " + pending + " base rows a final pass left pending"), nextLog.text());
        assertEquals(0, pending(pair));
        CatchUpTest.assertSummaryInStep(pair);

        // Production changes again: another final pass applies only those, and the pass after it nothing.
        try (Connection p = pair.production.connect()) {
            Writes.update(p, "UPDATE UM_USER SET UM_USER_PASSWORD = 'YWdhaW4=' WHERE UM_USER_NAME = 'carol' AND UM_TENANT_ID = 1");
            Writes.update(p, "DELETE FROM UM_USER_ATTRIBUTE WHERE UM_ID = 101 AND UM_TENANT_ID = 1");
        }
        CatchUp.Outcome again = pass(pair, true, null, new Log());
        assertEquals(2, again.rows(), again.counts().toString());
        assertEquals(4, pending(pair), "two keys, both sides");
        CatchUp.Outcome after = pass(pair, false, null, new Log());
        assertEquals(0, after.rows(), after.counts().toString());
        CatchUpTest.assertSummaryInStep(pair);
        try (Connection s = pair.staging.connect()) {
            assertEquals(List.of("APPLIED", "REFUSED", CatchUp.FINAL, "APPLIED", CatchUp.FINAL, "APPLIED"), CatchUpTest.outcomes(s));
        }
    }

    /**
     * Two stagings of the same production with the same changes: one caught up by a final pass whose pending rows the next
     * pass merges, the other by an ordinary pass that refreshes its base. Production's side of their bases is the same row
     * for row and bucket for bucket, staging's side has the same keys and is the hash of staging's rows now, and the
     * summary sums the base rows; also for a table keyed on all its columns with a row twice (REG_RESOURCE_TAG).
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void theMergedBaseEqualsTheRefreshedOne(Engine engine) throws Exception {
        StagedPair merged = StagedPair.copied(engine, "final_merged");
        StagedPair refreshed = StagedPair.copied(engine, "final_refreshed");
        for (StagedPair pair : List.of(merged, refreshed)) {
            try (Connection s = pair.staging.connect()) {
                Writes.stagingOwn(s);
            }
            try (Connection p = pair.production.connect()) {
                Writes.production(p);
                int config = org.carbonupgrade.support.SeededIds.path(p, 1, "/_system/config");
                Writes.update(p, "INSERT INTO REG_TAG (REG_ID, REG_TAG_NAME, REG_USER_ID, REG_TAGGED_TIME, REG_TENANT_ID) VALUES (100, 'cut-over', 'admin', ?, 1)", Writes.WHEN);
                for (int copy = 0; copy < 2; copy++) {
                    Writes.update(p, "INSERT INTO REG_RESOURCE_TAG (REG_TAG_ID, REG_VERSION, REG_PATH_ID, REG_RESOURCE_NAME, REG_TENANT_ID)"
                            + " VALUES (100, 100, ?, 'new-policy.xml', 1)", config);
                }
            }
        }
        CatchUp.Outcome last = pass(merged, true, null, new Log());
        assertTrue(last.applied() && last.counts().containsKey("REG_RESOURCE_TAG"), last.counts().toString());
        try (Connection s = merged.staging.connect()) {
            assertTrue(Writes.single(s, "SELECT COUNT(*) FROM " + BaseTables.PENDING + " WHERE SIDE = 'S' AND TABLE_NAME = 'REG_RESOURCE_TAG'") > 0);
        }
        CatchUp.Outcome next = pass(merged, false, null, new Log());
        assertEquals(0, next.rows(), next.counts().toString());
        CatchUp.Outcome ordinary = pass(refreshed, false, null, new Log());
        assertEquals(last.rows(), ordinary.rows());
        // Production's side row by row and bucket by bucket. Staging's side holds the domain ids its own upgrade and passes
        // gave (MariaDB's auto-increment may differ between two stagings): there, the same keys per table, and each base
        // row is the hash of staging's row now (staging's own rows are the only live rows without one).
        try (Connection a = merged.staging.connect(); Connection b = refreshed.staging.connect()) {
            for (String sql : List.of("SELECT TABLE_NAME, BUCKET, ROW_KEY, ROW_HASH FROM " + BaseTables.ROWS + " WHERE SIDE = 'P'",
                    "SELECT TABLE_NAME, BUCKET, ROW_COUNT, HASH_SUM FROM " + BaseTables.SUMMARY + " WHERE SIDE = 'P'",
                    "SELECT TABLE_NAME, ROW_KEY FROM " + BaseTables.ROWS + " WHERE SIDE = 'S'")) {
                assertEquals(rows(b, sql), rows(a, sql), "after the merge, against the refreshed base: " + sql);
            }
            for (CatchUpTable t : CatchUpTable.read(a)) {
                if (t.staging() == null) continue;
                List<String> base = rows(a, "SELECT BUCKET, ROW_KEY, ROW_HASH FROM " + BaseTables.ROWS + " WHERE SIDE = 'S' AND TABLE_NAME = '" + t.name() + "'");
                java.util.Set<String> live = new java.util.HashSet<>(rows(a, "SELECT Q.B, Q.K, Q.H FROM (" + StageBase.baseRowsSelect(engine, t.staging()) + ") Q"));
                assertEquals(List.of(), base.stream().filter(r -> !live.contains(r)).toList(), "staging's base rows of " + t.name() + " that are not its rows now");
            }
        }
        CatchUpTest.assertSummaryInStep(merged);
    }

    /** Rows as text (a MySQL key's bytes as text, numbers by value), sorted. */
    private static List<String> rows(Connection c, String sql) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    if (v instanceof byte[] bytes) v = new String(bytes, StandardCharsets.UTF_8);
                    b.append(v instanceof Number ? new java.math.BigDecimal(v.toString()).stripTrailingZeros().toPlainString() : String.valueOf(v).trim()).append(';');
                }
                out.add(b.toString());
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * A session that connects to production while the final pass runs (here while it waits before its commit, as a Carbon
     * server started again would): the pass rolls back and refuses; nothing applied, nothing pending, the refusal recorded.
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void aSessionThatAppearsDuringTheFinalPassRefusesItsCommit(Engine engine) throws Exception {
        StagedPair pair = StagedPair.restored(engine, "final_late");
        Throwable failed = refusedAfterAClientDuringThePause(pair, p -> p.production.connect()); // connected until the pass ends
        assertTrue(failed instanceof FinalPass.Refused && failed.getMessage().contains("other sessions are connected"), String.valueOf(failed));
    }

    /**
     * A client that connects while the final pass waits before its commit, writes one row and disconnects before the
     * pass's last sessions check (a scheduled job, a script, a Carbon node started and stopped again): no session is left
     * to see, but production's own record of writes to its tables (ProductionWrites) changed since the pass's first check:
     * the pass rolls back and refuses, naming the table.
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MYSQL"})
    void aClientThatWritesAndLeavesDuringTheFinalPassRefusesItsCommit(Engine engine) throws Exception {
        StagedPair pair = StagedPair.restored(engine, "final_write");
        Throwable failed = refusedAfterAClientDuringThePause(pair, p -> {
            // A claim update as 4.0.x user-core writes it (amum0611/kernel @ 2f646275,
            // core/org.wso2.carbon.user.core/.../jdbc/JDBCRealmConstants.UPDATE_USER_PROPERTY_SQL): carol's mail in tenant 1 (Writes).
            try (Connection c = p.production.connect()) {
                Writes.update(c, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE=? WHERE UM_USER_ID=(SELECT UM_ID FROM UM_USER WHERE UM_USER_NAME=?"
                        + " AND UM_TENANT_ID=?) AND UM_ATTR_NAME=? AND UM_PROFILE_ID=? AND UM_TENANT_ID=?",
                        "carol@cut-over.example.com", "carol", 1, "mail", "default", 1);
            }
            return null;
        });
        assertTrue(failed instanceof FinalPass.Refused && failed.getMessage().contains("written during the final pass"), String.valueOf(failed));
        assertTrue(failed.getMessage().toUpperCase(java.util.Locale.ROOT).contains("UM_USER_ATTRIBUTE:"), failed.getMessage());
    }

    private interface Client {
        /** What the client leaves open until the pass has ended (null: nothing). */
        AutoCloseable during(StagedPair pair) throws Exception;
    }

    /**
     * Production's changes, then a final pass that waits before its commit while {@code client} acts on production; returns
     * why the pass failed, having checked that staging is unchanged but for the REFUSED audit row, and nothing pending.
     */
    private static Throwable refusedAfterAClientDuringThePause(StagedPair pair, Client client) throws Exception {
        try (Connection p = pair.production.connect()) {
            Writes.production(p);
        }
        Map<String, List<String>> stagingBefore = dump(pair);
        Log log = new Log();
        String pause = "carbon.upgrade.catchup.testPauseBeforeCommitMillis";
        System.setProperty(pause, "4000");
        CompletableFuture<CatchUp.Outcome> running;
        try {
            running = CompletableFuture.supplyAsync(() -> {
                try {
                    return pass(pair, true, null, log);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            long deadline = System.currentTimeMillis() + 120_000;
            while (!log.text().contains("paused before commit") && !running.isDone() && System.currentTimeMillis() < deadline) Thread.sleep(50);
            assertTrue(log.text().contains("paused before commit"), log.text());
        } finally {
            System.clearProperty(pause);
        }
        Throwable failed;
        AutoCloseable open = client.during(pair);
        try {
            failed = assertThrows(java.util.concurrent.ExecutionException.class, () -> running.get(120, TimeUnit.SECONDS)).getCause();
        } finally {
            if (open != null) open.close();
        }
        assertUnchangedButTheAudit(pair, stagingBefore, List.of("REFUSED"));
        assertEquals(0, pending(pair));
        return failed;
    }

    private static final class Log {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(new java.io.OutputStream() {
            @Override
            public synchronized void write(int b) {
                out.write(b);
                System.out.write(b);
            }
        }, true, StandardCharsets.UTF_8);

        synchronized String text() {
            stream.flush();
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** One pass as exec:java@catch-up runs it, final or not. */
    private static CatchUp.Outcome pass(StagedPair pair, boolean last, PrintStream review, Log log) throws Exception {
        try (Connection p = pair.production.connect(); Connection s = pair.staging.connect()) {
            return new CatchUp(p, s, true, review, log.stream, pair.production.name).sharing(pair.production::connect)
                    .readingBinlog(new ConnectionSettings(pair.production.url, pair.production.user, pair.production.password)).finalPass(last).run();
        }
    }

    private static Map<String, List<String>> dump(StagedPair pair) throws Exception {
        try (Connection s = pair.staging.connect()) {
            return Rows.dump(s, null);
        }
    }

    /** The base rows and summary as they are. */
    private static Map<String, List<String>> base(StagedPair pair) throws Exception {
        Map<String, List<String>> all = dump(pair);
        return Map.of("rows", all.get(BaseTables.ROWS), "summary", all.get(BaseTables.SUMMARY));
    }

    private static long pending(StagedPair pair) throws Exception {
        try (Connection s = pair.staging.connect()) {
            return Writes.single(s, "SELECT COUNT(*) FROM " + BaseTables.PENDING);
        }
    }

    private static void assertUnchangedButTheAudit(StagedPair pair, Map<String, List<String>> before, List<String> outcomes) throws Exception {
        Map<String, List<String>> now = new java.util.TreeMap<>(dump(pair));
        Map<String, List<String>> was = new java.util.TreeMap<>(before);
        now.remove(CatchUpAudit.TABLE);
        was.remove(CatchUpAudit.TABLE);
        assertEquals(was, now, "a refused or reviewed final pass changed staging");
        try (Connection s = pair.staging.connect()) {
            assertEquals(outcomes, CatchUpTest.outcomes(s));
        }
    }
}
