package org.carbonupgrade.rehearsal;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Base64;
import java.util.Map;

/**
 * What an Identity Server 4.0.0 leaves in its identity tables, for the super tenant and each tenant: OAuth 1.0a
 * and 2.0 applications with request/access tokens and authorization codes, SCIM groups and a SCIM provider,
 * OpenID associations, remember-me cookies and relying parties, STS tokens, and a SAML2 SSO service provider in the
 * config registry (the predecessor of IS 4.6.0's service providers; identity providers had none in the database).
 */
public final class Identity400Seeder {
    private static final Timestamp ISSUED = Timestamp.valueOf("2013-09-02 08:15:00");
    /** The registry tables whose ids this seeder generates, with their id column (each generator: table + _PK_SEQ). */
    private static final Map<String, String> REGISTRY_IDS = Map.of("REG_PATH", "REG_PATH_ID", "REG_RESOURCE", "REG_VERSION", "REG_PROPERTY", "REG_ID");
    private final Connection c;
    private final int tenants;
    private final int usersPerTenant;
    private IdCounters registryIds;

    public Identity400Seeder(Connection c, int tenants, int usersPerTenant) {
        this.c = c;
        this.tenants = tenants;
        this.usersPerTenant = usersPerTenant;
    }

    public void seed() throws SQLException {
        int[] lastIds = new int[2];
        ExplicitIds.seed(c, () -> {
            registryIds = new IdCounters(c, REGISTRY_IDS);
            try (Batch base = new Batch(c, "INSERT INTO IDN_BASE_TABLE (PRODUCT_NAME) VALUES (?)")) {
                base.add("WSO2 Identity Server");
            }
            for (int t = 0; t <= tenants; t++) {
                int tenant = t == 0 ? Carbon400Seeder.SUPER_TENANT : t;
                seedOAuth(tenant);
                lastIds[0] = seedScim(tenant, lastIds[0]);
                seedOpenId(tenant);
                lastIds[1] = seedSts(tenant, lastIds[1]);
                seedSamlServiceProvider(tenant);
            }
        }, () -> {
            ExplicitIds.advance(c, "IDN_SCIM_GROUP", "ID", "IDN_SCIM_GROUP_PK_SEQ", lastIds[0] + 1);
            ExplicitIds.advance(c, "IDN_STS_STORE", "ID", "IDN_STS_STORE_PK_SEQ", lastIds[1] + 1);
            for (String table : REGISTRY_IDS.keySet()) {
                ExplicitIds.advance(c, table, REGISTRY_IDS.get(table), table + "_PK_SEQ", registryIds.peek(table));
            }
        });
    }

    private void seedOAuth(int tenant) throws SQLException {
        String app2 = key(tenant, "oauth2"), app1 = key(tenant, "oauth1a");
        try (Batch apps = new Batch(c, "INSERT INTO IDN_OAUTH_CONSUMER_APPS (CONSUMER_KEY, CONSUMER_SECRET, USERNAME, TENANT_ID, APP_NAME, OAUTH_VERSION, CALLBACK_URL) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            apps.add(app2, "secret-" + app2, "admin", tenant, "playground2", "OAuth-2.0", "https://app.example.com/oauth2/callback");
            apps.add(app1, "secret-" + app1, "admin", tenant, "legacy-portal", "OAuth-1.0a", "https://portal.example.com/callback");
        }
        try (Batch tokens = new Batch(c, "INSERT INTO IDN_OAUTH2_ACCESS_TOKEN (ACCESS_TOKEN, REFRESH_TOKEN, CONSUMER_KEY, AUTHZ_USER, USER_TYPE, TIME_CREATED, VALIDITY_PERIOD, TOKEN_SCOPE, TOKEN_STATE, TOKEN_STATE_ID) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int u = 1; u <= usersPerTenant + 1; u++) {
                String user = Carbon400Seeder.userName(u);
                tokens.add(key(tenant, "at" + u), key(tenant, "rt" + u), app2, user, "APPLICATION_USER", ISSUED, 3600000L,
                        u % 2 == 0 ? "openid" : "default", u % 3 == 0 ? "EXPIRED" : "ACTIVE", u % 3 == 0 ? key(tenant, "state" + u) : "NONE");
            }
        }
        try (Batch codes = new Batch(c, "INSERT INTO IDN_OAUTH2_AUTHORIZATION_CODE (AUTHORIZATION_CODE, CONSUMER_KEY, SCOPE, AUTHZ_USER, TIME_CREATED, VALIDITY_PERIOD) VALUES (?, ?, ?, ?, ?, ?)")) {
            codes.add(key(tenant, "code"), app2, "openid", "admin", ISSUED, 300000L);
        }
        try (Batch req = new Batch(c, "INSERT INTO IDN_OAUTH1A_REQUEST_TOKEN (REQUEST_TOKEN, REQUEST_TOKEN_SECRET, CONSUMER_KEY, CALLBACK_URL, SCOPE, AUTHORIZED, OAUTH_VERIFIER, AUTHZ_USER) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            req.add(key(tenant, "req"), "req-secret", app1, "https://portal.example.com/callback", "read", "true", "verifier-" + tenant, "admin");
        }
        try (Batch acc = new Batch(c, "INSERT INTO IDN_OAUTH1A_ACCESS_TOKEN (ACCESS_TOKEN, ACCESS_TOKEN_SECRET, CONSUMER_KEY, SCOPE, AUTHZ_USER) VALUES (?, ?, ?, ?, ?)")) {
            acc.add(key(tenant, "acc"), "acc-secret", app1, "read", "admin");
        }
    }

    private int seedScim(int tenant, int id) throws SQLException {
        try (Batch g = new Batch(c, "INSERT INTO IDN_SCIM_GROUP (ID, TENANT_ID, ROLE_NAME, ATTR_NAME, ATTR_VALUE) VALUES (?, ?, ?, ?, ?)")) {
            for (String role : new String[] {"admin", "developers"}) {
                g.add(++id, tenant, role, "urn:scim:schemas:core:1.0:id", "scim-" + tenant + "-" + role);
                g.add(++id, tenant, role, "urn:scim:schemas:core:1.0:meta.created", "2013-09-02T08:15:00");
            }
        }
        try (Batch p = new Batch(c, "INSERT INTO IDN_SCIM_PROVIDER (CONSUMER_ID, PROVIDER_ID, USER_NAME, USER_PASSWORD, USER_URL, GROUP_URL, BULK_URL) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            p.add("admin@" + tenant, "partner-idp", "scim-admin", "c2NpbS1wYXNz", "https://partner.example.com/scim/Users",
                    "https://partner.example.com/scim/Groups", null);
        }
        return id;
    }

    private void seedOpenId(int tenant) throws SQLException {
        try (Batch a = new Batch(c, "INSERT INTO IDN_OPENID_ASSOCIATIONS (HANDLE, ASSOC_TYPE, EXPIRE_IN, MAC_KEY, ASSOC_STORE) VALUES (?, ?, ?, ?, ?)")) {
            a.add(key(tenant, "assoc"), "HMAC-SHA256", ISSUED, "bWFjLWtleQ==", "SHARED");
        }
        try (Batch r = new Batch(c, "INSERT INTO IDN_OPENID_REMEMBER_ME (USER_NAME, TENANT_ID, COOKIE_VALUE, CREATED_TIME) VALUES (?, ?, ?, ?)")) {
            r.add("admin", tenant, "remember-" + tenant, ISSUED);
        }
        try (Batch rp = new Batch(c, "INSERT INTO IDN_OPENID_USER_RPS (USER_NAME, TENANT_ID, RP_URL, TRUSTED_ALWAYS, LAST_VISIT, VISIT_COUNT, DEFAULT_PROFILE_NAME) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            rp.add("admin", tenant, "https://rp.example.com/", "TRUE", Date.valueOf("2013-09-01"), 12, "default");
        }
    }

    private int seedSts(int tenant, int id) throws SQLException {
        try (Batch s = new Batch(c, "INSERT INTO IDN_STS_STORE (ID, TOKEN_ID, TOKEN_CONTENT, CREATE_DATE, EXPIRE_DATE, STATE) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.add(++id, key(tenant, "saml"), ("<saml:Assertion ID=\"" + tenant + "\"/>").getBytes(StandardCharsets.UTF_8), ISSUED,
                    Timestamp.valueOf("2013-09-02 09:15:00"), 0);
        }
        return id;
    }

    /** Registry path of the SAML2 SSO service providers in the config registry, and the issuer IS 4.0.0 registered. */
    public static final String SAML_SSO_PATH = "/_system/config/repository/identity/SAMLSSO";
    public static final String SAML_SSO_ISSUER = "travelocity.com";

    /**
     * A SAML2 SSO service provider as IS 4.0.x stored it: SAMLSSOServiceProviderDAO.addServiceProvider (identity.core,
     * techybolek/platform @ 140e68636b, the 4.0.x trunk) puts a resource at IdentityRegistryResources.SAML_SSO_SERVICE_PROVIDERS
     * ("/repository/" + "identity/" + "SAMLSSO/") + the issuer in base64 without '=' in the config registry (mounted at
     * /_system/config), with one property per setting. Rows follow Carbon400Seeder's registry layout (collections as
     * resources without a name, unversioned properties linked by path id and resource name). Ids continue each
     * table's one counter across tenants, as 4.0.x's generators do (see Carbon400Seeder).
     */
    private void seedSamlServiceProvider(int tenant) throws SQLException {
        String[] dirs = {"/_system/config/repository", "/_system/config/repository/identity", SAML_SSO_PATH};
        String name = Base64.getEncoder().encodeToString(SAML_SSO_ISSUER.getBytes(StandardCharsets.UTF_8)).replace("=", "");
        int first = registryIds.peek("REG_PATH"), sso = first + dirs.length - 1;
        try (Batch p = new Batch(c, "INSERT INTO REG_PATH (REG_PATH_ID, REG_PATH_VALUE, REG_PATH_PARENT_ID, REG_TENANT_ID) VALUES (?, ?, ?, ?)")) {
            int parent = pathId("/_system/config", tenant);
            for (String dir : dirs) {
                int id = registryIds.take("REG_PATH");
                p.add(id, dir, parent, tenant);
                parent = id;
            }
        }
        try (Batch r = new Batch(c, "INSERT INTO REG_RESOURCE (REG_PATH_ID, REG_NAME, REG_VERSION, REG_MEDIA_TYPE, REG_CREATOR, REG_CREATED_TIME, REG_LAST_UPDATOR, REG_LAST_UPDATED_TIME, REG_DESCRIPTION, REG_CONTENT_ID, REG_TENANT_ID, REG_UUID) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < dirs.length; i++) {
                r.add(first + i, null, registryIds.take("REG_RESOURCE"), null, "wso2.system.user", ISSUED, "wso2.system.user", ISSUED, null, null, tenant, uuid(tenant, 101 + i));
            }
            r.add(sso, name, registryIds.take("REG_RESOURCE"), null, "admin", ISSUED, "admin", ISSUED, null, null, tenant, uuid(tenant, 104));
        }
        String[][] props = {{"Issuer", SAML_SSO_ISSUER}, {"SAMLSSOAssertionConsumerURL", "https://travelocity.example.com/samlsso"},
            {"IssuerCertAlias", "wso2carbon"}, {"logoutURL", "https://travelocity.example.com/logout"},
            {"useFullyQualifiedUsername", "false"}, {"doSingleLogout", "true"}, {"doSignAssertions", "true"}};
        int firstProperty = registryIds.peek("REG_PROPERTY");
        try (Batch prop = new Batch(c, "INSERT INTO REG_PROPERTY (REG_ID, REG_NAME, REG_VALUE, REG_TENANT_ID) VALUES (?, ?, ?, ?)")) {
            for (String[] property : props) prop.add(registryIds.take("REG_PROPERTY"), property[0], property[1], tenant);
        }
        try (Batch rp = new Batch(c, "INSERT INTO REG_RESOURCE_PROPERTY (REG_PROPERTY_ID, REG_VERSION, REG_PATH_ID, REG_RESOURCE_NAME, REG_TENANT_ID) VALUES (?, ?, ?, ?, ?)")) {
            for (int i = 0; i < props.length; i++) rp.add(firstProperty + i, null, sso, name, tenant);
        }
    }

    private int pathId(String path, int tenant) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT REG_PATH_ID FROM REG_PATH WHERE REG_PATH_VALUE = ? AND REG_TENANT_ID = ?")) {
            ps.setString(1, path);
            ps.setInt(2, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("Tenant " + tenant + " has no registry path " + path + ": seed it with Carbon400Seeder first");
                return rs.getInt(1);
            }
        }
    }

    private static String uuid(int tenant, int n) {
        return String.format("%08x-0000-4000-9000-%012x", tenant & 0xffffffffL, n);
    }

    private static String key(int tenant, String what) {
        return what + "-" + (tenant < 0 ? "super" : "t" + tenant);
    }
}
