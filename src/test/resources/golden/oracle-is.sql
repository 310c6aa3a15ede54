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
-- target engine: oracle (profile oracle)
-- product scope: Identity Server (contexts carbon, is)
-- changelog: changelogs/carbon-upgrade.xml of carbon-upgrade <version>
-- generated: <varies>
-- database: none (offline). Every change is listed as for a plain Carbon 4.0.0 schema; the real
-- run checks the catalog before each change and skips what is already in place.
-- rollback: refused by design; the way back is the backup taken before the upgrade.;

-- Changeset carbon-upgrade/audit.xml::audit-create-run-table::carbon-upgrade
CREATE TABLE CARBON_UPGRADE_RUN (RUN_ID VARCHAR2(40) NOT NULL, STARTED_AT TIMESTAMP NOT NULL, PRODUCT VARCHAR2(20), ENGINE VARCHAR2(20), DATABASE_INFO VARCHAR2(500), BACKUP_REF VARCHAR2(1000), GATE_FINDINGS VARCHAR2(4000), TOOL_VERSION VARCHAR2(50), CONSTRAINT PK_CARBON_UPGRADE_RUN PRIMARY KEY (RUN_ID));

COMMENT ON TABLE CARBON_UPGRADE_RUN IS 'carbon-upgrade: one row per upgrade run';

-- Changeset carbon-upgrade/audit.xml::audit-create-row-count-table::carbon-upgrade
CREATE TABLE CARBON_UPGRADE_ROW_COUNT (RUN_ID VARCHAR2(40) NOT NULL, TABLE_NAME VARCHAR2(64) NOT NULL, ROW_COUNT NUMBER(38, 0) NOT NULL, CONSTRAINT PK_CARBON_UPGRADE_ROW_COUNT PRIMARY KEY (RUN_ID, TABLE_NAME));

COMMENT ON TABLE CARBON_UPGRADE_ROW_COUNT IS 'carbon-upgrade: rows per table before each run';

-- Changeset carbon-upgrade/audit.xml::audit-create-access-snapshot-table::carbon-upgrade
CREATE TABLE CARBON_UPGRADE_ACCESS (PART INTEGER NOT NULL, RUN_ID VARCHAR2(40), TAKEN_AT TIMESTAMP NOT NULL, ENTRIES NCLOB NOT NULL, CONSTRAINT PK_CARBON_UPGRADE_ACCESS PRIMARY KEY (PART));

COMMENT ON TABLE CARBON_UPGRADE_ACCESS IS 'carbon-upgrade: effective access of Carbon 4.0.x before the first run';

-- Changeset carbon-upgrade/audit.xml::audit-record-run::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
INSERT INTO CARBON_UPGRADE_RUN (RUN_ID, STARTED_AT, PRODUCT, ENGINE, DATABASE_INFO, BACKUP_REF, GATE_FINDINGS, TOOL_VERSION) VALUES ('<uuid>', TO_TIMESTAMP(<time>), 'is', 'oracle', NULL, '(none: SQL review only)', 'gate not run (offline SQL)', '<version>');

-- Changeset carbon-upgrade/audit.xml::audit-record-access-snapshot::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- Changeset carbon-upgrade/carbon/um-domain.xml::um-domain-create-table::carbon-upgrade
CREATE TABLE UM_DOMAIN (UM_DOMAIN_ID INTEGER NOT NULL, UM_DOMAIN_NAME VARCHAR2(255), UM_TENANT_ID INTEGER DEFAULT 0 NOT NULL, CONSTRAINT PK_UM_DOMAIN PRIMARY KEY (UM_DOMAIN_ID, UM_TENANT_ID));

-- Changeset carbon-upgrade/carbon/um-domain.xml::um-domain-create-sequence-oracle::carbon-upgrade
CREATE SEQUENCE UM_DOMAIN_SEQUENCE;

-- Changeset carbon-upgrade/carbon/um-domain.xml::um-domain-id-trigger-oracle::carbon-upgrade
CREATE OR REPLACE TRIGGER UM_DOMAIN_TRIGGER BEFORE INSERT ON UM_DOMAIN REFERENCING NEW AS NEW FOR EACH ROW
BEGIN
  SELECT UM_DOMAIN_SEQUENCE.nextval INTO :NEW.UM_DOMAIN_ID FROM dual;
END;
/

-- Changeset carbon-upgrade/carbon/um-system-users.xml::um-system-user-create-table::carbon-upgrade
CREATE TABLE UM_SYSTEM_USER (UM_ID INTEGER NOT NULL, UM_USER_NAME VARCHAR2(255) NOT NULL, UM_USER_PASSWORD VARCHAR2(255) NOT NULL, UM_SALT_VALUE VARCHAR2(31), UM_REQUIRE_CHANGE NUMBER(1) DEFAULT 0, UM_CHANGED_TIME TIMESTAMP NOT NULL, UM_TENANT_ID INTEGER DEFAULT 0 NOT NULL, CONSTRAINT PK_UM_SYSTEM_USER PRIMARY KEY (UM_ID, UM_TENANT_ID));

-- Changeset carbon-upgrade/carbon/um-system-users.xml::um-system-user-create-sequence-oracle::carbon-upgrade
CREATE SEQUENCE UM_SYSTEM_USER_SEQUENCE;

-- Changeset carbon-upgrade/carbon/um-system-users.xml::um-system-user-id-trigger-oracle::carbon-upgrade
CREATE OR REPLACE TRIGGER UM_SYSTEM_USER_TRIGGER BEFORE INSERT ON UM_SYSTEM_USER REFERENCING NEW AS NEW FOR EACH ROW
BEGIN
  SELECT UM_SYSTEM_USER_SEQUENCE.nextval INTO :NEW.UM_ID FROM dual;
END;
/

-- Changeset carbon-upgrade/carbon/um-system-users.xml::um-system-user-unique-name::carbon-upgrade
ALTER TABLE UM_SYSTEM_USER ADD CONSTRAINT UK_UM_SYSTEM_USER UNIQUE (UM_USER_NAME, UM_TENANT_ID);

-- Changeset carbon-upgrade/carbon/um-system-users.xml::um-system-role-create-table::carbon-upgrade
CREATE TABLE UM_SYSTEM_ROLE (UM_ID INTEGER NOT NULL, UM_ROLE_NAME VARCHAR2(255), UM_TENANT_ID INTEGER DEFAULT 0 NOT NULL, CONSTRAINT PK_UM_SYSTEM_ROLE PRIMARY KEY (UM_ID, UM_TENANT_ID));

-- Changeset carbon-upgrade/carbon/um-system-users.xml::um-system-role-create-sequence-oracle::carbon-upgrade
CREATE SEQUENCE UM_SYSTEM_ROLE_SEQUENCE;

-- Changeset carbon-upgrade/carbon/um-system-users.xml::um-system-role-id-trigger-oracle::carbon-upgrade
CREATE OR REPLACE TRIGGER UM_SYSTEM_ROLE_TRIGGER BEFORE INSERT ON UM_SYSTEM_ROLE REFERENCING NEW AS NEW FOR EACH ROW
BEGIN
  SELECT UM_SYSTEM_ROLE_SEQUENCE.nextval INTO :NEW.UM_ID FROM dual;
END;
/

-- Changeset carbon-upgrade/carbon/um-system-users.xml::um-system-user-role-create-table::carbon-upgrade
CREATE TABLE UM_SYSTEM_USER_ROLE (UM_ID INTEGER NOT NULL, UM_USER_NAME VARCHAR2(255), UM_ROLE_ID INTEGER NOT NULL, UM_TENANT_ID INTEGER DEFAULT 0 NOT NULL, CONSTRAINT PK_UM_SYSTEM_USER_ROLE PRIMARY KEY (UM_ID, UM_TENANT_ID));

-- Changeset carbon-upgrade/carbon/um-system-users.xml::um-system-user-role-create-sequence-oracle::carbon-upgrade
CREATE SEQUENCE UM_SYSTEM_USER_ROLE_SEQUENCE;

-- Changeset carbon-upgrade/carbon/um-system-users.xml::um-system-user-role-id-trigger-oracle::carbon-upgrade
CREATE OR REPLACE TRIGGER UM_SYSTEM_USER_ROLE_TRIGGER BEFORE INSERT ON UM_SYSTEM_USER_ROLE REFERENCING NEW AS NEW FOR EACH ROW
BEGIN
  SELECT UM_SYSTEM_USER_ROLE_SEQUENCE.nextval INTO :NEW.UM_ID FROM dual;
END;
/

-- Changeset carbon-upgrade/carbon/um-system-users.xml::um-system-user-role-unique-assignment::carbon-upgrade
ALTER TABLE UM_SYSTEM_USER_ROLE ADD CONSTRAINT UK_UM_SYSTEM_USER_ROLE UNIQUE (UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID);

-- Changeset carbon-upgrade/carbon/um-system-users.xml::um-system-user-role-fk-role::carbon-upgrade
ALTER TABLE UM_SYSTEM_USER_ROLE ADD CONSTRAINT FK_UM_SYSTEM_USER_ROLE_ROLE FOREIGN KEY (UM_ROLE_ID, UM_TENANT_ID) REFERENCES UM_SYSTEM_ROLE (UM_ID, UM_TENANT_ID);

-- Changeset carbon-upgrade/carbon/um-shared-roles.xml::um-role-add-shared-role::carbon-upgrade
ALTER TABLE UM_ROLE ADD UM_SHARED_ROLE CHAR(1) DEFAULT 0;

-- Changeset carbon-upgrade/carbon/um-shared-roles.xml::um-shared-user-role-create-table::carbon-upgrade
CREATE TABLE UM_SHARED_USER_ROLE (UM_ROLE_ID INTEGER NOT NULL, UM_USER_ID INTEGER NOT NULL, UM_USER_TENANT_ID INTEGER NOT NULL, UM_ROLE_TENANT_ID INTEGER NOT NULL);

-- Changeset carbon-upgrade/carbon/um-shared-roles.xml::um-shared-user-role-unique-assignment::carbon-upgrade
ALTER TABLE UM_SHARED_USER_ROLE ADD CONSTRAINT UK_UM_SHARED_USER_ROLE UNIQUE (UM_USER_ID, UM_ROLE_ID, UM_USER_TENANT_ID, UM_ROLE_TENANT_ID);

-- Changeset carbon-upgrade/carbon/um-shared-roles.xml::um-shared-user-role-fk-role::carbon-upgrade
ALTER TABLE UM_SHARED_USER_ROLE ADD CONSTRAINT FK_UM_SHARED_USER_ROLE_ROLE FOREIGN KEY (UM_ROLE_ID, UM_ROLE_TENANT_ID) REFERENCES UM_ROLE (UM_ID, UM_TENANT_ID) ON DELETE CASCADE;

-- Changeset carbon-upgrade/carbon/um-shared-roles.xml::um-shared-user-role-fk-user::carbon-upgrade
ALTER TABLE UM_SHARED_USER_ROLE ADD CONSTRAINT FK_UM_SHARED_USER_ROLE_USER FOREIGN KEY (UM_USER_ID, UM_USER_TENANT_ID) REFERENCES UM_USER (UM_ID, UM_TENANT_ID) ON DELETE CASCADE;

-- Changeset carbon-upgrade/carbon/um-account-mapping.xml::um-account-mapping-create-table::carbon-upgrade
CREATE TABLE UM_ACCOUNT_MAPPING (UM_ID INTEGER NOT NULL, UM_USER_NAME VARCHAR2(255) NOT NULL, UM_TENANT_ID INTEGER NOT NULL, UM_USER_STORE_DOMAIN VARCHAR2(100), UM_ACC_LINK_ID INTEGER NOT NULL, CONSTRAINT PK_UM_ACCOUNT_MAPPING PRIMARY KEY (UM_ID));

-- Changeset carbon-upgrade/carbon/um-account-mapping.xml::um-account-mapping-create-sequence-oracle::carbon-upgrade
CREATE SEQUENCE UM_ACCOUNT_MAPPING_SEQUENCE;

-- Changeset carbon-upgrade/carbon/um-account-mapping.xml::um-account-mapping-id-trigger-oracle::carbon-upgrade
CREATE OR REPLACE TRIGGER UM_ACCOUNT_MAPPING_TRIGGER BEFORE INSERT ON UM_ACCOUNT_MAPPING REFERENCING NEW AS NEW FOR EACH ROW
BEGIN
  SELECT UM_ACCOUNT_MAPPING_SEQUENCE.nextval INTO :NEW.UM_ID FROM dual;
END;
/

-- Changeset carbon-upgrade/carbon/um-account-mapping.xml::um-account-mapping-unique-link::carbon-upgrade
ALTER TABLE UM_ACCOUNT_MAPPING ADD CONSTRAINT UK_UM_ACCOUNT_MAPPING UNIQUE (UM_USER_NAME, UM_TENANT_ID, UM_USER_STORE_DOMAIN, UM_ACC_LINK_ID);

-- Changeset carbon-upgrade/carbon/um-account-mapping.xml::um-account-mapping-fk-tenant::carbon-upgrade
ALTER TABLE UM_ACCOUNT_MAPPING ADD CONSTRAINT FK_UM_ACCOUNT_MAPPING_TENANT FOREIGN KEY (UM_TENANT_ID) REFERENCES UM_TENANT (UM_ID) ON DELETE CASCADE;

-- Changeset carbon-upgrade/carbon/um-module.xml::um-module-create-table::carbon-upgrade
CREATE TABLE UM_MODULE (UM_ID INTEGER NOT NULL, UM_MODULE_NAME VARCHAR2(100), CONSTRAINT PK_UM_MODULE PRIMARY KEY (UM_ID));

-- Changeset carbon-upgrade/carbon/um-module.xml::um-module-create-sequence-oracle::carbon-upgrade
CREATE SEQUENCE UM_MODULE_SEQUENCE;

-- Changeset carbon-upgrade/carbon/um-module.xml::um-module-id-trigger-oracle::carbon-upgrade
CREATE OR REPLACE TRIGGER UM_MODULE_TRIGGER BEFORE INSERT ON UM_MODULE REFERENCING NEW AS NEW FOR EACH ROW
BEGIN
  SELECT UM_MODULE_SEQUENCE.nextval INTO :NEW.UM_ID FROM dual;
END;
/

-- Changeset carbon-upgrade/carbon/um-module.xml::um-module-unique-name::carbon-upgrade
ALTER TABLE UM_MODULE ADD CONSTRAINT UK_UM_MODULE UNIQUE (UM_MODULE_NAME);

-- Changeset carbon-upgrade/carbon/um-module.xml::um-module-actions-create-table::carbon-upgrade
CREATE TABLE UM_MODULE_ACTIONS (UM_ACTION VARCHAR2(255) NOT NULL, UM_MODULE_ID INTEGER NOT NULL, CONSTRAINT PK_UM_MODULE_ACTIONS PRIMARY KEY (UM_ACTION, UM_MODULE_ID));

-- Changeset carbon-upgrade/carbon/um-module.xml::um-module-actions-fk-module::carbon-upgrade
ALTER TABLE UM_MODULE_ACTIONS ADD CONSTRAINT FK_UM_MODULE_ACTIONS_MODULE FOREIGN KEY (UM_MODULE_ID) REFERENCES UM_MODULE (UM_ID) ON DELETE CASCADE;

-- Changeset carbon-upgrade/carbon/um-module.xml::um-permission-add-module-id::carbon-upgrade
ALTER TABLE UM_PERMISSION ADD UM_MODULE_ID INTEGER DEFAULT 0;

-- Changeset carbon-upgrade/carbon/um-claim.xml::um-claim-add-mapped-attribute-domain::carbon-upgrade
ALTER TABLE UM_CLAIM ADD UM_MAPPED_ATTRIBUTE_DOMAIN VARCHAR2(255);

-- Changeset carbon-upgrade/carbon/um-claim.xml::um-claim-add-checked-attribute::carbon-upgrade
ALTER TABLE UM_CLAIM ADD UM_CHECKED_ATTRIBUTE NUMBER(5);

-- Changeset carbon-upgrade/carbon/um-claim.xml::um-claim-add-read-only::carbon-upgrade
ALTER TABLE UM_CLAIM ADD UM_READ_ONLY NUMBER(5);

-- Changeset carbon-upgrade/carbon/um-claim.xml::um-claim-unique-with-attribute-domain-h2::carbon-upgrade
ALTER TABLE UM_CLAIM ADD CONSTRAINT UK_UM_CLAIM UNIQUE (UM_DIALECT_ID, UM_CLAIM_URI, UM_MAPPED_ATTRIBUTE_DOMAIN, UM_TENANT_ID);

-- Changeset carbon-upgrade/carbon/um-claim.xml::um-claim-drop-4.0-unique::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
DECLARE
  uk VARCHAR2(128);
BEGIN
  SELECT constraint_name INTO uk FROM (SELECT c.constraint_name, LISTAGG(cc.column_name, ',') WITHIN GROUP (ORDER BY cc.position) AS cols
    FROM user_constraints c JOIN user_cons_columns cc ON cc.constraint_name = c.constraint_name
    WHERE c.table_name = 'UM_CLAIM' AND c.constraint_type = 'U' GROUP BY c.constraint_name)
  WHERE cols = 'UM_DIALECT_ID,UM_CLAIM_URI,UM_TENANT_ID';
  EXECUTE IMMEDIATE 'ALTER TABLE UM_CLAIM DROP CONSTRAINT "' || REPLACE(uk, '"', '""') || '"';
EXCEPTION WHEN NO_DATA_FOUND THEN NULL;
END;
/

-- Changeset carbon-upgrade/carbon/um-claim.xml::um-claim-behavior-create-archive-table::carbon-upgrade
CREATE TABLE CARBON_UPGRADE_CLAIM_BEHAVIOR (UM_ID INTEGER NOT NULL, UM_PROFILE_ID INTEGER, UM_CLAIM_ID INTEGER, UM_BEHAVIOUR NUMBER(5), UM_TENANT_ID INTEGER NOT NULL, UM_PROFILE_NAME VARCHAR2(255), UM_CLAIM_URI VARCHAR2(255), UM_DIALECT_URI VARCHAR2(255), ARCHIVED_AT TIMESTAMP NOT NULL, CONSTRAINT PK_CARBON_UPGRADE_BEHAVIOR PRIMARY KEY (UM_ID, UM_TENANT_ID));

COMMENT ON TABLE CARBON_UPGRADE_CLAIM_BEHAVIOR IS 'carbon-upgrade: the 4.0.x UM_CLAIM_BEHAVIOR rows, archived';

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

-- Changeset carbon-upgrade/carbon/um-claim.xml::um-claim-behavior-delete-archived-rows::carbon-upgrade
DELETE FROM UM_CLAIM_BEHAVIOR
      WHERE EXISTS (SELECT 1 FROM CARBON_UPGRADE_CLAIM_BEHAVIOR a
                    WHERE a.UM_ID = UM_CLAIM_BEHAVIOR.UM_ID AND a.UM_TENANT_ID = UM_CLAIM_BEHAVIOR.UM_TENANT_ID);

-- Changeset carbon-upgrade/carbon/um-role-domain-map.xml::upgrade-create-user-store-table::carbon-upgrade
CREATE TABLE CARBON_UPGRADE_USER_STORE (UM_DOMAIN_NAME VARCHAR2(255) NOT NULL, STORE_KIND VARCHAR2(10) NOT NULL, CONSTRAINT PK_CARBON_UPGRADE_USER_STORE PRIMARY KEY (UM_DOMAIN_NAME));

COMMENT ON TABLE CARBON_UPGRADE_USER_STORE IS 'carbon-upgrade: user-store domains the back-fill used';

-- Changeset carbon-upgrade/carbon/um-role-domain-map.xml::upgrade-create-role-domain-table::carbon-upgrade
CREATE TABLE CARBON_UPGRADE_ROLE_DOMAIN (UM_TENANT_ID INTEGER NOT NULL, UM_ROLE_NAME VARCHAR2(255) NOT NULL, UM_DOMAIN_NAME VARCHAR2(255) NOT NULL, CONSTRAINT PK_CARBON_UPGRADE_ROLE_DOMAIN PRIMARY KEY (UM_TENANT_ID, UM_ROLE_NAME));

COMMENT ON TABLE CARBON_UPGRADE_ROLE_DOMAIN IS 'carbon-upgrade: 4.0.x roles with a fixed 4.2.0 domain, per tenant';

-- Changeset carbon-upgrade/carbon/um-role-domain-map.xml::upgrade-fill-role-domain-map::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
INSERT INTO CARBON_UPGRADE_USER_STORE (UM_DOMAIN_NAME, STORE_KIND) SELECT 'PRIMARY', 'PRIMARY' FROM (SELECT COUNT(*) AS N FROM UM_TENANT) one_row WHERE NOT EXISTS (SELECT 1 FROM CARBON_UPGRADE_USER_STORE s WHERE s.STORE_KIND = 'PRIMARY');

INSERT INTO CARBON_UPGRADE_USER_STORE (UM_DOMAIN_NAME, STORE_KIND) SELECT DISTINCT p.DOMAIN_NAME, 'SECONDARY' FROM (SELECT UPPER(SUBSTR(UM_USER_NAME, 1, INSTR(UM_USER_NAME, '/') - 1)) AS DOMAIN_NAME FROM UM_HYBRID_USER_ROLE WHERE INSTR(UM_USER_NAME, '/') > 1 AND INSTR(UM_USER_NAME, '/') < LENGTH(UM_USER_NAME) UNION SELECT UPPER(SUBSTR(UM_ROLE_NAME, 1, INSTR(UM_ROLE_NAME, '/') - 1)) FROM UM_ROLE_PERMISSION WHERE INSTR(UM_ROLE_NAME, '/') > 1 AND INSTR(UM_ROLE_NAME, '/') < LENGTH(UM_ROLE_NAME)) p WHERE NOT EXISTS (SELECT 1 FROM CARBON_UPGRADE_USER_STORE s WHERE s.UM_DOMAIN_NAME = p.DOMAIN_NAME);

-- Each tenant's everyone role name is read from UM_TENANT.UM_USER_CONFIG (EveryOneRoleName) when the update runs; this offline listing shows the default for every tenant.;

INSERT INTO CARBON_UPGRADE_ROLE_DOMAIN (UM_TENANT_ID, UM_ROLE_NAME, UM_DOMAIN_NAME) SELECT -1234, 'everyone', 'INTERNAL' FROM (SELECT COUNT(*) AS N FROM UM_TENANT) one_row WHERE NOT EXISTS (SELECT 1 FROM CARBON_UPGRADE_ROLE_DOMAIN r WHERE r.UM_TENANT_ID = -1234 AND r.UM_DOMAIN_NAME = 'INTERNAL');

INSERT INTO CARBON_UPGRADE_ROLE_DOMAIN (UM_TENANT_ID, UM_ROLE_NAME, UM_DOMAIN_NAME) SELECT t.UM_ID, 'everyone', 'INTERNAL' FROM UM_TENANT t WHERE NOT EXISTS (SELECT 1 FROM CARBON_UPGRADE_ROLE_DOMAIN r WHERE r.UM_TENANT_ID = t.UM_ID AND r.UM_DOMAIN_NAME = 'INTERNAL');

INSERT INTO CARBON_UPGRADE_ROLE_DOMAIN (UM_TENANT_ID, UM_ROLE_NAME, UM_DOMAIN_NAME) SELECT -1234, 'wso2.anonymous.role', 'SYSTEM' FROM (SELECT COUNT(*) AS N FROM UM_TENANT) one_row WHERE NOT EXISTS (SELECT 1 FROM CARBON_UPGRADE_ROLE_DOMAIN r WHERE r.UM_TENANT_ID = -1234 AND r.UM_DOMAIN_NAME = 'SYSTEM');

INSERT INTO CARBON_UPGRADE_ROLE_DOMAIN (UM_TENANT_ID, UM_ROLE_NAME, UM_DOMAIN_NAME) SELECT t.UM_ID, 'wso2.anonymous.role', 'SYSTEM' FROM UM_TENANT t WHERE NOT EXISTS (SELECT 1 FROM CARBON_UPGRADE_ROLE_DOMAIN r WHERE r.UM_TENANT_ID = t.UM_ID AND r.UM_DOMAIN_NAME = 'SYSTEM');

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-hybrid-user-role-drop-4.0-unique::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
DECLARE
  uk VARCHAR2(128);
BEGIN
  SELECT constraint_name INTO uk FROM (SELECT c.constraint_name, LISTAGG(cc.column_name, ',') WITHIN GROUP (ORDER BY cc.position) AS cols
    FROM user_constraints c JOIN user_cons_columns cc ON cc.constraint_name = c.constraint_name
    WHERE c.table_name = 'UM_HYBRID_USER_ROLE' AND c.constraint_type = 'U' GROUP BY c.constraint_name)
  WHERE cols = 'UM_USER_NAME,UM_ROLE_ID,UM_TENANT_ID';
  EXECUTE IMMEDIATE 'ALTER TABLE UM_HYBRID_USER_ROLE DROP CONSTRAINT "' || REPLACE(uk, '"', '""') || '"';
EXCEPTION WHEN NO_DATA_FOUND THEN NULL;
END;
/

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-hybrid-user-role-add-domain-id::carbon-upgrade
ALTER TABLE UM_HYBRID_USER_ROLE ADD UM_DOMAIN_ID INTEGER;

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-role-permission-add-domain-id::carbon-upgrade
ALTER TABLE UM_ROLE_PERMISSION ADD UM_DOMAIN_ID INTEGER;

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-domain-create-backfill-lookup-index::carbon-upgrade
CREATE INDEX IX_UPGRADE_DOMAIN_LOOKUP ON UM_DOMAIN(UM_TENANT_ID, UM_DOMAIN_NAME);

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-hybrid-role-create-backfill-lookup-index::carbon-upgrade
CREATE INDEX IX_UPGRADE_HYBRID_ROLE_LOOKUP ON UM_HYBRID_ROLE(UM_TENANT_ID, UM_ROLE_NAME);

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-domain-insert-builtin-domains::carbon-upgrade
INSERT INTO UM_DOMAIN (UM_DOMAIN_NAME, UM_TENANT_ID)
      SELECT n.DOMAIN_NAME, t.TENANT_ID
      FROM (SELECT s.UM_DOMAIN_NAME AS DOMAIN_NAME, 1 AS ORD FROM CARBON_UPGRADE_USER_STORE s WHERE s.STORE_KIND = 'PRIMARY' UNION ALL SELECT 'INTERNAL', 2 FROM DUAL UNION ALL SELECT 'SYSTEM', 3 FROM DUAL) n
      CROSS JOIN (SELECT -1234 AS TENANT_ID FROM DUAL UNION SELECT UM_ID FROM UM_TENANT) t
      WHERE NOT EXISTS (SELECT 1 FROM UM_DOMAIN d WHERE d.UM_DOMAIN_NAME = n.DOMAIN_NAME AND d.UM_TENANT_ID = t.TENANT_ID)
      ORDER BY t.TENANT_ID, n.ORD;

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-domain-insert-prefixed-domains::carbon-upgrade
INSERT INTO UM_DOMAIN (UM_DOMAIN_NAME, UM_TENANT_ID)
      SELECT DISTINCT p.DOMAIN_NAME, p.TENANT_ID FROM (
        SELECT UPPER(SUBSTR(UM_USER_NAME, 1, INSTR(UM_USER_NAME, '/') - 1)) AS DOMAIN_NAME, UM_TENANT_ID AS TENANT_ID
        FROM UM_HYBRID_USER_ROLE WHERE (UM_DOMAIN_ID IS NULL OR UM_DOMAIN_ID = -1) AND INSTR(UM_USER_NAME, '/') > 1 AND INSTR(UM_USER_NAME, '/') < LENGTH(UM_USER_NAME)
        UNION
        SELECT UPPER(SUBSTR(UM_ROLE_NAME, 1, INSTR(UM_ROLE_NAME, '/') - 1)), UM_TENANT_ID
        FROM UM_ROLE_PERMISSION WHERE (UM_DOMAIN_ID IS NULL OR UM_DOMAIN_ID = -1) AND INSTR(UM_ROLE_NAME, '/') > 1 AND INSTR(UM_ROLE_NAME, '/') < LENGTH(UM_ROLE_NAME)
      ) p
      WHERE p.DOMAIN_NAME IN (SELECT s.UM_DOMAIN_NAME FROM CARBON_UPGRADE_USER_STORE s WHERE s.STORE_KIND = 'SECONDARY')
        AND NOT EXISTS (SELECT 1 FROM UM_DOMAIN d WHERE d.UM_DOMAIN_NAME = p.DOMAIN_NAME AND d.UM_TENANT_ID = p.TENANT_ID)
      ORDER BY p.TENANT_ID, p.DOMAIN_NAME;

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-role-permission-drop-4.0-unique::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
DECLARE
  uk VARCHAR2(128);
BEGIN
  SELECT constraint_name INTO uk FROM (SELECT c.constraint_name, LISTAGG(cc.column_name, ',') WITHIN GROUP (ORDER BY cc.position) AS cols
    FROM user_constraints c JOIN user_cons_columns cc ON cc.constraint_name = c.constraint_name
    WHERE c.table_name = 'UM_ROLE_PERMISSION' AND c.constraint_type = 'U' GROUP BY c.constraint_name)
  WHERE cols = 'UM_PERMISSION_ID,UM_ROLE_NAME,UM_TENANT_ID';
  EXECUTE IMMEDIATE 'ALTER TABLE UM_ROLE_PERMISSION DROP CONSTRAINT "' || REPLACE(uk, '"', '""') || '"';
EXCEPTION WHEN NO_DATA_FOUND THEN NULL;
END;
/

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-hybrid-user-role-backfill-prefixed-domain::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- Runs in chunks of about 50,000 rows by key range of UM_HYBRID_USER_ROLE.UM_ID, each chunk committed on its own:
-- this statement with AND UM_ID >= ? AND UM_ID < ? added. It touches only rows still without UM_DOMAIN_ID,
-- so a re-run after a crash goes on from the last committed chunk. Chunk size: -Dcarbon.upgrade.chunkSize.;

UPDATE UM_HYBRID_USER_ROLE
      SET UM_DOMAIN_ID = (SELECT d.UM_DOMAIN_ID FROM UM_DOMAIN d
                          WHERE d.UM_TENANT_ID = UM_HYBRID_USER_ROLE.UM_TENANT_ID
                            AND d.UM_DOMAIN_NAME = UPPER(SUBSTR(UM_HYBRID_USER_ROLE.UM_USER_NAME, 1, INSTR(UM_HYBRID_USER_ROLE.UM_USER_NAME, '/') - 1))),
          UM_USER_NAME = SUBSTR(UM_USER_NAME, INSTR(UM_USER_NAME, '/') + 1)
      WHERE (UM_DOMAIN_ID IS NULL OR UM_DOMAIN_ID = -1) AND INSTR(UM_USER_NAME, '/') > 1 AND INSTR(UM_USER_NAME, '/') < LENGTH(UM_USER_NAME)
        AND UPPER(SUBSTR(UM_USER_NAME, 1, INSTR(UM_USER_NAME, '/') - 1)) IN (SELECT s.UM_DOMAIN_NAME FROM CARBON_UPGRADE_USER_STORE s WHERE s.STORE_KIND = 'SECONDARY');

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-hybrid-user-role-backfill-primary-domain::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- Runs in chunks of about 50,000 rows by key range of UM_HYBRID_USER_ROLE.UM_ID, each chunk committed on its own:
-- this statement with AND UM_ID >= ? AND UM_ID < ? added. It touches only rows still without UM_DOMAIN_ID,
-- so a re-run after a crash goes on from the last committed chunk. Chunk size: -Dcarbon.upgrade.chunkSize.;

UPDATE UM_HYBRID_USER_ROLE
      SET UM_DOMAIN_ID = (SELECT d.UM_DOMAIN_ID FROM UM_DOMAIN d
                          WHERE d.UM_TENANT_ID = UM_HYBRID_USER_ROLE.UM_TENANT_ID AND d.UM_DOMAIN_NAME = (SELECT s.UM_DOMAIN_NAME FROM CARBON_UPGRADE_USER_STORE s WHERE s.STORE_KIND = 'PRIMARY'))
      WHERE (UM_DOMAIN_ID IS NULL OR UM_DOMAIN_ID = -1);

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-role-permission-backfill-everyone-and-anonymous-domain::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- Runs in chunks of about 50,000 rows by key range of UM_ROLE_PERMISSION.UM_ID, each chunk committed on its own:
-- this statement with AND UM_ID >= ? AND UM_ID < ? added. It touches only rows still without UM_DOMAIN_ID,
-- so a re-run after a crash goes on from the last committed chunk. Chunk size: -Dcarbon.upgrade.chunkSize.;

UPDATE UM_ROLE_PERMISSION
      SET UM_DOMAIN_ID = (SELECT d.UM_DOMAIN_ID FROM UM_DOMAIN d, CARBON_UPGRADE_ROLE_DOMAIN m
                          WHERE m.UM_TENANT_ID = UM_ROLE_PERMISSION.UM_TENANT_ID AND m.UM_ROLE_NAME = UM_ROLE_PERMISSION.UM_ROLE_NAME
                            AND d.UM_TENANT_ID = m.UM_TENANT_ID AND d.UM_DOMAIN_NAME = m.UM_DOMAIN_NAME)
      WHERE (UM_DOMAIN_ID IS NULL OR UM_DOMAIN_ID = -1)
        AND EXISTS (SELECT 1 FROM CARBON_UPGRADE_ROLE_DOMAIN m
                    WHERE m.UM_TENANT_ID = UM_ROLE_PERMISSION.UM_TENANT_ID AND m.UM_ROLE_NAME = UM_ROLE_PERMISSION.UM_ROLE_NAME);

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-role-permission-backfill-prefixed-domain::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- Runs in chunks of about 50,000 rows by key range of UM_ROLE_PERMISSION.UM_ID, each chunk committed on its own:
-- this statement with AND UM_ID >= ? AND UM_ID < ? added. It touches only rows still without UM_DOMAIN_ID,
-- so a re-run after a crash goes on from the last committed chunk. Chunk size: -Dcarbon.upgrade.chunkSize.;

UPDATE UM_ROLE_PERMISSION
      SET UM_DOMAIN_ID = (SELECT d.UM_DOMAIN_ID FROM UM_DOMAIN d
                          WHERE d.UM_TENANT_ID = UM_ROLE_PERMISSION.UM_TENANT_ID
                            AND d.UM_DOMAIN_NAME = UPPER(SUBSTR(UM_ROLE_PERMISSION.UM_ROLE_NAME, 1, INSTR(UM_ROLE_PERMISSION.UM_ROLE_NAME, '/') - 1))),
          UM_ROLE_NAME = SUBSTR(UM_ROLE_NAME, INSTR(UM_ROLE_NAME, '/') + 1)
      WHERE (UM_DOMAIN_ID IS NULL OR UM_DOMAIN_ID = -1) AND INSTR(UM_ROLE_NAME, '/') > 1 AND INSTR(UM_ROLE_NAME, '/') < LENGTH(UM_ROLE_NAME)
        AND UPPER(SUBSTR(UM_ROLE_NAME, 1, INSTR(UM_ROLE_NAME, '/') - 1)) IN (SELECT s.UM_DOMAIN_NAME FROM CARBON_UPGRADE_USER_STORE s WHERE s.STORE_KIND = 'SECONDARY');

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-role-permission-backfill-internal-domain::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- Runs in chunks of about 50,000 rows by key range of UM_ROLE_PERMISSION.UM_ID, each chunk committed on its own:
-- this statement with AND UM_ID >= ? AND UM_ID < ? added. It touches only rows still without UM_DOMAIN_ID,
-- so a re-run after a crash goes on from the last committed chunk. Chunk size: -Dcarbon.upgrade.chunkSize.;

UPDATE UM_ROLE_PERMISSION
      SET UM_DOMAIN_ID = (SELECT d.UM_DOMAIN_ID FROM UM_DOMAIN d
                          WHERE d.UM_TENANT_ID = UM_ROLE_PERMISSION.UM_TENANT_ID AND d.UM_DOMAIN_NAME = 'INTERNAL')
      WHERE (UM_DOMAIN_ID IS NULL OR UM_DOMAIN_ID = -1)
        AND EXISTS (SELECT 1 FROM UM_HYBRID_ROLE h
                    WHERE h.UM_ROLE_NAME = UM_ROLE_PERMISSION.UM_ROLE_NAME AND h.UM_TENANT_ID = UM_ROLE_PERMISSION.UM_TENANT_ID)
        AND NOT EXISTS (SELECT 1 FROM UM_ROLE r
                        WHERE r.UM_ROLE_NAME = UM_ROLE_PERMISSION.UM_ROLE_NAME AND r.UM_TENANT_ID = UM_ROLE_PERMISSION.UM_TENANT_ID);

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-role-permission-backfill-primary-domain::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- Runs in chunks of about 50,000 rows by key range of UM_ROLE_PERMISSION.UM_ID, each chunk committed on its own:
-- this statement with AND UM_ID >= ? AND UM_ID < ? added. It touches only rows still without UM_DOMAIN_ID,
-- so a re-run after a crash goes on from the last committed chunk. Chunk size: -Dcarbon.upgrade.chunkSize.;

UPDATE UM_ROLE_PERMISSION
      SET UM_DOMAIN_ID = (SELECT d.UM_DOMAIN_ID FROM UM_DOMAIN d
                          WHERE d.UM_TENANT_ID = UM_ROLE_PERMISSION.UM_TENANT_ID AND d.UM_DOMAIN_NAME = (SELECT s.UM_DOMAIN_NAME FROM CARBON_UPGRADE_USER_STORE s WHERE s.STORE_KIND = 'PRIMARY'))
      WHERE (UM_DOMAIN_ID IS NULL OR UM_DOMAIN_ID = -1);

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-domain-drop-backfill-lookup-index::carbon-upgrade
DROP INDEX IX_UPGRADE_DOMAIN_LOOKUP;

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-hybrid-role-drop-backfill-lookup-index::carbon-upgrade
DROP INDEX IX_UPGRADE_HYBRID_ROLE_LOOKUP;

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-hybrid-user-role-unique-with-domain::carbon-upgrade
ALTER TABLE UM_HYBRID_USER_ROLE ADD CONSTRAINT UK_UM_HYBRID_USER_ROLE UNIQUE (UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID, UM_DOMAIN_ID);

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-hybrid-user-role-fk-domain::carbon-upgrade
ALTER TABLE UM_HYBRID_USER_ROLE ADD CONSTRAINT FK_UM_HYBRID_USER_ROLE_DOMAIN FOREIGN KEY (UM_DOMAIN_ID, UM_TENANT_ID) REFERENCES UM_DOMAIN (UM_DOMAIN_ID, UM_TENANT_ID) ON DELETE CASCADE;

-- Changeset carbon-upgrade/carbon/um-domain-ids.xml::um-role-permission-fk-domain::carbon-upgrade
ALTER TABLE UM_ROLE_PERMISSION ADD CONSTRAINT FK_UM_ROLE_PERMISSION_DOMAIN FOREIGN KEY (UM_DOMAIN_ID, UM_TENANT_ID) REFERENCES UM_DOMAIN (UM_DOMAIN_ID, UM_TENANT_ID) ON DELETE CASCADE;

-- Changeset carbon-upgrade/is/identity-tables.xml::idn-identity-user-data-create-table::carbon-upgrade
CREATE TABLE IDN_IDENTITY_USER_DATA (TENANT_ID INTEGER DEFAULT -1234 NOT NULL, USER_NAME VARCHAR2(255) NOT NULL, DATA_KEY VARCHAR2(255) NOT NULL, DATA_VALUE VARCHAR2(255) NOT NULL, CONSTRAINT PK_IDN_IDENTITY_USER_DATA PRIMARY KEY (TENANT_ID, USER_NAME, DATA_KEY));

-- Changeset carbon-upgrade/is/identity-tables.xml::idn-identity-meta-data-create-table::carbon-upgrade
CREATE TABLE IDN_IDENTITY_META_DATA (USER_NAME VARCHAR2(255) NOT NULL, TENANT_ID INTEGER DEFAULT -1234 NOT NULL, METADATA_TYPE VARCHAR2(255) NOT NULL, METADATA VARCHAR2(255) NOT NULL, VALID VARCHAR2(255) NOT NULL);

-- Changeset carbon-upgrade/is/identity-tables.xml::idn-identity-meta-data-primary-key::carbon-upgrade
ALTER TABLE IDN_IDENTITY_META_DATA ADD CONSTRAINT PK_IDN_IDENTITY_META_DATA PRIMARY KEY (TENANT_ID, USER_NAME, METADATA_TYPE, METADATA);

-- Changeset carbon-upgrade/is/identity-tables.xml::idn-thrift-session-create-table::carbon-upgrade
CREATE TABLE IDN_THRIFT_SESSION (SESSION_ID VARCHAR2(255) NOT NULL, USER_NAME VARCHAR2(255) NOT NULL, CREATED_TIME VARCHAR2(255) NOT NULL, LAST_MODIFIED_TIME VARCHAR2(255) NOT NULL, CONSTRAINT PK_IDN_THRIFT_SESSION PRIMARY KEY (SESSION_ID));

-- Changeset carbon-upgrade/is/oauth.xml::idn-oauth-consumer-apps-add-grant-types::carbon-upgrade
ALTER TABLE IDN_OAUTH_CONSUMER_APPS ADD GRANT_TYPES VARCHAR2(1024);

-- Changeset carbon-upgrade/is/oauth.xml::idn-oauth2-authorization-code-add-callback-url::carbon-upgrade
ALTER TABLE IDN_OAUTH2_AUTHORIZATION_CODE ADD CALLBACK_URL VARCHAR2(1024);

-- Changeset carbon-upgrade/is/oauth.xml::idn-oauth2-access-token-widen-token-scope::carbon-upgrade
ALTER TABLE IDN_OAUTH2_ACCESS_TOKEN MODIFY TOKEN_SCOPE VARCHAR2(2048);

-- Changeset carbon-upgrade/is/identity-providers.xml::idp-base-table-create-table::carbon-upgrade
CREATE TABLE IDP_BASE_TABLE (NAME VARCHAR2(20) NOT NULL, CONSTRAINT PK_IDP_BASE_TABLE PRIMARY KEY (NAME));

-- Changeset carbon-upgrade/is/identity-providers.xml::idp-base-table-insert-idp-row::carbon-upgrade
INSERT INTO IDP_BASE_TABLE (NAME) VALUES ('IdP');

-- Changeset carbon-upgrade/is/identity-providers.xml::idn-base-table-insert-product-row::carbon-upgrade
INSERT INTO IDN_BASE_TABLE (PRODUCT_NAME) VALUES ('WSO2 Identity Server');

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-create-table-mysql::carbon-upgrade
CREATE TABLE UM_TENANT_IDP (UM_ID INTEGER NOT NULL, UM_TENANT_ID INTEGER, UM_TENANT_IDP_NAME VARCHAR2(254), UM_TENANT_IDP_ISSUER VARCHAR2(512), UM_TENANT_IDP_URL VARCHAR2(2048), UM_TENANT_IDP_THUMBPRINT VARCHAR2(2048), UM_TENANT_IDP_PRIMARY CHAR(1) NOT NULL, UM_TENANT_IDP_AUDIENCE VARCHAR2(2048), UM_TENANT_IDP_TOKEN_EP_ALIAS VARCHAR2(2048), CONSTRAINT PK_UM_TENANT_IDP PRIMARY KEY (UM_ID));

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-create-sequence-oracle::carbon-upgrade
CREATE SEQUENCE IDP_SEQUENCE;

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-id-trigger-oracle::carbon-upgrade
CREATE OR REPLACE TRIGGER IDP_TRIGGER BEFORE INSERT ON UM_TENANT_IDP REFERENCING NEW AS NEW FOR EACH ROW
BEGIN
  SELECT IDP_SEQUENCE.nextval INTO :NEW.UM_ID FROM dual;
END;
/

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-unique-name::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD CONSTRAINT CON_IDP_KEY UNIQUE (UM_TENANT_ID, UM_TENANT_IDP_NAME);

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-roles-create-table::carbon-upgrade
CREATE TABLE UM_TENANT_IDP_ROLES (UM_ID INTEGER NOT NULL, UM_TENANT_IDP_ID INTEGER, UM_TENANT_IDP_ROLE VARCHAR2(254), CONSTRAINT PK_UM_TENANT_IDP_ROLES PRIMARY KEY (UM_ID));

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-roles-create-sequence-oracle::carbon-upgrade
CREATE SEQUENCE IDP_ROLES_SEQUENCE;

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-roles-id-trigger-oracle::carbon-upgrade
CREATE OR REPLACE TRIGGER IDP_ROLES_TRIGGER BEFORE INSERT ON UM_TENANT_IDP_ROLES REFERENCING NEW AS NEW FOR EACH ROW
BEGIN
  SELECT IDP_ROLES_SEQUENCE.nextval INTO :NEW.UM_ID FROM dual;
END;
/

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-roles-unique-role::carbon-upgrade
ALTER TABLE UM_TENANT_IDP_ROLES ADD CONSTRAINT CON_ROLES_KEY UNIQUE (UM_TENANT_IDP_ID, UM_TENANT_IDP_ROLE);

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-roles-fk-idp::carbon-upgrade
ALTER TABLE UM_TENANT_IDP_ROLES ADD CONSTRAINT FK_UM_TENANT_IDP_ROLES_IDP FOREIGN KEY (UM_TENANT_IDP_ID) REFERENCES UM_TENANT_IDP (UM_ID) ON DELETE CASCADE;

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-role-mappings-create-table::carbon-upgrade
CREATE TABLE UM_TENANT_IDP_ROLE_MAPPINGS (UM_ID INTEGER NOT NULL, UM_TENANT_IDP_ROLE_ID INTEGER, UM_TENANT_ID INTEGER, UM_TENANT_ROLE VARCHAR2(253), CONSTRAINT PK_UM_TENANT_IDP_ROLE_MAPPINGS PRIMARY KEY (UM_ID));

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-role-mappings-create-sequence-oracle::carbon-upgrade
CREATE SEQUENCE IDP_ROLE_MAPPINGS_SEQUENCE;

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-role-mappings-id-trigger-oracle::carbon-upgrade
CREATE OR REPLACE TRIGGER IDP_ROLE_MAPPINGS_TRIGGER BEFORE INSERT ON UM_TENANT_IDP_ROLE_MAPPINGS REFERENCING NEW AS NEW FOR EACH ROW
BEGIN
  SELECT IDP_ROLE_MAPPINGS_SEQUENCE.nextval INTO :NEW.UM_ID FROM dual;
END;
/

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-role-mappings-unique-mapping::carbon-upgrade
ALTER TABLE UM_TENANT_IDP_ROLE_MAPPINGS ADD CONSTRAINT CON_ROLE_MAPPINGS_KEY UNIQUE (UM_TENANT_IDP_ROLE_ID, UM_TENANT_ID, UM_TENANT_ROLE);

-- Changeset carbon-upgrade/is/identity-providers.xml::um-tenant-idp-role-mappings-fk-role::carbon-upgrade
ALTER TABLE UM_TENANT_IDP_ROLE_MAPPINGS ADD CONSTRAINT FK_UM_TENANT_IDP_ROLE_MAP_ROLE FOREIGN KEY (UM_TENANT_IDP_ROLE_ID) REFERENCES UM_TENANT_IDP_ROLES (UM_ID) ON DELETE CASCADE;

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-home-realm-id::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_HOME_REALM_ID VARCHAR2(254);

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-sp-entity-id::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_SP_ENTITY_ID VARCHAR2(512);

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-logout-enabled::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_LOGOUT_ENABLED CHAR(1) DEFAULT '0' NOT NULL;

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-logout-url::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_LOGOUT_URL VARCHAR2(2048);

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-oidc-enabled::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_OIDC_ENABLED CHAR(1) DEFAULT '0' NOT NULL;

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-consumer-key::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_CONSUMER_KEY VARCHAR2(512);

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-consumer-secret::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_CONSUMER_SECRET VARCHAR2(512);

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-authz-url::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_AUTHZ_URL VARCHAR2(2048);

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-add-token-url::carbon-upgrade
ALTER TABLE UM_TENANT_IDP ADD UM_TENANT_IDP_TOKEN_URL VARCHAR2(2048);

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-claims-create-table-other-engines::carbon-upgrade
CREATE TABLE UM_TENANT_IDP_CLAIMS (UM_ID INTEGER NOT NULL, UM_TENANT_IDP_ID INTEGER, UM_TENANT_IDP_CLAIM VARCHAR2(254), CONSTRAINT PK_UM_TENANT_IDP_CLAIMS PRIMARY KEY (UM_ID));

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-claims-create-sequence-oracle::carbon-upgrade
CREATE SEQUENCE IDP_CLAIMS_SEQUENCE;

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-claims-id-trigger-oracle::carbon-upgrade
CREATE OR REPLACE TRIGGER IDP_CLAIMS_TRIGGER BEFORE INSERT ON UM_TENANT_IDP_CLAIMS REFERENCING NEW AS NEW FOR EACH ROW
BEGIN
  SELECT IDP_CLAIMS_SEQUENCE.nextval INTO :NEW.UM_ID FROM dual;
END;
/

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-claims-unique-claim-other-engines::carbon-upgrade
ALTER TABLE UM_TENANT_IDP_CLAIMS ADD CONSTRAINT CON_CLAIMS_KEY UNIQUE (UM_TENANT_IDP_ID, UM_TENANT_IDP_CLAIM);

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-claims-fk-idp-other-engines::carbon-upgrade
ALTER TABLE UM_TENANT_IDP_CLAIMS ADD CONSTRAINT FK_UM_TENANT_IDP_CLAIMS_IDP FOREIGN KEY (UM_TENANT_IDP_ID) REFERENCES UM_TENANT_IDP (UM_ID) ON DELETE CASCADE;

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-claim-mappings-create-table-other-engines::carbon-upgrade
CREATE TABLE UM_TENANT_IDP_CLAIM_MAPPINGS (UM_ID INTEGER NOT NULL, UM_TENANT_IDP_CLAIM_ID INTEGER, UM_TENANT_ID INTEGER, UM_TENANT_CLAIM VARCHAR2(253), CONSTRAINT PK_UM_TENANT_IDP_CLAIM_MAPS PRIMARY KEY (UM_ID));

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-claim-mappings-create-sequence-oracle::carbon-upgrade
CREATE SEQUENCE IDP_CLAIM_MAPPINGS_SEQUENCE;

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-claim-mappings-id-trigger-oracle::carbon-upgrade
CREATE OR REPLACE TRIGGER IDP_CLAIM_MAPPINGS_TRIGGER BEFORE INSERT ON UM_TENANT_IDP_CLAIM_MAPPINGS REFERENCING NEW AS NEW FOR EACH ROW
BEGIN
  SELECT IDP_CLAIM_MAPPINGS_SEQUENCE.nextval INTO :NEW.UM_ID FROM dual;
END;
/

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-claim-mappings-unique-mapping-other-engines::carbon-upgrade
ALTER TABLE UM_TENANT_IDP_CLAIM_MAPPINGS ADD CONSTRAINT CON_CLAIM_MAPPINGS_KEY UNIQUE (UM_TENANT_IDP_CLAIM_ID, UM_TENANT_ID, UM_TENANT_CLAIM);

-- Changeset carbon-upgrade/is/idp-code-columns.xml::um-tenant-idp-claim-mappings-fk-claim-other-engines::carbon-upgrade
ALTER TABLE UM_TENANT_IDP_CLAIM_MAPPINGS ADD CONSTRAINT FK_UM_TENANT_IDP_CLAIM_MAP_CLM FOREIGN KEY (UM_TENANT_IDP_CLAIM_ID) REFERENCES UM_TENANT_IDP_CLAIMS (UM_ID) ON DELETE CASCADE;

-- Changeset carbon-upgrade/is/application-mgt.xml::idn-appmgt-app-create-table-other-engines::carbon-upgrade
CREATE TABLE IDN_APPMGT_APP (APP_ID VARCHAR2(512) NOT NULL, USERNAME VARCHAR2(255), TENANT_ID INTEGER DEFAULT 0, CONSTRAINT PK_IDN_APPMGT_APP PRIMARY KEY (APP_ID));

-- Changeset carbon-upgrade/is/application-mgt.xml::idn-appmgt-client-create-table-other-engines::carbon-upgrade
CREATE TABLE IDN_APPMGT_CLIENT (APP_ID VARCHAR2(512) NOT NULL, CLIENT_ID VARCHAR2(512) NOT NULL, CLIENT_SECRETE VARCHAR2(512), CALLBACK_URL VARCHAR2(1024), TYPE VARCHAR2(512), CONSTRAINT PK_IDN_APPMGT_CLIENT PRIMARY KEY (APP_ID, CLIENT_ID));

-- Changeset carbon-upgrade/is/application-mgt.xml::idn-appmgt-step-create-table-other-engines::carbon-upgrade
CREATE TABLE IDN_APPMGT_STEP (APP_ID VARCHAR2(512) NOT NULL, STEP_ID VARCHAR2(512) NOT NULL, AUTHN_ID VARCHAR2(512) NOT NULL, IDP_ID VARCHAR2(512) NOT NULL, ENDPOINT VARCHAR2(1024), TYPE VARCHAR2(512), CONSTRAINT PK_IDN_APPMGT_STEP PRIMARY KEY (APP_ID, STEP_ID, AUTHN_ID, IDP_ID));

-- Changeset carbon-upgrade/verify.xml::tag-carbon-4.2.0::carbon-upgrade
-- Changeset carbon-upgrade/verify.xml::verify-upgrade::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
-- Changeset carbon-upgrade/staging.xml::staging-record-upgraded-base::carbon-upgrade
-- WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:
