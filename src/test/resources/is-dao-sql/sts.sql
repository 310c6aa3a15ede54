-- STS token store (DBStsDAO).
-- Extracted verbatim (whitespace collapsed) from the constant named on each "statement:" line; replayed by IdentityDaoSqlTest.
-- "wso2-bug: <engines>: <reason>" marks a statement that fails there whatever the schema; the test checks that it still fails.

-- statement: DBQueries.ADD_TOKEN
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.sts.store/src/main/java/org/wso2/carbon/identity/sts/store/DBQueries.java:22
INSERT INTO IDN_STS_STORE (TOKEN_ID, TOKEN_CONTENT,CREATE_DATE, EXPIRE_DATE,STATE) VALUES (?,?,?,?,?)

-- statement: DBQueries.UPDATE_TOKEN
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.sts.store/src/main/java/org/wso2/carbon/identity/sts/store/DBQueries.java:25
UPDATE IDN_STS_STORE SET TOKEN_CONTENT = ? ,CREATE_DATE = ?,EXPIRE_DATE = ?, STATE = ? WHERE TOKEN_ID = ?

-- statement: DBQueries.REMOVE_TOKEN
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.sts.store/src/main/java/org/wso2/carbon/identity/sts/store/DBQueries.java:28
DELETE FROM IDN_STS_STORE WHERE TOKEN_ID = ?

-- statement: DBQueries.ALL_TOKEN_KEYS
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.sts.store/src/main/java/org/wso2/carbon/identity/sts/store/DBQueries.java:30
SELECT TOKEN_ID FROM IDN_STS_STORE

-- statement: DBQueries.GET_TOKEN
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.sts.store/src/main/java/org/wso2/carbon/identity/sts/store/DBQueries.java:32
SELECT TOKEN_CONTENT FROM IDN_STS_STORE WHERE TOKEN_ID = ?

-- statement: DBQueries.GET_ALL_TOKENS
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.sts.store/src/main/java/org/wso2/carbon/identity/sts/store/DBQueries.java:34
SELECT * FROM IDN_STS_STORE

-- statement: DBQueries.VALID_TOKENS
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.sts.store/src/main/java/org/wso2/carbon/identity/sts/store/DBQueries.java:36
SELECT * FROM IDN_STS_STORE WHERE STATE =? OR STATE =?

-- statement: DBQueries.GET_TOKENS_BY_STATE
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.sts.store/src/main/java/org/wso2/carbon/identity/sts/store/DBQueries.java:38
SELECT * FROM IDN_STS_STORE WHERE STATE = ?

-- statement: DBQueries.TOKENS_EXISTS
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.sts.store/src/main/java/org/wso2/carbon/identity/sts/store/DBQueries.java:40
SELECT 1 FROM IDN_STS_STORE

