package org.carbonupgrade.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import liquibase.Contexts;
import liquibase.LabelExpression;

import org.carbonupgrade.Engine;
import org.carbonupgrade.access.RealmNames;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.rehearsal.Carbon400Seeder;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.SeededIds;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rows the new keys would reject half-way are refused before the first change, listed with the query to inspect
 * them, and the refused database stays exactly as it was.
 */
class DataPrecheckTest {
    // refusedUnchanged (the database is byte-identical after a refusal) and execute are GateTest's.

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void aPrefixTheListedStoresDoNotNameIsRefused(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "pre_unlisted_" + engine.profile());
        int reviewers = reviewers(db, 1);
        GateTest.execute(db, "INSERT INTO UM_HYBRID_USER_ROLE (UM_ID, UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID) VALUES (900, 'BAR/bob', " + reviewers + ", 1)",
                "INSERT INTO UM_ROLE_PERMISSION (UM_ID, UM_PERMISSION_ID, UM_ROLE_NAME, UM_IS_ALLOWED, UM_TENANT_ID) VALUES (900, " + governanceGet(db, 2) + ", 'bar/ops', 1, 2)");
        String message = GateTest.refusedUnchanged(db, Upgrade.of(db).set(RealmNames.SECONDARY_DOMAINS, "FOO"));
        assertTrue(message.contains("1 rows of UM_HYBRID_USER_ROLE carry a user-store domain prefix [BAR]"), message);
        assertTrue(message.contains("tenant 1 role id " + reviewers + " 'BAR/bob'"), message);
        assertTrue(message.contains("1 rows of UM_ROLE_PERMISSION carry a user-store domain prefix [BAR]") && message.contains("'bar/ops'"), message);
        assertTrue(message.contains("SELECT * FROM UM_HYBRID_USER_ROLE WHERE UPPER(UM_USER_NAME) LIKE 'BAR/%'"), message);
        assertTrue(message.contains("add it to -Dcarbon.upgrade.secondaryDomains"), message);
        // 'BAR/bob' is no user: the refusal says a deleted user's leftover row may be deleted (4.0.x's doDeleteUser keeps it).
        assertTrue(message.contains("left behind when 4.0.x deletes a user of the primary store"), message);

        // Listing the store lets it through.
        Upgrade.of(db).set(RealmNames.SECONDARY_DOMAINS, "FOO,bar").update();
        try (Connection c = db.connect()) {
            assertEquals(1, Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE h JOIN UM_DOMAIN d ON d.UM_DOMAIN_ID = h.UM_DOMAIN_ID"
                    + " WHERE h.UM_USER_NAME = 'bob' AND d.UM_DOMAIN_NAME = 'BAR' AND h.UM_TENANT_ID = 1"));
        }
    }

    /** Without the list, every prefix is taken as a store and the gate says which, in the audit trail and the review header. */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void prefixesTakenAsStoresAreListedInTheFindings(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "pre_found_" + engine.profile());
        StringWriter review = new StringWriter();
        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> l.update(new Contexts("carbon"), new LabelExpression(), review));
        assertTrue(review.toString().contains("-- gate: Secondary user-store domains taken from name prefixes"), review.toString());
        Upgrade.of(db).update();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT GATE_FINDINGS FROM CARBON_UPGRADE_RUN")) {
            assertTrue(rs.next());
            String findings = rs.getString(1);
            assertTrue(findings.contains("Secondary user-store domains taken from name prefixes") && findings.contains("FOO ("), findings);
            assertTrue(findings.contains("names used: everyone role 'everyone' for the super tenant"), findings);
            assertTrue(findings.contains("'allusers' in tenants [2]") && findings.contains("primary domain PRIMARY"), findings);
        }
    }

    /**
     * 'FOO/alice' and 'foo/alice' in one role are the same FOO user once the prefix is a domain id. (MySQL's 4.0.x key
     * already compares them without case, so such rows cannot exist there.)
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL"})
    void namesThatCollideAfterStrippingAreRefused(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "pre_collide_" + engine.profile());
        int reviewers = reviewers(db, 1); // the seeder puts FOO/alice into tenant 1's reviewers
        GateTest.execute(db, "INSERT INTO UM_HYBRID_USER_ROLE (UM_ID, UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID) VALUES (900, 'foo/alice', " + reviewers + ", 1)");
        String message = GateTest.refusedUnchanged(db, Upgrade.of(db));
        assertTrue(message.contains("2 rows of UM_HYBRID_USER_ROLE become the same row once the domain prefix moves to UM_DOMAIN_ID"), message);
        assertTrue(message.contains("tenant 1 role id " + reviewers + ": ['FOO/alice', 'foo/alice']"), message);
        assertTrue(message.contains("SELECT * FROM UM_HYBRID_USER_ROLE WHERE UM_TENANT_ID = 1 AND UM_ROLE_ID = " + reviewers + " AND UPPER(UM_USER_NAME) LIKE 'FOO/%'"), message);
    }

    /**
     * A primary user 'alice' next to 'FOO/alice' in one role: two rows for 4.2.0 everywhere but PostgreSQL, whose 4.2.0
     * key (WSO2's script) has no domain column and would reject the second one half-way.
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void aStrippedNameEqualToAPlainMemberIsRefusedWhereTheKeyHasNoDomain(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "pre_twin_" + engine.profile());
        int reviewers = reviewers(db, 1);
        GateTest.execute(db, "INSERT INTO UM_HYBRID_USER_ROLE (UM_ID, UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID) VALUES (900, 'alice', " + reviewers + ", 1)");
        if (engine != Engine.POSTGRESQL) {
            Upgrade.of(db).update();
            try (Connection c = db.connect()) {
                assertEquals(2, Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE UM_USER_NAME = 'alice' AND UM_TENANT_ID = 1 AND UM_ROLE_ID = " + reviewers));
            }
            return;
        }
        String message = GateTest.refusedUnchanged(db, Upgrade.of(db));
        assertTrue(message.contains("would reject them half-way: tenant 1 role id " + reviewers + ": ['FOO/alice', 'alice']"), message);
        assertTrue(message.contains("(UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID)"), message);
    }

    /** 'FOO/partners' next to 'foo/Partners' only collides where the key compares without case (MySQL's collation). */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "MYSQL"})
    void namesThatDifferOnlyInCaseAreRefusedWhereTheKeyIgnoresCase(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "pre_case_" + engine.profile());
        int governanceGet = governanceGet(db, 1); // the seeder grants it to FOO/partners in every tenant
        GateTest.execute(db, "INSERT INTO UM_ROLE_PERMISSION (UM_ID, UM_PERMISSION_ID, UM_ROLE_NAME, UM_IS_ALLOWED, UM_TENANT_ID) VALUES (900, " + governanceGet + ", 'foo/Partners', 1, 1)");
        if (engine == Engine.H2) {
            Upgrade.of(db).update();
            try (Connection c = db.connect()) {
                assertEquals(2, Rows.count(c, "SELECT COUNT(*) FROM UM_ROLE_PERMISSION WHERE UPPER(UM_ROLE_NAME) = 'PARTNERS' AND UM_TENANT_ID = 1"));
            }
            return;
        }
        String message = GateTest.refusedUnchanged(db, Upgrade.of(db));
        assertTrue(message.contains("rows of UM_ROLE_PERMISSION repeat the same") && message.contains("tenant 1 permission id " + governanceGet), message);
    }

    /** Carbon 4.0.x's MySQL script has no unique key on UM_ROLE_PERMISSION; 4.2.0's has one. */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"MYSQL"})
    void duplicateRolePermissionsAreRefusedOnMySql(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "pre_dup_" + engine.profile());
        int governanceGet = governanceGet(db, 1); // the seeder grants it to developers in every read-write tenant
        GateTest.execute(db, "INSERT INTO UM_ROLE_PERMISSION (UM_ID, UM_PERMISSION_ID, UM_ROLE_NAME, UM_IS_ALLOWED, UM_TENANT_ID) VALUES (900, " + governanceGet + ", 'developers', 1, 1)");
        String message = GateTest.refusedUnchanged(db, Upgrade.of(db));
        assertTrue(message.contains("2 rows of UM_ROLE_PERMISSION repeat the same (UM_PERMISSION_ID, UM_ROLE_NAME, UM_TENANT_ID)"), message);
        assertTrue(message.contains("tenant 1 permission id " + governanceGet + " 'developers' x2"), message);
        assertTrue(message.contains("HAVING COUNT(*) > 1"), message);
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void rowsOfATenantThatDoesNotExistAreRefused(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "pre_orphan_" + engine.profile());
        // Left behind by a tenant deleted by hand: its permission and hybrid role went with it, the rows below did not.
        GateTest.execute(db, "INSERT INTO UM_PERMISSION (UM_ID, UM_RESOURCE_ID, UM_ACTION, UM_TENANT_ID) VALUES (5, '/x', 'ui.execute', 99)",
                "INSERT INTO UM_HYBRID_ROLE (UM_ID, UM_ROLE_NAME, UM_TENANT_ID) VALUES (1, 'ghosts', 99)",
                "INSERT INTO UM_ROLE_PERMISSION (UM_ID, UM_PERMISSION_ID, UM_ROLE_NAME, UM_IS_ALLOWED, UM_TENANT_ID) VALUES (1, 5, 'admin', 1, 99)",
                "INSERT INTO UM_HYBRID_USER_ROLE (UM_ID, UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID) VALUES (1, 'ghost', 1, 99)");
        String message = GateTest.refusedUnchanged(db, Upgrade.of(db));
        assertTrue(message.contains("1 rows of UM_ROLE_PERMISSION belong to tenant ids with no UM_TENANT row [99]"), message);
        assertTrue(message.contains("1 rows of UM_HYBRID_USER_ROLE belong to tenant ids with no UM_TENANT row [99]"), message);
        assertTrue(message.contains("tenant 99 role id 1 'ghost'"), message);
        assertTrue(message.contains("WHERE UM_TENANT_ID <> -1234 AND UM_TENANT_ID NOT IN (SELECT UM_ID FROM UM_TENANT)"), message);
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void theRealisticFixturePassesEveryCheck(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "pre_clean_" + engine.profile());
        try (Connection c = db.connect()) {
            UpgradeGate.Result result = UpgradeGate.check(c, new GateSettings(engine.profile(), "carbon", "/backup", true), false);
            assertTrue(result.passed(), result.report());
            assertFalse(result.report().contains("stay whole"), result.report());
        }
    }

    private static int reviewers(TestDatabase db, int tenant) throws Exception {
        try (Connection c = db.connect()) {
            return SeededIds.hybridRole(c, tenant, "reviewers");
        }
    }

    private static int governanceGet(TestDatabase db, int tenant) throws Exception {
        try (Connection c = db.connect()) {
            return SeededIds.permission(c, tenant, "/_system/governance", Carbon400Seeder.GET);
        }
    }
}
