package org.carbonupgrade.access;

import java.util.Locale;
import java.util.Map;

/**
 * The documented rename map from Carbon 4.0.x role and user names to what 4.2.0 must resolve (docs/access-control.md).
 * It is the verifier's oracle, written from the WSO2 sources and not from the upgrade's changesets:
 * <ul>
 * <li>the tenant's everyone role (EveryOneRoleName, per tenant) is 4.2.0's {@code Internal/<name>}: 4.2.0 builds the
 * realm's everyone role as INTERNAL_DOMAIN + "/" + EveryOneRoleName (wso2/carbon4-kernel @ a169d3b36b,
 * user-core config/UserStoreConfigXMLProcessor and RealmConfigXMLProcessor);</li>
 * <li>{@code wso2.anonymous.role} is {@code system/wso2.anonymous.role} (4.2.0 CarbonConstants
 * REGISTRY_ANONNYMOUS_ROLE_NAME; AbstractUserStoreManager.doInitialUserAdding keeps it in UM_SYSTEM_ROLE);</li>
 * <li>a role of the 4.0.x JDBC store (UM_ROLE) stays a primary-store role under its own name, even with a '/' in it:
 * 4.2.0 JDBCUserStoreManager reads UM_ROLE as the primary store's roles (JDBCRealmConstants GET_USER_ROLE_SQL);</li>
 * <li>{@code FOO/x}, where FOO names a user store, is role x of domain FOO (4.2.0 stores domain and name apart);</li>
 * <li>any other role of UM_HYBRID_ROLE is {@code Internal/<name>} (4.2.0 HybridRoleManager prefixes INTERNAL);</li>
 * <li>everything else is a role of the primary store, whose domain is -Dcarbon.upgrade.primaryDomain.</li>
 * </ul>
 * A user name {@code FOO/alice} of UM_HYBRID_USER_ROLE is alice of domain FOO; a plain name is a primary-store user.
 */
public final class RenameMap {
    private final RealmNames names;
    /**
     * The everyone roles by tenant, as sorted tenant ids and their names: looked up for every membership line and grant
     * group of the check (a few times each), where a Map&lt;Integer, ...&gt; boxed the tenant id above 127 every time
     * (docs/benchmark.md, branch s28-pggc).
     */
    private final int[] tenants;
    private final String[] everyone;

    public RenameMap(RealmNames names, Map<Integer, String> everyoneByTenant) {
        this.names = names;
        int[] ids = everyoneByTenant.keySet().stream().filter(java.util.Objects::nonNull).mapToInt(Integer::intValue).sorted().toArray();
        this.tenants = ids;
        this.everyone = new String[ids.length];
        for (int i = 0; i < ids.length; i++) everyone[i] = everyoneByTenant.get(ids[i]);
    }

    public RealmNames names() {
        return names;
    }

    /** The tenant's everyone role as 4.0.x names it (its UM_USER_CONFIG, or the run's setting for the super tenant). */
    public String everyone(int tenant) {
        int at = java.util.Arrays.binarySearch(tenants, tenant);
        return at >= 0 ? everyone[at] : RealmNames.DEFAULT_EVERYONE_ROLE;
    }

    /** 4.2.0's everyone role of the tenant, which every user holds without a row (HybridRoleManager.getHybridRoleListOfUser). */
    public RoleName everyoneRole(int tenant) {
        return new RoleName(RoleName.INTERNAL, everyone(tenant));
    }

    public static RoleName anonymousRole() {
        return new RoleName(RoleName.SYSTEM, RealmNames.ANONYMOUS_ROLE);
    }

    /**
     * @param inStore the tenant's UM_ROLE has a role of this name (a 4.0.x JDBC-store role)
     * @param inHybrid the tenant's UM_HYBRID_ROLE has a role of this name
     */
    public RoleName role(int tenant, String name, boolean inStore, boolean inHybrid) {
        if (name.equals(everyone(tenant))) return everyoneRole(tenant);
        if (name.equals(RealmNames.ANONYMOUS_ROLE)) return anonymousRole();
        if (inStore) return new RoleName(names.primaryDomain(), name);
        RoleName prefixed = prefixed(name);
        if (prefixed != null) return prefixed;
        if (inHybrid) return new RoleName(RoleName.INTERNAL, name);
        return new RoleName(names.primaryDomain(), name);
    }

    /** A user name as 4.0.x stored it in UM_HYBRID_USER_ROLE, as 4.2.0 stores it: domain and domain-free name. */
    public RoleName user(String name) {
        RoleName prefixed = prefixed(name);
        return prefixed != null ? prefixed : new RoleName(names.primaryDomain(), name);
    }

    /**
     * "FOO/x" when FOO names a user store: the primary store's own domain, a listed secondary store, or any prefix
     * when the operator listed none (as the gate takes them). A leading or trailing '/' never makes a domain or an
     * empty name.
     */
    private RoleName prefixed(String name) {
        int slash = name.indexOf('/');
        if (slash <= 0 || slash == name.length() - 1) return null;
        String prefix = name.substring(0, slash).toUpperCase(Locale.ROOT);
        boolean store = prefix.equals(names.primaryDomain()) || !names.secondaryDomainsGiven()
                || names.secondaryDomains().contains(prefix);
        return store ? new RoleName(prefix, name.substring(slash + 1)) : null;
    }
}
