package org.carbonupgrade.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.RunSettings;
import org.carbonupgrade.support.Snapshot;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The verifier passes an upgraded database without changing it, and names exactly what is wrong with a broken one. */
class VerifierTest {

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void passesAnUpgradedIdentityServerDatabaseAndLeavesItUntouched(Engine engine, @TempDir Path reports) throws Exception {
        TestDatabase db = Fixtures.identity40(engine, "verify_ok_" + engine.profile());
        Upgrade.of(db).identityServer().update();
        Map<String, String> before = Snapshot.of(db);
        VerificationReport report;
        try (Connection c = db.connect()) {
            report = Verifier.verify(c, true);
        }
        report.write(reports);
        assertTrue(report.passed(), report.markdown());
        assertEquals(6, report.checkpoints.size());
        assertEquals(before, Snapshot.of(db), "the smoke test must leave the staging database as it was");
        String md = Files.readString(reports.resolve("verification-report.md"));
        assertTrue(md.contains("PASSED") && md.contains("UM_DOMAIN: present") && md.contains("IDP_BASE_TABLE: present"), md);
        assertTrue(md.contains("reads back Internal/smoke-internal"), md);
        String json = Files.readString(reports.resolve("verification-report.json"));
        assertTrue(json.contains("\"passed\": true") && json.contains("\"engine\": \"" + engine.profile() + "\""), json);
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void namesAMissingColumn(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "verify_column_" + engine.profile());
        Upgrade.of(db).update();
        List<String> problems = breakAndVerify(db, "ALTER TABLE UM_CLAIM DROP COLUMN UM_READ_ONLY");
        assertEquals(List.of("Schema equals the Carbon 4.2.0 reference: UM_CLAIM/column/UM_READ_ONLY: missing"), problems);
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void namesAMissingDomainRowAndTheRowsItTookWithIt(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "verify_domain_" + engine.profile());
        Upgrade.of(db).update();
        // The foreign keys cascade: deleting tenant 2's INTERNAL domain also deletes its INTERNAL role permissions
        // (the fixture's allusers x2, reviewers, subscribers).
        List<String> problems = breakAndVerify(db, "DELETE FROM UM_DOMAIN WHERE UM_DOMAIN_NAME = 'INTERNAL' AND UM_TENANT_ID = 2");
        assertTrue(problems.stream().anyMatch(p -> p.contains("Tenant 2 has no INTERNAL row in UM_DOMAIN")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("UM_ROLE_PERMISSION: 74 rows before the upgrade, 70 now")), problems.toString());
        // The access check names what that cost: the grants of tenant 2's internal roles, and its new users' everyone grants.
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(AccessEquivalence.NAME + ": tenant 2, role Internal/")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(AccessEquivalence.NAME + ": a user created in tenant 2 after the upgrade gets 0 grants")), problems.toString());
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void namesRowsWithoutDomainId(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "verify_nulls_" + engine.profile());
        Upgrade.of(db).update();
        // admin is in reviewers and subscribers in each of the 4 tenants, and in the read-only tenant 3's hybrid admin role.
        List<String> problems = breakAndVerify(db, "UPDATE UM_HYBRID_USER_ROLE SET UM_DOMAIN_ID = NULL WHERE UM_USER_NAME = 'admin'");
        assertTrue(problems.stream().anyMatch(p -> p.contains("9 rows of UM_HYBRID_USER_ROLE have no UM_DOMAIN_ID")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("existing hybrid-role memberships visible to 4.2.0 through UM_DOMAIN: 41 of 50")), problems.toString());
    }

    /**
     * The verifier run at the wrong moment: on the Carbon 4.0.0 database, and where the update stopped half-way, before
     * and after the gate took its snapshot and until UM_ROLE_PERMISSION.UM_DOMAIN_ID exists. It gives a verdict, never a
     * driver's error (before, the access check's first query failed on the missing column): each checkpoint that misses a
     * 4.2.0 table or column names it and says that the upgrade has not finished and to run the update.
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void onADatabaseNotUpgradedOrStoppedHalfWayTheVerdictNamesWhatIsMissing(Engine engine) throws Exception {
        TestDatabase straight = Fixtures.carbon40(engine, "verify_unfinished_straight_" + engine.profile());
        Upgrade.of(straight).update();
        long snapshotAt = Upgrade.orderExecuted(straight, "audit-record-access-snapshot");
        long columnAt = Upgrade.orderExecuted(straight, "um-role-permission-add-domain-id");
        assertTrue(0 < snapshotAt && snapshotAt < columnAt, snapshotAt + " " + columnAt);
        for (long stop : List.of(columnAt - 1, snapshotAt, 0L)) {
            TestDatabase db = Fixtures.carbon40(engine, "verify_unfinished_" + stop + "_" + engine.profile());
            if (stop > 0) Upgrade.of(db).update((int) stop);
            VerificationReport report;
            try (Connection c = db.connect()) {
                report = Verifier.verify(c, false);
            }
            List<String> problems = report.checkpoints.stream().flatMap(cp -> cp.problems.stream().map(p -> cp.name + ": " + p)).toList();
            String at = "stopped after " + stop + " changesets: " + problems;
            assertFalse(report.passed(), at);
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(AccessEquivalence.NAME) && p.contains("UM_ROLE_PERMISSION.UM_DOMAIN_ID")
                    && p.contains(Verifier.NOT_FINISHED)), at);
            assertTrue(problems.stream().anyMatch(p -> p.startsWith("User-store domain rows") && p.endsWith(Verifier.NOT_FINISHED)), at);
        }
    }

    /**
     * exec:java@verify at the wrong moment (the 4.0.0 database, and the update stopped half-way as above): the smoke test's
     * failure says, as the other checkpoints do, which 4.2.0 table or column is missing and that the upgrade has not finished
     * (run the update, then verify again), and it inserts nothing, so no id is drawn. Before, it inserted a tenant (drawing
     * its id) and then failed with the driver's own error on UM_DOMAIN ("4.2.0 user-core SQL failed: ..."), and half-way on
     * UM_ROLE_PERMISSION.UM_DOMAIN_ID.
     */
    private static final String SMOKE = "Staging smoke test: user stores and tenants with users (rolled back)";

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void onADatabaseNotUpgradedTheSmokeTestNamesWhatIsMissingAndInsertsNothing(Engine engine, @TempDir Path reports) throws Exception {
        TestDatabase straight = Fixtures.carbon40(engine, "verify_smoke_unfinished_straight_" + engine.profile());
        Upgrade.of(straight).update();
        long snapshotAt = Upgrade.orderExecuted(straight, "audit-record-access-snapshot");
        long columnAt = Upgrade.orderExecuted(straight, "um-role-permission-add-domain-id");
        String previousDir = System.getProperty("carbon.upgrade.reportDir");
        System.setProperty("carbon.upgrade.reportDir", reports.toString());
        try {
            for (long stop : List.of(0L, snapshotAt, columnAt - 1)) {
                TestDatabase db = Fixtures.carbon40(engine, "verify_smoke_unfinished_" + stop + "_" + engine.profile());
                if (stop > 0) Upgrade.of(db).update((int) stop);
                Map<String, Long> idsBefore = nextIds(db);
                VerifyMain.VerificationFailedException failed = assertThrows(VerifyMain.VerificationFailedException.class,
                        () -> RunSettings.pointingAt(db, () -> {
                            VerifyMain.main(new String[] {engine.profile()});
                            return null;
                        }));
                List<String> smoke = failed.getMessage().lines().filter(l -> l.startsWith(" - " + SMOKE + ": ")).toList();
                String at = "stopped after " + stop + " changesets: " + failed.getMessage();
                assertEquals(1, smoke.size(), at);
                String line = smoke.get(0);
                assertTrue(line.endsWith(Verifier.NOT_FINISHED) && line.contains("UM_ROLE_PERMISSION.UM_DOMAIN_ID")
                        && line.contains("nothing was inserted") && !line.contains("SQL failed"), at);
                if (stop == 0) assertTrue(line.startsWith(" - " + SMOKE + ": UM_DOMAIN, UM_SYSTEM_USER, UM_HYBRID_USER_ROLE.UM_DOMAIN_ID,"), at);
                assertEquals(idsBefore, nextIds(db), "the smoke test drew no id: " + at);
            }
        } finally {
            if (previousDir == null) System.clearProperty("carbon.upgrade.reportDir");
            else System.setProperty("carbon.upgrade.reportDir", previousDir);
        }
    }

    /**
     * The verifier run on its own while an update holds Liquibase's lock (as Liquibase writes it when it starts) refuses
     * before reading or writing anything, names the holder and says what to do; once the lock is free it verifies.
     * Before, it verified beside the running update, its smoke test inserting into tables the update was changing.
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void onItsOwnItRefusesWhileAnUpdateHoldsTheLock(Engine engine, @TempDir Path reports) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "verify_locked_" + engine.profile());
        Upgrade.of(db).update();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE DATABASECHANGELOGLOCK SET LOCKED = TRUE, LOCKEDBY = 'carbon-db-02 (10.0.4.17)',"
                    + " LOCKGRANTED = CURRENT_TIMESTAMP WHERE ID = 1");
        }
        Map<String, Long> idsBefore = nextIds(db);
        String previousDir = System.getProperty("carbon.upgrade.reportDir");
        System.setProperty("carbon.upgrade.reportDir", reports.toString());
        try {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> RunSettings.pointingAt(db, () -> {
                        VerifyMain.main(new String[] {engine.profile()});
                        return null;
                    }));
            String m = refused.getMessage();
            assertTrue(m.contains("DATABASECHANGELOGLOCK") && m.contains("carbon-db-02 (10.0.4.17) since ")
                    && m.contains("let it finish") && m.contains("mvn liquibase:releaseLocks -P" + engine.profile()), m);
            assertEquals(idsBefore, nextIds(db), "refused before the smoke test drew any id");
            assertFalse(Files.exists(reports.resolve("verification-report.md")), "refused before writing a report");

            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE DATABASECHANGELOGLOCK SET LOCKED = FALSE, LOCKEDBY = NULL, LOCKGRANTED = NULL WHERE ID = 1");
            }
            RunSettings.pointingAt(db, () -> {
                VerifyMain.main(new String[] {engine.profile()});
                return null;
            });
            assertTrue(Files.readString(reports.resolve("verification-report.md")).contains("PASSED"));
        } finally {
            if (previousDir == null) System.clearProperty("carbon.upgrade.reportDir");
            else System.setProperty("carbon.upgrade.reportDir", previousDir);
        }
    }

    /**
     * PostgreSQL: catch-up's standing index (DeleteIndexes, named CARBON_UPGRADE_FK_...) is named as catch-up's own only on a
     * staging database (one with the stage's row); anywhere else it is an extra index like any other, and on staging any
     * other extra index still fails the schema checkpoint.
     */
    @org.junit.jupiter.api.Test
    void aStandingIndexOfCatchUpPassesOnlyOnAStagingDatabase() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.POSTGRESQL, "verify_standing_postgresql");
        Upgrade.of(db).update();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE INDEX CARBON_UPGRADE_FK_UM_USER_ATTRIBUTE_UM_USER_ID ON UM_USER_ATTRIBUTE (UM_USER_ID)");
            Checkpoint plain = Verifier.schema(c, false);
            assertEquals(List.of("UM_USER_ATTRIBUTE/implicit_index/[UM_USER_ID]: not in the reference"), plain.problems, "not a staging database");

            // A staging database: the stage's tables and row, as the stage command writes them.
            org.carbonupgrade.staging.BaseTables.create(c, Engine.POSTGRESQL);
            s.execute("INSERT INTO " + org.carbonupgrade.staging.BaseTables.STAGE + " (STAGE_ID, STATE, HOW, STARTED_AT) VALUES ('test', '"
                    + org.carbonupgrade.staging.BaseTables.UPGRADED + "', 'RESTORED', CURRENT_TIMESTAMP)");
            Checkpoint staging = Verifier.schema(c, false);
            assertEquals(List.of(), staging.problems);
            assertTrue(staging.details.stream().anyMatch(d -> d.startsWith("not compared: index CARBON_UPGRADE_FK_UM_USER_ATTRIBUTE_UM_USER_ID on"
                    + " UM_USER_ATTRIBUTE is catch-up's own") && d.contains("the final pass (-Dcarbon.upgrade.catchup.final=true) drops it")),
                    staging.details.toString());

            s.execute("CREATE INDEX CARBON_UPGRADE_FKX_UM_USER_ROLE ON UM_USER_ROLE (UM_ROLE_ID)");
            assertEquals(List.of("UM_USER_ROLE/implicit_index/[UM_ROLE_ID]: not in the reference"), Verifier.schema(c, false).problems,
                    "another extra index on staging");
        }
    }

    /**
     * The smoke test's rows are rolled back, but the ids they took are not given back: PostgreSQL's sequences, InnoDB's
     * AUTO_INCREMENT and H2's identities are not transactional. Measured per table and run (the README's verify section
     * states these numbers): ids of the tables the smoke test inserts into, as many as it inserts there, the same again on
     * a second run, none elsewhere; and 4.2.0's inserts without an id still work after it.
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void theSmokeTestTakesIdsOnlyOfTheRowsItRollsBack(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "verify_ids_" + engine.profile());
        Upgrade.of(db).update();
        Map<String, Long> before = nextIds(db);
        Map<String, Long> first = taken(before, verifyAndReadNextIds(db));
        Map<String, Long> second = taken(before, verifyAndReadNextIds(db));
        System.out.println("[smoke ids] " + engine + ": per run " + first + ", two runs " + second);
        assertEquals(SMOKE_TEST_IDS, first);
        Map<String, Long> twice = new java.util.TreeMap<>();
        first.forEach((t, n) -> twice.put(t, 2 * n));
        assertEquals(twice, second);
        try (Connection c = db.connect(); java.sql.PreparedStatement ps = c.prepareStatement(
                "INSERT INTO UM_TENANT (UM_DOMAIN_NAME,UM_EMAIL, UM_CREATED_DATE, UM_USER_CONFIG) VALUES(?,?,?,?)")) {
            // 4.2.0's tenant insert, TenantConstants.ADD_TENANT_SQL (wso2/carbon4-kernel): no id, the engine's.
            ps.setString(1, "after-verify.example.com");
            ps.setString(2, "admin@after-verify.example.com");
            ps.setTimestamp(3, new java.sql.Timestamp(System.currentTimeMillis()));
            ps.setBytes(4, "<UserManager/>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ps.executeUpdate();
            if (!c.getAutoCommit()) c.commit();
            assertEquals(before.get("UM_TENANT") + 2 * SMOKE_TEST_IDS.get("UM_TENANT"),
                    Rows.count(c, "SELECT UM_ID FROM UM_TENANT WHERE UM_DOMAIN_NAME = 'after-verify.example.com'"));
        }
    }

    /** What one smoke test run inserts (SmokeTest: the super tenant and two new ones, two stores each, ...), table by table. */
    private static final Map<String, Long> SMOKE_TEST_IDS = Map.of("UM_TENANT", 2L, "UM_DOMAIN", 10L, "UM_ROLE", 3L, "UM_USER", 6L,
            "UM_USER_ROLE", 6L, "UM_HYBRID_ROLE", 3L, "UM_HYBRID_USER_ROLE", 9L, "UM_PERMISSION", 3L, "UM_ROLE_PERMISSION", 6L, "UM_SYSTEM_USER", 3L);

    private static Map<String, Long> verifyAndReadNextIds(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            assertTrue(Verifier.verify(c, false).passed());
        }
        return nextIds(db);
    }

    private static Map<String, Long> taken(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach((t, next) -> {
            long n = next - before.getOrDefault(t, next);
            if (n != 0) out.put(t, n);
        });
        return out;
    }

    /** Each table's next generated id, by upper-case table name (read from the catalog as staging's Sequences reads it). */
    private static Map<String, Long> nextIds(TestDatabase db) throws Exception {
        Map<String, Long> next = new TreeMap<>();
        String catalog = switch (db.engine) {
            case POSTGRESQL -> "SELECT table_name, substring(column_default from 'nextval\\(''([^'']+)''') FROM information_schema.columns"
                    + " WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'";
            case MYSQL -> "SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND AUTO_INCREMENT IS NOT NULL";
            default -> "SELECT TABLE_NAME, IDENTITY_BASE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = SCHEMA() AND IS_IDENTITY = 'YES'";
        };
        try (Connection c = db.connect()) {
            Map<String, String> read = new TreeMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(catalog)) {
                while (rs.next()) read.put(rs.getString(1).toUpperCase(Locale.ROOT), rs.getString(2));
            }
            for (Map.Entry<String, String> e : read.entrySet()) {
                // PostgreSQL: the column default names the sequence, whose next value is read from it.
                next.put(e.getKey(), db.engine != Engine.POSTGRESQL ? Long.parseLong(e.getValue())
                        : Rows.count(c, "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM " + e.getValue()));
            }
        }
        return next;
    }

    private static List<String> breakAndVerify(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
            if (!c.getAutoCommit()) c.commit();
            VerificationReport report = Verifier.verify(c, false);
            assertFalse(report.passed());
            return report.checkpoints.stream().flatMap(cp -> cp.problems.stream().map(p -> cp.name + ": " + p)).toList();
        }
    }
}
