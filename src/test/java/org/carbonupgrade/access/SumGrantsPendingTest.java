package org.carbonupgrade.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * The verifier reads the role grants while UM_PERMISSION's hashes are still being read beside (AccessEquivalence): the
 * rows that come before the hashes are kept and summed once they are there. The groups, their counts, digests and order
 * are the same as when the hashes were there from the start, wherever the hashes arrive: before the first row, after
 * some rows, after the last; a grant whose permission has no UM_PERMISSION row is still left out.
 */
class SumGrantsPendingTest {
    @Test
    void theGroupsAreTheSameWhereverTheHashesArrive() throws Exception {
        // Tenant 1's role 'admin' in two domains, one row without a domain, one whose permission has no row (id 9).
        try (Connection c = grants(Engine.H2, "sum_grants_pending", "(1, -1234, '/permission', 'ui.execute'), (2, -1234, '/permission/admin', 'ui.execute'),"
                + " (1, 1, '/permission', 'ui.execute'), (3, 1, '/_system/governance', 'read')",
                "(1, -1234, 'admin', 1, 1, 1), (2, -1234, 'admin', 2, 1, 1), (3, 1, 'admin', 9, 1, 3), (4, 1, 'admin', 1, 0, 3),"
                + " (5, 1, 'admin', 3, 1, 4), (6, 1, 'everyone', 3, 1, NULL), (7, -1234, 'everyone', 1, 1, 2), (8, 1, 'admin', 1, 1, 4)")) {
            AccessSql sql = new AccessSql(c);
            PermissionHashes hashes = sql.permissionHashes();
            List<String> known = groups(sql, hashes, 0);
            assertEquals(5, known.size(), known.toString());
            assertTrue(known.stream().anyMatch(g -> g.startsWith("1 admin 3 count 1 ")), known.toString()); // the row of permission 9 left out
            for (int late : new int[] {1, 3, 7, 8, 100}) assertEquals(known, groups(sql, hashes, late), "hashes after " + late + " rows");
        }
    }

    /**
     * PostgreSQL: the names are looked up by the driver's bytes of them (no String decoded per row); names beyond ASCII,
     * names that differ only in case and a NULL name still make the same groups, with the expected size given or not.
     */
    @Test
    void namesLookedUpByTheirBytesGiveTheSameGroups() throws Exception {
        try (Connection c = grants(Engine.POSTGRESQL, "sum_grants_bytes", "(1, -1234, '/permission', 'ui.execute'), (2, -1234, '/permission/admin', 'ui.execute'),"
                + " (1, 1, '/permission', 'ui.execute'), (2, 1, '/_system/governance', 'read')",
                "(1, -1234, 'admin', 1, 1, 1), (2, -1234, 'rôle-ü €', 2, 1, 1), (3, 1, 'rôle-ü €', 1, 0, 3), (4, 1, 'admin', 2, 1, NULL),"
                + " (5, 1, NULL, 1, 1, 3), (6, 1, 'rôle-ü €', 2, 1, 3), (7, -1234, 'Admin', 2, 1, 1), (8, 1, NULL, 2, 1, 3)")) {
            AccessSql sql = new AccessSql(c);
            PermissionHashes hashes = sql.permissionHashes();
            Map<String, Long> counts = new TreeMap<>();
            for (int expected : new int[] {0, 1, 100}) {
                List<String> groups = new ArrayList<>();
                sql.sumGrants(AccessSql.roleGrantRows(true), true, hashes, expected, (tenant, name, domain, count, digest) -> {
                    groups.add(tenant + " " + name + " " + domain + " count " + count + " digest " + digest);
                    counts.put(tenant + " " + name + " " + domain, count);
                });
                assertEquals(6, groups.size(), groups.toString());
            }
            assertEquals(new TreeMap<>(Map.of("-1234 admin 1", 1L, "-1234 rôle-ü € 1", 1L, "1 rôle-ü € 3", 2L,
                    "1 admin null", 1L, "1 null 3", 2L, "-1234 Admin 1", 1L)), counts);
        }
    }

    /**
     * A fresh database's connection holding UM_PERMISSION and UM_ROLE_PERMISSION with the columns the grant reads take
     * (4.2.0's: UM_DOMAIN_ID), filled with these VALUES lists.
     */
    private static Connection grants(Engine engine, String name, String permissions, String rolePermissions) throws Exception {
        Connection c = TestDatabase.fresh(engine, name).connect();
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE UM_PERMISSION (UM_ID INTEGER, UM_TENANT_ID INTEGER, UM_RESOURCE_ID VARCHAR(255), UM_ACTION VARCHAR(255))");
            s.execute("CREATE TABLE UM_ROLE_PERMISSION (UM_ID INTEGER, UM_TENANT_ID INTEGER, UM_ROLE_NAME VARCHAR(255),"
                    + " UM_PERMISSION_ID INTEGER, UM_IS_ALLOWED SMALLINT, UM_DOMAIN_ID INTEGER)");
            s.execute("INSERT INTO UM_PERMISSION VALUES " + permissions);
            s.execute("INSERT INTO UM_ROLE_PERMISSION VALUES " + rolePermissions);
        }
        return c;
    }

    /** The groups summed with the hashes arriving only after {@code late} rows were read (0: there from the start). */
    private static List<String> groups(AccessSql sql, PermissionHashes hashes, int late) throws SQLException {
        int[] asked = {0};
        List<String> out = new ArrayList<>();
        sql.sumGrants("SELECT rp.UM_TENANT_ID, rp.UM_ROLE_NAME, rp.UM_PERMISSION_ID, rp.UM_IS_ALLOWED, rp.UM_DOMAIN_ID FROM UM_ROLE_PERMISSION rp ORDER BY rp.UM_ID",
                true, new AccessSql.PendingHashes() {
                    @Override
                    public PermissionHashes now() {
                        return asked[0]++ < late ? null : hashes;
                    }

                    @Override
                    public PermissionHashes await() {
                        return hashes;
                    }
                }, (tenant, name, domain, count, digest) -> out.add(tenant + " " + name + " " + domain + " count " + count + " digest " + digest));
        return out;
    }
}
