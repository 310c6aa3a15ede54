#!/usr/bin/env bash
# Times one back-fill variant on a fresh copy of $BASE (see README.md); PostgreSQL.
# usage: pgexp.sh name 'sql...'   runs on a fresh copy of bf_exp_base, prints time and WAL bytes
set -euo pipefail
pg() { psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
name=$1; shift
pg -d postgres -c "DROP DATABASE IF EXISTS bf_exp" -c "CREATE DATABASE bf_exp TEMPLATE ${BASE:-bf_exp_base}"
pg -d bf_exp -c "CHECKPOINT"
l0=$(pg -d bf_exp -c "select pg_current_wal_lsn()")
s=$(date +%s.%N)
pg -d bf_exp "$@"
e=$(date +%s.%N)
l1=$(pg -d bf_exp -c "select pg_current_wal_lsn()")
wal=$(pg -d bf_exp -c "select pg_wal_lsn_diff('$l1','$l0')")
left=$(pg -d bf_exp -c "select count(*) from um_hybrid_user_role where um_domain_id is null")
printf '%-28s %6.2f s  WAL %6.0f MB  null-left %s  load %s\n' "$name" "$(echo "$e - $s" | bc)" "$(echo "$wal/1048576" | bc)" "$left" "$(cut -d' ' -f1 /proc/loadavg)"
