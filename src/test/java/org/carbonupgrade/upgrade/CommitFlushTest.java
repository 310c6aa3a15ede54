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
 * them. Review (updateSQL) changes nothing, not even the session.
 */
class CommitFlushTest {
    @Test
    void theChangesetsCommitWithoutWaitingAndTheVerificationWaitsAgain() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.POSTGRESQL, "flush_pg");
        String[] midRun = new String[1];
        // Stopped after ten changesets: well past the gate, before the verification.
        Upgrade.of(db).run(l -> {
            l.update(10, new Contexts("carbon"), new LabelExpression());
            midRun[0] = synchronousCommit(l);
        });
        assertEquals("off", midRun[0], "between the gate and the verification the session does not wait for each commit's flush");

        String[] atEnd = new String[1];
        Upgrade.of(db).run(l -> {
            l.update(new Contexts("carbon"), new LabelExpression());
            atEnd[0] = synchronousCommit(l);
        });
        assertEquals("on", atEnd[0], "from the verification on, commits wait for the disk again");
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM DATABASECHANGELOG WHERE ID = 'verify-upgrade'")) {
            rs.next();
            assertEquals(1, rs.getLong(1), "the run ended with the verification recorded");
        }
    }

    @Test
    void reviewLeavesTheSessionAsItWas() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.POSTGRESQL, "flush_review_pg");
        String[] after = new String[1];
        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> {
            l.update(new Contexts("carbon"), new LabelExpression(), new StringWriter());
            after[0] = synchronousCommit(l);
        });
        assertEquals("on", after[0]);
    }

    private static String synchronousCommit(Liquibase liquibase) throws Exception {
        Connection c = ((JdbcConnection) liquibase.getDatabase().getConnection()).getUnderlyingConnection();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
