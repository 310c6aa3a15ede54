package org.carbonupgrade.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import liquibase.Contexts;
import liquibase.LabelExpression;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Errors;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Snapshot;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each of the guide's prerequisites refuses with a message that says what to do, and a refused run leaves
 * the database exactly as it was: same schema, same rows, and no Liquibase tables where there were none.
 */
class GateTest {

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void refusesWithoutBackup(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "gate_backup_" + engine.profile());
        String message = refusedUnchanged(db, Upgrade.of(db).set(GateSettings.BACKUP, null));
        assertTrue(message.contains("No backup is confirmed") && message.contains("-Dcarbon.upgrade.backup="), message);
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void refusesAProfileForAnotherDatabaseType(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "gate_engine_" + engine.profile());
        String other = engine == Engine.MYSQL ? "postgresql" : "mysql";
        String message = refusedUnchanged(db, Upgrade.of(db).set(GateSettings.ENGINE, other));
        assertTrue(message.contains("The profile is " + other) && message.contains("run with -P" + engine.profile()), message);
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void refusesAnUnknownProfile(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "gate_unknown_" + engine.profile());
        String message = refusedUnchanged(db, Upgrade.of(db).set(GateSettings.ENGINE, "db2"));
        assertTrue(message.contains("Unknown database profile 'db2'"), message);
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void refusesAnEmptyDatabase(Engine engine) throws Exception {
        TestDatabase db = TestDatabase.fresh(engine, "gate_empty_" + engine.profile());
        String message = refusedUnchanged(db, Upgrade.of(db));
        assertTrue(message.contains("The database is empty"), message);
        assertEquals(Map.of(), Snapshot.of(db), "not even Liquibase's tables may be created");
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void refusesADatabaseOfAnotherApplication(Engine engine) throws Exception {
        TestDatabase db = TestDatabase.fresh(engine, "gate_other_" + engine.profile());
        execute(db, "CREATE TABLE CUSTOMER (ID INTEGER PRIMARY KEY, NAME VARCHAR(50))", "INSERT INTO CUSTOMER VALUES (1, 'x')");
        String message = refusedUnchanged(db, Upgrade.of(db));
        assertTrue(message.contains("This is not a Carbon database") && message.contains("CUSTOMER"), message);
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void refusesASchemaNewerThan420(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "gate_newer_" + engine.profile());
        execute(db, "CREATE TABLE SP_APP (ID INTEGER PRIMARY KEY)");
        String message = refusedUnchanged(db, Upgrade.of(db));
        assertTrue(message.contains("newer than Carbon 4.2.0") && message.contains("SP_APP"), message);
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void refusesAnIdentityServerUpgradeWithoutIdentityTables(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "gate_is_" + engine.profile());
        String message = refusedUnchanged(db, Upgrade.of(db).identityServer());
        assertTrue(message.contains("(-Pis) was chosen, but the identity tables"), message);
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void refusesWhileAnotherSessionIsConnectedUnlessTheDbaOverrides(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "gate_sessions_" + engine.profile());
        try (Connection carbonServer = db.connect()) {
            carbonServer.createStatement().execute("SELECT COUNT(*) FROM UM_USER");
            String message = refusedUnchanged(db, Upgrade.of(db));
            assertTrue(message.contains("Other sessions are connected to this database") && message.contains(" since "), message);
            assertTrue(message.contains(GateSettings.ALLOW_SESSIONS + "=true"), message);

            Upgrade.of(db).set(GateSettings.ALLOW_SESSIONS, "true").update();
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT GATE_FINDINGS FROM CARBON_UPGRADE_RUN")) {
            assertTrue(rs.next());
            assertTrue(rs.getString(1).contains("overrides the check"), rs.getString(1));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void recordsTheBackupInTheAuditTrail(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "gate_audit_" + engine.profile());
        Upgrade.of(db).set(GateSettings.BACKUP, "s3://backups/carbon-2026-11-25.dump").update();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT BACKUP_REF, ENGINE, PRODUCT, GATE_FINDINGS FROM CARBON_UPGRADE_RUN")) {
            assertTrue(rs.next());
            assertEquals("s3://backups/carbon-2026-11-25.dump", rs.getString(1));
            assertEquals(engine.profile(), rs.getString(2));
            assertEquals("carbon", rs.getString(3));
            // The realistic fixture names a secondary store only by prefix (FOO/), so the gate reports taking it as one,
            // and every run records the realm names it mapped by.
            assertTrue(rs.getString(4).startsWith("Secondary user-store domains taken from name prefixes"), rs.getString(4));
            assertTrue(rs.getString(4).contains(" | names used: everyone role 'everyone' for the super tenant"), rs.getString(4));
            assertFalse(rs.next());
        }
    }

    /** updateSQL is for review: it runs the read-only checks against the live database and changes nothing. */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void updateSqlChecksTheLiveDatabaseAndChangesNothing(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "gate_review_" + engine.profile());
        Map<String, String> before = Snapshot.of(db);
        StringWriter sql = new StringWriter();
        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> l.update(new Contexts("carbon"), new LabelExpression(), sql));
        assertTrue(sql.toString().toUpperCase().matches("(?s).*CREATE TABLE [A-Z0-9_]*\\.?UM_DOMAIN \\(.*"), sql.toString());
        assertEquals(before, Snapshot.of(db));

        String other = engine == Engine.MYSQL ? "postgresql" : "mysql";
        Exception refused = assertThrows(Exception.class, () -> Upgrade.of(db).set(GateSettings.ENGINE, other)
                .run(l -> l.update(new Contexts("carbon"), new LabelExpression(), new StringWriter())));
        assertTrue(Errors.messages(refused).contains("The profile is " + other), Errors.messages(refused));
        assertEquals(before, Snapshot.of(db));
    }

    static String refusedUnchanged(TestDatabase db, Upgrade upgrade) throws Exception {
        Map<String, String> before = Snapshot.of(db);
        Exception e = assertThrows(Exception.class, upgrade::update);
        assertEquals(before, Snapshot.of(db), "a refused run must leave the database exactly as it was");
        String message = Errors.messages(e);
        assertTrue(message.contains("carbon-upgrade refused to start; nothing was changed"), message);
        return message;
    }

    static void execute(TestDatabase db, String... sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String q : sql) s.execute(q);
        }
    }
}
