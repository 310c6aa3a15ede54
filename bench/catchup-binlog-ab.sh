#!/usr/bin/env bash
# MariaDB catch-up pass, this build (binary log, BinlogScan) against another build (BENCH_OTHER: a worktree of main,
# which hashes every production row), on the same data, alternating A B A B. Usage:
#   BENCH_OTHER=/path/to/main-worktree BENCH_DB_PREFIX=mybinlog_ bash bench/catchup-binlog-ab.sh
# Why not bench/catchup.sh with BENCH_FROM=saved: a binary log position recorded on staging is only sound for the
# events that follow it, and every copy made on the server after it (the saves, the in-place copy, re-copying staging
# each round) landed in the log between the recorded position and the timed pass's snapshot, where a real production
# server's log holds production's writes only (bench/lib.sh now copies with sql_log_bin=0; the order below is kept, and
# the passes' own writes to the other stagings still land in the log). Here every copy is made BEFORE the first passes record their positions:
# 1. production <- the seed; staging <- the seed (a restored native dump); stage + upgrade staging;
# 2. staging copied three times (stg_a2, stg_b1, stg_b2): four identical stagings;
# 3. a first pass, this build, on stg and stg_a2 (as bench/catchup.sh step 2b: each records the binary log position);
#    production is idle, so it applies nothing and the B stagings equal them but for that record; with
#    BENCH_OTHER_BINLOG=1 the other build's first passes on stg_b1 and stg_b2 too (a build that reads the log as well);
# 4. bench/catchup-changes.sql on production (as bench/catchup.sh step 3);
# 5. timed passes: A on stg, B on stg_b1, A on stg_a2, B on stg_b2 (an A pass's log range: production's changes, the
#    other stagings' first pass and, for the second A, the passes before it: the staging writes a colocated server logs),
#    each as the cut-over's final pass (-Dcarbon.upgrade.catchup.final=true; production is idle, no other session on
#    its database; a build without the option ignores it; BENCH_FINAL=0 times ordinary passes);
# 6. the in-place upgrade of a copy of production, timed (its writes go to the binary log too);
# 7. (BENCH_INPLACE_UNLOGGED=0 skips it) the in-place upgrade of another copy with sql_log_bin=0: the server without the log.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
other=${BENCH_OTHER:?BENCH_OTHER: a worktree of the build to compare with}
seed=cu_bench_seed_mysql_10000x100
prefix=${BENCH_DB_PREFIX:-cu_bench_ab_}
prod=${prefix}prod; inplace=${prefix}inplace
out=$PWD/target/bench/binlog-ab; mkdir -p "$out"; : >"$out/summary.txt"
my() { mariadb -uroot -N "$@"; }
url() { echo "jdbc:mysql://127.0.0.1:3306/$1"; }
note() { echo "[ab] $(date -u +%H:%M:%S) $* ($(uptime | sed 's/.*load average: /load /'))" | tee -a "$out/summary.txt"; }
copy() { my -e "DROP DATABASE IF EXISTS $1"; mysql_copy_database "$1" "$2"; }
common() { echo -Pmysql -Dcarbon.upgrade.source.url="$(url "$prod")" -Dliquibase.url="$(url "$1")" -Dliquibase.username=root; }
run() { # name dir command...
  local name=$1 dir=$2; shift 2
  local s e; s=$(date +%s.%N)
  (cd "$dir" && "$@") >"$out/$name.log" 2>&1 || { note "$name failed: $out/$name.log"; tail -30 "$out/$name.log" >&2; exit 1; }
  e=$(date +%s.%N)
  note "$name: $(printf '%.1f' "$(echo "$e - $s" | bc)") s wall"
}
pass() { # name dir staging [more options]
  # The timed passes without Maven's compile step (set below), as the in-place upgrade (both after `mvn compile`).
  run "$1" "$2" mvn -B ${goals:-compile exec:java@catch-up} $(common "$3") "${@:4}"
  grep -ho 'production: [a-z].*\|compared [0-9]* tables in [0-9]* ms\|applied [0-9]* production rows in [0-9]* ms\|time per step: .*' \
    "$out/$1.log" | sed 's/^/[ab]   /' | tee -a "$out/summary.txt"
}
[ "$(my -e 'SELECT @@log_bin, @@GLOBAL.binlog_format')" = "$(printf '1\tROW')" ] || { echo "MariaDB's binary log is not on in ROW format" >&2; exit 1; }
mvn -B -q compile; (cd "$other" && mvn -B -q compile)

note "1. production $prod and staging ${prefix}stg <- $seed"
copy "$prod" "$seed"; copy "${prefix}stg" "$seed"
run stage . mvn -B compile exec:java@stage liquibase:update $(common "${prefix}stg") -Dcarbon.upgrade.backup=none-staging-copy
note "2. three more copies of the staged, upgraded staging"
for c in a2 b1 b2; do copy "${prefix}stg_$c" "${prefix}stg"; done
note "3. first passes (this build) on ${prefix}stg and ${prefix}stg_a2"
pass first-a1 . "${prefix}stg"
pass first-a2 . "${prefix}stg_a2"
if [ "${BENCH_OTHER_BINLOG:-0}" = 1 ]; then
  # The other build reads the binary log too (main since s24-mybinlog): without a first pass of its own its stagings have
  # no recorded position and its timed passes hash every row instead.
  pass first-b1 "$other" "${prefix}stg_b1"
  pass first-b2 "$other" "${prefix}stg_b2"
fi
note "4. production's changes (bench/catchup-changes.sql)"
TEMPLATE='(SELECT seq AS i FROM seq_1_to_N) s' TENANTS=10000 perl -pe \
  's/SERIES\((\d+)\)/my $t = $ENV{TEMPLATE}; my $n = int($1 * $ENV{TENANTS} \/ 10000); $t =~ s{N}{$n}; $t/ge' bench/catchup-changes.sql \
  | { echo "START TRANSACTION;"; cat; echo "COMMIT;"; } | my "$prod"
final=-Dcarbon.upgrade.catchup.final=true
[ "${BENCH_FINAL:-1}" = 1 ] || final=-Dcarbon.upgrade.catchup.final=false
note "5. timed passes, alternating ($final)"
goals=exec:java@catch-up
[ "${BENCH_FINAL_COMPILE:-0}" = 1 ] && goals="compile exec:java@catch-up"
pass A1 . "${prefix}stg" "$final"
pass B1 "$other" "${prefix}stg_b1" "$final"
pass A2 . "${prefix}stg_a2" "$final"
pass B2 "$other" "${prefix}stg_b2" "$final"
note "6. in-place upgrade of a copy of production"
copy "$inplace" "$prod"
run inplace . mvn -B liquibase:update -Pmysql -Dliquibase.url="$(url "$inplace")" -Dliquibase.username=root -Dcarbon.upgrade.backup=bench-throwaway
if [ "${BENCH_INPLACE_UNLOGGED:-1}" = 1 ]; then
  # The same upgrade with its writes kept out of the binary log (sql_log_bin=0 in its sessions): what it costs on a
  # server without the log (MariaDB's default), the other denominator the ratio is reported against.
  note "7. in-place upgrade of another copy of production, its writes not logged"
  copy "${inplace}_nolog" "$prod"
  run inplace-unlogged . mvn -B liquibase:update -Pmysql -Dliquibase.url="$(url "${inplace}_nolog")?sessionVariables=sql_log_bin=0" \
    -Dliquibase.username=root -Dcarbon.upgrade.backup=bench-throwaway
fi
note "done; logs in $out"
if [ "${BENCH_DROP:-0}" = 1 ]; then for d in prod stg stg_a2 stg_b1 stg_b2 inplace inplace_nolog; do my -e "DROP DATABASE IF EXISTS ${prefix}$d"; done; fi
