package org.carbonupgrade.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The documented rename map (docs/access-control.md), rule by rule, as 4.2.0 shows the result. */
class RenameMapTest {
    private final RenameMap byDefault = new RenameMap(new RealmNames("everyone", "PRIMARY", null), Map.of(-1234, "everyone", 7, "staff"));

    @Test
    void everyoneRoleIsInternalPerTenantName() {
        assertEquals("Internal/staff", byDefault.role(7, "staff", true, false).display());
        assertEquals("Internal/everyone", byDefault.role(-1234, "everyone", false, false).display());
        // In tenant 7 "everyone" is not the everyone role: a plain role of the primary store.
        assertEquals("everyone", byDefault.role(7, "everyone", false, false).display());
    }

    @Test
    void everyoneRoleOfManyTenantsAndOfATenantNotListed() {
        Map<Integer, String> many = new java.util.HashMap<>();
        for (int t = 1; t <= 5000; t++) many.put(t * 3, "every" + t);
        many.put(-1234, "all");
        RenameMap map = new RenameMap(new RealmNames("everyone", "PRIMARY", null), many);
        for (int t = 1; t <= 5000; t++) assertEquals("every" + t, map.everyone(t * 3));
        assertEquals("all", map.everyone(-1234));
        // A tenant without a UM_TENANT row (or between two listed ones): 4.0.x's default name.
        assertEquals(RealmNames.DEFAULT_EVERYONE_ROLE, map.everyone(4));
        assertEquals(RealmNames.DEFAULT_EVERYONE_ROLE, map.everyone(Integer.MAX_VALUE));
        assertEquals(RealmNames.DEFAULT_EVERYONE_ROLE, map.everyone(-1));
    }

    @Test
    void anonymousRoleIsSystem() {
        assertEquals("system/wso2.anonymous.role", byDefault.role(7, RealmNames.ANONYMOUS_ROLE, true, false).display());
        assertEquals("system/wso2.anonymous.role", byDefault.role(7, RealmNames.ANONYMOUS_ROLE, false, true).display());
    }

    @Test
    void storeRolesKeepTheirNameAndPrefixesNameTheirStore() {
        assertEquals(new RoleName("PRIMARY", "john/doe"), byDefault.role(7, "john/doe", true, false));
        assertEquals(new RoleName("PARTNERS", "admins"), byDefault.role(7, "partners/admins", false, false));
        assertEquals(new RoleName("INTERNAL", "auditors"), byDefault.role(7, "auditors", false, true));
        assertEquals(new RoleName("PRIMARY", "ldap-group"), byDefault.role(7, "ldap-group", false, false));
        // A leading or trailing '/' is no domain, and never an empty name.
        assertEquals(new RoleName("PRIMARY", "trailing/"), byDefault.role(7, "trailing/", false, false));
        assertEquals(new RoleName("PRIMARY", "/leading"), byDefault.role(7, "/leading", false, false));
    }

    @Test
    void listedStoresOnlyWhenTheOperatorListedThem() {
        RenameMap listed = new RenameMap(new RealmNames("everyone", "CORP", List.of("PARTNERS")), Map.of());
        assertEquals(new RoleName("PARTNERS", "carol"), listed.user("PARTNERS/carol"));
        assertEquals(new RoleName("CORP", "bob"), listed.user("corp/bob"));
        assertEquals(new RoleName("CORP", "john/doe"), listed.user("john/doe"));
        // 4.2.0 UserCoreUtil.addDomainToName shows every domain but PRIMARY: a primary store named CORP shows CORP/name.
        assertEquals("CORP/admin", listed.role(-1234, "admin", true, false).display());
    }
}
