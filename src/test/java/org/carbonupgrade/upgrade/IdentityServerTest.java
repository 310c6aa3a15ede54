package org.carbonupgrade.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.carbonupgrade.Engine;
import org.carbonupgrade.schema.ReferenceCheck;
import org.carbonupgrade.schema.SchemaReader;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.Snapshot;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Identity Server part runs only under the is context, seeds its rows once, and converges like the rest. */
class IdentityServerTest {

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void aPlainCarbonUpgradeNeverTouchesIdentityOrIdpTables(Engine engine) throws Exception {
        TestDatabase db = Fixtures.identity40(engine, "is_untouched_" + engine.profile());
        Map<String, String> before = identityPart(db);
        Upgrade.of(db).update();
        assertEquals(before, identityPart(db), "identity tables changed by a carbon-only upgrade");
        try (Connection c = db.connect()) {
            Set<String> tables = new SchemaReader(c).tableNames().keySet();
            assertFalse(tables.stream().anyMatch(t -> t.startsWith("IDP_") || t.startsWith("UM_TENANT_IDP")), tables.toString());
            assertFalse(tables.contains("IDN_IDENTITY_USER_DATA"), tables.toString());
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOG WHERE CONTEXTS LIKE '%is%'"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void seedRowsAreInsertedExactlyOnceEvenWhenTheRunIsRepeated(Engine engine) throws Exception {
        TestDatabase db = Fixtures.identity40(engine, "is_seed_" + engine.profile());
        Upgrade.of(db).identityServer().update();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            assertEquals(1, Rows.count(c, "SELECT COUNT(*) FROM IDP_BASE_TABLE WHERE NAME = 'IdP'"));
            assertEquals(1, Rows.count(c, "SELECT COUNT(*) FROM IDN_BASE_TABLE"));
            // A crash after the insert committed but before Liquibase recorded it: the next run must not insert again.
            s.execute("DELETE FROM DATABASECHANGELOG WHERE ID IN ('idp-base-table-insert-idp-row', 'idn-base-table-insert-product-row')");
            if (!c.getAutoCommit()) c.commit();
        }
        Upgrade.of(db).identityServer().update();
        try (Connection c = db.connect()) {
            assertEquals(1, Rows.count(c, "SELECT COUNT(*) FROM IDP_BASE_TABLE"));
            assertEquals(1, Rows.count(c, "SELECT COUNT(*) FROM IDN_BASE_TABLE"));
            assertEquals(1, Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOG WHERE ID = 'idp-base-table-insert-idp-row' AND EXECTYPE = 'MARK_RAN'"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void anIdentityServerRunStoppedHalfWayConverges(Engine engine) throws Exception {
        TestDatabase straight = Fixtures.identity40(engine, "is_straight_" + engine.profile());
        Upgrade.of(straight).identityServer().update();
        TestDatabase db = Fixtures.identity40(engine, "is_stopped_" + engine.profile());
        Upgrade.of(db).identityServer().update(60);
        Upgrade.of(db).identityServer().update();
        assertEquals(data(straight), data(db));
        try (Connection c = db.connect()) {
            assertEquals(List.of(), ReferenceCheck.run(c, Set.of("carbon", "identity", "idp")).unexplained());
        }
    }

    private static Map<String, String> identityPart(TestDatabase db) throws Exception {
        Map<String, String> all = new TreeMap<>(Snapshot.of(db));
        all.keySet().removeIf(t -> !t.startsWith("IDN_"));
        return all;
    }

    private static Map<String, List<String>> data(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            Map<String, List<String>> all = new TreeMap<>(Rows.dump(c, null));
            all.keySet().removeIf(t -> t.startsWith("DATABASECHANGELOG") || t.startsWith("CARBON_UPGRADE_"));
            return all;
        }
    }
}
