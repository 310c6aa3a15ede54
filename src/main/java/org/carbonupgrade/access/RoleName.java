package org.carbonupgrade.access;

import java.util.Locale;

/**
 * A role or user as Carbon 4.2.0 identifies it: the user-store domain (upper case, as 4.2.0 stores and looks it up
 * in UM_DOMAIN) and the domain-free name (wso2/carbon4-kernel @ a169d3b36b, user-core JDBCAuthorizationManager
 * authorizeRole and HybridRoleManager: {@code UserCoreUtil.extractDomainFromName(..).toUpperCase()} and
 * {@code removeDomainFromName}).
 */
public record RoleName(String domain, String name) implements Comparable<RoleName> {
    public static final String INTERNAL = "INTERNAL";
    public static final String SYSTEM = "SYSTEM";
    /** 4.2.0 UserCoreConstants.PRIMARY_DEFAULT_DOMAIN_NAME: the only domain 4.2.0 shows without a prefix. */
    public static final String DEFAULT_PRIMARY = "PRIMARY";

    public RoleName {
        domain = domain == null ? null : domain.toUpperCase(Locale.ROOT);
    }

    /**
     * The name as 4.2.0 shows and resolves it: UserCoreUtil.addDomainToName leaves PRIMARY names plain and prefixes
     * every other domain (so a primary store configured with another DomainName shows as DOMAIN/name); the
     * internal and system roles are spelt as 4.2.0 configures them ("Internal/everyone",
     * CarbonConstants.REGISTRY_ANONNYMOUS_ROLE_NAME = "system/wso2.anonymous.role").
     */
    public String display() {
        if (domain == null) return name + " (no domain: invisible to 4.2.0)";
        return switch (domain) {
            case DEFAULT_PRIMARY -> name;
            case INTERNAL -> "Internal/" + name;
            case SYSTEM -> "system/" + name;
            default -> domain + "/" + name;
        };
    }

    @Override
    public int compareTo(RoleName o) {
        return display().compareTo(o.display());
    }

    @Override
    public String toString() {
        return display();
    }
}
