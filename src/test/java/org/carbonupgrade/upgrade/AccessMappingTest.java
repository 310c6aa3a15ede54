package org.carbonupgrade.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.carbonupgrade.Engine;
import org.carbonupgrade.access.RealmNames;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.SeededIds;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each 4.0.x grant and hybrid membership resolves, through 4.2.0's own lookups, to the role 4.2.0 gives it:
 * everyone -> Internal/everyone (per tenant name), wso2.anonymous.role -> system/wso2.anonymous.role,
 * "FOO/x" -> the FOO store's x, other hybrid roles -> Internal/x, the rest -> the primary store.
 * The statements are WSO2's (wso2/carbon4-kernel @ a169d3b36b, core/org.wso2.carbon.user.core/src/main/java/
 * org/wso2/carbon/user/core/...), bound as 4.2.0 binds them.
 */
public class AccessMappingTest {
    /** authorization/DBConstants.GET_EXISTING_ROLE_PERMISSIONS, read by PermissionTree.updatePermissionTreeFromDB. */
    static final String GET_EXISTING_ROLE_PERMISSIONS = "SELECT UM_ROLE_NAME, UM_RESOURCE_ID, UM_IS_ALLOWED, UM_ACTION, UM_DOMAIN_NAME FROM "
            + "UM_PERMISSION, UM_ROLE_PERMISSION, UM_DOMAIN WHERE UM_ROLE_PERMISSION.UM_PERMISSION_ID=UM_PERMISSION.UM_ID "
            + "AND UM_ROLE_PERMISSION.UM_DOMAIN_ID=UM_DOMAIN.UM_DOMAIN_ID AND UM_PERMISSION.UM_TENANT_ID=? AND UM_ROLE_PERMISSION.UM_TENANT_ID=?";
    /** hybrid/HybridJDBCConstants.GET_ROLE_LIST_OF_USER_SQL, read by HybridRoleManager.getHybridRoleListOfUser. */
    static final String GET_ROLE_LIST_OF_USER_SQL = "SELECT UM_ROLE_NAME FROM UM_HYBRID_USER_ROLE, "
            + "UM_HYBRID_ROLE WHERE UM_USER_NAME=? AND UM_HYBRID_USER_ROLE.UM_ROLE_ID=UM_HYBRID_ROLE.UM_ID AND "
            + "UM_HYBRID_USER_ROLE.UM_TENANT_ID=? AND UM_HYBRID_ROLE.UM_TENANT_ID=? AND UM_HYBRID_USER_ROLE.UM_DOMAIN_ID=(SELECT UM_DOMAIN_ID FROM UM_DOMAIN "
            + "WHERE UM_TENANT_ID=? AND UM_DOMAIN_NAME=?)";
    static final String GET = "http://www.wso2.org/projects/registry/actions/get";
    static final String PUT = "http://www.wso2.org/projects/registry/actions/add";

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void everyoneGrantsBelongToInternalEveryoneInEveryTenantUnderItsOwnName(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "map_everyone_" + engine.profile());
        Upgrade.of(db).update();
        try (Connection c = db.connect()) {
            for (int tenant : new int[] {-1234, 1, 2, 3}) {
                String everyone = tenant == 2 ? "allusers" : "everyone";
                Set<String> grants = grants(c, tenant);
                assertTrue(grants.contains("internal/" + everyone + " allow " + GET + " /"), tenant + ": " + grants);
                assertTrue(grants.contains("internal/" + everyone + " allow ui.execute /permission/admin/login"), tenant + ": " + grants);
                assertFalse(grants.stream().anyMatch(g -> g.startsWith(everyone + " ")),
                        "tenant " + tenant + ": a grant of the everyone role resolves to a primary-store role: " + grants);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void anonymousRoleGrantsBelongToTheSystemRole(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "map_anon_" + engine.profile());
        Upgrade.of(db).update();
        try (Connection c = db.connect()) {
            for (int tenant : new int[] {-1234, 1, 3}) {
                Set<String> grants = grants(c, tenant);
                assertTrue(grants.contains("system/wso2.anonymous.role allow " + GET + " /_system/config/policy.xml"), tenant + ": " + grants);
                assertTrue(grants.contains("system/wso2.anonymous.role deny " + PUT + " /"), tenant + ": " + grants);
                assertFalse(grants.stream().anyMatch(g -> g.startsWith("wso2.anonymous.role ") || g.startsWith("internal/wso2.anonymous.role ")),
                        tenant + ": " + grants);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void hybridSecondaryAndPrimaryRolesResolveToTheirStores(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "map_roles_" + engine.profile());
        Upgrade.of(db).update();
        try (Connection c = db.connect()) {
            Set<String> jdbc = grants(c, 1);
            assertTrue(jdbc.contains("admin allow ui.execute /permission"), jdbc.toString());
            assertTrue(jdbc.contains("developers deny ui.execute /permission/admin/manage"), jdbc.toString());
            assertTrue(jdbc.contains("internal/reviewers allow " + GET + " /_system/governance"), jdbc.toString());
            assertTrue(jdbc.contains("internal/subscribers allow " + PUT + " /_system/governance"), jdbc.toString());
            assertTrue(jdbc.contains("foo/partners allow " + GET + " /_system/governance"), jdbc.toString());
            // The read-only LDAP tenant: its admin role is a hybrid role, so Internal/admin.
            Set<String> ldap = grants(c, 3);
            assertTrue(ldap.contains("internal/admin allow ui.execute /permission"), ldap.toString());
            assertFalse(ldap.stream().anyMatch(g -> g.startsWith("admin ")), ldap.toString());

            assertEquals(List.of("Internal/reviewers", "Internal/subscribers", "Internal/everyone"), hybridRolesOf(c, "admin", 1, "PRIMARY", "everyone"));
            assertEquals(List.of("Internal/subscribers", "Internal/allusers"), hybridRolesOf(c, "user2", 2, "PRIMARY", "allusers"));
            assertEquals(List.of("Internal/reviewers", "Internal/everyone"), hybridRolesOf(c, "alice", 1, "FOO", "everyone"));
            assertEquals(List.of("Internal/admin", "Internal/reviewers", "Internal/subscribers", "Internal/everyone"),
                    hybridRolesOf(c, "admin", 3, "PRIMARY", "everyone"));
            assertEquals(List.of("Internal/wso2.anonymous.role"), hybridRolesOf(c, "wso2.anonymous.user", 3, "PRIMARY", "everyone"));
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE UM_USER_NAME LIKE '%/%'"));
        }
    }

    /** -Dcarbon.upgrade.primaryDomain and -Dcarbon.upgrade.everyoneRole are what the back-fill uses. */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void configuredPrimaryDomainAndSuperTenantEveryoneRoleAreUsed(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "map_names_" + engine.profile());
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // The super tenant's user-mgt.xml names its everyone role "staff": 4.0.x granted under that name.
            s.execute("INSERT INTO UM_ROLE_PERMISSION (UM_ID, UM_PERMISSION_ID, UM_ROLE_NAME, UM_IS_ALLOWED, UM_TENANT_ID) VALUES (100, 5, 'staff', 1, -1234)");
        }
        Upgrade.of(db).set(RealmNames.PRIMARY_DOMAIN, "corp").set(RealmNames.EVERYONE_ROLE, "staff").update();
        try (Connection c = db.connect()) {
            assertEquals(Fixtures.TENANTS + 1, Rows.count(c, "SELECT COUNT(*) FROM UM_DOMAIN WHERE UM_DOMAIN_NAME = 'CORP'"));
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_DOMAIN WHERE UM_DOMAIN_NAME = 'PRIMARY'"));
            Set<String> superTenant = grants(c, -1234);
            assertTrue(superTenant.contains("internal/staff allow " + GET + " /_system/governance"), superTenant.toString());
            assertTrue(superTenant.contains("corp/admin allow ui.execute /permission"), superTenant.toString());
            // With "staff" as the super tenant's everyone role, its rows named everyone are an ordinary primary role.
            assertTrue(superTenant.contains("corp/everyone allow " + GET + " /"), superTenant.toString());
            assertTrue(grants(c, 1).contains("internal/everyone allow " + GET + " /"), "tenants keep their own name");
            assertEquals(List.of("Internal/reviewers", "Internal/subscribers", "Internal/everyone"), hybridRolesOf(c, "admin", 1, "CORP", "everyone"));
        }
    }

    /**
     * With the secondary stores listed, a '/' in a primary-store name is not a domain: "john/doe" (a UM_USER of the
     * tenant) and "ops/team" (a UM_ROLE) stay whole in the primary store; a trailing '/' never leaves an empty name.
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void slashesInPrimaryNamesAreNotDomainsWhenTheStoresAreListed(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "map_slash_" + engine.profile());
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            int reviewers = SeededIds.hybridRole(c, 1, "reviewers");
            int governanceGet = SeededIds.permission(c, 1, "/_system/governance", GET);
            s.execute("INSERT INTO UM_USER (UM_ID, UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME, UM_TENANT_ID)"
                    + " VALUES (500, 'john/doe', 'x', 's', " + (engine == Engine.MYSQL ? "0" : "FALSE") + ", CURRENT_TIMESTAMP, 1)");
            s.execute("INSERT INTO UM_ROLE (UM_ID, UM_ROLE_NAME, UM_TENANT_ID) VALUES (500, 'ops/team', 1)");
            s.execute("INSERT INTO UM_HYBRID_USER_ROLE (UM_ID, UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID) VALUES (500, 'john/doe', " + reviewers + ", 1)");
            s.execute("INSERT INTO UM_HYBRID_USER_ROLE (UM_ID, UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID) VALUES (501, 'FOO/', " + reviewers + ", 1)");
            s.execute("INSERT INTO UM_ROLE_PERMISSION (UM_ID, UM_PERMISSION_ID, UM_ROLE_NAME, UM_IS_ALLOWED, UM_TENANT_ID) VALUES (500, " + governanceGet + ", 'ops/team', 1, 1)");
        }
        Upgrade.of(db).set(RealmNames.SECONDARY_DOMAINS, "foo").update();
        try (Connection c = db.connect()) {
            assertEquals(List.of("Internal/reviewers", "Internal/everyone"), hybridRolesOf(c, "john/doe", 1, "PRIMARY", "everyone"));
            assertEquals(List.of("Internal/reviewers", "Internal/everyone"), hybridRolesOf(c, "FOO/", 1, "PRIMARY", "everyone"));
            assertEquals(List.of("Internal/reviewers", "Internal/everyone"), hybridRolesOf(c, "alice", 1, "FOO", "everyone"));
            assertTrue(grants(c, 1).contains("ops/team allow " + GET + " /_system/governance"), grants(c, 1).toString());
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE UM_USER_NAME = '' OR UM_USER_NAME IS NULL"));
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_DOMAIN WHERE UM_DOMAIN_NAME IN ('JOHN', 'OPS')"));
        }
    }

    /**
     * The role names 4.2.0's permission tree holds for a tenant, each grant as "role allow|deny action resource":
     * PermissionTree.updatePermissionTreeFromDB names a role UserCoreUtil.addDomainToName(name, domain).toLowerCase().
     */
    static Set<String> grants(Connection c, int tenant) throws Exception {
        Set<String> out = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement(GET_EXISTING_ROLE_PERMISSIONS)) {
            ps.setInt(1, tenant);
            ps.setInt(2, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String role = addDomainToName(rs.getString(1), rs.getString(5)).toLowerCase();
                    out.add(role + (rs.getShort(3) == 1 ? " allow " : " deny ") + rs.getString(4) + " " + rs.getString(2));
                }
            }
        }
        return out;
    }

    /** util/UserCoreUtil.addDomainToName: a name without '/' outside PRIMARY gets "DOMAIN/" in front. */
    static String addDomainToName(String name, String domain) {
        if (name.indexOf('/') < 0 && !"PRIMARY".equalsIgnoreCase(domain) && domain != null) {
            return domain.toUpperCase() + "/" + name;
        }
        return name;
    }

    /**
     * HybridRoleManager.getHybridRoleListOfUser: the user's hybrid roles as "Internal/name", then the everyone
     * role (realm configuration "Internal/" + EveryOneRoleName, RealmConfigXMLProcessor) for all but the anonymous user.
     */
    public static List<String> hybridRolesOf(Connection c, String user, int tenant, String domain, String everyone) throws Exception {
        List<String> roles = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(GET_ROLE_LIST_OF_USER_SQL)) {
            ps.setString(1, user);
            ps.setInt(2, tenant);
            ps.setInt(3, tenant);
            ps.setInt(4, tenant);
            ps.setString(5, domain);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) roles.add("Internal/" + rs.getString(1));
            }
        }
        roles.sort(null);
        if (!"wso2.anonymous.user".equals(user)) roles.add("Internal/" + everyone);
        return roles;
    }
}
