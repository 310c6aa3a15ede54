package org.carbonupgrade.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.carbonupgrade.Engine;
import org.carbonupgrade.access.AccessSnapshot;
import org.carbonupgrade.access.HybridRowsSeen;
import org.carbonupgrade.access.RealmNames;
import org.carbonupgrade.schema.SchemaReader;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.SeededIds;
import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With the access snapshot beside it, the gate's data precheck checks UM_HYBRID_USER_ROLE from the snapshot's own passes
 * over that table (HybridRowsSeen) instead of a pass of its own: it must refuse exactly what its own pass refuses
 * (that the snapshot still holds every membership, and the gate passes alike, is SnapshotBesideTest's).
 */
class SharedHybridPassTest {
    private static final RealmNames ONLY_FOO = new RealmNames("everyone", "PRIMARY", List.of("FOO"));

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void fromTheSnapshotsPassesThePrecheckRefusesWhatItsOwnPassRefuses(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "shared_pass_" + engine.profile());
        int reviewers;
        try (Connection c = db.connect()) {
            reviewers = SeededIds.hybridRole(c, 1, "reviewers");
        }
        // An unlisted prefix; rows of a tenant with no UM_TENANT row, one prefixed (seen among the snapshot's prefixed rows)
        // and one not (read by tenant); where the key has no domain (PostgreSQL) the plain twin of FOO/alice; where names
        // keep their case (not MySQL's key) a name colliding with FOO/alice once stripped.
        List<String> rows = new ArrayList<>(List.of(
                "INSERT INTO UM_HYBRID_USER_ROLE (UM_ID, UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID) VALUES (900, 'BAR/bob', " + reviewers + ", 1)",
                "INSERT INTO UM_HYBRID_ROLE (UM_ID, UM_ROLE_NAME, UM_TENANT_ID) VALUES (1, 'ghosts', 99)",
                "INSERT INTO UM_HYBRID_USER_ROLE (UM_ID, UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID) VALUES (1, 'ghost', 1, 99)",
                "INSERT INTO UM_HYBRID_USER_ROLE (UM_ID, UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID) VALUES (2, 'FOO/ghost', 1, 99)"));
        if (engine == Engine.POSTGRESQL) {
            rows.add("INSERT INTO UM_HYBRID_USER_ROLE (UM_ID, UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID) VALUES (901, 'alice', " + reviewers + ", 1)");
        }
        if (engine != Engine.MYSQL) {
            rows.add("INSERT INTO UM_HYBRID_USER_ROLE (UM_ID, UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID) VALUES (902, 'foo/alice', " + reviewers + ", 1)");
        }
        GateTest.execute(db, rows.toArray(String[]::new));

        try (Connection c = db.connect()) {
            Map<String, String> tables = new SchemaReader(c).tableNames();
            List<String> ownRefusals = new ArrayList<>();
            List<String> ownWarnings = new ArrayList<>();
            DataPrecheck.check(c, engine, tables, ONLY_FOO, ownRefusals, ownWarnings);

            HybridRowsSeen seen = AccessSnapshot.takeWhole(c, ONLY_FOO).takeHybridRowsSeen();
            assertNotNull(seen);
            assertEquals(Map.of(99, 2L), seen.rowsOfUnknownTenants());
            List<String> sharedRefusals = new ArrayList<>();
            List<String> sharedWarnings = new ArrayList<>();
            DataPrecheck.start(c, engine, tables, ONLY_FOO, sharedRefusals, sharedWarnings).finish(seen);

            String own = String.join("\n", ownRefusals);
            assertTrue(own.contains("2 rows of UM_HYBRID_USER_ROLE belong to tenant ids with no UM_TENANT row [99]")
                    && own.contains("tenant 99 role id 1 'ghost'") && own.contains("tenant 99 role id 1 'FOO/ghost'"), own);
            assertTrue(own.contains("1 rows of UM_HYBRID_USER_ROLE carry a user-store domain prefix [BAR]") && own.contains("'BAR/bob'"), own);
            if (engine == Engine.POSTGRESQL) {
                assertTrue(own.contains("tenant 1 role id " + reviewers + ": ['FOO/alice', 'foo/alice', 'alice', 'alice']"), own);
            } else if (engine == Engine.H2) {
                assertTrue(own.contains("tenant 1 role id " + reviewers + ": ['FOO/alice', 'foo/alice']"), own);
            }
            assertEquals(ownRefusals.size(), sharedRefusals.size(), own + "\n----\n" + String.join("\n", sharedRefusals));
            for (int i = 0; i < ownRefusals.size(); i++) {
                assertEquals(listedInAnyOrder(ownRefusals.get(i)), listedInAnyOrder(sharedRefusals.get(i)));
            }
            assertEquals(ownWarnings, sharedWarnings);
        }
    }

    /** A refusal's lists ("First rows: a; b", "['x', 'y']") name the same rows in either pass's order. */
    private static List<String> listedInAnyOrder(String refusal) {
        List<String> parts = new ArrayList<>(Arrays.asList(refusal.replaceAll("[\\[\\]]", "").split("[;:,.]\\s")));
        parts.sort(null);
        return parts;
    }
}
