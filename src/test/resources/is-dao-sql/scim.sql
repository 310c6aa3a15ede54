-- SCIM group attributes (GroupDAO) and SCIM providers (SCIMProviderDAO).
-- Extracted verbatim (whitespace collapsed) from the constant named on each "statement:" line; replayed by IdentityDaoSqlTest.
-- "wso2-bug: <engines>: <reason>" marks a statement that fails there whatever the schema; the test checks that it still fails.

-- statement: SQLQueries.GET_ATTRIBUTES_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.scim.common/src/main/java/org/wso2/carbon/identity/scim/common/utils/SQLQueries.java:23
SELECT ATTR_NAME, ATTR_VALUE FROM IDN_SCIM_GROUP WHERE IDN_SCIM_GROUP.TENANT_ID=? AND IDN_SCIM_GROUP.ROLE_NAME=?

-- statement: SQLQueries.GET_GROUP_NAME_BY_ID_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.scim.common/src/main/java/org/wso2/carbon/identity/scim/common/utils/SQLQueries.java:26
SELECT ROLE_NAME FROM IDN_SCIM_GROUP WHERE IDN_SCIM_GROUP.TENANT_ID=? AND IDN_SCIM_GROUP.ATTR_VALUE=? AND IDN_SCIM_GROUP.ATTR_NAME=?

-- statement: SQLQueries.ADD_ATTRIBUTES_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.scim.common/src/main/java/org/wso2/carbon/identity/scim/common/utils/SQLQueries.java:29
INSERT INTO IDN_SCIM_GROUP (TENANT_ID, ROLE_NAME, ATTR_NAME, ATTR_VALUE) VALUES (?, ?, ?, ?)

-- statement: SQLQueries.UPDATE_ATTRIBUTES_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.scim.common/src/main/java/org/wso2/carbon/identity/scim/common/utils/SQLQueries.java:31
-- wso2-bug: all: IDN_SCIM_GROUP has no UM_ATTR_VALUE column in any WSO2 script (the column is ATTR_VALUE), so this statement fails everywhere
UPDATE IDN_SCIM_GROUP SET UM_ATTR_VALUE=? WHERE TENANT_ID=? AND ROLE_NAME=? AND ATTR_NAME=?

-- statement: SQLQueries.UPDATE_GROUP_NAME_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.scim.common/src/main/java/org/wso2/carbon/identity/scim/common/utils/SQLQueries.java:33
UPDATE IDN_SCIM_GROUP SET ROLE_NAME=? WHERE TENANT_ID=? AND ROLE_NAME=?

-- statement: SQLQueries.DELETE_GROUP_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.scim.common/src/main/java/org/wso2/carbon/identity/scim/common/utils/SQLQueries.java:35
DELETE FROM IDN_SCIM_GROUP WHERE TENANT_ID=? AND ROLE_NAME=?

-- statement: SQLQueries.CHECK_EXISTING_GROUP_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.scim.common/src/main/java/org/wso2/carbon/identity/scim/common/utils/SQLQueries.java:37
SELECT * FROM IDN_SCIM_GROUP WHERE IDN_SCIM_GROUP.TENANT_ID=? AND IDN_SCIM_GROUP.ROLE_NAME=?

-- statement: SQLQueries.CHECK_EXISTING_ATTRIBUTE_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.scim.common/src/main/java/org/wso2/carbon/identity/scim/common/utils/SQLQueries.java:39
SELECT * FROM IDN_SCIM_GROUP WHERE IDN_SCIM_GROUP.TENANT_ID=? AND IDN_SCIM_GROUP.ROLE_NAME=? AND IDN_SCIM_GROUP.ATTR_NAME=?

-- statement: SQLQueries.GET_ALL_PROVIDERS_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.scim.common/src/main/java/org/wso2/carbon/identity/scim/common/utils/SQLQueries.java:44
SELECT PROVIDER_ID, USER_NAME, USER_PASSWORD, USER_URL, GROUP_URL, BULK_URL FROM IDN_SCIM_PROVIDER WHERE IDN_SCIM_PROVIDER.CONSUMER_ID=?

-- statement: SQLQueries.GET_PROVIDER_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.scim.common/src/main/java/org/wso2/carbon/identity/scim/common/utils/SQLQueries.java:47
SELECT USER_NAME, USER_PASSWORD, USER_URL, GROUP_URL, BULK_URL FROM IDN_SCIM_PROVIDER WHERE IDN_SCIM_PROVIDER.CONSUMER_ID=? AND IDN_SCIM_PROVIDER.PROVIDER_ID=?

-- statement: SQLQueries.DELETE_PROVIDER_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.scim.common/src/main/java/org/wso2/carbon/identity/scim/common/utils/SQLQueries.java:50
DELETE FROM IDN_SCIM_PROVIDER WHERE CONSUMER_ID=? AND PROVIDER_ID=?

-- statement: SQLQueries.UPDATE_PROVIDER_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.scim.common/src/main/java/org/wso2/carbon/identity/scim/common/utils/SQLQueries.java:52
UPDATE IDN_SCIM_PROVIDER SET USER_NAME=?, USER_PASSWORD=?, USER_URL=?, GROUP_URL=?, BULK_URL=? WHERE CONSUMER_ID=? AND PROVIDER_ID=?

-- statement: SQLQueries.ADD_PROVIDER_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.scim.common/src/main/java/org/wso2/carbon/identity/scim/common/utils/SQLQueries.java:54
INSERT INTO IDN_SCIM_PROVIDER (CONSUMER_ID, PROVIDER_ID, USER_NAME, USER_PASSWORD, USER_URL, GROUP_URL, BULK_URL) VALUES (?, ?, ?, ?, ?, ?, ?)

-- statement: SQLQueries.CHECK_EXISTING_PROVIDER_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.scim.common/src/main/java/org/wso2/carbon/identity/scim/common/utils/SQLQueries.java:57
SELECT * FROM IDN_SCIM_PROVIDER WHERE IDN_SCIM_PROVIDER.CONSUMER_ID=? AND IDN_SCIM_PROVIDER.PROVIDER_ID=?

-- statement: SQLQueries.CHECK_EXISTING_CONSUMER_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.scim.common/src/main/java/org/wso2/carbon/identity/scim/common/utils/SQLQueries.java:59
SELECT * FROM IDN_SCIM_PROVIDER WHERE IDN_SCIM_PROVIDER.CONSUMER_ID=?

-- statement: SQLQueries.CHECK_FIRST_STARTUP_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.scim.common/src/main/java/org/wso2/carbon/identity/scim/common/utils/SQLQueries.java:61
SELECT * FROM IDN_SCIM_PROVIDER

