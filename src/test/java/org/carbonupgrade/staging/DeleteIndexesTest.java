package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.carbonupgrade.Engine;
import org.carbonupgrade.ReadBeside;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.RunSettings;
import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL, on a Carbon 4.0.0 database from the shared fixtures: UM_USER_ATTRIBUTE's foreign key to UM_USER has no
 * index of its own, so a pass deleting many users gets one; UM_USER_ROLE's unique key starts with UM_USER_ID, which
 * serves its key (the planner uses it for the check PostgreSQL runs per deleted user); once indexed, a foreign key gets
 * no second one; few deletes get none; the index goes with a drop or with the transaction's rollback, leaving the schema
 * as it was; built on a second connection it is committed, and a pass killed before dropping it leaves it for the next
 * pass to drop.
 */
class DeleteIndexesTest {
    @Test
    void anUnindexedForeignKeyIsIndexedOnlyInsideThePass() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.POSTGRESQL, "deleteindexes_postgresql");
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            assertEquals(List.of(), DeleteIndexes.create(c, Engine.POSTGRESQL, "UM_USER", DeleteIndexes.MIN_DELETES - 1, 0), "few deletes");
            assertEquals(0, temporary(c, "um_user_attribute"));

            List<String> created = DeleteIndexes.create(c, Engine.POSTGRESQL, "UM_USER", DeleteIndexes.MIN_DELETES, 0);
            assertEquals(1, temporary(c, "um_user_attribute"), "created: " + created);
            assertEquals(0, temporary(c, "um_user_role"), "UM_USER_ROLE's unique key (UM_USER_ID, UM_ROLE_ID, UM_TENANT_ID) serves: " + created);
            // Every foreign key to UM_USER can now be checked through an index: the planner, barred from reading a table
            // whole where it has another way, finds a user's rows of each child by an index on UM_USER_ID for the query
            // PostgreSQL runs per deleted user.
            for (String child : List.of("um_user_attribute", "um_user_role")) {
                String plan = plan(c, "SELECT 1 FROM ONLY " + child + " x WHERE 7 = um_user_id AND 1 = um_tenant_id FOR KEY SHARE OF x");
                assertTrue(byUserId(plan), child + ": " + plan);
            }
            assertEquals(List.of(), DeleteIndexes.create(c, Engine.POSTGRESQL, "UM_USER", 1000, 1), "now indexed: nothing more");
            DeleteIndexes.drop(c, created);
            assertEquals(0, temporary(c, "um_user_attribute"), "dropped");
            String without = plan(c, "SELECT 1 FROM ONLY um_user_attribute x WHERE 7 = um_user_id AND 1 = um_tenant_id FOR KEY SHARE OF x");
            assertFalse(byUserId(without), "without it no index finds a user's attributes: " + without);

            assertTrue(!DeleteIndexes.create(c, Engine.POSTGRESQL, "UM_USER", 1000, 2).isEmpty());
            c.rollback();
            assertEquals(0, temporary(c, "um_user_attribute"), "rolled back with the pass's transaction");
            assertEquals(List.of(), DeleteIndexes.create(c, Engine.MYSQL, "UM_USER", 1000, 3), "MySQL/MariaDB index every foreign key");
            c.rollback();
        }
    }

    @Test
    void anIndexBuiltBesideIsCommittedAndALeftoverIsDroppedByTheNextPass() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.POSTGRESQL, "deleteindexes_beside_postgresql");
        // A second connection reaches staging through the profile's settings, as under Maven (-Dliquibase.url).
        RunSettings.pointingAt(db, () -> {
            try (Connection c = db.connect()) {
                assertEquals(null, DeleteIndexes.startBeside(c, Engine.POSTGRESQL, "UM_USER", DeleteIndexes.MIN_DELETES - 1, 0), "few deletes");
                List<String> built;
                try (ReadBeside<List<String>> beside = DeleteIndexes.startBeside(c, Engine.POSTGRESQL, "UM_USER", DeleteIndexes.MIN_DELETES, 0)) {
                    assertNotNull(beside, "a second connection reaches the database");
                    built = beside.await();
                }
                assertEquals(1, built.size(), built.toString());
                c.setAutoCommit(false);
                assertEquals(1, temporary(c, "um_user_attribute"), "committed by the second connection: visible here");
                c.rollback();
                // The pass was killed before its own transaction dropped it: the next pass drops it before anything else.
                assertEquals(built.stream().map(String::toLowerCase).toList(), DeleteIndexes.dropLeftovers(c, Engine.POSTGRESQL));
                assertEquals(0, temporary(c, "um_user_attribute"), "dropped as a leftover");
                assertEquals(List.of(), DeleteIndexes.dropLeftovers(c, Engine.POSTGRESQL), "nothing left");
            }
            return null;
        });
    }

    private static String plan(Connection c, String sql) throws Exception {
        StringBuilder plan = new StringBuilder();
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL enable_seqscan = off");
            try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
                while (rs.next()) plan.append(rs.getString(1)).append('\n');
            }
            s.execute("SET LOCAL enable_seqscan = on");
        }
        return plan.toString();
    }

    /** Whether the plan finds rows by an index condition on UM_USER_ID (not a whole table or whole index read). */
    private static boolean byUserId(String plan) {
        return plan.lines().anyMatch(l -> l.contains("Index Cond:") && l.contains("um_user_id"));
    }

    private static long temporary(Connection c, String table) throws Exception {
        return Writes.single(c, "SELECT COUNT(*) FROM pg_indexes WHERE tablename = '" + table + "' AND indexname LIKE 'carbon_upgrade_tmp_fk%'");
    }
}
