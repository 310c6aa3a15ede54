package org.carbonupgrade.rehearsal;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;


/**
 * Fills a Carbon 4.0.0 schema with the data a running Carbon 4.0.0 server leaves behind: the super tenant
 * (-1234) and tenants, users, roles and hybrid roles with their members, permissions, claims, user profiles
 * and registry resources. Ids are explicit so every run produces the same database.
 */
public final class Carbon400Seeder {
    public static final int SUPER_TENANT = -1234;
    private static final Timestamp CREATED = Timestamp.valueOf("2013-06-14 09:30:00");

    private final Connection c;
    private final int tenants;
    private final int usersPerTenant;
    /** Every n-th user is also in the reviewers hybrid role (2: half of them; 1: all, as in the benchmark). */
    private int reviewerEvery = 2;

    /** @param tenants tenants besides the super tenant; @param usersPerTenant ordinary users besides admin */
    public Carbon400Seeder(Connection connection, int tenants, int usersPerTenant) {
        this.c = connection;
        this.tenants = tenants;
        this.usersPerTenant = usersPerTenant;
    }

    public Carbon400Seeder reviewerEvery(int n) {
        this.reviewerEvery = n;
        return this;
    }

    public void seed() throws SQLException {
        ExplicitIds.seed(c, () -> {
            seedTenants();
            List<Integer> all = new ArrayList<>();
            all.add(SUPER_TENANT);
            for (int t = 1; t <= tenants; t++) all.add(t);
            for (int tenant : all) {
                seedUserStore(tenant);
                seedPermissions(tenant);
                seedClaims(tenant);
                seedRegistry(tenant);
            }
        }, this::advanceIdGenerators);
    }

    private void seedTenants() throws SQLException {
        try (Batch b = new Batch(c, "INSERT INTO UM_TENANT (UM_ID, UM_DOMAIN_NAME, UM_EMAIL, UM_ACTIVE, UM_CREATED_DATE, UM_USER_CONFIG) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int t = 1; t <= tenants; t++) {
                String config = "<UserManager><Realm><Configuration><AdminUser><UserName>admin</UserName></AdminUser>"
                        + "<AdminRole>admin</AdminRole><EveryOneRoleName>everyone</EveryOneRoleName></Configuration></Realm></UserManager>";
                b.add(t, "tenant" + t + ".example.com", "admin@tenant" + t + ".example.com", t % 7 != 0, CREATED,
                        config.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** Users 1..n+1 (1 is admin), roles admin(1)/developers(2), hybrid roles everyone(1)/reviewers(2). */
    private void seedUserStore(int tenant) throws SQLException {
        try (Batch users = new Batch(c, "INSERT INTO UM_USER (UM_ID, UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME, UM_TENANT_ID) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int u = 1; u <= usersPerTenant + 1; u++) {
                users.add(u, userName(u), hash(userName(u) + tenant), "salt" + u, false, CREATED, tenant);
            }
        }
        try (Batch attrs = new Batch(c, "INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int u = 1; u <= usersPerTenant + 1; u++) {
                attrs.add(2 * u - 1, "givenName", "Given" + u, "default", u, tenant);
                attrs.add(2 * u, "mail", userName(u) + "@example.com", "default", u, tenant);
            }
        }
        try (Batch roles = new Batch(c, "INSERT INTO UM_ROLE (UM_ID, UM_ROLE_NAME, UM_TENANT_ID) VALUES (?, ?, ?)")) {
            roles.add(1, "admin", tenant);
            roles.add(2, "developers", tenant);
        }
        try (Batch ur = new Batch(c, "INSERT INTO UM_USER_ROLE (UM_ID, UM_ROLE_ID, UM_USER_ID, UM_TENANT_ID) VALUES (?, ?, ?, ?)")) {
            ur.add(1, 1, 1, tenant);
            for (int u = 2; u <= usersPerTenant + 1; u++) ur.add(u, 2, u, tenant);
        }
        try (Batch hr = new Batch(c, "INSERT INTO UM_HYBRID_ROLE (UM_ID, UM_ROLE_NAME, UM_TENANT_ID) VALUES (?, ?, ?)")) {
            hr.add(1, "everyone", tenant);
            hr.add(2, "reviewers", tenant);
        }
        try (Batch hur = new Batch(c, "INSERT INTO UM_HYBRID_USER_ROLE (UM_ID, UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID) VALUES (?, ?, ?, ?)")) {
            int id = 0;
            for (int u = 1; u <= usersPerTenant + 1; u++) {
                hur.add(++id, userName(u), 1, tenant);
                if (u % reviewerEvery == 1 % reviewerEvery) hur.add(++id, userName(u), 2, tenant);
            }
            // A user of a secondary user store, stored with its domain prefix as 4.0.x did.
            hur.add(++id, "SECONDARY/partner", 2, tenant);
        }
        try (Batch rm = new Batch(c, "INSERT INTO UM_HYBRID_REMEMBER_ME (UM_ID, UM_USER_NAME, UM_COOKIE_VALUE, UM_CREATED_TIME, UM_TENANT_ID) VALUES (?, ?, ?, ?, ?)")) {
            rm.add(1, "admin", "cookie-" + tenant, CREATED, tenant);
        }
    }

    private void seedPermissions(int tenant) throws SQLException {
        String[][] permissions = {
            {"/permission", "ui.execute"}, {"/permission/admin", "ui.execute"}, {"/permission/admin/login", "ui.execute"},
            {"/permission/admin/manage", "ui.execute"}, {"/_system/governance", "http://www.wso2.org/projects/registry/actions/get"},
            {"/_system/governance", "http://www.wso2.org/projects/registry/actions/add"},
        };
        try (Batch p = new Batch(c, "INSERT INTO UM_PERMISSION (UM_ID, UM_RESOURCE_ID, UM_ACTION, UM_TENANT_ID) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < permissions.length; i++) p.add(i + 1, permissions[i][0], permissions[i][1], tenant);
        }
        try (Batch rp = new Batch(c, "INSERT INTO UM_ROLE_PERMISSION (UM_ID, UM_PERMISSION_ID, UM_ROLE_NAME, UM_IS_ALLOWED, UM_TENANT_ID) VALUES (?, ?, ?, ?, ?)")) {
            int id = 0;
            for (int i = 1; i <= permissions.length; i++) rp.add(++id, i, "admin", 1, tenant);
            rp.add(++id, 3, "everyone", 1, tenant);
            rp.add(++id, 5, "developers", 1, tenant);
            rp.add(++id, 4, "developers", 0, tenant);
            rp.add(++id, 5, "reviewers", 1, tenant);
        }
        try (Batch up = new Batch(c, "INSERT INTO UM_USER_PERMISSION (UM_ID, UM_PERMISSION_ID, UM_USER_NAME, UM_IS_ALLOWED, UM_TENANT_ID) VALUES (?, ?, ?, ?, ?)")) {
            up.add(1, 6, userName(2), 1, tenant);
        }
    }

    private void seedClaims(int tenant) throws SQLException {
        try (Batch d = new Batch(c, "INSERT INTO UM_DIALECT (UM_ID, UM_DIALECT_URI, UM_TENANT_ID) VALUES (?, ?, ?)")) {
            d.add(1, "http://wso2.org/claims", tenant);
        }
        String[][] claims = {{"givenname", "givenName"}, {"lastname", "sn"}, {"emailaddress", "mail"}};
        try (Batch cl = new Batch(c, "INSERT INTO UM_CLAIM (UM_ID, UM_DIALECT_ID, UM_CLAIM_URI, UM_DISPLAY_TAG, UM_DESCRIPTION, UM_MAPPED_ATTRIBUTE, UM_REG_EX, UM_SUPPORTED, UM_REQUIRED, UM_DISPLAY_ORDER, UM_TENANT_ID) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < claims.length; i++) {
                cl.add(i + 1, 1, "http://wso2.org/claims/" + claims[i][0], claims[i][0], "The " + claims[i][0], claims[i][1],
                        null, 1, i == 2 ? 1 : 0, i + 1, tenant);
            }
        }
        try (Batch pc = new Batch(c, "INSERT INTO UM_PROFILE_CONFIG (UM_ID, UM_DIALECT_ID, UM_PROFILE_NAME, UM_TENANT_ID) VALUES (?, ?, ?, ?)")) {
            pc.add(1, 1, "default", tenant);
        }
        try (Batch cb = new Batch(c, "INSERT INTO UM_CLAIM_BEHAVIOR (UM_ID, UM_PROFILE_ID, UM_CLAIM_ID, UM_BEHAVIOUR, UM_TENANT_ID) VALUES (?, ?, ?, ?, ?)")) {
            for (int i = 1; i <= claims.length; i++) cb.add(i, 1, i, 0, tenant);
        }
    }

    private void seedRegistry(int tenant) throws SQLException {
        String[] paths = {"/", "/_system", "/_system/config", "/_system/governance", "/_system/local"};
        try (Batch p = new Batch(c, "INSERT INTO REG_PATH (REG_PATH_ID, REG_PATH_VALUE, REG_PATH_PARENT_ID, REG_TENANT_ID) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < paths.length; i++) p.add(i + 1, paths[i], i == 0 ? null : (i == 1 ? 1 : 2), tenant);
        }
        try (Batch content = new Batch(c, "INSERT INTO REG_CONTENT (REG_CONTENT_ID, REG_CONTENT_DATA, REG_TENANT_ID) VALUES (?, ?, ?)")) {
            content.add(1, ("<policy tenant=\"" + tenant + "\">allow</policy>").getBytes(StandardCharsets.UTF_8), tenant);
        }
        try (Batch r = new Batch(c, "INSERT INTO REG_RESOURCE (REG_PATH_ID, REG_NAME, REG_VERSION, REG_MEDIA_TYPE, REG_CREATOR, REG_CREATED_TIME, REG_LAST_UPDATOR, REG_LAST_UPDATED_TIME, REG_DESCRIPTION, REG_CONTENT_ID, REG_TENANT_ID, REG_UUID) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 1; i <= paths.length; i++) {
                r.add(i, null, i, null, "wso2.system.user", CREATED, "wso2.system.user", CREATED, null, null, tenant, uuid(tenant, i));
            }
            r.add(3, "policy.xml", 6, "application/xml", "admin", CREATED, "admin", CREATED, "entitlement policy", 1, tenant, uuid(tenant, 6));
        }
        try (Batch prop = new Batch(c, "INSERT INTO REG_PROPERTY (REG_ID, REG_NAME, REG_VALUE, REG_TENANT_ID) VALUES (?, ?, ?, ?)")) {
            prop.add(1, "registry.link", "true", tenant);
            prop.add(2, "policy.version", "1", tenant);
        }
        try (Batch rp = new Batch(c, "INSERT INTO REG_RESOURCE_PROPERTY (REG_PROPERTY_ID, REG_VERSION, REG_PATH_ID, REG_RESOURCE_NAME, REG_TENANT_ID) VALUES (?, ?, ?, ?, ?)")) {
            rp.add(1, 4, null, null, tenant);
            rp.add(2, null, 3, "policy.xml", tenant);
        }
        try (Batch log = new Batch(c, "INSERT INTO REG_LOG (REG_LOG_ID, REG_PATH, REG_USER_ID, REG_LOGGED_TIME, REG_ACTION, REG_ACTION_DATA, REG_TENANT_ID) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            log.add(1, "/_system/config/policy.xml", "admin", CREATED, 1, null, tenant);
        }
    }

    /** Moves each id generator past the explicit ids, so the upgraded server's next insert does not collide. */
    private void advanceIdGenerators() throws SQLException {
        String[][] generated = {
            {"UM_TENANT", "UM_ID", "UM_TENANT_PK_SEQ"}, {"UM_USER", "UM_ID", "UM_USER_PK_SEQ"}, {"UM_ROLE", "UM_ID", "UM_ROLE_PK_SEQ"},
            {"UM_USER_ROLE", "UM_ID", "UM_USER_ROLE_PK_SEQ"}, {"UM_HYBRID_ROLE", "UM_ID", "UM_HYBRID_ROLE_PK_SEQ"},
            {"UM_HYBRID_USER_ROLE", "UM_ID", "UM_HYBRID_USER_ROLE_PK_SEQ"}, {"UM_PERMISSION", "UM_ID", "UM_PERMISSION_PK_SEQ"},
            {"UM_ROLE_PERMISSION", "UM_ID", "UM_ROLE_PERMISSION_PK_SEQ"}, {"UM_USER_PERMISSION", "UM_ID", "UM_USER_PERMISSION_PK_SEQ"},
            {"UM_DIALECT", "UM_ID", "UM_DIALECT_PK_SEQ"}, {"UM_CLAIM", "UM_ID", "UM_CLAIM_PK_SEQ"},
            {"UM_PROFILE_CONFIG", "UM_ID", "UM_PROFILE_CONFIG_PK_SEQ"}, {"UM_CLAIM_BEHAVIOR", "UM_ID", "UM_CLAIM_BEHAVIOR_PK_SEQ"},
            {"UM_USER_ATTRIBUTE", "UM_ID", "UM_USER_ATTRIBUTE_PK_SEQ"}, {"UM_HYBRID_REMEMBER_ME", "UM_ID", "UM_HYBRID_REMEMBER_ME_PK_SEQ"},
            {"REG_PATH", "REG_PATH_ID", "REG_PATH_PK_SEQ"}, {"REG_CONTENT", "REG_CONTENT_ID", "REG_CONTENT_PK_SEQ"},
            {"REG_RESOURCE", "REG_VERSION", "REG_RESOURCE_PK_SEQ"}, {"REG_PROPERTY", "REG_ID", "REG_PROPERTY_PK_SEQ"},
            {"REG_LOG", "REG_LOG_ID", "REG_LOG_PK_SEQ"},
        };
        try (Statement s = c.createStatement()) {
            for (String[] g : generated) {
                long next = 1;
                try (var rs = s.executeQuery("SELECT COALESCE(MAX(" + g[1] + "), 0) + 1 FROM " + g[0])) {
                    if (rs.next()) next = rs.getLong(1);
                }
                ExplicitIds.advance(c, g[0], g[1], g[2], next);
            }
        }
    }

    static String userName(int u) {
        return u == 1 ? "admin" : "user" + u;
    }

    private static String hash(String seed) {
        return Base64.getEncoder().encodeToString(("sha256:" + seed).getBytes(StandardCharsets.UTF_8));
    }

    private static String uuid(int tenant, int n) {
        return String.format("%08x-0000-4000-8000-%012x", tenant & 0xffffffffL, n);
    }
}
