-- Production's changes after the copy, for bench/catchup.sh: about 10,000 rows (10,500 on the 10000 x 100 database) inserted, updated and deleted the
-- way a live Carbon 4.0.x server writes them (statement shapes of 4.0.x user-core and registry, as
-- src/main/java/org/carbonupgrade/rehearsal/Carbon400Seeder.java cites them: JDBCUserStoreManager.doAddUser /
-- doUpdateCredential / doSetUserClaimValue / doDeleteUser, HybridRoleManager.updateUserListOfHybridRole /
-- updateHybridRoleListOfUser,
-- JDBCAuthorizationManager.authorizeRole / clearRoleAuthorization / resetPermissionOnUpdateRole, registry
-- ResourceDAO add / update / delete), spread over the benchmark database's tenants 1..10000.
-- SERIES(n) is replaced by bench/catchup.sh with the engine's row source for i = 1..n (PostgreSQL generate_series,
-- MariaDB's seq_1_to_n). Only CONCAT and CURRENT_TIMESTAMP are used, so the text runs on both engines.
-- New rows get their ids as 4.0.x's inserts do: the id column is left out, so each table's one generator gives it
-- (PostgreSQL DEFAULT NEXTVAL('..._PK_SEQ'), MariaDB AUTO_INCREMENT; the seeder moved them past its ids), and a row
-- names another by the ids of that tenant's row found by name (4.0.x's (SELECT UM_ID FROM ... WHERE name AND tenant)).

-- 800 users added (doAddUser: UM_USER, then persistUser's role rows, the everyone role added to every user's list
-- (amum0611/kernel @ 2f646275 core/org.wso2.carbon.user.core/src/main/java/org/wso2/carbon/user/core/jdbc/
-- JDBCUserStoreManager.java persistUser, JDBCRealmConstants.ADD_ROLE_TO_USER_SQL), then the user's claims as
-- UM_USER_ATTRIBUTE rows), each in hybrid role reviewers.
INSERT INTO UM_USER (UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME, UM_TENANT_ID)
SELECT CONCAT('catchup', i), CONCAT('c2hhMjU2OmNhdGNodXA=', i), CONCAT('salt', i), FALSE, CURRENT_TIMESTAMP, i * 12
FROM SERIES(800);
INSERT INTO UM_USER_ROLE (UM_ROLE_ID, UM_USER_ID, UM_TENANT_ID)
SELECT r.UM_ID, u.UM_ID, u.UM_TENANT_ID
FROM SERIES(800) JOIN UM_USER u ON u.UM_USER_NAME = CONCAT('catchup', i) AND u.UM_TENANT_ID = i * 12
JOIN UM_ROLE r ON r.UM_ROLE_NAME = 'everyone' AND r.UM_TENANT_ID = u.UM_TENANT_ID;
INSERT INTO UM_USER_ATTRIBUTE (UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID)
SELECT 'mail', CONCAT('catchup', i, '@example.com'), 'default', u.UM_ID, u.UM_TENANT_ID
FROM SERIES(800) JOIN UM_USER u ON u.UM_USER_NAME = CONCAT('catchup', i) AND u.UM_TENANT_ID = i * 12;
INSERT INTO UM_USER_ATTRIBUTE (UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID)
SELECT 'givenName', CONCAT('Catch ''up'' ', i), 'default', u.UM_ID, u.UM_TENANT_ID
FROM SERIES(800) JOIN UM_USER u ON u.UM_USER_NAME = CONCAT('catchup', i) AND u.UM_TENANT_ID = i * 12;
INSERT INTO UM_HYBRID_USER_ROLE (UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID)
SELECT CONCAT('catchup', i), r.UM_ID, r.UM_TENANT_ID
FROM SERIES(800) JOIN UM_HYBRID_ROLE r ON r.UM_ROLE_NAME = 'reviewers' AND r.UM_TENANT_ID = i * 12;

-- 300 password changes (doUpdateCredential: password, salt, changed time of the user's row), user3 of 300 tenants.
UPDATE UM_USER SET UM_USER_PASSWORD = CONCAT('bmV3cGFzc3dvcmQ=', UM_TENANT_ID), UM_SALT_VALUE = 'newsalt', UM_CHANGED_TIME = CURRENT_TIMESTAMP
WHERE UM_USER_NAME = 'user3' AND UM_TENANT_ID IN (SELECT i * 12 + 1 FROM SERIES(300));

-- 800 claim changes (doSetUserClaimValue: UPDATE ... SET UM_ATTR_VALUE by user, attribute, profile, tenant): user4's mail.
UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = CONCAT('user4.changed', UM_TENANT_ID, '@example.org')
WHERE UM_USER_ID = (SELECT u.UM_ID FROM UM_USER u WHERE u.UM_USER_NAME = 'user4' AND u.UM_TENANT_ID = UM_USER_ATTRIBUTE.UM_TENANT_ID)
  AND UM_ATTR_NAME = 'mail' AND UM_PROFILE_ID = 'default' AND UM_TENANT_ID IN (SELECT i * 12 + 2 FROM SERIES(800));

-- 250 users deleted (doDeleteUser: JDBCRealmConstants ON_DELETE_USER_REMOVE_USER_ROLE_SQL, ON_DELETE_USER_REMOVE_ATTRIBUTE_SQL,
-- DELETE_USER_SQL, in that order; then JDBCAuthorizationManager.clearUserAuthorization's UM_USER_PERMISSION rows, none
-- here), user5 of 250 tenants. The user's UM_HYBRID_USER_ROLE rows stay: with a JDBC user store only
-- ReadWriteLDAPUserStoreManager calls HybridRoleManager.deleteUser (amum0611/kernel @ 2f646275 and @ ef6e76ce).
DELETE FROM UM_USER_ROLE WHERE UM_TENANT_ID IN (SELECT i * 40 - 37 FROM SERIES(250))
  AND UM_USER_ID = (SELECT u.UM_ID FROM UM_USER u WHERE u.UM_USER_NAME = 'user5' AND u.UM_TENANT_ID = UM_USER_ROLE.UM_TENANT_ID);
DELETE FROM UM_USER_ATTRIBUTE WHERE UM_TENANT_ID IN (SELECT i * 40 - 37 FROM SERIES(250))
  AND UM_USER_ID = (SELECT u.UM_ID FROM UM_USER u WHERE u.UM_USER_NAME = 'user5' AND u.UM_TENANT_ID = UM_USER_ATTRIBUTE.UM_TENANT_ID);
DELETE FROM UM_USER WHERE UM_USER_NAME = 'user5' AND UM_TENANT_ID IN (SELECT i * 40 - 37 FROM SERIES(250));

-- 500 role grants (authorizeRole: one UM_ROLE_PERMISSION row per permission and role): subscribers may log in.
INSERT INTO UM_ROLE_PERMISSION (UM_PERMISSION_ID, UM_ROLE_NAME, UM_IS_ALLOWED, UM_TENANT_ID)
SELECT p.UM_ID, 'subscribers', 1, p.UM_TENANT_ID
FROM SERIES(500) JOIN UM_PERMISSION p ON p.UM_RESOURCE_ID = '/permission/admin/login' AND p.UM_ACTION = 'ui.execute' AND p.UM_TENANT_ID = i * 12 - 4;
-- 500 grants cleared (clearRoleAuthorization: the role's rows of a tenant): reviewers in 500 tenants.
DELETE FROM UM_ROLE_PERMISSION WHERE UM_ROLE_NAME = 'reviewers' AND UM_TENANT_ID IN (SELECT i * 20 - 9 FROM SERIES(500));
-- A role renamed in 250 tenants (updateRoleName, then the authorization manager's resetPermissionOnUpdateRole:
-- UPDATE UM_ROLE_PERMISSION SET UM_ROLE_NAME by old name and tenant): developers -> engineers, 2 grants each.
UPDATE UM_ROLE SET UM_ROLE_NAME = 'engineers' WHERE UM_ROLE_NAME = 'developers' AND UM_TENANT_ID IN (SELECT i * 40 - 17 FROM SERIES(250));
UPDATE UM_ROLE_PERMISSION SET UM_ROLE_NAME = 'engineers' WHERE UM_ROLE_NAME = 'developers' AND UM_TENANT_ID IN (SELECT i * 40 - 17 FROM SERIES(250));
-- 800 hybrid memberships added (updateHybridUserList: one row per user and role): the new users join subscribers too.
INSERT INTO UM_HYBRID_USER_ROLE (UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID)
SELECT CONCAT('catchup', i), r.UM_ID, r.UM_TENANT_ID
FROM SERIES(800) JOIN UM_HYBRID_ROLE r ON r.UM_ROLE_NAME = 'subscribers' AND r.UM_TENANT_ID = i * 12;
-- 500 hybrid memberships removed (updateHybridRoleListOfUser with deletedRoles: HybridJDBCConstants.REMOVE_ROLE_FROM_USER_SQL,
-- one row per role): user6 leaves reviewers and subscribers in 250 tenants.
DELETE FROM UM_HYBRID_USER_ROLE WHERE UM_USER_NAME = 'user6' AND UM_TENANT_ID IN (SELECT i * 40 - 36 FROM SERIES(250))
  AND UM_ROLE_ID IN (SELECT r.UM_ID FROM UM_HYBRID_ROLE r WHERE r.UM_ROLE_NAME IN ('reviewers', 'subscribers') AND r.UM_TENANT_ID = UM_HYBRID_USER_ROLE.UM_TENANT_ID);

-- Registry: 400 resources put at /_system/config (ResourceDAO.add: a new REG_RESOURCE row, non-versioned),
-- 500 existing policy.xml resources updated in place (ResourceDAO.update: updator, time, description),
-- 250 policy.xml resources deleted (ResourceDAO.delete: the resource row; its content row stays for REG_CONTENT_HISTORY).
INSERT INTO REG_RESOURCE (REG_PATH_ID, REG_NAME, REG_MEDIA_TYPE, REG_CREATOR, REG_CREATED_TIME, REG_LAST_UPDATOR, REG_LAST_UPDATED_TIME, REG_DESCRIPTION, REG_CONTENT_ID, REG_TENANT_ID, REG_UUID)
SELECT p.REG_PATH_ID, CONCAT('catchup-', i, '.xml'), 'application/xml', 'admin', CURRENT_TIMESTAMP, 'admin', CURRENT_TIMESTAMP, 'added after the copy', NULL, p.REG_TENANT_ID,
       CONCAT('cafe0000-0000-4000-8000-', LPAD(CONCAT('', i), 12, '0'))
FROM SERIES(400) JOIN REG_PATH p ON p.REG_PATH_VALUE = '/_system/config' AND p.REG_TENANT_ID = i * 20 - 14;
UPDATE REG_RESOURCE SET REG_LAST_UPDATOR = 'user2', REG_LAST_UPDATED_TIME = CURRENT_TIMESTAMP, REG_DESCRIPTION = 'entitlement policy, revised'
WHERE REG_NAME = 'policy.xml' AND REG_TENANT_ID IN (SELECT i * 20 - 11 FROM SERIES(500));
DELETE FROM REG_RESOURCE WHERE REG_NAME = 'policy.xml' AND REG_TENANT_ID IN (SELECT i * 40 - 1 FROM SERIES(250));
