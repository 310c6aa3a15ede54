package org.carbonupgrade.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.carbonupgrade.Engine;
import org.carbonupgrade.schema.ReferenceCheck;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Re-runs, interrupted runs and databases an earlier attempt half-upgraded all end at the same 4.2.0 result. */
class ConvergenceTest {

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void aSecondRunChangesNothing(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "rerun_" + engine.profile());
        Upgrade.of(db).update();
        Map<String, List<String>> first = carbonData(db);
        long ran;
        try (Connection c = db.connect()) {
            ran = Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOG");
        }
        Upgrade.of(db).update();
        assertEquals(first, carbonData(db), "the second run changed Carbon data");
        try (Connection c = db.connect()) {
            assertEquals(ran, Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOG"), "the second run applied changesets");
            assertEquals(2, Rows.count(c, "SELECT COUNT(*) FROM CARBON_UPGRADE_RUN"), "each run is recorded");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void runsStoppedBetweenChangesetsConvergeToTheUninterruptedResult(Engine engine) throws Exception {
        TestDatabase reference = Fixtures.carbon40(engine, "straight_" + engine.profile());
        Upgrade.of(reference).update();
        Map<String, List<String>> expected = carbonData(reference);
        for (int stopAfter : new int[] {7, 33, 40}) {
            TestDatabase db = Fixtures.carbon40(engine, "stopped_" + stopAfter + "_" + engine.profile());
            Upgrade.of(db).update(stopAfter);
            Upgrade.of(db).update();
            assertEquals(expected, carbonData(db), "data after a run stopped at changeset " + stopAfter);
            assertNoUnexplainedDifferences(db);
        }
    }

    /** An earlier hand-run attempt created UM_DOMAIN, a domain column, a foreign key under another name and a domain row. */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void aHalfUpgradedDatabaseConverges(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "half_" + engine.profile());
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            if (engine == Engine.POSTGRESQL) {
                s.execute("CREATE SEQUENCE UM_DOMAIN_PK_SEQ");
                s.execute("CREATE TABLE UM_DOMAIN (UM_DOMAIN_ID INTEGER DEFAULT NEXTVAL('UM_DOMAIN_PK_SEQ'),"
                        + " UM_DOMAIN_NAME VARCHAR(255), UM_TENANT_ID INTEGER DEFAULT 0, PRIMARY KEY (UM_DOMAIN_ID, UM_TENANT_ID))");
            } else {
                s.execute("CREATE TABLE UM_DOMAIN (UM_DOMAIN_ID INTEGER AUTO_INCREMENT,"
                        + " UM_DOMAIN_NAME VARCHAR(255), UM_TENANT_ID INTEGER DEFAULT 0, PRIMARY KEY (UM_DOMAIN_ID, UM_TENANT_ID))");
            }
            s.execute("ALTER TABLE UM_HYBRID_USER_ROLE ADD UM_DOMAIN_ID INTEGER");
            s.execute("ALTER TABLE UM_HYBRID_USER_ROLE ADD CONSTRAINT HAND_RUN_DOMAIN_FK FOREIGN KEY (UM_DOMAIN_ID, UM_TENANT_ID)"
                    + " REFERENCES UM_DOMAIN (UM_DOMAIN_ID, UM_TENANT_ID) ON DELETE CASCADE");
            s.execute("INSERT INTO UM_DOMAIN (UM_DOMAIN_NAME, UM_TENANT_ID) VALUES ('PRIMARY', -1234)");
        }
        Upgrade.of(db).update();
        assertNoUnexplainedDifferences(db);
        try (Connection c = db.connect()) {
            assertEquals(1, Rows.count(c, "SELECT COUNT(*) FROM UM_DOMAIN WHERE UM_DOMAIN_NAME = 'PRIMARY' AND UM_TENANT_ID = -1234"));
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE UM_DOMAIN_ID IS NULL"));
        }
    }

    private static Map<String, List<String>> carbonData(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            Map<String, List<String>> all = new TreeMap<>(Rows.dump(c, null));
            all.keySet().removeIf(t -> t.startsWith("DATABASECHANGELOG") || t.startsWith("CARBON_UPGRADE_"));
            return all;
        }
    }

    private static void assertNoUnexplainedDifferences(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            assertEquals(List.of(), ReferenceCheck.run(c, Set.of("carbon")).unexplained().stream().map(Object::toString).toList());
        }
    }
}
