package org.carbonupgrade.rehearsal;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;


/**
 * Fills a Carbon 4.0.0 schema with the data a running Carbon 4.0.0 server leaves behind: the super tenant
 * (-1234) and tenants, users, roles and hybrid roles with their members, permissions, claims, user profiles
 * and registry resources. Ids are explicit so every run produces the same database.
 *
 * <p>Ids are numbered as 4.0.x numbers them: one generator per table across all tenants, in insert order. The
 * 4.0.x scripts (amum0611/kernel @ ef6e76ce, distribution/kernel/carbon-home/dbscripts/) give every id column its
 * table's own generator: postgresql.sql {@code CREATE SEQUENCE UM_USER_PK_SEQ} and {@code UM_ID INTEGER DEFAULT
 * NEXTVAL('UM_USER_PK_SEQ')} (lines 260-262; likewise REG_PATH_PK_SEQ lines 26-28, UM_PERMISSION_PK_SEQ 286-288,
 * UM_HYBRID_USER_ROLE_PK_SEQ 425-427), mysql.sql {@code UM_ID INTEGER NOT NULL AUTO_INCREMENT} (lines 240, 260, 369),
 * h2.sql {@code AUTO_INCREMENT} (lines 21, 215, 243, 335); and user-core inserts without an id
 * (jdbc/JDBCRealmConstants.ADD_USER_SQL line 82, hybrid/HybridJDBCConstants.ADD_USER_TO_ROLE_SQL line 31,
 * authorization/DBConstants.ADD_PERMISSION_SQL line 31; registry.core jdbc/dao/JDBCPathCache line 99 for REG_PATH).
 * So a tenant's rows carry ids after those of every tenant created before it, never 1, 2, ... again. The super
 * tenant is seeded first, so its ids are 1, 2, ...; each reference (a user's roles, a grant's permission, a
 * resource's path) points at the id its row got.
 *
 * <p>The user-store rows follow what 4.0.x user-core writes (amum0611/kernel @ ef6e76ce,
 * core/org.wso2.carbon.user.core/src/main/java/org/wso2/carbon/user/core/):
 * <ul>
 * <li>Read-write JDBC store ({@code jdbc/JDBCUserStoreManager.addInitialData}): the admin role, the everyone role
 *     (named by the tenant's EveryOneRoleName) and {@code wso2.anonymous.role} are UM_ROLE rows
 *     ({@code doAddRole}: ADD_ROLE when the store is not read-only); {@code wso2.anonymous.user} is a UM_USER row
 *     and the only member of {@code wso2.anonymous.role}; {@code persistUser} puts every other user into the everyone
 *     role through UM_USER_ROLE (it appends getEveryOneRoleName() to the role list, except for the anonymous user).</li>
 * <li>Hybrid roles ({@code hybrid/HybridRoleManager.addHybridRole}): UM_HYBRID_ROLE and UM_HYBRID_USER_ROLE, but
 *     never the everyone role ("this role exist automatically": addHybridRole returns, isExistingRole answers true,
 *     getHybridRoleListOfUser appends it for everyone but the anonymous user).</li>
 * <li>Read-only store ({@code ldap/ReadOnlyLDAPUserStoreManager.checkInitialData}, {@code doAddRole} always hybrid):
 *     no UM_USER/UM_ROLE/UM_USER_ROLE rows at all; the admin role and {@code wso2.anonymous.role} become hybrid roles
 *     with admin and {@code wso2.anonymous.user} as members; users appear only by their plain names in hybrid
 *     memberships.</li>
 * <li>Secondary user stores ({@code common/AbstractUserStoreManager.addRole} and the other operations: a name
 *     {@code FOO/alice} is routed to the store registered for domain FOO): 4.0.x keeps the prefixed name as it is
 *     in UM_HYBRID_USER_ROLE.UM_USER_NAME and UM_ROLE_PERMISSION.UM_ROLE_NAME.</li>
 * <li>Permissions ({@code authorization/JDBCAuthorizationManager.authorizeRole}, DBConstants.ADD_ROLE_PERMISSION_SQL):
 *     one UM_ROLE_PERMISSION row per (permission, role name, tenant), the role by its bare 4.0.x name, whatever
 *     store holds it. The registry grants the admin role GET/PUT/DELETE/authorize and the everyone role GET on
 *     the root collection in every tenant (registry.core {@code utils/AuthorizationUtils.setRootAuthorizations},
 *     called from {@code session/UserRegistry.addRootCollection}); user-mgt.xml's AdminRoleManagementPermissions
 *     ({@code /permission}) gives the admin role ui.execute on /permission ({@code JDBCAuthorizationManager.addInitialData});
 *     the rest are grants an administrator makes (login for everyone, public reads for the anonymous role).</li>
 * </ul>
 * Tenant kinds: the everyone role of tenant t (t % 1000 == 2) is renamed {@code allusers} in its UM_USER_CONFIG;
 * tenant t (t % 1000 == 3) has a read-only LDAP primary store. All other tenants and the super tenant use the
 * read-write JDBC store with the default name {@code everyone}.
 */
public final class Carbon400Seeder {
    public static final int SUPER_TENANT = -1234;
    /** The everyone role's name in the tenants that rename it (UM_USER_CONFIG EveryOneRoleName). */
    public static final String RENAMED_EVERYONE = "allusers";
    /** 4.0.x CarbonConstants.REGISTRY_ANONNYMOUS_USERNAME / REGISTRY_ANONNYMOUS_ROLE_NAME. */
    public static final String ANONYMOUS_USER = "wso2.anonymous.user";
    public static final String ANONYMOUS_ROLE = "wso2.anonymous.role";
    /** The secondary user store (a 4.0.x UserStoreManager with DomainName FOO) whose users and roles carry "FOO/". */
    public static final String SECONDARY_DOMAIN = "FOO";
    /** 4.0.x registry ActionConstants.GET / PUT / DELETE and AccessControlConstants.AUTHORIZE. */
    public static final String GET = "http://www.wso2.org/projects/registry/actions/get";
    public static final String PUT = "http://www.wso2.org/projects/registry/actions/add";
    public static final String DELETE = "http://www.wso2.org/projects/registry/actions/delete";
    public static final String UI = "ui.execute";
    private static final Timestamp CREATED = Timestamp.valueOf("2013-06-14 09:30:00");

    /** UM_PERMISSION rows of every tenant in insert order: resource, action (the super tenant's ids: position + 1). */
    static final String[][] PERMISSIONS = {
        {"/permission", UI}, {"/permission/admin", UI}, {"/permission/admin/login", UI}, {"/permission/admin/manage", UI},
        {"/_system/governance", GET}, {"/_system/governance", PUT},
        {"/", GET}, {"/", PUT}, {"/", DELETE}, {"/", "authorize"},
        {"/_system/config/policy.xml", GET},
    };

    /** The tables whose ids 4.0.x generates, with their id column and generator (PostgreSQL sequence name). */
    static final String[][] GENERATED = {
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

    private final Connection c;
    private final int tenants;
    private final int usersPerTenant;
    /** Every n-th user is also in the reviewers hybrid role (2: half of them; 1: all, as in the benchmark). */
    private int reviewerEvery = 2;
    /** Set when seeding starts: tenant ids are the tenant numbers, every other table counts on from its MAX(id). */
    private IdCounters ids;

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

    /** The everyone role's name in a tenant's realm configuration (the super tenant's is user-mgt.xml's default). */
    public static String everyoneRole(int tenant) {
        return tenant != SUPER_TENANT && tenant % 1000 == 2 ? RENAMED_EVERYONE : "everyone";
    }

    /** True for the tenants whose primary user store is read-only LDAP: every role of theirs is a hybrid role. */
    public static boolean readOnlyStore(int tenant) {
        return tenant != SUPER_TENANT && tenant % 1000 == 3;
    }

    public void seed() throws SQLException {
        ExplicitIds.seed(c, () -> {
            startCounters();
            seedTenants();
            List<Integer> all = new ArrayList<>();
            all.add(SUPER_TENANT);
            for (int t = 1; t <= tenants; t++) all.add(t);
            for (int tenant : all) seedRealm(tenant);
        }, this::advanceIdGenerators);
    }

    private void seedRealm(int tenant) throws SQLException {
        // A read-only store's users and groups live in LDAP: no UM_USER, UM_ROLE, UM_USER_ROLE rows.
        if (!readOnlyStore(tenant)) seedJdbcStore(tenant);
        seedHybridRoles(tenant);
        seedPermissions(tenant);
        seedClaims(tenant);
        seedRegistry(tenant);
    }

    /**
     * One more tenant, created on a database seeded before (a tenant a live 4.0.x server adds later, e.g. while a
     * staging copy is being tested): its UM_TENANT row and the same realm, roles, grants, claims and registry rows
     * as every seeded tenant, with this tenant's id.
     */
    public void seedTenantCreatedLater(int tenant) throws SQLException {
        ExplicitIds.seed(c, () -> {
            startCounters();
            try (Batch b = new Batch(c, TENANT_INSERT)) {
                addTenant(b, tenant);
            }
            seedRealm(tenant);
        }, this::advanceIdGenerators);
    }

    private void startCounters() throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        for (String[] g : GENERATED) if (!g[0].equals("UM_TENANT")) columns.put(g[0], g[1]);
        ids = new IdCounters(c, columns);
    }

    private static final String TENANT_INSERT = "INSERT INTO UM_TENANT (UM_ID, UM_DOMAIN_NAME, UM_EMAIL, UM_ACTIVE, UM_CREATED_DATE, UM_USER_CONFIG) VALUES (?, ?, ?, ?, ?, ?)";

    private void seedTenants() throws SQLException {
        try (Batch b = new Batch(c, TENANT_INSERT)) {
            for (int t = 1; t <= tenants; t++) addTenant(b, t);
        }
    }

    private static void addTenant(Batch b, int t) throws SQLException {
        b.add(t, "tenant" + t + ".example.com", "admin@tenant" + t + ".example.com", t % 7 != 0, CREATED,
                userConfig(t).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A tenant's realm configuration as 4.0.x stores it in UM_TENANT.UM_USER_CONFIG (config/RealmConfigXMLProcessor
     * .serialize: AdminUser, AdminRole, EveryOneRoleName, the primary UserStoreManager and its properties).
     */
    static String userConfig(int tenant) {
        String store = readOnlyStore(tenant)
                ? "<UserStoreManager class=\"org.wso2.carbon.user.core.ldap.ReadOnlyLDAPUserStoreManager\">"
                        + "<Property name=\"ReadOnly\">true</Property><Property name=\"ConnectionURL\">ldap://ldap.tenant" + tenant
                        + ".example.com:389</Property><Property name=\"UserSearchBase\">ou=Users,dc=tenant" + tenant + "</Property></UserStoreManager>"
                : "<UserStoreManager class=\"org.wso2.carbon.user.core.jdbc.JDBCUserStoreManager\">"
                        + "<Property name=\"ReadOnly\">false</Property><Property name=\"IsEmailUserName\">false</Property></UserStoreManager>";
        return "<UserManager><Realm><Configuration><AddAdmin>true</AddAdmin><AdminRole>admin</AdminRole>"
                + "<AdminUser><UserName>admin</UserName><Password>xxxxxx</Password></AdminUser>"
                + "<EveryOneRoleName>" + everyoneRole(tenant) + "</EveryOneRoleName></Configuration>" + store
                + "<AuthorizationManager class=\"org.wso2.carbon.user.core.authorization.JDBCAuthorizationManager\">"
                + "<Property name=\"AdminRoleManagementPermissions\">/permission</Property></AuthorizationManager>"
                + "</Realm></UserManager>";
    }

    /**
     * Read-write JDBC store: users admin, user2..user(n+1), then the anonymous user; roles admin, everyone,
     * wso2.anonymous.role in addInitialData's order, then developers an administrator added. Ids in that order
     * (the super tenant's: users 1..n+2, roles 1..4).
     */
    private void seedJdbcStore(int tenant) throws SQLException {
        int user1 = ids.peek("UM_USER"); // user u has id user1 + u - 1
        int anonymous = user1 + usersPerTenant + 1;
        try (Batch users = new Batch(c, "INSERT INTO UM_USER (UM_ID, UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME, UM_TENANT_ID) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int u = 1; u <= usersPerTenant + 1; u++) {
                users.add(ids.take("UM_USER"), userName(u), hash(userName(u) + tenant), "salt" + u, false, CREATED, tenant);
            }
            // addInitialData: persistUser(REGISTRY_ANONNYMOUS_USERNAME, random password) unless the store is read-only.
            users.add(ids.take("UM_USER"), ANONYMOUS_USER, hash(ANONYMOUS_USER + tenant), "salt" + (usersPerTenant + 2), false, CREATED, tenant);
        }
        try (Batch attrs = new Batch(c, "INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int u = 1; u <= usersPerTenant + 1; u++) {
                attrs.add(ids.take("UM_USER_ATTRIBUTE"), "givenName", "Given" + u, "default", user1 + u - 1, tenant);
                attrs.add(ids.take("UM_USER_ATTRIBUTE"), "mail", userName(u) + "@example.com", "default", user1 + u - 1, tenant);
            }
        }
        int admin = ids.peek("UM_ROLE"), everyone = admin + 1, anonymousRole = admin + 2, developers = admin + 3;
        try (Batch roles = new Batch(c, "INSERT INTO UM_ROLE (UM_ID, UM_ROLE_NAME, UM_TENANT_ID) VALUES (?, ?, ?)")) {
            roles.add(ids.take("UM_ROLE"), "admin", tenant);
            roles.add(ids.take("UM_ROLE"), everyoneRole(tenant), tenant);
            roles.add(ids.take("UM_ROLE"), ANONYMOUS_ROLE, tenant);
            roles.add(ids.take("UM_ROLE"), "developers", tenant);
        }
        try (Batch ur = new Batch(c, "INSERT INTO UM_USER_ROLE (UM_ID, UM_ROLE_ID, UM_USER_ID, UM_TENANT_ID) VALUES (?, ?, ?, ?)")) {
            ur.add(ids.take("UM_USER_ROLE"), admin, user1, tenant);
            for (int u = 1; u <= usersPerTenant + 1; u++) {
                // persistUser: every user but the anonymous one joins the everyone role
                ur.add(ids.take("UM_USER_ROLE"), everyone, user1 + u - 1, tenant);
                if (u > 1) ur.add(ids.take("UM_USER_ROLE"), developers, user1 + u - 1, tenant);
            }
            // addRole(REGISTRY_ANONNYMOUS_ROLE_NAME, {REGISTRY_ANONNYMOUS_USERNAME})
            ur.add(ids.take("UM_USER_ROLE"), anonymousRole, anonymous, tenant);
        }
    }

    /**
     * Hybrid roles: reviewers (every reviewerEvery-th user) and subscribers (every user), as an administrator or a
     * product's self sign-up adds them; a user of the secondary store FOO in reviewers. A read-only store's tenant
     * also has admin (member admin) and wso2.anonymous.role (member wso2.anonymous.user) here, never everyone.
     */
    private void seedHybridRoles(int tenant) throws SQLException {
        boolean readOnly = readOnlyStore(tenant);
        int reviewers = ids.peek("UM_HYBRID_ROLE"), subscribers = reviewers + 1, admin = reviewers + 2, anonymousRole = reviewers + 3;
        try (Batch hr = new Batch(c, "INSERT INTO UM_HYBRID_ROLE (UM_ID, UM_ROLE_NAME, UM_TENANT_ID) VALUES (?, ?, ?)")) {
            hr.add(ids.take("UM_HYBRID_ROLE"), "reviewers", tenant);
            hr.add(ids.take("UM_HYBRID_ROLE"), "subscribers", tenant);
            if (readOnly) {
                hr.add(ids.take("UM_HYBRID_ROLE"), "admin", tenant);
                hr.add(ids.take("UM_HYBRID_ROLE"), ANONYMOUS_ROLE, tenant);
            }
        }
        try (Batch hur = new Batch(c, "INSERT INTO UM_HYBRID_USER_ROLE (UM_ID, UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID) VALUES (?, ?, ?, ?)")) {
            if (readOnly) {
                hur.add(ids.take("UM_HYBRID_USER_ROLE"), "admin", admin, tenant);
                hur.add(ids.take("UM_HYBRID_USER_ROLE"), ANONYMOUS_USER, anonymousRole, tenant);
            }
            for (int u = 1; u <= usersPerTenant + 1; u++) {
                if (u % reviewerEvery == 1 % reviewerEvery) hur.add(ids.take("UM_HYBRID_USER_ROLE"), userName(u), reviewers, tenant);
                hur.add(ids.take("UM_HYBRID_USER_ROLE"), userName(u), subscribers, tenant);
            }
            // A user of a secondary user store, stored with its domain prefix as 4.0.x did.
            hur.add(ids.take("UM_HYBRID_USER_ROLE"), SECONDARY_DOMAIN + "/alice", reviewers, tenant);
        }
        try (Batch rm = new Batch(c, "INSERT INTO UM_HYBRID_REMEMBER_ME (UM_ID, UM_USER_NAME, UM_COOKIE_VALUE, UM_CREATED_TIME, UM_TENANT_ID) VALUES (?, ?, ?, ?, ?)")) {
            rm.add(ids.take("UM_HYBRID_REMEMBER_ME"), "admin", "cookie-" + tenant, CREATED, tenant);
        }
    }

    private void seedPermissions(int tenant) throws SQLException {
        int first = ids.peek("UM_PERMISSION");
        try (Batch p = new Batch(c, "INSERT INTO UM_PERMISSION (UM_ID, UM_RESOURCE_ID, UM_ACTION, UM_TENANT_ID) VALUES (?, ?, ?, ?)")) {
            for (String[] permission : PERMISSIONS) p.add(ids.take("UM_PERMISSION"), permission[0], permission[1], tenant);
        }
        IntUnaryOperator permission = n -> first + n - 1; // the n-th row of PERMISSIONS, from 1
        String everyone = everyoneRole(tenant);
        try (Batch rp = new Batch(c, "INSERT INTO UM_ROLE_PERMISSION (UM_ID, UM_PERMISSION_ID, UM_ROLE_NAME, UM_IS_ALLOWED, UM_TENANT_ID) VALUES (?, ?, ?, ?, ?)")) {
            // JDBCAuthorizationManager.addInitialData (AdminRoleManagementPermissions) and setRootAuthorizations; the rest an admin granted.
            for (int i = 1; i <= 10; i++) rp.add(ids.take("UM_ROLE_PERMISSION"), permission.applyAsInt(i), "admin", 1, tenant);
            rp.add(ids.take("UM_ROLE_PERMISSION"), permission.applyAsInt(7), everyone, 1, tenant);        // setRootAuthorizations: everyone may GET "/"
            rp.add(ids.take("UM_ROLE_PERMISSION"), permission.applyAsInt(3), everyone, 1, tenant);        // every user may log in to the console
            rp.add(ids.take("UM_ROLE_PERMISSION"), permission.applyAsInt(11), ANONYMOUS_ROLE, 1, tenant); // a public resource: anonymous GET
            rp.add(ids.take("UM_ROLE_PERMISSION"), permission.applyAsInt(8), ANONYMOUS_ROLE, 0, tenant);  // ... but never PUT on "/"
            rp.add(ids.take("UM_ROLE_PERMISSION"), permission.applyAsInt(5), "reviewers", 1, tenant);
            rp.add(ids.take("UM_ROLE_PERMISSION"), permission.applyAsInt(6), "subscribers", 1, tenant);
            rp.add(ids.take("UM_ROLE_PERMISSION"), permission.applyAsInt(5), SECONDARY_DOMAIN + "/partners", 1, tenant); // a role of the secondary store FOO
            if (!readOnlyStore(tenant)) {
                rp.add(ids.take("UM_ROLE_PERMISSION"), permission.applyAsInt(5), "developers", 1, tenant);
                rp.add(ids.take("UM_ROLE_PERMISSION"), permission.applyAsInt(4), "developers", 0, tenant);
            }
        }
        try (Batch up = new Batch(c, "INSERT INTO UM_USER_PERMISSION (UM_ID, UM_PERMISSION_ID, UM_USER_NAME, UM_IS_ALLOWED, UM_TENANT_ID) VALUES (?, ?, ?, ?, ?)")) {
            up.add(ids.take("UM_USER_PERMISSION"), permission.applyAsInt(6), userName(2), 1, tenant);
        }
    }

    private void seedClaims(int tenant) throws SQLException {
        int dialect = ids.take("UM_DIALECT");
        try (Batch d = new Batch(c, "INSERT INTO UM_DIALECT (UM_ID, UM_DIALECT_URI, UM_TENANT_ID) VALUES (?, ?, ?)")) {
            d.add(dialect, "http://wso2.org/claims", tenant);
        }
        String[][] claims = {{"givenname", "givenName"}, {"lastname", "sn"}, {"emailaddress", "mail"}};
        int firstClaim = ids.peek("UM_CLAIM");
        try (Batch cl = new Batch(c, "INSERT INTO UM_CLAIM (UM_ID, UM_DIALECT_ID, UM_CLAIM_URI, UM_DISPLAY_TAG, UM_DESCRIPTION, UM_MAPPED_ATTRIBUTE, UM_REG_EX, UM_SUPPORTED, UM_REQUIRED, UM_DISPLAY_ORDER, UM_TENANT_ID) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < claims.length; i++) {
                cl.add(ids.take("UM_CLAIM"), dialect, "http://wso2.org/claims/" + claims[i][0], claims[i][0], "The " + claims[i][0], claims[i][1],
                        null, 1, i == 2 ? 1 : 0, i + 1, tenant);
            }
        }
        int profile = ids.take("UM_PROFILE_CONFIG");
        try (Batch pc = new Batch(c, "INSERT INTO UM_PROFILE_CONFIG (UM_ID, UM_DIALECT_ID, UM_PROFILE_NAME, UM_TENANT_ID) VALUES (?, ?, ?, ?)")) {
            pc.add(profile, dialect, "default", tenant);
        }
        try (Batch cb = new Batch(c, "INSERT INTO UM_CLAIM_BEHAVIOR (UM_ID, UM_PROFILE_ID, UM_CLAIM_ID, UM_BEHAVIOUR, UM_TENANT_ID) VALUES (?, ?, ?, ?, ?)")) {
            for (int i = 0; i < claims.length; i++) cb.add(ids.take("UM_CLAIM_BEHAVIOR"), profile, firstClaim + i, 0, tenant);
        }
    }

    private void seedRegistry(int tenant) throws SQLException {
        String[] paths = {"/", "/_system", "/_system/config", "/_system/governance", "/_system/local"};
        int root = ids.peek("REG_PATH"), system = root + 1, config = root + 2;
        try (Batch p = new Batch(c, "INSERT INTO REG_PATH (REG_PATH_ID, REG_PATH_VALUE, REG_PATH_PARENT_ID, REG_TENANT_ID) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < paths.length; i++) p.add(ids.take("REG_PATH"), paths[i], i == 0 ? null : (i == 1 ? root : system), tenant);
        }
        int content = ids.take("REG_CONTENT");
        try (Batch b = new Batch(c, "INSERT INTO REG_CONTENT (REG_CONTENT_ID, REG_CONTENT_DATA, REG_TENANT_ID) VALUES (?, ?, ?)")) {
            b.add(content, ("<policy tenant=\"" + tenant + "\">allow</policy>").getBytes(StandardCharsets.UTF_8), tenant);
        }
        int firstVersion = ids.peek("REG_RESOURCE"); // the collections' versions in path order, then policy.xml's
        try (Batch r = new Batch(c, "INSERT INTO REG_RESOURCE (REG_PATH_ID, REG_NAME, REG_VERSION, REG_MEDIA_TYPE, REG_CREATOR, REG_CREATED_TIME, REG_LAST_UPDATOR, REG_LAST_UPDATED_TIME, REG_DESCRIPTION, REG_CONTENT_ID, REG_TENANT_ID, REG_UUID) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 1; i <= paths.length; i++) {
                r.add(root + i - 1, null, ids.take("REG_RESOURCE"), null, "wso2.system.user", CREATED, "wso2.system.user", CREATED, null, null, tenant, uuid(tenant, i));
            }
            r.add(config, "policy.xml", ids.take("REG_RESOURCE"), "application/xml", "admin", CREATED, "admin", CREATED, "entitlement policy", content, tenant, uuid(tenant, 6));
        }
        int link = ids.take("REG_PROPERTY"), policyVersion = ids.take("REG_PROPERTY");
        try (Batch prop = new Batch(c, "INSERT INTO REG_PROPERTY (REG_ID, REG_NAME, REG_VALUE, REG_TENANT_ID) VALUES (?, ?, ?, ?)")) {
            prop.add(link, "registry.link", "true", tenant);
            prop.add(policyVersion, "policy.version", "1", tenant);
        }
        try (Batch rp = new Batch(c, "INSERT INTO REG_RESOURCE_PROPERTY (REG_PROPERTY_ID, REG_VERSION, REG_PATH_ID, REG_RESOURCE_NAME, REG_TENANT_ID) VALUES (?, ?, ?, ?, ?)")) {
            rp.add(link, firstVersion + 3, null, null, tenant); // a versioned property of /_system/governance
            rp.add(policyVersion, null, config, "policy.xml", tenant);
        }
        try (Batch log = new Batch(c, "INSERT INTO REG_LOG (REG_LOG_ID, REG_PATH, REG_USER_ID, REG_LOGGED_TIME, REG_ACTION, REG_ACTION_DATA, REG_TENANT_ID) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            log.add(ids.take("REG_LOG"), "/_system/config/policy.xml", "admin", CREATED, 1, null, tenant);
        }
    }

    /** Moves each id generator past the explicit ids, so the upgraded server's next insert does not collide. */
    private void advanceIdGenerators() throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String[] g : GENERATED) {
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
