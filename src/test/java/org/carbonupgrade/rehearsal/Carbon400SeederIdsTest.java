package org.carbonupgrade.rehearsal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The seeded ids look like 4.0.x's: one generator per table across all tenants (the 4.0.x scripts' sequences and
 * AUTO_INCREMENT columns, cited in Carbon400Seeder), so ids never repeat in a table, a tenant's ids follow those of
 * the tenants created before it, every reference names the row of its own tenant, and a tenant created later on a
 * seeded database takes ids after the table's highest, as does a 4.2.0 insert without an id afterwards.
 */
class Carbon400SeederIdsTest {
    /** A reference: the referring table and column, the table and id column it names (same tenant column names). */
    private static final String[][] REFERENCES = {
        {"UM_USER_ROLE", "UM_USER_ID", "UM_USER", "UM_ID"}, {"UM_USER_ROLE", "UM_ROLE_ID", "UM_ROLE", "UM_ID"},
        {"UM_USER_ATTRIBUTE", "UM_USER_ID", "UM_USER", "UM_ID"}, {"UM_HYBRID_USER_ROLE", "UM_ROLE_ID", "UM_HYBRID_ROLE", "UM_ID"},
        {"UM_ROLE_PERMISSION", "UM_PERMISSION_ID", "UM_PERMISSION", "UM_ID"}, {"UM_USER_PERMISSION", "UM_PERMISSION_ID", "UM_PERMISSION", "UM_ID"},
        {"UM_CLAIM", "UM_DIALECT_ID", "UM_DIALECT", "UM_ID"}, {"UM_PROFILE_CONFIG", "UM_DIALECT_ID", "UM_DIALECT", "UM_ID"},
        {"UM_CLAIM_BEHAVIOR", "UM_PROFILE_ID", "UM_PROFILE_CONFIG", "UM_ID"}, {"UM_CLAIM_BEHAVIOR", "UM_CLAIM_ID", "UM_CLAIM", "UM_ID"},
        {"REG_PATH", "REG_PATH_PARENT_ID", "REG_PATH", "REG_PATH_ID"}, {"REG_RESOURCE", "REG_PATH_ID", "REG_PATH", "REG_PATH_ID"},
        {"REG_RESOURCE", "REG_CONTENT_ID", "REG_CONTENT", "REG_CONTENT_ID"},
        {"REG_RESOURCE_PROPERTY", "REG_PROPERTY_ID", "REG_PROPERTY", "REG_ID"},
        {"REG_RESOURCE_PROPERTY", "REG_VERSION", "REG_RESOURCE", "REG_VERSION"},
        {"REG_RESOURCE_PROPERTY", "REG_PATH_ID", "REG_PATH", "REG_PATH_ID"},
    };
    private static final List<Integer> CREATION_ORDER = List.of(Carbon400Seeder.SUPER_TENANT, 1, 2, 3);

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void eachTableHasOneCounterAcrossTenants(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "seeder_ids_" + engine.profile());
        try (Connection c = db.connect()) {
            for (String[] g : Carbon400Seeder.GENERATED) {
                if (g[0].equals("UM_TENANT")) continue;
                String table = g[0], id = g[1], tenant = tenantColumn(table);
                // 1..n with no gap and no repeat: what one sequence hands out when nothing was deleted.
                assertEquals(Rows.count(c, "SELECT COUNT(*) FROM " + table), Rows.count(c, "SELECT COUNT(DISTINCT " + id + ") FROM " + table), table);
                assertEquals(Rows.count(c, "SELECT COUNT(*) FROM " + table), Rows.count(c, "SELECT MAX(" + id + ") FROM " + table), table);
                for (int i = 1; i < CREATION_ORDER.size(); i++) {
                    long before = Rows.count(c, "SELECT COALESCE(MAX(" + id + "), 0) FROM " + table + " WHERE " + tenant + " = " + CREATION_ORDER.get(i - 1));
                    long first = Rows.count(c, "SELECT COALESCE(MIN(" + id + "), " + (before + 1) + ") FROM " + table + " WHERE " + tenant + " = " + CREATION_ORDER.get(i));
                    assertTrue(first > before, table + ": tenant " + CREATION_ORDER.get(i) + " starts at " + first + ", at or below " + before);
                }
            }
            // The super tenant, seeded first, keeps the ids 1, 2, ... the other tests name.
            assertEquals(1, Rows.count(c, "SELECT UM_ID FROM UM_USER WHERE UM_USER_NAME = 'admin' AND UM_TENANT_ID = -1234"));
            assertEquals(1, Rows.count(c, "SELECT UM_ID FROM UM_HYBRID_ROLE WHERE UM_ROLE_NAME = 'reviewers' AND UM_TENANT_ID = -1234"));
            assertEquals(3, Rows.count(c, "SELECT REG_PATH_ID FROM REG_PATH WHERE REG_PATH_VALUE = '/_system/config' AND REG_TENANT_ID = -1234"));
            assertReferencesResolve(c, engine);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void aTenantCreatedLaterTakesIdsAfterEveryTablesHighest(Engine engine) throws Exception {
        // Identity400Seeder's registry rows too: they continue the same counters and hang under /_system/config.
        TestDatabase db = Fixtures.identity40(engine, "seeder_later_" + engine.profile());
        int later = 1002;
        try (Connection c = db.connect()) {
            Map<String, Long> highest = new LinkedHashMap<>();
            for (String[] g : Carbon400Seeder.GENERATED) {
                if (!g[0].equals("UM_TENANT")) highest.put(g[0], Rows.count(c, "SELECT MAX(" + g[1] + ") FROM " + g[0]));
            }
            new Carbon400Seeder(c, 0, 2).seedTenantCreatedLater(later);
            for (String[] g : Carbon400Seeder.GENERATED) {
                if (g[0].equals("UM_TENANT")) continue;
                long first = Rows.count(c, "SELECT MIN(" + g[1] + ") FROM " + g[0] + " WHERE " + tenantColumn(g[0]) + " = " + later);
                assertEquals(highest.get(g[0]) + 1, first, g[0] + ": the later tenant's first id");
                assertEquals(Rows.count(c, "SELECT COUNT(*) FROM " + g[0]), Rows.count(c, "SELECT COUNT(DISTINCT " + g[1] + ") FROM " + g[0]), g[0]);
            }
            assertReferencesResolve(c, engine);
            // The generators moved on too: an insert without an id, as 4.0.x and 4.2.0 make, takes the next one.
            long users = Rows.count(c, "SELECT MAX(UM_ID) FROM UM_USER");
            try (var s = c.createStatement()) {
                s.executeUpdate("INSERT INTO UM_USER (UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME, UM_TENANT_ID)"
                        + " VALUES ('next', 'x', 's', " + (engine == Engine.MYSQL ? "0" : "FALSE") + ", CURRENT_TIMESTAMP, " + later + ")");
            }
            assertEquals(users + 1, Rows.count(c, "SELECT UM_ID FROM UM_USER WHERE UM_USER_NAME = 'next'"));
        }
    }

    private static void assertReferencesResolve(Connection c, Engine engine) throws Exception {
        for (String[] r : REFERENCES) {
            String from = tenantColumn(r[0]), to = tenantColumn(r[2]);
            long dangling = Rows.count(c, "SELECT COUNT(*) FROM " + r[0] + " f WHERE f." + r[1] + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                    + r[2] + " t WHERE t." + r[3] + " = f." + r[1] + " AND t." + to + " = f." + from + ")");
            assertEquals(0, dangling, r[0] + "." + r[1] + " naming no " + r[2] + " row of its tenant");
        }
        // Each parent is the path one level up, in the same tenant.
        assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM REG_PATH p JOIN REG_PATH parent ON parent.REG_PATH_ID = p.REG_PATH_PARENT_ID"
                + " AND parent.REG_TENANT_ID = p.REG_TENANT_ID WHERE parent.REG_PATH_VALUE <> CASE WHEN p.REG_PATH_VALUE = '/_system' THEN '/'"
                + " ELSE SUBSTRING(p.REG_PATH_VALUE, 1, LENGTH(p.REG_PATH_VALUE) - LENGTH(" + lastSegment(engine) + ") - 1) END"));
        assertEquals(Rows.count(c, "SELECT COUNT(*) FROM REG_PATH") - Rows.count(c, "SELECT COUNT(*) FROM REG_PATH WHERE REG_PATH_VALUE = '/'"),
                Rows.count(c, "SELECT COUNT(*) FROM REG_PATH WHERE REG_PATH_PARENT_ID IS NOT NULL"), "every path but the roots has a parent");
    }

    private static String tenantColumn(String table) {
        return table.startsWith("REG_") ? "REG_TENANT_ID" : "UM_TENANT_ID";
    }

    /** The part of REG_PATH_VALUE after its last '/', per engine. */
    private static String lastSegment(Engine engine) {
        return switch (engine) {
            case POSTGRESQL -> "regexp_replace(p.REG_PATH_VALUE, '^.*/', '')";
            case MYSQL -> "SUBSTRING_INDEX(p.REG_PATH_VALUE, '/', -1)";
            default -> "REGEXP_REPLACE(p.REG_PATH_VALUE, '^.*/', '')";
        };
    }
}
