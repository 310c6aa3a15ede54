package org.carbonupgrade.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Fixtures;
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
