package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL: the pass's other connections to production (ExportedSnapshot) read exactly the snapshot of its own
 * transaction while production commits all the time, the rows written since an xmin included (what XminScan reads on
 * them); a connection not in a repeatable-read transaction gets none, with the reason.
 */
class ExportedSnapshotTest {
    private static final Engine PG = Engine.POSTGRESQL;

    @Test
    void everyConnectionReadsThePassSnapshotWhileProductionCommitsAllTheTime() throws Exception {
        TestDatabase db = TestDatabase.fresh(PG, "exported_snapshot");
        try (Connection c = db.connect()) {
            Writes.update(c, "CREATE TABLE T (ID INT PRIMARY KEY, V INT)");
        }
        // A writer committing an insert and an update of an older row without pause: two snapshots a moment apart differ,
        // in rows and in the xmins of rows.
        try (CommittingWriter writer = new CommittingWriter(db, i -> List.of("INSERT INTO T VALUES (" + i + ", 0)",
                "UPDATE T SET V = V + 1 WHERE ID = " + (i / 2 + 1)))) {
            writer.awaitMore(50);
            for (int round = 0; round < 25; round++) {
                try (Connection p = db.connect()) {
                    p.setReadOnly(true);
                    p.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                    p.setAutoCommit(false);
                    // The pass's transaction takes its snapshot with its first statement (XminScan.current).
                    long since = Long.parseLong(text(p, "SELECT pg_snapshot_xmin(pg_current_snapshot())::text")) - 30;
                    String mine = rows(p, since);
                    writer.awaitMore(20);
                    ExportedSnapshot exported = ExportedSnapshot.open(p, PG, db::connect, 2, why -> fail("no exported snapshot: " + why));
                    assertNotNull(exported);
                    try (exported) {
                        assertEquals(2, exported.connections().size());
                        for (Connection other : exported.connections()) {
                            assertEquals(mine, rows(other, since), "round " + round + ": another connection reads another moment");
                            assertEquals(text(p, "SELECT pg_current_snapshot()::text"), text(other, "SELECT pg_current_snapshot()::text"));
                            // They read beside the pass's own work (production's access snapshot): serial plans, no JIT.
                            assertEquals("0", text(other, "SHOW max_parallel_workers_per_gather"));
                            assertEquals("off", text(other, "SHOW jit"));
                        }
                        writer.awaitMore(20);
                        for (Connection other : exported.connections()) assertEquals(mine, rows(other, since), "round " + round);
                        assertEquals(mine, rows(p, since), "round " + round);
                        try (Connection now = db.connect()) {
                            assertTrue(!rows(now, since).equals(mine), "the writer went on: " + rows(now, since) + " now, " + mine + " in the snapshot");
                        }
                    }
                    p.rollback();
                }
            }
        }
    }

    @Test
    void noRepeatableReadTransactionNoOtherConnections() throws Exception {
        TestDatabase db = TestDatabase.fresh(PG, "exported_snapshot_none");
        List<String> why = new ArrayList<>();
        try (Connection p = db.connect()) {
            assertTrue(p.getAutoCommit());
            assertNull(ExportedSnapshot.open(p, PG, db::connect, 1, why::add));
            assertEquals(1, why.size(), why.toString());
            assertTrue(why.get(0).contains("repeatable-read"), why.toString());
        }
        assertNull(ExportedSnapshot.open(null, Engine.MYSQL, db::connect, 1, reason -> fail(reason)), "PostgreSQL only");
        assertNull(ExportedSnapshot.open(null, PG, null, 1, reason -> fail(reason)), "no connector: one connection");
    }

    /** Rows, rows written at or after {@code since}, and the sum of V: what one snapshot reads. */
    private static String rows(Connection c, long since) throws Exception {
        String xid = Long.toString(since & 0xFFFFFFFFL);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(*) FILTER (WHERE age(xmin) <= age('" + xid
                + "'::xid)), COALESCE(SUM(V), 0) FROM T")) {
            rs.next();
            return rs.getLong(1) + " rows, " + rs.getLong(2) + " written since, V summing to " + rs.getLong(3);
        }
    }

    private static String text(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
