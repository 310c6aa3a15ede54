package org.carbonupgrade.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.logging.Logger;
import liquibase.logging.core.AbstractLogService;
import liquibase.logging.core.AbstractLogger;

import org.carbonupgrade.Engine;
import org.carbonupgrade.change.ChunkedBackfill;
import org.carbonupgrade.gate.GateSettings;
import org.carbonupgrade.rehearsal.Baseline;
import org.carbonupgrade.rehearsal.Carbon400Seeder;
import org.carbonupgrade.schema.ReferenceCheck;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.carbonupgrade.support.UpgradeProcess;
import org.carbonupgrade.verify.VerificationReport;
import org.carbonupgrade.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The domain back-fills run in key-range chunks (ChunkedBackfill): many small chunks give exactly the rows one
 * set-based statement gives, a run killed between chunks keeps what it committed and the next run finishes only
 * the rest, and each back-fill (and the gate's counting, and each verification checkpoint) says how far it is in the log.
 */
class ChunkedBackfillTest {
    /** Rows back-filled so far (MySQL/MariaDB's rows hold the placeholder -1 before, not NULL). */
    private static final String DONE = "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE NOT " + ChunkedBackfill.LACKING;
    private static final Pattern SUMMARY = Pattern.compile(
            "(?:back-fill|rebuild) (UM_\\w+):? ([^:]+): ([\\d,]+) rows (?:updated|copied) in ([\\d,]+) chunks? of about .*");

    /** Chunks of 3 keys over the fixture's tables (a dozen rows and more each) against one chunk spanning every key. */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void smallChunksGiveTheRowsOfTheSingleStatement(Engine engine) throws Exception {
        TestDatabase whole = Fixtures.carbon40(engine, "chunk_whole_" + engine.profile());
        Logs wholeLog = new Logs();
        // A chunk wider than every key range is the set-based statement with an always-true key predicate.
        wholeLog.upgrade(whole, Integer.MAX_VALUE);
        TestDatabase chunked = Fixtures.carbon40(engine, "chunk_small_" + engine.profile());
        Logs chunkedLog = new Logs();
        chunkedLog.upgrade(chunked, 3);

        Map<String, List<String>> expected = carbonData(whole);
        Map<String, List<String>> actual = carbonData(chunked);
        assertEquals(expected.keySet(), actual.keySet());
        for (String table : expected.keySet()) assertEquals(expected.get(table), actual.get(table), "table " + table);
        try (Connection c = chunked.connect()) {
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE " + ChunkedBackfill.LACKING));
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_ROLE_PERMISSION WHERE " + ChunkedBackfill.LACKING));
            assertEquals(List.of(), ReferenceCheck.run(c, Set.of("carbon")).unexplained().stream().map(Object::toString).toList());
        }

        Map<String, long[]> small = chunkedLog.summaries();
        Map<String, long[]> one = wholeLog.summaries();
        assertEquals(one.keySet(), small.keySet(), "the same back-fills ran: " + chunkedLog.lines);
        // PostgreSQL copies UM_HYBRID_USER_ROLE with its domain ids in chunks (HybridRebuildTest); its back-fills find nothing.
        String hybrid = engine == Engine.POSTGRESQL ? "UM_HYBRID_USER_ROLE copy" : "UM_HYBRID_USER_ROLE primary domain";
        assertTrue(small.containsKey(hybrid), small.keySet().toString());
        for (String fill : small.keySet()) {
            assertEquals(one.get(fill)[0], small.get(fill)[0], "rows updated by " + fill);
            assertEquals(1, one.get(fill)[1], fill + " in one chunk");
        }
        for (String fill : List.of(hybrid, "UM_ROLE_PERMISSION primary domain")) {
            long[] counts = small.get(fill);
            System.out.printf("[chunks] %s: %s: %d rows in %d chunks of 3%n", engine.profile(), fill, counts[0], counts[1]);
            assertTrue(counts[1] >= 3, fill + ": several chunks of 3 ran: " + counts[1]);
        }
        for (String start : List.of(engine == Engine.POSTGRESQL ? "rebuild UM_HYBRID_USER_ROLE: copy: done, " : "back-fill UM_HYBRID_USER_ROLE primary domain: done, ",
                "gate: counting the rows of each Carbon table: done, ", "verify: checkpoint access equivalence: PASSED, done in ",
                "verify: checkpoint row counts against the gate's: PASSED, done in ")) {
            assertTrue(chunkedLog.lines.stream().anyMatch(l -> l.startsWith(start)), "a progress line " + start + "...: " + chunkedLog.lines);
        }
    }

    /**
     * The upgrade is killed (SIGKILL, another JVM) once the primary-domain back-fill has committed some chunks and
     * before it ends; the committed rows stay, the changeset is not recorded, and the next run updates only the
     * rest, ending where an uninterrupted run ends.
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MYSQL"})
    void aRunKilledBetweenChunksResumesWithTheRest(Engine engine) throws Exception {
        int tenants = 20;
        int users = 1500;
        int chunk = 200;
        TestDatabase straight = seeded(engine, "chunk_straight_" + engine.profile(), tenants, users);
        Upgrade.of(straight).update();

        TestDatabase db = seeded(engine, "chunk_killed_" + engine.profile(), tenants, users);
        long total;
        try (Connection c = db.connect()) {
            total = Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE");
        }
        Process p = UpgradeProcess.start(db, Map.of(ChunkedBackfill.CHUNK_SIZE_PROPERTY, String.valueOf(chunk)));
        // Past the prefixed back-fill (a few rows per tenant) and a few chunks into the primary one.
        long threshold = 10L * chunk;
        try (Connection watcher = db.connect()) {
            long deadline = System.currentTimeMillis() + 180_000;
            while (System.currentTimeMillis() < deadline && p.isAlive()
                    && value(watcher, DONE) < threshold) {
                Thread.sleep(10);
            }
        }
        assertTrue(p.isAlive(), "the upgrade finished before it could be killed; see " + UpgradeProcess.logFile(db));
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        UpgradeProcess.waitForServerToDropTheSession(db);

        long doneAtKill;
        try (Connection c = db.connect()) {
            doneAtKill = Rows.count(c, DONE);
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOG WHERE ID = 'um-hybrid-user-role-backfill-primary-domain'"),
                    "killed inside the back-fill, so its changeset is not recorded");
        }
        System.out.printf("[chunks] %s: killed with %d of %d UM_HYBRID_USER_ROLE rows back-filled%n", engine.profile(), doneAtKill, total);
        assertTrue(doneAtKill >= threshold && doneAtKill < total, "killed between chunks: " + doneAtKill + " of " + total);
        assertNoHalfDoneChunk(db);
        String log = Files.readString(UpgradeProcess.logFile(db));
        assertFalse(log.contains("back-fill UM_HYBRID_USER_ROLE primary domain: done"), "the killed run did not finish the back-fill");
        assertTrue(log.contains("back-fill UM_HYBRID_USER_ROLE secondary-store domain (DOMAIN/ prefix): done, "),
                "the upgrade's own log shows the finished back-fill's progress line: " + UpgradeProcess.logFile(db));

        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> l.forceReleaseLocks()); // the killed run's lock
        Logs resumed = new Logs();
        resumed.upgrade(db, chunk);
        long[] primary = resumed.summaries().get("UM_HYBRID_USER_ROLE primary domain");
        assertEquals(total - doneAtKill, primary[0], "the resumed run updated only the rows the killed one had not committed");

        Map<String, List<String>> expected = carbonData(straight);
        Map<String, List<String>> actual = carbonData(db);
        assertEquals(expected.keySet(), actual.keySet());
        for (String table : expected.keySet()) assertEquals(expected.get(table), actual.get(table), "table " + table);
    }

    /**
     * A database an earlier build upgraded recorded each back-fill with the checksum of its plain {@code <sql>}
     * change, and a later build with that of its chunked change reading only NULL as "no domain yet" (before the
     * MySQL placeholder); values read from databases those builds upgraded. The changesets accept both, so a
     * re-run or a resumed run does not stop at "checksum changed".
     */
    @Test
    void aDatabaseBackFilledByAnEarlierBuildIsAccepted() throws Exception {
        Map<String, String> plain = Map.of(
                "um-hybrid-user-role-backfill-prefixed-domain", "9:3d6ab4b566678cbb769c9d249bb40e0e",
                "um-hybrid-user-role-backfill-primary-domain", "9:91f439605ad83f26aedfeaeafa4fab16",
                "um-role-permission-backfill-everyone-and-anonymous-domain", "9:74b6d426e727e60e42d00384b619a42e",
                "um-role-permission-backfill-internal-domain", "9:b731e18b9c90420d76bcd1f54fac1f43",
                "um-role-permission-backfill-prefixed-domain", "9:9b94bac9a770a930123dd3f7790da95f",
                "um-role-permission-backfill-primary-domain", "9:1a598526ba822c94bcf0496bdfe207c0");
        Map<String, String> nullOnly = Map.of(
                "um-domain-insert-prefixed-domains", "9:0f4d0f5c0844349ccd458c9df082927e",
                "um-hybrid-user-role-backfill-prefixed-domain", "9:68bf99e30572f33e15cf1743c3e55c31",
                "um-hybrid-user-role-backfill-primary-domain", "9:3ce0ffdca9287d99e4ca9c36e0b382a9",
                "um-role-permission-backfill-everyone-and-anonymous-domain", "9:d381c57946c3589405859ccadfeecaff",
                "um-role-permission-backfill-internal-domain", "9:8d6b14f2f627c7f436f3e83334fe1d3a",
                "um-role-permission-backfill-prefixed-domain", "9:a6a86146eb02af561dcca355122946fe",
                "um-role-permission-backfill-primary-domain", "9:e5223b0e698a29636cb27e4d34b06ae3");
        for (Map<String, String> earlier : List.of(plain, nullOnly)) {
            TestDatabase db = Fixtures.carbon40(Engine.H2, "chunk_old_checksums_" + (earlier == plain ? "plain" : "null") + "_h2");
            Upgrade.of(db).update();
            long ran;
            try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("UPDATE DATABASECHANGELOG SET MD5SUM = ? WHERE ID = ?")) {
                for (Map.Entry<String, String> e : earlier.entrySet()) {
                    ps.setString(1, e.getValue());
                    ps.setString(2, e.getKey());
                    assertEquals(1, ps.executeUpdate(), e.getKey());
                }
                ran = Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOG");
            }
            Upgrade.of(db).update();
            try (Connection c = db.connect()) {
                assertEquals(ran, Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOG"), "nothing ran again");
            }
        }
    }

    /**
     * PostgreSQL keeps 4.0.0's unique key on UM_HYBRID_USER_ROLE but drops it for the fill and creates it again after
     * (um-domain-ids.xml): a run stopped while it is dropped (before the fill, and after the fill's first changeset)
     * ends, on the next run, with the key back and the rows of an uninterrupted run.
     */
    @Test
    void aRunStoppedWhileTheUniqueKeyIsDroppedForTheFillEndsWithItBack() throws Exception {
        Engine engine = Engine.POSTGRESQL;
        TestDatabase straight = Fixtures.carbon40(engine, "chunk_uk_straight_" + engine.profile());
        Upgrade.of(straight).update();
        long dropAt;
        try (Connection c = straight.connect()) {
            dropAt = Rows.count(c, "SELECT ORDEREXECUTED FROM DATABASECHANGELOG WHERE ID = 'um-hybrid-user-role-drop-4.0-unique-during-backfill'");
            assertEquals(1, uniqueKeysOnNameRoleTenant(c), "the uninterrupted run ends with 4.0.0's key");
        }
        Map<String, List<String>> expected = carbonData(straight);
        for (long stopAfter : new long[] {dropAt, dropAt + 1}) {
            TestDatabase db = Fixtures.carbon40(engine, "chunk_uk_stopped_" + (stopAfter - dropAt) + "_" + engine.profile());
            Upgrade.of(db).update((int) stopAfter);
            try (Connection c = db.connect()) {
                assertEquals(0, uniqueKeysOnNameRoleTenant(c), "stopped while the key is dropped, after changeset " + stopAfter);
                assertTrue(Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE UM_DOMAIN_ID IS NULL") > 0, "before the primary fill");
            }
            Upgrade.of(db).update();
            assertEquals(expected, carbonData(db), "rows after a run stopped at changeset " + stopAfter);
            try (Connection c = db.connect()) {
                assertEquals(1, uniqueKeysOnNameRoleTenant(c), "the key is back after a run stopped at changeset " + stopAfter);
                assertEquals(List.of(), ReferenceCheck.run(c, Set.of("carbon")).unexplained().stream().map(Object::toString).toList());
            }
        }
    }

    /**
     * MySQL/MariaDB add UM_HYBRID_USER_ROLE.UM_DOMAIN_ID holding the placeholder -1 in every row, so that the fill
     * updates in place (um-domain-ids.xml). The verifier counts a placeholder as no domain id; a run stopped right after
     * the columns are added, or after the fills but before its default goes back to NULL, ends on the next run with the
     * rows and the schema of an uninterrupted run.
     */
    @Test
    void theMySqlPlaceholderMeansNoDomainYetAndLeavesNoTrace() throws Exception {
        Engine engine = Engine.MYSQL;
        TestDatabase straight = Fixtures.carbon40(engine, "chunk_ph_straight_" + engine.profile());
        Upgrade.of(straight).update();
        long addAt;
        long resetAt;
        try (Connection c = straight.connect()) {
            // Both tables' columns in place (the verifier's access check reads both), UM_HYBRID_USER_ROLE's holding -1.
            addAt = Rows.count(c, "SELECT ORDEREXECUTED FROM DATABASECHANGELOG WHERE ID = 'um-role-permission-add-domain-id'");
            resetAt = Rows.count(c, "SELECT ORDEREXECUTED FROM DATABASECHANGELOG WHERE ID = 'um-hybrid-user-role-domain-id-default-null'");
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOG WHERE ID = 'um-hybrid-user-role-add-domain-id'"),
                    "MySQL adds the column only with its placeholder");
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE " + ChunkedBackfill.LACKING));
            assertTrue(Rows.count(c, "SELECT ORDEREXECUTED FROM DATABASECHANGELOG WHERE ID = 'um-hybrid-user-role-add-domain-id-placeholder'") < addAt
                    && resetAt > addAt, addAt + ", " + resetAt);
        }
        // The verifier on a run stopped there (a copy of its own: the verifier's rolled-back smoke test uses up
        // AUTO_INCREMENT values, so the domain ids a resumed run gives would differ from the uninterrupted run's).
        TestDatabase looked = Fixtures.carbon40(engine, "chunk_ph_verified_" + engine.profile());
        Upgrade.of(looked).update((int) addAt);
        try (Connection c = looked.connect()) {
            long rows = Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE");
            VerificationReport report = Verifier.verify(c, false);
            assertFalse(report.passed());
            List<String> problems = report.checkpoints.stream().flatMap(cp -> cp.problems.stream()).toList();
            assertTrue(problems.stream().anyMatch(p -> p.contains(rows + " rows of UM_HYBRID_USER_ROLE have no UM_DOMAIN_ID")), problems.toString());
        }
        Map<String, List<String>> expected = carbonData(straight);
        for (long stopAfter : new long[] {addAt, resetAt - 1}) {
            TestDatabase db = Fixtures.carbon40(engine, "chunk_ph_stopped_" + (stopAfter == addAt ? "add" : "fill") + "_" + engine.profile());
            Upgrade.of(db).update((int) stopAfter);
            try (Connection c = db.connect()) {
                long rows = Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE");
                if (stopAfter == addAt) {
                    assertEquals(rows, Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE UM_DOMAIN_ID = " + ChunkedBackfill.PLACEHOLDER),
                            "every row holds the placeholder");
                } else {
                    assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE " + ChunkedBackfill.LACKING), "filled");
                    assertEquals(1, Rows.count(c, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                            + " AND TABLE_NAME = 'UM_HYBRID_USER_ROLE' AND COLUMN_NAME = 'UM_DOMAIN_ID' AND COLUMN_DEFAULT = '-1'"),
                            "stopped before the default goes back to NULL");
                }
            }
            Upgrade.of(db).update();
            assertEquals(expected, carbonData(db), "rows after a run stopped at changeset " + stopAfter);
            try (Connection c = db.connect()) {
                assertEquals(List.of(), ReferenceCheck.run(c, Set.of("carbon")).unexplained().stream().map(Object::toString).toList());
                assertTrue(Verifier.verify(c, false).passed(), "verified after a run stopped at changeset " + stopAfter);
            }
        }
    }

    /**
     * The SQL a DBA reviews (updateSQL on the live 4.0.0 database) is the script that runs: a key or index a changeset
     * drops or creates only for the fill is created or dropped again in it too, though the live catalog, which review
     * does not change, still shows the state before (the temporary lookup indexes were left in place by such a script).
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void reviewSqlUndoesWhatItDoesOnlyForTheFill(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "chunk_review_" + engine.profile());
        StringWriter review = new StringWriter();
        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> l.update(new Contexts("carbon"), new LabelExpression(), review));
        // Without the schema H2 and MySQL put before each name.
        String sql = review.toString().toUpperCase(java.util.Locale.ROOT).replaceAll("(?<=[ (])(PUBLIC|" + java.util.regex.Pattern.quote(db.name.toUpperCase(java.util.Locale.ROOT)) + ")\\.", "");
        List<String> steps = new java.util.ArrayList<>(List.of(
                "CREATE INDEX IX_UPGRADE_DOMAIN_LOOKUP", "CREATE INDEX IX_UPGRADE_HYBRID_ROLE_LOOKUP", "UPDATE UM_HYBRID_USER_ROLE",
                "DROP INDEX IX_UPGRADE_DOMAIN_LOOKUP", "DROP INDEX IX_UPGRADE_HYBRID_ROLE_LOOKUP"));
        if (engine == Engine.POSTGRESQL) {
            steps.add(2, "ALTER TABLE UM_HYBRID_USER_ROLE DROP CONSTRAINT UM_HYBRID_USER_ROLE_UM_USER_NAME_UM_ROLE_ID_UM_TENANT_ID_KEY");
            // The rebuild (HybridRebuildTest), then the back-fill statements, which find nothing left to fill.
            steps.addAll(3, List.of("CREATE TABLE CARBON_UPGRADE_HYBRID_USER_ROLE (LIKE UM_HYBRID_USER_ROLE", "INSERT INTO CARBON_UPGRADE_HYBRID_USER_ROLE",
                    "CREATE UNIQUE INDEX CARBON_UPGRADE_HYBRID_USER_ROLE_PK", "ADD CONSTRAINT UM_HYBRID_USER_ROLE_UM_ROLE_ID_UM_TENANT_ID_FKEY",
                    "DROP TABLE UM_HYBRID_USER_ROLE", "ALTER TABLE CARBON_UPGRADE_HYBRID_USER_ROLE RENAME TO UM_HYBRID_USER_ROLE",
                    "ADD CONSTRAINT UM_HYBRID_USER_ROLE_PKEY PRIMARY KEY USING INDEX CARBON_UPGRADE_HYBRID_USER_ROLE_PK"));
            steps.add("ALTER TABLE UM_HYBRID_USER_ROLE ADD CONSTRAINT UM_HYBRID_USER_ROLE_UM_USER_NAME_UM_ROLE_ID_UM_TENANT_ID_KEY");
        }
        int at = 0;
        for (String step : steps) {
            int found = sql.indexOf(step, at);
            assertTrue(found >= 0, "the review script has " + step + " (in this order: " + steps + ")");
            at = found;
        }
    }

    private static long uniqueKeysOnNameRoleTenant(Connection c) throws Exception {
        return Rows.count(c, "SELECT COUNT(*) FROM pg_constraint k WHERE k.contype = 'u' AND k.conrelid = 'um_hybrid_user_role'::regclass"
                + " AND (SELECT string_agg(a.attname, ',' ORDER BY u.n) FROM unnest(k.conkey) WITH ORDINALITY u(attnum, n)"
                + " JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum) = 'um_user_name,um_role_id,um_tenant_id'");
    }

    @Test
    void onlyAnUpdateEndingInItsWhereClauseCanBeNarrowed() {
        assertTrue(ChunkedBackfill.endsInTopLevelWhere("UPDATE T SET A = (SELECT 1 FROM D WHERE X = 1 OR Y = 2) WHERE B IS NULL AND C IN (SELECT 1)"));
        assertFalse(ChunkedBackfill.endsInTopLevelWhere("UPDATE T SET A = 1 WHERE B IS NULL OR C = 2"), "top-level OR");
        assertFalse(ChunkedBackfill.endsInTopLevelWhere("UPDATE T SET A = 1"), "no WHERE");
        assertFalse(ChunkedBackfill.endsInTopLevelWhere("DELETE FROM T WHERE A = 1"), "not an UPDATE");
        assertTrue(ChunkedBackfill.endsInTopLevelWhere("UPDATE T SET A = 'x OR y' WHERE B = 'a)'"), "words and parentheses in literals");
    }

    /** Chunks run in key order and each commits whole: below the highest back-filled key, every row has its domain. */
    private static void assertNoHalfDoneChunk(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            long highest = Rows.count(c, "SELECT MAX(h.UM_ID) FROM UM_HYBRID_USER_ROLE h JOIN UM_DOMAIN d"
                    + " ON d.UM_DOMAIN_ID = h.UM_DOMAIN_ID AND d.UM_TENANT_ID = h.UM_TENANT_ID WHERE d.UM_DOMAIN_NAME = 'PRIMARY'");
            assertTrue(highest > 0, "the primary back-fill committed chunks");
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE " + ChunkedBackfill.LACKING + " AND UM_ID <= " + highest),
                    "no row below the last committed chunk lacks its domain");
        }
    }

    private static TestDatabase seeded(Engine engine, String name, int tenants, int users) throws Exception {
        TestDatabase db = TestDatabase.fresh(engine, name);
        try (Connection c = db.connect()) {
            Baseline.create(c, false);
            new Carbon400Seeder(c, tenants, users).seed();
        }
        return db;
    }

    private static long value(Connection c, String sql) {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (Exception e) {
            return 0; // the column does not exist yet
        }
    }


    private static Map<String, List<String>> carbonData(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            Map<String, List<String>> all = new TreeMap<>(Rows.dump(c, null));
            all.keySet().removeIf(t -> t.startsWith("DATABASECHANGELOG") || t.startsWith("CARBON_UPGRADE_"));
            return all;
        }
    }

    /** Liquibase's log of one in-process run, as Maven would print it. */
    private static final class Logs extends AbstractLogService {
        final List<String> lines = new CopyOnWriteArrayList<>();

        void upgrade(TestDatabase db, int chunkSize) throws Exception {
            Upgrade.of(db).set(ChunkedBackfill.CHUNK_SIZE_PROPERTY, String.valueOf(chunkSize)).set("logService", this).update();
        }

        /** Per back-fill ("UM_HYBRID_USER_ROLE primary domain"): rows updated, chunks. */
        Map<String, long[]> summaries() {
            Map<String, long[]> out = new TreeMap<>();
            for (String line : lines) {
                Matcher m = SUMMARY.matcher(line);
                if (m.matches()) {
                    out.put(m.group(1) + " " + m.group(2), new long[] {number(m.group(3)), number(m.group(4))});
                }
            }
            return out;
        }

        private static long number(String grouped) {
            return Long.parseLong(grouped.replace(",", ""));
        }

        @Override
        public int getPriority() {
            return PRIORITY_SPECIALIZED;
        }

        @Override
        public Logger getLog(Class clazz) {
            return new AbstractLogger() {
                @Override
                public void log(Level level, String message, Throwable e) {
                    if (message != null) lines.add(message);
                }
            };
        }
    }
}
