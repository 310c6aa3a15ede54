#!/usr/bin/env bash
# Times the stage's base recording (both sides) with two builds on the same copy of a seed (issue 14):
#   bash bench/stage-base/run.sh <postgresql|mysql> <database> <classes-dir>...
# e.g. old = git archive <commit> | tar -x -C target/old && (cd target/old && mvn -q compile), then
#   bash bench/stage-base/run.sh mysql sf_base target/old/target/classes target/classes
# <database>: a copy of a seed (never a seed: the stage's own tables are dropped and re-created in it).
set -euo pipefail
cd "$(dirname "$0")/../.."
engine=$1; db=$2; shift 2
[ -f target/bench/cp.txt ] || { mkdir -p target/bench; mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench/cp.txt; }
if [ "$engine" = postgresql ]; then url=jdbc:postgresql://127.0.0.1:5432/$db; user=postgres; else url=jdbc:mysql://127.0.0.1:3306/$db; user=root; fi
for classes in "$@"; do
  echo "[stage-base] $(date -u +%H:%M:%S) $engine $db $classes ($(uptime | sed 's/.*load average: /load /'))"
  java -cp "$classes:$(cat target/bench/cp.txt)" bench/stage-base/StageBaseBench.java "$url" "$user"
  echo "[stage-base] $(date -u +%H:%M:%S) done ($(uptime | sed 's/.*load average: /load /'))"
done
