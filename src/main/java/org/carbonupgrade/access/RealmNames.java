package org.carbonupgrade.access;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.carbonupgrade.gate.GateSettings;

/**
 * The realm names that decide where a 4.0.x role lands in 4.2.0, as the operator's Carbon configuration has them:
 * the everyone role's name (per tenant: each tenant's realm configuration is stored in UM_TENANT.UM_USER_CONFIG;
 * the super tenant's lives in user-mgt.xml, so the operator names it), the primary user store's 4.2.0 domain name
 * (user-mgt.xml DomainName, PRIMARY unless configured) and, when given, the secondary user stores configured.
 */
public record RealmNames(String superTenantEveryoneRole, String primaryDomain, List<String> secondaryDomains) {
    public static final String EVERYONE_ROLE = "carbon.upgrade.everyoneRole";
    public static final String PRIMARY_DOMAIN = "carbon.upgrade.primaryDomain";
    public static final String SECONDARY_DOMAINS = "carbon.upgrade.secondaryDomains";
    /** 4.0.x default of user-mgt.xml EveryOneRoleName. */
    public static final String DEFAULT_EVERYONE_ROLE = "everyone";
    public static final String DEFAULT_PRIMARY_DOMAIN = "PRIMARY";
    /** 4.0.x CarbonConstants.REGISTRY_ANONNYMOUS_ROLE_NAME; not configurable. */
    public static final String ANONYMOUS_ROLE = "wso2.anonymous.role";
    public static final String ANONYMOUS_USER = "wso2.anonymous.user";
    public static final int SUPER_TENANT = -1234;

    private static final Pattern EVERYONE_IN_CONFIG = Pattern.compile("<EveryOneRoleName>\\s*([^<]*?)\\s*</EveryOneRoleName>");

    /** The settings of this run: -Dcarbon.upgrade.everyoneRole, -Dcarbon.upgrade.primaryDomain, -Dcarbon.upgrade.secondaryDomains. */
    public static RealmNames current() {
        String everyone = GateSettings.value(EVERYONE_ROLE);
        String primary = GateSettings.value(PRIMARY_DOMAIN);
        String secondary = GateSettings.value(SECONDARY_DOMAINS);
        List<String> stores = null;
        if (secondary != null) {
            stores = new ArrayList<>();
            for (String s : secondary.split(",")) {
                if (!s.isBlank()) stores.add(s.trim().toUpperCase(Locale.ROOT));
            }
        }
        return new RealmNames(everyone == null ? DEFAULT_EVERYONE_ROLE : everyone,
                primary == null ? DEFAULT_PRIMARY_DOMAIN : primary.toUpperCase(Locale.ROOT), stores);
    }

    /** True when the operator listed the configured secondary user stores (then an unlisted prefix is refused). */
    public boolean secondaryDomainsGiven() {
        return secondaryDomains != null;
    }

    /**
     * The everyone role's name per tenant id, super tenant included: a tenant's own realm configuration
     * (UM_USER_CONFIG, EveryOneRoleName) where it names one, else the 4.0.x default.
     */
    public Map<Integer, String> everyoneRoleByTenant(Connection c) throws SQLException {
        Map<Integer, String> names = new TreeMap<>();
        names.put(SUPER_TENANT, superTenantEveryoneRole);
        // Streamed, one name instance per distinct name: read in one piece, PostgreSQL's driver held every tenant's
        // realm XML at once (29 MB of it at 50,000 tenants; docs/benchmark.md, peak RSS second pass).
        Map<String, String> distinct = new java.util.HashMap<>();
        if (org.carbonupgrade.Engine.of(c) == org.carbonupgrade.Engine.POSTGRESQL) {
            everyoneRolesCut(c, names, distinct);
            return names;
        }
        new AccessSql(c).stream("SELECT UM_ID, UM_USER_CONFIG FROM UM_TENANT", rs -> {
            String name = everyoneRoleIn(rs.getBytes(2));
            names.put(rs.getInt(1), name == null ? null : distinct.computeIfAbsent(name, n -> n));
        });
        return names;
    }

    /**
     * PostgreSQL: only the part of each realm configuration that {@link #EVERYONE_IN_CONFIG} can match first, instead of
     * the whole XML, which the driver receives as hex text (twice its bytes) and decodes (10,000 bench tenants: 12.5 MB sent
     * against 1.0 MB, and a few kilobytes allocated per tenant, on production's snapshot beside a catch-up pass's writes;
     * docs/benchmark.md, branch s28-pggc). The part runs from the first {@code <EveryOneRoleName>} (a match can start nowhere before it, and an
     * ASCII '<' starts the same characters in UTF-8 whatever precedes it) through the closing tag that may follow the first
     * '<' after it (neither [^<] nor \s crosses a '<'). When that part does not match and the configuration names the tag
     * again further on, the whole configuration is read and matched as before, in the same transaction.
     */
    private static void everyoneRolesCut(Connection c, Map<Integer, String> names, Map<String, String> distinct) throws SQLException {
        String tag = "CAST('<EveryOneRoleName>' AS bytea)";
        // 18: the opening tag's length; a closing tag starting at the r-th byte after it ends 36 + r bytes from its start.
        String sql = "SELECT t.UM_ID, CASE WHEN t.p > 0 THEN substring(t.UM_USER_CONFIG FROM t.p FOR CASE WHEN t.r > 0 THEN t.r + 36 ELSE 18 END) END,"
                + " t.p > 0 AND position(" + tag + " IN substring(t.UM_USER_CONFIG FROM t.p + 1)) > 0"
                + " FROM (SELECT UM_ID, UM_USER_CONFIG, p, position(CAST('<' AS bytea) IN substring(UM_USER_CONFIG FROM p + 18)) AS r"
                + " FROM (SELECT UM_ID, UM_USER_CONFIG, position(" + tag + " IN UM_USER_CONFIG) AS p FROM UM_TENANT) u) t";
        new AccessSql(c).stream(sql, rs -> {
            int tenant = rs.getInt(1);
            byte[] part = rs.getBytes(2);
            boolean more = rs.getBoolean(3);
            String name;
            if (part == null) {
                name = DEFAULT_EVERYONE_ROLE; // no configuration, or no tag in it: what the whole one gives
            } else if (EVERYONE_IN_CONFIG.matcher(new String(part, StandardCharsets.UTF_8)).find() || !more) {
                name = everyoneRoleIn(part);
            } else {
                name = everyoneRoleIn(wholeConfig(c, tenant));
            }
            names.put(tenant, distinct.computeIfAbsent(name, n -> n));
        });
    }

    private static byte[] wholeConfig(Connection c, int tenant) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT UM_USER_CONFIG FROM UM_TENANT WHERE UM_ID = ?")) {
            ps.setInt(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    /**
     * The primary domain the upgrade of this database used (CARBON_UPGRADE_USER_STORE, written by
     * {@link RoleDomainMap}), so a later verification needs no setting; before the upgrade, this run's setting.
     */
    public static String primaryDomainUsed(Connection c) throws SQLException {
        String table = new org.carbonupgrade.schema.SchemaReader(c).tableNames().get(RoleDomainMap.STORE_TABLE);
        if (table == null) return current().primaryDomain();
        try (PreparedStatement ps = c.prepareStatement("SELECT UM_DOMAIN_NAME FROM " + table + " WHERE STORE_KIND = ?")) {
            ps.setString(1, "PRIMARY");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : current().primaryDomain();
            }
        }
    }

    /**
     * The names this run maps by, for the audit trail (CARBON_UPGRADE_RUN.GATE_FINDINGS): the super tenant's everyone
     * role, the tenants' own names (renamed ones by tenant id), the primary domain and the secondary stores.
     */
    public String describe(Map<Integer, String> everyoneByTenant) {
        Map<String, List<Integer>> tenantsByName = new TreeMap<>();
        everyoneByTenant.forEach((tenant, role) -> {
            if (tenant != SUPER_TENANT) tenantsByName.computeIfAbsent(role, k -> new ArrayList<>()).add(tenant);
        });
        List<String> perTenant = new ArrayList<>();
        tenantsByName.forEach((role, tenants) -> perTenant.add("'" + role + "' in " + (role.equals(DEFAULT_EVERYONE_ROLE)
                ? tenants.size() + " tenants" : "tenants " + (tenants.size() <= 20 ? tenants : tenants.subList(0, 20) + "...") )));
        return "names used: everyone role '" + superTenantEveryoneRole + "' for the super tenant (-D" + EVERYONE_ROLE + ")"
                + (perTenant.isEmpty() ? "" : ", tenants' EveryOneRoleName " + String.join(", ", perTenant))
                + "; primary domain " + primaryDomain + " (-D" + PRIMARY_DOMAIN + ")"
                + "; secondary domains " + (secondaryDomainsGiven() ? secondaryDomains + " (-D" + SECONDARY_DOMAINS + ")"
                : "every prefix found (no -D" + SECONDARY_DOMAINS + ")");
    }

    /** The EveryOneRoleName of one stored realm configuration, or the default when it names none. */
    static String everyoneRoleIn(byte[] userConfig) {
        if (userConfig == null) return DEFAULT_EVERYONE_ROLE;
        Matcher m = EVERYONE_IN_CONFIG.matcher(new String(userConfig, StandardCharsets.UTF_8));
        return m.find() && !m.group(1).isEmpty() ? m.group(1) : DEFAULT_EVERYONE_ROLE;
    }
}
