#!/usr/bin/env bash
# Benchmark (not a test): carbon-upgrade's update against the same DDL and data changes run as a plain SQL
# script through psql / mariadb, on a generated Carbon 4.0.0 database. Usage:
#   bash bench/run.sh [postgresql|mysql] [tenants] [users-per-tenant] [rounds]
# Defaults: 10000 tenants x 100 users = 1,019,082 users (anonymous users included) and 2,030,223 hybrid user-role rows, 2 rounds.
# Sizes: 1M users / 2M hybrid rows `bash bench/run.sh postgresql 10000 100 1`; 5M users / 10M hybrid rows
# `bash bench/run.sh postgresql 50000 100 1` (same with mysql; generating that seed once takes long, it is kept).
# The generated database is kept (cu_bench_seed_<engine>_<tenants>x<users>) and reused by the next run;
# BENCH_RESEED=1 generates it again. Each round times the script, then the tool, each on a fresh copy of it
# with the server's dirty pages flushed first, so neither run pays for the other's writes.
# Prints the wall times, their ratio, the peak memory (max RSS) of the upgrade run and where its time went, and
# the UM_HYBRID_USER_ROLE back-fill against its floor: one rewrite of that table joined to its domains (alone, and
# with the table's keys built), and the WAL / redo log written during each (server-wide, so others' writes included).
# On MariaDB also the undo each run left: ibdata1's growth (the undo logs live there) and the peak history list length.
# The tool runs the back-fills in key-range chunks (-Dcarbon.upgrade.chunkSize, BENCH_CHUNK_SIZE here); the plain
# script runs each as the single set-based statement updateSQL prints. BENCH_EARLIER_SCRIPT=<file> also times an earlier
# plain script (absolute path; e.g. one saved from an earlier run's results/) on its own fresh copy.
# BENCH_WITHOUT_ACCESS_CHECK=1 also times, each round, the same upgrade built without the access-equivalence check
# (bench/without-access-check.patch, applied to a second private copy of the project only: the shipped tool has no switch
# that turns a safety check off), on its own fresh copy, alternating which of the two runs first, and prints what the
# check added to the upgrade's wall time and its share (issue 10's goal: at most 10%).
# Each round also sets the tool's own time of every changeset beside the time the plain script spent in that changeset's
# statements (psql's \timing, mariadb -vvv): where the tool is slower than the same SQL run as a script.
# BENCH_TOOL_ONLY=1 times only the tool (no plain script, no floor): for A/B runs of two builds of the tool in one window,
# where the plain script is the same for both.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh # before the cd into the private copy below, which has no bench/
engine=${1:-postgresql}; tenants=${2:-10000}; users=${3:-100}; rounds=${4:-2}
tool_only=${BENCH_TOOL_ONLY:-0}
seed=cu_bench_seed_${engine}_${tenants}x${users}
# BENCH_DB_PREFIX names the two working copies (default cu_bench_), so a second person can run the benchmark from
# the same seed without overwriting the first one's upgraded database.
a=${BENCH_DB_PREFIX:-cu_bench_}tool_$engine; b=${BENCH_DB_PREFIX:-cu_bench_}script_$engine
# Run in a private copy of the project, so work on the checkout cannot disturb a long run.
copy=target/bench/project-$engine
rm -rf "$copy" && mkdir -p "$copy" && cp -r pom.xml .mvn changelogs profiles src "$copy/"
without=
if [ "${BENCH_WITHOUT_ACCESS_CHECK:-0}" = 1 ]; then
  without=$PWD/target/bench/project-$engine-without-access-check
  rm -rf "$without" && mkdir -p "$without" && cp -r pom.xml .mvn changelogs profiles src "$without/"
  patch -s -p1 -d "$without" < bench/without-access-check.patch || {
    echo "[bench] bench/without-access-check.patch no longer applies to src/: update it to the code (see its header)" >&2; exit 1; }
  (cd "$without" && mvn -B -q compile)
fi
cd "$copy"
out=$PWD/results; mkdir -p "$out"
mvn -B -q test-compile
cp=$(mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test):target/classes:target/test-classes

pg() { psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
my() { mariadb -uroot -N "$@"; }

seeded() {
  if [ "$engine" = postgresql ]; then
    [ "$(pg -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$seed'")" = 1 ] &&
      [ -n "$(pg -d "$seed" -c "SELECT 1 FROM pg_tables WHERE tablename = 'bench_seeded'")" ]
  else
    [ -n "$(my -e "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$seed' AND TABLE_NAME = 'BENCH_SEEDED'")" ]
  fi
}

if [ "${BENCH_RESEED:-0}" = 1 ] || ! seeded; then
  echo "[bench] seeding $engine: $tenants tenants x $users users into $seed"
  java -cp "$cp" org.carbonupgrade.bench.SeedBenchmarkDatabase "$engine" "${seed#cu_}" "$tenants" "$users"
  if [ "$engine" = postgresql ]; then pg -d "$seed" -c "CREATE TABLE bench_seeded (done INT)" -c "VACUUM ANALYZE"
  else my "$seed" -e "CREATE TABLE BENCH_SEEDED (done INT)"; fi
else
  echo "[bench] reusing $seed ($tenants tenants x $users users)"
fi

# A fresh copy of the generated database under the given name, with the server's dirty pages written out.
fresh_copy() {
  local target=$1
  if [ "$engine" = postgresql ]; then
    pg -d postgres -c "DROP DATABASE IF EXISTS $target" -c "CREATE DATABASE $target TEMPLATE $seed"
    pg -d "$target" -c "DROP TABLE bench_seeded" -c "ANALYZE" -c "CHECKPOINT"
  else
    my -e "DROP DATABASE IF EXISTS $target"
    mysql_copy_database "$target" "$seed"
    # Write out the copy's dirty pages now rather than during the timed run.
    local pct; pct=$(my -e "SELECT @@GLOBAL.innodb_max_dirty_pages_pct")
    my -e "SET GLOBAL innodb_max_dirty_pages_pct = 0"
    for _ in $(seq 120); do
      [ "$(my -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_PAGES_DIRTY'")" -lt 50 ] && break
      sleep 1
    done
    my -e "SET GLOBAL innodb_max_dirty_pages_pct = $pct"
  fi
}

# Bytes of WAL (PostgreSQL) / redo log (MariaDB) written so far by the whole server: a difference over a run includes
# what anyone else wrote meanwhile (this machine is shared), so it is an upper bound.
log_bytes() {
  if [ "$engine" = postgresql ]; then pg -d postgres -c "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint"
  else my -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_OS_LOG_WRITTEN'"; fi
}
mib() { echo "($2 - $1) / 1048576" | bc; }

# MariaDB's undo (issue 15: "WAL / undo growth"): the undo logs live in the system tablespace here
# (innodb_undo_tablespaces = 0), so what a run adds on disk is ibdata1's growth; how much undo waited for purge is the
# history list length (committed transactions' undo logs not yet purged), sampled every half second while the run
# goes on. Both server-wide. PostgreSQL keeps old row versions in the table itself: its WAL above is the measure.
undo_watch_start() {
  [ "$engine" = mysql ] || return 0
  undo_file=$(my -e "SELECT CONCAT(@@datadir, 'ibdata1')")
  undo_size0=$(stat -c %s "$undo_file" 2>/dev/null || echo 0)
  undo_peak_file=$(mktemp); echo 0 >"$undo_peak_file"
  ( peak=0; while :; do
      v=$(my -e "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_HISTORY_LIST_LENGTH'" 2>/dev/null || echo 0)
      if [ "${v:-0}" -gt "$peak" ]; then peak=$v; echo "$peak" >"$undo_peak_file"; fi
      sleep 0.5
    done ) &
  undo_watch_pid=$!
}
# Prints "ibdata1 +N MiB, history list peak M" for the run since undo_watch_start (nothing on PostgreSQL).
undo_watch_stop() {
  [ "$engine" = mysql ] || return 0
  kill "$undo_watch_pid" 2>/dev/null; wait "$undo_watch_pid" 2>/dev/null || true
  echo "ibdata1 +$(mib "$undo_size0" "$(stat -c %s "$undo_file" 2>/dev/null || echo 0)") MiB, history list peak $(cat "$undo_peak_file")"
  rm -f "$undo_peak_file"
}

drop() {
  if [ "$engine" = postgresql ]; then pg -d postgres -c "DROP DATABASE IF EXISTS $1"; else my -e "DROP DATABASE IF EXISTS $1"; fi
}

url_of() {
  if [ "$engine" = postgresql ]; then echo "jdbc:postgresql://127.0.0.1:5432/$1"; else echo "jdbc:mysql://127.0.0.1:3306/$1"; fi
}
user=$([ "$engine" = postgresql ] && echo postgres || echo root)

# The upgrade as an operator runs it, on database $1, logging to $2, /usr/bin/time's report in $3; from the project
# directory it is called in. Timestamped log lines show where the time goes (start, gate, each changeset, verification).
upgrade() {
  MAVEN_OPTS="${MAVEN_OPTS:-} -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS" \
  /usr/bin/time -v -o "$3" mvn -B liquibase:update -P"$engine" -Dliquibase.url="$(url_of "$1")" \
      -Dliquibase.username="$user" -Dcarbon.upgrade.backup=bench-throwaway ${BENCH_CHUNK_SIZE:+-Dcarbon.upgrade.chunkSize=$BENCH_CHUNK_SIZE} \
      >"$2" 2>&1
}

# The same upgrade built without the access check, on its own fresh copy (dropped after): sets $tool_without.
run_without() {
  local db=${BENCH_DB_PREFIX:-cu_bench_}nocheck_$engine start
  fresh_copy "$db"
  echo "[bench] round $round: carbon-upgrade without the access check (bench/without-access-check.patch) on $db"
  start=$(date +%s.%N)
  (cd "$without" && upgrade "$db" "$out/$engine-without-access-check-$round.log" "$out/$engine-without-time.txt")
  tool_without=$(echo "$(date +%s.%N) - $start" | bc)
  drop "$db"
}

# Seconds from the gate's connection to Liquibase's lock, and of the verification changeset, in an upgrade's log.
gate_and_verification() {
  python3 - "$1" <<'PY'
import re, sys
from datetime import datetime
marks = {}
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"(\d\d:\d\d:\d\d\.\d{3}) \[\w+\] (.*)", line)
    if not m: continue
    t = datetime.strptime(m.group(1), "%H:%M:%S.%f").timestamp()
    for key, pat in [("connected", "Executing on Database"), ("locked", "Successfully acquired change log lock"),
                     ("verification", "Running Changeset: .*verify-upgrade"), ("verified", "ChangeSet .*verify-upgrade.* ran successfully")]:
        if re.search(pat, m.group(2)): marks.setdefault(key, t)
d = lambda a, b: marks[b] - marks[a] if a in marks and b in marks else float("nan")
print("%.1f %.1f" % (d("connected", "locked"), d("verification", "verified")))
PY
}

results=()
added=()
for round in $(seq "$rounds"); do
  if [ "$tool_only" = 1 ]; then script=nan script_log=nan; else
    fresh_copy "$b"
    # The plain script: exactly the SQL the tool would run on this database, without its own bookkeeping
    # (DATABASECHANGELOG, lock, audit rows) - what a DBA would otherwise hand-run, mapping tables included.
    mvn -B -q liquibase:updateSQL -P"$engine" -Dliquibase.url="$(url_of "$b")" -Dliquibase.username="$user" \
        -Dliquibase.migrationSqlOutputFile="$out/$engine-review.sql" >/dev/null
    python3 - "$out/$engine-review.sql" "$out/$engine-plain.sql" "$out/$engine-plain-changesets.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
# Statements end in ";" at the end of a line, except inside a dollar-quoted block (PostgreSQL's DO of the table swap).
stmts, start, tag = [], 0, None
for m in re.finditer(r"\$\w*\$|;\s*\n", text):
    if m.group(0).startswith("$"):
        tag = m.group(0) if tag is None else (None if m.group(0) == tag else tag)
    elif tag is None:
        stmts.append(text[start:m.start()].strip())
        start = m.end()
stmts.append(text[start:].strip())
keep, owners = [], []
changeset = "(before the first changeset)"
for s in stmts:
    for l in s.splitlines():
        c = re.match(r"--\s+Changeset (\S+)", l)
        if c: changeset = c.group(1)
    body = "\n".join(l for l in s.splitlines() if not l.startswith("--")).strip()
    # The tool's own bookkeeping goes; the mapping tables the back-fill joins (CARBON_UPGRADE_USER_STORE,
    # CARBON_UPGRADE_ROLE_DOMAIN) stay: a hand-run script needs the same names.
    if not body or re.search(r"DATABASECHANGELOG|CARBON_UPGRADE_(RUN|ROW_COUNT)\b", body, re.I):
        continue
    keep.append(body + ";")
    owners.append(changeset)
open(sys.argv[2], "w").write("\n".join(keep) + "\n")
# Which changeset each statement comes from, in order: the script's statement times are set beside the tool's changesets.
open(sys.argv[3], "w").write("\n".join(owners) + "\n")
print("[bench] plain script: %d statements" % len(keep))
PY

    echo "[bench] round $round: plain script on $b"
    log0=$(log_bytes)
    undo_watch_start
    start=$(date +%s.%N)
    # Each statement's time is printed (psql's \timing, the mariadb client's -vvv) and kept, to set beside the tool's changesets.
    if [ "$engine" = postgresql ]; then
      psql -h 127.0.0.1 -U postgres -d "$b" -v ON_ERROR_STOP=1 -q -1 -c '\timing on' -f "$out/$engine-plain.sql" >"$out/$engine-plain-times.txt"
    else
      mariadb -uroot -vvv "$b" < "$out/$engine-plain.sql" >"$out/$engine-plain-times.txt"
    fi
    script=$(echo "$(date +%s.%N) - $start" | bc)
    script_log=$(mib "$log0" "$(log_bytes)")
    script_undo=$(undo_watch_stop)
    drop "$b" # its dead rows would otherwise be vacuumed/purged during the tool's timed run

    # An earlier version of the plain script (BENCH_EARLIER_SCRIPT=file), timed the same way: when the tool's SQL gets
    # faster, the plain script above is that faster SQL too, and this shows what the old one took on the same seed.
    if [ -n "${BENCH_EARLIER_SCRIPT:-}" ]; then
      fresh_copy "$b"
      start=$(date +%s.%N)
      if [ "$engine" = postgresql ]; then
        psql -h 127.0.0.1 -U postgres -d "$b" -v ON_ERROR_STOP=1 -q -1 -f "$BENCH_EARLIER_SCRIPT" >/dev/null
      else
        mariadb -uroot "$b" < "$BENCH_EARLIER_SCRIPT"
      fi
      printf '[bench] %s round %s: earlier plain script (%s) %.1f s\n' "$engine" "$round" "$(basename "$BENCH_EARLIER_SCRIPT")" \
          "$(echo "$(date +%s.%N) - $start" | bc)"
      drop "$b"
    fi
  fi

  # Without the access check (BENCH_WITHOUT_ACCESS_CHECK=1): first in even rounds, after the tool in odd ones, so
  # neither build always runs on the cache state the other left.
  if [ -n "$without" ] && [ $((round % 2)) = 0 ]; then run_without; fi
  fresh_copy "$a"
  echo "[bench] round $round: carbon-upgrade (mvn liquibase:update, gate and verification included) on $a"
  log0=$(log_bytes)
  undo_watch_start
  start=$(date +%s.%N)
  upgrade "$a" "$out/$engine-tool-$round.log" "$out/$engine-time.txt"
  tool=$(echo "$(date +%s.%N) - $start" | bc)
  tool_log=$(mib "$log0" "$(log_bytes)")
  tool_undo=$(undo_watch_stop)
  if [ -n "$without" ] && [ $((round % 2)) = 1 ]; then run_without; fi
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/$engine-time.txt")
  if [ "$tool_only" = 1 ]; then
    printf '[bench] %s round %s: carbon-upgrade %.1f s, peak RSS %d MiB (BENCH_TOOL_ONLY: no plain script, no floor)\n' \
        "$engine" "$round" "$tool" "$((rss / 1024))"
    echo "[bench]   $([ "$engine" = postgresql ] && echo WAL || echo redo log) written by the server meanwhile (others' writes included): carbon-upgrade $tool_log MiB"
    [ -z "$tool_undo" ] || echo "[bench]   undo (server-wide): carbon-upgrade $tool_undo"
  else
    line=$(printf '%s round %s: plain script %.1f s, carbon-upgrade %.1f s, ratio %.2f, peak RSS %d MiB' \
        "$engine" "$round" "$script" "$tool" "$(echo "$tool / $script" | bc -l)" "$((rss / 1024))")
    echo "[bench] $line"
    echo "[bench]   $([ "$engine" = postgresql ] && echo WAL || echo redo log) written by the server meanwhile (others' writes included): plain script $script_log MiB, carbon-upgrade $tool_log MiB"
    [ -z "$tool_undo" ] || echo "[bench]   undo (server-wide): plain script $script_undo; carbon-upgrade $tool_undo"
    results+=("$script $tool")
  fi

  if [ "$tool_only" != 1 ]; then
    # The back-fill's floor: one rewrite of UM_HYBRID_USER_ROLE joined to its (primary) domain, on the upgraded copy.
    # The fill finds each row's domain through a temporary index on UM_DOMAIN (tenant, name), dropped after it; the floor
    # gets the same index, untimed (without it MariaDB joins by nested loops: 62 s instead of 2 s at 600,000 rows).
    # Two floors: the rewrite alone, and the rewrite plus the keys the table has in 4.2.0 on this engine (its primary
    # key and unique key), which any rewrite that ends in the same table has to build too.
    lookup="CREATE INDEX BENCH_FLOOR_LOOKUP ON UM_DOMAIN (UM_TENANT_ID, UM_DOMAIN_NAME)"
    floor_sql="CREATE TABLE BENCH_FLOOR AS SELECT h.UM_ID, h.UM_USER_NAME, h.UM_ROLE_ID, h.UM_TENANT_ID, d.UM_DOMAIN_ID
      FROM UM_HYBRID_USER_ROLE h JOIN UM_DOMAIN d ON d.UM_TENANT_ID = h.UM_TENANT_ID AND d.UM_DOMAIN_NAME = 'PRIMARY'"
    if [ "$engine" = postgresql ]; then
      keys_sql="ALTER TABLE BENCH_FLOOR ADD PRIMARY KEY (UM_ID, UM_TENANT_ID), ADD UNIQUE (UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID)"
      pg -d "$a" -c "$lookup" -c "CHECKPOINT"
    else
      keys_sql="ALTER TABLE BENCH_FLOOR ADD PRIMARY KEY (UM_ID, UM_TENANT_ID), ADD UNIQUE (UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID, UM_DOMAIN_ID)"
      my "$a" -e "$lookup"
    fi
    log0=$(log_bytes)
    start=$(date +%s.%N)
    if [ "$engine" = postgresql ]; then pg -d "$a" -c "$floor_sql"; else my "$a" -e "$floor_sql"; fi
    floor=$(echo "$(date +%s.%N) - $start" | bc)
    floor_log=$(mib "$log0" "$(log_bytes)")
    start=$(date +%s.%N)
    if [ "$engine" = postgresql ]; then pg -d "$a" -c "$keys_sql"; else my "$a" -e "$keys_sql"; fi
    floor_keys=$(echo "$floor + $(date +%s.%N) - $start" | bc)
    if [ "$engine" = postgresql ]; then pg -d "$a" -c "DROP TABLE BENCH_FLOOR" -c "DROP INDEX BENCH_FLOOR_LOOKUP"
    else my "$a" -e "DROP TABLE BENCH_FLOOR; DROP INDEX BENCH_FLOOR_LOOKUP ON UM_DOMAIN"; fi
    echo "[bench]   floor's $([ "$engine" = postgresql ] && echo WAL || echo redo log) (others' writes included): $floor_log MiB"
    python3 - "$out/$engine-tool-$round.log" "$floor" "$floor_keys" <<'PY'
import re, sys
ms = {}
chunks = []
for line in open(sys.argv[1], errors="replace"):
    # The fill's changesets, on PostgreSQL the drop and re-creation of 4.0.0's unique key around them and the rebuild
    # (copy, its keys, the swap), and on MariaDB the rebuild that adds the column holding its placeholder and the
    # default's reset after the fill.
    m = re.search(r"ChangeSet carbon-upgrade/carbon/um-domain-ids.xml::(um-hybrid-user-role-(?:backfill-\S+|rebuild-\S+|\S+-4\.0-unique-(?:during|after)-backfill|add-domain-id-placeholder|domain-id-default-null))::carbon-upgrade ran successfully in (\d+)ms", line)
    if m: ms[m.group(1)] = int(m.group(2)) / 1000
    c = re.search(r"(back-fill UM_HYBRID_USER_ROLE .*(?:rows updated in|nothing to do).*|rebuild UM_HYBRID_USER_ROLE: .*(?:copied in|swapped in|not swapped).*)", line)
    if c: chunks.append(c.group(1))
fill, floor, keys = sum(ms.values()), float(sys.argv[2]), float(sys.argv[3])
print("[bench]   UM_HYBRID_USER_ROLE back-fill %.1f s (%s); floor (one CREATE TABLE AS SELECT joining the domains) %.1f s,"
      " ratio %.2f; floor with the table's keys built %.1f s, ratio %.2f"
      % (fill, ", ".join("%s %.1f s" % (k.replace("um-hybrid-user-role-", ""), v) for k, v in ms.items()),
         floor, fill / floor if floor else float("nan"), keys, fill / keys if keys else float("nan")))
for c in chunks: print("[bench]   " + c)
PY
  fi
  [ "$round" = "$rounds" ] || drop "$a"

  # Where the upgrade's time went, from the log's timestamps (the JVM's own start is before the first line).
  python3 - "$out/$engine-tool-$round.log" "$tool" <<'PY'
import re, sys
from datetime import datetime
marks, runs = {}, []
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"(\d\d:\d\d:\d\d\.\d{3}) \[\w+\] (.*)", line)
    if not m: continue
    t = datetime.strptime(m.group(1), "%H:%M:%S.%f").timestamp()
    msg = m.group(2)
    marks.setdefault("first line", t)
    # "gate passed": Liquibase creates its own table right after the gate; from there to the lock it validates the changelog.
    for key, pat in [("connected", "Executing on Database"), ("gate passed", "Creating database changelog table"),
                     ("locked", "Successfully acquired change log lock"),
                     ("first changeset", "Running Changeset"), ("verification", "Running Changeset: .*verify-upgrade"),
                     ("verified", "ChangeSet .*verify-upgrade.* ran successfully")]:
        if re.search(pat, msg): marks.setdefault(key, t)
    r = re.search(r"ChangeSet carbon-upgrade/(\S+)::carbon-upgrade ran successfully in (\d+)ms", msg)
    if r: runs.append((int(r.group(2)), r.group(1)))
    marks["last line"] = t
order = ["first line", "connected", "gate passed", "locked", "first changeset", "verification", "verified", "last line"]
got = [k for k in order if k in marks]
print("[bench]   JVM and Maven start before the first log line %6.1f s" % (float(sys.argv[2]) - (marks["last line"] - marks["first line"])))
for a, b in zip(got, got[1:]):
    print("[bench]   %-16s -> %-16s %6.1f s" % (a, b, marks[b] - marks[a]))
print("[bench]   changesets, sum of their own times %.1f s; slowest: %s" % (sum(r[0] for r in runs) / 1000,
      ", ".join("%s %.1f s" % (n.split("::")[-1], ms / 1000) for ms, n in sorted(runs, reverse=True)[:3])))
PY
  # Changeset by changeset, the tool's own time against the time of the same changeset's statements in the plain script
  # (psql's \timing / mariadb -vvv, summed per changeset): where the tool is slower than the same SQL run as a script.
  [ "$tool_only" = 1 ] || python3 - "$out/$engine-tool-$round.log" "$out/$engine-plain-changesets.txt" "$out/$engine-plain-times.txt" "$engine" <<'PY' || echo "[bench]   per changeset: not compared (see the error above)"
import re, sys
tool = {}
for line in open(sys.argv[1], errors="replace"):
    r = re.search(r"ChangeSet carbon-upgrade/(\S+)::carbon-upgrade ran successfully in (\d+)ms", line)
    if r: tool[r.group(1)] = tool.get(r.group(1), 0) + int(r.group(2)) / 1000
owners = [l.strip() for l in open(sys.argv[2]) if l.strip()]
text = open(sys.argv[3], errors="replace").read()
if sys.argv[4] == "postgresql":
    times = [float(t) / 1000 for t in re.findall(r"^Time: ([\d.]+) ms", text, re.M)]
else:
    times = [float(m or 0) * 60 + float(sec) for m, sec in re.findall(r"^(?:Query OK|Empty set|\d+ rows? in set).*\((?:(\d+) min )?([\d.]+) sec\)", text, re.M)]
if len(times) != len(owners):
    print("[bench]   per changeset: %d statement times for %d statements in the plain script, not compared" % (len(times), len(owners)))
    sys.exit(0)
script = {}
for o, t in zip(owners, times):
    o = re.sub(r"^carbon-upgrade/|::carbon-upgrade$", "", o)
    script[o] = script.get(o, 0) + t
rows = [(tool.get(k, 0) - script.get(k, 0), k) for k in set(tool) | set(script)]
print("[bench]   per changeset: tool's own times %.1f s, the same changesets' statements in the plain script %.1f s;"
      " tool slower by: %s" % (sum(tool.values()), sum(script.values()),
      ", ".join("%s %+.1f s (%.1f / %.1f)" % (k.split("::")[-1], d, tool.get(k, 0), script.get(k, 0)) for d, k in sorted(rows, reverse=True)[:8] if d > 0.05)))
faster = [(d, k) for d, k in sorted(rows)[:4] if d < -0.05]
if faster: print("[bench]   per changeset, tool faster by: " + ", ".join("%s %+.1f s" % (k.split("::")[-1], d) for d, k in faster))
PY
  # What the access-equivalence check cost in this round (issue 10's goal: at most 10% of the upgrade).
  python3 - "$out/$engine-tool-$round.log" target/carbon-upgrade/verification-report.json "$tool" <<'PY'
import json, re, sys
snap = store = 0.0
parts = ""
for line in open(sys.argv[1], errors="replace"):
    m = re.search(r"Recorded effective 4.0.x access .*: (\d+) entries, taken in (\d+) ms(?: \(([^)]*)\))?, stored in (\d+) ms", line)
    if m: snap, store, parts = int(m.group(2)) / 1000, int(m.group(4)) / 1000, m.group(3) or ""
report = json.load(open(sys.argv[2]))
verify = sum(c["millis"] for c in report["checkpoints"]) / 1000
access = [c for c in report["checkpoints"] if c["name"].startswith("Access")]
# A checkpoint's millis is the verifier's time for it: beside the other checkpoints (ReadBeside) only its wait; its
# whole time is then in the detail "taken on a second connection beside the other checkpoints: N ms in all".
check = sum(c["millis"] for c in access) / 1000
check_whole = check
for c in access:
    for d in c.get("details", []):
        b = re.search(r"beside the other checkpoints: (\d+) ms in all", d)
        if b: check_whole += int(b.group(1)) / 1000 - c["millis"] / 1000
total = float(sys.argv[3])
print("[bench]   access check: snapshot %.1f s, stored %.1f s, checkpoint %.1f s = %.1f s, %.1f%% of the upgrade"
      " (whole verification %.1f s)" % (snap, store, check_whole, snap + store + check_whole, 100 * (snap + store + check_whole) / total, verify))
# Taken on a second connection beside the gate's other reads (gate/SnapshotBeside) and beside the verifier's other
# checkpoints: the upgrade waited only for what did not overlap; the sum above counts the whole snapshot and
# checkpoint, an upper bound, this one only the waits, a lower bound.
w = re.search(r"the gate waited (\d+) ms", parts)
if w or check_whole != check:
    waited = int(w.group(1)) / 1000 if w else snap
    print("[bench]   access check counting the waits only: %.1f s + %.1f s + %.1f s = %.1f s, %.1f%% of the upgrade"
          % (waited, store, check, waited + store + check, 100 * (waited + store + check) / total))
if parts: print("[bench]     snapshot parts: " + parts)
for c in access:
    for d in c.get("details", []):
        if d.startswith("time:") or "beside the other checkpoints" in d: print("[bench]     checkpoint " + d)
PY
  if [ -n "$without" ]; then
    read -r gate_with verify_with <<<"$(gate_and_verification "$out/$engine-tool-$round.log")"
    read -r gate_without verify_without <<<"$(gate_and_verification "$out/$engine-without-access-check-$round.log")"
    rss_without=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/$engine-without-time.txt")
    printf '[bench]   access check, measured: carbon-upgrade %.1f s with it, %.1f s without (%s first): added %.1f s, %.1f%% of the upgrade with it;'\
' gate (connected -> locked) %s / %s s, verification %s / %s s, peak RSS %d / %d MiB\n' "$tool" "$tool_without" \
        "$([ $((round % 2)) = 0 ] && echo without || echo with)" "$(echo "$tool - $tool_without" | bc)" \
        "$(echo "100 * ($tool - $tool_without) / $tool" | bc -l)" "$gate_with" "$gate_without" "$verify_with" "$verify_without" \
        "$((rss / 1024))" "$((rss_without / 1024))"
    added+=("$tool $tool_without")
  fi
done
if [ -n "$without" ]; then
  printf '%s\n' "${added[@]}" | awk -v e="$engine" '{w += $1; o += $2} END {
    printf "[bench] %s, mean of %d rounds: carbon-upgrade %.1f s with the access check, %.1f s without: added %.1f s, %.1f%% of the upgrade\n",
      e, NR, w / NR, o / NR, (w - o) / NR, 100 * (w - o) / w }' | tee "$out/$engine-access-check.txt"
fi

[ "$tool_only" = 1 ] || printf '%s\n' "${results[@]}" | awk -v e="$engine" '{s += $1; t += $2} END {
  printf "[bench] %s, mean of %d rounds: plain script %.1f s, carbon-upgrade %.1f s, ratio %.2f\n", e, NR, s / NR, t / NR, t / s }' \
  | tee "$out/$engine-result.txt"
