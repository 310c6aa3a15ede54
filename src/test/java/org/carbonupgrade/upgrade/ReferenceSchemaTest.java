package org.carbonupgrade.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

import org.carbonupgrade.Engine;
import org.carbonupgrade.schema.ReferenceCheck;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** After upgrading the Carbon 4.0.0 baseline, the carbon group equals the 4.2.0 reference of the engine. */
class ReferenceSchemaTest {

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void upgradedCarbonSchemaEqualsTheReference(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "reference_" + engine.profile());
        Upgrade.of(db).update();
        assertMatchesReference(db, Set.of("carbon"), "carbon");
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void upgradedIdentityServerSchemaEqualsTheReference(Engine engine) throws Exception {
        TestDatabase db = Fixtures.identity40(engine, "reference_is_" + engine.profile());
        Upgrade.of(db).identityServer().update();
        assertMatchesReference(db, Set.of("carbon", "identity", "idp"), "is");
    }

    private static void assertMatchesReference(TestDatabase db, Set<String> groups, String scope) throws Exception {
        try (Connection c = db.connect()) {
            ReferenceCheck.Outcome outcome = ReferenceCheck.run(c, groups);
            String engine = db.engine.profile();
            System.out.printf("[reference] %s/%s: %d tables compared, %d differences, %d allow-listed, %d unexplained%n",
                    engine, scope, outcome.tablesCompared(), outcome.all().size(),
                    outcome.all().size() - outcome.unexplained().size(), outcome.unexplained().size());
            outcome.all().forEach(d -> System.out.println("[reference]   " + engine + " | " + d
                    + (outcome.allowList().allows(d) ? "  (allowed: " + outcome.allowList().reason(d) + ")" : "")));
            assertEquals("", String.join("\n", outcome.unexplained().stream().map(Object::toString).toList()),
                    "differences from the Carbon 4.2.0 reference that the allow-list does not explain");
            if (groups.contains("identity")) {
                // The full scope sees every entry, so each must still be needed.
                assertEquals(Set.of(), Set.copyOf(outcome.allowList().unused(outcome.all())),
                        "allow-list entries that match no difference (remove them)");
            }
        }
    }

    /** The comparison is only worth something if it sees a deviation: break an upgraded schema and look. */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void comparisonCatchesAMissingColumnAndAnExtraIndex(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "reference_broken_" + engine.profile());
        Upgrade.of(db).update();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE UM_CLAIM DROP COLUMN UM_READ_ONLY");
            s.execute("CREATE INDEX EXTRA_DOMAIN_NAME ON UM_DOMAIN (UM_DOMAIN_NAME)");
            List<String> keys = ReferenceCheck.run(c, Set.of("carbon")).unexplained().stream()
                    .map(d -> d.key()).toList();
            assertTrue(keys.contains("UM_CLAIM/column/UM_READ_ONLY"), keys.toString());
            assertTrue(keys.contains("UM_DOMAIN/implicit_index/[UM_DOMAIN_NAME]"), keys.toString());
            assertEquals(2, keys.size(), keys.toString());
        }
    }
}
