package org.carbonupgrade.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.carbonupgrade.Engine;
import org.carbonupgrade.rehearsal.Identity400Seeder;
import org.carbonupgrade.support.DaoStatements;
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

    /**
     * The service-provider predecessors IS 4.0.0 keeps in the database are its OAuth applications
     * (IDN_OAUTH_CONSUMER_APPS; 4.6.0 lists them as a service provider's inbound OAuth configuration). Read through
     * IS 4.6.0's own OAuthAppDAO and TokenMgtDAO SQL after the upgrade, every application and token is what 4.0.0
     * wrote, with no grant-type restriction (GRANT_TYPES NULL: every grant the server allows, as in 4.0.0).
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void oauthApplicationsAndTokensReadIntactThroughIs46Sql(Engine engine) throws Exception {
        TestDatabase db = Fixtures.identity40(engine, "is_sp_" + engine.profile());
        List<List<String>> apps, tokens;
        try (Connection c = db.connect()) {
            apps = rows(c, "SELECT CONSUMER_KEY, CONSUMER_SECRET, USERNAME, APP_NAME, OAUTH_VERSION, CALLBACK_URL, TENANT_ID "
                    + "FROM IDN_OAUTH_CONSUMER_APPS ORDER BY CONSUMER_KEY");
            tokens = rows(c, "SELECT ACCESS_TOKEN, AUTHZ_USER, TOKEN_SCOPE, VALIDITY_PERIOD FROM IDN_OAUTH2_ACCESS_TOKEN ORDER BY ACCESS_TOKEN");
        }
        assertEquals((Fixtures.TENANTS + 1) * 2, apps.size(), "the seed's OAuth 1.0a and 2.0 application per tenant");
        Upgrade.of(db).identityServer().update();
        String appInfo = is46("oauth", "OAuthAppDAOSQLQueries.GET_APP_INFO");
        String bearer = is46("oauth2", "SQLQueries.VALIDATE_BEARER_TOKEN");
        try (Connection c = db.connect()) {
            for (List<String> app : apps) {
                List<List<String>> read = rows(c, appInfo, app.get(0));
                assertEquals(1, read.size(), app.get(0));
                List<String> got = read.get(0); // CONSUMER_SECRET, USERNAME, APP_NAME, OAUTH_VERSION, CALLBACK_URL, TENANT_ID, GRANT_TYPES
                assertEquals(app.subList(1, 7), got.subList(0, 6), app.get(0));
                assertNull(got.get(6), "GRANT_TYPES of " + app.get(0));
            }
            for (List<String> token : tokens) {
                List<List<String>> read = rows(c, bearer, token.get(0)); // AUTHZ_USER, TOKEN_SCOPE, TIME_CREATED, VALIDITY_PERIOD
                assertEquals(1, read.size(), token.get(0));
                assertEquals(List.of(token.get(1), token.get(2), token.get(3)),
                        List.of(read.get(0).get(0), read.get(0).get(1), read.get(0).get(3)), token.get(0));
            }
        }
    }

    /**
     * IS 4.0.0's SAML2 SSO service providers are config-registry resources (Identity400Seeder.seedSamlServiceProvider):
     * after the upgrade each tenant's provider is still found the way Carbon's registry finds a resource (path row,
     * resource named by the base64 issuer, its properties), with every setting 4.0.0 wrote.
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void samlServiceProvidersStayInTheRegistry(Engine engine) throws Exception {
        TestDatabase db = Fixtures.identity40(engine, "is_saml_sp_" + engine.profile());
        String lookup = "SELECT R.REG_TENANT_ID, P.REG_NAME, P.REG_VALUE FROM REG_PATH RP "
                + "JOIN REG_RESOURCE R ON R.REG_PATH_ID = RP.REG_PATH_ID AND R.REG_TENANT_ID = RP.REG_TENANT_ID "
                + "JOIN REG_RESOURCE_PROPERTY L ON L.REG_PATH_ID = R.REG_PATH_ID AND L.REG_RESOURCE_NAME = R.REG_NAME AND L.REG_TENANT_ID = R.REG_TENANT_ID "
                + "JOIN REG_PROPERTY P ON P.REG_ID = L.REG_PROPERTY_ID AND P.REG_TENANT_ID = L.REG_TENANT_ID "
                + "WHERE RP.REG_PATH_VALUE = ? AND R.REG_NAME = ? ORDER BY R.REG_TENANT_ID, P.REG_NAME";
        String name = Base64.getEncoder().encodeToString(Identity400Seeder.SAML_SSO_ISSUER.getBytes(
                StandardCharsets.UTF_8)).replace("=", "");
        List<List<String>> before;
        try (Connection c = db.connect()) {
            before = rows(c, lookup, Identity400Seeder.SAML_SSO_PATH, name);
        }
        assertEquals((Fixtures.TENANTS + 1) * 7, before.size(), "seven settings per tenant");
        assertTrue(before.contains(List.of("-1234", "Issuer", Identity400Seeder.SAML_SSO_ISSUER)), before.toString());
        Upgrade.of(db).identityServer().update();
        try (Connection c = db.connect()) {
            assertEquals(before, rows(c, lookup, Identity400Seeder.SAML_SSO_PATH, name));
        }
    }

    private static String is46(String dao, String statement) throws Exception {
        return DaoStatements.load(dao).stream().filter(s -> s.name().equals(statement)).findFirst().orElseThrow().sql();
    }

    private static List<List<String>> rows(Connection c, String sql, String... params) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setString(i + 1, params[i]);
            List<List<String>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) row.add(rs.getString(i));
                    out.add(row);
                }
            }
            return out;
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
