package org.carbonupgrade.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.jvm.JdbcConnection;

import org.carbonupgrade.Engine;
import org.carbonupgrade.gate.GateSettings;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL the update's own session commits without waiting for the disk between the gate and the verification
 * (CommitFlush), and waits again from the verification on, so the commits that end a successful run flush all before
 * them. It also compiles no plans from the gate on (JitOff): the back-fills' chunk statements would otherwise be
 * JIT-compiled again for every chunk. Review (updateSQL) changes nothing, not even the session. Each test database has
 * JIT on for its sessions, whatever the server's default, so that the JIT assertions can fail.
 */
class CommitFlushTest {
    @Test
    void theChangesetsCommitWithoutWaitingAndTheVerificationWaitsAgain() throws Exception {
        TestDatabase db = jitOnByDefault(Fixtures.carbon40(Engine.POSTGRESQL, "flush_pg"));
        String[] midRun = new String[2];
        // Stopped after ten changesets: well past the gate, before the back-fills and the verification.
        Upgrade.of(db).run(l -> {
            l.update(10, new Contexts("carbon"), new LabelExpression());
            midRun[0] = setting(l, "synchronous_commit");
            midRun[1] = setting(l, "jit");
        });
        assertEquals("off", midRun[0], "between the gate and the verification the session does not wait for each commit's flush");
        assertEquals("off", midRun[1], "the update's session compiles no plans after the gate");

        String[] atEnd = new String[2];
        Upgrade.of(db).run(l -> {
            l.update(new Contexts("carbon"), new LabelExpression());
            atEnd[0] = setting(l, "synchronous_commit");
            atEnd[1] = setting(l, "jit");
        });
        assertEquals("on", atEnd[0], "from the verification on, commits wait for the disk again");
        assertEquals("off", atEnd[1], "the back-fills and everything after them run without JIT too");
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW jit")) {
            rs.next();
            assertEquals("on", rs.getString(1), "only the update's own session: a new session has the database's setting");
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM DATABASECHANGELOG WHERE ID = 'verify-upgrade'")) {
            rs.next();
            assertEquals(1, rs.getLong(1), "the run ended with the verification recorded");
        }
    }

    @Test
    void reviewLeavesTheSessionAsItWas() throws Exception {
        TestDatabase db = jitOnByDefault(Fixtures.carbon40(Engine.POSTGRESQL, "flush_review_pg"));
        String[] after = new String[2];
        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> {
            l.update(new Contexts("carbon"), new LabelExpression(), new StringWriter());
            after[0] = setting(l, "synchronous_commit");
            after[1] = setting(l, "jit");
        });
        assertEquals("on", after[0]);
        assertEquals("on", after[1]);
    }

    private static TestDatabase jitOnByDefault(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + db.name + " SET jit = on");
        }
        return db;
    }

    /** One of the update session's settings; the name is a constant of this test. */
    private static String setting(Liquibase liquibase, String name) throws Exception {
        Connection c = ((JdbcConnection) liquibase.getDatabase().getConnection()).getUnderlyingConnection();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
