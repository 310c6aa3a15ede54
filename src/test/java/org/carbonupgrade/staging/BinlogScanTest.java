package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.carbonupgrade.ConnectionSettings;
import org.carbonupgrade.Engine;
import org.carbonupgrade.support.SeededIds;
import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * MariaDB: production's changes found from its binary log (BinlogScan) are exactly those the hashing scan of every row
 * finds (ChangeScan), for the writes 4.0.x makes (inserts, updates, deletes in every kind of table, a new tenant with
 * its users, secondary-store users, the everyone role), a row updated to the same values, a delete and an insert in
 * one bucket, a key moved to another bucket, staging's own writes to tables of the same names, and a transaction running
 * while a pass takes its snapshot and committing after it. Every fallback is logged and its pass still applies
 * production's change; each records a position the next pass reads from.
 */
class BinlogScanTest {
    private static final Engine MY = Engine.MYSQL;
    private static final String BY_BINLOG = "reading only the rows its binary log names";

    @Test
    void theBucketsTheBinaryLogNamesHoldEveryChangeTheHashScanFinds() throws Exception {
        StagedPair pair = StagedPair.copied(MY, "binlog");
        BinlogScan.Mark staged;
        try (Connection s = pair.staging.connect()) {
            staged = BinlogScan.recorded(s);
        }
        assertNotNull(staged, "the copy records production's binary log position");
        assertTrue(staged.fileStarted() > 0, staged.toString());
        snapshotPositionIsTheSnapshots(pair);

        int attribute, mailOf4, deleted;
        try (Connection p = pair.production.connect()) {
            attribute = SeededIds.attribute(p, 1, "user2", "mail");
            mailOf4 = SeededIds.attribute(p, 1, "user4", "mail");
            deleted = SeededIds.attribute(p, 1, "user3", "mail");
        }
        // A transaction running while the first pass takes its snapshot, committed after that pass.
        try (Connection running = pair.production.connect()) {
            running.setAutoCommit(false);
            Writes.update(running, "INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID)"
                    + " VALUES (?, 'nickName', 'late', 'default', ?, 1)", SeededIds.next(running, "UM_USER_ATTRIBUTE", "UM_ID") + 100,
                    userOf(running, deleted)); // not user2, whose row production updates meanwhile (this insert holds a lock on it)
            try (Connection p = pair.production.connect(); Connection s = pair.staging.connect()) {
                Writes.production(p);
                Writes.stagingOwn(s); // staging's own rows: tables of the same names in another database
            }
            Map<String, String> first = bothScans(pair);
            assertEquals("INSERT", first.get("UM_USER 50|1"), first.toString());
            assertTrue(first.keySet().stream().anyMatch(k -> k.startsWith("UM_TENANT ") && k.contains(Writes.NEW_TENANT + "")), first.toString());
            assertTrue(first.containsValue("DELETE") && first.containsValue("UPDATE"), first.toString());
            String log = pass(pair, true);
            assertTrue(log.contains(BY_BINLOG), log);
            running.commit();
        }
        try (Connection s = pair.staging.connect()) {
            BinlogScan.Mark afterFirst = BinlogScan.recorded(s);
            assertTrue(BinlogScan.compare(afterFirst.file(), afterFirst.position(), staged.file(), staged.position()) > 0,
                    "the applied pass recorded its own position: " + afterFirst + " after " + staged);
        }

        int sameBucket, moved;
        try (Connection p = pair.production.connect()) {
            Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'second' WHERE UM_ID = ? AND UM_TENANT_ID = 1", attribute);
            Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'third' WHERE UM_ID = ? AND UM_TENANT_ID = 1", attribute);
            // written again with the values it has: a rows event, no change
            Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = UM_ATTR_VALUE WHERE UM_ID = ? AND UM_TENANT_ID = 1", mailOf4);
            // a delete and an insert in one bucket: the table's row count stays as it was
            Writes.update(p, "DELETE FROM UM_USER_ATTRIBUTE WHERE UM_ID = ? AND UM_TENANT_ID = 1", deleted);
            sameBucket = freeIdInBucketOf(pair, p, deleted);
            Writes.update(p, "INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID)"
                    + " VALUES (?, 'nickName', 'same bucket', 'default', ?, 1)", sameBucket, userOf(p, attribute));
            // a key moved far away (another bucket): its old key deleted, its new one inserted
            moved = SeededIds.next(p, "UM_USER_ATTRIBUTE", "UM_ID") + 5_000;
            Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ID = ? WHERE UM_ID = ? AND UM_TENANT_ID = 1", moved, mailOf4);
        }
        Map<String, String> second = bothScans(pair);
        assertEquals("UPDATE", second.get("UM_USER_ATTRIBUTE " + attribute + "|1"), second.toString());
        assertEquals("DELETE", second.get("UM_USER_ATTRIBUTE " + deleted + "|1"), second.toString());
        assertEquals("INSERT", second.get("UM_USER_ATTRIBUTE " + sameBucket + "|1"), second.toString());
        assertEquals("DELETE", second.get("UM_USER_ATTRIBUTE " + mailOf4 + "|1"), second.toString());
        assertEquals("INSERT", second.get("UM_USER_ATTRIBUTE " + moved + "|1"), second.toString());
        assertEquals(6, second.size(), "late row, twice updated, deleted, inserted in its bucket, moved (two keys): " + second);
        String log = pass(pair, true);
        assertTrue(log.contains(BY_BINLOG), log);
        try (Connection s = pair.staging.connect()) {
            assertEquals("third", text(s, "SELECT UM_ATTR_VALUE FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + attribute + " AND UM_TENANT_ID = 1"));
            assertEquals(1, Writes.single(s, "SELECT COUNT(*) FROM UM_USER_ATTRIBUTE WHERE UM_ATTR_VALUE = 'late'"));
            assertEquals(1, Writes.single(s, "SELECT COUNT(*) FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + moved + " AND UM_TENANT_ID = 1"));
        }
        assertEquals(Map.of(), bothScans(pair), "after the pass nothing is left, by either scan");
        log = pass(pair, true);
        assertTrue(log.contains(BY_BINLOG) && log.contains("applied 0 production rows"), log);
    }

    /**
     * The binary log's ids, not whole buckets: production's rows and 'P' base rows are read at exactly the first key values
     * the row images name, and find an update, an insert, a delete, a second row of one id (a composite key: the stage
     * allows up to 4 rows per id), then that row deleted beside an update of its id's other row, and a key whose id
     * changed; the table's row count stays right (bothScans: equal to the hashing scan's, kind, base row and hash per key).
     * The ids are exactly those of the rows written, before and after images both.
     */
    @Test
    void theBinaryLogsIdsAreReadExactlyAndFindEveryChange() throws Exception {
        StagedPair pair = StagedPair.copied(MY, "binlogids");
        IdWrites w;
        try (Connection p = pair.production.connect()) {
            w = IdWrites.first(p, "new");
        }
        Map<String, Set<Long>> ids = new HashMap<>();
        Map<String, String> first = bothScans(pair, ids);
        assertEquals(w.firstIds(), ids.get("UM_USER_ATTRIBUTE"));
        assertEquals(w.firstChanges(), first);
        String log = pass(pair, true);
        assertTrue(log.contains(BY_BINLOG) && log.contains("; 4 ids, ") && log.contains("P rows at the binary log's ids"), log);
        // Both sides' base rows were read on a second staging connection (IdBaseBeside), and the pass applied what the scans found.
        assertTrue(log.contains("P base rows at the binary log's ids (read beside, waited for)")
                && log.contains("S base rows of production's keys (read beside at the ids, waited for)"), log);

        try (Connection p = pair.production.connect()) {
            w.second(p);
            // Changed twice and back: named, found unchanged.
            Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'second' WHERE UM_ID = ? AND UM_TENANT_ID = 1", w.updated());
            Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'first' WHERE UM_ID = ? AND UM_TENANT_ID = 1", w.updated());
        }
        ids.clear();
        Map<String, String> second = bothScans(pair, ids);
        assertEquals(Set.of((long) w.shared(), (long) w.movedFrom(), (long) w.movedTo(), (long) w.updated()), ids.get("UM_USER_ATTRIBUTE"));
        assertEquals(w.secondChanges(), second);
        log = pass(pair, true);
        assertTrue(log.contains(BY_BINLOG), log);
        try (Connection s = pair.staging.connect()) {
            w.assertSecondApplied(s);
        }
        assertEquals(Map.of(), bothScans(pair), "after the pass nothing is left, by either scan");
    }

    /**
     * The base rows of an id are those whose key text is it (a one-column key) or begins with it and '|' (a longer key):
     * not those of an id it is a prefix of (1 and 10, -1 and -12), on the seeded UM_USER_ATTRIBUTE and on made-up base
     * rows; and the condition on production's ids is exactly the ids.
     */
    @Test
    void theBaseRowsOfAnIdAreThoseOfThatIdAlone() throws Exception {
        StagedPair pair = StagedPair.copied(MY, "binlogprefix");
        try (Connection p = pair.production.connect(); Connection s = pair.staging.connect()) {
            // An id another id begins with (attribute 1 and 10).
            long id = Writes.single(p, "SELECT MIN(a.UM_ID) FROM UM_USER_ATTRIBUTE a JOIN UM_USER_ATTRIBUTE b ON b.UM_ID > a.UM_ID"
                    + " AND CAST(b.UM_ID AS CHAR) LIKE CONCAT(a.UM_ID, '%')");
            assertTrue(id > 0);
            Map<String, ChangeScan.BaseRow> base = ChangeScan.baseRowsAtIds(s, "UM_USER_ATTRIBUTE", StageBase.PRODUCTION, java.util.List.of(id), true);
            assertEquals(Writes.single(p, "SELECT COUNT(*) FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + id), base.size(), base.toString());
            for (String key : base.keySet()) assertTrue(key.startsWith(id + "|"), key);
            for (String key : new String[] {"1", "10", "-1", "-12", "1|5", "1|-1234", "10|5", "11|1", "1|^|x", "-1|3", "-12|3", "2"}) {
                Writes.update(s, "INSERT INTO " + BaseTables.ROWS + " (SIDE, TABLE_NAME, BUCKET, ROW_KEY, ROW_HASH) VALUES ('P', 'PROBE', 0, ?, 7)", key);
            }
            assertEquals(Set.of("1", "-1", "2"), ChangeScan.baseRowsAtIds(s, "PROBE", StageBase.PRODUCTION, java.util.List.of(-1L, 1L, 2L), false).keySet());
            assertEquals(Set.of("1|5", "1|-1234", "1|^|x", "-1|3"),
                    ChangeScan.baseRowsAtIds(s, "PROBE", StageBase.PRODUCTION, java.util.List.of(-1L, 1L), true).keySet());
            Writes.update(s, "DELETE FROM " + BaseTables.ROWS + " WHERE TABLE_NAME = 'PROBE'");
        }
        assertEquals("(C IN (-3, 1, 2, 5, 20) OR C BETWEEN 7 AND 9 OR C BETWEEN 11 AND 13)",
                ChangeScan.idCondition("C", java.util.List.of(-3L, 1L, 2L, 5L, 7L, 8L, 9L, 11L, 12L, 13L, 20L)));
        assertEquals("1 = 0", ChangeScan.idCondition("C", java.util.List.of()));
        // The keys the base rows at ids hold (staging's side of a pass takes them from there only then).
        assertTrue(ChangeScan.coveredByIds(java.util.List.of("1|5", "1|^|x", "-1|3", "20|1"), Set.of(1L, -1L, 20L), true));
        assertTrue(ChangeScan.coveredByIds(java.util.List.of("1", "-1"), Set.of(1L, -1L), false));
        for (String key : new String[] {"10|5", "01|5", "+1|5", "1", "|1", "x|1", "2|1"}) {
            assertFalse(ChangeScan.coveredByIds(java.util.List.of("1|2", key), Set.of(1L), true), key);
        }
        assertFalse(ChangeScan.coveredByIds(java.util.List.of("1|2"), Set.of(1L), false));
        assertFalse(ChangeScan.coveredByIds(java.util.List.of("1|2"), null, true));
    }

    /**
     * A foreign key with ON DELETE CASCADE (WSO2's own 4.0 MySQL script declares UM_USER_ATTRIBUTE's so): InnoDB deletes
     * the child rows itself and the binary log lists none of them, so the child table is hashed whenever its parent has
     * deletes or updates in the range; the other tables still come from the log. Without that the binary log scan misses
     * the user's attributes (bothScans differ).
     */
    @Test
    void aCascadedDeleteHashesTheChildTable() throws Exception {
        StagedPair pair = StagedPair.copied(MY, "binlogcasc");
        int user;
        try (Connection p = pair.production.connect()) {
            String fk = text(p, "SELECT CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME = 'UM_USER_ATTRIBUTE' AND REFERENCED_TABLE_NAME = 'UM_USER'");
            Writes.update(p, "ALTER TABLE UM_USER_ATTRIBUTE DROP FOREIGN KEY " + RowHashSql.checkName(fk));
            Writes.update(p, "ALTER TABLE UM_USER_ATTRIBUTE ADD FOREIGN KEY (UM_USER_ID, UM_TENANT_ID) REFERENCES UM_USER (UM_ID, UM_TENANT_ID)"
                    + " ON DELETE CASCADE");
            user = SeededIds.user(p, 1, "user3");
        }
        String log = pass(pair, true);
        assertTrue(log.contains("hashing every row (statement ALTER"), log);
        int attributes;
        try (Connection p = pair.production.connect()) {
            attributes = (int) Writes.single(p, "SELECT COUNT(*) FROM UM_USER_ATTRIBUTE WHERE UM_USER_ID = " + user + " AND UM_TENANT_ID = 1");
            assertTrue(attributes > 0);
            Writes.update(p, "DELETE FROM UM_USER_ROLE WHERE UM_USER_ID = ? AND UM_TENANT_ID = 1", user);
            // Its attributes go by the cascade. Not how 4.0.x deletes a user (Writes.deleteUser: doDeleteUser removes the
            // attributes itself first, so the cascade finds none), but a DBA's delete, the case this handling is for.
            Writes.update(p, "DELETE FROM UM_USER WHERE UM_ID = ? AND UM_TENANT_ID = 1", user);
        }
        Map<String, String> changes = bothScans(pair);
        assertEquals(attributes, changes.keySet().stream().filter(k -> k.startsWith("UM_USER_ATTRIBUTE ")).count(), changes.toString());
        log = pass(pair, true);
        assertTrue(log.contains(BY_BINLOG) && log.contains("hashing every row of [UM_USER_ATTRIBUTE] (a cascading foreign key"), log);
        try (Connection s = pair.staging.connect()) {
            assertEquals(0, Writes.single(s, "SELECT COUNT(*) FROM UM_USER_ATTRIBUTE WHERE UM_USER_ID = " + user + " AND UM_TENANT_ID = 1"));
        }
    }

    /** Every way the binary log cannot prove the changes: logged, every row hashed, the change still applied. */
    @Test
    void whatTheBinaryLogCannotProveIsHashedAndStillApplied() throws Exception {
        StagedPair pair = StagedPair.copied(MY, "binlogfall");
        String prod = pair.production.name;
        fallsBack(pair, "not the server and database", s -> Writes.update(s, "UPDATE " + BaseTables.BINLOG + " SET SERVER_ID = SERVER_ID + 1"), null);
        fallsBack(pair, "is not the one the base's position was recorded in (re-created by RESET MASTER",
                s -> Writes.update(s, "UPDATE " + BaseTables.BINLOG + " SET FILE_STARTED = FILE_STARTED - 1000"), null);
        fallsBack(pair, "reading production's binary log failed", s -> Writes.update(s, "UPDATE " + BaseTables.BINLOG
                + " SET BINLOG_FILE = CONCAT(SUBSTRING_INDEX(BINLOG_FILE, '.', 1), '.000000'), BINLOG_POSITION = 4"), null); // purged
        fallsBack(pair, "binary log is behind the recorded position", s -> Writes.update(s, "UPDATE " + BaseTables.BINLOG
                + " SET BINLOG_FILE = CONCAT(SUBSTRING_INDEX(BINLOG_FILE, '.', 1), '.999999')"), null);
        fallsBack(pair, "statement TRUNCATE on production's database", null, p -> Writes.update(p, "TRUNCATE TABLE UM_USER_ATTRIBUTE"));
        fallsBack(pair, "statement ALTER on production's database", null, p -> Writes.update(p, "ALTER TABLE UM_USER COMMENT = 'binlog test'"));
        // A DDL run from another database that names production's.
        fallsBack(pair, "statement CREATE on production's database", s -> {
            Writes.update(s, "CREATE TABLE `" + prod + "`.BINLOG_PROBE (I INT)");
            Writes.update(s, "DROP TABLE `" + prod + "`.BINLOG_PROBE");
        }, null);
        fallsBack(pair, "statement UPDATE on production's database", null, p -> {
            Writes.update(p, "SET SESSION binlog_format = 'STATEMENT'");
            Writes.update(p, "UPDATE UM_TENANT SET UM_EMAIL = 'statement@example.com' WHERE UM_ID = 2");
        });
        // An XA transaction prepared and committed inside the range: its rows are in the range, read as any others.
        try (Connection p = pair.production.connect()) {
            Writes.update(p, "XA START 'binlogtest1'");
            Writes.update(p, "UPDATE UM_TENANT SET UM_EMAIL = 'xa1@example.com' WHERE UM_ID = 2");
            Writes.update(p, "XA END 'binlogtest1'");
            Writes.update(p, "XA PREPARE 'binlogtest1'");
            Writes.update(p, "XA COMMIT 'binlogtest1'");
        }
        String xaLog = pass(pair, true);
        assertTrue(xaLog.contains(BY_BINLOG), xaLog);
        // One prepared before a pass's snapshot (its rows logged then, invisible to that pass) and committed after it.
        try (BinlogXaLock window = BinlogXaLock.exclusive(); Connection xa = pair.production.connect()) {
            Writes.update(xa, "XA START 'binlogtest2'");
            Writes.update(xa, "UPDATE UM_TENANT SET UM_EMAIL = 'xa@example.com' WHERE UM_ID = 2");
            Writes.update(xa, "XA END 'binlogtest2'");
            Writes.update(xa, "XA PREPARE 'binlogtest2'");
            change(pair, "xa prepared");
            xaLog = pass(pair, true);
            assertTrue(xaLog.contains(BY_BINLOG), xaLog);
            assertChanged(pair, "xa prepared");
            Writes.update(xa, "XA COMMIT 'binlogtest2'");
        }
        fallsBack(pair, "an XA transaction prepared before the recorded position", null, p -> { });
        try (Connection s = pair.staging.connect()) {
            assertEquals("xa@example.com", text(s, "SELECT UM_EMAIL FROM UM_TENANT WHERE UM_ID = 2"));
            assertEquals(0, Writes.single(s, "SELECT COUNT(*) FROM UM_USER_ATTRIBUTE WHERE UM_TENANT_ID = -1234"), "the truncate reached staging");
        }
        // Without the replica connection's settings.
        String log = changedBy(pair, false, "no access");
        assertTrue(log.contains("hashing every row (no replica connection"), log);
        // That pass could not learn its log file's start (no replica connection): it left no position, so the next one
        // hashes and records one, and the one after reads the binary log again.
        log = changedBy(pair, true, "recorded again");
        assertTrue(log.contains("hashing every row (no binary log position of production is recorded"), log);
        log = changedBy(pair, true, "back");
        assertTrue(log.contains(BY_BINLOG), log);
    }

    @Test
    void aRestoredDumpsFirstPassHashesAndRecordsAPosition() throws Exception {
        StagedPair pair = StagedPair.restored(MY, "binlogrest");
        try (Connection s = pair.staging.connect()) {
            assertNull(BinlogScan.recorded(s), "a restored dump's moment on production is unknown");
        }
        String log = changedBy(pair, true, "first");
        assertTrue(log.contains("hashing every row (no binary log position of production is recorded"), log);
        log = changedBy(pair, true, "second");
        assertTrue(log.contains(BY_BINLOG), log);
    }

    /** An account without BINLOG MONITOR, then without REPLICATION SLAVE: each pass hashes, names the grant and applies. */
    @Test
    void anAccountWithoutTheBinaryLogGrantsHashesNamingThem() throws Exception {
        StagedPair pair = StagedPair.copied(MY, "binloguser");
        String user = TestDatabase.PREFIX + "binlog_operator";
        String account = "'" + user + "'@'%'";
        try {
            admin("DROP USER IF EXISTS " + account, "CREATE USER " + account, "GRANT PROCESS ON *.* TO " + account,
                    "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, REFERENCES, DROP, CREATE TEMPORARY TABLES ON `"
                            + pair.staging.name + "`.* TO " + account,
                    "GRANT SELECT ON `" + pair.production.name + "`.* TO " + account);
            String log = changedAs(pair, user, "no monitor");
            assertTrue(log.contains("hashing every row (production's user cannot see the binary log's settings") && log.contains(BinlogScan.GRANT), log);
            // That applied pass could record no position: the base's old one no longer matches it, so none is left.
            try (Connection s = pair.staging.connect()) {
                assertNull(BinlogScan.recorded(s));
            }
            admin("GRANT BINLOG MONITOR ON *.* TO " + account);
            log = changedAs(pair, user, "no replication");
            assertTrue(log.contains("no binary log position recorded by this pass (reading production's binary log failed: Access denied")
                    && log.contains("REPLICATION SLAVE"), log);
            admin("GRANT REPLICATION SLAVE ON *.* TO " + account);
            log = changedAs(pair, user, "granted");
            assertTrue(log.contains("hashing every row (no binary log position of production is recorded"), log);
            log = changedAs(pair, user, "by the log");
            assertTrue(log.contains(BY_BINLOG), log);
        } finally {
            admin("DROP USER IF EXISTS " + account);
        }
    }

    @Test
    void serverSettingsTheLogCannotServe() {
        assertNull(BinlogScan.refusal(1, "ROW", "", ""));
        assertTrue(BinlogScan.refusal(0, "ROW", "", "").contains("binary log off"));
        assertTrue(BinlogScan.refusal(1, "MIXED", "", "").contains("MIXED, not ROW"));
        assertTrue(BinlogScan.refusal(1, "ROW", "wso2", "").contains("filters"));
        assertTrue(BinlogScan.refusal(1, "ROW", null, "other").contains("filters"));
        BinlogScan.Mark a = new BinlogScan.Mark("mariadb-bin.000002", 500, 7, 1, "h:3306:/d:prod");
        BinlogScan.Access access = new BinlogScan.Access("h", 3306, "u", "");
        assertNull(BinlogScan.unusable(a, new BinlogScan.Mark("mariadb-bin.000010", 4, 0, 1, "h:3306:/d:prod"), access));
        assertTrue(BinlogScan.unusable(a, new BinlogScan.Mark("mariadb-bin.000002", 499, 0, 1, "h:3306:/d:prod"), access).contains("behind"));
        assertTrue(BinlogScan.unusable(a, new BinlogScan.Mark("mysql-bin.000003", 4, 0, 1, "h:3306:/d:prod"), access).contains("named otherwise"));
        assertTrue(BinlogScan.unusable(a, new BinlogScan.Mark("mariadb-bin.000003", 4, 0, 2, "h:3306:/d:prod"), access).contains("not the server"));
        assertTrue(BinlogScan.unusable(a, new BinlogScan.Mark("mariadb-bin.000003", 4, 0, 1, "h:3306:/d:copy"), access).contains("not the server"));
        assertTrue(BinlogScan.unusable(null, a, access).contains("no binary log position"));
        assertTrue(BinlogScan.unusable(a, a, null).contains("no replica connection"));
        assertEquals(new BinlogScan.Access("db.example", 3307, "u", "p"),
                BinlogScan.Access.of(new ConnectionSettings("jdbc:mysql://db.example:3307/wso2?useSSL=false", "u", "p")));
        assertEquals(3306, BinlogScan.Access.of(new ConnectionSettings("jdbc:mariadb://db.example/wso2", "u", "p")).port());
        assertEquals("::1", BinlogScan.Access.of(new ConnectionSettings("jdbc:mysql://[::1]:3306/wso2", "u", "p")).host());
        assertNull(BinlogScan.Access.of(new ConnectionSettings("jdbc:mysql://a:3306,b:3306/wso2", "u", "p")), "several hosts: which one logs?");
        assertNull(BinlogScan.Access.of(new ConnectionSettings("jdbc:postgresql://h/wso2", "u", "p")));
    }

    /**
     * MariaDB's claim this design rests on, on this server: after START TRANSACTION WITH CONSISTENT SNAPSHOT the session's
     * binlog_snapshot_position stays the snapshot's while other sessions commit and the log moves on.
     */
    private static void snapshotPositionIsTheSnapshots(StagedPair pair) throws Exception {
        try (Connection a = pair.production.connect(); Connection b = pair.production.connect()) {
            a.setAutoCommit(false);
            Writes.update(a, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
            BinlogScan.Mark before = BinlogScan.current(a, MY);
            // Two commits that move the log and leave production as it was (the next pass's buckets include this one: no change).
            String email = text(b, "SELECT UM_EMAIL FROM UM_TENANT WHERE UM_ID = 2");
            Writes.update(b, "UPDATE UM_TENANT SET UM_EMAIL = 'moving@example.com' WHERE UM_ID = 2");
            Writes.update(b, "UPDATE UM_TENANT SET UM_EMAIL = ? WHERE UM_ID = 2", email);
            String afterFile;
            long afterPosition;
            try (Statement st = b.createStatement(); ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
                rs.next();
                afterFile = rs.getString(1);
                afterPosition = rs.getLong(2);
            }
            BinlogScan.Mark still = BinlogScan.current(a, MY);
            assertEquals(before.position(), still.position(), "the snapshot's position does not move");
            assertTrue(BinlogScan.compare(afterFile, afterPosition, still.file(), still.position()) > 0, "while the log moved on: "
                    + afterFile + ":" + afterPosition + " after " + still);
            a.rollback();
        }
    }

    private interface SqlAction {
        void run(Connection c) throws SQLException;
    }

    /** A pass after tweaking the recorded mark (on staging) or writing production: it hashes, says why, applies the change. */
    private static void fallsBack(StagedPair pair, String why, SqlAction onStaging, SqlAction onProduction) throws Exception {
        change(pair, why);
        try (Connection s = pair.staging.connect(); Connection p = pair.production.connect()) {
            if (onStaging != null) onStaging.run(s);
            if (onProduction != null) onProduction.run(p);
        }
        String log = pass(pair, true);
        assertTrue(log.contains("production: hashing every row (") && log.contains(why), "expected a fallback for [" + why + "]: " + log);
        assertChanged(pair, why);
        try (Connection s = pair.staging.connect()) {
            assertNotNull(BinlogScan.recorded(s), "the hashing pass recorded its position");
        }
    }

    /** A production write the next pass must bring over: tenant 1's e-mail, set to a text from {@code what}. */
    private static void change(StagedPair pair, String what) throws Exception {
        pair.changeTenantEmail(what);
    }

    private static void assertChanged(StagedPair pair, String what) throws Exception {
        pair.assertTenantEmail(what);
    }

    /**
     * Production's changes since the base by both scans, in one consistent snapshot of production (its binary log
     * position and its rows): asserts they are the same (kind per key, base rows, hashes, row counts) and returns them
     * as "TABLE key" -> kind.
     */
    private static Map<String, String> bothScans(StagedPair pair) throws Exception {
        return bothScans(pair, new HashMap<>());
    }

    /**
     * As {@link #bothScans(StagedPair)}; {@code ids} gets the ids the binary log named per table. Every table with id-range
     * buckets must have been read at those ids alone (ChangeScan.scanIds): each row read has one of them as its first key
     * value, no whole bucket.
     */
    private static Map<String, String> bothScans(StagedPair pair, Map<String, Set<Long>> ids) throws Exception {
        try (Connection p = pair.production.connect(); Connection s = pair.staging.connect()) {
            p.setReadOnly(true);
            p.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            p.setAutoCommit(false);
            try (Statement st = p.createStatement()) {
                st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
            }
            BinlogScan.Mark now = BinlogScan.current(p, MY);
            BinlogScan.Mark since = BinlogScan.recorded(s);
            java.util.List<CatchUpTable> tables = CatchUpTable.read(s);
            BinlogScan.Changes changes = BinlogScan.read(access(pair), since, now, pair.production.name, BinlogScan.shapes(p, tables),
                    BinlogScan.cascades(p));
            ids.putAll(changes.ids());
            Map<String, String> byLog = new TreeMap<>(), byHash = new TreeMap<>();
            Map<String, Long> logRows = new HashMap<>(), hashRows = new HashMap<>();
            PhaseClock clock = new PhaseClock();
            int ranged = 0;
            for (CatchUpTable t : tables) {
                if (!t.production().rangeBuckets()) continue;
                ranged++;
                Set<Integer> buckets = changes.buckets().get(t.name());
                // A table a cascade may have changed is hashed by the pass too.
                assertTrue(buckets != null || changes.cascaded().contains(t.name()), t.name() + " has id-range buckets: read from the binary log");
                Set<Long> named = changes.ids().get(t.name());
                assertTrue(buckets == null || named != null, t.name() + ": its ids kept");
                ChangeScan.Result x = buckets == null ? ChangeScan.scan(p, s, MY, t, StageBase.PRODUCTION, true, clock, logRows)
                        : BinlogScan.scan(p, s, MY, t, buckets, named, clock, logRows);
                if (named != null) {
                    for (ChangeScan.Row r : x.rowsRead().values()) {
                        assertTrue(named.contains(((Number) r.keyValues()[0]).longValue()), t.name() + " " + r.key() + " read: not an id the log names");
                    }
                }
                if (named != null && t.staging() != null) sameStagingSideBeside(s, t, x, named, clock);
                ChangeScan.Result h = ChangeScan.scan(p, s, MY, t, StageBase.PRODUCTION, true, clock, hashRows);
                x.changes().values().forEach(c -> byLog.put(t.name() + " " + c.key(), c.kind().name()));
                h.changes().values().forEach(c -> byHash.put(t.name() + " " + c.key(), c.kind().name()));
                for (ChangeScan.Change c : h.changes().values()) {
                    assertEquals(h.base().get(c.key()), x.base().get(c.key()), "base row of " + t.name() + " " + c.key());
                    if (c.now() != null) assertEquals(c.now().hash(), x.changes().get(c.key()).now().hash(), "row now of " + c.key());
                }
                assertEquals(hashRows.get(t.name()), logRows.get(t.name()), "rows of " + t.name());
            }
            p.rollback();
            assertTrue(ranged > 10, "most tables have id-range buckets: " + ranged);
            assertEquals(byHash, byLog, "the binary log's buckets hold what the hash scan finds");
            return byLog;
        }
    }

    /**
     * Staging's side of a table as the pass compares it, its rows and 'S' base rows read at the binary log's ids (as
     * IdBaseBeside reads them on other connections) against read by production's keys on the pass's own connection:
     * the same rows, base rows and changes.
     */
    private static void sameStagingSideBeside(Connection s, CatchUpTable t, ChangeScan.Result production, Set<Long> ids, PhaseClock clock)
            throws Exception {
        java.util.List<Long> sorted = new java.util.ArrayList<>(new java.util.TreeSet<>(ids));
        Map<String, ChangeScan.Row> rows = ChangeScan.rowsAtIds(s, MY, t, sorted);
        Map<String, ChangeScan.BaseRow> base = ChangeScan.baseRowsAtIds(s, t.name(), StageBase.STAGING, sorted, t.keyColumns().size() > 1);
        ChangeScan.Result byKeys = ChangeScan.scanKeys(s, MY, t, production, clock);
        ChangeScan.Result byIds = ChangeScan.scanKeys(s, MY, t, production, clock, ids, () -> rows, () -> base);
        if (!production.changes().isEmpty() && t.production().primaryKey()) assertTrue(rows != null, t.name() + ": staging's rows read by the ids");
        assertEquals(byKeys.rowsRead().keySet(), byIds.rowsRead().keySet(), "staging's rows of " + t.name());
        for (ChangeScan.Row r : byKeys.rowsRead().values()) {
            ChangeScan.Row o = byIds.rowsRead().get(r.key());
            assertEquals(r.hash(), o.hash(), "hash of " + t.name() + " " + r.key());
            assertEquals(r.bucket(), o.bucket(), "bucket of " + t.name() + " " + r.key());
            assertEquals(java.util.Arrays.asList(r.keyValues()), java.util.Arrays.asList(o.keyValues()), "key of " + t.name() + " " + r.key());
        }
        assertEquals(byKeys.base(), byIds.base(), "staging's base rows of " + t.name());
        assertEquals(byKeys.changes().keySet(), byIds.changes().keySet(), "staging's changes of " + t.name());
    }

    private static BinlogScan.Access access(StagedPair pair) {
        return BinlogScan.Access.of(new ConnectionSettings(pair.production.url, pair.production.user, pair.production.password));
    }

    /** One pass as CatchUpMain runs it (a second connection, and the binary log when {@code binlog}). */
    private static String pass(StagedPair pair, boolean binlog) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);
                Connection p = pair.production.connect(); Connection s = pair.staging.connect()) {
            CatchUp pass = new CatchUp(p, s, true, null, log, pair.production.name).sharing(pair.production::connect);
            if (binlog) pass.readingBinlog(new ConnectionSettings(pair.production.url, pair.production.user, pair.production.password));
            CatchUp.Outcome outcome = org.carbonupgrade.support.RunSettings.pointingAt(pair.staging, pass::run);
            assertTrue(outcome.applied() && outcome.verification().passed(), outcome.conflicts() + " "
                    + (outcome.verification() == null ? "" : outcome.verification().problems()));
        }
        String log = out.toString(StandardCharsets.UTF_8);
        System.out.print(log);
        return log;
    }

    /** A production change, a pass (reading the binary log when {@code binlog}) that applies it; the pass's log. */
    private static String changedBy(StagedPair pair, boolean binlog, String what) throws Exception {
        change(pair, what);
        String log = pass(pair, binlog);
        assertChanged(pair, what);
        return log;
    }

    /** A production change, a pass as {@code user} that applies it; the pass's log. */
    private static String changedAs(StagedPair pair, String user, String what) throws Exception {
        change(pair, what);
        String log = passAs(pair, user);
        assertChanged(pair, what);
        return log;
    }

    private static String passAs(StagedPair pair, String user) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);
                Connection p = DriverManager.getConnection(pair.production.url, user, "");
                Connection s = DriverManager.getConnection(pair.staging.url, user, "")) {
            CatchUp.Outcome outcome = new CatchUp(p, s, true, null, log, pair.production.name)
                    .readingBinlog(new ConnectionSettings(pair.production.url, user, "")).run();
            assertFalse(outcome.refused(), String.valueOf(outcome.conflicts()));
        }
        String log = out.toString(StandardCharsets.UTF_8);
        System.out.print(log);
        return log;
    }

    /** A free UM_USER_ATTRIBUTE id whose bucket is that of {@code id} (id-range buckets: the ids next to it). */
    private static int freeIdInBucketOf(StagedPair pair, Connection p, int id) throws Exception {
        CatchUpTable t;
        try (Connection s = pair.staging.connect()) {
            t = CatchUpTable.read(s).stream().filter(x -> x.name().equals("UM_USER_ATTRIBUTE")).findFirst().orElseThrow();
        }
        assertTrue(t.production().rangeBuckets());
        long w = t.production().bucketWidth();
        long[] range = StagedTable.range(id / w, w);
        for (long candidate = range[0]; candidate <= range[1]; candidate++) {
            if (candidate != id && Writes.single(p, "SELECT COUNT(*) FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + candidate) == 0) return (int) candidate;
        }
        throw new AssertionError("no free id in the bucket of " + id);
    }

    private static int userOf(Connection c, int attribute) throws Exception {
        return (int) Writes.single(c, "SELECT UM_USER_ID FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + attribute + " AND UM_TENANT_ID = 1");
    }

    private static String text(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void admin(String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestDatabase.MYSQL_ADMIN_URL, "root", ""); Statement s = c.createStatement()) {
            for (String q : sql) s.execute(q);
        }
    }
}
