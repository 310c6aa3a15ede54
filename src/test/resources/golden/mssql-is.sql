-- *********************************************************************
-- Update Database Script
-- *********************************************************************
-- Change Log: changelogs/carbon-upgrade.xml
-- Ran at: <varies>
-- Against: <varies>
-- Liquibase version: 4.33.0
-- *********************************************************************

-- Changeset carbon-upgrade/audit.xml::review-header::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- carbon-upgrade <version>: WSO2 Carbon 4.0.0 -> 4.2.0 database upgrade, SQL for review
-- target engine: mssql (profile mssql)
-- product scope: Identity Server (contexts carbon, is)
-- changelog: changelogs/carbon-upgrade.xml of carbon-upgrade <version>
-- generated: <varies>
-- database: none (offline). Every change is listed as for a plain Carbon 4.0.0 schema; the real
-- run checks the catalog before each change and skips what is already in place.
-- rollback: refused by design; the way back is the backup taken before the upgrade.;
GO

-- Changeset carbon-upgrade/audit.xml::audit-create-run-table::carbon-upgrade
CREATE TABLE CARBON_UPGRADE_RUN (RUN_ID varchar(40) NOT NULL, STARTED_AT datetime NOT NULL, PRODUCT varchar(20), ENGINE varchar(20), DATABASE_INFO varchar(500), BACKUP_REF varchar(1000), GATE_FINDINGS varchar(4000), TOOL_VERSION varchar(50), CONSTRAINT PK_CARBON_UPGRADE_RUN PRIMARY KEY (RUN_ID));
GO

IF EXISTS(  SELECT extended_properties.value FROM sys.extended_properties WHERE major_id = OBJECT_ID('dbo.CARBON_UPGRADE_RUN') AND name = N'MS_DESCRIPTION' AND minor_id = 0 ) BEGIN  EXEC sys.sp_updateextendedproperty @name = N'MS_Description' , @value = N'carbon-upgrade: one row per upgrade run' , @level0type = N'SCHEMA' , @level0name = N'dbo' , @level1type = N'TABLE' , @level1name = N'CARBON_UPGRADE_RUN' END  ELSE  BEGIN  EXEC sys.sp_addextendedproperty @name = N'MS_Description' , @value = N'carbon-upgrade: one row per upgrade run' , @level0type = N'SCHEMA' , @level0name = N'dbo' , @level1type = N'TABLE' , @level1name = N'CARBON_UPGRADE_RUN' END;
GO

-- Changeset carbon-upgrade/audit.xml::audit-create-row-count-table::carbon-upgrade
CREATE TABLE CARBON_UPGRADE_ROW_COUNT (RUN_ID varchar(40) NOT NULL, TABLE_NAME varchar(64) NOT NULL, ROW_COUNT bigint NOT NULL, CONSTRAINT PK_CARBON_UPGRADE_ROW_COUNT PRIMARY KEY (RUN_ID, TABLE_NAME));
GO

IF EXISTS(  SELECT extended_properties.value FROM sys.extended_properties WHERE major_id = OBJECT_ID('dbo.CARBON_UPGRADE_ROW_COUNT') AND name = N'MS_DESCRIPTION' AND minor_id = 0 ) BEGIN  EXEC sys.sp_updateextendedproperty @name = N'MS_Description' , @value = N'carbon-upgrade: rows per table before each run' , @level0type = N'SCHEMA' , @level0name = N'dbo' , @level1type = N'TABLE' , @level1name = N'CARBON_UPGRADE_ROW_COUNT' END  ELSE  BEGIN  EXEC sys.sp_addextendedproperty @name = N'MS_Description' , @value = N'carbon-upgrade: rows per table before each run' , @level0type = N'SCHEMA' , @level0name = N'dbo' , @level1type = N'TABLE' , @level1name = N'CARBON_UPGRADE_ROW_COUNT' END;
GO

-- Changeset carbon-upgrade/audit.xml::audit-create-access-snapshot-table::carbon-upgrade
CREATE TABLE CARBON_UPGRADE_ACCESS (PART int NOT NULL, RUN_ID varchar(40), TAKEN_AT datetime NOT NULL, ENTRIES nvarchar(MAX) NOT NULL, CONSTRAINT PK_CARBON_UPGRADE_ACCESS PRIMARY KEY (PART));
GO

IF EXISTS(  SELECT extended_properties.value FROM sys.extended_properties WHERE major_id = OBJECT_ID('dbo.CARBON_UPGRADE_ACCESS') AND name = N'MS_DESCRIPTION' AND minor_id = 0 ) BEGIN  EXEC sys.sp_updateextendedproperty @name = N'MS_Description' , @value = N'carbon-upgrade: effective access of Carbon 4.0.x before the first run' , @level0type = N'SCHEMA' , @level0name = N'dbo' , @level1type = N'TABLE' , @level1name = N'CARBON_UPGRADE_ACCESS' END  ELSE  BEGIN  EXEC sys.sp_addextendedproperty @name = N'MS_Description' , @value = N'carbon-upgrade: effective access of Carbon 4.0.x before the first run' , @level0type = N'SCHEMA' , @level0name = N'dbo' , @level1type = N'TABLE' , @level1name = N'CARBON_UPGRADE_ACCESS' END;
GO

-- Changeset carbon-upgrade/audit.xml::audit-record-run::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
INSERT INTO CARBON_UPGRADE_RUN (RUN_ID, STARTED_AT, PRODUCT, ENGINE, DATABASE_INFO, BACKUP_REF, GATE_FINDINGS, TOOL_VERSION) VALUES ('<uuid>', '<time>', 'is', 'mssql', NULL, '(none: SQL review only)', 'gate not run (offline SQL)', '<version>');
GO

-- Changeset carbon-upgrade/audit.xml::audit-record-access-snapshot::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- Changeset carbon-upgrade/carbon/um-domain.xml::um-domain-create-table::carbon-upgrade
CREATE TABLE UM_DOMAIN (UM_DOMAIN_ID int IDENTITY (1, 1) NOT NULL, UM_DOMAIN_NAME varchar(255), UM_TENANT_ID int CONSTRAINT DF_UM_DOMAIN_UM_TENANT_ID DEFAULT 0 NOT NULL, CONSTRAINT PK_UM_DOMAIN PRIMARY KEY (UM_DOMAIN_ID, UM_TENANT_ID));
GO

-- Changeset carbon-upgrade/carbon/um-system-users.xml::um-system-user-create-table::carbon-upgrade
CREATE TABLE UM_SYSTEM_USER (UM_ID int IDENTITY (1, 1) NOT NULL, UM_USER_NAME varchar(255) NOT NULL, UM_USER_PASSWORD varchar(255) NOT NULL, UM_SALT_VALUE varchar(31), UM_REQUIRE_CHANGE bit CONSTRAINT DF_UM_SYSTEM_USER_UM_REQUIRE_CHANGE DEFAULT 0, UM_CHANGED_TIME datetime NOT NULL, UM_TENANT_ID int CONSTRAINT DF_UM_SYSTEM_USER_UM_TENANT_ID DEFAULT 0 NOT NULL, CONSTRAINT PK_UM_SYSTEM_USER PRIMARY KEY (UM_ID, UM_TENANT_ID));
GO

-- Changeset carbon-upgrade/carbon/um-system-users.xml::um-system-user-unique-name::carbon-upgrade
ALTER TABLE UM_SYSTEM_USER ADD CONSTRAINT UK_UM_SYSTEM_USER UNIQUE (UM_USER_NAME, UM_TENANT_ID);
GO

-- Changeset carbon-upgrade/carbon/um-system-users.xml::um-system-role-create-table::carbon-upgrade
CREATE TABLE UM_SYSTEM_ROLE (UM_ID int IDENTITY (1, 1) NOT NULL, UM_ROLE_NAME varchar(255), UM_TENANT_ID int CONSTRAINT DF_UM_SYSTEM_ROLE_UM_TENANT_ID DEFAULT 0 NOT NULL, CONSTRAINT PK_UM_SYSTEM_ROLE PRIMARY KEY (UM_ID, UM_TENANT_ID));
GO

-- Changeset carbon-upgrade/carbon/um-system-users.xml::um-system-user-role-create-table::carbon-upgrade
CREATE TABLE UM_SYSTEM_USER_ROLE (UM_ID int IDENTITY (1, 1) NOT NULL, UM_USER_NAME varchar(255), UM_ROLE_ID int NOT NULL, UM_TENANT_ID int CONSTRAINT DF_UM_SYSTEM_USER_ROLE_UM_TENANT_ID DEFAULT 0 NOT NULL, CONSTRAINT PK_UM_SYSTEM_USER_ROLE PRIMARY KEY (UM_ID, UM_TENANT_ID));
GO

-- Changeset carbon-upgrade/carbon/um-system-users.xml::um-system-user-role-unique-assignment::carbon-upgrade
ALTER TABLE UM_SYSTEM_USER_ROLE ADD CONSTRAINT UK_UM_SYSTEM_USER_ROLE UNIQUE (UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID);
GO

-- Changeset carbon-upgrade/carbon/um-system-users.xml::um-system-user-role-fk-role::carbon-upgrade
ALTER TABLE UM_SYSTEM_USER_ROLE ADD CONSTRAINT FK_UM_SYSTEM_USER_ROLE_ROLE FOREIGN KEY (UM_ROLE_ID, UM_TENANT_ID) REFERENCES UM_SYSTEM_ROLE (UM_ID, UM_TENANT_ID);
GO

-- Changeset carbon-upgrade/carbon/um-shared-roles.xml::um-role-add-shared-role::carbon-upgrade
ALTER TABLE UM_ROLE ADD UM_SHARED_ROLE bit CONSTRAINT DF_UM_ROLE_UM_SHARED_ROLE DEFAULT 0 WITH VALUES;
GO

-- Changeset carbon-upgrade/carbon/um-shared-roles.xml::um-shared-user-role-create-table::carbon-upgrade
CREATE TABLE UM_SHARED_USER_ROLE (UM_ROLE_ID int NOT NULL, UM_USER_ID int NOT NULL, UM_USER_TENANT_ID int NOT NULL, UM_ROLE_TENANT_ID int NOT NULL);
GO

-- Changeset carbon-upgrade/carbon/um-shared-roles.xml::um-shared-user-role-unique-assignment::carbon-upgrade
ALTER TABLE UM_SHARED_USER_ROLE ADD CONSTRAINT UK_UM_SHARED_USER_ROLE UNIQUE (UM_USER_ID, UM_ROLE_ID, UM_USER_TENANT_ID, UM_ROLE_TENANT_ID);
GO

-- Changeset carbon-upgrade/carbon/um-shared-roles.xml::um-shared-user-role-fk-role::carbon-upgrade
ALTER TABLE UM_SHARED_USER_ROLE ADD CONSTRAINT FK_UM_SHARED_USER_ROLE_ROLE FOREIGN KEY (UM_ROLE_ID, UM_ROLE_TENANT_ID) REFERENCES UM_ROLE (UM_ID, UM_TENANT_ID) ON DELETE CASCADE;
GO

-- Changeset carbon-upgrade/carbon/um-shared-roles.xml::um-shared-user-role-fk-user::carbon-upgrade
ALTER TABLE UM_SHARED_USER_ROLE ADD CONSTRAINT FK_UM_SHARED_USER_ROLE_USER FOREIGN KEY (UM_USER_ID, UM_USER_TENANT_ID) REFERENCES UM_USER (UM_ID, UM_TENANT_ID) ON DELETE CASCADE;
GO

-- Changeset carbon-upgrade/carbon/um-account-mapping.xml::um-account-mapping-create-table::carbon-upgrade
CREATE TABLE UM_ACCOUNT_MAPPING (UM_ID int IDENTITY (1, 1) NOT NULL, UM_USER_NAME varchar(255) NOT NULL, UM_TENANT_ID int NOT NULL, UM_USER_STORE_DOMAIN varchar(100), UM_ACC_LINK_ID int NOT NULL, CONSTRAINT PK_UM_ACCOUNT_MAPPING PRIMARY KEY (UM_ID));
GO

-- Changeset carbon-upgrade/carbon/um-account-mapping.xml::um-account-mapping-unique-link::carbon-upgrade
ALTER TABLE UM_ACCOUNT_MAPPING ADD CONSTRAINT UK_UM_ACCOUNT_MAPPING UNIQUE (UM_USER_NAME, UM_TENANT_ID, UM_USER_STORE_DOMAIN, UM_ACC_LINK_ID);
GO

-- Changeset carbon-upgrade/carbon/um-account-mapping.xml::um-account-mapping-fk-tenant::carbon-upgrade
ALTER TABLE UM_ACCOUNT_MAPPING ADD CONSTRAINT FK_UM_ACCOUNT_MAPPING_TENANT FOREIGN KEY (UM_TENANT_ID) REFERENCES UM_TENANT (UM_ID) ON DELETE CASCADE;
GO

-- Changeset carbon-upgrade/carbon/um-module.xml::um-module-create-table::carbon-upgrade
CREATE TABLE UM_MODULE (UM_ID int IDENTITY (1, 1) NOT NULL, UM_MODULE_NAME varchar(100), CONSTRAINT PK_UM_MODULE PRIMARY KEY (UM_ID));
GO

-- Changeset carbon-upgrade/carbon/um-module.xml::um-module-unique-name::carbon-upgrade
ALTER TABLE UM_MODULE ADD CONSTRAINT UK_UM_MODULE UNIQUE (UM_MODULE_NAME);
GO

-- Changeset carbon-upgrade/carbon/um-module.xml::um-module-actions-create-table::carbon-upgrade
CREATE TABLE UM_MODULE_ACTIONS (UM_ACTION varchar(255) NOT NULL, UM_MODULE_ID int NOT NULL, CONSTRAINT PK_UM_MODULE_ACTIONS PRIMARY KEY (UM_ACTION, UM_MODULE_ID));
GO

-- Changeset carbon-upgrade/carbon/um-module.xml::um-module-actions-fk-module::carbon-upgrade
ALTER TABLE UM_MODULE_ACTIONS ADD CONSTRAINT FK_UM_MODULE_ACTIONS_MODULE FOREIGN KEY (UM_MODULE_ID) REFERENCES UM_MODULE (UM_ID) ON DELETE CASCADE;
GO

-- Changeset carbon-upgrade/carbon/um-module.xml::um-permission-add-module-id::carbon-upgrade
ALTER TABLE UM_PERMISSION ADD UM_MODULE_ID int CONSTRAINT DF_UM_PERMISSION_UM_MODULE_ID DEFAULT 0 WITH VALUES;
GO

-- Changeset carbon-upgrade/carbon/um-claim.xml::um-claim-add-mapped-attribute-domain::carbon-upgrade
ALTER TABLE UM_CLAIM ADD UM_MAPPED_ATTRIBUTE_DOMAIN varchar(255);
GO

-- Changeset carbon-upgrade/carbon/um-claim.xml::um-claim-add-checked-attribute::carbon-upgrade
ALTER TABLE UM_CLAIM ADD UM_CHECKED_ATTRIBUTE smallint;
GO

-- Changeset carbon-upgrade/carbon/um-claim.xml::um-claim-add-read-only::carbon-upgrade
ALTER TABLE UM_CLAIM ADD UM_READ_ONLY smallint;
GO

-- Changeset carbon-upgrade/carbon/um-claim.xml::um-claim-unique-with-attribute-domain::carbon-upgrade
ALTER TABLE UM_CLAIM ADD CONSTRAINT UK_UM_CLAIM UNIQUE (UM_DIALECT_ID, UM_CLAIM_URI, UM_TENANT_ID, UM_MAPPED_ATTRIBUTE_DOMAIN);
GO

-- Changeset carbon-upgrade/carbon/um-claim.xml::um-claim-behavior-create-archive-table::carbon-upgrade
CREATE TABLE CARBON_UPGRADE_CLAIM_BEHAVIOR (UM_ID int NOT NULL, UM_PROFILE_ID int, UM_CLAIM_ID int, UM_BEHAVIOUR smallint, UM_TENANT_ID int NOT NULL, UM_PROFILE_NAME varchar(255), UM_CLAIM_URI varchar(255), UM_DIALECT_URI varchar(255), ARCHIVED_AT datetime NOT NULL, CONSTRAINT PK_CARBON_UPGRADE_BEHAVIOR PRIMARY KEY (UM_ID, UM_TENANT_ID));
GO

IF EXISTS(  SELECT extended_properties.value FROM sys.extended_properties WHERE major_id = OBJECT_ID('dbo.CARBON_UPGRADE_CLAIM_BEHAVIOR') AND name = N'MS_DESCRIPTION' AND minor_id = 0 ) BEGIN  EXEC sys.sp_updateextendedproperty @name = N'MS_Description' , @value = N'carbon-upgrade: the 4.0.x UM_CLAIM_BEHAVIOR rows, archived' , @level0type = N'SCHEMA' , @level0name = N'dbo' , @level1type = N'TABLE' , @level1name = N'CARBON_UPGRADE_CLAIM_BEHAVIOR' END  ELSE  BEGIN  EXEC sys.sp_addextendedproperty @name = N'MS_Description' , @value = N'carbon-upgrade: the 4.0.x UM_CLAIM_BEHAVIOR rows, archived' , @level0type = N'SCHEMA' , @level0name = N'dbo' , @level1type = N'TABLE' , @level1name = N'CARBON_UPGRADE_CLAIM_BEHAVIOR' END;
GO

-- Changeset carbon-upgrade/carbon/um-claim.xml::um-claim-behavior-archive-rows::carbon-upgrade
INSERT INTO CARBON_UPGRADE_CLAIM_BEHAVIOR (UM_ID, UM_PROFILE_ID, UM_CLAIM_ID, UM_BEHAVIOUR, UM_TENANT_ID,
                                                 UM_PROFILE_NAME, UM_CLAIM_URI, UM_DIALECT_URI, ARCHIVED_AT)
      SELECT b.UM_ID, b.UM_PROFILE_ID, b.UM_CLAIM_ID, b.UM_BEHAVIOUR, b.UM_TENANT_ID,
             p.UM_PROFILE_NAME, c.UM_CLAIM_URI, d.UM_DIALECT_URI, CURRENT_TIMESTAMP
      FROM UM_CLAIM_BEHAVIOR b
      LEFT JOIN UM_PROFILE_CONFIG p ON p.UM_ID = b.UM_PROFILE_ID AND p.UM_TENANT_ID = b.UM_TENANT_ID
      LEFT JOIN UM_CLAIM c ON c.UM_ID = b.UM_CLAIM_ID AND c.UM_TENANT_ID = b.UM_TENANT_ID
      LEFT JOIN UM_DIALECT d ON d.UM_ID = c.UM_DIALECT_ID AND d.UM_TENANT_ID = c.UM_TENANT_ID
      WHERE NOT EXISTS (SELECT 1 FROM CARBON_UPGRADE_CLAIM_BEHAVIOR a WHERE a.UM_ID = b.UM_ID AND a.UM_TENANT_ID = b.UM_TENANT_ID);
GO

-- Changeset carbon-upgrade/carbon/um-claim.xml::um-claim-behavior-delete-archived-rows::carbon-upgrade
DELETE FROM UM_CLAIM_BEHAVIOR
      WHERE EXISTS (SELECT 1 FROM CARBON_UPGRADE_CLAIM_BEHAVIOR a
                    WHERE a.UM_ID = UM_CLAIM_BEHAVIOR.UM_ID AND a.UM_TENANT_ID = UM_CLAIM_BEHAVIOR.UM_TENANT_ID);
GO

-- Changeset carbon-upgrade/carbon/um-role-domain-map.xml::upgrade-create-user-store-table::carbon-upgrade
CREATE TABLE CARBON_UPGRADE_USER_STORE (UM_DOMAIN_NAME varchar(255) NOT NULL, STORE_KIND varchar(10) NOT NULL, CONSTRAINT PK_CARBON_UPGRADE_USER_STORE PRIMARY KEY (UM_DOMAIN_NAME));
GO

IF EXISTS(  SELECT extended_properties.value FROM sys.extended_properties WHERE major_id = OBJECT_ID('dbo.CARBON_UPGRADE_USER_STORE') AND name = N'MS_DESCRIPTION' AND minor_id = 0 ) BEGIN  EXEC sys.sp_updateextendedproperty @name = N'MS_Description' , @value = N'carbon-upgrade: user-store domains the back-fill used' , @level0type = N'SCHEMA' , @level0name = N'dbo' , @level1type = N'TABLE' , @level1name = N'CARBON_UPGRADE_USER_STORE' END  ELSE  BEGIN  EXEC sys.sp_addextendedproperty @name = N'MS_Description' , @value = N'carbon-upgrade: user-store domains the back-fill used' , @level0type = N'SCHEMA' , @level0name = N'dbo' , @level1type = N'TABLE' , @level1name = N'CARBON_UPGRADE_USER_STORE' END;
GO

-- Changeset carbon-upgrade/carbon/um-role-domain-map.xml::upgrade-create-role-domain-table::carbon-upgrade
CREATE TABLE CARBON_UPGRADE_ROLE_DOMAIN (UM_TENANT_ID int NOT NULL, UM_ROLE_NAME varchar(255) NOT NULL, UM_DOMAIN_NAME varchar(255) NOT NULL, CONSTRAINT PK_CARBON_UPGRADE_ROLE_DOMAIN PRIMARY KEY (UM_TENANT_ID, UM_ROLE_NAME));
GO

IF EXISTS(  SELECT extended_properties.value FROM sys.extended_properties WHERE major_id = OBJECT_ID('dbo.CARBON_UPGRADE_ROLE_DOMAIN') AND name = N'MS_DESCRIPTION' AND minor_id = 0 ) BEGIN  EXEC sys.sp_updateextendedproperty @name = N'MS_Description' , @value = N'carbon-upgrade: 4.0.x roles with a fixed 4.2.0 domain, per tenant' , @level0type = N'SCHEMA' , @level0name = N'dbo' , @level1type = N'TABLE' , @level1name = N'CARBON_UPGRADE_ROLE_DOMAIN' END  ELSE  BEGIN  EXEC sys.sp_addextendedproperty @name = N'MS_Description' , @value = N'carbon-upgrade: 4.0.x roles with a fixed 4.2.0 domain, per tenant' , @level0type = N'SCHEMA' , @level0name = N'dbo' , @level1type = N'TABLE' , @level1name = N'CARBON_UPGRADE_ROLE_DOMAIN' END;
GO

-- Changeset carbon-upgrade/carbon/um-role-domain-map.xml::upgrade-fill-role-domain-map::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
INSERT INTO CARBON_UPGRADE_USER_STORE (UM_DOMAIN_NAME, STORE_KIND) SELECT 'PRIMARY', 'PRIMARY' FROM (SELECT COUNT(*) AS N FROM UM_TENANT) one_row WHERE NOT EXISTS (SELECT 1 FROM CARBON_UPGRADE_USER_STORE s WHERE s.STORE_KIND = 'PRIMARY');
GO

INSERT INTO CARBON_UPGRADE_USER_STORE (UM_DOMAIN_NAME, STORE_KIND) SELECT DISTINCT p.DOMAIN_NAME, 'SECONDARY' FROM (SELECT UPPER(SUBSTRING(UM_USER_NAME, 1, CHARINDEX('/', UM_USER_NAME) - 1)) AS DOMAIN_NAME FROM UM_HYBRID_USER_ROLE WHERE CHARINDEX('/', UM_USER_NAME) > 1 AND CHARINDEX('/', UM_USER_NAME) < LEN(UM_USER_NAME) UNION SELECT UPPER(SUBSTRING(UM_ROLE_NAME, 1, CHARINDEX('/', UM_ROLE_NAME) - 1)) FROM UM_ROLE_PERMISSION WHERE CHARINDEX('/', UM_ROLE_NAME) > 1 AND CHARINDEX('/', UM_ROLE_NAME) < LEN(UM_ROLE_NAME)) p WHERE NOT EXISTS (SELECT 1 FROM CARBON_UPGRADE_USER_STORE s WHERE s.UM_DOMAIN_NAME = p.DOMAIN_NAME);
GO

-- Each tenant's everyone role name is read from UM_TENANT.UM_USER_CONFIG (EveryOneRoleName) when the update runs; this offline listing shows the default for every tenant.;
GO

INSERT INTO CARBON_UPGRADE_ROLE_DOMAIN (UM_TENANT_ID, UM_ROLE_NAME, UM_DOMAIN_NAME) SELECT -1234, 'everyone', 'INTERNAL' FROM (SELECT COUNT(*) AS N FROM UM_TENANT) one_row WHERE NOT EXISTS (SELECT 1 FROM CARBON_UPGRADE_ROLE_DOMAIN r WHERE r.UM_TENANT_ID = -1234 AND r.UM_DOMAIN_NAME = 'INTERNAL');
GO

INSERT INTO CARBON_UPGRADE_ROLE_DOMAIN (UM_TENANT_ID, UM_ROLE_NAME, UM_DOMAIN_NAME) SELECT t.UM_ID, 'everyone', 'INTERNAL' FROM UM_TENANT t WHERE NOT EXISTS (SELECT 1 FROM CARBON_UPGRADE_ROLE_DOMAIN r WHERE r.UM_TENANT_ID = t.UM_ID AND r.UM_DOMAIN_NAME = 'INTERNAL');
GO

INSERT INTO CARBON_UPGRADE_ROLE_DOMAIN (UM_TENANT_ID, UM_ROLE_NAME, UM_DOMAIN_NAME) SELECT -1234, 'wso2.anonymous.role', 'SYSTEM' FROM (SELECT COUNT(*) AS N FROM UM_TENANT) one_row WHERE NOT EXISTS (SELECT 1 FROM CARBON_UPGRADE_ROLE_DOMAIN r WHERE r.UM_TENANT_ID = -1234 AND r.UM_DOMAIN_NAME = 'SYSTEM');
GO

INSERT INTO CARBON_UPGRADE_ROLE_DOMAIN (UM_TENANT_ID, UM_ROLE_NAME, UM_DOMAIN_NAME) SELECT t.UM_ID, 'wso2.anonymous.role', 'SYSTEM' FROM UM_TENANT t WHERE NOT EXISTS (SELECT 1 FROM CARBON_UPGRADE_ROLE_DOMAIN r WHERE r.UM_TENANT_ID = t.UM_ID AND r.UM_DOMAIN_NAME = 'SYSTEM');
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-hybrid-user-role-drop-4.0-unique::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
DECLARE @uk sysname, @drop nvarchar(400);
SELECT @uk = kc.name FROM sys.key_constraints kc WHERE kc.type = 'UQ' AND kc.parent_object_id = OBJECT_ID('UM_HYBRID_USER_ROLE')
  AND STUFF((SELECT ',' + c.name FROM sys.index_columns ic JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
    WHERE ic.object_id = kc.parent_object_id AND ic.index_id = kc.unique_index_id ORDER BY ic.key_ordinal FOR XML PATH('')), 1, 1, '') = 'UM_USER_NAME,UM_ROLE_ID,UM_TENANT_ID';
IF @uk IS NOT NULL BEGIN SET @drop = N'ALTER TABLE UM_HYBRID_USER_ROLE DROP CONSTRAINT ' + QUOTENAME(@uk); EXEC(@drop) END;
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-hybrid-user-role-add-domain-id::carbon-upgrade
ALTER TABLE UM_HYBRID_USER_ROLE ADD UM_DOMAIN_ID int;
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-role-permission-add-domain-id::carbon-upgrade
ALTER TABLE UM_ROLE_PERMISSION ADD UM_DOMAIN_ID int;
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-domain-create-backfill-lookup-index::carbon-upgrade
CREATE NONCLUSTERED INDEX IX_UPGRADE_DOMAIN_LOOKUP ON UM_DOMAIN(UM_TENANT_ID, UM_DOMAIN_NAME);
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-hybrid-role-create-backfill-lookup-index::carbon-upgrade
CREATE NONCLUSTERED INDEX IX_UPGRADE_HYBRID_ROLE_LOOKUP ON UM_HYBRID_ROLE(UM_TENANT_ID, UM_ROLE_NAME);
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-domain-insert-builtin-domains::carbon-upgrade
INSERT INTO UM_DOMAIN (UM_DOMAIN_NAME, UM_TENANT_ID)
      SELECT n.DOMAIN_NAME, t.TENANT_ID
      FROM (SELECT s.UM_DOMAIN_NAME AS DOMAIN_NAME, 1 AS ORD FROM CARBON_UPGRADE_USER_STORE s WHERE s.STORE_KIND = 'PRIMARY' UNION ALL SELECT 'INTERNAL', 2 UNION ALL SELECT 'SYSTEM', 3) n
      CROSS JOIN (SELECT -1234 AS TENANT_ID UNION SELECT UM_ID FROM UM_TENANT) t
      WHERE NOT EXISTS (SELECT 1 FROM UM_DOMAIN d WHERE d.UM_DOMAIN_NAME = n.DOMAIN_NAME AND d.UM_TENANT_ID = t.TENANT_ID)
      ORDER BY t.TENANT_ID, n.ORD;
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-domain-insert-prefixed-domains::carbon-upgrade
INSERT INTO UM_DOMAIN (UM_DOMAIN_NAME, UM_TENANT_ID)
      SELECT DISTINCT p.DOMAIN_NAME, p.TENANT_ID FROM (
        SELECT UPPER(SUBSTRING(UM_USER_NAME, 1, CHARINDEX('/', UM_USER_NAME) - 1)) AS DOMAIN_NAME, UM_TENANT_ID AS TENANT_ID
        FROM UM_HYBRID_USER_ROLE WHERE (UM_DOMAIN_ID IS NULL OR UM_DOMAIN_ID = -1) AND CHARINDEX('/', UM_USER_NAME) > 1 AND CHARINDEX('/', UM_USER_NAME) < LEN(UM_USER_NAME)
        UNION
        SELECT UPPER(SUBSTRING(UM_ROLE_NAME, 1, CHARINDEX('/', UM_ROLE_NAME) - 1)), UM_TENANT_ID
        FROM UM_ROLE_PERMISSION WHERE (UM_DOMAIN_ID IS NULL OR UM_DOMAIN_ID = -1) AND CHARINDEX('/', UM_ROLE_NAME) > 1 AND CHARINDEX('/', UM_ROLE_NAME) < LEN(UM_ROLE_NAME)
      ) p
      WHERE p.DOMAIN_NAME IN (SELECT s.UM_DOMAIN_NAME FROM CARBON_UPGRADE_USER_STORE s WHERE s.STORE_KIND = 'SECONDARY')
        AND NOT EXISTS (SELECT 1 FROM UM_DOMAIN d WHERE d.UM_DOMAIN_NAME = p.DOMAIN_NAME AND d.UM_TENANT_ID = p.TENANT_ID)
      ORDER BY p.TENANT_ID, p.DOMAIN_NAME;
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-role-permission-drop-4.0-unique::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
DECLARE @uk sysname, @drop nvarchar(400);
SELECT @uk = kc.name FROM sys.key_constraints kc WHERE kc.type = 'UQ' AND kc.parent_object_id = OBJECT_ID('UM_ROLE_PERMISSION')
  AND STUFF((SELECT ',' + c.name FROM sys.index_columns ic JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
    WHERE ic.object_id = kc.parent_object_id AND ic.index_id = kc.unique_index_id ORDER BY ic.key_ordinal FOR XML PATH('')), 1, 1, '') = 'UM_PERMISSION_ID,UM_ROLE_NAME,UM_TENANT_ID';
IF @uk IS NOT NULL BEGIN SET @drop = N'ALTER TABLE UM_ROLE_PERMISSION DROP CONSTRAINT ' + QUOTENAME(@uk); EXEC(@drop) END;
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-hybrid-user-role-backfill-prefixed-domain::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- Runs in chunks of about 50,000 rows by key range of UM_HYBRID_USER_ROLE.UM_ID, each chunk committed on its own:
-- this statement with AND UM_ID >= ? AND UM_ID < ? added. It touches only rows still without UM_DOMAIN_ID,
-- so a re-run after a crash goes on from the last committed chunk. Chunk size: -Dcarbon.upgrade.chunkSize.;
GO

UPDATE UM_HYBRID_USER_ROLE
      SET UM_DOMAIN_ID = (SELECT d.UM_DOMAIN_ID FROM UM_DOMAIN d
                          WHERE d.UM_TENANT_ID = UM_HYBRID_USER_ROLE.UM_TENANT_ID
                            AND d.UM_DOMAIN_NAME = UPPER(SUBSTRING(UM_HYBRID_USER_ROLE.UM_USER_NAME, 1, CHARINDEX('/', UM_HYBRID_USER_ROLE.UM_USER_NAME) - 1))),
          UM_USER_NAME = SUBSTRING(UM_USER_NAME, CHARINDEX('/', UM_USER_NAME) + 1, LEN(UM_USER_NAME))
      WHERE (UM_DOMAIN_ID IS NULL OR UM_DOMAIN_ID = -1) AND CHARINDEX('/', UM_USER_NAME) > 1 AND CHARINDEX('/', UM_USER_NAME) < LEN(UM_USER_NAME)
        AND UPPER(SUBSTRING(UM_USER_NAME, 1, CHARINDEX('/', UM_USER_NAME) - 1)) IN (SELECT s.UM_DOMAIN_NAME FROM CARBON_UPGRADE_USER_STORE s WHERE s.STORE_KIND = 'SECONDARY');
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-hybrid-user-role-backfill-primary-domain::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- Runs in chunks of about 50,000 rows by key range of UM_HYBRID_USER_ROLE.UM_ID, each chunk committed on its own:
-- this statement with AND UM_ID >= ? AND UM_ID < ? added. It touches only rows still without UM_DOMAIN_ID,
-- so a re-run after a crash goes on from the last committed chunk. Chunk size: -Dcarbon.upgrade.chunkSize.;
GO

UPDATE UM_HYBRID_USER_ROLE
      SET UM_DOMAIN_ID = (SELECT d.UM_DOMAIN_ID FROM UM_DOMAIN d
                          WHERE d.UM_TENANT_ID = UM_HYBRID_USER_ROLE.UM_TENANT_ID AND d.UM_DOMAIN_NAME = (SELECT s.UM_DOMAIN_NAME FROM CARBON_UPGRADE_USER_STORE s WHERE s.STORE_KIND = 'PRIMARY'))
      WHERE (UM_DOMAIN_ID IS NULL OR UM_DOMAIN_ID = -1);
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-role-permission-backfill-everyone-and-anonymous-domain::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- Runs in chunks of about 50,000 rows by key range of UM_ROLE_PERMISSION.UM_ID, each chunk committed on its own:
-- this statement with AND UM_ID >= ? AND UM_ID < ? added. It touches only rows still without UM_DOMAIN_ID,
-- so a re-run after a crash goes on from the last committed chunk. Chunk size: -Dcarbon.upgrade.chunkSize.;
GO

UPDATE UM_ROLE_PERMISSION
      SET UM_DOMAIN_ID = (SELECT d.UM_DOMAIN_ID FROM UM_DOMAIN d, CARBON_UPGRADE_ROLE_DOMAIN m
                          WHERE m.UM_TENANT_ID = UM_ROLE_PERMISSION.UM_TENANT_ID AND m.UM_ROLE_NAME = UM_ROLE_PERMISSION.UM_ROLE_NAME
                            AND d.UM_TENANT_ID = m.UM_TENANT_ID AND d.UM_DOMAIN_NAME = m.UM_DOMAIN_NAME)
      WHERE (UM_DOMAIN_ID IS NULL OR UM_DOMAIN_ID = -1)
        AND EXISTS (SELECT 1 FROM CARBON_UPGRADE_ROLE_DOMAIN m
                    WHERE m.UM_TENANT_ID = UM_ROLE_PERMISSION.UM_TENANT_ID AND m.UM_ROLE_NAME = UM_ROLE_PERMISSION.UM_ROLE_NAME);
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-role-permission-backfill-prefixed-domain::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- Runs in chunks of about 50,000 rows by key range of UM_ROLE_PERMISSION.UM_ID, each chunk committed on its own:
-- this statement with AND UM_ID >= ? AND UM_ID < ? added. It touches only rows still without UM_DOMAIN_ID,
-- so a re-run after a crash goes on from the last committed chunk. Chunk size: -Dcarbon.upgrade.chunkSize.;
GO

UPDATE UM_ROLE_PERMISSION
      SET UM_DOMAIN_ID = (SELECT d.UM_DOMAIN_ID FROM UM_DOMAIN d
                          WHERE d.UM_TENANT_ID = UM_ROLE_PERMISSION.UM_TENANT_ID
                            AND d.UM_DOMAIN_NAME = UPPER(SUBSTRING(UM_ROLE_PERMISSION.UM_ROLE_NAME, 1, CHARINDEX('/', UM_ROLE_PERMISSION.UM_ROLE_NAME) - 1))),
          UM_ROLE_NAME = SUBSTRING(UM_ROLE_NAME, CHARINDEX('/', UM_ROLE_NAME) + 1, LEN(UM_ROLE_NAME))
      WHERE (UM_DOMAIN_ID IS NULL OR UM_DOMAIN_ID = -1) AND CHARINDEX('/', UM_ROLE_NAME) > 1 AND CHARINDEX('/', UM_ROLE_NAME) < LEN(UM_ROLE_NAME)
        AND UPPER(SUBSTRING(UM_ROLE_NAME, 1, CHARINDEX('/', UM_ROLE_NAME) - 1)) IN (SELECT s.UM_DOMAIN_NAME FROM CARBON_UPGRADE_USER_STORE s WHERE s.STORE_KIND = 'SECONDARY');
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-role-permission-backfill-internal-domain::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- Runs in chunks of about 50,000 rows by key range of UM_ROLE_PERMISSION.UM_ID, each chunk committed on its own:
-- this statement with AND UM_ID >= ? AND UM_ID < ? added. It touches only rows still without UM_DOMAIN_ID,
-- so a re-run after a crash goes on from the last committed chunk. Chunk size: -Dcarbon.upgrade.chunkSize.;
GO

UPDATE UM_ROLE_PERMISSION
      SET UM_DOMAIN_ID = (SELECT d.UM_DOMAIN_ID FROM UM_DOMAIN d
                          WHERE d.UM_TENANT_ID = UM_ROLE_PERMISSION.UM_TENANT_ID AND d.UM_DOMAIN_NAME = 'INTERNAL')
      WHERE (UM_DOMAIN_ID IS NULL OR UM_DOMAIN_ID = -1)
        AND EXISTS (SELECT 1 FROM UM_HYBRID_ROLE h
                    WHERE h.UM_ROLE_NAME = UM_ROLE_PERMISSION.UM_ROLE_NAME AND h.UM_TENANT_ID = UM_ROLE_PERMISSION.UM_TENANT_ID)
        AND NOT EXISTS (SELECT 1 FROM UM_ROLE r
                        WHERE r.UM_ROLE_NAME = UM_ROLE_PERMISSION.UM_ROLE_NAME AND r.UM_TENANT_ID = UM_ROLE_PERMISSION.UM_TENANT_ID);
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-role-permission-backfill-primary-domain::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- Runs in chunks of about 50,000 rows by key range of UM_ROLE_PERMISSION.UM_ID, each chunk committed on its own:
-- this statement with AND UM_ID >= ? AND UM_ID < ? added. It touches only rows still without UM_DOMAIN_ID,
-- so a re-run after a crash goes on from the last committed chunk. Chunk size: -Dcarbon.upgrade.chunkSize.;
GO

UPDATE UM_ROLE_PERMISSION
      SET UM_DOMAIN_ID = (SELECT d.UM_DOMAIN_ID FROM UM_DOMAIN d
                          WHERE d.UM_TENANT_ID = UM_ROLE_PERMISSION.UM_TENANT_ID AND d.UM_DOMAIN_NAME = (SELECT s.UM_DOMAIN_NAME FROM CARBON_UPGRADE_USER_STORE s WHERE s.STORE_KIND = 'PRIMARY'))
      WHERE (UM_DOMAIN_ID IS NULL OR UM_DOMAIN_ID = -1);
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-domain-drop-backfill-lookup-index::carbon-upgrade
DROP INDEX IX_UPGRADE_DOMAIN_LOOKUP ON UM_DOMAIN;
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-hybrid-role-drop-backfill-lookup-index::carbon-upgrade
DROP INDEX IX_UPGRADE_HYBRID_ROLE_LOOKUP ON UM_HYBRID_ROLE;
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-hybrid-user-role-unique-with-domain::carbon-upgrade
ALTER TABLE UM_HYBRID_USER_ROLE ADD CONSTRAINT UK_UM_HYBRID_USER_ROLE UNIQUE (UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID, UM_DOMAIN_ID);
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-role-permission-unique-with-domain::carbon-upgrade
ALTER TABLE UM_ROLE_PERMISSION ADD CONSTRAINT UK_UM_ROLE_PERMISSION UNIQUE (UM_PERMISSION_ID, UM_ROLE_NAME, UM_TENANT_ID, UM_DOMAIN_ID);
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-hybrid-user-role-fk-domain::carbon-upgrade
ALTER TABLE UM_HYBRID_USER_ROLE ADD CONSTRAINT FK_UM_HYBRID_USER_ROLE_DOMAIN FOREIGN KEY (UM_DOMAIN_ID, UM_TENANT_ID) REFERENCES UM_DOMAIN (UM_DOMAIN_ID, UM_TENANT_ID) ON DELETE CASCADE;
GO

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-role-permission-fk-domain::carbon-upgrade
ALTER TABLE UM_ROLE_PERMISSION ADD CONSTRAINT FK_UM_ROLE_PERMISSION_DOMAIN FOREIGN KEY (UM_DOMAIN_ID, UM_TENANT_ID) REFERENCES UM_DOMAIN (UM_DOMAIN_ID, UM_TENANT_ID) ON DELETE CASCADE;
GO

-- Changeset carbon-upgrade/is/identity-tables.xml::idn-identity-user-data-create-table::carbon-upgrade
CREATE TABLE IDN_IDENTITY_USER_DATA (TENANT_ID int CONSTRAINT DF_IDN_IDENTITY_USER_DATA_TENANT_ID DEFAULT -1234 NOT NULL, USER_NAME varchar(255) NOT NULL, DATA_KEY varchar(255) NOT NULL, DATA_VALUE varchar(255) NOT NULL, CONSTRAINT PK_IDN_IDENTITY_USER_DATA PRIMARY KEY (TENANT_ID, USER_NAME, DATA_KEY));
GO

-- Changeset carbon-upgrade/is/identity-tables.xml::idn-identity-meta-data-create-table::carbon-upgrade
CREATE TABLE IDN_IDENTITY_META_DATA (USER_NAME varchar(255) NOT NULL, TENANT_ID int CONSTRAINT DF_IDN_IDENTITY_META_DATA_TENANT_ID DEFAULT -1234 NOT NULL, METADATA_TYPE varchar(255) NOT NULL, METADATA varchar(255) NOT NULL, VALID varchar(255) NOT NULL);
GO

-- Changeset carbon-upgrade/is/identity-tables.xml::idn-identity-meta-data-primary-key::carbon-upgrade
ALTER TABLE IDN_IDENTITY_META_DATA ADD CONSTRAINT PK_IDN_IDENTITY_META_DATA PRIMARY KEY (TENANT_ID, USER_NAME, METADATA_TYPE, METADATA);
GO

-- Changeset carbon-upgrade/is/identity-tables.xml::idn-thrift-session-create-table::carbon-upgrade
CREATE TABLE IDN_THRIFT_SESSION (SESSION_ID varchar(255) NOT NULL, USER_NAME varchar(255) NOT NULL, CREATED_TIME varchar(255) NOT NULL, LAST_MODIFIED_TIME varchar(255) NOT NULL, CONSTRAINT PK_IDN_THRIFT_SESSION PRIMARY KEY (SESSION_ID));
GO

-- Changeset carbon-upgrade/is/oauth.xml::idn-oauth-consumer-apps-add-grant-types::carbon-upgrade
ALTER TABLE IDN_OAUTH_CONSUMER_APPS ADD GRANT_TYPES varchar(1024);
GO

-- Changeset carbon-upgrade/is/oauth.xml::idn-oauth2-authorization-code-add-callback-url::carbon-upgrade
ALTER TABLE IDN_OAUTH2_AUTHORIZATION_CODE ADD CALLBACK_URL varchar(1024);
GO

-- Changeset carbon-upgrade/is/oauth.xml::idn-oauth2-access-token-widen-token-scope::carbon-upgrade
ALTER TABLE IDN_OAUTH2_ACCESS_TOKEN ALTER COLUMN TOKEN_SCOPE varchar(2048);
GO

-- Changeset carbon-upgrade/is/identity-providers.xml::idp-base-table-create-table::carbon-upgrade
CREATE TABLE IDP_BASE_TABLE (NAME varchar(20) NOT NULL, CONSTRAINT PK_IDP_BASE_TABLE PRIMARY KEY (NAME));
GO

-- Changeset carbon-upgrade/is/identity-providers.xml::idp-base-table-insert-idp-row::carbon-upgrade
INSERT INTO IDP_BASE_TABLE (NAME) VALUES ('IdP');
GO

-- Changeset carbon-upgrade/is/identity-providers.xml::idn-base-table-insert-product-row::carbon-upgrade
INSERT INTO IDN_BASE_TABLE (PRODUCT_NAME) VALUES ('WSO2 Identity Server');
GO

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-create-table-mysql::carbon-upgrade
CREATE TABLE UM_TENANT_IDP (UM_ID int IDENTITY (1, 1) NOT NULL, UM_TENANT_ID int, UM_TENANT_IDP_NAME varchar(254), UM_TENANT_IDP_ISSUER varchar(512), UM_TENANT_IDP_URL varchar(2048), UM_TENANT_IDP_THUMBPRINT varchar(2048), UM_TENANT_IDP_PRIMARY char(1) NOT NULL, UM_TENANT_IDP_AUDIENCE varchar(2048), UM_TENANT_IDP_TOKEN_EP_ALIAS varchar(2048), CONSTRAINT PK_UM_TENANT_IDP PRIMARY KEY (UM_ID));
GO

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-unique-name::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD CONSTRAINT CON_IDP_KEY UNIQUE (UM_TENANT_ID, UM_TENANT_IDP_NAME);
GO

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-roles-create-table::carbon-upgrade
CREATE TABLE UM_TENANT_IDP_ROLES (UM_ID int IDENTITY (1, 1) NOT NULL, UM_TENANT_IDP_ID int, UM_TENANT_IDP_ROLE varchar(254), CONSTRAINT PK_UM_TENANT_IDP_ROLES PRIMARY KEY (UM_ID));
GO

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-roles-unique-role::carbon-upgrade
ALTER TABLE UM_TENANT_IDP_ROLES ADD CONSTRAINT CON_ROLES_KEY UNIQUE (UM_TENANT_IDP_ID, UM_TENANT_IDP_ROLE);
GO

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-roles-fk-idp::carbon-upgrade
ALTER TABLE UM_TENANT_IDP_ROLES ADD CONSTRAINT FK_UM_TENANT_IDP_ROLES_IDP FOREIGN KEY (UM_TENANT_IDP_ID) REFERENCES UM_TENANT_IDP (UM_ID) ON DELETE CASCADE;
GO

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-role-mappings-create-table::carbon-upgrade
CREATE TABLE UM_TENANT_IDP_ROLE_MAPPINGS (UM_ID int IDENTITY (1, 1) NOT NULL, UM_TENANT_IDP_ROLE_ID int, UM_TENANT_ID int, UM_TENANT_ROLE varchar(253), CONSTRAINT PK_UM_TENANT_IDP_ROLE_MAPPINGS PRIMARY KEY (UM_ID));
GO

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-role-mappings-unique-mapping::carbon-upgrade
ALTER TABLE UM_TENANT_IDP_ROLE_MAPPINGS ADD CONSTRAINT CON_ROLE_MAPPINGS_KEY UNIQUE (UM_TENANT_IDP_ROLE_ID, UM_TENANT_ID, UM_TENANT_ROLE);
GO

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-role-mappings-fk-role::carbon-upgrade
ALTER TABLE UM_TENANT_IDP_ROLE_MAPPINGS ADD CONSTRAINT FK_UM_TENANT_IDP_ROLE_MAP_ROLE FOREIGN KEY (UM_TENANT_IDP_ROLE_ID) REFERENCES UM_TENANT_IDP_ROLES (UM_ID) ON DELETE CASCADE;
GO

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-home-realm-id::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_HOME_REALM_ID varchar(254);
GO

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-saml2-sso-enabled::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_SAML2_SSO_ENABLED char(1) CONSTRAINT DF_UM_TENANT_IDP_UM_TENANT_IDP_SAML2_SSO_ENABLED DEFAULT '0' NOT NULL WITH VALUES;
GO

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-sp-entity-id::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_SP_ENTITY_ID varchar(512);
GO

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-authn-request-signed::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_AUTHN_REQUEST_SIGNED char(1) CONSTRAINT DF_UM_TENANT_IDP_UM_TENANT_IDP_AUTHN_REQUEST_SIGNED DEFAULT '0' NOT NULL WITH VALUES;
GO

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-logout-enabled::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_LOGOUT_ENABLED char(1) CONSTRAINT DF_UM_TENANT_IDP_UM_TENANT_IDP_LOGOUT_ENABLED DEFAULT '0' NOT NULL WITH VALUES;
GO

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-logout-url::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_LOGOUT_URL varchar(2048);
GO

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-logout-request-signed::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_LOGOUT_REQUEST_SIGNED char(1) CONSTRAINT DF_UM_TENANT_IDP_UM_TENANT_IDP_LOGOUT_REQUEST_SIGNED DEFAULT '0' NOT NULL WITH VALUES;
GO

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-authn-response-signed::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_AUTHN_RESPONSE_SIGNED char(1) CONSTRAINT DF_UM_TENANT_IDP_UM_TENANT_IDP_AUTHN_RESPONSE_SIGNED DEFAULT '0' NOT NULL WITH VALUES;
GO

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-oidc-enabled::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_OIDC_ENABLED char(1) CONSTRAINT DF_UM_TENANT_IDP_UM_TENANT_IDP_OIDC_ENABLED DEFAULT '0' NOT NULL WITH VALUES;
GO

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-consumer-key::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_CONSUMER_KEY varchar(512);
GO

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-consumer-secret::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_CONSUMER_SECRET varchar(512);
GO

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-authz-url::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_AUTHZ_URL varchar(2048);
GO

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-token-url::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_TOKEN_URL varchar(2048);
GO

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-claims-create-table-other-engines::carbon-upgrade
CREATE TABLE UM_TENANT_IDP_CLAIMS (UM_ID int IDENTITY (1, 1) NOT NULL, UM_TENANT_IDP_ID int, UM_TENANT_IDP_CLAIM varchar(254), CONSTRAINT PK_UM_TENANT_IDP_CLAIMS PRIMARY KEY (UM_ID));
GO

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-claims-unique-claim-other-engines::carbon-upgrade
ALTER TABLE UM_TENANT_IDP_CLAIMS ADD CONSTRAINT CON_CLAIMS_KEY UNIQUE (UM_TENANT_IDP_ID, UM_TENANT_IDP_CLAIM);
GO

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-claims-fk-idp-other-engines::carbon-upgrade
ALTER TABLE UM_TENANT_IDP_CLAIMS ADD CONSTRAINT FK_UM_TENANT_IDP_CLAIMS_IDP FOREIGN KEY (UM_TENANT_IDP_ID) REFERENCES UM_TENANT_IDP (UM_ID) ON DELETE CASCADE;
GO

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-claim-mappings-create-table-other-engines::carbon-upgrade
CREATE TABLE UM_TENANT_IDP_CLAIM_MAPPINGS (UM_ID int IDENTITY (1, 1) NOT NULL, UM_TENANT_IDP_CLAIM_ID int, UM_TENANT_ID int, UM_TENANT_CLAIM varchar(253), CONSTRAINT PK_UM_TENANT_IDP_CLAIM_MAPS PRIMARY KEY (UM_ID));
GO

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-claim-mappings-unique-mapping-other-engines::carbon-upgrade
ALTER TABLE UM_TENANT_IDP_CLAIM_MAPPINGS ADD CONSTRAINT CON_CLAIM_MAPPINGS_KEY UNIQUE (UM_TENANT_IDP_CLAIM_ID, UM_TENANT_ID, UM_TENANT_CLAIM);
GO

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-claim-mappings-fk-claim-other-engines::carbon-upgrade
ALTER TABLE UM_TENANT_IDP_CLAIM_MAPPINGS ADD CONSTRAINT FK_UM_TENANT_IDP_CLAIM_MAP_CLM FOREIGN KEY (UM_TENANT_IDP_CLAIM_ID) REFERENCES UM_TENANT_IDP_CLAIMS (UM_ID) ON DELETE CASCADE;
GO

-- Changeset carbon-upgrade/is/application-mgt.xml::idn-appmgt-app-create-table-other-engines::carbon-upgrade
CREATE TABLE IDN_APPMGT_APP (APP_ID varchar(190) NOT NULL, USERNAME varchar(255), TENANT_ID int CONSTRAINT DF_IDN_APPMGT_APP_TENANT_ID DEFAULT 0, CONSTRAINT PK_IDN_APPMGT_APP PRIMARY KEY (APP_ID));
GO

-- Changeset carbon-upgrade/is/application-mgt.xml::idn-appmgt-client-create-table-other-engines::carbon-upgrade
CREATE TABLE IDN_APPMGT_CLIENT (APP_ID varchar(190) NOT NULL, CLIENT_ID varchar(190) NOT NULL, CLIENT_SECRETE varchar(512), CALLBACK_URL varchar(1024), TYPE varchar(512), CONSTRAINT PK_IDN_APPMGT_CLIENT PRIMARY KEY (APP_ID, CLIENT_ID));
GO

-- Changeset carbon-upgrade/is/application-mgt.xml::idn-appmgt-step-create-table-other-engines::carbon-upgrade
CREATE TABLE IDN_APPMGT_STEP (APP_ID varchar(190) NOT NULL, STEP_ID varchar(190) NOT NULL, AUTHN_ID varchar(190) NOT NULL, IDP_ID varchar(190) NOT NULL, ENDPOINT varchar(1024), TYPE varchar(512), CONSTRAINT PK_IDN_APPMGT_STEP PRIMARY KEY (APP_ID, STEP_ID, AUTHN_ID, IDP_ID));
GO

-- Changeset carbon-upgrade/verify.xml::tag-carbon-4.2.0::carbon-upgrade
-- Changeset carbon-upgrade/verify.xml::verify-upgrade::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- Changeset carbon-upgrade/staging.xml::staging-record-upgraded-base::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
