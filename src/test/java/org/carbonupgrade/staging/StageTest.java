package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.carbonupgrade.ConnectionSettings;
import org.carbonupgrade.Engine;
import org.carbonupgrade.schema.KnownTables;
import org.carbonupgrade.support.Errors;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.Snapshot;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The stage command's work, on real engines: a staging copy of an Identity Server 4.0.0 production (secondary-store
 * FOO/ users, renamed everyone roles, a read-only LDAP tenant, OAuth rows), upgraded, equals the in-place upgrade of
 * the same production table by table; production is never written; the base covers every copied row with the hash
 * production itself computes; id generators are past the copied ids; and every refusal changes nothing.
 */
class StageTest {
    private static final List<String> LOG = new ArrayList<>();

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void aStagedAndUpgradedCopyEqualsTheInPlaceUpgradeAndProductionIsOnlyRead(Engine engine) throws Exception {
        TestDatabase production = Fixtures.identity40(engine, "stage_prod_" + engine.profile());
        TestDatabase inPlace = Fixtures.identity40(engine, "stage_inplace_" + engine.profile());
        TestDatabase staging = TestDatabase.fresh(engine, "stage_stg_" + engine.profile());
        String fileBefore = h2File(production);
        Map<String, String> before = engine == Engine.H2 ? null : Snapshot.of(production);

        Stage.Result result = stage(production, staging, true).run();

        if (engine == Engine.H2) assertEquals(fileBefore, h2File(production), "production's H2 file byte for byte");
        else assertEquals(before, Snapshot.of(production), "production's schema and rows");
        assertEquals("COPY", result.how());
        long productionRows = 0;
        try (Connection p = production.connect(); Connection s = staging.connect()) {
            List<StagedTable> tables = StageBase.recorded(s, StageBase.PRODUCTION);
            assertEquals(StagedTables.baselineNames(engine, true).size(), tables.size());
            for (StagedTable t : tables) {
                productionRows += Rows.count(p, "SELECT COUNT(*) FROM " + t.name());
                // The base is what production itself hashes now: catch-up, comparing the two, finds nothing changed.
                assertEquals(sums(p, engine, t), baseSums(s, t.name()), t.name() + ": base rows and hashes per bucket");
            }
            assertEquals(productionRows, result.rowsCopied());
            assertEquals(productionRows, result.baseRows(), "one base row per copied row (the fixture has no duplicate rows)");
            assertEquals(BaseTables.STAGED, StageBase.state(s));
            if (engine == Engine.MYSQL) assertEquals(List.of(), result.moved(), "InnoDB moved AUTO_INCREMENT past the explicit ids itself");
            else assertTrue(result.moved().size() > 10, "generators moved: " + result.moved());
            assertEquals(List.of(), Sequences.advancePastIds(s, engine, tables.stream().map(StagedTable::name).toList()), "idempotent");
        }

        Upgrade.of(staging).identityServer().update();
        Upgrade.of(inPlace).identityServer().update();

        try (Connection s = staging.connect(); Connection i = inPlace.connect()) {
            assertEquals(carbonRows(i, engine), carbonRows(s, engine), "staging after stage + upgrade = production upgraded in place");
            assertEquals(BaseTables.UPGRADED, StageBase.state(s));
            assertTrue(Rows.count(s, "SELECT COUNT(*) FROM " + BaseTables.ROWS + " WHERE SIDE = 'S'") > 500, "staging side recorded");
            assertNewIdsFollowTheCopiedOnes(s);
        }
    }

    /**
     * Production takes writes while the copy runs: the copy is production at the instant of its snapshot, and the
     * base taken from it differs from production now exactly where production changed (what catch-up then finds).
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MYSQL"})
    void theCopyIsProductionAtOneInstantWhileProductionTakesWrites(Engine engine) throws Exception {
        TestDatabase production = Fixtures.carbon40(engine, "stage_live_prod_" + engine.profile());
        TestDatabase staging = TestDatabase.fresh(engine, "stage_live_stg_" + engine.profile());
        Map<String, List<String>> atSnapshot;
        try (Connection p = production.connect()) {
            atSnapshot = carbonRows(p, engine);
        }
        Stage stage = stage(production, staging, false);
        stage.inSnapshot = () -> {
            try (Connection writer = production.connect(); Statement s = writer.createStatement()) {
                s.executeUpdate("INSERT INTO UM_USER (UM_ID, UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME,"
                        + " UM_TENANT_ID) VALUES (9001, 'late-user', 'x', 'salt', " + (engine == Engine.MYSQL ? "0" : "FALSE")
                        + ", CURRENT_TIMESTAMP, -1234)");
                s.executeUpdate("UPDATE UM_ROLE SET UM_ROLE_NAME = 'renamed-while-copying' WHERE UM_ROLE_NAME = 'admin' AND UM_TENANT_ID = -1234");
                s.executeUpdate("DELETE FROM UM_USER_ATTRIBUTE WHERE UM_TENANT_ID = -1234");
                if (!writer.getAutoCommit()) writer.commit();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        stage.run();
        try (Connection p = production.connect(); Connection s = staging.connect()) {
            assertEquals(atSnapshot, carbonRows(s, engine), "staging holds production as it was when the snapshot began");
            List<String> changed = new ArrayList<>();
            for (StagedTable t : StageBase.recorded(s, StageBase.PRODUCTION)) {
                if (!sums(p, engine, t).equals(baseSums(s, t.name()))) changed.add(t.name());
            }
            assertEquals(List.of("UM_ROLE", "UM_USER", "UM_USER_ATTRIBUTE"), changed.stream().sorted().toList(),
                    "the base tells exactly the tables production changed during the copy");
        }
    }

    /**
     * The stage command killed (SIGKILL) in the middle of its copy: the re-run and the upgrade both refuse the half
     * copy and say to empty staging; production was only read.
     */
    @Test
    void aKilledCopyIsRefusedUntilStagingIsEmptied() throws Exception {
        Engine engine = Engine.POSTGRESQL;
        TestDatabase production = TestDatabase.fresh(engine, "stage_kill_prod");
        try (Connection c = production.connect()) {
            org.carbonupgrade.rehearsal.Baseline.create(c, false);
            new org.carbonupgrade.rehearsal.Carbon400Seeder(c, 10, 3000).seed();
        }
        Map<String, String> before = Snapshot.of(production);
        TestDatabase staging = TestDatabase.fresh(engine, "stage_kill_stg");
        Path basedir = Path.of(System.getProperty("carbon.upgrade.basedir", "."));
        Process run = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                "-D" + Stage.SOURCE_URL + "=" + production.url, "-Dliquibase.url=" + staging.url, "-Dliquibase.username=" + staging.user,
                "-Dliquibase.password=" + staging.password, StageMain.class.getName(), engine.profile(), "carbon")
                .directory(basedir.toFile()).redirectErrorStream(true)
                .redirectOutput(Path.of("target", staging.name + "-stage.log").toAbsolutePath().toFile()).start();
        try (Connection watcher = staging.connect()) {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (run.isAlive() && System.nanoTime() < deadline) {
                if (tableExists(watcher, "um_user_attribute") && Rows.count(watcher, "SELECT COUNT(*) FROM UM_USER_ATTRIBUTE") > 0) break;
                Thread.sleep(20);
            }
            assertTrue(run.isAlive(), "the copy was still running when killed: " + Files.readString(Path.of("target", staging.name + "-stage.log")));
            run.destroyForcibly().waitFor();
            assertEquals(BaseTables.COPYING, StageBase.state(watcher));
        }
        assertRefused(production, staging, "interrupted copy", "empty the staging database");
        Exception e = assertThrows(Exception.class, () -> Upgrade.of(staging).update());
        assertTrue(Errors.messages(e).contains("copy of production did not finish"), Errors.messages(e));
        assertEquals(before, Snapshot.of(production), "production only read");
    }

    private static boolean tableExists(Connection c, String table) throws Exception {
        return new org.carbonupgrade.schema.SchemaReader(c).tableNames().containsKey(table.toUpperCase(java.util.Locale.ROOT));
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void aRestoredDumpGetsItsBaseRecordedWithoutCopying(Engine engine) throws Exception {
        TestDatabase production = Fixtures.identity40(engine, "stage_dump_prod_" + engine.profile());
        TestDatabase restored = Fixtures.identity40(engine, "stage_dump_stg_" + engine.profile()); // what a native dump restore leaves
        Map<String, List<String>> rowsBefore;
        try (Connection s = restored.connect()) {
            rowsBefore = carbonRows(s, engine);
        }
        Stage.Result result = stage(production, restored, true).run();
        assertEquals("RESTORED", result.how());
        assertEquals(0, result.rowsCopied());
        try (Connection s = restored.connect()) {
            assertEquals(rowsBefore, carbonRows(s, engine), "nothing copied over the restored rows");
            assertEquals(result.baseRows(), Rows.count(s, "SELECT COUNT(*) FROM " + BaseTables.ROWS + " WHERE SIDE = 'P'"));
            assertEquals("RESTORED", single(s, "SELECT HOW FROM " + BaseTables.STAGE));
        }
        assertTrue(LOG.stream().anyMatch(l -> l.contains("restored by the DBA: recording its base without copying")), String.join("\n", LOG));
        if (engine != Engine.POSTGRESQL) return; // the upgrade of a staged copy is proven on every engine above; once here
        Upgrade.of(restored).identityServer().update();
        try (Connection s = restored.connect()) {
            assertEquals(BaseTables.UPGRADED, StageBase.state(s));
        }
    }

    @Test
    void everyRefusalNamesTheFixAndChangesNothing() throws Exception {
        Engine engine = Engine.H2;
        TestDatabase production = Fixtures.carbon40(engine, "stage_refuse_prod");
        String file = h2File(production);

        TestDatabase other = TestDatabase.fresh(Engine.POSTGRESQL, "stage_refuse_pg");
        assertRefused(production, other, "Production is H2", "but staging is PostgreSQL");

        TestDatabase pg = Fixtures.carbon40(Engine.POSTGRESQL, "stage_refuse_pgprod");
        TestDatabase sameDatabase = TestDatabase.existing(Engine.POSTGRESQL, pg.name, pg.url.replace("127.0.0.1", "localhost"), pg.user, pg.password);
        assertRefused(pg, sameDatabase, "the same database");

        TestDatabase foreign = TestDatabase.fresh(engine, "stage_refuse_foreign");
        try (Connection c = foreign.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE INVOICE (ID INTEGER PRIMARY KEY)");
        }
        assertRefused(production, foreign, "is not empty and holds no Carbon database");

        TestDatabase partly = Fixtures.carbon40(engine, "stage_refuse_partly");
        Upgrade.of(partly).update(8);
        assertRefused(production, partly, "neither empty nor an untouched Carbon 4.0.0 copy", "DATABASECHANGELOG");

        TestDatabase identity = Fixtures.identity40(engine, "stage_refuse_is");
        TestDatabase withoutIs = TestDatabase.fresh(engine, "stage_refuse_is_stg");
        Map<String, String> empty = Snapshot.of(withoutIs);
        Exception missingIs = assertThrows(Stage.Refused.class, () -> stage(identity, withoutIs, false).run());
        assertTrue(missingIs.getMessage().contains("tables the copy would not carry") && missingIs.getMessage().contains("-Ph2,is"), missingIs.getMessage());
        assertEquals(empty, Snapshot.of(withoutIs));

        TestDatabase staged = TestDatabase.fresh(engine, "stage_refuse_twice");
        stage(production, staged, false).run();
        assertRefused(production, staged, "already staged", "liquibase:update alone", "exec:java@catch-up");

        TestDatabase interrupted = TestDatabase.fresh(engine, "stage_refuse_half");
        Stage broken = stage(production, interrupted, false);
        broken.inSnapshot = () -> {
            // A row already in staging's UM_USER: the copy stops there, the tables before it committed, the rest empty.
            try (Connection c = interrupted.connect(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO UM_USER (UM_ID, UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME,"
                        + " UM_TENANT_ID) VALUES (1, 'in-the-way', 'x', 'salt', FALSE, CURRENT_TIMESTAMP, -1234)");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Exception stopped = assertThrows(java.sql.SQLException.class, broken::run);
        assertTrue(stopped.getMessage().contains("The copy stopped") && stopped.getMessage().contains("empty the staging database"), stopped.getMessage());
        try (Connection c = interrupted.connect()) {
            assertEquals(BaseTables.COPYING, StageBase.state(c));
            assertTrue(Rows.count(c, "SELECT COUNT(*) FROM REG_PATH") > 0, "tables before UM_USER were copied");
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_USER_ROLE"), "tables after it were not");
        }
        assertRefused(production, interrupted, "interrupted copy", "never resumed", "empty the staging database");
        Map<String, String> half = Snapshot.of(interrupted);
        Exception e = assertThrows(Exception.class, () -> Upgrade.of(interrupted).update(), "the upgrade refuses half a copy too");
        assertTrue(Errors.messages(e).contains("copy of production did not finish"), Errors.messages(e));
        assertEquals(half, Snapshot.of(interrupted));

        assertEquals(file, h2File(production), "no refusal wrote to production");
        assertRefused(production, production, "same URL"); // last: its snapshot of "staging" opens production read-write
    }

    private static void assertRefused(TestDatabase production, TestDatabase staging, String... expected) throws Exception {
        Map<String, String> before = Snapshot.of(staging);
        Exception e = assertThrows(Stage.Refused.class, () -> stage(production, staging, false).run());
        for (String text : expected) assertTrue(e.getMessage().contains(text), "'" + text + "' in: " + e.getMessage());
        assertTrue(!e.getMessage().contains("password=") || e.getMessage().contains("password=***"), e.getMessage());
        assertEquals(before, Snapshot.of(staging), "a refusal changes nothing on staging");
    }

    private static Stage stage(TestDatabase production, TestDatabase staging, boolean identityServer) {
        Stage.Settings settings = new Stage.Settings(production.engine, identityServer,
                new ConnectionSettings(production.url, production.user, production.password),
                new ConnectionSettings(staging.url, staging.user, staging.password));
        return new Stage(settings, line -> {
            LOG.add(line);
            System.out.println("[stage] " + line);
        });
    }

    /** Rows of every Carbon table (not the tool's own tables, whose run ids and times differ per run). */
    private static Map<String, List<String>> carbonRows(Connection c, Engine engine) throws Exception {
        Map<String, List<String>> rows = new TreeMap<>(Rows.dump(c, null));
        rows.keySet().retainAll(KnownTables.of(engine));
        return rows;
    }

    private static Map<Integer, String> sums(Connection c, Engine engine, StagedTable t) throws Exception {
        Map<Integer, String> out = new TreeMap<>();
        try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT B, COUNT(*), SUM(H) FROM (" + StageBase.baseRowsSelect(engine, t)
                + ") X GROUP BY B")) {
            while (rs.next()) out.put(rs.getInt(1), rs.getLong(2) + "/" + rs.getLong(3));
        }
        return out;
    }

    private static Map<Integer, String> baseSums(Connection c, String table) throws Exception {
        Map<Integer, String> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT BUCKET, COUNT(*), SUM(ROW_HASH) FROM " + BaseTables.ROWS
                + " WHERE SIDE = 'P' AND TABLE_NAME = ? GROUP BY BUCKET")) {
            ps.setString(1, table);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getInt(1), rs.getLong(2) + "/" + rs.getLong(3));
            }
        }
        return out;
    }

    /** A 4.2.0 server's inserts without an id (a new user, a registry path) get ids after the copied ones. */
    private static void assertNewIdsFollowTheCopiedOnes(Connection c) throws Exception {
        long maxUser = Rows.count(c, "SELECT MAX(UM_ID) FROM UM_USER");
        long maxPath = Rows.count(c, "SELECT MAX(REG_PATH_ID) FROM REG_PATH");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO UM_USER (UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE,"
                + " UM_CHANGED_TIME, UM_TENANT_ID) VALUES ('staging-tester', 'x', 'salt', ?, ?, -1234)")) {
            ps.setBoolean(1, false);
            ps.setTimestamp(2, new Timestamp(System.currentTimeMillis()));
            ps.executeUpdate();
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO REG_PATH (REG_PATH_VALUE, REG_PATH_PARENT_ID, REG_TENANT_ID) VALUES ('/_system/staging-test', NULL, -1234)");
        }
        if (!c.getAutoCommit()) c.commit();
        assertTrue(Rows.count(c, "SELECT UM_ID FROM UM_USER WHERE UM_USER_NAME = 'staging-tester'") > maxUser);
        assertTrue(Rows.count(c, "SELECT REG_PATH_ID FROM REG_PATH WHERE REG_PATH_VALUE = '/_system/staging-test'") > maxPath);
    }

    /** SHA-256 of an H2 test database's file (null for the server engines). */
    private static String h2File(TestDatabase db) throws Exception {
        if (db.engine != Engine.H2) return null;
        Path file = Path.of(db.url.substring("jdbc:h2:".length(), db.url.indexOf(';')) + ".mv.db");
        assertTrue(Files.exists(file), file.toString());
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static String single(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            String v = rs.getString(1);
            assertNotNull(v);
            return v;
        }
    }
}
