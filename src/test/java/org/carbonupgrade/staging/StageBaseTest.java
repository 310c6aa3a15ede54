package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Errors;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The base of a staging copy: the production side recorded set-based in the database, the staging side recorded
 * by the upgrade's last changeset, on a 4.0.0 Identity Server database with the base tables in place (as the
 * stage command leaves it). An in-place upgrade records nothing (every other upgrade test runs without them).
 */
class StageBaseTest {
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void bothSidesOfTheBaseAreRecordedForEveryRow(Engine engine) throws Exception {
        TestDatabase db = Fixtures.identity40(engine, "stagebase_" + engine.profile());
        List<StagedTable> tables;
        long production;
        try (Connection c = db.connect()) {
            tables = StagedTables.of(c, engine, true);
            assertEquals(StagedTables.baselineNames(engine, true).size(), tables.size(), "every 4.0.0 table takes part");
            List<String> names = tables.stream().map(StagedTable::name).toList();
            assertTrue(names.indexOf("UM_USER") < names.indexOf("UM_USER_ROLE") && names.indexOf("UM_ROLE") < names.indexOf("UM_USER_ROLE")
                    && names.indexOf("REG_PATH") < names.indexOf("REG_RESOURCE"), "parents first: " + names);
            BaseTables.create(c, engine);
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + BaseTables.STAGE + " (STAGE_ID, STATE, HOW, STARTED_AT) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, "test");
                ps.setString(2, BaseTables.COPYING);
                ps.setString(3, "RESTORED");
                ps.setTimestamp(4, Timestamp.from(Instant.now()));
                ps.executeUpdate();
            }
            production = StageBase.recordProductionSide(c, engine, tables);
            c.commit();
            long rows = 0;
            for (StagedTable t : tables) {
                long n = Rows.count(c, "SELECT COUNT(*) FROM " + t.name());
                rows += t.primaryKey() ? n : Rows.count(c, "SELECT COUNT(*) FROM (" + StageBase.baseRowsSelect(engine, t.withBuckets(1)) + ") X");
                assertEquals(n, Rows.count(c, "SELECT COALESCE(SUM(CASE WHEN 1 = 1 THEN 1 END), 0) FROM " + t.name()), t.name());
            }
            assertTrue(rows > 500, "the fixture has rows: " + rows);
            assertEquals(rows, production, "one base row per key");
            assertEquals(production, Rows.count(c, "SELECT COUNT(*) FROM " + BaseTables.ROWS + " WHERE SIDE = 'P'"));
            assertEquals(BaseTables.STAGED, StageBase.state(c));
            assertEquals(tables.size(), StageBase.recorded(c, StageBase.PRODUCTION).size());
            // Tables keyed by a generated integer id get id-range buckets: ~32 ids per bucket, so a bucket's base rows are a
            // range of the id; tables without primary key (keyed on all columns) keep hash buckets.
            for (StagedTable t : StageBase.recorded(c, StageBase.PRODUCTION)) {
                if (List.of("UM_USER", "UM_USER_ATTRIBUTE", "UM_HYBRID_USER_ROLE", "UM_ROLE_PERMISSION", "REG_RESOURCE").contains(t.name())) {
                    assertTrue(t.rangeBuckets(), t.name() + " has id-range buckets");
                    long[] ids = {Rows.count(c, "SELECT MIN(" + t.keyColumns().get(0) + ") FROM " + t.name()),
                        Rows.count(c, "SELECT MAX(" + t.keyColumns().get(0) + ") FROM " + t.name())};
                    assertTrue((ids[1] - ids[0] + 1) <= (long) t.buckets() * t.bucketWidth(), t.name() + ": the ranges cover the ids");
                    assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM " + BaseTables.ROWS + " WHERE SIDE = 'P' AND TABLE_NAME = '" + t.name()
                            + "' AND (BUCKET < " + ids[0] / t.bucketWidth() + " OR BUCKET > " + ids[1] / t.bucketWidth() + ")"), t.name() + ": buckets are id ranges");
                }
                if (t.name().equals("REG_RESOURCE_TAG")) assertFalse(t.rangeBuckets(), "no primary key: hash buckets");
            }
            assertEquals(List.of(), StageBase.recorded(c, StageBase.STAGING), "no staging side before the upgrade");
            // Recording again (a crash after the copy) gives the same base, not twice the rows.
            assertEquals(production, StageBase.recordProductionSide(c, engine, tables));
            c.commit();
            assertEquals(production, Rows.count(c, "SELECT COUNT(*) FROM " + BaseTables.ROWS + " WHERE SIDE = 'P'"));
        }

        Upgrade.of(db).identityServer().update();

        try (Connection c = db.connect()) {
            assertEquals(BaseTables.UPGRADED, StageBase.state(c));
            List<StagedTable> upgraded = StageBase.recorded(c, StageBase.STAGING);
            boolean dropped = !new org.carbonupgrade.schema.SchemaReader(c).tableNames().containsKey("UM_CLAIM_BEHAVIOR");
            assertEquals(engine != Engine.POSTGRESQL, dropped, "4.2.0's H2 and MySQL scripts have no UM_CLAIM_BEHAVIOR");
            assertEquals(tables.size() - (dropped ? 1 : 0), upgraded.size(), "every table 4.2.0 still has");
            long staging = Rows.count(c, "SELECT COUNT(*) FROM " + BaseTables.ROWS + " WHERE SIDE = 'S'");
            long expected = 0;
            for (StagedTable t : upgraded) {
                expected += Rows.count(c, "SELECT COUNT(*) FROM (" + StageBase.baseRowsSelect(engine, t) + ") X");
                // Each table's staging side equals its rows now, hash for hash.
                assertEquals(Rows.count(c, "SELECT COALESCE(SUM(H), 0) FROM (" + StageBase.baseRowsSelect(engine, t) + ") X"),
                        Rows.count(c, "SELECT COALESCE(SUM(ROW_HASH), 0) FROM " + BaseTables.ROWS + " WHERE SIDE = 'S' AND TABLE_NAME = '" + t.name() + "'"),
                        t.name());
            }
            assertEquals(expected, staging);
            StagedTable domains = upgraded.stream().filter(t -> t.name().equals("UM_HYBRID_USER_ROLE")).findFirst().orElseThrow();
            assertTrue(domains.columns().contains("UM_DOMAIN_ID"), "the staging side hashes the 4.2.0 columns: " + domains.columns());
            assertEquals(production, Rows.count(c, "SELECT COUNT(*) FROM " + BaseTables.ROWS + " WHERE SIDE = 'P'"), "the production side stays");
        }
    }

    /**
     * The bucket index is built once, after both sides' base rows are in (kept up during the bulk inserts it made the
     * recording several times slower on MariaDB: docs/benchmark.md "Stage base recording"). MariaDB's and H2's CREATE
     * INDEX commits what precedes it, so an upgrade killed during that statement leaves the staging side's rows
     * committed, no index, the stage STAGED and the changeset unrecorded. That state is made here directly (a single
     * DDL statement is no window a watcher can aim a SIGKILL at, unlike StageTest's copy): catch-up refuses it and
     * names the fix, and the upgrade run again records the side again, builds the index and converges.
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void theBucketIndexIsBuiltAfterTheBaseAndAnUpgradeKilledBeforeItConverges(Engine engine) throws Exception {
        StagedPair pair = StagedPair.restoredNotUpgraded(engine, "stagebase_ix");
        try (Connection c = pair.staging.connect()) {
            assertEquals(BaseTables.STAGED, StageBase.state(c));
            assertFalse(BaseTables.hasBucketIndex(c), "the production side is recorded without the bucket index");
        }
        Upgrade.of(pair.staging).identityServer().update();
        Map<String, List<String>> base;
        try (Connection c = pair.staging.connect()) {
            assertTrue(BaseTables.hasBucketIndex(c), "built at the end of the staging side");
            base = base(c);
            assertTrue(base.get(BaseTables.ROWS).stream().anyMatch(r -> r.startsWith("SIDE=S;")), "a staging side: " + base.get(BaseTables.ROWS).size());
        }

        try (Connection c = pair.staging.connect(); Statement s = c.createStatement()) {
            BaseTables.dropBucketIndex(c, engine);
            s.executeUpdate("UPDATE " + BaseTables.STAGE + " SET STATE = '" + BaseTables.STAGED + "', UPGRADED_AT = NULL");
            assertEquals(1, s.executeUpdate("DELETE FROM DATABASECHANGELOG WHERE ID = 'staging-record-upgraded-base'"));
        }
        Exception refused = assertThrows(Exception.class, pair::catchUp);
        assertTrue(Errors.messages(refused).contains("Run liquibase:update on staging first"), Errors.messages(refused));

        Upgrade.of(pair.staging).identityServer().update();
        try (Connection c = pair.staging.connect()) {
            assertEquals(BaseTables.UPGRADED, StageBase.state(c));
            assertTrue(BaseTables.hasBucketIndex(c), "the re-run built the index");
            assertEquals(base, base(c), "the same base rows and summary as the uninterrupted upgrade");
        }
        assertEquals(0, pair.catchUp().rows(), "production and staging hold the same rows: nothing to bring over");
    }

    private static Map<String, List<String>> base(Connection c) throws Exception {
        Map<String, List<String>> all = Rows.dump(c, null);
        return Map.of(BaseTables.ROWS, all.get(BaseTables.ROWS), BaseTables.SUMMARY, all.get(BaseTables.SUMMARY));
    }
}
