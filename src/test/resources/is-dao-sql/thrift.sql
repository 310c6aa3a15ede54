-- Thrift authentication sessions (DBThriftSessionDAO).
-- Extracted verbatim (whitespace collapsed) from the constant named on each "statement:" line; replayed by IdentityDaoSqlTest.
-- "wso2-bug: <engines>: <reason>" marks a statement that fails there whatever the schema; the test checks that it still fails.

-- statement: ThriftAuthenticationConstants.CHECK_EXISTING_THRIFT_SESSION_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.thrift.authentication/src/main/java/org/wso2/carbon/identity/thrift/authentication/internal/util/ThriftAuthenticationConstants.java:31
SELECT SESSION_ID FROM IDN_THRIFT_SESSION WHERE SESSION_ID=?

-- statement: ThriftAuthenticationConstants.GET_ALL_THRIFT_SESSIONS_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.thrift.authentication/src/main/java/org/wso2/carbon/identity/thrift/authentication/internal/util/ThriftAuthenticationConstants.java:34
SELECT SESSION_ID, USER_NAME, CREATED_TIME, LAST_MODIFIED_TIME FROM IDN_THRIFT_SESSION

-- statement: ThriftAuthenticationConstants.DELETE_SESSION_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.thrift.authentication/src/main/java/org/wso2/carbon/identity/thrift/authentication/internal/util/ThriftAuthenticationConstants.java:37
DELETE FROM IDN_THRIFT_SESSION WHERE SESSION_ID=?

-- statement: ThriftAuthenticationConstants.ADD_THRIFT_SESSION_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.thrift.authentication/src/main/java/org/wso2/carbon/identity/thrift/authentication/internal/util/ThriftAuthenticationConstants.java:39
INSERT INTO IDN_THRIFT_SESSION (SESSION_ID, USER_NAME, CREATED_TIME, LAST_MODIFIED_TIME) VALUES (?,?,?,?)

-- statement: ThriftAuthenticationConstants.UPDATE_LAST_MODIFIED_TIME_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.thrift.authentication/src/main/java/org/wso2/carbon/identity/thrift/authentication/internal/util/ThriftAuthenticationConstants.java:42
UPDATE IDN_THRIFT_SESSION SET LAST_MODIFIED_TIME=? WHERE SESSION_ID=?

-- statement: ThriftAuthenticationConstants.GET_THRIFT_SESSION_SQL
-- origin: wso2/carbon-identity@ec7d4806d030fec53b1117410c85ea868e9f0f8f components/identity/org.wso2.carbon.identity.thrift.authentication/src/main/java/org/wso2/carbon/identity/thrift/authentication/internal/util/ThriftAuthenticationConstants.java:45
SELECT SESSION_ID, USER_NAME, CREATED_TIME, LAST_MODIFIED_TIME FROM IDN_THRIFT_SESSION WHERE SESSION_ID=?

