-- Identity-provider management (IdPMgtDAO) as of August 2013 on the platform trunk (the IS 4.5.0 development line): 8-column UM_TENANT_IDP with UM_TENANT_IDP_AUDIENCE.
-- Extracted verbatim (whitespace collapsed) from the constant named on each "statement:" line; replayed by IdentityDaoSqlTest.
-- "wso2-bug: <engines>: <reason>" marks a statement that fails there whatever the schema; the test checks that it still fails.

-- statement: SQLQueries.GET_TENANT_IDPS_SQL
-- origin: techybolek/platform@d1ea89b83baf5b8015b00d249be9c0cfbabc3684 components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:24
SELECT UM_TENANT_IDP_NAME FROM UM_TENANT_IDP WHERE UM_TENANT_ID=?

-- statement: SQLQueries.GET_TENANT_IDP_SQL
-- origin: techybolek/platform@d1ea89b83baf5b8015b00d249be9c0cfbabc3684 components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:25
SELECT UM_ID, UM_TENANT_IDP_ISSUER, UM_TENANT_IDP_URL, UM_TENANT_IDP_THUMBPRINT, UM_TENANT_IDP_PRIMARY, UM_TENANT_IDP_AUDIENCE FROM UM_TENANT_IDP WHERE UM_TENANT_ID=? AND UM_TENANT_IDP_NAME=?

-- statement: SQLQueries.GET_TENANT_IDP_ROLE_MAPPINGS_SQL
-- origin: techybolek/platform@d1ea89b83baf5b8015b00d249be9c0cfbabc3684 components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:26
SELECT UM_TENANT_ROLE FROM UM_TENANT_IDP_ROLE_MAPPINGS WHERE UM_TENANT_IDP_ROLE_ID=?

-- statement: SQLQueries.UPDATE_TENANT_IDP_SQL
-- origin: techybolek/platform@d1ea89b83baf5b8015b00d249be9c0cfbabc3684 components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:27
UPDATE UM_TENANT_IDP SET UM_TENANT_IDP_NAME=?, UM_TENANT_IDP_ISSUER=?, UM_TENANT_IDP_URL=?, UM_TENANT_IDP_THUMBPRINT=?, UM_TENANT_IDP_PRIMARY=?, UM_TENANT_IDP_AUDIENCE=? WHERE UM_TENANT_ID=? AND UM_TENANT_IDP_NAME=?

-- statement: SQLQueries.ADD_TENANT_IDP_ROLES_SQL
-- origin: techybolek/platform@d1ea89b83baf5b8015b00d249be9c0cfbabc3684 components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:28
INSERT INTO UM_TENANT_IDP_ROLES (UM_TENANT_IDP_ID, UM_TENANT_IDP_ROLE) VALUES (?, ?)

-- statement: SQLQueries.DELETE_TENANT_IDP_ROLES_SQL
-- origin: techybolek/platform@d1ea89b83baf5b8015b00d249be9c0cfbabc3684 components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:29
DELETE FROM UM_TENANT_IDP_ROLES WHERE (UM_TENANT_IDP_ID=? AND UM_TENANT_IDP_ROLE=?)

-- statement: SQLQueries.UPDATE_TENANT_IDP_ROLES_SQL
-- origin: techybolek/platform@d1ea89b83baf5b8015b00d249be9c0cfbabc3684 components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:30
UPDATE UM_TENANT_IDP_ROLES SET UM_TENANT_IDP_ROLE=? WHERE (UM_TENANT_IDP_ID=? AND UM_TENANT_IDP_ROLE=?)

-- statement: SQLQueries.GET_TENANT_IDP_ROLES_SQL
-- origin: techybolek/platform@d1ea89b83baf5b8015b00d249be9c0cfbabc3684 components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:31
SELECT UM_ID, UM_TENANT_IDP_ROLE FROM UM_TENANT_IDP_ROLES WHERE UM_TENANT_IDP_ID=?

-- statement: SQLQueries.DELETE_TENANT_IDP_ROLE_MAPPINGS_SQL
-- origin: techybolek/platform@d1ea89b83baf5b8015b00d249be9c0cfbabc3684 components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:32
DELETE FROM UM_TENANT_IDP_ROLE_MAPPINGS WHERE (UM_TENANT_IDP_ROLE_ID=? AND UM_TENANT_ID=? AND UM_TENANT_ROLE=?)

-- statement: SQLQueries.ADD_TENANT_IDP_ROLE_MAPPINGS_SQL
-- origin: techybolek/platform@d1ea89b83baf5b8015b00d249be9c0cfbabc3684 components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:33
INSERT INTO UM_TENANT_IDP_ROLE_MAPPINGS (UM_TENANT_IDP_ROLE_ID, UM_TENANT_ID, UM_TENANT_ROLE) VALUES (?, ?, ?)

-- statement: SQLQueries.ADD_TENANT_IDP_SQL
-- origin: techybolek/platform@d1ea89b83baf5b8015b00d249be9c0cfbabc3684 components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:34
INSERT INTO UM_TENANT_IDP (UM_TENANT_ID, UM_TENANT_IDP_NAME, UM_TENANT_IDP_ISSUER, UM_TENANT_IDP_URL, UM_TENANT_IDP_THUMBPRINT, UM_TENANT_IDP_PRIMARY, UM_TENANT_IDP_AUDIENCE) VALUES (?, ?, ?, ?, ?, ?, ?)

-- statement: SQLQueries.DELETE_TENANT_IDP_SQL
-- origin: techybolek/platform@d1ea89b83baf5b8015b00d249be9c0cfbabc3684 components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:35
DELETE FROM UM_TENANT_IDP WHERE (UM_TENANT_ID=? AND UM_TENANT_IDP_NAME=?)

-- statement: SQLQueries.IS_EXISTING_TENANT_IDP_SQL
-- origin: techybolek/platform@d1ea89b83baf5b8015b00d249be9c0cfbabc3684 components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:36
SELECT UM_ID FROM UM_TENANT_IDP WHERE (UM_TENANT_ID=? AND UM_TENANT_IDP_NAME=?)

-- statement: SQLQueries.IS_EXISTING_PRIMARY_TENANT_IDP_SQL
-- origin: techybolek/platform@d1ea89b83baf5b8015b00d249be9c0cfbabc3684 components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:37
SELECT UM_ID FROM UM_TENANT_IDP WHERE (UM_TENANT_ID=? AND UM_TENANT_IDP_PRIMARY=?)

-- statement: SQLQueries.SWITCH_TENANT_IDP_PRIMARY_SQL
-- origin: techybolek/platform@d1ea89b83baf5b8015b00d249be9c0cfbabc3684 components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:38
UPDATE UM_TENANT_IDP SET UM_TENANT_IDP_PRIMARY=? WHERE (UM_TENANT_ID=? AND UM_TENANT_IDP_PRIMARY=?)

-- statement: SQLQueries.SWITCH_TENANT_IDP_PRIMARY_ON_DELETE_SQL
-- origin: techybolek/platform@d1ea89b83baf5b8015b00d249be9c0cfbabc3684 components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:39
UPDATE UM_TENANT_IDP SET UM_TENANT_IDP_PRIMARY=? WHERE (UM_TENANT_ID=? AND UM_TENANT_IDP_NAME=? AND UM_TENANT_IDP_PRIMARY=?)

-- statement: SQLQueries.DELETE_TENANT_ROLE_SQL
-- origin: techybolek/platform@d1ea89b83baf5b8015b00d249be9c0cfbabc3684 components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:40
DELETE FROM UM_TENANT_IDP_ROLE_MAPPINGS WHERE (UM_TENANT_ID=? AND UM_TENANT_ROLE=?)

-- statement: SQLQueries.RENAME_TENANT_ROLE_SQL
-- origin: techybolek/platform@d1ea89b83baf5b8015b00d249be9c0cfbabc3684 components/idp-mgt/org.wso2.carbon.idp.mgt/src/main/java/org/wso2/carbon/idp/mgt/util/IdentityProviderMgtConstants.java:41
UPDATE UM_TENANT_IDP_ROLE_MAPPINGS SET UM_TENANT_ROLE=? WHERE (UM_TENANT_ID=? AND UM_TENANT_ROLE=?)

