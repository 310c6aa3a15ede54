# Shell functions shared by bench/run.sh and bench/catchup.sh (sourced, not run).

# MariaDB: database $1 as a copy of database $2 (schema by mariadb-dump, rows by INSERT ... SELECT per table), without
# the seed's BENCH_SEEDED marker table, its statistics analyzed. $1 must not exist yet.
# The copy's statements are kept out of the binary log (sql_log_bin = 0, this session only): a 3.4 GB copy wrote ~1.5 GB
# of row events, and a copy made after a pass recorded its position (bench/catchup.sh mysql: the in-place copy) put
# them in the next pass's log range, where a real production server's log holds production's writes only. A copy is a
# bench's own database, never production's changes: no pass needs to read it from the log.
mysql_copy_database() {
  local target=$1 from=$2
  mariadb -uroot -N -e "SET sql_log_bin = 0; CREATE DATABASE $target CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
  { echo "SET sql_log_bin = 0;"; mariadb-dump -uroot --no-data "$from"; } | mariadb -uroot -N "$target"
  mariadb -uroot -N "$target" -e "SET sql_log_bin = 0; DROP TABLE IF EXISTS BENCH_SEEDED"
  for t in $(mariadb -uroot -N -e "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$from' AND TABLE_NAME <> 'BENCH_SEEDED'"); do
    mariadb -uroot -N "$target" -e "SET sql_log_bin = 0; SET FOREIGN_KEY_CHECKS = 0; SET UNIQUE_CHECKS = 0; INSERT INTO $t SELECT * FROM $from.$t"
  done
  mariadb -uroot -N "$target" -e "SET sql_log_bin = 0; ANALYZE TABLE $(mariadb -uroot -N -e "SELECT GROUP_CONCAT(TABLE_NAME) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$target'")" >/dev/null
}
