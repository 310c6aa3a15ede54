#!/usr/bin/env bash
# Benchmark (not a test): carbon-upgrade's update against the same DDL and data changes run as a plain SQL
# script through psql / mariadb, on a generated Carbon 4.0.0 database. Usage:
#   bash bench/run.sh [postgresql|mysql] [tenants] [users-per-tenant]
# Defaults: 10000 tenants x 100 users = 1,000,100 users and 2,000,204 hybrid user-role rows.
# Prints the wall times, their ratio and the peak memory (max RSS) of the upgrade run.
set -euo pipefail
cd "$(dirname "$0")/.."
engine=${1:-postgresql}; tenants=${2:-10000}; users=${3:-100}
a=cu_bench_tool_$engine; b=cu_bench_script_$engine
# Run in a private copy of the project, so work on the checkout cannot disturb a long run.
copy=target/bench/project-$engine
rm -rf "$copy" && mkdir -p "$copy" && cp -r pom.xml changelogs profiles src "$copy/"
cd "$copy"
out=$PWD/results; mkdir -p "$out"
mvn -B -q test-compile
cp=$(mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test):target/classes:target/test-classes

echo "[bench] seeding $engine: $tenants tenants x $users users"
java -cp "$cp" org.carbonupgrade.bench.SeedBenchmarkDatabase "$engine" "bench_tool_$engine" "$tenants" "$users"
if [ "$engine" = postgresql ]; then
  url="jdbc:postgresql://127.0.0.1:5432/$a"; user=postgres
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $b" -c "CREATE DATABASE $b TEMPLATE $a"
else
  url="jdbc:mysql://127.0.0.1:3306/$a"; user=root
  mariadb -uroot -e "DROP DATABASE IF EXISTS $b; CREATE DATABASE $b CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
  mariadb-dump -uroot --single-transaction "$a" | mariadb -uroot "$b"
fi

# The plain script: exactly the SQL the tool would run on this database, without its own bookkeeping
# (DATABASECHANGELOG, lock, audit rows) - what a DBA would otherwise hand-run.
mvn -B -q compile liquibase:updateSQL -P"$engine" -Dliquibase.url="$url" -Dliquibase.username="$user" \
    -Dliquibase.migrationSqlOutputFile="$out/$engine-review.sql" >/dev/null
python3 - "$out/$engine-review.sql" "$out/$engine-plain.sql" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
stmts = [s.strip() for s in re.split(r";\s*\n", text)]
keep = []
for s in stmts:
    body = "\n".join(l for l in s.splitlines() if not l.startswith("--")).strip()
    if not body or re.search(r"DATABASECHANGELOG|CARBON_UPGRADE_", body, re.I):
        continue
    keep.append(body + ";")
open(sys.argv[2], "w").write("\n".join(keep) + "\n")
print("[bench] plain script: %d statements" % len(keep))
PY

echo "[bench] plain script on $b"
start=$(date +%s.%N)
if [ "$engine" = postgresql ]; then
  psql -h 127.0.0.1 -U postgres -d "$b" -v ON_ERROR_STOP=1 -q -1 -f "$out/$engine-plain.sql" >/dev/null
else
  mariadb -uroot "$b" < "$out/$engine-plain.sql"
fi
script=$(echo "$(date +%s.%N) - $start" | bc)

echo "[bench] carbon-upgrade (mvn liquibase:update, gate and verification included) on $a"
start=$(date +%s.%N)
/usr/bin/time -v -o "$out/$engine-time.txt" mvn -B -q liquibase:update -P"$engine" -Dliquibase.url="$url" \
    -Dliquibase.username="$user" -Dcarbon.upgrade.backup=bench-throwaway >"$out/$engine-tool.log" 2>&1
tool=$(echo "$(date +%s.%N) - $start" | bc)
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/$engine-time.txt")

printf '[bench] %s: plain script %.1f s, carbon-upgrade %.1f s, ratio %.2f, peak RSS %d MiB\n' \
    "$engine" "$script" "$tool" "$(echo "$tool / $script" | bc -l)" "$((rss / 1024))" | tee "$out/$engine-result.txt"
