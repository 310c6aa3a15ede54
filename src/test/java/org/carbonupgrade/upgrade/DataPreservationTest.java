package org.carbonupgrade.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every row that existed before the upgrade is still there, unchanged; the domain data 4.2.0 needs is added. */
class DataPreservationTest {
    private static final String CLAIM_BEHAVIOR_ARCHIVE = "CARBON_UPGRADE_CLAIM_BEHAVIOR";

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void everyPreExistingRowSurvivesUnchanged(Engine engine) throws Exception {
        assertRowsSurvive(Fixtures.carbon40(engine, "data_" + engine.profile()), false);
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void everyPreExistingIdentityServerRowSurvivesUnchanged(Engine engine) throws Exception {
        assertRowsSurvive(Fixtures.identity40(engine, "data_is_" + engine.profile()), true);
    }

    private static void assertRowsSurvive(TestDatabase db, boolean identityServer) throws Exception {
        Engine engine = db.engine;
        Map<String, List<String>> columns;
        Map<String, List<String>> before;
        try (Connection c = db.connect()) {
            columns = Rows.columns(c);
            before = Rows.dump(c, columns);
        }
        Upgrade upgrade = Upgrade.of(db);
        if (identityServer) upgrade.identityServer();
        upgrade.update();
        Map<String, List<String>> after;
        List<String> archived;
        try (Connection c = db.connect()) {
            after = Rows.dump(c, columns);
            archived = Rows.dump(c, Map.of(CLAIM_BEHAVIOR_ARCHIVE, columns.get("UM_CLAIM_BEHAVIOR"))).get(CLAIM_BEHAVIOR_ARCHIVE);
        }
        int rows = 0;
        for (String table : before.keySet()) {
            List<String> expected = new ArrayList<>(before.get(table));
            // The one documented transformation (docs/access-control.md): 4.2.0 keeps a secondary store's domain in
            // UM_DOMAIN_ID, not in the name, so the fixture's "FOO/" users and roles lose their prefix.
            if (table.equals("UM_HYBRID_USER_ROLE")) {
                expected = expected.stream().map(r -> r.replace("UM_USER_NAME=FOO/", "UM_USER_NAME=")).sorted().toList();
            } else if (table.equals("UM_ROLE_PERMISSION")) {
                expected = expected.stream().map(r -> r.replace("UM_ROLE_NAME=FOO/", "UM_ROLE_NAME=")).sorted().toList();
            }
            if (table.equals("UM_CLAIM_BEHAVIOR")) {
                // Moved, not lost: 4.2.0 deletes claims without removing their behaviour rows (changelogs/carbon/um-claim.xml).
                assertEquals(expected, archived, "the 4.0.x UM_CLAIM_BEHAVIOR rows are in " + CLAIM_BEHAVIOR_ARCHIVE);
                assertEquals(List.of(), after.getOrDefault(table, List.of()), "UM_CLAIM_BEHAVIOR keeps no 4.0.x row");
                rows += expected.size();
                continue;
            }
            assertEquals(expected, after.get(table), "rows of " + table + " changed");
            rows += expected.size();
        }
        System.out.printf("[data] %s/%s: %d tables, %d pre-existing rows compared, all unchanged%n", engine.profile(),
                identityServer ? "is" : "carbon", before.size(), rows);
        assertTrue(rows > 300, "the baseline should hold a realistic amount of data, has " + rows);
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void domainsAreCreatedAndBackFilledAs420Expects(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "domains_" + engine.profile());
        Upgrade.of(db).update();
        try (Connection c = db.connect()) {
            int tenants = Fixtures.TENANTS + 1;
            for (String domain : List.of("PRIMARY", "INTERNAL", "SYSTEM")) {
                assertEquals(tenants, Rows.count(c, "SELECT COUNT(DISTINCT UM_TENANT_ID) FROM UM_DOMAIN WHERE UM_DOMAIN_NAME = '" + domain + "'"), domain);
            }
            assertEquals(1, Rows.count(c, "SELECT COUNT(*) FROM UM_DOMAIN WHERE UM_DOMAIN_NAME = 'PRIMARY' AND UM_TENANT_ID = -1234"));
            assertEquals(tenants, Rows.count(c, "SELECT COUNT(*) FROM UM_DOMAIN WHERE UM_DOMAIN_NAME = 'FOO'"),
                    "the secondary store named in hybrid-role rows gets a domain per tenant");
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE UM_DOMAIN_ID IS NULL"));
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_ROLE_PERMISSION WHERE UM_DOMAIN_ID IS NULL"));
            String hybrid = "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE h JOIN UM_DOMAIN d ON d.UM_DOMAIN_ID = h.UM_DOMAIN_ID AND d.UM_TENANT_ID = h.UM_TENANT_ID";
            assertEquals(tenants, Rows.count(c, hybrid + " WHERE h.UM_USER_NAME = 'alice' AND d.UM_DOMAIN_NAME = 'FOO'"));
            assertEquals(0, Rows.count(c, hybrid + " WHERE h.UM_USER_NAME <> 'alice' AND d.UM_DOMAIN_NAME <> 'PRIMARY'"));
            // Role permissions: everyone (tenant 2 calls it allusers) and hybrid roles INTERNAL, the anonymous role SYSTEM,
            // FOO/partners FOO, primary-store roles PRIMARY; the read-only LDAP tenant 3's admin role is a hybrid role.
            String grants = "SELECT COUNT(*) FROM UM_ROLE_PERMISSION p JOIN UM_DOMAIN d ON d.UM_DOMAIN_ID = p.UM_DOMAIN_ID AND d.UM_TENANT_ID = p.UM_TENANT_ID";
            assertEquals(0, Rows.count(c, grants + " WHERE (p.UM_ROLE_NAME IN ('everyone', 'allusers', 'reviewers', 'subscribers') AND d.UM_DOMAIN_NAME <> 'INTERNAL')"
                    + " OR (p.UM_ROLE_NAME = 'wso2.anonymous.role' AND d.UM_DOMAIN_NAME <> 'SYSTEM')"
                    + " OR (p.UM_ROLE_NAME = 'partners' AND d.UM_DOMAIN_NAME <> 'FOO')"
                    + " OR (p.UM_ROLE_NAME = 'developers' AND d.UM_DOMAIN_NAME <> 'PRIMARY')"
                    + " OR (p.UM_ROLE_NAME = 'admin' AND d.UM_DOMAIN_NAME <> CASE WHEN p.UM_TENANT_ID = 3 THEN 'INTERNAL' ELSE 'PRIMARY' END)"));
            assertEquals(2L * tenants, Rows.count(c, grants + " WHERE d.UM_DOMAIN_NAME = 'SYSTEM'"));
            assertEquals(2L, Rows.count(c, grants + " WHERE p.UM_ROLE_NAME = 'allusers' AND p.UM_TENANT_ID = 2 AND d.UM_DOMAIN_NAME = 'INTERNAL'"));
        }
    }
}
