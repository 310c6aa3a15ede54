-- Production's changes after the copy, for bench/catchup.sh: about 10,000 rows (10,500 on the 10000 x 100 database) inserted, updated and deleted the
-- way a live Carbon 4.0.x server writes them (statement shapes of 4.0.x user-core and registry, as
-- src/main/java/org/carbonupgrade/rehearsal/Carbon400Seeder.java cites them: JDBCUserStoreManager.doAddUser /
-- doUpdateCredential / doSetUserClaimValue / doDeleteUser, HybridRoleManager.updateHybridUserList,
-- JDBCAuthorizationManager.authorizeRole / clearRoleAuthorization / resetPermissionOnUpdateRole, registry
-- ResourceDAO add / update / delete), spread over the benchmark database's tenants 1..10000.
-- SERIES(n) is replaced by bench/catchup.sh with the engine's row source for i = 1..n (PostgreSQL generate_series,
-- MariaDB's seq_1_to_n). Only CONCAT and CURRENT_TIMESTAMP are used, so the text runs on both engines.
-- New rows take ids from 1,000,000 up: 4.0.x takes them from one sequence / AUTO_INCREMENT per table, which is
-- past every id the seed wrote (the seed numbers ids per tenant, all below 1,000).

-- 800 users added (doAddUser: UM_USER, then the user's claims as UM_USER_ATTRIBUTE rows), each in hybrid role 1.
INSERT INTO UM_USER (UM_ID, UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME, UM_TENANT_ID)
SELECT 1000000 + i, CONCAT('catchup', i), CONCAT('c2hhMjU2OmNhdGNodXA=', i), CONCAT('salt', i), FALSE, CURRENT_TIMESTAMP, i * 12
FROM SERIES(800);
INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID)
SELECT 1000000 + i, 'mail', CONCAT('catchup', i, '@example.com'), 'default', 1000000 + i, i * 12 FROM SERIES(800);
INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID)
SELECT 1100000 + i, 'givenName', CONCAT('Catch ''up'' ', i), 'default', 1000000 + i, i * 12 FROM SERIES(800);
INSERT INTO UM_HYBRID_USER_ROLE (UM_ID, UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID)
SELECT 1000000 + i, CONCAT('catchup', i), 1, i * 12 FROM SERIES(800);

-- 800 password changes (doUpdateCredential: password, salt, changed time of the user's row), user3 of 800 tenants.
UPDATE UM_USER SET UM_USER_PASSWORD = CONCAT('bmV3cGFzc3dvcmQ=', UM_TENANT_ID), UM_SALT_VALUE = 'newsalt', UM_CHANGED_TIME = CURRENT_TIMESTAMP
WHERE UM_USER_NAME = 'user3' AND UM_TENANT_ID IN (SELECT i * 12 + 1 FROM SERIES(800));

-- 800 claim changes (doSetUserClaimValue: UPDATE ... SET UM_ATTR_VALUE by user, attribute, profile, tenant): user4's mail.
UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = CONCAT('user4.changed', UM_TENANT_ID, '@example.org')
WHERE UM_USER_ID = 4 AND UM_ATTR_NAME = 'mail' AND UM_PROFILE_ID = 'default' AND UM_TENANT_ID IN (SELECT i * 12 + 2 FROM SERIES(800));

-- 250 users deleted (doDeleteUser: the user's role rows, hybrid role rows, claims, then the user), user5 of 250 tenants.
DELETE FROM UM_USER_ROLE WHERE UM_USER_ID = 5 AND UM_TENANT_ID IN (SELECT i * 40 - 37 FROM SERIES(250));
DELETE FROM UM_HYBRID_USER_ROLE WHERE UM_USER_NAME = 'user5' AND UM_TENANT_ID IN (SELECT i * 40 - 37 FROM SERIES(250));
DELETE FROM UM_USER_ATTRIBUTE WHERE UM_USER_ID = 5 AND UM_TENANT_ID IN (SELECT i * 40 - 37 FROM SERIES(250));
DELETE FROM UM_USER WHERE UM_ID = 5 AND UM_TENANT_ID IN (SELECT i * 40 - 37 FROM SERIES(250));

-- 800 role grants (authorizeRole: one UM_ROLE_PERMISSION row per permission and role): subscribers get permission 3.
INSERT INTO UM_ROLE_PERMISSION (UM_ID, UM_PERMISSION_ID, UM_ROLE_NAME, UM_IS_ALLOWED, UM_TENANT_ID)
SELECT 1000000 + i, 3, 'subscribers', 1, i * 12 - 4 FROM SERIES(800);
-- 500 grants cleared (clearRoleAuthorization: the role's rows of a tenant): reviewers in 500 tenants.
DELETE FROM UM_ROLE_PERMISSION WHERE UM_ROLE_NAME = 'reviewers' AND UM_TENANT_ID IN (SELECT i * 20 - 9 FROM SERIES(500));
-- A role renamed in 250 tenants (updateRoleName, then the authorization manager's resetPermissionOnUpdateRole:
-- UPDATE UM_ROLE_PERMISSION SET UM_ROLE_NAME by old name and tenant): developers -> engineers, 2 grants each.
UPDATE UM_ROLE SET UM_ROLE_NAME = 'engineers' WHERE UM_ROLE_NAME = 'developers' AND UM_TENANT_ID IN (SELECT i * 40 - 17 FROM SERIES(250));
UPDATE UM_ROLE_PERMISSION SET UM_ROLE_NAME = 'engineers' WHERE UM_ROLE_NAME = 'developers' AND UM_TENANT_ID IN (SELECT i * 40 - 17 FROM SERIES(250));
-- 800 hybrid memberships added (updateHybridUserList: one row per user and role): the new users join role 2 too.
INSERT INTO UM_HYBRID_USER_ROLE (UM_ID, UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID)
SELECT 1100000 + i, CONCAT('catchup', i), 2, i * 12 FROM SERIES(800);

-- Registry: 400 resources put at /_system/config (ResourceDAO.add: a new REG_RESOURCE row, non-versioned),
-- 500 existing policy.xml resources updated in place (ResourceDAO.update: updator, time, description),
-- 250 policy.xml resources deleted (ResourceDAO.delete: the resource row; its content row stays for REG_CONTENT_HISTORY).
INSERT INTO REG_RESOURCE (REG_PATH_ID, REG_NAME, REG_VERSION, REG_MEDIA_TYPE, REG_CREATOR, REG_CREATED_TIME, REG_LAST_UPDATOR, REG_LAST_UPDATED_TIME, REG_DESCRIPTION, REG_CONTENT_ID, REG_TENANT_ID, REG_UUID)
SELECT 3, CONCAT('catchup-', i, '.xml'), 1000000 + i, 'application/xml', 'admin', CURRENT_TIMESTAMP, 'admin', CURRENT_TIMESTAMP, 'added after the copy', NULL, i * 20 - 14,
       CONCAT('cafe0000-0000-4000-8000-', LPAD(CONCAT('', i), 12, '0'))
FROM SERIES(400);
UPDATE REG_RESOURCE SET REG_LAST_UPDATOR = 'user2', REG_LAST_UPDATED_TIME = CURRENT_TIMESTAMP, REG_DESCRIPTION = 'entitlement policy, revised'
WHERE REG_NAME = 'policy.xml' AND REG_TENANT_ID IN (SELECT i * 20 - 11 FROM SERIES(500));
DELETE FROM REG_RESOURCE WHERE REG_NAME = 'policy.xml' AND REG_TENANT_ID IN (SELECT i * 40 - 1 FROM SERIES(250));
