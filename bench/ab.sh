#!/usr/bin/env bash
# Benchmark (not a test): the upgrade tool of this checkout (A) against the tool as it was at an earlier commit (B), in
# one window, alternating A and B, each on its own fresh copy of the seed, with the phase breakdown of bench/run.sh
# (BENCH_TOOL_ONLY=1: no plain script, no floor; the plain script is the same for both when no changeset changed).
# Usage: bash bench/ab.sh <postgresql|mysql> <commit> [pairs] (from the project directory). B runs this checkout's
# bench/ on the commit's pom.xml, .mvn, changelogs, profiles and src (target/ab-base). Database names: ab_a_*, ab_b_*
# (BENCH_DB_PREFIX adds a prefix before them). The seed must exist (bench/run.sh makes it; this script never does).
set -euo pipefail
cd "$(dirname "$0")/.."
engine=${1:?engine}; commit=${2:?commit}; pairs=${3:-2}
seed=cu_bench_seed_${engine}_10000x100
if [ "$engine" = postgresql ]; then
  [ "$(psql -h 127.0.0.1 -U postgres -qAt -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$seed'")" = 1 ]
else
  [ -n "$(mariadb -uroot -N -e "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$seed' AND TABLE_NAME = 'BENCH_SEEDED'")" ]
fi || { echo "[ab] no $seed: run bench/run.sh $engine first" >&2; exit 1; }
base=target/ab-base
rm -rf "$base" && mkdir -p "$base"
git archive "$commit" pom.xml .mvn changelogs profiles src | tar -x -C "$base"
cp -r bench "$base/"
for pair in $(seq "$pairs"); do
  # A first in odd pairs, B first in even ones, so neither always runs on the cache state the other left.
  order=$([ $((pair % 2)) = 1 ] && echo "a b" || echo "b a")
  for side in $order; do
    dir=$([ "$side" = a ] && echo . || echo "$base")
    echo "[ab] pair $pair: $side ($([ "$side" = a ] && echo "this checkout" || echo "$commit")), $(date -u +%T) UTC, load $(cut -d' ' -f1-3 /proc/loadavg)"
    (cd "$dir" && BENCH_TOOL_ONLY=1 BENCH_DB_PREFIX="${BENCH_DB_PREFIX:-}ab_${side}_" bash bench/run.sh "$engine" 10000 100 1 | grep '^\[bench\]')
  done
done
echo "[ab] end $(date -u +%T) UTC, load $(cut -d' ' -f1-3 /proc/loadavg)"
