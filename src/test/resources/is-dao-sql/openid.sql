-- OpenID provider DAOs (OpenIDAssociationDAO, OpenIDRememberMeTokenDAO, OpenIDUserRPDAO).
-- Extracted verbatim (whitespace collapsed) from the constant named on each "statement:" line; replayed by IdentityDaoSqlTest.
-- "wso2-bug: <engines>: <reason>" marks a statement that fails there whatever the schema; the test checks that it still fails.

-- statement: OpenIDSQLQueries.CHECK_ASSOCIATION_ENTRY_EXIST
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.provider/src/main/java/org/wso2/carbon/identity/provider/openid/dao/OpenIDSQLQueries.java:31
SELECT * FROM IDN_OPENID_ASSOCIATIONS WHERE HANDLE = ?

-- statement: OpenIDSQLQueries.LOAD_ASSOCIATION
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.provider/src/main/java/org/wso2/carbon/identity/provider/openid/dao/OpenIDSQLQueries.java:34
SELECT HANDLE, ASSOC_TYPE, EXPIRE_IN, MAC_KEY, ASSOC_STORE FROM IDN_OPENID_ASSOCIATIONS WHERE HANDLE = ?

-- statement: OpenIDSQLQueries.STORE_ASSOCIATION
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.provider/src/main/java/org/wso2/carbon/identity/provider/openid/dao/OpenIDSQLQueries.java:37
INSERT INTO IDN_OPENID_ASSOCIATIONS (HANDLE, ASSOC_TYPE, EXPIRE_IN, MAC_KEY, ASSOC_STORE) VALUES (?,?,?,?,?)

-- statement: OpenIDSQLQueries.REMOVE_ASSOCIATION
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.provider/src/main/java/org/wso2/carbon/identity/provider/openid/dao/OpenIDSQLQueries.java:40
DELETE FROM IDN_OPENID_ASSOCIATIONS WHERE HANDLE = ?

-- statement: OpenIDSQLQueries.CHECK_REMEMBER_ME_TOKEN_EXIST
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.provider/src/main/java/org/wso2/carbon/identity/provider/openid/dao/OpenIDSQLQueries.java:46
SELECT * FROM IDN_OPENID_REMEMBER_ME WHERE USER_NAME = ? AND TENANT_ID = ?

-- statement: OpenIDSQLQueries.STORE_REMEMBER_ME_TOKEN
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.provider/src/main/java/org/wso2/carbon/identity/provider/openid/dao/OpenIDSQLQueries.java:49
INSERT INTO IDN_OPENID_REMEMBER_ME (USER_NAME, TENANT_ID, COOKIE_VALUE) VALUES (?,?,?)

-- statement: OpenIDSQLQueries.UPDATE_REMEMBER_ME_TOKEN
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.provider/src/main/java/org/wso2/carbon/identity/provider/openid/dao/OpenIDSQLQueries.java:52
UPDATE IDN_OPENID_REMEMBER_ME SET COOKIE_VALUE = ? WHERE USER_NAME = ? AND TENANT_ID = ?

-- statement: OpenIDSQLQueries.LOAD_REMEMBER_ME_TOKEN
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.provider/src/main/java/org/wso2/carbon/identity/provider/openid/dao/OpenIDSQLQueries.java:55
SELECT USER_NAME, TENANT_ID, COOKIE_VALUE, CREATED_TIME FROM IDN_OPENID_REMEMBER_ME WHERE USER_NAME = ? AND TENANT_ID = ?

-- statement: OpenIDSQLQueries.CHECK_USER_RP_EXIST
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.provider/src/main/java/org/wso2/carbon/identity/provider/openid/dao/OpenIDSQLQueries.java:61
SELECT * FROM IDN_OPENID_USER_RPS WHERE USER_NAME = ? AND TENANT_ID = ? AND RP_URL = ?

-- statement: OpenIDSQLQueries.STORE_USER_RP
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.provider/src/main/java/org/wso2/carbon/identity/provider/openid/dao/OpenIDSQLQueries.java:64
INSERT INTO IDN_OPENID_USER_RPS (USER_NAME, TENANT_ID, RP_URL, TRUSTED_ALWAYS, LAST_VISIT, VISIT_COUNT, DEFAULT_PROFILE_NAME) VALUES (?,?,?,?,?,?,?)

-- statement: OpenIDSQLQueries.UPDATE_USER_RP
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.provider/src/main/java/org/wso2/carbon/identity/provider/openid/dao/OpenIDSQLQueries.java:68
UPDATE IDN_OPENID_USER_RPS SET TRUSTED_ALWAYS = ?, LAST_VISIT = ?, VISIT_COUNT = ?, DEFAULT_PROFILE_NAME = ? WHERE USER_NAME = ? AND TENANT_ID = ? AND RP_URL = ?

-- statement: OpenIDSQLQueries.LOAD_USER_RP
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.provider/src/main/java/org/wso2/carbon/identity/provider/openid/dao/OpenIDSQLQueries.java:72
SELECT USER_NAME, TENANT_ID, RP_URL, TRUSTED_ALWAYS, LAST_VISIT, VISIT_COUNT, DEFAULT_PROFILE_NAME FROM IDN_OPENID_USER_RPS WHERE USER_NAME = ? AND TENANT_ID = ? AND RP_URL = ?

-- statement: OpenIDSQLQueries.LOAD_ALL_USER_RPS
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.provider/src/main/java/org/wso2/carbon/identity/provider/openid/dao/OpenIDSQLQueries.java:75
SELECT USER_NAME, TENANT_ID, RP_URL, TRUSTED_ALWAYS, LAST_VISIT, VISIT_COUNT, DEFAULT_PROFILE_NAME FROM IDN_OPENID_USER_RPS

-- statement: OpenIDSQLQueries.LOAD_USER_RPS
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.provider/src/main/java/org/wso2/carbon/identity/provider/openid/dao/OpenIDSQLQueries.java:78
SELECT USER_NAME, TENANT_ID, RP_URL, TRUSTED_ALWAYS, LAST_VISIT, VISIT_COUNT, DEFAULT_PROFILE_NAME FROM IDN_OPENID_USER_RPS WHERE USER_NAME = ? AND TENANT_ID = ?

-- statement: OpenIDSQLQueries.LOAD_USER_RP_DEFAULT_PROFILE
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.provider/src/main/java/org/wso2/carbon/identity/provider/openid/dao/OpenIDSQLQueries.java:81
SELECT DEFAULT_PROFILE_NAME FROM IDN_OPENID_USER_RPS WHERE USER_NAME = ? AND TENANT_ID = ? AND RP_URL = ?

-- statement: OpenIDSQLQueries.REMOVE_USER_RP
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.provider/src/main/java/org/wso2/carbon/identity/provider/openid/dao/OpenIDSQLQueries.java:84
DELETE FROM IDN_OPENID_USER_RPS WHERE USER_NAME = ? AND TENANT_ID = ? AND RP_URL = ?

