#!/usr/bin/env bash
# usage: myexp.sh name file.sql  - fresh UM_HYBRID_USER_ROLE from BASE_HUR in bf_myexp_base, dirty pages flushed, then times the file
# SRC=BASE_HUR0 LACKING="UM_DOMAIN_ID = 0": the variant whose column already holds a value (README.md).
set -euo pipefail
my() { mariadb -uroot -N "$@"; }
name=$1; f=$2
my bf_myexp_base -e "DROP TABLE IF EXISTS UM_HYBRID_USER_ROLE, BENCH_FLOOR; CREATE TABLE UM_HYBRID_USER_ROLE LIKE ${SRC:-BASE_HUR}; INSERT INTO UM_HYBRID_USER_ROLE SELECT * FROM ${SRC:-BASE_HUR}; ANALYZE TABLE UM_HYBRID_USER_ROLE" >/dev/null
pct=$(my -e "SELECT @@GLOBAL.innodb_max_dirty_pages_pct"); my -e "SET GLOBAL innodb_max_dirty_pages_pct = 0"
for _ in $(seq 120); do [ "$(my -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_PAGES_DIRTY'")" -lt 50 ] && break; sleep 1; done
my -e "SET GLOBAL innodb_max_dirty_pages_pct = $pct"
st() { my -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = '$1'"; }
l0=$(st INNODB_OS_LOG_WRITTEN)
s=$(date +%s.%N)
my bf_myexp_base < "$f"
e=$(date +%s.%N)
l1=$(st INNODB_OS_LOG_WRITTEN)
hl=$(st INNODB_HISTORY_LIST_LENGTH 2>/dev/null || echo ?)
left=$(my bf_myexp_base -e "select count(*) from UM_HYBRID_USER_ROLE where ${LACKING:-UM_DOMAIN_ID IS NULL}")
printf '%-28s %6.2f s  redo %6.0f MB  history %s  null-left %s  load %s\n' "$name" "$(echo "$e - $s" | bc)" "$(echo "($l1-$l0)/1048576" | bc)" "$hl" "$left" "$(cut -d' ' -f1 /proc/loadavg)"
