package org.carbonupgrade.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.carbonupgrade.Engine;
import org.carbonupgrade.change.ChunkedBackfill;
import org.carbonupgrade.gate.GateSettings;
import org.carbonupgrade.rehearsal.Baseline;
import org.carbonupgrade.rehearsal.Carbon400Seeder;
import org.carbonupgrade.schema.ReferenceCheck;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.carbonupgrade.support.UpgradeProcess;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL rebuilds UM_HYBRID_USER_ROLE with its domain ids and swaps it in (um-hybrid-user-role-rebuild-*,
 * HybridUserRoleRebuild) instead of updating every row: the result is the in-place fill's, rows, keys, privileges, comment
 * and sequence included; a run killed while copying or inside the swap ends, on the next run, where an uninterrupted one
 * ends; and with connected sessions allowed the table is filled in place as before.
 */
class HybridRebuildTest {
    private static final Engine PG = Engine.POSTGRESQL;
    private static final List<String> STEPS = List.of("um-hybrid-user-role-rebuild-create", "um-hybrid-user-role-rebuild-copy",
            "um-hybrid-user-role-rebuild-primary-key", "um-hybrid-user-role-rebuild-foreign-key", "um-hybrid-user-role-rebuild-swap",
            "um-hybrid-user-role-rebuild-analyze");
    private static final String COPY = "carbon_upgrade_hybrid_user_role";

    /**
     * The rebuild really runs (each step EXECUTED, the table a new relation), and ends with the rows the in-place fill
     * gives on the same data, names of edge forms included ("/x", "x/": no prefix, primary domain), 4.2.0's schema, the
     * keys under their 4.0.0 names, the privileges, comment and sequence the table had.
     */
    @Test
    void postgresqlRebuildsTheTableAndEndsAsTheInPlaceFill() throws Exception {
        TestDatabase rebuilt = Fixtures.carbon40(PG, "rb_rebuilt_postgresql");
        TestDatabase inPlace = rebuilt.copy("rb_in_place_postgresql");
        for (TestDatabase db : List.of(rebuilt, inPlace)) {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("SELECT setval('UM_HYBRID_USER_ROLE_PK_SEQ', (SELECT MAX(UM_ID) FROM UM_HYBRID_USER_ROLE))");
                s.execute("INSERT INTO UM_HYBRID_USER_ROLE (UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID)"
                        + " SELECT n, r.UM_ID, r.UM_TENANT_ID FROM (SELECT UM_ID, UM_TENANT_ID FROM UM_HYBRID_ROLE ORDER BY UM_TENANT_ID, UM_ID LIMIT 1) r,"
                        + " (VALUES ('/lead'), ('trail/'), ('foo/lower')) v(n)");
                s.execute("GRANT SELECT, INSERT ON UM_HYBRID_USER_ROLE TO PUBLIC");
                s.execute("COMMENT ON TABLE UM_HYBRID_USER_ROLE IS 'hybrid role members'");
                s.execute("ALTER SEQUENCE UM_HYBRID_USER_ROLE_PK_SEQ OWNED BY UM_HYBRID_USER_ROLE.UM_ID");
            }
        }
        long oidBefore;
        String aclBefore;
        try (Connection c = rebuilt.connect()) {
            oidBefore = Rows.count(c, "SELECT 'um_hybrid_user_role'::regclass::oid");
            aclBefore = text(c, "SELECT array_to_string(ARRAY(SELECT x::text FROM unnest(relacl) x ORDER BY 1), ' ') FROM pg_class WHERE oid = 'um_hybrid_user_role'::regclass");
        }
        Upgrade.of(rebuilt).update();
        Upgrade.of(inPlace).set(GateSettings.ALLOW_SESSIONS, "true").update();

        assertEquals(carbonData(inPlace), carbonData(rebuilt));
        try (Connection c = rebuilt.connect()) {
            for (String step : STEPS) assertEquals("EXECUTED", execType(c, step), step);
            assertNotEquals(oidBefore, Rows.count(c, "SELECT 'um_hybrid_user_role'::regclass::oid"), "a new relation");
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM pg_class WHERE relname = '" + COPY + "'"), "the copy is the table now");
            assertEquals(List.of(), ReferenceCheck.run(c, Set.of("carbon")).unexplained().stream().map(Object::toString).toList());
            assertEquals(aclBefore, text(c, "SELECT array_to_string(ARRAY(SELECT x::text FROM unnest(relacl) x ORDER BY 1), ' ') FROM pg_class WHERE oid = 'um_hybrid_user_role'::regclass"));
            assertEquals("hybrid role members", text(c, "SELECT obj_description('um_hybrid_user_role'::regclass, 'pg_class')"));
            assertEquals("um_hybrid_user_role.um_id", text(c, "SELECT d.refobjid::regclass::text || '.' || a.attname FROM pg_depend d"
                    + " JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
                    + " WHERE d.objid = 'um_hybrid_user_role_pk_seq'::regclass AND d.deptype = 'a'"), "the sequence moved with its column");
            assertEquals(keyNames(inPlace), keyNames(rebuilt));
            assertTrue(keyNames(rebuilt).contains("p um_hybrid_user_role_pkey"), keyNames(rebuilt).toString());
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO UM_HYBRID_USER_ROLE (UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID, UM_DOMAIN_ID)"
                        + " SELECT 'new-member', UM_ROLE_ID, UM_TENANT_ID, UM_DOMAIN_ID FROM UM_HYBRID_USER_ROLE ORDER BY UM_ID LIMIT 1");
            }
            assertEquals(Rows.count(c, "SELECT last_value FROM UM_HYBRID_USER_ROLE_PK_SEQ"), Rows.count(c, "SELECT MAX(UM_ID) FROM UM_HYBRID_USER_ROLE"),
                    "UM_ID still comes from its sequence");
        }
        try (Connection c = inPlace.connect()) {
            assertEquals("MARK_RAN", execType(c, STEPS.get(0)), "connected sessions allowed: filled in place");
            for (String step : STEPS.subList(1, STEPS.size())) assertEquals("MARK_RAN", execType(c, step), step);
        }
    }

    /**
     * A database an earlier build began to fill in place (some rows with their domain id and prefix stripped) is rebuilt
     * with those rows as they are and the rest filled: the result of an uninterrupted run.
     */
    @Test
    void rowsAnEarlierBuildFilledInPlaceAreCopiedAsTheyAre() throws Exception {
        TestDatabase straight = Fixtures.carbon40(PG, "rb_partly_straight_postgresql");
        TestDatabase partly = straight.copy("rb_partly_postgresql");
        Upgrade.of(straight).update();
        long createAt = Upgrade.orderExecuted(straight, STEPS.get(0));
        Upgrade.of(partly).update((int) createAt - 1);
        try (Connection c = partly.connect(); Statement s = c.createStatement()) {
            // As the earlier build's prefixed fill did, then its primary fill for the lowest keys only.
            s.executeUpdate("UPDATE UM_HYBRID_USER_ROLE SET UM_DOMAIN_ID = (SELECT d.UM_DOMAIN_ID FROM UM_DOMAIN d WHERE d.UM_TENANT_ID ="
                    + " UM_HYBRID_USER_ROLE.UM_TENANT_ID AND d.UM_DOMAIN_NAME = UPPER(SUBSTRING(UM_HYBRID_USER_ROLE.UM_USER_NAME FROM 1 FOR"
                    + " POSITION('/' IN UM_HYBRID_USER_ROLE.UM_USER_NAME) - 1))), UM_USER_NAME = SUBSTRING(UM_USER_NAME FROM POSITION('/' IN UM_USER_NAME) + 1)"
                    + " WHERE UM_DOMAIN_ID IS NULL AND POSITION('/' IN UM_USER_NAME) > 1 AND POSITION('/' IN UM_USER_NAME) < LENGTH(UM_USER_NAME)");
            assertTrue(s.executeUpdate("UPDATE UM_HYBRID_USER_ROLE SET UM_DOMAIN_ID = (SELECT d.UM_DOMAIN_ID FROM UM_DOMAIN d WHERE d.UM_TENANT_ID ="
                    + " UM_HYBRID_USER_ROLE.UM_TENANT_ID AND d.UM_DOMAIN_NAME = 'PRIMARY') WHERE UM_DOMAIN_ID IS NULL"
                    + " AND UM_ID < (SELECT MIN(UM_ID) + 5 FROM UM_HYBRID_USER_ROLE)") > 0);
        }
        Upgrade.of(partly).update();
        assertEquals(carbonData(straight), carbonData(partly));
        try (Connection c = partly.connect()) {
            assertEquals("EXECUTED", execType(c, "um-hybrid-user-role-rebuild-swap"));
        }
    }

    /**
     * Chunks smaller than a tenant's rows, so that chunks begin and end inside tenants: each chunk joins only the domains
     * of its own tenants (HybridUserRoleRebuild#insertChunkRebuilt), and the table swapped in already holds every row as
     * the in-place fill leaves it (looked at before the back-fill statements after the swap, which would mend a row the
     * copy left without its domain), and so does the end result.
     */
    @Test
    void chunksSpanningTenantsGetTheDomainsTheInPlaceFillGives() throws Exception {
        TestDatabase rebuilt = seeded("rb_chunks_postgresql");
        TestDatabase inPlace = rebuilt.copy("rb_chunks_in_place_postgresql");
        Upgrade.of(inPlace).set(GateSettings.ALLOW_SESSIONS, "true").update();
        long swapAt = Upgrade.orderExecuted(inPlace, STEPS.get(4));
        Upgrade.of(rebuilt).set(ChunkedBackfill.CHUNK_SIZE_PROPERTY, "37").update((int) swapAt);
        assertEquals(hybridRows(inPlace), hybridRows(rebuilt));
        Upgrade.of(rebuilt).set(ChunkedBackfill.CHUNK_SIZE_PROPERTY, "37").update();
        assertEquals(carbonData(inPlace), carbonData(rebuilt));
        try (Connection c = rebuilt.connect()) {
            assertEquals("EXECUTED", execType(c, "um-hybrid-user-role-rebuild-swap"));
        }
    }

    /**
     * Killed (SIGKILL, another JVM) once some chunks of the copy are committed: the copy holds whole chunks only and the
     * table is untouched. Killed again inside the swap's transaction (held there by a reader of UM_HYBRID_ROLE, whose
     * lock DROP TABLE waits for): nothing of the swap stays. The next run ends with the rows, schema and keys of an
     * uninterrupted run.
     */
    @Test
    void aRunKilledWhileCopyingOrSwappingConvergesToTheUninterruptedResult() throws Exception {
        TestDatabase straight = seeded("rb_crash_straight_postgresql");
        TestDatabase db = straight.copy("rb_crash_killed_postgresql");
        Upgrade.of(straight).update();
        long total;
        try (Connection c = db.connect()) {
            total = Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE");
        }
        // The gate refuses other sessions: this test looks at the database only once the gate has passed.
        Map<String, String> settings = Map.of(ChunkedBackfill.CHUNK_SIZE_PROPERTY, "200", GateSettings.ALLOW_SESSIONS, "false");

        Process p = UpgradeProcess.start(db, settings);
        awaitLog(db, p, STEPS.get(0) + "::carbon-upgrade ran successfully");
        try (Connection watcher = db.connect()) {
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline && p.isAlive() && value(watcher, "SELECT COUNT(*) FROM " + COPY) < 2_000) Thread.sleep(10);
        }
        kill(db, p);
        long copied;
        try (Connection c = db.connect()) {
            copied = Rows.count(c, "SELECT COUNT(*) FROM " + COPY);
            System.out.printf("[rebuild] killed with %d of %d rows copied%n", copied, total);
            assertTrue(copied >= 2_000 && copied < total, copied + " of " + total);
            assertEquals(copied, Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE UM_ID <= (SELECT MAX(UM_ID) FROM " + COPY + ")"),
                    "whole chunks: every row up to the highest key copied is in the copy");
            assertEquals(total, Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE " + ChunkedBackfill.LACKING), "the table is untouched");
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOG WHERE ID = '" + STEPS.get(1) + "'"));
        }
        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> l.forceReleaseLocks()); // the killed run's lock

        long oidBefore;
        p = UpgradeProcess.start(db, Map.of(ChunkedBackfill.CHUNK_SIZE_PROPERTY, "100", GateSettings.ALLOW_SESSIONS, "false"));
        awaitLog(db, p, "copy: resumed after UM_ID");
        try (Connection reader = db.connect(); Connection watcher = db.connect()) {
            reader.setAutoCommit(false);
            Rows.count(reader, "SELECT COUNT(*) FROM UM_HYBRID_ROLE"); // holds ACCESS SHARE until the rollback below
            oidBefore = Rows.count(watcher, "SELECT 'um_hybrid_user_role'::regclass::oid");
            String blocked = "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    + " AND query LIKE 'DROP TABLE um_hybrid_user_role%'";
            killWhen(db, p, watcher, blocked, "the swap waits inside its transaction");
            reader.rollback(); // the swap's DROP goes on, then its session finds its client gone and rolls back
        }
        UpgradeProcess.waitForServerToDropTheSession(db);
        try (Connection c = db.connect()) {
            assertEquals(oidBefore, Rows.count(c, "SELECT 'um_hybrid_user_role'::regclass::oid"), "the old table is still there");
            assertEquals(total, Rows.count(c, "SELECT COUNT(*) FROM " + COPY), "the copy is whole");
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOG WHERE ID = '" + STEPS.get(4) + "'"));
            assertEquals(1, Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOG WHERE ID = '" + STEPS.get(3) + "'"));
        }
        assertTrue(Files.readString(UpgradeProcess.logFile(db)).contains("rows copied in"), "the second run finished the copy");
        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> l.forceReleaseLocks());

        Upgrade.of(db).update();
        assertEquals(carbonData(straight), carbonData(db));
        assertEquals(keyNames(straight), keyNames(db));
        try (Connection c = db.connect()) {
            assertNotEquals(oidBefore, Rows.count(c, "SELECT 'um_hybrid_user_role'::regclass::oid"));
            assertEquals("EXECUTED", execType(c, STEPS.get(4)));
            assertEquals(List.of(), ReferenceCheck.run(c, Set.of("carbon")).unexplained().stream().map(Object::toString).toList());
        }
    }

    /**
     * Killed (SIGKILL) in the ANALYZE that follows the swap's commit, held there by a cost delay that this database sets
     * for ANALYZE alone (100 ms per page read): the table is the copy now, without planner statistics. updateSQL then lists
     * the ANALYZE, and the next run gathers them, by an ANALYZE of its own (analyze_count; autovacuum's would count as
     * autoanalyze_count). Before, the ANALYZE was part of the swap's changeset, which the next run recorded as ran.
     */
    @Test
    void aRunKilledAfterTheSwapCommittedAnalysesTheTableOnTheNextRun() throws Exception {
        TestDatabase db = seeded("rb_analyze_postgresql");
        long oidBefore;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + db.name + " SET vacuum_cost_delay = 100");
            s.execute("ALTER DATABASE " + db.name + " SET vacuum_cost_limit = 1");
            oidBefore = Rows.count(c, "SELECT 'um_hybrid_user_role'::regclass::oid");
        }
        Process p = UpgradeProcess.start(db, Map.of(GateSettings.ALLOW_SESSIONS, "false"));
        awaitLog(db, p, STEPS.get(0) + "::carbon-upgrade ran successfully"); // the gate refuses other sessions until then
        try (Connection watcher = db.connect()) {
            String analyzing = "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active'"
                    + " AND query ILIKE 'ANALYZE%um_hybrid_user_role%'";
            killWhen(db, p, watcher, analyzing, "the ANALYZE after the swap runs");
            // The killed client's ANALYZE would sleep on for minutes before its session noticed: ended as a DBA would.
            watcher.createStatement().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND pid <> pg_backend_pid()");
        }
        UpgradeProcess.waitForServerToDropTheSession(db);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + db.name + " RESET vacuum_cost_delay");
            s.execute("ALTER DATABASE " + db.name + " RESET vacuum_cost_limit");
            assertNotEquals(oidBefore, Rows.count(c, "SELECT 'um_hybrid_user_role'::regclass::oid"), "the swap committed");
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM pg_class WHERE relname = '" + COPY + "'"));
            assertEquals(0, manualAnalyses(c), "the killed ANALYZE left nothing");
        }
        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> l.forceReleaseLocks()); // the killed run's lock

        java.io.StringWriter review = new java.io.StringWriter();
        Upgrade.of(db).set(GateSettings.BACKUP, null).run(l -> l.update(new liquibase.Contexts("carbon"), new liquibase.LabelExpression(), review));
        String sql = review.toString().toUpperCase(java.util.Locale.ROOT);
        assertTrue(sql.contains("ANALYZE UM_HYBRID_USER_ROLE") && !sql.contains("DROP TABLE UM_HYBRID_USER_ROLE"), sql);

        Upgrade.of(db).update();
        try (Connection c = db.connect()) {
            assertEquals(1, manualAnalyses(c), "analysed by the upgrade");
            assertEquals(5, Rows.count(c, "SELECT COUNT(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'um_hybrid_user_role'"),
                    "statistics of each of its five columns");
            assertEquals("EXECUTED", execType(c, STEPS.get(5)));
        }
    }

    /**
     * A grant on UM_HYBRID_USER_ROLE that another role than the owner made (passing on its own WITH GRANT OPTION) keeps the
     * table out of the rebuild: re-issued by the owner on a new table, its grantor would change and the grantor's own
     * REVOKE would no longer take it back. The table is filled in place, its privileges exactly as they were.
     */
    @Test
    void aGrantPassedOnByAGranteeKeepsTheTableAndItsGrantorsFilledInPlace() throws Exception {
        TestDatabase db = Fixtures.carbon40(PG, "rb_grantor_postgresql");
        String auditor = TestDatabase.PREFIX + "rb_auditor";
        String reporter = TestDatabase.PREFIX + "rb_reporter";
        try {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                for (String role : List.of(reporter, auditor)) s.execute("DROP ROLE IF EXISTS " + role);
                s.execute("CREATE ROLE " + auditor);
                s.execute("CREATE ROLE " + reporter);
                s.execute("GRANT SELECT ON UM_HYBRID_USER_ROLE TO " + auditor + " WITH GRANT OPTION");
                s.execute("SET ROLE " + auditor);
                s.execute("GRANT SELECT ON UM_HYBRID_USER_ROLE TO " + reporter);
                s.execute("RESET ROLE");
            }
            String aclBefore;
            try (Connection c = db.connect()) {
                aclBefore = acl(c);
                assertTrue(aclBefore.contains(reporter + "=r/" + auditor), aclBefore);
                assertEquals(List.of("privileges granted by " + auditor + ", not by its owner, to " + reporter + " (SELECT)"),
                        org.carbonupgrade.change.HybridUserRoleRebuild.reasonsNotToRebuild(c, false), "the reason logged");
            }
            Upgrade.of(db).update();
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                assertEquals(aclBefore, acl(c));
                assertEquals("MARK_RAN", execType(c, STEPS.get(0)), "filled in place");
                assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE UM_DOMAIN_ID IS NULL"));
                s.execute("SET ROLE " + auditor);
                s.execute("REVOKE SELECT ON UM_HYBRID_USER_ROLE FROM " + reporter);
                s.execute("RESET ROLE");
                assertEquals("false", text(c, "SELECT has_table_privilege('" + reporter + "', 'um_hybrid_user_role', 'SELECT')::text"),
                        "the grantor takes its grant back");
            }
        } finally {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                for (String role : List.of(auditor, reporter)) {
                    if (Rows.count(c, "SELECT COUNT(*) FROM pg_roles WHERE rolname = '" + role + "'") == 0) continue;
                    // CASCADE: the grants the auditor passed on go with its own (DROP OWNED alone leaves them to their grantor).
                    s.execute("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM " + role + " CASCADE");
                    s.execute("DROP OWNED BY " + role);
                }
                for (String role : List.of(reporter, auditor)) s.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }

    private static String acl(Connection c) throws Exception {
        return text(c, "SELECT array_to_string(ARRAY(SELECT x::text FROM unnest(relacl) x ORDER BY 1), ' ') FROM pg_class WHERE oid = 'um_hybrid_user_role'::regclass");
    }

    /** ANALYZE commands run on the table (not autovacuum's). */
    private static long manualAnalyses(Connection c) throws Exception {
        return Rows.count(c, "SELECT analyze_count FROM pg_stat_user_tables WHERE relid = 'um_hybrid_user_role'::regclass");
    }

    /** A 4.0.0 database of 20 tenants as the seeder writes it (ids handed out in tenant order, as 4.0.x does). */
    private static TestDatabase seeded(String name) throws Exception {
        TestDatabase db = TestDatabase.fresh(PG, name);
        try (Connection c = db.connect()) {
            Baseline.create(c, false);
            new Carbon400Seeder(c, 20, 1500).seed();
        }
        return db;
    }

    private static void awaitLog(TestDatabase db, Process p, String text) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline && p.isAlive()) {
            if (Files.exists(UpgradeProcess.logFile(db)) && Files.readString(UpgradeProcess.logFile(db)).contains(text)) return;
            Thread.sleep(10);
        }
        throw new AssertionError("no \"" + text + "\" in " + UpgradeProcess.logFile(db) + (p.isAlive() ? "" : " (the upgrade ended)"));
    }

    /** SIGKILL once {@code sessions} (a count of pg_stat_activity rows) finds one: the upgrade is at the point {@code what} says. */
    private static void killWhen(TestDatabase db, Process p, Connection watcher, String sessions, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline && p.isAlive() && value(watcher, sessions) < 1) Thread.sleep(10);
        assertEquals(1, value(watcher, sessions), what + "; see " + UpgradeProcess.logFile(db));
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    private static void kill(TestDatabase db, Process p) throws Exception {
        assertTrue(p.isAlive(), "the upgrade finished before it could be killed; see " + UpgradeProcess.logFile(db));
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        UpgradeProcess.waitForServerToDropTheSession(db);
    }

    /** The table's constraints as "type name", sorted: the names later changesets and 4.2.0's schema know. */
    private static List<String> keyNames(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT contype::text || ' ' || conname FROM pg_constraint WHERE conrelid = 'um_hybrid_user_role'::regclass ORDER BY 1")) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        }
    }

    private static String execType(Connection c, String id) throws Exception {
        return text(c, "SELECT EXECTYPE FROM DATABASECHANGELOG WHERE ID = '" + id + "'");
    }

    private static String text(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static long value(Connection c, String sql) {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (Exception e) {
            return 0; // the copy does not exist yet
        }
    }

    private static List<String> hybridRows(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            return java.util.Objects.requireNonNull(Rows.dump(c, null).get("UM_HYBRID_USER_ROLE"), "UM_HYBRID_USER_ROLE dumped");
        }
    }

    private static Map<String, List<String>> carbonData(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            Map<String, List<String>> all = new TreeMap<>(Rows.dump(c, null));
            all.keySet().removeIf(t -> t.startsWith("DATABASECHANGELOG") || t.startsWith("CARBON_UPGRADE_"));
            return all;
        }
    }
}
