#!/usr/bin/env bash
# usage: run.sh name prep.sql timed.sql : fresh UM_HYBRID_USER_ROLE from BASE_HUR (untimed), prep.sql (untimed), dirty pages flushed,
# then times timed.sql; prints time, redo MB, load.
set -euo pipefail
my() { mariadb -uroot -N "$@"; }
name=$1; prep=$2; f=$3
my myf_exp -e "DROP TABLE IF EXISTS UM_HYBRID_USER_ROLE, BENCH_FLOOR; CREATE TABLE UM_HYBRID_USER_ROLE LIKE BASE_HUR; SET UNIQUE_CHECKS=0; INSERT INTO UM_HYBRID_USER_ROLE SELECT * FROM BASE_HUR ORDER BY UM_ID, UM_TENANT_ID; ANALYZE TABLE UM_HYBRID_USER_ROLE" >/dev/null
[ -s "$prep" ] && my myf_exp < "$prep"
flush() { for _ in $(seq 120); do [ "$(my -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_PAGES_DIRTY'")" -lt 200 ] && break; sleep 1; done; }
flush
st() { my -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = '$1'"; }
l0=$(st INNODB_OS_LOG_WRITTEN); s=$(date +%s.%N)
my -vvv myf_exp < "$f" | grep -E "^(Query OK|[0-9]+ rows? in set)" | sed -E 's/.*\(([0-9.]+) sec\).*/\1/' | tr '\n' ' ' > /tmp/myph_steps.txt || true
e=$(date +%s.%N); l1=$(st INNODB_OS_LOG_WRITTEN)
printf '%-26s %6.2f s  redo %5.0f MB  load %s  steps: %s\n' "$name" "$(echo "$e - $s" | bc)" "$(echo "($l1-$l0)/1048576" | bc)" "$(cut -d' ' -f1 /proc/loadavg)" "$(cat /tmp/myph_steps.txt)"
