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
 * grouping was JIT-compiled by the leader and each worker. Only that session; auto-commit stays as it was. The test
 * database has JIT on for its sessions, whatever the server's default, so that the assertion can fail.
 */
class JitOffTest {
    @Test
    void aConnectionForReadsCompilesNoPlansAndOnlyThatSession() throws Exception {
        TestDatabase db = TestDatabase.fresh(Engine.POSTGRESQL, "jit_reads_pg");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + db.name + " SET jit = on");
        }
        try (Connection c = db.connect()) {
            assertEquals("on", jit(c));
            assertSame(c, JitOff.forReads(c));
            assertTrue(c.getAutoCommit());
            assertEquals("off", jit(c), "the session compiles no plans");
            try (Connection other = db.connect()) {
                assertEquals("on", jit(other), "another session keeps the database's setting");
            }
        }
    }

    private static String jit(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW jit")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
