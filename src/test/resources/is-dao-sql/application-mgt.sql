-- Application (service-provider) management (ApplicationConfigDAO, DBQueries): IDN_APPMGT_APP / _CLIENT / _STEP.
-- Extracted verbatim (whitespace collapsed) from the constant named on each "statement:" line; replayed by IdentityDaoSqlTest.
-- "wso2-bug: <engines>: <reason>" marks a statement that fails there whatever the schema; the test checks that it still fails.

-- statement: DBQueries.STORE_BASIC_APPINFO
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.application.mgt/src/main/java/org/wso2/carbon/identity/application/mgt/DBQueries.java:22
INSERT INTO IDN_APPMGT_APP (APP_ID, TENANT_ID, USERNAME) VALUES (?,?,?)

-- statement: DBQueries.STORE_CLIENT_INFO
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.application.mgt/src/main/java/org/wso2/carbon/identity/application/mgt/DBQueries.java:25
INSERT INTO IDN_APPMGT_CLIENT (APP_ID, CLIENT_ID, CLIENT_SECRETE, CALLBACK_URL, TYPE) VALUES (?,?,?,?,?)

-- statement: DBQueries.STORE_STEP_INFO
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.application.mgt/src/main/java/org/wso2/carbon/identity/application/mgt/DBQueries.java:28
INSERT INTO IDN_APPMGT_STEP (APP_ID, STEP_ID, AUTHN_ID, IDP_ID, ENDPOINT, TYPE) VALUES (?,?,?,?,?,?)

-- statement: DBQueries.GAT_BASIC_APP_INFO
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.application.mgt/src/main/java/org/wso2/carbon/identity/application/mgt/DBQueries.java:31
-- wso2-bug: all: "ADN" instead of "AND" is a syntax error on every engine
SELECT USERNAME FROM IDN_APPMGT_APP WHERE APP_ID = ? ADN TENANT_ID = ?

-- statement: DBQueries.GET_CLIENT_INFO
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.application.mgt/src/main/java/org/wso2/carbon/identity/application/mgt/DBQueries.java:35
SELECT CLIENT_ID, CLIENT_SECRETE, CALLBACK_URL, TYPE FROM IDN_APPMGT_CLIENT WHERE APP_ID = ?

-- statement: DBQueries.GET_STEP_INFO
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.application.mgt/src/main/java/org/wso2/carbon/identity/application/mgt/DBQueries.java:39
SELECT STEP_ID, AUTHN_ID, IDP_ID, ENDPOINT, TYPE FROM IDN_APPMGT_STEP WHERE APP_ID = ?

-- statement: DBQueries.GET_ALL_APP
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.application.mgt/src/main/java/org/wso2/carbon/identity/application/mgt/DBQueries.java:43
SELECT APP_ID FROM IDN_APPMGT_APP WHERE TENANT_ID = ?

-- statement: DBQueries.GET_APP_ID
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.application.mgt/src/main/java/org/wso2/carbon/identity/application/mgt/DBQueries.java:45
SELECT APP_ID FROM IDN_APPMGT_CLIENT WHERE CLIENT_ID = ? AND TYPE = ?

-- statement: DBQueries.REMOVE_APP_FROM_APPMGT_APP
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.application.mgt/src/main/java/org/wso2/carbon/identity/application/mgt/DBQueries.java:47
DELETE FROM IDN_APPMGT_APP WHERE APP_ID = ?

-- statement: DBQueries.REMOVE_APP_FROM_APPMGT_CLIENT
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.application.mgt/src/main/java/org/wso2/carbon/identity/application/mgt/DBQueries.java:48
DELETE FROM IDN_APPMGT_CLIENT WHERE APP_ID = ?

-- statement: DBQueries.REMOVE_APP_FROM_APPMGT_STEP
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.application.mgt/src/main/java/org/wso2/carbon/identity/application/mgt/DBQueries.java:49
DELETE FROM IDN_APPMGT_STEP WHERE APP_ID = ?

