package org.carbonupgrade.verify;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.carbonupgrade.schema.SchemaReader;

/**
 * The guide's "Going into production" test on the staging database: several user-store domains with users in
 * each, several tenants with their own stores and users, everything read back the way Carbon 4.2.0 user-core
 * reads it (through UM_DOMAIN). It all happens in one transaction that is rolled back, so the staging data is
 * left as it was (id sequences may have moved on, as after any rolled-back insert).
 */
final class SmokeTest {
    private static final String[] STORES = {"SMOKE-STORE-A", "SMOKE-STORE-B"};
    private static final Timestamp NOW = new Timestamp(System.currentTimeMillis());

    private final Connection c;
    /** The primary store's domain as the upgrade named it (-Dcarbon.upgrade.primaryDomain, PRIMARY by default). */
    private final String primary;
    static final String NAME = "Staging smoke test: user stores and tenants with users (rolled back)";
    private final Checkpoint cp;

    private SmokeTest(Connection c) throws SQLException {
        this.c = c;
        this.primary = org.carbonupgrade.access.RealmNames.primaryDomainUsed(c);
        this.cp = new Checkpoint(NAME);
    }

    /** For {@link #finish}: adds to a checkpoint of {@link #writes}, writes nothing. */
    private SmokeTest(Checkpoint cp) {
        this.c = null;
        this.primary = null;
        this.cp = cp;
    }

    /** The tables the smoke test writes; UM_DOMAIN and UM_SYSTEM_USER are 4.2.0's, the others 4.0.0's. */
    private static final List<String> TABLES = List.of("UM_TENANT", "UM_DOMAIN", "UM_ROLE", "UM_USER", "UM_USER_ROLE", "UM_HYBRID_ROLE",
            "UM_HYBRID_USER_ROLE", "UM_PERMISSION", "UM_ROLE_PERMISSION", "UM_SYSTEM_USER");

    /** @param tables the database's tables, upper-case name to the name as the catalog spells it (SchemaReader.tableNames) */
    static Checkpoint run(Connection c, Map<String, String> tables, DomainColumns domainColumns) throws SQLException {
        return writes(c, tables, domainColumns);
    }

    /**
     * The smoke test's writes and reads (rolled back) before the domain checkpoint's figures exist, which only the check
     * of existing memberships needs ({@link #finish}): after a catch-up pass the verifier runs them while its access check
     * beside groups UM_HYBRID_USER_ROLE, instead of after every other checkpoint (Verifier). The rows it writes are never
     * committed, so the reads on the other connections (committed rows only) do not see them.
     *
     * @param domainColumns null: the existing memberships are checked later, by {@link #finish}
     */
    static Checkpoint writes(Connection c, Map<String, String> tables, DomainColumns domainColumns) throws SQLException {
        List<String> missing = missing(c, tables);
        if (!missing.isEmpty()) {
            // Before any insert: on a 4.0.x database the first 4.2.0 statement would fail with the driver's own words, after
            // the tenant insert before it had drawn an id.
            Checkpoint cp = new Checkpoint(NAME);
            cp.fail(String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " missing, which 4.2.0's user-core SQL"
                    + " writes and reads, so the smoke test did not run (nothing was inserted): " + Verifier.NOT_FINISHED);
            return cp;
        }
        SmokeTest test = new SmokeTest(c);
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            if (domainColumns != null) test.existingMembershipsAreVisible(domainColumns);
            List<Integer> tenants = new ArrayList<>(List.of(-1234));
            tenants.add(test.createTenant("smoke-tenant-1.example.com"));
            tenants.add(test.createTenant("smoke-tenant-2.example.com"));
            for (int tenant : tenants) test.exercise(tenant);
        } catch (SQLException e) {
            test.cp.fail("4.2.0 user-core SQL failed: " + e.getMessage());
        } finally {
            c.rollback();
            c.setAutoCommit(auto);
        }
        test.cp.detail("rolled back: no smoke-test row is left in the database");
        return test.cp;
    }

    /**
     * Completes a checkpoint of {@link #writes} made without the domain checkpoint's figures: the existing memberships'
     * visibility, from them. {@code early}: the milliseconds its writes took before, for the report.
     */
    static Checkpoint finish(Checkpoint cp, DomainColumns domainColumns, long early) {
        if (cp.failed() && cp.details.isEmpty()) return cp; // a table missing: nothing ran, the failure says why
        SmokeTest test = new SmokeTest(cp);
        test.existingMembershipsAreVisible(domainColumns);
        if (early > 0) cp.detail("its writes and reads ran beside the access check's reads, before the domain checkpoint: " + early + " ms");
        return cp;
    }

    /** The tables of {@link #TABLES} and the UM_DOMAIN_ID columns of {@link DomainColumns#TABLES} that the database lacks. */
    private static List<String> missing(Connection c, Map<String, String> tables) throws SQLException {
        List<String> missing = new ArrayList<>();
        for (String table : TABLES) {
            if (!tables.containsKey(table)) missing.add(table);
        }
        for (String table : DomainColumns.TABLES) {
            if (tables.containsKey(table) && !new SchemaReader(c).readTable(tables.get(table), Set.of(SchemaReader.Part.COLUMNS))
                    .columns.containsKey("UM_DOMAIN_ID")) {
                missing.add(table + ".UM_DOMAIN_ID");
            }
        }
        return missing;
    }

    /** Every hybrid-role membership and role permission that existed must be reachable through its domain. */
    private void existingMembershipsAreVisible(DomainColumns domainColumns) {
        for (String table : DomainColumns.TABLES) {
            DomainColumns.Stats s = domainColumns.of(table);
            if (s == null) {
                cp.fail(table + " cannot be read through UM_DOMAIN: the table, its UM_DOMAIN_ID or UM_DOMAIN is missing, so "
                        + Verifier.NOT_FINISHED);
            } else {
                check(s.visible() == s.rows(), "existing " + (table.equals("UM_ROLE_PERMISSION") ? "role permissions"
                        : "hybrid-role memberships") + " visible to 4.2.0 through UM_DOMAIN: " + s.visible() + " of " + s.rows());
            }
        }
    }

    private int createTenant(String domain) throws SQLException {
        update("INSERT INTO UM_TENANT (UM_DOMAIN_NAME, UM_EMAIL, UM_ACTIVE, UM_CREATED_DATE, UM_USER_CONFIG) VALUES (?, ?, ?, ?, ?)",
                domain, "admin@" + domain, true, NOW, "<UserManager/>".getBytes(StandardCharsets.UTF_8));
        int id = (int) single("SELECT UM_ID FROM UM_TENANT WHERE UM_DOMAIN_NAME = ?", domain);
        List<String> required = List.of(primary, "INTERNAL");
        for (String d : required) addDomain(d, id);
        cp.detail("tenant " + domain + " created with id " + id + " and domains " + required);
        return id;
    }

    private void addDomain(String name, int tenant) throws SQLException {
        update("INSERT INTO UM_DOMAIN (UM_DOMAIN_NAME, UM_TENANT_ID) VALUES (?, ?)", name, tenant);
    }

    private void exercise(int tenant) throws SQLException {
        for (String store : STORES) addDomain(store, tenant);
        // Primary store: users, a role, membership (JDBCUserStoreManager's tables).
        update("INSERT INTO UM_ROLE (UM_ROLE_NAME, UM_TENANT_ID) VALUES (?, ?)", "smoke-role", tenant);
        for (String user : new String[] {"smoke-user-1", "smoke-user-2"}) {
            update("INSERT INTO UM_USER (UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME, UM_TENANT_ID)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", user, "c21va2U=", "salt", false, NOW, tenant);
            update("INSERT INTO UM_USER_ROLE (UM_USER_ID, UM_ROLE_ID, UM_TENANT_ID) VALUES ((SELECT UM_ID FROM UM_USER WHERE"
                    + " UM_USER_NAME = ? AND UM_TENANT_ID = ?), (SELECT UM_ID FROM UM_ROLE WHERE UM_ROLE_NAME = ? AND UM_TENANT_ID = ?), ?)",
                    user, tenant, "smoke-role", tenant, tenant);
        }
        // Read from the user's side, as 4.2.0's getRoleListOfUser does (and as the indexes allow).
        long members = single("SELECT COUNT(*) FROM UM_USER u JOIN UM_USER_ROLE ur ON ur.UM_USER_ID = u.UM_ID AND ur.UM_TENANT_ID = u.UM_TENANT_ID"
                + " JOIN UM_ROLE r ON r.UM_ID = ur.UM_ROLE_ID AND r.UM_TENANT_ID = ur.UM_TENANT_ID"
                + " WHERE u.UM_USER_NAME IN (?, ?) AND u.UM_TENANT_ID = ? AND r.UM_ROLE_NAME = ?", "smoke-user-1", "smoke-user-2", tenant, "smoke-role");
        check(members == 2, "tenant " + tenant + ": PRIMARY store role has " + members + " of 2 users");

        // A hybrid (Internal) role with a member from each user store, stored as 4.2.0 does: name and domain apart.
        update("INSERT INTO UM_HYBRID_ROLE (UM_ROLE_NAME, UM_TENANT_ID) VALUES (?, ?)", "smoke-internal", tenant);
        List<String> domains = new ArrayList<>(List.of(primary));
        domains.addAll(List.of(STORES));
        // Distinct names per store: WSO2's 4.2.0 PostgreSQL key on UM_HYBRID_USER_ROLE has no domain column.
        for (String domain : domains) {
            update("INSERT INTO UM_HYBRID_USER_ROLE (UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID, UM_DOMAIN_ID) VALUES (?,"
                    + " (SELECT UM_ID FROM UM_HYBRID_ROLE WHERE UM_ROLE_NAME = ? AND UM_TENANT_ID = ?), ?,"
                    + " (SELECT UM_DOMAIN_ID FROM UM_DOMAIN WHERE UM_TENANT_ID = ? AND UM_DOMAIN_NAME = ?))",
                    storeUser(domain), "smoke-internal", tenant, tenant, tenant, domain);
        }
        for (String domain : domains) {
            long roles = single("SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE h JOIN UM_HYBRID_ROLE r ON r.UM_ID = h.UM_ROLE_ID"
                    + " AND r.UM_TENANT_ID = h.UM_TENANT_ID WHERE h.UM_USER_NAME = ? AND h.UM_TENANT_ID = ? AND r.UM_ROLE_NAME = ?"
                    + " AND h.UM_DOMAIN_ID = (SELECT UM_DOMAIN_ID FROM UM_DOMAIN WHERE UM_TENANT_ID = ? AND UM_DOMAIN_NAME = ?)",
                    storeUser(domain), tenant, "smoke-internal", tenant, domain);
            check(roles == 1, "tenant " + tenant + ": user " + domain + "/" + storeUser(domain) + " reads back Internal/smoke-internal");
        }

        // Role permissions carry the role's domain.
        update("INSERT INTO UM_PERMISSION (UM_RESOURCE_ID, UM_ACTION, UM_TENANT_ID) VALUES (?, ?, ?)", "/permission/smoke", "ui.execute", tenant);
        for (String[] grant : new String[][] {{"smoke-role", primary}, {"smoke-internal", "INTERNAL"}}) {
            update("INSERT INTO UM_ROLE_PERMISSION (UM_PERMISSION_ID, UM_ROLE_NAME, UM_IS_ALLOWED, UM_TENANT_ID, UM_DOMAIN_ID) VALUES"
                    + " ((SELECT UM_ID FROM UM_PERMISSION WHERE UM_RESOURCE_ID = ? AND UM_ACTION = ? AND UM_TENANT_ID = ?), ?, 1, ?,"
                    + " (SELECT UM_DOMAIN_ID FROM UM_DOMAIN WHERE UM_TENANT_ID = ? AND UM_DOMAIN_NAME = ?))",
                    "/permission/smoke", "ui.execute", tenant, grant[0], tenant, tenant, grant[1]);
        }
        long grants = single("SELECT COUNT(*) FROM UM_ROLE_PERMISSION p JOIN UM_PERMISSION x ON x.UM_ID = p.UM_PERMISSION_ID"
                + " AND x.UM_TENANT_ID = p.UM_TENANT_ID JOIN UM_DOMAIN d ON d.UM_DOMAIN_ID = p.UM_DOMAIN_ID AND d.UM_TENANT_ID = p.UM_TENANT_ID"
                + " WHERE x.UM_RESOURCE_ID = ? AND p.UM_TENANT_ID = ?", "/permission/smoke", tenant);
        check(grants == 2, "tenant " + tenant + ": permission tree reads " + grants + " of 2 role grants");

        update("INSERT INTO UM_SYSTEM_USER (UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME, UM_TENANT_ID)"
                + " VALUES (?, ?, ?, ?, ?, ?)", "smoke-system-user", "c21va2U=", "salt", false, NOW, tenant);
        check(single("SELECT COUNT(*) FROM UM_SYSTEM_USER WHERE UM_USER_NAME = ? AND UM_TENANT_ID = ?", "smoke-system-user", tenant) == 1,
                "tenant " + tenant + ": system user store accepts a user");
    }

    private String storeUser(String domain) {
        return domain.equals(primary) ? "smoke-user-1" : "smoke-" + domain.toLowerCase() + "-user";
    }

    private void check(boolean ok, String what) {
        if (ok) cp.detail(what);
        else cp.fail(what);
    }

    private void update(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            ps.executeUpdate();
        }
    }

    private long single(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
