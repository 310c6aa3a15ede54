#!/usr/bin/env bash
# usage: mychunks.sh statement.sql [rows] > chunked.sql - the statement (one line, no ';') once per 50,000-key range of
# UM_ID, as ChunkedBackfill runs it (MariaDB: each statement commits on its own in autocommit).
set -euo pipefail
stmt=$(tr -d ';\n' < "$1"); rows=${2:-609209}
for ((lo = 1; lo <= rows; lo += 50000)); do echo "$stmt AND UM_ID >= $lo AND UM_ID < $((lo + 50000));"; done
