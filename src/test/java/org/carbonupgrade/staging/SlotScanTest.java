package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.carbonupgrade.ConnectionSettings;
import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.SeededIds;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL with -Dcarbon.upgrade.catchup.pgSlot=true: production's changes decoded from the replication slot the base
 * equals (SlotScan) name ids whose rows hold exactly what the xmin scan and the hashing scan find in the same snapshot
 * (inserts, updates, deletes, an id changed, a second row of one id, a row changed and changed back); a writer
 * committing without pause across slot creations loses nothing; what decoding cannot prove is read by xmin, logged, and
 * still applied; a killed pass converges and leaves no extra slot; a final pass drops its slot; production's rows are
 * never written. Needs production's server at wal_level=logical (.ci/run sets it): fails, not skips, without it.
 */
class SlotScanTest {
    private static final Engine PG = Engine.POSTGRESQL;
    private static final String BY_SLOT = "reading only the rows logical decoding names";

    @Test
    void theDecodedIdsHoldEveryChangeTheXminAndHashScansFind() throws Exception {
        StagedPair pair = StagedPair.copied(PG, "pgslot");
        requireLogical(pair);
        String log = pass(pair, true, false);
        assertTrue(log.contains("reading by xmin, not by logical decoding (no replication slot of production is recorded"), log);
        String first = recordedSlot(pair);
        assertEquals(List.of(first), slots(pair), "the first pass created and recorded one slot");

        IdWrites w;
        int back;
        try (Connection p = pair.production.connect()) {
            w = IdWrites.first(p, "new 'quoted' value");
            // Changed and changed back, in two transactions: named, found unchanged.
            back = SeededIds.attribute(p, 1, "user4", "mail");
            String was = column(p, "SELECT UM_ATTR_VALUE FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + back + " AND UM_TENANT_ID = 1").get(0);
            Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'changed' WHERE UM_ID = ? AND UM_TENANT_ID = 1", back);
            Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = ? WHERE UM_ID = ? AND UM_TENANT_ID = 1", was, back);
        }
        Map<String, Set<Long>> ids = new HashMap<>();
        Map<String, String> changes = allScans(pair, ids);
        Set<Long> named = new java.util.HashSet<>(w.firstIds());
        named.add((long) back);
        assertEquals(named, ids.get("UM_USER_ATTRIBUTE"));
        assertEquals(w.firstChanges(), changes);
        assertEquals(List.of(first), slots(pair), "the scans' own slot is gone with them");
        log = pass(pair, true, false);
        assertTrue(log.contains(BY_SLOT) && log.contains("5 ids; ") && log.contains("P base rows at the decoded keys"), log);
        assertTrue(log.contains("and the reads at the decoded ids of [") && log.contains("started during the compare"), log);
        String second = recordedSlot(pair);
        assertEquals(List.of(second), slots(pair), "the applied pass dropped the previous slot " + first + " and recorded its own");

        try (Connection p = pair.production.connect()) {
            w.second(p);
        }
        ids.clear();
        changes = allScans(pair, ids);
        assertEquals(Set.of((long) w.shared(), (long) w.movedFrom(), (long) w.movedTo()), ids.get("UM_USER_ATTRIBUTE"));
        assertEquals(w.secondChanges(), changes);
        Map<String, List<String>> productionBefore;
        try (Connection p = pair.production.connect()) {
            productionBefore = Rows.dump(p, null);
        }
        log = pass(pair, true, false);
        assertTrue(log.contains(BY_SLOT), log);
        try (Connection s = pair.staging.connect(); Connection p = pair.production.connect()) {
            w.assertSecondApplied(s);
            assertEquals(productionBefore, Rows.dump(p, null), "catch-up wrote to production");
        }
        assertEquals(Map.of(), allScans(pair, new HashMap<>()), "after the pass nothing is left, by any scan");
        log = pass(pair, true, false);
        assertTrue(log.contains(BY_SLOT) && log.contains("applied 0 production rows"), log);

        // The final pass uses the slot, then drops it and the previous one: none is left to hold production's WAL.
        change(pair, "final");
        log = pass(pair, true, true);
        assertTrue(log.contains(BY_SLOT) && log.contains("dropped this final pass's replication slot"), log);
        assertChanged(pair, "final");
        assertEquals(List.of(), slots(pair), "the final pass left no slot");
        assertNull(SlotScan.recorded(pair.staging.connect()), "nor a record of one");
    }

    /**
     * A writer committing an insert and an update per round without pause while passes create their slots: every row it
     * committed reaches staging (a transaction committed around a slot's consistent point is in that pass's snapshot or
     * in the next pass's decoded range, never in neither), and each pass reads by the slot.
     */
    @Test
    void aWriterCommittingAcrossSlotCreationsLosesNothing() throws Exception {
        StagedPair pair = StagedPair.copied(PG, "pgslotw");
        requireLogical(pair);
        pass(pair, true, false);
        int attribute, user;
        long from;
        try (Connection p = pair.production.connect()) {
            attribute = SeededIds.attribute(p, 1, "user2", "mail");
            user = (int) Writes.single(p, "SELECT UM_USER_ID FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + attribute + " AND UM_TENANT_ID = 1");
            from = SeededIds.next(p, "UM_USER_ATTRIBUTE", "UM_ID") + 1_000;
        }
        try (CommittingWriter writer = new CommittingWriter(pair.production, i -> List.of(
                "INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID) VALUES ("
                        + (from + i) + ", 'nickName', 'w" + i + "', 'default', " + user + ", 1)",
                "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'w" + i + "' WHERE UM_ID = " + attribute + " AND UM_TENANT_ID = 1"))) {
            for (int round = 0; round < 4; round++) {
                writer.awaitMore(20);
                String log = pass(pair, true, false);
                assertTrue(log.contains(BY_SLOT), log);
            }
        }
        String log = pass(pair, true, false);
        assertTrue(log.contains(BY_SLOT), log);
        try (Connection s = pair.staging.connect(); Connection p = pair.production.connect()) {
            String written = "SELECT UM_ID || ':' || UM_ATTR_VALUE FROM UM_USER_ATTRIBUTE WHERE UM_ID > " + from + " OR UM_ID = " + attribute
                    + " ORDER BY UM_ID";
            List<String> production = column(p, written);
            assertTrue(production.size() > 80, production.size() + " rows written");
            assertEquals(production, column(s, written), "every row the writer committed reached staging");
        }
        assertEquals(1, slots(pair).size());
        dropSlots(pair);
    }

    /** Every way decoding cannot prove the changes: logged, read by xmin (the table or the pass), and still applied. */
    @Test
    void whatDecodingCannotProveIsReadByXminAndStillApplied() throws Exception {
        StagedPair pair = StagedPair.copied(PG, "pgslotfall");
        requireLogical(pair);
        pass(pair, true, false);
        // A slot dropped by hand: the whole pass by xmin, a new slot recorded.
        change(pair, "dropped");
        try (Connection p = pair.production.connect()) {
            Writes.single(p, "SELECT COUNT(pg_drop_replication_slot('" + recordedSlot(pair) + "'))");
        }
        assertFallback(pass(pair, true, false), "reading by xmin, not by logical decoding (the recorded replication slot");
        assertChanged(pair, "dropped");
        // The recorded slot consumed by someone (get, not peek): its changes are gone from it.
        change(pair, "consumed");
        try (Connection p = pair.production.connect()) {
            Writes.single(p, "SELECT COUNT(*) FROM pg_logical_slot_get_changes('" + recordedSlot(pair) + "', NULL, NULL)");
        }
        assertFallback(pass(pair, true, false), "was consumed past its recorded point");
        assertChanged(pair, "consumed");
        // TRUNCATE (also a new relfilenode: a catalog row written since) and a DDL: those tables by xmin, the others by the slot.
        change(pair, "truncated");
        try (Connection p = pair.production.connect()) {
            Writes.update(p, "TRUNCATE UM_USER_ATTRIBUTE");
            Writes.update(p, "ALTER TABLE UM_USER_ROLE ALTER COLUMN UM_ID SET STATISTICS 200");
        }
        String log = pass(pair, true, false);
        assertTrue(log.contains(BY_SLOT) && log.contains("read by xmin instead:") && log.contains("UM_USER_ATTRIBUTE=its catalog rows changed")
                && log.contains("UM_USER_ROLE=its catalog rows changed"), log);
        assertChanged(pair, "truncated");
        try (Connection s = pair.staging.connect()) {
            assertEquals(0, Writes.single(s, "SELECT COUNT(*) FROM UM_USER_ATTRIBUTE"));
        }
        // A table without primary key (no replica identity: its deletes decode as "(no-tuple-data)"): hashed, as always.
        try (Connection p = pair.production.connect()) {
            Writes.update(p, "DELETE FROM REG_RESOURCE_PROPERTY WHERE ctid = (SELECT MIN(ctid) FROM REG_RESOURCE_PROPERTY)");
        }
        log = pass(pair, true, false);
        assertTrue(log.contains(BY_SLOT), log);
        try (Connection s = pair.staging.connect(); Connection p = pair.production.connect()) {
            String rows = "SELECT COUNT(*) FROM REG_RESOURCE_PROPERTY";
            assertEquals(Writes.single(p, rows), Writes.single(s, rows), "the delete in a table without primary key reached staging");
        }
        // A pass without the opt-in: no slot, the record cleared (its base moved on), the old slot named for dropping.
        change(pair, "not opted in");
        String old = recordedSlot(pair);
        log = pass(pair, false, false);
        assertTrue(log.contains("replication slot " + old + " is no longer used") && log.contains("pg_drop_replication_slot('" + old + "')"), log);
        assertNull(SlotScan.recorded(pair.staging.connect()));
        assertChanged(pair, "not opted in");
        // Opted in again: no record, by xmin; the unrecorded old slot is this staging's leftover and dropped.
        change(pair, "again");
        log = pass(pair, true, false);
        assertFallback(log, "no replication slot of production is recorded");
        assertTrue(log.contains("dropped replication slot " + old), log);
        assertEquals(List.of(recordedSlot(pair)), slots(pair));
        // A transaction holding an id on production's cluster: slot creation waits, is cancelled after the timeout, and the
        // pass reads by xmin, naming the session; no slot is recorded, the previous one dropped.
        change(pair, "blocked");
        try (Connection blocker = pair.production.connect()) {
            blocker.setAutoCommit(false);
            Writes.update(blocker, "SET application_name = 'pgslot blocker'");
            Writes.update(blocker, "CREATE TEMPORARY TABLE PGSLOT_HOLD (I INT)");
            String timeout = System.getProperty(SlotScan.TIMEOUT);
            System.setProperty(SlotScan.TIMEOUT, "2");
            try {
                log = pass(pair, true, false);
            } finally {
                if (timeout == null) System.clearProperty(SlotScan.TIMEOUT);
                else System.setProperty(SlotScan.TIMEOUT, timeout);
                blocker.rollback();
            }
        }
        assertTrue(log.contains("waited 2 s for transactions running") && log.contains("pgslot blocker"), log);
        assertChanged(pair, "blocked");
        assertNull(SlotScan.recorded(pair.staging.connect()));
        assertEquals(List.of(), slots(pair));
    }

    /** A pass killed before its commit leaves its slot; the next pass drops it, reads the recorded slot again, converges. */
    @Test
    void aKilledPassConvergesAndLeavesNoExtraSlot() throws Exception {
        StagedPair pair = slotRecorded("pgslotkill");
        String recorded = recordedSlot(pair);
        change(pair, "killed");
        Path log = Path.of("target", pair.staging.name + "-catch-up.log");
        Process process = CatchUpCrashTest.start(pair, log, false, "-D" + SlotScan.OPT_IN + "=true");
        try {
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline && process.isAlive()
                    && !(Files.exists(log) && Files.readString(log).contains("paused before commit"))) {
                Thread.sleep(50);
            }
            assertTrue(Files.readString(log).contains("paused before commit") && Files.readString(log).contains(BY_SLOT), Files.readString(log));
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        CatchUpCrashTest.waitForServerToDropSessions(pair.staging);
        assertEquals(2, slots(pair).size(), "the killed pass's slot is left: " + slots(pair));
        assertEquals(recorded, recordedSlot(pair));
        String next = pass(pair, true, false);
        assertTrue(next.contains(BY_SLOT) && next.contains("a killed or refused pass of this staging left"), next);
        assertChanged(pair, "killed");
        assertEquals(List.of(recordedSlot(pair)), slots(pair));
        dropSlots(pair);
    }

    /**
     * Production deletes as many users as make a pass index UM_USER_ATTRIBUTE's foreign key (DeleteIndexes), and the pass is
     * a final one that finds no standing index (the ordinary pass's, dropped here, as where no second connection reached
     * staging): with the slot the deleted keys are decoded before the compare, so its temporary index is built from then
     * on, beside the whole compare; the users are gone from staging with their rows, the verifier passes, and no index of
     * catch-up's is left after the pass.
     */
    @Test
    void decodedDeletesStartTheirForeignKeyIndexBeforeTheCompare() throws Exception {
        StagedPair pair = StagedPair.copied(PG, "pgslotdel");
        requireLogical(pair);
        int leavers = DeleteIndexes.MIN_DELETES + 2;
        try (Connection p = pair.production.connect()) {
            Writes.addLeavers(p, leavers); // before the first slot pass, so staging holds them when production deletes them
        }
        pass(pair, true, false);
        try (Connection s = pair.staging.connect()) {
            Writes.update(s, "DROP INDEX carbon_upgrade_fk_um_user_attribute_um_user_id"); // the ordinary pass's standing index
        }
        try (Connection p = pair.production.connect()) {
            p.setAutoCommit(false);
            for (int n = 0; n < leavers; n++) {
                // JDBCUserStoreManager.doDeleteUser's statements (Writes.deleteUser), one transaction per user. UM_HYBRID_USER_ROLE
                // is left: there only ReadWriteLDAPUserStoreManager calls HybridRoleManager.deleteUser.
                Writes.deleteUser(p, 1, "leaver" + n);
                p.commit();
            }
        }
        String log = pass(pair, true, true);
        assertTrue(log.contains(BY_SLOT), log);
        // The log line is the only trace of when the build started: the code before branch s28-pgfk built the same index
        // after UM_USER's compare, with the same outcome on both databases.
        assertTrue(log.contains("foreign-key indexes for UM_USER's deletes: built from now on, beside the compare (" + leavers
                + " keys decoded as deleted)"), log);
        try (Connection p = pair.production.connect(); Connection s = pair.staging.connect()) {
            for (String table : List.of("UM_USER", "UM_USER_ATTRIBUTE", "UM_USER_ROLE", "UM_HYBRID_USER_ROLE")) {
                assertEquals(column(p, "SELECT COUNT(*) FROM " + table), column(s, "SELECT COUNT(*) FROM " + table), table);
            }
            assertEquals(List.of("0"), column(p, "SELECT COUNT(*) FROM UM_USER WHERE UM_USER_NAME LIKE 'leaver%'"));
            assertEquals(List.of("0"), column(s, "SELECT COUNT(*) FROM pg_indexes WHERE indexname LIKE 'carbon\\_upgrade\\_%fk\\_%'"), "dropped by the pass");
        }
        dropSlots(pair);
    }

    /**
     * A pass by the slot refused for a conflict, production's access snapshot started during its compare on the other
     * connections: the refusal waits for that snapshot and leaves no thread of the pass running, no session or transaction
     * of it on production, nothing applied on staging, and only the recorded slot; resolved, the next pass applies.
     */
    @Test
    void aRefusedPassEndsTheAccessSnapshotStartedDuringItsCompare() throws Exception {
        StagedPair pair = slotRecorded("pgslotref");
        String recorded = recordedSlot(pair);
        int given;
        String was;
        try (Connection p = pair.production.connect()) {
            given = SeededIds.attribute(p, 1, "user4", "givenName");
            was = column(p, "SELECT UM_ATTR_VALUE FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + given + " AND UM_TENANT_ID = 1").get(0);
        }
        change(pair, "refused");
        try (Connection s = pair.staging.connect(); Connection p = pair.production.connect()) {
            Writes.update(s, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'Staging' WHERE UM_ID = ? AND UM_TENANT_ID = 1", given);
            Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'Production' WHERE UM_ID = ? AND UM_TENANT_ID = 1", given);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CatchUp.Outcome refused = run(pair, true, false, out);
        String log = out.toString(StandardCharsets.UTF_8);
        System.out.print(log);
        assertTrue(!refused.applied() && refused.conflicts().size() == 1 && refused.conflicts().get(0).toString()
                .equals("UM_USER_ATTRIBUTE key [" + given + "|1]: production updated, staging updated it too"), refused.conflicts() + "\n" + log);
        assertTrue(log.contains(BY_SLOT) && log.contains("started during the compare"), log);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!passThreads().isEmpty() && System.currentTimeMillis() < deadline) Thread.sleep(20);
        assertEquals(List.of(), passThreads(), "the refused pass left threads running");
        CatchUpCrashTest.waitForServerToDropSessions(pair.production);
        try (Connection p = pair.production.connect()) {
            // Sessions only (an autovacuum worker may be there after the changes).
            assertEquals(List.of(), column(p, "SELECT pid || ' ' || backend_type || ' ' || COALESCE(application_name, '') || ' ' || COALESCE(state, '')"
                    + " || ' ' || COALESCE(xact_start::text, '') FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    + " AND backend_type IN ('client backend', 'walsender')"), "the refused pass left sessions on production");
        }
        assertEquals(List.of(recorded), slots(pair), "the refused pass dropped its own slot and kept the recorded one");
        try (Connection s = pair.staging.connect()) {
            assertEquals(List.of("Staging"), column(s, "SELECT UM_ATTR_VALUE FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + given + " AND UM_TENANT_ID = 1"));
            Writes.update(s, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = ? WHERE UM_ID = ? AND UM_TENANT_ID = 1", was, given);
        }
        log = pass(pair, true, false);
        assertTrue(log.contains(BY_SLOT), log);
        assertChanged(pair, "refused");
        try (Connection s = pair.staging.connect()) {
            assertEquals(List.of("Production"), column(s, "SELECT UM_ATTR_VALUE FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + given + " AND UM_TENANT_ID = 1"));
        }
        dropSlots(pair);
    }

    /**
     * A copy of this staging (the same stage id, so the same slot prefix) catching up from another production database on
     * the same server: its slots are its own. A pass drops neither that copy's slot as a leftover nor, once it became the
     * recorded one of the copy taken, as the previous slot (both dropped other helpers' bench slots: docs/benchmark.md,
     * branch s27-pgcompare); its own slots it still drops.
     */
    @Test
    void aSlotOfACopyOfThisStagingInAnotherDatabaseIsLeftAlone() throws Exception {
        StagedPair pair = slotRecorded("pgslotcopy");
        String other;
        try (Connection s = pair.staging.connect()) {
            // In staging's database: another database of the cluster than production's, as a copy's production would be.
            other = SlotScan.prefix(s) + "copy_00000000";
            Writes.single(s, "SELECT COUNT(*) FROM pg_create_logical_replication_slot('" + other + "', '" + SlotScan.PLUGIN + "')");
        }
        try {
            change(pair, "copy");
            String log = pass(pair, true, false);
            assertTrue(log.contains(BY_SLOT) && !log.contains(other), log);
            assertTrue(slots(pair).contains(other), "the copy's slot was dropped: " + slots(pair));
            assertEquals(2, slots(pair).size(), "this staging's previous slot was dropped, its new one recorded: " + slots(pair));
            // The copy's slot recorded as this staging's (a staging copied with its record): the pass reads by xmin and
            // still leaves that slot alone after its commit.
            try (Connection s = pair.staging.connect()) {
                SlotScan.Recorded mine = SlotScan.recorded(s);
                Writes.update(s, "UPDATE " + BaseTables.SLOT + " SET SLOT_NAME = '" + other + "'");
                change(pair, "copy recorded");
                log = pass(pair, true, false);
                assertFallback(log, "is not a " + SlotScan.PLUGIN + " slot of production's database");
                assertTrue(log.contains("dropped replication slot " + mine.slot()), log);
            }
            assertChanged(pair, "copy recorded");
            assertTrue(slots(pair).contains(other), "the copy's slot was dropped: " + slots(pair));
        } finally {
            try (Connection s = pair.staging.connect()) {
                Writes.single(s, "SELECT COUNT(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots WHERE slot_name = '" + other + "'");
            }
        }
        dropSlots(pair);
    }

    /** The threads a catch-up pass starts (reads beside, production's access snapshot) still alive in this JVM. */
    private static List<String> passThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).filter(n -> n.contains("catch-up")).sorted().toList();
    }

    @Test
    void testDecodingsTuplesAreParsed() {
        assertEquals(List.of(Map.of("um_id", "5", "um_tenant_id", "1", "um_user_name", "'a''b c'", "\"my id\"", "null")),
                SlotScan.tuples(" um_id[integer]:5 um_tenant_id[integer]:1 um_user_name[character varying]:'a''b c' \"my id\"[integer]:null"));
        assertEquals(List.of(Map.of("um_id", "6", "um_tenant_id", "1"), Map.of("um_id", "7", "um_tenant_id", "1", "v", "' x[integer]:9 '")),
                SlotScan.tuples(" old-key: um_id[integer]:6 um_tenant_id[integer]:1 new-tuple: um_id[integer]:7 um_tenant_id[integer]:1"
                        + " v[text]:' x[integer]:9 '"));
        assertEquals(List.of(Map.of("b", "B'0101'", "a", "'{1,2}'", "t", "unchanged-toast-datum")),
                SlotScan.tuples(" b[bit varying]:B'0101' a[integer[]]:'{1,2}' t[text]:unchanged-toast-datum"));
        assertNull(SlotScan.tuples(" um_id[integer]:'unterminated"));
        assertNull(SlotScan.tuples(""));
        Map<String, SlotScan.Shape> shapes = Map.of("public.um_user", new SlotScan.Shape("UM_USER", "public.um_user", "um_id", 10, null));
        Map<String, Set<Integer>> buckets = new HashMap<>(Map.of("UM_USER", new java.util.TreeSet<>()));
        Map<String, Set<Long>> ids = new HashMap<>(Map.of("UM_USER", new java.util.HashSet<>()));
        Map<String, String> fallback = new TreeMap<>();
        SlotScan.change("table public.um_user: UPDATE: old-key: um_id[integer]:6 new-tuple: um_id[integer]:71 um_name[text]:'x'", shapes, buckets, ids, fallback);
        SlotScan.change("table public.other: DELETE: um_id[integer]:99", shapes, buckets, ids, fallback);
        assertEquals(Set.of(6L, 71L), ids.get("UM_USER"));
        Map<String, Set<String>> gone = new HashMap<>(Map.of("UM_USER", new java.util.HashSet<>()));
        Map<String, SlotScan.Shape> twoColumns = Map.of("public.um_user", new SlotScan.Shape("UM_USER", "public.um_user", "um_id", 10, null,
                List.of("um_id", "um_tenant_id")));
        SlotScan.change("table public.um_user: UPDATE: old-key: um_id[integer]:6 um_tenant_id[integer]:-1234 new-tuple: um_id[integer]:7"
                + " um_tenant_id[integer]:-1234", twoColumns, buckets, ids, fallback, gone);
        SlotScan.change("table public.um_user: DELETE: um_id[integer]:8 um_tenant_id[integer]:1", twoColumns, buckets, ids, fallback, gone);
        SlotScan.change("table public.um_user: INSERT: um_id[integer]:9 um_tenant_id[integer]:1", twoColumns, buckets, ids, fallback, gone);
        assertEquals(Set.of("6|-1234", "8|1"), gone.get("UM_USER"), "the old keys and deleted keys, as key texts");
        SlotScan.change("table public.um_user: DELETE: um_id[integer]:8 um_tenant_id[text]:'x'", twoColumns, buckets, ids, fallback, gone);
        assertNull(gone.get("UM_USER"), "a key that is not all integers: read by id ranges");
        assertEquals(Set.of(0, 7), buckets.get("UM_USER"));
        SlotScan.change("table public.um_user: DELETE: (no-tuple-data)", shapes, buckets, ids, fallback);
        assertTrue(fallback.get("UM_USER").contains("no replica identity"), fallback.toString());
        fallback.clear();
        SlotScan.change("table public.a, public.um_user: TRUNCATE: (no-flags)", shapes, buckets, ids, fallback);
        assertTrue(fallback.get("UM_USER").contains("TRUNCATE"), fallback.toString());
        assertEquals(63, SlotScan.name("carbon_upgrade_0123456789abcdef_", "A-very-long staging database name that goes on and on", "abcdef12-3").length());
        assertTrue(SlotScan.name("carbon_upgrade_0123456789abcdef_", "Stg-1", "abcdef12-3").matches("carbon_upgrade_0123456789abcdef_stg_1_abcdef12"));
        assertEquals((3L << 32) | 0x72013358L, SlotScan.lsn("3/72013358"));
    }

    /**
     * The base's key texts must sort by bytes for a longer key's base rows of an id to be the ROW_KEY range ['id|', 'id}'):
     * so on this server's databases (C.UTF-8); a column with a linguistic collation is named, and such tables are read by
     * xmin (ICU's root collation sorts '}' before '|': that range would be empty).
     */
    @Test
    void theBaseKeysMustSortByBytes() throws Exception {
        org.carbonupgrade.support.TestDatabase db = org.carbonupgrade.support.TestDatabase.fresh(PG, "pgslot_collation");
        try (Connection c = db.connect()) {
            Writes.update(c, "CREATE TABLE " + BaseTables.ROWS + " (ROW_KEY VARCHAR(700) COLLATE \"C\")");
            assertNull(SlotScan.byteOrdered(c));
            Writes.update(c, "DROP TABLE " + BaseTables.ROWS);
            Writes.update(c, "CREATE TABLE " + BaseTables.ROWS + " (ROW_KEY VARCHAR(700) COLLATE \"und-x-icu\")");
            assertEquals("und-x-icu", SlotScan.byteOrdered(c));
            assertTrue(Writes.single(c, "SELECT COUNT(*) FROM (VALUES ('12|5')) v(k) WHERE k COLLATE \"und-x-icu\" >= '12|' AND k COLLATE"
                    + " \"und-x-icu\" < '12}'") == 0, "ICU's order: the range would miss the key");
        }
    }

    /** A staged pair after a first pass with the opt-in: a slot recorded for the base. */
    private static StagedPair slotRecorded(String name) throws Exception {
        StagedPair pair = StagedPair.copied(PG, name);
        requireLogical(pair);
        pass(pair, true, false);
        return pair;
    }

    private static void requireLogical(StagedPair pair) throws Exception {
        try (Connection p = pair.production.connect()) {
            assertEquals("logical", column(p, "SELECT current_setting('wal_level')").get(0), "these tests need production's server at wal_level=logical"
                    + " (.ci/run sets it: ALTER SYSTEM SET wal_level = logical and a restart)");
        }
    }

    private static void assertFallback(String log, String why) {
        assertTrue(log.contains(why), "expected [" + why + "]: " + log);
    }

    /**
     * Production's changes since the base in one snapshot, that of a new slot (dropped after): by the recorded slot's
     * decoded ids, by xmin, and by hashing every row; asserts all find the same (kind per key, base rows, hashes, row
     * counts) and returns them as "TABLE key" -> kind; {@code ids} gets the ids decoded per table.
     */
    private static Map<String, String> allScans(StagedPair pair, Map<String, Set<Long>> ids) throws Exception {
        try (Connection p = pair.production.connect(); Connection s = pair.staging.connect()) {
            p.setReadOnly(true);
            p.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            p.setAutoCommit(false);
            SlotScan scan = SlotScan.open(settings(pair), p, s, null, java.util.UUID.randomUUID().toString(), System.out);
            try {
                assertNotNull(scan.created());
                XminScan.Mark since = XminScan.recorded(s);
                List<CatchUpTable> tables = CatchUpTable.read(s);
                SlotScan.Changes changes = scan.read(p, s, SlotScan.recorded(s), tables, since);
                ids.putAll(changes.ids());
                Map<String, String> bySlot = new TreeMap<>(), byXmin = new TreeMap<>(), byHash = new TreeMap<>();
                Map<String, Long> slotRows = new HashMap<>(), xminRows = new HashMap<>(), hashRows = new HashMap<>();
                PhaseClock clock = new PhaseClock();
                int read = 0;
                for (CatchUpTable t : tables) {
                    if (!t.production().primaryKey()) continue;
                    Set<Integer> buckets = changes.buckets().get(t.name());
                    assertTrue(buckets != null || !t.production().rangeBuckets(), t.name() + " has id-range buckets: read by the slot");
                    if (buckets == null) continue;
                    read++;
                    Set<Long> named = changes.ids().get(t.name());
                    Set<String> gone = changes.goneKeys().get(t.name());
                    assertTrue(gone != null || !t.name().equals("UM_USER_ATTRIBUTE"), "its base rows read by key: " + changes.goneKeys());
                    ChangeScan.Result x = SlotScan.scan(p, s, PG, t, buckets, named, gone, clock, slotRows);
                    for (ChangeScan.Row r : x.rowsRead().values()) {
                        assertTrue(named.contains(((Number) r.keyValues()[0]).longValue()), t.name() + " " + r.key() + " read: not a decoded id");
                    }
                    ChangeScan.Result m = XminScan.scan(p, s, PG, t, since, clock, xminRows);
                    ChangeScan.Result h = ChangeScan.scan(p, s, PG, t, StageBase.PRODUCTION, true, clock, hashRows);
                    x.changes().values().forEach(c -> bySlot.put(t.name() + " " + c.key(), c.kind().name()));
                    m.changes().values().forEach(c -> byXmin.put(t.name() + " " + c.key(), c.kind().name()));
                    h.changes().values().forEach(c -> byHash.put(t.name() + " " + c.key(), c.kind().name()));
                    for (ChangeScan.Change c : h.changes().values()) {
                        assertEquals(h.base().get(c.key()), x.base().get(c.key()), "base row of " + t.name() + " " + c.key());
                        if (c.now() != null) assertEquals(c.now().hash(), x.changes().get(c.key()).now().hash(), "row now of " + c.key());
                    }
                    assertEquals(hashRows.get(t.name()), slotRows.get(t.name()), "rows of " + t.name());
                    assertEquals(xminRows.get(t.name()), slotRows.get(t.name()), "rows of " + t.name());
                }
                assertTrue(read > 10, "most tables read by the slot: " + read);
                assertSameBeside(pair, p, s, tables, changes);
                assertEquals(byHash, bySlot, "the decoded ids hold what the hash scan finds");
                assertEquals(byXmin, bySlot, "the decoded ids hold what the xmin scan finds");
                return bySlot;
            } finally {
                p.rollback();
                scan.closeUnlessCommitted();
            }
        }
    }

    /**
     * SlotBeside, with one other production connection in {@code p}'s snapshot (and a staging connection of its own)
     * taking tables from the front while this thread takes the rest, finds for every table exactly what the reads on
     * {@code p} and {@code s} alone find (production's changes, the rows read, the base rows, staging's side, the counts).
     */
    private static void assertSameBeside(StagedPair pair, Connection p, Connection s, List<CatchUpTable> tables, SlotScan.Changes changes)
            throws Exception {
        List<CatchUpTable> bySlot = tables.stream().filter(t -> changes.buckets().containsKey(t.name())).toList();
        SlotBeside beside = new SlotBeside(PG, bySlot, changes.buckets(), changes.ids(), changes.goneKeys());
        ExportedSnapshot other = ExportedSnapshot.open(p, PG, pair.production::connect, 1, why -> {
            throw new AssertionError(why);
        });
        List<String> took;
        Map<String, SlotBeside.Compared> got = new HashMap<>();
        try (Connection base = pair.staging.connect()) {
            java.util.concurrent.CompletableFuture<List<String>> worker = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> beside.work(other.connections().get(0), base, new PhaseClock()));
            for (CatchUpTable t : bySlot) got.put(t.name(), beside.await(t, p, s, new PhaseClock()));
            took = worker.join();
        } finally {
            other.close();
        }
        assertEquals(bySlot.size(), got.size());
        for (CatchUpTable t : bySlot) {
            SlotBeside.Compared inline = SlotBeside.compare(p, s, PG, t, changes.buckets().get(t.name()), changes.ids().get(t.name()),
                    changes.goneKeys().get(t.name()), new PhaseClock());
            SlotBeside.Compared b = got.get(t.name());
            assertEquals(kinds(inline.production()), kinds(b.production()), t.name() + " (taken beside: " + took.contains(t.name()) + ")");
            assertEquals(hashes(inline.production().rowsRead()), hashes(b.production().rowsRead()), t.name());
            assertEquals(inline.production().base(), b.production().base(), t.name());
            assertEquals(kinds(inline.staging()), kinds(b.staging()), t.name());
            assertEquals(hashes(inline.staging().rowsRead()), hashes(b.staging().rowsRead()), t.name());
            assertEquals(inline.staging().base(), b.staging().base(), t.name());
            assertEquals(inline.productionRows(), b.productionRows(), t.name());
        }
    }

    private static Map<String, String> kinds(ChangeScan.Result r) {
        Map<String, String> out = new TreeMap<>();
        r.changes().values().forEach(c -> out.put(c.key(), c.kind().name()));
        return out;
    }

    private static Map<String, Long> hashes(Map<String, ChangeScan.Row> rows) {
        Map<String, Long> out = new TreeMap<>();
        rows.forEach((k, r) -> out.put(k, r.hash()));
        return out;
    }

    /** One pass as CatchUpMain runs it: other connections, the slot when {@code slot}, the final pass when {@code last}. */
    private static String pass(StagedPair pair, boolean slot, boolean last) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CatchUp.Outcome outcome = run(pair, slot, last, out);
        assertTrue(outcome.applied() && outcome.verification().passed(), outcome.conflicts() + " "
                + (outcome.verification() == null ? "" : outcome.verification().problems()) + "\n" + out.toString(StandardCharsets.UTF_8));
        String log = out.toString(StandardCharsets.UTF_8);
        System.out.print(log);
        return log;
    }

    private static CatchUp.Outcome run(StagedPair pair, boolean slot, boolean last, ByteArrayOutputStream out) throws Exception {
        try (PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);
                Connection p = pair.production.connect(); Connection s = pair.staging.connect()) {
            CatchUp pass = new CatchUp(p, s, true, null, log, pair.production.name).sharing(pair.production::connect)
                    .readingSlot(slot ? settings(pair) : null).finalPass(last);
            return org.carbonupgrade.support.RunSettings.pointingAt(pair.staging, pass::run);
        }
    }

    private static ConnectionSettings settings(StagedPair pair) {
        return new ConnectionSettings(pair.production.url, pair.production.user, pair.production.password);
    }

    /** This staging's slots on production's server (by the stage's prefix). */
    private static List<String> slots(StagedPair pair) throws Exception {
        try (Connection s = pair.staging.connect(); Connection p = pair.production.connect();
                PreparedStatement ps = p.prepareStatement("SELECT slot_name FROM pg_replication_slots WHERE left(slot_name, length(?)) = ?"
                        + " ORDER BY slot_name")) {
            String prefix = SlotScan.prefix(s);
            ps.setString(1, prefix);
            ps.setString(2, prefix);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        }
    }

    /** A test that ends with a slot recorded drops it: a slot left on the server holds its WAL. */
    private static void dropSlots(StagedPair pair) throws Exception {
        try (Connection p = pair.production.connect()) {
            for (String slot : slots(pair)) Writes.single(p, "SELECT COUNT(pg_drop_replication_slot('" + slot + "'))");
        }
        assertEquals(List.of(), slots(pair));
    }

    private static String recordedSlot(StagedPair pair) throws Exception {
        try (Connection s = pair.staging.connect()) {
            SlotScan.Recorded r = SlotScan.recorded(s);
            assertNotNull(r, "a slot is recorded");
            return r.slot();
        }
    }

    /** A production write the next pass must bring over: tenant 1's e-mail, set to a text from {@code what}. */
    private static void change(StagedPair pair, String what) throws Exception {
        pair.changeTenantEmail(what);
    }

    private static void assertChanged(StagedPair pair, String what) throws Exception {
        pair.assertTenantEmail(what);
    }

    private static List<String> column(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
