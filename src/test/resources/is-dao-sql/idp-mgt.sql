-- Identity-provider management (IdPMgtDAO) as of the February 2014 snapshot: the 21-column UM_TENANT_IDP (SAML2 SSO / OpenID Connect settings) and the claim tables.
-- Extracted verbatim (whitespace collapsed) from the constant named on each "statement:" line; replayed by IdentityDaoSqlTest.
-- "wso2-bug: <engines>: <reason>" marks a statement that fails there whatever the schema; the test checks that it still fails.

-- statement: SQLQueries.GET_TENANT_IDPS_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:24
SELECT UM_TENANT_IDP_NAME, UM_TENANT_IDP_HOME_REALM_ID FROM UM_TENANT_IDP WHERE UM_TENANT_ID=?

-- statement: SQLQueries.GET_IDP_BY_NAME_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:26
SELECT UM_ID, UM_TENANT_IDP_PRIMARY, UM_TENANT_IDP_HOME_REALM_ID, UM_TENANT_IDP_THUMBPRINT, UM_TENANT_IDP_TOKEN_EP_ALIAS, UM_TENANT_IDP_SAML2_SSO_ENABLED, UM_TENANT_IDP_ISSUER, UM_TENANT_IDP_SP_ENTITY_ID, UM_TENANT_IDP_URL, UM_TENANT_IDP_AUTHN_REQUEST_SIGNED, UM_TENANT_IDP_LOGOUT_ENABLED, UM_TENANT_IDP_LOGOUT_URL, UM_TENANT_IDP_LOGOUT_REQUEST_SIGNED, UM_TENANT_IDP_AUTHN_RESPONSE_SIGNED, UM_TENANT_IDP_OIDC_ENABLED, UM_TENANT_IDP_CONSUMER_KEY, UM_TENANT_IDP_CONSUMER_SECRET, UM_TENANT_IDP_AUTHZ_URL, UM_TENANT_IDP_TOKEN_URL FROM UM_TENANT_IDP WHERE UM_TENANT_ID=? AND UM_TENANT_IDP_NAME=?

-- statement: SQLQueries.GET_IDP_BY_REALM_ID_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:33
SELECT UM_ID, UM_TENANT_IDP_NAME, UM_TENANT_IDP_PRIMARY, UM_TENANT_IDP_THUMBPRINT, UM_TENANT_IDP_TOKEN_EP_ALIAS, UM_TENANT_IDP_SAML2_SSO_ENABLED, UM_TENANT_IDP_ISSUER, UM_TENANT_IDP_SP_ENTITY_ID, UM_TENANT_IDP_URL, UM_TENANT_IDP_AUTHN_REQUEST_SIGNED, UM_TENANT_IDP_LOGOUT_ENABLED, UM_TENANT_IDP_LOGOUT_URL, UM_TENANT_IDP_LOGOUT_REQUEST_SIGNED, UM_TENANT_IDP_AUTHN_RESPONSE_SIGNED, UM_TENANT_IDP_OIDC_ENABLED, UM_TENANT_IDP_CONSUMER_KEY, UM_TENANT_IDP_CONSUMER_SECRET, UM_TENANT_IDP_AUTHZ_URL, UM_TENANT_IDP_TOKEN_URL FROM UM_TENANT_IDP WHERE UM_TENANT_ID=? AND UM_TENANT_IDP_HOME_REALM_ID=?

-- statement: SQLQueries.GET_TENANT_IDP_CLAIM_MAPPINGS_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:40
SELECT UM_TENANT_CLAIM FROM UM_TENANT_IDP_CLAIM_MAPPINGS WHERE UM_TENANT_IDP_CLAIM_ID=?

-- statement: SQLQueries.GET_TENANT_IDP_ROLE_MAPPINGS_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:42
SELECT UM_TENANT_ROLE FROM UM_TENANT_IDP_ROLE_MAPPINGS WHERE UM_TENANT_IDP_ROLE_ID=?

-- statement: SQLQueries.UPDATE_TENANT_IDP_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:44
UPDATE UM_TENANT_IDP SET UM_TENANT_IDP_NAME=?, UM_TENANT_IDP_PRIMARY=?, UM_TENANT_IDP_HOME_REALM_ID=?, UM_TENANT_IDP_THUMBPRINT=?, UM_TENANT_IDP_TOKEN_EP_ALIAS=?, UM_TENANT_IDP_SAML2_SSO_ENABLED=?, UM_TENANT_IDP_ISSUER=?, UM_TENANT_IDP_SP_ENTITY_ID=?, UM_TENANT_IDP_URL=?, UM_TENANT_IDP_AUTHN_REQUEST_SIGNED=?, UM_TENANT_IDP_LOGOUT_ENABLED=?, UM_TENANT_IDP_LOGOUT_URL=?, UM_TENANT_IDP_LOGOUT_REQUEST_SIGNED=?, UM_TENANT_IDP_AUTHN_RESPONSE_SIGNED=?, UM_TENANT_IDP_OIDC_ENABLED=?, UM_TENANT_IDP_CONSUMER_KEY=?, UM_TENANT_IDP_CONSUMER_SECRET=?, UM_TENANT_IDP_AUTHZ_URL=?, UM_TENANT_IDP_TOKEN_URL=? WHERE UM_TENANT_ID=? AND UM_TENANT_IDP_NAME=?

-- statement: SQLQueries.ADD_TENANT_IDP_CLAIMS_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:52
INSERT INTO UM_TENANT_IDP_CLAIMS (UM_TENANT_IDP_ID, UM_TENANT_IDP_CLAIM) VALUES (?, ?)

-- statement: SQLQueries.DELETE_TENANT_IDP_CLAIMS_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:54
DELETE FROM UM_TENANT_IDP_CLAIMS WHERE (UM_TENANT_IDP_ID=? AND UM_TENANT_IDP_CLAIM=?)

-- statement: SQLQueries.UPDATE_TENANT_IDP_CLAIMS_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:56
UPDATE UM_TENANT_IDP_CLAIMS SET UM_TENANT_IDP_CLAIM=? WHERE (UM_TENANT_IDP_ID=? AND UM_TENANT_IDP_CLAIM=?)

-- statement: SQLQueries.GET_TENANT_IDP_CLAIMS_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:58
SELECT UM_ID, UM_TENANT_IDP_CLAIM FROM UM_TENANT_IDP_CLAIMS WHERE UM_TENANT_IDP_ID=?

-- statement: SQLQueries.DELETE_TENANT_IDP_CLAIM_MAPPINGS_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:60
DELETE FROM UM_TENANT_IDP_CLAIM_MAPPINGS WHERE (UM_TENANT_IDP_CLAIM_ID=? AND UM_TENANT_ID=? AND UM_TENANT_CLAIM=?)

-- statement: SQLQueries.ADD_TENANT_IDP_CLAIM_MAPPINGS_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:62
INSERT INTO UM_TENANT_IDP_CLAIM_MAPPINGS (UM_TENANT_IDP_CLAIM_ID, UM_TENANT_ID, UM_TENANT_CLAIM) VALUES (?, ?, ?)

-- statement: SQLQueries.ADD_TENANT_IDP_ROLES_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:64
INSERT INTO UM_TENANT_IDP_ROLES (UM_TENANT_IDP_ID, UM_TENANT_IDP_ROLE) VALUES (?, ?)

-- statement: SQLQueries.DELETE_TENANT_IDP_ROLES_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:66
DELETE FROM UM_TENANT_IDP_ROLES WHERE (UM_TENANT_IDP_ID=? AND UM_TENANT_IDP_ROLE=?)

-- statement: SQLQueries.UPDATE_TENANT_IDP_ROLES_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:68
UPDATE UM_TENANT_IDP_ROLES SET UM_TENANT_IDP_ROLE=? WHERE (UM_TENANT_IDP_ID=? AND UM_TENANT_IDP_ROLE=?)

-- statement: SQLQueries.GET_TENANT_IDP_ROLES_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:70
SELECT UM_ID, UM_TENANT_IDP_ROLE FROM UM_TENANT_IDP_ROLES WHERE UM_TENANT_IDP_ID=?

-- statement: SQLQueries.DELETE_TENANT_IDP_ROLE_MAPPINGS_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:72
DELETE FROM UM_TENANT_IDP_ROLE_MAPPINGS WHERE (UM_TENANT_IDP_ROLE_ID=? AND UM_TENANT_ID=? AND UM_TENANT_ROLE=?)

-- statement: SQLQueries.ADD_TENANT_IDP_ROLE_MAPPINGS_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:74
INSERT INTO UM_TENANT_IDP_ROLE_MAPPINGS (UM_TENANT_IDP_ROLE_ID, UM_TENANT_ID, UM_TENANT_ROLE) VALUES (?, ?, ?)

-- statement: SQLQueries.ADD_TENANT_IDP_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:76
INSERT INTO UM_TENANT_IDP (UM_TENANT_ID, UM_TENANT_IDP_NAME, UM_TENANT_IDP_PRIMARY, UM_TENANT_IDP_HOME_REALM_ID, UM_TENANT_IDP_THUMBPRINT, UM_TENANT_IDP_TOKEN_EP_ALIAS, UM_TENANT_IDP_SAML2_SSO_ENABLED, UM_TENANT_IDP_ISSUER, UM_TENANT_IDP_SP_ENTITY_ID, UM_TENANT_IDP_URL, UM_TENANT_IDP_AUTHN_REQUEST_SIGNED, UM_TENANT_IDP_LOGOUT_ENABLED, UM_TENANT_IDP_LOGOUT_URL, UM_TENANT_IDP_LOGOUT_REQUEST_SIGNED, UM_TENANT_IDP_AUTHN_RESPONSE_SIGNED, UM_TENANT_IDP_OIDC_ENABLED, UM_TENANT_IDP_CONSUMER_KEY, UM_TENANT_IDP_CONSUMER_SECRET, UM_TENANT_IDP_AUTHZ_URL, UM_TENANT_IDP_TOKEN_URL) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)

-- statement: SQLQueries.DELETE_TENANT_IDP_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:84
DELETE FROM UM_TENANT_IDP WHERE (UM_TENANT_ID=? AND UM_TENANT_IDP_NAME=?)

-- statement: SQLQueries.IS_EXISTING_TENANT_IDP_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:86
SELECT UM_ID FROM UM_TENANT_IDP WHERE (UM_TENANT_ID=? AND UM_TENANT_IDP_NAME=?)

-- statement: SQLQueries.IS_EXISTING_PRIMARY_TENANT_IDP_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:88
SELECT UM_ID FROM UM_TENANT_IDP WHERE (UM_TENANT_ID=? AND UM_TENANT_IDP_PRIMARY=?)

-- statement: SQLQueries.SWITCH_TENANT_IDP_PRIMARY_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:90
UPDATE UM_TENANT_IDP SET UM_TENANT_IDP_PRIMARY=? WHERE (UM_TENANT_ID=? AND UM_TENANT_IDP_PRIMARY=?)

-- statement: SQLQueries.SWITCH_TENANT_IDP_PRIMARY_ON_DELETE_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:92
UPDATE UM_TENANT_IDP SET UM_TENANT_IDP_PRIMARY=? WHERE (UM_TENANT_ID=? AND UM_TENANT_IDP_NAME=? AND UM_TENANT_IDP_PRIMARY=?)

-- statement: SQLQueries.DELETE_TENANT_ROLE_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:94
DELETE FROM UM_TENANT_IDP_ROLE_MAPPINGS WHERE (UM_TENANT_ID=? AND UM_TENANT_ROLE=?)

-- statement: SQLQueries.RENAME_TENANT_ROLE_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:96
UPDATE UM_TENANT_IDP_ROLE_MAPPINGS SET UM_TENANT_ROLE=? WHERE (UM_TENANT_ID=? AND UM_TENANT_ROLE=?)

