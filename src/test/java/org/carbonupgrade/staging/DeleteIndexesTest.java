package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.List;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL, on a Carbon 4.0.0 database from the shared fixtures: UM_USER_ATTRIBUTE's foreign key to UM_USER has no
 * index of its own (nor does UM_USER_ROLE's, whose unique key starts with UM_USER_ID, UM_ROLE_ID), so a pass deleting
 * many users gets one each, inside its transaction only; once indexed, a foreign key gets no second one; few deletes
 * get none; the index goes with a drop or with the transaction's rollback (a killed pass), leaving the schema as it was.
 */
class DeleteIndexesTest {
    @Test
    void anUnindexedForeignKeyIsIndexedOnlyInsideThePass() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.POSTGRESQL, "deleteindexes_postgresql");
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            assertEquals(List.of(), DeleteIndexes.create(c, Engine.POSTGRESQL, "UM_USER", DeleteIndexes.MIN_DELETES - 1, 0), "few deletes");
            assertEquals(0, temporary(c, "um_user_role"));

            List<String> created = DeleteIndexes.create(c, Engine.POSTGRESQL, "UM_USER", DeleteIndexes.MIN_DELETES, 0);
            assertEquals(1, temporary(c, "um_user_attribute"), "created: " + created);
            // UM_USER_ROLE's unique key (UM_USER_ID, UM_ROLE_ID, UM_TENANT_ID) serves only the key's first column.
            assertEquals(1, temporary(c, "um_user_role"), "created: " + created);
            assertEquals(List.of(), DeleteIndexes.create(c, Engine.POSTGRESQL, "UM_USER", 1000, 1), "now indexed: nothing more");
            DeleteIndexes.drop(c, created);
            assertEquals(0, temporary(c, "um_user_attribute"), "dropped");

            assertTrue(!DeleteIndexes.create(c, Engine.POSTGRESQL, "UM_USER", 1000, 2).isEmpty());
            c.rollback();
            assertEquals(0, temporary(c, "um_user_attribute"), "rolled back with the pass's transaction");
            assertEquals(List.of(), DeleteIndexes.create(c, Engine.MYSQL, "UM_USER", 1000, 3), "MySQL/MariaDB index every foreign key");
            c.rollback();
        }
    }

    private static long temporary(Connection c, String table) throws Exception {
        return Writes.single(c, "SELECT COUNT(*) FROM pg_indexes WHERE tablename = '" + table + "' AND indexname LIKE 'carbon_upgrade_tmp_fk%'");
    }
}
