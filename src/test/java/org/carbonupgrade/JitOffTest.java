package org.carbonupgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * The verifier's connections beside (the access check's reads) compile no plans: UM_HYBRID_USER_ROLE's parallel
 * grouping was JIT-compiled by the leader and each worker. Nor do they plan parallel workers, which cost more CPU than
 * they save beside other reads on two cores. Only that session; auto-commit stays as it was. The test database has JIT
 * on and two workers per gather for its sessions, whatever the server's defaults, so that the assertions can fail.
 */
class JitOffTest {
    @Test
    void aConnectionForReadsCompilesNoPlansPlansNoWorkersAndOnlyThatSession() throws Exception {
        TestDatabase db = TestDatabase.fresh(Engine.POSTGRESQL, "jit_reads_pg");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + db.name + " SET jit = on");
            s.execute("ALTER DATABASE " + db.name + " SET max_parallel_workers_per_gather = 2");
        }
        try (Connection c = db.connect()) {
            assertEquals("on", show(c, "jit"));
            assertSame(c, JitOff.forReads(c));
            assertTrue(c.getAutoCommit());
            assertEquals("off", show(c, "jit"), "the session compiles no plans");
            assertEquals("0", show(c, "max_parallel_workers_per_gather"), "the session plans no parallel workers");
            try (Connection other = db.connect()) {
                assertEquals("on", show(other, "jit"), "another session keeps the database's setting");
                assertEquals("2", show(other, "max_parallel_workers_per_gather"), "another session keeps the database's setting");
            }
        }
    }

    private static String show(Connection c, String setting) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
