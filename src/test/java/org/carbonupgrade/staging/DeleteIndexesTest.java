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

    /**
     * A pass that knows the users it deletes: the index holds only those users' attribute rows, and PostgreSQL's check of
     * each deleted user finds them through it. 130 users: more than the 100 values the planner expands from one list
     * (predtest.c), so it proves the predicate through its halves. Unknown or too many keys, or keys of text: a whole index.
     */
    @Test
    void knownDeletedKeysGetAnIndexOfTheirRowsOnlyThatTheChecksUse() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.POSTGRESQL, "deleteindexes_keys_postgresql");
        int leavers = 130;
        List<String> keyColumns = List.of("UM_ID", "UM_TENANT_ID");
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            List<String> keys = new java.util.ArrayList<>();
            for (int n = 0; n < leavers; n++) {
                // 4.0.x JDBCUserStoreManager.doAddUser (amum0611/kernel @ 2f646275, core/org.wso2.carbon.user.core/src/main/java/
                // org/wso2/carbon/user/core/jdbc/JDBCUserStoreManager.java): UM_USER, persistUser's everyone role row
                // (JDBCRealmConstants.ADD_ROLE_TO_USER_SQL), then the user's claims as UM_USER_ATTRIBUTE rows.
                Writes.update(c, "INSERT INTO UM_USER (UM_ID, UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME,"
                        + " UM_TENANT_ID) VALUES (?, ?, 'c2VjcmV0', 'salt', ?, ?, 1)", 700 + n, "leaver" + n, false, Writes.WHEN);
                Writes.update(c, "INSERT INTO UM_USER_ROLE (UM_ROLE_ID, UM_USER_ID, UM_TENANT_ID) VALUES ((SELECT UM_ID FROM UM_ROLE WHERE UM_ROLE_NAME=?"
                        + " AND UM_TENANT_ID=?),(SELECT UM_ID FROM UM_USER WHERE UM_USER_NAME=? AND UM_TENANT_ID=?), ?)", "everyone", 1, "leaver" + n, 1, 1);
                Writes.update(c, "INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID)"
                        + " VALUES (?, 'mail', ?, 'default', ?, 1)", 900 + n, "leaver" + n + "@example.com", 700 + n);
                keys.add((700 + n) + "|1");
            }
            List<String> created = DeleteIndexes.create(c, Engine.POSTGRESQL, "UM_USER", keyColumns, keys, 0);
            assertEquals(1, created.size(), created.toString());
            String index = "'" + created.get(0).toLowerCase(java.util.Locale.ROOT) + "'::regclass";
            assertEquals(1, Writes.single(c, "SELECT COUNT(*) FROM pg_index WHERE indexrelid = " + index + " AND indpred IS NOT NULL"), "partial");
            assertEquals(leavers, Writes.single(c, "SELECT reltuples::bigint FROM pg_class WHERE oid = " + index), "the leavers' attribute rows only");
            assertEquals(1, temporary(c, "um_user_attribute"), "it does not serve other keys: no second index for them");

            try (Statement s = c.createStatement()) {
                // The fixture's tables are small: barred from reading them whole, the planner shows which index it can use.
                s.execute("SET LOCAL enable_seqscan = off");
            }
            // 4.0.x doDeleteUser's statements (Writes.deleteUser), in one transaction: every leaver's role and attribute rows,
            // then the users, so the index scans counted in between are the user deletes' foreign-key checks alone.
            for (int n = 0; n < leavers; n++) Writes.deleteUserRows(c, 1, "leaver" + n);
            long scans = Writes.single(c, "SELECT pg_stat_get_xact_numscans(" + index + ")");
            for (int n = 0; n < leavers; n++) Writes.deleteUserItself(c, 1, "leaver" + n);
            assertEquals(leavers, Writes.single(c, "SELECT pg_stat_get_xact_numscans(" + index + ")") - scans,
                    "the check of each deleted user read its attribute rows through the index");
            c.rollback();

            List<String> many = new java.util.ArrayList<>();
            for (int n = 0; n <= DeleteIndexes.MAX_PARTIAL_KEYS; n++) many.add(n + "|1");
            assertEquals(null, DeleteIndexes.predicate("um_user_id", "integer", "um_id", keyColumns, many), "too many keys");
            assertEquals(null, DeleteIndexes.predicate("um_user_id", "integer", "um_id", keyColumns, null), "keys unknown");
            assertEquals(null, DeleteIndexes.predicate("um_user_name", "character varying", "um_user_name", List.of("UM_USER_NAME"), List.of("a")),
                    "text keys");
            assertEquals(null, DeleteIndexes.predicate("um_user_id", "integer", "um_id", keyColumns, List.of("7|1", "3000000000|1")),
                    "a value the column cannot hold");
            assertEquals("um_user_id = '7'::integer", DeleteIndexes.predicate("um_user_id", "integer", "um_id", keyColumns, List.of("7|1", "7|2")));
        }
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
