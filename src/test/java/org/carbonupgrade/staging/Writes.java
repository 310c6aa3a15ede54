package org.carbonupgrade.staging;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;

import org.carbonupgrade.rehearsal.Carbon400Seeder;
import org.carbonupgrade.support.SeededIds;

/**
 * The writes the catch-up tests make: production's, as Carbon 4.0.x code writes its rows (the shapes and ids of
 * rehearsal/Carbon400Seeder and Identity400Seeder, which cite the 4.0.x code: ids from one generator per table across
 * tenants, so new rows take ids past every tenant's and references to a tenant's rows are looked up by name; names with
 * a secondary store's "FOO/" prefix, the everyone role by name, no UM_DOMAIN_ID), and staging's own, as a 4.2.0
 * server writes them (a tester's user; the system user, system role and hybrid everyone role 4.2.0 creates on start,
 * docs/access-control.md "AbstractUserStoreManager.doInitialUserAdding").
 */
final class Writes {
    static final Timestamp WHEN = Timestamp.valueOf("2026-11-20 10:00:00");
    /** A tenant a live 4.0.x server creates after the copy; id 1002: its everyone role is renamed (Carbon400Seeder.everyoneRole). */
    static final int NEW_TENANT = 1002;
    /** A value review mode must print escaped: a quote and a backslash. */
    static final String AWKWARD = "O'Brien \\ co";

    private Writes() {
    }

    /** What production does after the copy: inserts, updates, deletes in every kind of table, and a new tenant. */
    static void production(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        int everyone = SeededIds.role(c, 1, "everyone"), reviewers = SeededIds.hybridRole(c, 1, "reviewers");
        int subscribers = SeededIds.hybridRole(c, 1, "subscribers");
        int governanceGet = SeededIds.permission(c, 1, "/_system/governance", Carbon400Seeder.GET);
        int governancePut = SeededIds.permission(c, 1, "/_system/governance", Carbon400Seeder.PUT);
        int manage = SeededIds.permission(c, 1, "/permission/admin/manage", Carbon400Seeder.UI);
        // A new user of tenant 1 (JDBCUserStoreManager.doAddUser: UM_USER, its attributes, the everyone role).
        update(c, "INSERT INTO UM_USER (UM_ID, UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME, UM_TENANT_ID)"
                + " VALUES (50, 'carol', 'c2hhMjU2OmNhcm9s', 'salt50', ?, ?, 1)", false, WHEN);
        update(c, "INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID) VALUES (100, 'givenName', ?, 'default', 50, 1)", AWKWARD);
        update(c, "INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID) VALUES (101, 'mail', 'carol@example.com', 'default', 50, 1)");
        update(c, "INSERT INTO UM_USER_ROLE (UM_ID, UM_ROLE_ID, UM_USER_ID, UM_TENANT_ID) VALUES (100, ?, 50, 1)", everyone);
        // Updates: a password change, a changed mail address.
        update(c, "UPDATE UM_USER SET UM_USER_PASSWORD = 'bmV3LXBhc3N3b3Jk', UM_CHANGED_TIME = ? WHERE UM_ID = ? AND UM_TENANT_ID = 1",
                WHEN, SeededIds.user(c, 1, "user2"));
        update(c, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'user4@new.example.com' WHERE UM_ID = ? AND UM_TENANT_ID = 1",
                SeededIds.attribute(c, 1, "user4", "mail"));
        // A deleted user of the super tenant, with what 4.0.x deletes with it.
        deleteUser(c, -1234, "user3");
        // Hybrid memberships: a new one, one of the secondary store FOO (stored with its prefix), one removed.
        update(c, "INSERT INTO UM_HYBRID_USER_ROLE (UM_ID, UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID) VALUES (100, 'carol', ?, 1)", reviewers);
        update(c, "INSERT INTO UM_HYBRID_USER_ROLE (UM_ID, UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID) VALUES (101, 'FOO/bob', ?, 1)", reviewers);
        update(c, "DELETE FROM UM_HYBRID_USER_ROLE WHERE UM_USER_NAME = 'user4' AND UM_ROLE_ID = ? AND UM_TENANT_ID = 1", subscribers);
        // Grants: to the everyone role, to the anonymous role, a FOO role's; one revoked, one changed.
        update(c, "INSERT INTO UM_ROLE_PERMISSION (UM_ID, UM_PERMISSION_ID, UM_ROLE_NAME, UM_IS_ALLOWED, UM_TENANT_ID) VALUES (100, ?, 'everyone', 1, 1)", governanceGet);
        update(c, "INSERT INTO UM_ROLE_PERMISSION (UM_ID, UM_PERMISSION_ID, UM_ROLE_NAME, UM_IS_ALLOWED, UM_TENANT_ID) VALUES (101, 6, ?, 1, -1234)",
                Carbon400Seeder.ANONYMOUS_ROLE);
        update(c, "INSERT INTO UM_ROLE_PERMISSION (UM_ID, UM_PERMISSION_ID, UM_ROLE_NAME, UM_IS_ALLOWED, UM_TENANT_ID) VALUES (102, ?, 'FOO/partners', 1, 1)", governancePut);
        update(c, "DELETE FROM UM_ROLE_PERMISSION WHERE UM_ROLE_NAME = 'developers' AND UM_PERMISSION_ID = ? AND UM_TENANT_ID = 1", manage);
        update(c, "UPDATE UM_ROLE_PERMISSION SET UM_IS_ALLOWED = 0 WHERE UM_ROLE_NAME = 'subscribers' AND UM_TENANT_ID = -1234");
        // Registry: a resource updated in place, a new one with content (a BLOB).
        int config = SeededIds.path(c, 1, "/_system/config");
        update(c, "UPDATE REG_RESOURCE SET REG_DESCRIPTION = 'entitlement policy, revised', REG_LAST_UPDATED_TIME = ? WHERE REG_PATH_ID = ? AND REG_NAME = 'policy.xml' AND REG_TENANT_ID = 1",
                WHEN, config);
        update(c, "INSERT INTO REG_CONTENT (REG_CONTENT_ID, REG_CONTENT_DATA, REG_TENANT_ID) VALUES (100, ?, 1)",
                "<policy>new</policy>".getBytes(StandardCharsets.UTF_8));
        update(c, "INSERT INTO REG_RESOURCE (REG_PATH_ID, REG_NAME, REG_VERSION, REG_MEDIA_TYPE, REG_CREATOR, REG_CREATED_TIME, REG_LAST_UPDATOR,"
                + " REG_LAST_UPDATED_TIME, REG_DESCRIPTION, REG_CONTENT_ID, REG_TENANT_ID, REG_UUID) VALUES (?, 'new-policy.xml', 100, 'application/xml',"
                + " 'admin', ?, 'admin', ?, NULL, 100, 1, '00000001-0000-4000-8000-000000000100')", config, WHEN, WHEN);
        // OAuth 2.0 tokens: one issued, one revoked, one removed.
        String[] tokens = tokensOfTenant(c, 1);
        update(c, "INSERT INTO IDN_OAUTH2_ACCESS_TOKEN (ACCESS_TOKEN, REFRESH_TOKEN, CONSUMER_KEY, AUTHZ_USER, USER_TYPE, TIME_CREATED, VALIDITY_PERIOD,"
                + " TOKEN_SCOPE, TOKEN_STATE, TOKEN_STATE_ID) VALUES ('new-access-token', 'new-refresh-token', ?, 'carol', 'APPLICATION_USER', ?, 3600000,"
                + " 'default', 'ACTIVE', 'NONE')", tokens[2], WHEN);
        update(c, "UPDATE IDN_OAUTH2_ACCESS_TOKEN SET TOKEN_STATE = 'REVOKED', TOKEN_STATE_ID = 'revoked-1' WHERE ACCESS_TOKEN = ?", tokens[0]);
        update(c, "DELETE FROM IDN_OAUTH2_ACCESS_TOKEN WHERE ACCESS_TOKEN = ?", tokens[1]);
        c.commit();
        c.setAutoCommit(auto);
        // A tenant created after the copy, with its users, roles, grants (its everyone role renamed) and FOO members.
        new Carbon400Seeder(c, 0, 2).seedTenantCreatedLater(NEW_TENANT);
    }

    /**
     * A user deleted as 4.0.x deletes one from its read-write JDBC store (amum0611/kernel @ 2f646275, the same at
     * ef6e76ce, core/org.wso2.carbon.user.core/src/main/java/org/wso2/carbon/user/core/jdbc/JDBCUserStoreManager.java,
     * doDeleteUser, reached from common/AbstractUserStoreManager.deleteUser): JDBCRealmConstants'
     * ON_DELETE_USER_REMOVE_USER_ROLE_SQL, ON_DELETE_USER_REMOVE_ATTRIBUTE_SQL and DELETE_USER_SQL, in that order, then
     * authorization/JDBCAuthorizationManager.clearUserAuthorization's ON_DELETE_USER_DELETE_PERMISSION_SQL (DBConstants).
     * UM_HYBRID_USER_ROLE is left as it is: only ldap/ReadWriteLDAPUserStoreManager calls HybridRoleManager.deleteUser,
     * and no listener in the kernel deletes hybrid memberships; the user's rows there stay, by name, and a user of the
     * same name added later holds those roles again (HybridJDBCConstants.GET_ROLE_LIST_OF_USER_SQL matches the name).
     * 4.0.x commits the permission delete on its own connection before the user store's; the caller commits here.
     */
    static void deleteUser(Connection c, int tenant, String user) throws SQLException {
        deleteUserRows(c, tenant, user);
        deleteUserItself(c, tenant, user);
    }

    /** {@link #deleteUser}'s first two statements: the user's role and attribute rows. */
    static void deleteUserRows(Connection c, int tenant, String user) throws SQLException {
        update(c, "DELETE FROM UM_USER_ROLE WHERE UM_USER_ID=(SELECT UM_ID FROM UM_USER WHERE UM_USER_NAME=? AND UM_TENANT_ID=?) AND UM_TENANT_ID=?",
                user, tenant, tenant);
        update(c, "DELETE FROM UM_USER_ATTRIBUTE WHERE UM_USER_ID=(SELECT UM_ID FROM UM_USER WHERE UM_USER_NAME=? AND UM_TENANT_ID=?) AND UM_TENANT_ID=?",
                user, tenant, tenant);
    }

    /** {@link #deleteUser}'s last two: the user's row, then the user's permissions. */
    static void deleteUserItself(Connection c, int tenant, String user) throws SQLException {
        update(c, "DELETE FROM UM_USER WHERE UM_USER_NAME = ? AND UM_TENANT_ID=?", user, tenant);
        update(c, "DELETE FROM UM_USER_PERMISSION WHERE UM_USER_NAME=? AND UM_TENANT_ID=?", user, tenant);
    }

    /**
     * Users leaver0, leaver1, ... of tenant 1, each added as 4.0.x user-core adds one (amum0611/kernel @ 2f646275,
     * core/org.wso2.carbon.user.core/src/main/java/org/wso2/carbon/user/core/jdbc/JDBCUserStoreManager.java, doAddUser and
     * persistUser, one transaction): UM_USER, the everyone role in UM_USER_ROLE, the claims in UM_USER_ATTRIBUTE (with ids,
     * as {@link #production}'s carol: users from 700, attributes from 800, roles from 900). Enough of them for a pass to
     * index their deletes' foreign-key checks (DeleteIndexes); {@link #deleteUser} deletes them.
     */
    static void addLeavers(Connection c, int count) throws SQLException {
        int everyone = SeededIds.role(c, 1, "everyone");
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        for (int n = 0; n < count; n++) {
            update(c, "INSERT INTO UM_USER (UM_ID, UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME,"
                    + " UM_TENANT_ID) VALUES (?, ?, 'c2VjcmV0', 'salt', ?, ?, 1)", 700 + n, "leaver" + n, false, WHEN);
            update(c, "INSERT INTO UM_USER_ROLE (UM_ID, UM_ROLE_ID, UM_USER_ID, UM_TENANT_ID) VALUES (?, ?, ?, 1)", 900 + n, everyone, 700 + n);
            update(c, "INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID)"
                    + " VALUES (?, 'mail', ?, 'default', ?, 1)", 800 + n, "leaver" + n + "@example.com", 700 + n);
            c.commit();
        }
        c.setAutoCommit(auto);
    }

    /** Staging's own rows: a tester's user, and the rows a 4.2.0 server writes for itself on start. */
    static void stagingOwn(Connection c) throws SQLException {
        update(c, "INSERT INTO UM_USER (UM_ID, UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME, UM_TENANT_ID)"
                + " VALUES (900, 'tester', 'dGVzdGVy', 'salt900', ?, ?, 2)", false, WHEN);
        update(c, "INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID) VALUES (900, 'mail', 'tester@example.com', 'default', 900, 2)");
        update(c, "INSERT INTO UM_SYSTEM_USER (UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME, UM_TENANT_ID)"
                + " VALUES ('wso2.anonymous.user', 'cmFuZG9t', 'salt', ?, ?, 2)", false, WHEN);
        update(c, "INSERT INTO UM_SYSTEM_ROLE (UM_ROLE_NAME, UM_TENANT_ID) VALUES ('wso2.anonymous.role', 2)");
        update(c, "INSERT INTO UM_HYBRID_ROLE (UM_ID, UM_ROLE_NAME, UM_TENANT_ID) VALUES (900, 'everyone', 2)");
    }

    /** Three access tokens of a tenant: to revoke, to delete, and the consumer key of its OAuth 2.0 application. */
    static String[] tokensOfTenant(Connection c, int tenant) throws SQLException {
        String app = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT CONSUMER_KEY FROM IDN_OAUTH_CONSUMER_APPS WHERE TENANT_ID = ? AND OAUTH_VERSION = 'OAuth-2.0'")) {
            ps.setInt(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                app = rs.getString(1);
            }
        }
        String[] out = new String[3];
        try (PreparedStatement ps = c.prepareStatement("SELECT ACCESS_TOKEN FROM IDN_OAUTH2_ACCESS_TOKEN WHERE CONSUMER_KEY = ? ORDER BY ACCESS_TOKEN")) {
            ps.setString(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                out[0] = rs.getString(1);
                rs.next();
                out[1] = rs.getString(1);
            }
        }
        out[2] = app;
        return out;
    }

    static int update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) ps.setObject(i + 1, values[i]);
            return ps.executeUpdate();
        }
    }

    static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
