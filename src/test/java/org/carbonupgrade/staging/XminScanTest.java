package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.SeededIds;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL: production's changes found from the rows written since the base's snapshot (XminScan) are exactly those
 * the hash scan of every row finds (ChangeScan), for inserts, updates, a row updated twice, an update to the same
 * values, deletes, a delete and an insert in one bucket, and a row of a transaction that was running when the base's
 * snapshot was taken and commits later; a pass records its snapshot; a recorded snapshot that cannot serve makes the
 * pass hash every row, with the same result.
 */
class XminScanTest {
    private static final Engine PG = Engine.POSTGRESQL;

    /**
     * Run twice: with the id-range buckets the stage records now, and with the hash buckets of a staging staged before
     * them (the same base re-bucketed by key hash, as such a staging holds it), so both ways of finding deletes (per-range
     * counts and range reads; per-bucket key hashing) are held to the hashing scan of every row.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void rowsWrittenSinceTheSnapshotAreTheChangesTheHashScanFinds(boolean idRanges) throws Exception {
        StagedPair pair = StagedPair.copied(PG, idRanges ? "xmin" : "xminhash");
        if (!idRanges) hashBuckets(pair);
        XminScan.Mark staged;
        try (Connection s = pair.staging.connect()) {
            staged = XminScan.recorded(s);
        }
        assertNotNull(staged, "the copy records production's snapshot");

        int attribute, secondAttribute, mailOf4;
        try (Connection p = pair.production.connect()) {
            attribute = SeededIds.attribute(p, 1, "user2", "mail");
            secondAttribute = SeededIds.attribute(p, 1, "user3", "mail");
            mailOf4 = SeededIds.attribute(p, 1, "user4", "mail");
        }
        // A transaction running while the first pass takes its snapshot, committed after that pass.
        try (Connection running = pair.production.connect()) {
            running.setAutoCommit(false);
            Writes.update(running, "INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID)"
                    + " VALUES (?, 'nickName', 'late', 'default', ?, 1)", SeededIds.next(running, "UM_USER_ATTRIBUTE", "UM_ID") + 100,
                    userOf(running, attribute));
            try (Connection p = pair.production.connect()) {
                Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'first' WHERE UM_ID = ? AND UM_TENANT_ID = 1", attribute);
            }
            Map<String, String> first = bothScans(pair, true);
            assertEquals(Map.of("UM_USER_ATTRIBUTE " + attribute + "|1", "UPDATE"), first);
            String log = pass(pair, idRanges);
            assertTrue(log.contains("reading only rows written since the base's snapshot"), log);
            assertTrue(log.contains("staging's row counts took"), "staging read beside the compare: " + log);
            running.commit();
        }
        XminScan.Mark afterFirst;
        try (Connection s = pair.staging.connect()) {
            afterFirst = XminScan.recorded(s);
        }
        // Its xmin may equal the copy's: a transaction anywhere on the cluster (another database's) holds a snapshot's xmin back.
        assertTrue(afterFirst.xmin() >= staged.xmin(), "the applied pass recorded its own snapshot: " + afterFirst + " after " + staged);

        // Production after the first pass: the late row is there now; more changes of every kind.
        int deleted = secondAttribute;
        int sameBucket;
        try (Connection p = pair.production.connect()) {
            // updated twice, in two transactions
            Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'second' WHERE UM_ID = ? AND UM_TENANT_ID = 1", attribute);
            Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'third' WHERE UM_ID = ? AND UM_TENANT_ID = 1", attribute);
            // written again with the values it has: a new row version, no change
            Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = UM_ATTR_VALUE WHERE UM_ID = ? AND UM_TENANT_ID = 1", mailOf4);
            // a delete and an insert in the same bucket: the table's row count stays as it was
            Writes.update(p, "DELETE FROM UM_USER_ATTRIBUTE WHERE UM_ID = ? AND UM_TENANT_ID = 1", deleted);
            sameBucket = idInBucketOf(pair, p, deleted);
            Writes.update(p, "INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID)"
                    + " VALUES (?, 'nickName', 'same bucket', 'default', ?, 1)", sameBucket, userOf(p, attribute));
            // a granted permission revoked (a delete alone) and a new role grant (an insert alone)
            Writes.update(p, "DELETE FROM UM_ROLE_PERMISSION WHERE UM_ID = (SELECT MIN(UM_ID) FROM UM_ROLE_PERMISSION WHERE UM_TENANT_ID = 1)"
                    + " AND UM_TENANT_ID = 1");
        }
        Map<String, String> second = bothScans(pair, true);
        assertEquals("UPDATE", second.get("UM_USER_ATTRIBUTE " + attribute + "|1"), second.toString());
        assertEquals("DELETE", second.get("UM_USER_ATTRIBUTE " + deleted + "|1"), second.toString());
        assertEquals("INSERT", second.get("UM_USER_ATTRIBUTE " + sameBucket + "|1"), second.toString());
        assertEquals(null, second.get("UM_USER_ATTRIBUTE " + mailOf4 + "|1"), "an update to the same values is no change: " + second);
        assertEquals(5, second.size(), "late row, twice updated, deleted, inserted in its bucket, revoked grant: " + second);
        assertTrue(second.keySet().stream().anyMatch(k -> k.startsWith("UM_USER_ATTRIBUTE ") && second.get(k).equals("INSERT") && !k.contains(sameBucket + "|")),
                "the row of the transaction that was running at the first pass's snapshot: " + second);
        String log = pass(pair, idRanges);
        assertTrue(log.contains("reading only rows written since the base's snapshot"), log);
        try (Connection s = pair.staging.connect()) {
            assertEquals("third", text(s, "SELECT UM_ATTR_VALUE FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + attribute + " AND UM_TENANT_ID = 1"));
            assertEquals(1, Writes.single(s, "SELECT COUNT(*) FROM UM_USER_ATTRIBUTE WHERE UM_ATTR_VALUE = 'late'"));
            assertEquals(0, Writes.single(s, "SELECT COUNT(*) FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + deleted + " AND UM_TENANT_ID = 1"));
        }
        assertEquals(Map.of(), bothScans(pair, true), "after the pass nothing is left, by either scan");
        // A pass with nothing to apply: the base's per-bucket counts are not read for tables without deletes, and the
        // verifier passes after it.
        log = pass(pair, idRanges);
        assertTrue(log.contains("applied 0 production rows"), log);

        // A recorded snapshot of another cluster (restored or moved since): the pass hashes every row, and still finds the change.
        try (Connection s = pair.staging.connect(); Connection p = pair.production.connect()) {
            Writes.update(s, "UPDATE " + BaseTables.SNAPSHOT + " SET SYSTEM_ID = 'another cluster'");
            Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'fourth' WHERE UM_ID = ? AND UM_TENANT_ID = 1", attribute);
        }
        log = pass(pair, idRanges);
        assertTrue(log.contains("hashing every row (production is not on the PostgreSQL cluster"), log);
        try (Connection s = pair.staging.connect()) {
            assertEquals("fourth", text(s, "SELECT UM_ATTR_VALUE FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + attribute + " AND UM_TENANT_ID = 1"));
            assertEquals(currentSystemId(pair), XminScan.recorded(s).systemId(),
                    "the pass recorded production's own snapshot again");
        }
    }

    @Test
    void aRecordedSnapshotServesOnlyOnTheSameClusterAndWithinTheXidRange() {
        XminScan.Mark base = new XminScan.Mark(1_000, "7712", 5);
        assertNull(XminScan.unusable(base, new XminScan.Mark(1_000, "7712", 5)));
        assertNull(XminScan.unusable(base, new XminScan.Mark(1_000 + XminScan.MAX_GAP - 1, "7712", 5)));
        assertTrue(XminScan.unusable(base, new XminScan.Mark(1_000 + XminScan.MAX_GAP, "7712", 5)).contains("2^30"));
        assertTrue(XminScan.unusable(base, new XminScan.Mark(999, "7712", 5)).contains("behind"));
        assertTrue(XminScan.unusable(base, new XminScan.Mark(2_000, "7713", 5)).contains("not on the PostgreSQL cluster"));
        assertNull(XminScan.unusable(base, new XminScan.Mark(2_000, "7712", 6)), "a copy of the database inside the cluster keeps its xmins");
        assertTrue(XminScan.unusable(null, new XminScan.Mark(2_000, "7712", 5)).contains("no snapshot"));
        assertTrue(XminScan.unusable(base, null).contains("cannot report"));
    }

    /**
     * Production's changes since the base by both scans, in one repeatable-read snapshot of production: asserts they are
     * the same (kind per key, and the base rows each read) and returns them as "TABLE key" -> kind.
     */
    private static Map<String, String> bothScans(StagedPair pair, boolean expectXmin) throws Exception {
        try (Connection p = pair.production.connect(); Connection s = pair.staging.connect()) {
            p.setReadOnly(true);
            p.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            p.setAutoCommit(false);
            XminScan.Mark since = XminScan.recorded(s);
            assertEquals(expectXmin, XminScan.unusable(since, XminScan.current(p, PG)) == null);
            Map<String, String> byXmin = new TreeMap<>(), byHash = new TreeMap<>();
            PhaseClock clock = new PhaseClock();
            for (CatchUpTable t : CatchUpTable.read(s)) {
                if (!t.production().primaryKey()) continue;
                ChangeScan.Result x = XminScan.scan(p, s, PG, t, since, clock);
                ChangeScan.Result h = ChangeScan.scan(p, s, PG, t, StageBase.PRODUCTION, true, clock);
                x.changes().values().forEach(c -> byXmin.put(t.name() + " " + c.key(), c.kind().name()));
                h.changes().values().forEach(c -> byHash.put(t.name() + " " + c.key(), c.kind().name()));
                for (ChangeScan.Change c : h.changes().values()) {
                    assertEquals(h.base().get(c.key()), x.base().get(c.key()), "base row of " + t.name() + " " + c.key());
                    if (c.now() != null) assertEquals(c.now().hash(), x.changes().get(c.key()).now().hash(), "row now of " + c.key());
                }
            }
            p.rollback();
            assertEquals(byHash, byXmin, "the xmin scan finds what the hash scan finds");
            return byXmin;
        }
    }

    /**
     * One pass as CatchUpMain runs it under Maven: staging reached by second connections through the profile's settings
     * (-Dliquibase.url...), so the reads and builds beside the compare (row counts, foreign-key indexes) run as there.
     */
    /**
     * One pass. {@code beside}: production's xmin scans also on another connection in the pass's snapshot (as CatchUpMain
     * runs it: ExportedSnapshot), so the changes above are found that way too; else on the pass's connection alone.
     */
    private static String pass(StagedPair pair, boolean beside) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);
                Connection p = pair.production.connect(); Connection s = pair.staging.connect()) {
            CatchUp.Outcome outcome = org.carbonupgrade.support.RunSettings.pointingAt(pair.staging,
                    () -> beside ? new CatchUp(p, s, true, null, log, pair.production.name).sharing(pair.production::connect).run()
                            : new CatchUp(p, s, true, null, log, pair.production.name).run());
            assertTrue(outcome.applied() && outcome.verification().passed(), outcome.conflicts() + " "
                    + (outcome.verification() == null ? "" : outcome.verification().problems()));
        }
        String log = out.toString(StandardCharsets.UTF_8);
        System.out.print(log);
        if (log.contains("reading only rows written since")) {
            assertEquals(beside, log.contains("on another connection in this snapshot"), log);
        }
        return log;
    }

    /**
     * Makes the staged base what a staging staged before id-range buckets holds: every table's buckets by the hash of its
     * key text (RowHashSql.bucket over the key text the base row keeps), width 0, the summary summed again.
     */
    private static void hashBuckets(StagedPair pair) throws Exception {
        try (Connection s = pair.staging.connect()) {
            s.setAutoCommit(false);
            for (CatchUpTable t : CatchUpTable.read(s)) {
                if (!t.production().rangeBuckets()) continue;
                int n = t.buckets();
                Writes.update(s, "UPDATE " + BaseTables.ROWS + " SET BUCKET = CAST(MOD(MOD(CAST(hashtext(ROW_KEY) AS BIGINT), " + n + ") + " + n + ", "
                        + n + ") AS INTEGER) WHERE TABLE_NAME = '" + t.name() + "'");
                Writes.update(s, "UPDATE " + BaseTables.TABLES + " SET " + BaseTables.BUCKET_WIDTH + " = 0 WHERE TABLE_NAME = '" + t.name() + "'");
                Writes.update(s, "DELETE FROM " + BaseTables.SUMMARY + " WHERE TABLE_NAME = '" + t.name() + "'");
                StageBase.summarize(s, StageBase.PRODUCTION, t.name(), null);
                StageBase.summarize(s, StageBase.STAGING, t.name(), null);
            }
            s.commit();
            for (CatchUpTable t : CatchUpTable.read(s)) assertTrue(!t.production().rangeBuckets(), t.name() + " has hash buckets now");
        }
        assertEquals(Map.of(), bothScans(pair, true), "re-bucketed, the base still equals production");
    }

    /** A free UM_USER_ATTRIBUTE id of tenant 1 whose key falls in the same bucket as this one's. */
    private static int idInBucketOf(StagedPair pair, Connection p, int id) throws Exception {
        CatchUpTable t;
        try (Connection s = pair.staging.connect()) {
            t = CatchUpTable.read(s).stream().filter(x -> x.name().equals("UM_USER_ATTRIBUTE")).findFirst().orElseThrow();
        }
        String bucket = t.production().bucket(PG);
        // Id-range buckets: the free ids of a bucket are its gaps, below the lowest id (bucket 0 reaches into negative ids)
        // or above the highest; the deleted id itself is no candidate (the same key again would be an update).
        try (PreparedStatement ps = p.prepareStatement("SELECT X.UM_ID FROM (SELECT g AS UM_ID, 1 AS UM_TENANT_ID FROM generate_series(?, ?) g) X"
                + " WHERE " + bucket + " = (SELECT " + bucket + " FROM (SELECT ? AS UM_ID, 1 AS UM_TENANT_ID) Y) AND X.UM_ID <> ?"
                + " AND NOT EXISTS (SELECT 1 FROM UM_USER_ATTRIBUTE A WHERE A.UM_ID = X.UM_ID AND A.UM_TENANT_ID = 1)"
                + " ORDER BY abs(X.UM_ID - ?) LIMIT 1")) {
            int to = SeededIds.next(p, "UM_USER_ATTRIBUTE", "UM_ID") + 100_000;
            ps.setInt(1, -100_000);
            ps.setInt(2, to);
            ps.setInt(3, id);
            ps.setInt(4, id);
            ps.setInt(5, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "an id in the same bucket");
                return rs.getInt(1);
            }
        }
    }

    private static int userOf(Connection c, int attribute) throws Exception {
        return (int) Writes.single(c, "SELECT UM_USER_ID FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + attribute + " AND UM_TENANT_ID = 1");
    }

    private static String currentSystemId(StagedPair pair) throws Exception {
        try (Connection p = pair.production.connect()) {
            return text(p, "SELECT system_identifier::text FROM pg_control_system()");
        }
    }

    private static String text(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
