#!/usr/bin/env bash
# Writes the SQL files of the MariaDB placeholder experiments (README.md) into the current directory: the primary back-fill
# as ChunkedBackfill runs it (a count, then 50,000-key ranges of UM_ID), before and after the placeholder, and the floor.
set -euo pipefail
chunks() { # $1: the "no domain yet" test
  for ((lo = 1; lo <= 2100000; lo += 50000)); do echo "UPDATE UM_HYBRID_USER_ROLE SET UM_DOMAIN_ID = (SELECT d.UM_DOMAIN_ID FROM UM_DOMAIN d WHERE d.UM_TENANT_ID = UM_HYBRID_USER_ROLE.UM_TENANT_ID AND d.UM_DOMAIN_NAME = (SELECT s.UM_DOMAIN_NAME FROM CARBON_UPGRADE_USER_STORE s WHERE s.STORE_KIND = 'PRIMARY')) WHERE $1 AND UM_ID >= $lo AND UM_ID < $((lo + 50000));"; done; }
: > empty.sql
# v0, the tool before: 4.0.0's key dropped and the column added as NULL (instant) untimed; timed: the fill.
echo "ALTER TABLE UM_HYBRID_USER_ROLE DROP INDEX UM_USER_NAME; ALTER TABLE UM_HYBRID_USER_ROLE ADD COLUMN UM_DOMAIN_ID INTEGER;" > p_v0.sql
{ echo "SELECT COUNT(*), MIN(UM_ID), MAX(UM_ID) FROM UM_HYBRID_USER_ROLE WHERE UM_DOMAIN_ID IS NULL;"; chunks "UM_DOMAIN_ID IS NULL"; } > t_fill_null.sql
lacking="(UM_DOMAIN_ID IS NULL OR UM_DOMAIN_ID = -1)"
fill_ph() { echo "SELECT COUNT(*), MIN(UM_ID), MAX(UM_ID) FROM UM_HYBRID_USER_ROLE WHERE $lacking;"; chunks "$lacking"; }
# v1: the rebuild that adds the column holding -1 with 4.0.0's key still there, the key dropped, the fill in place (all timed).
{ echo "ALTER TABLE UM_HYBRID_USER_ROLE ADD COLUMN UM_DOMAIN_ID INTEGER DEFAULT -1, FORCE;"; echo "ALTER TABLE UM_HYBRID_USER_ROLE DROP INDEX UM_USER_NAME;"; fill_ph; } > t_v1.sql
# v1b (what the changelog does now): the key dropped first, then the rebuild, then the fill in place (all timed).
{ echo "ALTER TABLE UM_HYBRID_USER_ROLE DROP INDEX UM_USER_NAME;"; echo "ALTER TABLE UM_HYBRID_USER_ROLE ADD COLUMN UM_DOMAIN_ID INTEGER DEFAULT -1, FORCE;"; fill_ph; } > t_v1b.sql
cat > t_floor.sql <<'SQL'
CREATE TABLE BENCH_FLOOR AS SELECT h.UM_ID, h.UM_USER_NAME, h.UM_ROLE_ID, h.UM_TENANT_ID, d.UM_DOMAIN_ID FROM UM_HYBRID_USER_ROLE h JOIN UM_DOMAIN d ON d.UM_TENANT_ID = h.UM_TENANT_ID AND d.UM_DOMAIN_NAME = 'PRIMARY';
ALTER TABLE BENCH_FLOOR ADD PRIMARY KEY (UM_ID, UM_TENANT_ID), ADD UNIQUE (UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID, UM_DOMAIN_ID);
SQL
