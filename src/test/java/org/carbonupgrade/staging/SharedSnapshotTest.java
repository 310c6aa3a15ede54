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
 * MariaDB: the pass's second connection to production (SharedSnapshot) sees exactly the moment its own connection sees,
 * while production commits all the time; a backup lock held elsewhere makes the pass go on with one connection after a
 * few seconds instead of waiting for the backup, with its own transaction not started.
 */
class SharedSnapshotTest {
    private static final Engine MY = Engine.MYSQL;

    @Test
    void bothConnectionsSeeOneMomentWhileProductionCommitsAllTheTime() throws Exception {
        TestDatabase db = TestDatabase.fresh(MY, "shared_snapshot");
        try (Connection c = db.connect()) {
            Writes.update(c, "CREATE TABLE T (ID INT PRIMARY KEY) ENGINE=InnoDB");
        }
        // A writer committing one row per statement as fast as it can: two transactions started a moment apart differ.
        try (CommittingWriter writer = new CommittingWriter(db, i -> List.of("INSERT INTO T VALUES (" + i + ")"))) {
            writer.awaitMore(50);
            for (int round = 0; round < 25; round++) {
                try (Connection p = db.connect()) {
                    p.setReadOnly(true);
                    p.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                    p.setAutoCommit(false);
                    SharedSnapshot shared = SharedSnapshot.open(p, MY, db::connect, why -> fail("no shared snapshot: " + why));
                    assertNotNull(shared);
                    try (shared) {
                        long mine = rows(p);
                        long second = rows(shared.connection());
                        assertEquals(mine, second, "round " + round + ": the two connections see different moments");
                        writer.awaitMore(20);
                        // Production committed more meanwhile: both still read their moment.
                        assertEquals(mine, rows(p), "round " + round);
                        assertEquals(second, rows(shared.connection()), "round " + round);
                        try (Connection now = db.connect()) {
                            assertTrue(rows(now) > mine, "the writer went on: " + rows(now) + " rows now, " + mine + " in the snapshot");
                        }
                    }
                    p.rollback();
                }
            }
        }
    }

    @Test
    void aBackupLockHeldElsewhereMeansOneConnectionNotAWait() throws Exception {
        TestDatabase db = TestDatabase.fresh(MY, "shared_snapshot_backup");
        try (Connection backup = db.connect(); Connection p = db.connect()) {
            try (Statement s = backup.createStatement()) {
                s.execute("BACKUP STAGE START"); // as mariabackup holds it for the whole backup
            }
            p.setReadOnly(true);
            p.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            p.setAutoCommit(false);
            List<String> why = new ArrayList<>();
            long t0 = System.nanoTime();
            assertNull(SharedSnapshot.open(p, MY, db::connect, why::add));
            long waited = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(waited < (SharedSnapshot.LOCK_WAIT_SECONDS + 5) * 1000L, "waited " + waited + " ms for the backup lock");
            assertEquals(1, why.size(), why.toString());
            try (Statement s = backup.createStatement()) {
                s.execute("BACKUP STAGE END");
            }
        }
        assertNull(SharedSnapshot.open(null, Engine.POSTGRESQL, db::connect, reason -> fail(reason)), "MariaDB only");
    }

    private static long rows(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM T")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
