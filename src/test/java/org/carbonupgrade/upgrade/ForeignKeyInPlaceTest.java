package org.carbonupgrade.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.database.jvm.JdbcConnection;

import org.carbonupgrade.Engine;
import org.carbonupgrade.gate.GateSettings;
import org.carbonupgrade.schema.ReferenceCheck;
import org.carbonupgrade.support.Errors;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * MySQL/MariaDB add the foreign keys to UM_DOMAIN in place (AddForeignKeyInPlace) instead of by a copy of the table: the
 * table is not rebuilt, the key and its index are the ones the copy gave, a row without its UM_DOMAIN row is refused by name
 * with nothing done (by the tool and by the reviewed script), the session's foreign_key_checks is on again afterwards, also
 * after a failed ALTER, and a run stopped after the key was added converges. The other engines keep addForeignKeyConstraint.
 */
class ForeignKeyInPlaceTest {
    private static final Engine MY = Engine.MYSQL;
    private static final String HYBRID_KEY = "um-hybrid-user-role-fk-domain";
    private static final String PERMISSION_KEY = "um-role-permission-fk-domain";

    /**
     * Up to the changeset before UM_HYBRID_USER_ROLE's key, that key added as the copy added it (Liquibase's
     * addForeignKeyConstraint with foreign_key_checks on) on one database and by the upgrade on the other: the same table
     * definition, and only the copy gave the table a new InnoDB table id. The same for UM_ROLE_PERMISSION; then 4.2.0's schema.
     */
    @Test
    void mysqlAddsBothKeysInPlaceWithTheDefinitionTheCopyGave() throws Exception {
        TestDatabase straight = upgraded("fkip_straight_mysql");
        TestDatabase copied = Fixtures.carbon40(MY, "fkip_copied_mysql");
        TestDatabase inPlace = Fixtures.carbon40(MY, "fkip_in_place_mysql");
        upTo(copied, HYBRID_KEY, false);
        upTo(inPlace, HYBRID_KEY, false);
        long hybridTable = tableId(inPlace, "UM_HYBRID_USER_ROLE");
        long copiedTable = tableId(copied, "UM_HYBRID_USER_ROLE");
        try (Connection c = copied.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE UM_HYBRID_USER_ROLE ADD CONSTRAINT FK_UM_HYBRID_USER_ROLE_DOMAIN FOREIGN KEY (UM_DOMAIN_ID, UM_TENANT_ID)"
                    + " REFERENCES UM_DOMAIN (UM_DOMAIN_ID, UM_TENANT_ID) ON DELETE CASCADE");
        }
        assertEquals(1, upTo(inPlace, HYBRID_KEY, true), "foreign_key_checks is on again on the upgrade's connection");
        assertEquals(createTable(copied, "UM_HYBRID_USER_ROLE"), createTable(inPlace, "UM_HYBRID_USER_ROLE"));
        assertEquals(hybridTable, tableId(inPlace, "UM_HYBRID_USER_ROLE"), "UM_HYBRID_USER_ROLE was not rebuilt");
        assertTrue(copiedTable != tableId(copied, "UM_HYBRID_USER_ROLE"), "the copy gives the table a new id (what this test tells apart)");

        upTo(copied, PERMISSION_KEY, false);
        upTo(inPlace, PERMISSION_KEY, false);
        long permissionTable = tableId(inPlace, "UM_ROLE_PERMISSION");
        try (Connection c = copied.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE UM_ROLE_PERMISSION ADD CONSTRAINT FK_UM_ROLE_PERMISSION_DOMAIN FOREIGN KEY (UM_DOMAIN_ID, UM_TENANT_ID)"
                    + " REFERENCES UM_DOMAIN (UM_DOMAIN_ID, UM_TENANT_ID) ON DELETE CASCADE");
        }
        assertEquals(1, upTo(inPlace, PERMISSION_KEY, true));
        assertEquals(createTable(copied, "UM_ROLE_PERMISSION"), createTable(inPlace, "UM_ROLE_PERMISSION"));
        assertEquals(permissionTable, tableId(inPlace, "UM_ROLE_PERMISSION"), "UM_ROLE_PERMISSION was not rebuilt");

        Upgrade.of(inPlace).update();
        assertEquals(carbonData(straight), carbonData(inPlace));
        try (Connection c = inPlace.connect()) {
            assertEquals("EXECUTED", execType(c, HYBRID_KEY + "-in-place"));
            assertEquals("EXECUTED", execType(c, PERMISSION_KEY + "-in-place"));
            assertEquals(List.of(), ReferenceCheck.run(c, Set.of("carbon")).unexplained().stream().map(Object::toString).toList());
        }
    }

    /**
     * Which of 4.0.0's tables the whole MariaDB upgrade rebuilds (a new InnoDB table id): only UM_HYBRID_USER_ROLE, by the
     * deliberate rebuild that adds its column holding the placeholder (um-hybrid-user-role-add-domain-id-placeholder); no
     * foreign key or other step copies a table any more.
     */
    @Test
    void mysqlRebuildsNoTableButTheDeliberateOne() throws Exception {
        TestDatabase db = Fixtures.carbon40(MY, "fkip_rebuilds_mysql");
        Map<String, Long> before = tableIds(db);
        Upgrade.of(db).update();
        Map<String, Long> after = tableIds(db);
        List<String> rebuilt = before.keySet().stream().filter(t -> after.containsKey(t) && !before.get(t).equals(after.get(t))).sorted().toList();
        assertEquals(List.of("UM_HYBRID_USER_ROLE"), rebuilt);
    }

    /**
     * A UM_HYBRID_USER_ROLE row whose (UM_DOMAIN_ID, UM_TENANT_ID) UM_DOMAIN does not hold (its domain id changed to another
     * tenant's by hand): refused, named, with the fix; no key (its index, a step of its own, is built), no rebuild, the
     * changeset not recorded, and foreign_key_checks on. With the row mended the next run adds the key and ends as an uninterrupted run.
     */
    @Test
    void aRowWithoutItsDomainIsRefusedByNameWithNothingDone() throws Exception {
        TestDatabase straight = upgraded("fkip_orphan_straight_mysql");
        TestDatabase db = beforeTheHybridKey("fkip_orphan_mysql");
        long[] row = orphanOneRow(db);
        long table = tableId(db, "UM_HYBRID_USER_ROLE");

        AtomicLong checks = new AtomicLong(-1);
        String message = failedUpdate(db, checks);
        assertTrue(message.contains("1 row of UM_HYBRID_USER_ROLE has a (UM_DOMAIN_ID, UM_TENANT_ID) that UM_DOMAIN does not hold"), message);
        assertTrue(message.contains("UM_ID " + row[0] + " (UM_DOMAIN_ID " + row[2] + ", UM_TENANT_ID " + row[1] + ")"), message);
        assertTrue(message.contains("point each at its tenant's domain") && message.contains("run the upgrade again"), message);
        assertTrue(message.contains("Nothing of this step was done"), message);
        assertEquals(1, checks.get(), "foreign_key_checks is on again after the refusal");
        try (Connection c = db.connect()) {
            assertNull(execType(c, HYBRID_KEY + "-in-place"));
            assertEquals("EXECUTED", execType(c, HYBRID_KEY + "-index"), "the index, a step of its own, is built (4.2.0 has it too)");
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()"
                    + " AND CONSTRAINT_NAME = 'FK_UM_HYBRID_USER_ROLE_DOMAIN'"), "no foreign key");
        }
        assertEquals(table, tableId(db, "UM_HYBRID_USER_ROLE"));

        mend(db, row);
        Upgrade.of(db).update();
        assertEquals(carbonData(straight), carbonData(db));
        assertEquals(createTable(straight, "UM_HYBRID_USER_ROLE"), createTable(db, "UM_HYBRID_USER_ROLE"));
    }

    /**
     * A row without its domain committed by another session after the first check and before the ALTER took the table
     * (a Carbon server the operator let stay connected, -Dcarbon.upgrade.allowConnectedSessions=true, or one the gate did not
     * see). Made deterministic on the real server: the writer's UPDATE is open (uncommitted, so the first check's consistent
     * read does not see it) when the step starts; the ALTER then waits for the writer's metadata lock; the writer commits
     * while the ALTER waits (seen in the process list), so the row is in before the key exists and with foreign_key_checks
     * off nothing checks it. The check after the ALTER finds it: the key is dropped again (its index stays), foreign_key_checks
     * is on, the refusal names the row, says how it got in and the fix, the step is not recorded, and with the row mended the
     * next run adds the key and ends as an uninterrupted run.
     */
    @Test
    void aRowWrittenWhileTheKeyIsAddedMakesTheKeyGoAgainAndTheRunRefuse() throws Exception {
        TestDatabase straight = upgraded("fkip_slipped_straight_mysql");
        TestDatabase db = Fixtures.carbon40(MY, "fkip_slipped_mysql");
        upToTheKeyItself(db, HYBRID_KEY);
        long table = tableId(db, "UM_HYBRID_USER_ROLE");
        AtomicLong checks = new AtomicLong(-1);
        long[] row;
        String message;
        java.util.concurrent.ExecutorService upgrade = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (Connection writer = db.connect(); Connection watcher = db.connect()) {
            writer.setAutoCommit(false);
            row = orphanOneRow(writer);
            java.util.concurrent.Future<String> failed = upgrade.submit(() -> failedUpdate(
                    Upgrade.of(db).set(GateSettings.ALLOW_SESSIONS, "true"), checks));
            String alterWaits = "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE()"
                    + " AND INFO LIKE 'ALTER TABLE UM_HYBRID_USER_ROLE ADD CONSTRAINT FK_UM_HYBRID_USER_ROLE_DOMAIN%'"
                    + " AND STATE = 'Waiting for table metadata lock'";
            long deadline = System.currentTimeMillis() + 120_000;
            while (Rows.count(watcher, alterWaits) == 0) {
                assertTrue(!failed.isDone(), () -> "the step ended before its ALTER waited for the writer: " + result(failed));
                assertTrue(System.currentTimeMillis() < deadline, "the ALTER never waited for the writer's lock");
                Thread.sleep(20);
            }
            writer.commit();
            message = failed.get(120, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            upgrade.shutdownNow();
        }
        assertTrue(message.contains("1 row of UM_HYBRID_USER_ROLE has a (UM_DOMAIN_ID, UM_TENANT_ID) that UM_DOMAIN does not hold"), message);
        assertTrue(message.contains("UM_ID " + row[0] + " (UM_DOMAIN_ID " + row[2] + ", UM_TENANT_ID " + row[1] + ")"), message);
        assertTrue(message.contains("written while the key was being added") && message.contains("the foreign key is dropped again"), message);
        assertTrue(message.contains("point each at its tenant's domain") && message.contains("run the upgrade again"), message);
        assertEquals(1, checks.get(), "foreign_key_checks is on again after the refusal");
        try (Connection c = db.connect()) {
            assertNull(execType(c, HYBRID_KEY + "-in-place"), "the step is not recorded");
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()"
                    + " AND CONSTRAINT_NAME = 'FK_UM_HYBRID_USER_ROLE_DOMAIN'"), "the key is gone again");
            assertEquals(2, Rows.count(c, "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME = 'UM_HYBRID_USER_ROLE' AND INDEX_NAME = 'FK_UM_HYBRID_USER_ROLE_DOMAIN'"), "its index stays");
        }
        assertEquals(table, tableId(db, "UM_HYBRID_USER_ROLE"), "not rebuilt");
        mendedItEndsAsUninterrupted(straight, db, row, HYBRID_KEY + "-in-place");
    }

    private static String result(java.util.concurrent.Future<String> done) {
        try {
            return done.get();
        } catch (Exception e) {
            return Errors.messages(e);
        }
    }

    /**
     * The ALTER itself fails after foreign_key_checks was turned off (a constraint of that name already exists in the
     * database, on a table of the DBA's): the error is the engine's, and the session's foreign_key_checks is on again.
     */
    @Test
    void foreignKeyChecksAreOnAgainWhenTheAlterFails() throws Exception {
        TestDatabase straight = upgraded("fkip_fail_straight_mysql");
        TestDatabase db = beforeTheHybridKey("fkip_fail_mysql");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE DBA_NOTES (UM_DOMAIN_ID INTEGER, UM_TENANT_ID INTEGER, CONSTRAINT FK_UM_HYBRID_USER_ROLE_DOMAIN"
                    + " FOREIGN KEY (UM_DOMAIN_ID, UM_TENANT_ID) REFERENCES UM_DOMAIN (UM_DOMAIN_ID, UM_TENANT_ID)) ENGINE=InnoDB");
        }
        AtomicLong checks = new AtomicLong(-1);
        String message = failedUpdate(db, checks);
        assertTrue(message.contains("Adding the foreign key FK_UM_HYBRID_USER_ROLE_DOMAIN to UM_HYBRID_USER_ROLE failed"), message);
        assertEquals(1, checks.get(), "foreign_key_checks is on again after the failed ALTER");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE DBA_NOTES");
        }
        Upgrade.of(db).update();
        assertEquals(carbonData(straight), carbonData(db));
    }

    /**
     * A run stopped right after the key was added in place (the ALTER committed, its DATABASECHANGELOG row not yet): the
     * next run finds the key, marks the step ran, and ends as an uninterrupted run.
     */
    @Test
    void aRunStoppedAfterTheKeyWasAddedConverges() throws Exception {
        TestDatabase straight = upgraded("fkip_stopped_straight_mysql");
        TestDatabase db = beforeTheHybridKey("fkip_stopped_mysql");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET SESSION foreign_key_checks = 0");
            s.execute("ALTER TABLE UM_HYBRID_USER_ROLE ADD CONSTRAINT FK_UM_HYBRID_USER_ROLE_DOMAIN FOREIGN KEY (UM_DOMAIN_ID, UM_TENANT_ID)"
                    + " REFERENCES UM_DOMAIN (UM_DOMAIN_ID, UM_TENANT_ID) ON DELETE CASCADE, ALGORITHM=INPLACE, LOCK=SHARED");
        }
        Upgrade.of(db).update();
        assertEquals(carbonData(straight), carbonData(db));
        try (Connection c = db.connect()) {
            assertEquals("MARK_RAN", execType(c, HYBRID_KEY + "-in-place"));
            assertEquals(List.of(), ReferenceCheck.run(c, Set.of("carbon")).unexplained().stream().map(Object::toString).toList());
        }
    }

    /**
     * A run stopped right after its ALTER committed, before the check after it, while a row without its domain had slipped
     * in (the state a killed run, or a lost connection, leaves after the case above): the key is there, so the next run
     * marks the in-place step ran, and the rows it never checked again are checked by the step after it, which refuses
     * naming the row and the fix. Before, the run went on to the verification, which failed without naming the row. With
     * the row mended the next run ends as an uninterrupted run.
     */
    @Test
    void aRunStoppedBeforeTheCheckAfterTheAlterHasItsRowsCheckedOnTheNextRun() throws Exception {
        TestDatabase straight = upgraded("fkip_unchecked_straight_mysql");
        TestDatabase db = Fixtures.carbon40(MY, "fkip_unchecked_mysql");
        upToTheKeyItself(db, HYBRID_KEY);
        long[] row = orphanOneRow(db);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET SESSION foreign_key_checks = 0");
            s.execute("ALTER TABLE UM_HYBRID_USER_ROLE ADD CONSTRAINT FK_UM_HYBRID_USER_ROLE_DOMAIN FOREIGN KEY (UM_DOMAIN_ID, UM_TENANT_ID)"
                    + " REFERENCES UM_DOMAIN (UM_DOMAIN_ID, UM_TENANT_ID) ON DELETE CASCADE, ALGORITHM=INPLACE, LOCK=SHARED");
        }
        AtomicLong checks = new AtomicLong(-1);
        String message = failedUpdate(db, checks);
        assertTrue(message.contains("1 row of UM_HYBRID_USER_ROLE has a (UM_DOMAIN_ID, UM_TENANT_ID) that UM_DOMAIN does not hold"), message);
        assertTrue(message.contains("UM_ID " + row[0] + " (UM_DOMAIN_ID " + row[2] + ", UM_TENANT_ID " + row[1] + ")"), message);
        assertTrue(message.contains("point each at its tenant's domain") && message.contains("run the upgrade again"), message);
        assertEquals(1, checks.get());
        try (Connection c = db.connect()) {
            assertEquals("MARK_RAN", execType(c, HYBRID_KEY + "-in-place"));
            assertNull(execType(c, HYBRID_KEY + "-rows-checked"), "the check is not recorded");
            assertNull(execType(c, "verify-upgrade"));
        }
        mendedItEndsAsUninterrupted(straight, db, row, HYBRID_KEY + "-rows-checked");
    }

    /** With the row mended the next run ends as an uninterrupted one, the step that refused recorded as run. */
    private static void mendedItEndsAsUninterrupted(TestDatabase straight, TestDatabase db, long[] row, String refused) throws Exception {
        mend(db, row);
        Upgrade.of(db).update();
        assertEquals(carbonData(straight), carbonData(db));
        assertEquals(createTable(straight, "UM_HYBRID_USER_ROLE"), createTable(db, "UM_HYBRID_USER_ROLE"));
        try (Connection c = db.connect()) {
            assertEquals("EXECUTED", execType(c, refused));
        }
    }

    /**
     * The SQL a DBA reviews (updateSQL on the live database) checks the rows too: run statement by statement as a script
     * would, it stops at the check (error 1242) with a row lacking its domain, before foreign_key_checks is touched; with
     * the row mended it adds the key and turns foreign_key_checks on again.
     */
    @Test
    void theReviewedScriptRefusesARowWithoutItsDomain() throws Exception {
        TestDatabase straight = upgraded("fkip_review_straight_mysql");
        TestDatabase db = beforeTheHybridKey("fkip_review_mysql");
        long[] row = orphanOneRow(db);
        StringWriter review = new StringWriter();
        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> l.update(new Contexts("carbon"), new LabelExpression(), review));
        List<String> index = statementsOf(review.toString(), HYBRID_KEY + "-index");
        List<String> script = statementsOf(review.toString(), HYBRID_KEY + "-in-place");
        assertEquals(1, index.size(), index.toString());
        assertTrue(index.get(0).matches("(?s)CREATE INDEX FK_UM_HYBRID_USER_ROLE_DOMAIN ON (\\w+\\.)?UM_HYBRID_USER_ROLE\\(UM_DOMAIN_ID, UM_TENANT_ID\\)"), index.get(0));
        assertEquals(5, script.size(), script.toString());
        assertTrue(script.get(0).startsWith("SELECT (SELECT") && script.get(1).contains("foreign_key_checks = 0")
                && script.get(2).contains("ALGORITHM=INPLACE") && script.get(3).contains("foreign_key_checks =")
                && script.get(4).equals(script.get(0)), script.toString());

        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(index.get(0));
            SQLException stopped = assertThrows(SQLException.class, () -> s.execute(script.get(0)));
            assertEquals(1242, stopped.getErrorCode(), stopped.getMessage());
            assertEquals(1, Rows.count(c, "SELECT @@SESSION.foreign_key_checks"));
        }
        mend(db, row);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String statement : script) s.execute(statement);
            assertEquals(1, Rows.count(c, "SELECT @@SESSION.foreign_key_checks"));
        }
        assertEquals(createTable(straight, "UM_HYBRID_USER_ROLE"), createTable(db, "UM_HYBRID_USER_ROLE"));
    }

    /** H2 and PostgreSQL add the keys as before (addForeignKeyConstraint), never through the in-place change. */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL"})
    void otherEnginesAddTheKeysAsBefore(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "fkip_other_" + engine.profile());
        StringWriter review = new StringWriter();
        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> l.update(new Contexts("carbon"), new LabelExpression(), review));
        assertTrue(!review.toString().contains("-in-place") && !review.toString().contains("foreign_key_checks"), "review SQL as before");
        Upgrade.of(db).update();
        try (Connection c = db.connect()) {
            assertEquals("EXECUTED", execType(c, HYBRID_KEY));
            assertEquals("EXECUTED", execType(c, PERMISSION_KEY));
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOG WHERE ID LIKE '%-in-place'"));
        }
    }

    private static TestDatabase upgraded(String name) throws Exception {
        TestDatabase db = Fixtures.carbon40(MY, name);
        Upgrade.of(db).update();
        return db;
    }

    private static TestDatabase beforeTheHybridKey(String name) throws Exception {
        TestDatabase db = Fixtures.carbon40(MY, name);
        upTo(db, HYBRID_KEY, false);
        return db;
    }

    /** The rest of the upgrade, which must fail: its messages; {@code checks} gets foreign_key_checks on its connection after. */
    private static String failedUpdate(TestDatabase db, AtomicLong checks) {
        return failedUpdate(Upgrade.of(db), checks);
    }

    private static String failedUpdate(Upgrade run, AtomicLong checks) {
        Exception failed = assertThrows(Exception.class, () -> run.run(l -> {
            try {
                l.update(new Contexts("carbon"), new LabelExpression());
            } finally {
                checks.set(foreignKeyChecks(l));
            }
        }));
        return Errors.messages(failed);
    }

    /** Gives one row of a tenant the domain id of another tenant's domain; returns its UM_ID, UM_TENANT_ID, its new (the other tenant's) and its old domain id. */
    private static long[] orphanOneRow(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            return orphanOneRow(c);
        }
    }

    /** As above, on this connection (in its transaction, if one is open). */
    private static long[] orphanOneRow(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            long[] first = new long[3]; // UM_ID, UM_TENANT_ID, UM_DOMAIN_ID
            try (ResultSet rs = s.executeQuery("SELECT UM_ID, UM_TENANT_ID, UM_DOMAIN_ID FROM UM_HYBRID_USER_ROLE ORDER BY UM_ID LIMIT 1")) {
                rs.next();
                for (int i = 0; i < first.length; i++) first[i] = rs.getLong(i + 1);
            }
            long other = Rows.count(c, "SELECT MIN(UM_DOMAIN_ID) FROM UM_DOMAIN WHERE UM_TENANT_ID <> " + first[1]);
            s.executeUpdate("UPDATE UM_HYBRID_USER_ROLE SET UM_DOMAIN_ID = " + other + " WHERE UM_ID = " + first[0] + " AND UM_TENANT_ID = " + first[1]);
            return new long[] {first[0], first[1], other, first[2]};
        }
    }

    private static void mend(TestDatabase db, long[] row) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE UM_HYBRID_USER_ROLE SET UM_DOMAIN_ID = " + row[3] + " WHERE UM_ID = " + row[0] + " AND UM_TENANT_ID = " + row[1]);
        }
    }

    /** The statements a review file gives one changeset, as the mariadb client reads them (each ends with ";" and a line end). */
    private static List<String> statementsOf(String review, String changeSet) {
        int header = review.indexOf("Changeset carbon-upgrade/carbon/um-domain-ids.xml::" + changeSet + "::");
        assertTrue(header >= 0, changeSet + " is in the review:\n" + review);
        int from = review.lastIndexOf('\n', header) + 1;
        int to = review.indexOf("Changeset carbon-upgrade/", header + 1);
        List<String> out = new ArrayList<>();
        for (String part : review.substring(from, to < 0 ? review.length() : to).split(";\\s*\\n")) {
            String body = part.lines().filter(l -> !l.startsWith("--")).reduce("", (a, b) -> a + b + "\n").strip();
            if (!body.isEmpty() && !body.contains("DATABASECHANGELOG")) out.add(body);
        }
        return out;
    }

    private static long foreignKeyChecks(liquibase.Liquibase l) throws SQLException {
        Connection c = ((JdbcConnection) l.getDatabase().getConnection()).getUnderlyingConnection();
        return Rows.count(c, "SELECT @@SESSION.foreign_key_checks");
    }

    /** InnoDB's id of the table: a table rebuilt by a copy (ALGORITHM=COPY) is a new table with a new id. */
    private static long tableId(TestDatabase db, String table) throws Exception {
        try (Connection c = db.connect()) {
            return Rows.count(c, "SELECT TABLE_ID FROM information_schema.INNODB_SYS_TABLES WHERE NAME = CONCAT(DATABASE(), '/" + table + "')");
        }
    }

    /** InnoDB's id of every table of the database, by upper-case name (UM_CLAIM_BEHAVIOR, dropped by the upgrade, absent after). */
    private static Map<String, Long> tableIds(TestDatabase db) throws Exception {
        Map<String, Long> ids = new TreeMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SUBSTRING(NAME, LENGTH(DATABASE()) + 2), TABLE_ID FROM information_schema.INNODB_SYS_TABLES"
                     + " WHERE NAME LIKE CONCAT(DATABASE(), '/%')")) {
            while (rs.next()) ids.put(rs.getString(1).toUpperCase(java.util.Locale.ROOT), rs.getLong(2));
        }
        return ids;
    }

    /** SHOW CREATE TABLE without the AUTO_INCREMENT counter, which differs between two databases seeded alike only by their history. */
    private static String createTable(TestDatabase db, String table) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + table)) {
            rs.next();
            return rs.getString(2).replaceAll(" AUTO_INCREMENT=\\d+", "");
        }
    }

    private static Map<String, List<String>> carbonData(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            Map<String, List<String>> all = new TreeMap<>(Rows.dump(c, null));
            all.keySet().removeIf(t -> t.startsWith("DATABASECHANGELOG") || t.startsWith("CARBON_UPGRADE_"));
            return all;
        }
    }

    /**
     * Runs the changesets before the ones that add this key (MySQL: its index, then the key in place; elsewhere, or on a
     * build without them, the one that copies), or through them; returns the session's foreign_key_checks on the upgrade's
     * connection after (MySQL; -1 elsewhere).
     */
    private static long upTo(TestDatabase db, String key, boolean through) throws Exception {
        AtomicLong checks = new AtomicLong(-1);
        Upgrade.of(db).run(l -> {
            List<String> unrun = l.listUnrunChangeSets(new Contexts("carbon"), new LabelExpression()).stream().map(cs -> cs.getId()).toList();
            List<String> steps = unrun.stream().filter(id -> id.equals(key) || id.equals(key + "-index") || id.equals(key + "-in-place")).toList();
            assertTrue(!steps.isEmpty(), key + " is still to run: " + unrun);
            l.update(through ? unrun.indexOf(steps.get(steps.size() - 1)) + 1 : unrun.indexOf(steps.get(0)), new Contexts("carbon"), new LabelExpression());
            if (db.engine == MY) checks.set(foreignKeyChecks(l));
        });
        return checks.get();
    }

    /** Runs the changesets before the one that adds this key in place: its index is built, the key not yet added. */
    private static void upToTheKeyItself(TestDatabase db, String key) throws Exception {
        Upgrade.of(db).run(l -> {
            List<String> unrun = l.listUnrunChangeSets(new Contexts("carbon"), new LabelExpression()).stream().map(cs -> cs.getId()).toList();
            assertTrue(unrun.contains(key + "-in-place"), key + "-in-place is still to run: " + unrun);
            l.update(unrun.indexOf(key + "-in-place"), new Contexts("carbon"), new LabelExpression());
        });
    }

    private static String execType(Connection c, String id) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXECTYPE FROM DATABASECHANGELOG WHERE ID = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
