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
 * On PostgreSQL the update's own session runs without JIT compilation from the gate on (JitOff): the back-fills' chunk
 * statements would otherwise be compiled again for every chunk. Review (updateSQL) leaves the session as it was.
 * Each test database has JIT on for its sessions, whatever the server's default, so that the tests can fail.
 */
class JitOffTest {
    @Test
    void theUpdateSessionRunsWithoutJitFromTheGateOn() throws Exception {
        TestDatabase db = jitOnByDefault(Fixtures.carbon40(Engine.POSTGRESQL, "jit_pg"));
        String[] midRun = new String[1];
        // Stopped after ten changesets: past the gate, before the back-fills.
        Upgrade.of(db).run(l -> {
            l.update(10, new Contexts("carbon"), new LabelExpression());
            midRun[0] = jit(l);
        });
        assertEquals("off", midRun[0], "the update's session compiles no plans after the gate");

        String[] atEnd = new String[1];
        Upgrade.of(db).run(l -> {
            l.update(new Contexts("carbon"), new LabelExpression());
            atEnd[0] = jit(l);
        });
        assertEquals("off", atEnd[0], "the back-fills and everything after them run without JIT too");
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW jit")) {
            rs.next();
            assertEquals("on", rs.getString(1), "only the update's own session: a new session has the database's setting");
        }
    }

    @Test
    void reviewLeavesTheSessionAsItWas() throws Exception {
        TestDatabase db = jitOnByDefault(Fixtures.carbon40(Engine.POSTGRESQL, "jit_review_pg"));
        String[] after = new String[1];
        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> {
            l.update(new Contexts("carbon"), new LabelExpression(), new StringWriter());
            after[0] = jit(l);
        });
        assertEquals("on", after[0]);
    }

    private static TestDatabase jitOnByDefault(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + db.name + " SET jit = on");
        }
        return db;
    }

    private static String jit(Liquibase liquibase) throws Exception {
        Connection c = ((JdbcConnection) liquibase.getDatabase().getConnection()).getUnderlyingConnection();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW jit")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
