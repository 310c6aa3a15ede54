package org.carbonupgrade.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL reads only the part of each realm configuration that can hold the first EveryOneRoleName match
 * (RealmNames.everyoneRolesCut): every tenant's name must be what matching its whole configuration gives.
 */
class RealmNamesCutTest {
    @Test
    void thePartGivesWhatTheWholeConfigurationGives() throws Exception {
        String[] configs = {
            null,
            "",
            "<Configuration><AdminRole>admin</AdminRole></Configuration>",
            "<Configuration><EveryOneRoleName>staff</EveryOneRoleName></Configuration>",
            "<EveryOneRoleName>  spaced name \t</EveryOneRoleName>",
            "<EveryOneRoleName></EveryOneRoleName><EveryOneRoleName>second</EveryOneRoleName>",
            // The first tag holds an element: no match there, the second one names the role (the whole configuration is read).
            "<EveryOneRoleName><x/></EveryOneRoleName><Other>y</Other><EveryOneRoleName>later</EveryOneRoleName>",
            "<EveryOneRoleName><x/></EveryOneRoleName>",
            "<EveryOneRoleName>unclosed",
            "<EveryOneRoleName>cut</EveryOneRoleN",
            "<EveryOneRoleName>",
            "prefix ünïcödé € <EveryOneRoleName>rôle-ü</EveryOneRoleName> tail",
            "<EveryOneRoleName>a<EveryOneRoleName>b</EveryOneRoleName>",
            "<everyonerolename>lower</everyonerolename>",
        };
        TestDatabase db = TestDatabase.fresh(Engine.POSTGRESQL, "realm_cut");
        try (Connection c = db.connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE UM_TENANT (UM_ID INTEGER PRIMARY KEY, UM_USER_CONFIG BYTEA)");
            }
            Map<Integer, String> expected = new TreeMap<>();
            expected.put(RealmNames.SUPER_TENANT, "everyone");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO UM_TENANT VALUES (?, ?)")) {
                for (int i = 0; i < configs.length; i++) {
                    byte[] bytes = configs[i] == null ? null : configs[i].getBytes(StandardCharsets.UTF_8);
                    ps.setInt(1, i + 1);
                    ps.setBytes(2, bytes);
                    ps.executeUpdate();
                    expected.put(i + 1, RealmNames.everyoneRoleIn(bytes));
                }
                // Bytes that are no UTF-8 before the tag.
                byte[] bad = concat(new byte[] {(byte) 0xE2, (byte) 0x82}, "<EveryOneRoleName>x</EveryOneRoleName>".getBytes(StandardCharsets.UTF_8));
                ps.setInt(1, 100);
                ps.setBytes(2, bad);
                ps.executeUpdate();
                expected.put(100, RealmNames.everyoneRoleIn(bad));
            }
            assertEquals("later", expected.get(7));
            assertEquals(expected, new RealmNames("everyone", "PRIMARY", null).everyoneRoleByTenant(c));
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
