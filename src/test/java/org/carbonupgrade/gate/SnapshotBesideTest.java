package org.carbonupgrade.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.RunSettings;
import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gate takes the access snapshot on a second connection beside its own reads when the run's connection settings
 * (the profile with -Dliquibase.url/username/password, as the Maven plugin reads them) reach the database it checks,
 * and on its own connection otherwise; both give the very same snapshot, and the second connection does not count as
 * another session.
 */
class SnapshotBesideTest {
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MYSQL"})
    void besideTheGatesReadsItTakesTheSameSnapshot(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "beside_" + engine.profile());
        GateSettings settings = new GateSettings(engine.profile(), "carbon", "/backup", false);
        try (Connection c = db.connect()) {
            UpgradeGate.Result inline = UpgradeGate.check(c, settings, false);
            assertTrue(inline.passed(), inline.report());
            assertFalse(inline.accessSnapshot().timings.contains("beside"), inline.accessSnapshot().timings);

            UpgradeGate.Result beside = RunSettings.pointingAt(db, () -> UpgradeGate.check(c, settings, false));
            assertTrue(beside.passed(), beside.report());
            assertTrue(beside.accessSnapshot().timings.contains("taken beside the gate's other reads"), beside.accessSnapshot().timings);
            assertEquals(inline.accessSnapshot().textToStore(), beside.accessSnapshot().textToStore());
            assertEquals(inline.rowCounts(), beside.rowCounts());
        }
    }
}
