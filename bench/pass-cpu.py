#!/usr/bin/env python3
"""CPU per process and thread of one timed catch-up pass (PostgreSQL), for bench/catchup.sh. Not a test.

Usage, beside a bench run (start it first; it waits for the timed pass):
    python3 bench/pass-cpu.py <report-file> [<bench output dir>] [<database name prefix>] &
    BENCH_DB_PREFIX=<prefix> ... bash bench/catchup.sh postgresql; wait
Defaults: target/bench/catchup-postgresql, the prefix cu_bench_cu_.

Why: on two cores the final pass is CPU-bound from its first query to its verifier's end, so what it costs is its total
CPU, not any one step's wall time (a step's wall time includes its wait for a core). The report gives the CPU seconds of
the pass's JVM threads (by thread name: Maven's main thread, the pass's, C1 compiler threads, the garbage collector's
"VM Thread", the readers beside) and of each PostgreSQL backend of the bench's databases, with the statements
pg_stat_activity showed it running (counted per 50 ms sample), from the appearance of the timed pass's log
(<dir>/catchup.log) to that of the next pass's (<dir>/catchup-again.log). The bench deletes neither first: this script does.
Sampling costs a few per cent of one core; compare runs sampled alike.
"""
import os
import subprocess
import sys
import time

out = sys.argv[1]
directory = sys.argv[2] if len(sys.argv) > 2 else "target/bench/catchup-postgresql"
prefix = sys.argv[3] if len(sys.argv) > 3 else "cu_bench_cu_"
if not prefix.replace("_", "").isalnum():
    sys.exit("the database name prefix may hold letters, digits and _ only: " + prefix)
for name in ("catchup.log", "catchup-again.log"):
    try:
        os.remove(os.path.join(directory, name))
    except FileNotFoundError:
        pass
hz = os.sysconf("SC_CLK_TCK")
while not os.path.exists(os.path.join(directory, "catchup.log")):
    time.sleep(0.02)
started = time.time()
psql = subprocess.Popen(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qAtX", "-F", "\t"],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
ACTIVITY = ("SELECT pid, CASE WHEN state = 'active' THEN datname || ': ' || replace(replace(left(query, 90), chr(10), ' '),"
            " chr(9), ' ') ELSE '' END FROM pg_stat_activity WHERE left(datname, %d) = '%s' AND pid <> pg_backend_pid();\n"
            "SELECT 'END';\n" % (len(prefix), prefix))


def cpu(path):
    text = open(path).read()
    fields = text[text.rindex(")") + 2:].split()
    return text[text.index("(") + 1:text.rindex(")")], (int(fields[11]) + int(fields[12])) / hz


first, last, names, statements = {}, {}, {}, {}
while not os.path.exists(os.path.join(directory, "catchup-again.log")):
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            name, seconds = cpu(f"/proc/{pid}/stat")
            if name == "postgres":
                first.setdefault(pid, seconds)
                last[pid] = seconds
            elif name == "java" and "catch-up" in open(f"/proc/{pid}/cmdline").read():
                for tid in os.listdir(f"/proc/{pid}/task"):
                    thread, seconds = cpu(f"/proc/{pid}/task/{tid}/stat")
                    key = pid + "/" + tid
                    first.setdefault(key, seconds)
                    last[key] = seconds
                    names[key] = thread
        except (OSError, ValueError):
            continue  # a process or thread that ended between the listing and the read
    psql.stdin.write(ACTIVITY)
    while True:
        line = psql.stdout.readline().rstrip("\n")
        if line == "END" or not line and psql.poll() is not None:
            break
        if "\t" in line:
            pid, statement = line.split("\t", 1)
            seen = statements.setdefault(pid, {})
            if statement:
                seen[statement] = seen.get(statement, 0) + 1
    time.sleep(0.05)

# Java threads of the pass's JVM; PostgreSQL backends seen on the bench's databases (others are the rest of the cluster).
rows = sorted(((last[k] - first[k], k) for k in last if k in names or k in statements), reverse=True)
with open(out, "w") as report:
    java = sum(v for v, k in rows if k in names)
    backends = sum(v for v, k in rows if k not in names)
    report.write(f"window {time.time() - started:.1f} s; java total {java:.2f} core-s, postgres total {backends:.2f} core-s\n")
    for seconds, key in rows:
        if seconds < 0.02:
            continue
        if key in names:
            report.write(f"{seconds:.2f} java thread {names[key]}\n")
        else:
            seen = sorted(statements[key].items(), key=lambda kv: -kv[1])[:4]
            report.write(f"{seconds:.2f} postgres {key} " + " | ".join(f"{n}x {q}" for q, n in seen) + "\n")
