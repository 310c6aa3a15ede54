#!/usr/bin/env bash
# Benchmark (not a test) of the staging catch-up (issue 14 point 6, docs/staging.md). Usage:
#   bash bench/catchup.sh <postgresql|mysql> [tenants] [users-per-tenant]
# Defaults 10000 x 100: the database bench/run.sh generates (1,019,082 users, 10,001 tenants, 2,030,223 hybrid rows),
# which must exist already (run bench/run.sh first; this script only copies it, never writes to it).
# 1. production <- a copy of that database; staging <- a second copy, as a DBA's restored native dump
#    (BENCH_STAGE_HOW=copy: staging empty, the stage command copies production row by row instead: minutes more);
# 2. stage + upgrade staging with the operator's command (mvn compile exec:java@stage liquibase:update);
# 2b. a first catch-up pass before production's changes, as an operator runs passes while production is live (on
#    PostgreSQL it records production's snapshot for the base, so later passes read only rows written since; a restored
#    dump's own moment is unknown). BENCH_FIRST_PASS=0 skips it (the timed pass then hashes all of production);
# 3. bench/catchup-changes.sql on production: about 10,000 rows inserted, updated, deleted as 4.0.x writes them;
# 4. a copy of production as it is now, upgraded in place (mvn liquibase:update, timed): the comparison;
# 5. the catch-up pass (mvn exec:java@catch-up, timed, peak RSS; compiled before, as the in-place run; BENCH_FINAL_COMPILE=1 adds compile) as the cut-over's final pass
#    (-Dcarbon.upgrade.catchup.final=true: production is idle here, no other session on its database; BENCH_FINAL=0
#    runs an ordinary pass instead), then a second, ordinary pass with nothing to do (after a final pass it first
#    merges the base rows that pass left pending: the time is printed), as after an abandoned cut-over.
# Prints each phase (JVM and Maven start, compare, apply, commit + id generators, verify), the ratio to the
# in-place upgrade and the load average. Databases: ${BENCH_DB_PREFIX:-cu_bench_cu_}prod/stg/inplace, kept for
# inspection; BENCH_DROP=1 drops them at the end. BENCH_FROM=catchup skips steps 1-3 (databases already made).
# BENCH_SAVE=1 keeps copies of production and staging after step 3 (<prefix>prod_saved, stg_saved); BENCH_FROM=saved
# starts from those copies again, so the same pass can be timed again after a code change (MariaDB: production is
# copied again only if a table's CHECKSUM TABLE differs from the saved copy's: catch-up only reads it).
# BENCH_INPLACE=0 skips step 4 (for alternating two versions of the pass quickly; the ratio then uses the last in-place time).
# PostgreSQL: BENCH_PGSLOT=1 (the default) passes -Dcarbon.upgrade.catchup.pgSlot=true to every pass (SlotScan: the
# first pass creates a replication slot, the timed one decodes it and drops it as the final pass); BENCH_PGSLOT=0
# runs without (A/B). Copies of production do not carry its slots, so BENCH_SAVE=1 also keeps production and staging
# after step 2b (<prefix>prod_saved0, stg_saved0) and BENCH_FROM=saved0 starts from those: step 2b (untimed, it
# creates the slot), 3, 4 and 5 run again each time; the same for a version without slots. There step 4 runs first,
# on a copy of <prefix>prod_saved (production after the same changes): a slot decodes all of the cluster's WAL since
# its point, and the in-place copy and upgrade write gigabytes of it (22 GB in the setup run: 62 s of decoding).
# Identity Server tables: the generated database has none, so IDN_OAUTH2_ACCESS_TOKEN is not exercised here.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
engine=${1:?usage: bench/catchup.sh <postgresql|mysql> [tenants] [users-per-tenant]}
tenants=${2:-10000}; users=${3:-100}
seed=cu_bench_seed_${engine}_${tenants}x${users}
prefix=${BENCH_DB_PREFIX:-cu_bench_cu_}
prod=${prefix}prod; stg=${prefix}stg; inplace=${prefix}inplace
out=$PWD/target/bench/catchup-$engine; mkdir -p "$out"

pg() { psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
my() { mariadb -uroot -N "$@"; }
url_of() {
  if [ "$engine" = postgresql ]; then echo "jdbc:postgresql://127.0.0.1:5432/$1"; else echo "jdbc:mysql://127.0.0.1:3306/$1"; fi
}
user=$([ "$engine" = postgresql ] && echo postgres || echo root)
load() { uptime | sed 's/.*load average: /load /'; }
note() { echo "[catchup-bench] $(date -u +%H:%M:%S) $* ($(load))" | tee -a "$out/summary.txt"; }
# PostgreSQL refuses to drop a database with a logical slot in it: catch-up's own slots there go first (SlotScan).
drop() { if [ "$engine" = postgresql ]; then
  pg -d postgres -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '$1' AND left(slot_name, 15) = 'carbon_upgrade_'" >/dev/null
  pg -d postgres -c "DROP DATABASE IF EXISTS $1"; else my -e "DROP DATABASE IF EXISTS $1"; fi; }

# A copy of $2 named $1 (PostgreSQL: TEMPLATE, which needs no other session on $2: retried while one is there).
copy_db() {
  local target=$1 from=$2
  drop "$target"
  if [ "$engine" = postgresql ]; then
    for attempt in $(seq 30); do
      pg -d postgres -c "CREATE DATABASE $target TEMPLATE $from STRATEGY FILE_COPY" 2>/dev/null && break
      [ "$attempt" = 30 ] && { echo "could not copy $from (sessions on it?)" >&2; exit 1; }
      sleep 10
    done
    pg -d "$target" -c "DROP TABLE IF EXISTS bench_seeded" -c "ANALYZE" -c "CHECKPOINT"
  else
    mysql_copy_database "$target" "$from"
  fi
}
# MariaDB: each table's name and CHECKSUM TABLE figure, for telling whether a saved copy still equals a database.
checksums() {
  my -e "CHECKSUM TABLE $(my -e "SELECT GROUP_CONCAT(CONCAT('$1.', TABLE_NAME) ORDER BY TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$1'")" \
    | sed "s/^$1\.//"
}
empty_db() {
  drop "$1"
  if [ "$engine" = postgresql ]; then pg -d postgres -c "CREATE DATABASE $1"
  else my -e "CREATE DATABASE $1 CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"; fi
}

# bench/catchup-changes.sql with SERIES(n) as the engine's row source ($1, N the count): n is written for 10,000
# tenants; a smaller database gets n x tenants / 10000, which keeps every tenant id the script computes in range.
scaled_changes() {
  TEMPLATE=$1 TENANTS=$tenants perl -pe 's/SERIES\((\d+)\)/my $t = $ENV{TEMPLATE}; my $n = int($1 * $ENV{TENANTS} \/ 10000); $t =~ s{N}{$n}; $t/ge' bench/catchup-changes.sql
}

# Runs a command with each output line stamped with the epoch time it arrived, under /usr/bin/time -v.
timed() {
  local name=$1; shift
  local start; start=$(date +%s.%N)
  set +e
  /usr/bin/time -v -o "$out/$name-time.txt" "$@" 2>&1 | python3 -u -c '
import sys, time
for line in sys.stdin: sys.stdout.write("%.3f %s" % (time.time(), line))' >"$out/$name.log"
  local rc=${PIPESTATUS[0]}
  set -e
  local end; end=$(date +%s.%N)
  echo "$start $end" >"$out/$name-span.txt"
  [ "$rc" = 0 ] || { note "$name failed (exit $rc): see $out/$name.log"; tail -30 "$out/$name.log" >&2; exit "$rc"; }
  note "$name: $(printf '%.1f' "$(echo "$end - $start" | bc)") s wall, peak RSS $(( $(awk -F': ' '/Maximum resident/ {print $2}' "$out/$name-time.txt") / 1024 )) MiB"
}

if [ "$engine" = postgresql ]; then
  [ "$(pg -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$seed'")" = 1 ] || { echo "no $seed: run bench/run.sh $engine $tenants $users first" >&2; exit 1; }
else
  [ -n "$(my -e "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '$seed'")" ] || { echo "no $seed: run bench/run.sh $engine $tenants $users first" >&2; exit 1; }
fi
mvn -B -q compile
export MAVEN_OPTS="${MAVEN_OPTS:-} -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"
common=(-P"$engine" -Dcarbon.upgrade.source.url="$(url_of "$prod")" -Dliquibase.url="$(url_of "$stg")" -Dliquibase.username="$user")
[ "$engine" = postgresql ] && [ "${BENCH_PGSLOT:-1}" = 1 ] && common+=(-Dcarbon.upgrade.catchup.pgSlot=true)

run_inplace() {
  copy_db "$inplace" "$1"
  if [ "$engine" = postgresql ]; then pg -d "$prod" -c "CHECKPOINT"; fi
  timed inplace mvn -B liquibase:update -P"$engine" -Dliquibase.url="$(url_of "$inplace")" -Dliquibase.username="$user" -Dcarbon.upgrade.backup=bench-throwaway
  [ "${BENCH_DROP:-0}" = 1 ] && drop "$inplace"   # its dead rows would otherwise be vacuumed during the timed pass
  inplace_done=1
}
if [ "${BENCH_FROM:-}" = saved0 ]; then
  note "1-2. production and staging <- ${prod}_saved0, ${stg}_saved0 (staged, first pass done)"
  copy_db "$prod" "${prod}_saved0"; copy_db "$stg" "${stg}_saved0"
  # The in-place upgrade first, of ${prod}_saved (production after the same changes, BENCH_SAVE=1): its copy and its
  # writes go into the cluster's WAL, which a replication slot created before them would decode through (production's
  # cluster does not run the in-place upgrade in a catch-up); the same order for a version without slots.
  if [ "${BENCH_INPLACE:-1}" = 1 ]; then
    note "4 (first). in-place upgrade of a copy of ${prod}_saved, production after the same changes ($inplace)"
    run_inplace "${prod}_saved"
  fi
  note "2b. a catch-up pass before production's changes (untimed; with BENCH_PGSLOT=1 it creates the slot the timed pass decodes)"
  timed catchup-first mvn -B compile exec:java@catch-up "${common[@]}"
  note "3. production's changes (bench/catchup-changes.sql)"
  scaled_changes 'generate_series(1, N) AS s(i)' | pg -d "$prod" -1 -f - >/dev/null
elif [ "${BENCH_FROM:-}" != catchup ] && [ "${BENCH_FROM:-}" != saved ]; then
  : >"$out/summary.txt"
  note "1. production $prod <- $seed"
  copy_db "$prod" "$seed"
  if [ "${BENCH_STAGE_HOW:-restored}" = copy ]; then empty_db "$stg"; else
    note "1. staging $stg <- $seed (a restored native dump)"; copy_db "$stg" "$seed"; fi
  note "2. stage + upgrade staging"
  timed stage mvn -B compile exec:java@stage liquibase:update "${common[@]}" -Dcarbon.upgrade.backup=none-staging-copy
  if [ "${BENCH_FIRST_PASS:-1}" = 1 ]; then
    note "2b. first catch-up pass, before production's changes"
    timed catchup-first mvn -B compile exec:java@catch-up "${common[@]}"
  fi
  if [ "${BENCH_SAVE:-0}" = 1 ] && [ "$engine" = postgresql ]; then
    note "2b. saving production and staging as ${prod}_saved0, ${stg}_saved0 (BENCH_FROM=saved0 starts from them again)"
    copy_db "${prod}_saved0" "$prod"; copy_db "${stg}_saved0" "$stg"
  fi
  note "3. production's changes (bench/catchup-changes.sql)"
  if [ "$engine" = postgresql ]; then
    scaled_changes 'generate_series(1, N) AS s(i)' | pg -d "$prod" -1 -f - >/dev/null
  else
    scaled_changes '(SELECT seq AS i FROM seq_1_to_N) s' \
      | { echo "START TRANSACTION;"; cat; echo "COMMIT;"; } | my "$prod"
  fi
  if [ "${BENCH_SAVE:-0}" = 1 ]; then
    note "3. saving production and staging as ${prod}_saved, ${stg}_saved (BENCH_FROM=saved starts from them again)"
    copy_db "${prod}_saved" "$prod"; copy_db "${stg}_saved" "$stg"
  fi
fi
if [ "${BENCH_FROM:-}" = saved ]; then
  note "1-3. production and staging <- ${prod}_saved, ${stg}_saved"
  if [ "$engine" = mysql ] && [ "$(checksums "$prod")" = "$(checksums "${prod}_saved")" ]; then
    note "1-3. production $prod equals ${prod}_saved (CHECKSUM TABLE of every table): not copied again"
  else
    copy_db "$prod" "${prod}_saved"
  fi
  copy_db "$stg" "${stg}_saved"
fi

if [ -n "${inplace_done:-}" ]; then
  :
elif [ "${BENCH_INPLACE:-1}" = 1 ]; then
  note "4. in-place upgrade of a copy of production as it is now ($inplace)"
  run_inplace "$prod"
else
  note "4. in-place upgrade skipped (BENCH_INPLACE=0): the ratios below are against the last one timed in $out"
fi
[ "$engine" = postgresql ] && pg -d postgres -c "CHECKPOINT"

final=()
[ "${BENCH_FINAL:-1}" = 1 ] && final=(-Dcarbon.upgrade.catchup.final=true)
note "5. catch-up pass (production's changes since the copy)${final:+, the final pass}"
# The final pass without Maven's compile step, as the in-place upgrade above (both after `mvn compile`, as an operator's
# earlier passes leave the classes; README "The final pass"); BENCH_FINAL_COMPILE=1 times it with compile.
final_goals=(exec:java@catch-up)
[ "${BENCH_FINAL_COMPILE:-0}" = 1 ] && final_goals=(compile exec:java@catch-up)
# BENCH_FINAL_OPTS: JVM options for the timed pass alone (a profiler: -XX:StartFlightRecording=filename=...).
MAVEN_OPTS="$MAVEN_OPTS ${BENCH_FINAL_OPTS:-}" timed catchup mvn -B "${final_goals[@]}" "${common[@]}" "${final[@]}"
note "5. second catch-up pass (nothing changed since the first: the floor of a pass)"
timed catchup-again mvn -B compile exec:java@catch-up "${common[@]}"

python3 - "$out" <<'PY' | tee -a "$out/summary.txt"
import re, sys
out = sys.argv[1]
def span(name):
    a, b = map(float, open(f"{out}/{name}-span.txt").read().split())
    return a, b
def lines(name):
    for l in open(f"{out}/{name}.log", errors="replace"):
        t, _, msg = l.partition(" ")
        yield float(t), msg.rstrip("\n")
inplace = span("inplace"); inplace_s = inplace[1] - inplace[0]
for name in ("catchup", "catchup-again"):
    start, end = span(name)
    marks, ms = {}, {}
    for t, msg in lines(name):
        for key, pat in [("main", r"\[catch-up\] production "), ("compared", r"\[catch-up\] compared \d+ tables in (\d+) ms"),
                         ("applied", r"\[catch-up\] applied (\d+) production rows in (\d+) ms"),
                         ("committed", r"\[catch-up\] pass \S+ committed"), ("reported", r"\[catch-up\] pass \S+: \d+ production rows applied"),
                         ("nothing", r"nothing to apply|0 production rows"),
                         ("merged", r"\[catch-up\] merged (\d+) base rows a final pass left pending .* in (\d+) ms")]:
            m = re.search(pat, msg)
            if m and key not in marks:
                marks[key] = t
                if key == "compared": ms["compare"] = int(m.group(1)) / 1000
                if key == "applied": ms["rows"], ms["apply"] = int(m.group(1)), int(m.group(2)) / 1000
                if key == "merged": ms["pending"], ms["merge"] = int(m.group(1)), int(m.group(2)) / 1000
        m = re.search(r"logical decoding names \(slot \S+, (\S+) to (\S+): (\d+) changes decoded in (\d+) ms", msg)
        if m: print(f"[catchup-bench]   {name} logical decoding: {m.group(3)} changes decoded in {int(m.group(4)) / 1000:.2f} s ({m.group(1)} to {m.group(2)})")
        m = re.search(r"\[catch-up\] (\w+): (production .*)", msg)
        if m: print(f"[catchup-bench]   {name} {m.group(1)}: {m.group(2)}")
    total = end - start
    print(f"[catchup-bench] {name}: {total:.1f} s wall = {total / inplace_s:.0%} of the in-place upgrade's {inplace_s:.1f} s")
    if "main" in marks:
        print(f"[catchup-bench]   JVM, Maven and compile before CatchUpMain's first line {marks['main'] - start:.1f} s")
    if "merge" in ms:
        print(f"[catchup-bench]   merge of the {ms['pending']} base rows a final pass left pending {ms['merge']:.1f} s")
    if "compare" in ms: print(f"[catchup-bench]   compare (checksums of both sides, keys of differing buckets) {ms['compare']:.1f} s")
    if "apply" in ms:
        refresh = "base rows left pending" if any("base rows left pending (final pass)" in msg for _, msg in lines(name)) else "base refresh"
        print(f"[catchup-bench]   apply {ms['rows']} rows + transforms + {refresh} + audit {ms['apply']:.1f} s")
    if "applied" in marks and "committed" in marks:
        print(f"[catchup-bench]   production access snapshot, commit, id generators {marks['committed'] - marks['applied']:.1f} s")
    if "committed" in marks and "reported" in marks:
        print(f"[catchup-bench]   verify (verifier on staging, access equivalence against production) {marks['reported'] - marks['committed']:.1f} s")
    if "reported" in marks: print(f"[catchup-bench]   after the last line until the JVM ended {end - marks['reported']:.1f} s")
PY
note "done; logs in $out"
if [ "${BENCH_DROP:-0}" = 1 ]; then drop "$prod"; drop "$stg"; drop "$inplace"; fi
