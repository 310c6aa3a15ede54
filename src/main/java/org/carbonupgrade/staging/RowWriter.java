package org.carbonupgrade.staging;

import java.io.PrintStream;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.carbonupgrade.Engine;

/**
 * Writes production's changed rows to staging in their 4.0.0 form: the 4.0.0 columns as production holds them, the
 * columns 4.2.0 added at their default (UM_DOMAIN_ID NULL), so the upgrade's own transforms (UpgradeTransforms) then
 * treat them exactly as the in-place upgrade treats every 4.0.0 row. Either executes with bind parameters, or (review
 * mode) prints each statement with its values as escaped literals (SqlLiteral) and executes nothing.
 */
final class RowWriter implements AutoCloseable {
    static final String CLAIM_BEHAVIOR = "UM_CLAIM_BEHAVIOR";
    static final String CLAIM_BEHAVIOR_ARCHIVE = "CARBON_UPGRADE_CLAIM_BEHAVIOR";
    private final Connection production;
    private final Connection staging;
    private final Engine engine;
    private final PrintStream review;
    private final Map<String, PreparedStatement> reads = new HashMap<>();
    private final Map<String, PreparedStatement> writes = new HashMap<>();
    /** Production's rows read ahead per table, by their key's values (see {@link #prefetch}). */
    private final Map<String, Map<List<Object>, ProductionRow>> prefetched = new HashMap<>();
    /** Inserts queued for one JDBC batch ({@link #flush}), each with what the caller is applying, for a failure's report. */
    private final List<Queued> queued = new ArrayList<>();
    private final java.util.function.Consumer<Object> applying;

    /**
     * A statement waiting for {@link #flush}; {@code counted} gets its row count where the driver reports one;
     * {@code table} and {@code op} what it does to which table's row ({@link #deletes}: the table a delete by key removes
     * a row of, null for any other statement).
     */
    private record Queued(Sql sql, Object tag, java.util.function.IntConsumer counted, CatchUpTable table, Op op) {
        CatchUpTable deletes() {
            return op == Op.DELETE ? table : null;
        }
    }

    /** What a queued statement does to one row of its table: {@link #setBased} writes many of one kind as one statement. */
    private enum Op { INSERT, UPDATE, DELETE }

    /** Rows per set-based statement (PostgreSQL, {@link #setBased}), and the characters of values one may carry. */
    private static final int SET_ROWS = 2000;
    private static final long SET_CHARS = 16L << 20;

    /** Staging's column types per table (PostgreSQL, {@link #stagingTypes}), read once per pass. */
    private final Map<String, Map<String, String>> stagingTypes = new HashMap<>();

    /** Keys per grouped delete (MySQL/MariaDB, {@link #deleteGrouped}): within every driver's parameter limit for a few key columns. */
    private static final int DELETE_GROUP = 200;

    /** Keys per read-ahead statement: within every driver's parameter limit for two key columns. */
    private static final int PREFETCH_CHUNK = 200;
    /** Ids per MariaDB read-ahead statement by the first key column (no parameters: numbers in the text). */
    private static final int IDS_PER_READ = 2000;

    /** A statement as text pieces with one value between each two: pieces.size() == values.size() + 1 once finished. */
    private static final class Sql {
        final List<String> pieces = new ArrayList<>();
        final List<Object> values = new ArrayList<>();
        final List<Integer> types = new ArrayList<>();
        private final StringBuilder current = new StringBuilder();

        Sql text(String text) {
            current.append(text);
            return this;
        }

        Sql value(Object value, int type) {
            pieces.add(current.toString());
            current.setLength(0);
            values.add(value);
            types.add(type);
            return this;
        }

        Sql finish() {
            pieces.add(current.toString());
            return this;
        }
    }

    /**
     * @param applying told which change a statement belongs to before it runs, so the caller can name the row a
     *        constraint violation is about (a queued insert is told again when its batch is replayed after a failure)
     */
    RowWriter(Connection production, Connection staging, Engine engine, PrintStream review, java.util.function.Consumer<Object> applying) {
        this.production = production;
        this.staging = staging;
        this.engine = engine;
        this.review = review;
        this.applying = applying;
    }

    /**
     * Starts {@link #prefetch} of these tables' keys, in this order, on a thread of its own, on production's connection,
     * which nothing else uses until the writes need its rows: the caller deletes on staging meanwhile (bench/catchup.sh
     * postgresql, load 6-7: deletes, reads and writes 2.0-2.1 s against 2.3-2.6 s one after the other; docs/benchmark.md
     * "PostgreSQL writes set-based"). The same rows are read, in the pass's one snapshot of production. {@link #prefetch}
     * of a table listed here awaits this instead; {@link #close} waits for it too, so the connection is free again when
     * the writer is gone, whatever failed.
     */
    void prefetchBeside(List<Map.Entry<CatchUpTable, List<Object[]>>> tables) {
        java.util.concurrent.FutureTask<Void> task = new java.util.concurrent.FutureTask<>(() -> {
            for (Map.Entry<CatchUpTable, List<Object[]>> e : tables) prefetchNow(e.getKey(), e.getValue());
            return null;
        });
        for (Map.Entry<CatchUpTable, List<Object[]>> e : tables) readAhead.add(e.getKey().name());
        Thread thread = new Thread(task, "catch-up: production's rows ahead");
        thread.setDaemon(true);
        thread.start();
        ahead = task;
    }

    /** Tables {@link #prefetchBeside} reads, and its work while it may still run (null once awaited). */
    private final java.util.Set<String> readAhead = new java.util.HashSet<>();
    private java.util.concurrent.FutureTask<Void> ahead;

    /** Waits for {@link #prefetchBeside}, its failure thrown here. */
    private void awaitAhead() throws SQLException {
        if (ahead == null) return;
        try {
            ahead.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while production's rows were read ahead.", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) throw sql;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new SQLException("Reading production's rows ahead failed: " + e.getCause(), e.getCause());
        } finally {
            ahead = null;
        }
    }

    /**
     * Reads production's rows of these keys ahead, a few hundred keys per statement, instead of one round trip per row
     * when each is written. Only for a table with a primary key (a key of another table may hold NULLs).
     */
    void prefetch(CatchUpTable t, List<Object[]> keys) throws SQLException {
        awaitAhead();
        if (readAhead.contains(t.name())) return;
        prefetchNow(t, keys);
    }

    private void prefetchNow(CatchUpTable t, List<Object[]> keys) throws SQLException {
        if (!t.production().primaryKey() || keys.isEmpty()) return;
        Map<List<Object>, ProductionRow> rows = prefetched.computeIfAbsent(t.name(), k -> new HashMap<>());
        String oneKey = "(" + String.join(" AND ", t.keyColumns().stream().map(k -> k + " = ?").toList()) + ")";
        String select = "SELECT " + String.join(", ", t.productionColumns()) + " FROM " + t.name() + " WHERE ";
        if (engine == Engine.POSTGRESQL && t.production().rangeBuckets()
                && keys.stream().allMatch(k -> k[0] instanceof Integer || k[0] instanceof Long || k[0] instanceof Short)) {
            // By the first key column, thousands of ids per statement (ChangeScan.byFirstColumn); a row of another key
            // sharing an id is read too and simply never asked for.
            for (List<Long> chunk : ChangeScan.firstValues(keys)) {
                try (PreparedStatement ps = production.prepareStatement(select + t.keyColumns().get(0) + " = ANY(?::int8[])")) {
                    ps.setArray(1, production.createArrayOf("int8", chunk.toArray()));
                    readInto(t, ps, rows);
                }
            }
            return;
        }
        if (engine == Engine.MYSQL && t.production().rangeBuckets()
                && keys.stream().allMatch(k -> k[0] instanceof Integer || k[0] instanceof Long || k[0] instanceof Short)) {
            // MariaDB: by the first key column too, as an IN list with runs of BETWEEN (ChangeScan.idCondition), thousands
            // of ids per statement: one range read of the primary key's index where two hundred OR-ed keys per statement
            // cost a plan each (ChangeScan.byFirstColumn). The ids are numbers, formatted by idCondition.
            List<Long> ids = new ArrayList<>(new java.util.TreeSet<>(keys.stream().map(k -> ((Number) k[0]).longValue()).toList()));
            for (int from = 0; from < ids.size(); from += IDS_PER_READ) {
                try (PreparedStatement ps = production.prepareStatement(select
                        + ChangeScan.idCondition(t.keyColumns().get(0), ids.subList(from, Math.min(ids.size(), from + IDS_PER_READ))))) {
                    readInto(t, ps, rows);
                }
            }
            return;
        }
        for (int from = 0; from < keys.size(); from += PREFETCH_CHUNK) {
            List<Object[]> chunk = keys.subList(from, Math.min(keys.size(), from + PREFETCH_CHUNK));
            try (PreparedStatement ps = production.prepareStatement(select + String.join(" OR ", java.util.Collections.nCopies(chunk.size(), oneKey)))) {
                int p = 0;
                for (Object[] key : chunk) {
                    for (Object k : key) ps.setObject(++p, k);
                }
                readInto(t, ps, rows);
            }
        }
    }

    private void readInto(CatchUpTable t, PreparedStatement ps, Map<List<Object>, ProductionRow> rows) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            Columns columns = Columns.of(t, rs);
            while (rs.next()) {
                ProductionRow row = read(rs, columns);
                List<Object> key = new ArrayList<>();
                for (String k : t.keyColumns()) key.add(row.value(k));
                rows.put(keyOf(key.toArray()), row);
            }
        }
    }

    /** A key's values compared by value: integers of any width alike (the scan's and the read-ahead's drivers agree, but cheaply safe). */
    private static List<Object> keyOf(Object[] values) {
        List<Object> key = new ArrayList<>(values.length);
        for (Object v : values) key.add(v instanceof Number n && !(v instanceof java.math.BigDecimal) ? (Object) n.longValue() : v);
        return key;
    }

    /**
     * Runs the queued statements as JDBC batches, one per statement text in the order each text was first queued (a
     * caller queues one kind of statement per table between two flushes, so the order of rows is kept). If a batch
     * fails, everything since the flush began is undone to a savepoint and replayed one statement at a time, so the
     * failure names its own row (a unique key staging's own row already holds) exactly as unbatched writes would.
     */
    void flush() throws SQLException {
        if (queued.isEmpty()) return;
        List<Queued> batch = new ArrayList<>(queued);
        queued.clear();
        java.sql.Savepoint savepoint = staging.setSavepoint();
        try {
            if (deleteGrouped(batch)) {
                staging.releaseSavepoint(savepoint);
                return;
            }
            Boolean whole = engine == Engine.MYSQL ? grouped(batch) : setBased(batch);
            if (whole != null) {
                if (!whole) {
                    // An update found fewer rows than it was given: row by row, each update reports its own count.
                    staging.rollback(savepoint);
                    replay(batch);
                }
                staging.releaseSavepoint(savepoint);
                return;
            }
            jdbcBatch(batch);
        } catch (SQLException e) {
            staging.rollback(savepoint);
            replay(batch);
            // The replay went through where the batch did not: report the batch's own failure.
            throw e;
        }
        staging.releaseSavepoint(savepoint);
    }

    /** Runs queued statements as JDBC batches, one per statement text in the order each text was first queued. */
    private void jdbcBatch(List<Queued> batch) throws SQLException {
        Map<PreparedStatement, List<Queued>> groups = new java.util.LinkedHashMap<>();
        for (Queued q : batch) {
            PreparedStatement ps = bind(q.sql());
            ps.addBatch();
            groups.computeIfAbsent(ps, k -> new ArrayList<>()).add(q);
        }
        for (Map.Entry<PreparedStatement, List<Queued>> g : groups.entrySet()) {
            int[] counts = g.getKey().executeBatch();
            // Drivers that rewrite a batch report SUCCESS_NO_INFO (-2): then there is no count to check.
            for (int i = 0; i < counts.length && i < g.getValue().size(); i++) {
                if (counts[i] >= 0) g.getValue().get(i).counted().accept(counts[i]);
            }
        }
    }

    /**
     * MariaDB: a flush's runs of updates to one table as joined statements (GroupedUpdates), its other runs (a table's
     * inserts, updates GroupedUpdates does not take) as JDBC batches, in the order queued. Null when no run is for
     * GroupedUpdates (the caller runs the whole flush as JDBC batches), false when an update found fewer rows than it
     * was given (the caller undoes the flush and replays it row by row). -Dcarbon.upgrade.catchup.groupedUpdates=false
     * turns it off (every flush as JDBC batches, as before).
     */
    private Boolean grouped(List<Queued> batch) throws SQLException {
        if (!Boolean.parseBoolean(System.getProperty("carbon.upgrade.catchup.groupedUpdates", "true"))) return null;
        // MariaDB only: MySQL 8 spells a table value constructor VALUES ROW(...) and is not run here (no Docker engine),
        // so there every flush stays a JDBC batch rather than a statement that would fail and replay each time.
        if (mariaDb == null) mariaDb = staging.getMetaData().getDatabaseProductVersion().contains("MariaDB");
        if (!mariaDb) return null;
        List<List<Queued>> runs = new ArrayList<>();
        List<Boolean> fit = new ArrayList<>();
        for (int from = 0; from < batch.size(); ) {
            int to = from + 1;
            while (to < batch.size() && batch.get(to).table() == batch.get(from).table() && batch.get(to).op() == batch.get(from).op()) to++;
            List<Queued> run = batch.subList(from, to);
            runs.add(run);
            fit.add(run.get(0).op() == Op.UPDATE && run.get(0).table() != null && groupedUpdates().fits(run.get(0).table(), values(run)));
            from = to;
        }
        if (!fit.contains(true)) return null;
        for (int i = 0; i < runs.size(); i++) {
            List<Queued> run = runs.get(i);
            if (!fit.get(i)) {
                jdbcBatch(run);
                continue;
            }
            List<List<Integer>> types = run.stream().map(q -> q.sql().types).toList();
            boolean found = groupedUpdates().run(staging, run.get(0).table(), values(run), types, r -> applying.accept(run.get(r).tag()));
            // Not found: the caller undoes the whole flush and replays it, so the runs after this one need not run.
            if (!found) return false;
            run.forEach(q -> q.counted().accept(1));
        }
        return true;
    }

    private static List<List<Object>> values(List<Queued> run) {
        return run.stream().map(q -> q.sql().values).toList();
    }

    private GroupedUpdates groupedUpdates;
    /** Whether staging's server is MariaDB (GroupedUpdates' statement is MariaDB's syntax); null until asked. */
    private Boolean mariaDb;

    private GroupedUpdates groupedUpdates() throws SQLException {
        if (groupedUpdates == null) groupedUpdates = GroupedUpdates.of(staging);
        return groupedUpdates;
    }

    /** The batch one statement per row, as unbatched writes run: a failure names its own row through {@link #applying}. */
    private void replay(List<Queued> batch) throws SQLException {
        for (Queued q : batch) {
            applying.accept(q.tag());
            q.counted().accept(bind(q.sql()).executeUpdate());
        }
    }

    /**
     * PostgreSQL: a flush of one kind of write to one table runs as one statement per {@value #SET_ROWS} rows instead
     * of a statement per row, each column's values of those rows bound as one text array and cast back to staging's
     * column type: {@code INSERT INTO t (c1, ...) SELECT u.v1::type, ... FROM unnest(?::text[], ...) AS u(v1, ...)},
     * {@code UPDATE t AS w SET c = u.v1::type, ... FROM unnest(...) AS u(...) WHERE w.k = u.vK::type ...},
     * {@code DELETE FROM t AS w USING unnest(...) AS u(...) WHERE w.k = u.v1::type ...}. The server runs one plan per
     * chunk instead of binding and executing every row's statement (bench/SetWrites.java, 2,880 writes on a warm staging:
     * 51-152 ms against 87-291 ms as a JDBC batch; docs/benchmark.md "PostgreSQL writes set-based", which also shows a
     * pass on freshly copied databases gaining little: there the pages' reads dominate). The same rows result: each
     * value goes through its type's text form ({@link #text}), which PostgreSQL reads back exactly, and the cast is to
     * the column's type without its length, so an over-long value fails on assignment as the row's own statement would,
     * never truncated; updates and deletes only for a table with a primary key (no NULL key values: an equality per key
     * column finds exactly one row). Returns null when this batch is not for this path (another engine, a value or
     * column type without an exact text form): the caller runs it as a JDBC batch. Returns false when an update found fewer rows than
     * it was given (staging has no row of some key): the caller undoes the flush and replays it row by row, which
     * reports each row's count. A failing statement (SQLSTATE 23xxx: a unique key or foreign key of staging's own row)
     * throws, and the caller replays the batch row by row to name the row, as for a JDBC batch.
     */
    private Boolean setBased(List<Queued> batch) throws SQLException {
        if (engine != Engine.POSTGRESQL) return null;
        // A caller queues a table's updates, then its inserts: each run of one kind of write is a statement (or a few).
        List<SetWrite> writes = new ArrayList<>();
        for (int from = 0; from < batch.size(); ) {
            int to = from + 1;
            while (to < batch.size() && batch.get(to).table() == batch.get(from).table() && batch.get(to).op() == batch.get(from).op()) to++;
            SetWrite w = setWrite(batch.subList(from, to));
            if (w == null) return null;
            writes.add(w);
            from = to;
        }
        boolean all = true;
        for (SetWrite w : writes) all &= w.run();
        return all;
    }

    /** One kind of write to one table for a run of queued rows, as text arrays, ready to run ({@link #setBased}). */
    private final class SetWrite {
        private final CatchUpTable t;
        private final Op op;
        private final List<Queued> queued;
        private final List<String[]> rows;
        private final String sql;

        private SetWrite(CatchUpTable t, Op op, List<Queued> queued, List<String[]> rows, String sql) {
            this.t = t;
            this.op = op;
            this.queued = queued;
            this.rows = rows;
            this.sql = sql;
        }

        /** Runs it; false if an update found fewer rows than it was given. */
        boolean run() throws SQLException {
            boolean all = true;
            int columns = rows.get(0).length;
            for (int from = 0; from < rows.size(); ) {
                int to = from;
                long chars = 0;
                while (to < rows.size() && to - from < SET_ROWS && (to == from || chars < SET_CHARS)) {
                    for (String v : rows.get(to)) chars += v == null ? 0 : v.length();
                    to++;
                }
                // Told the chunk's first row; a failure is named row by row by the caller's replay.
                applying.accept(queued.get(from).tag());
                try (PreparedStatement ps = staging.prepareStatement(sql)) {
                    for (int i = 0; i < columns; i++) {
                        String[] column = new String[to - from];
                        for (int r = from; r < to; r++) column[r - from] = rows.get(r)[i];
                        ps.setArray(i + 1, staging.createArrayOf("text", column));
                    }
                    int n = ps.executeUpdate();
                    int given = to - from;
                    if (op == Op.INSERT && n != given) {
                        throw new IllegalStateException("Inserting " + given + " " + t.name() + " rows inserted " + n + " rows.");
                    }
                    if (op == Op.DELETE && n > given) {
                        throw new IllegalStateException("Deleting " + given + " " + t.name() + " rows by their primary keys deleted " + n + " rows.");
                    }
                    // Distinct primary keys (the caller's changes are one per key): as many rows updated as given means each was.
                    if (op == Op.UPDATE && n != given) all = false;
                }
                from = to;
            }
            if (all && op == Op.UPDATE) {
                for (Queued q : queued) q.counted().accept(1);
            }
            return all;
        }
    }

    /** The set-based statement of a run of one kind of write to one table, or null if this run is not for that path. */
    private SetWrite setWrite(List<Queued> run) throws SQLException {
        CatchUpTable t = run.get(0).table();
        Op op = run.get(0).op();
        if (t == null || op == null || (op != Op.INSERT && !t.production().primaryKey())) return null;
        List<String> columns = new ArrayList<>();
        if (op == Op.INSERT) columns.addAll(t.productionColumns());
        if (op == Op.UPDATE) columns.addAll(t.nonKeyProductionColumns());
        if (op != Op.INSERT) columns.addAll(t.keyColumns());
        int keyFrom = op == Op.INSERT ? columns.size() : columns.size() - t.keyColumns().size();
        Map<String, String> types = stagingTypes(t);
        for (String column : columns) {
            if (!types.containsKey(column.toUpperCase(java.util.Locale.ROOT))) return null;
        }
        List<String[]> rows = new ArrayList<>(run.size());
        for (Queued q : run) {
            if (q.sql().values.size() != columns.size()) return null;
            String[] row = new String[columns.size()];
            for (int i = 0; i < row.length; i++) {
                Object v = q.sql().values.get(i);
                row[i] = text(v);
                if (row[i] == null && v != null) return null;
                // Keys are compared by equality: a NULL key value would match no row.
                if (v == null && i >= keyFrom) return null;
            }
            rows.add(row);
        }
        StringBuilder arrays = new StringBuilder();
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            arrays.append(i == 0 ? "" : ", ").append("?::text[]");
            names.append(i == 0 ? "" : ", ").append("v").append(i + 1);
        }
        String from = "unnest(" + arrays + ") AS u(" + names + ")";
        java.util.function.IntFunction<String> value = i -> "u.v" + (i + 1) + "::" + types.get(columns.get(i).toUpperCase(java.util.Locale.ROOT));
        StringBuilder sql = new StringBuilder();
        if (op == Op.INSERT) {
            sql.append("INSERT INTO ").append(t.name()).append(" (").append(String.join(", ", columns)).append(") SELECT ");
            for (int i = 0; i < columns.size(); i++) sql.append(i == 0 ? "" : ", ").append(value.apply(i));
            sql.append(" FROM ").append(from);
        } else {
            if (op == Op.UPDATE) {
                sql.append("UPDATE ").append(t.name()).append(" AS w SET ");
                String separator = "";
                for (int i = 0; i < keyFrom; i++) {
                    sql.append(separator).append(columns.get(i)).append(" = ").append(value.apply(i));
                    separator = ", ";
                }
                for (String added : t.addedColumns()) {
                    sql.append(separator).append(added).append(" = DEFAULT");
                    separator = ", ";
                }
                sql.append(" FROM ").append(from);
            } else {
                sql.append("DELETE FROM ").append(t.name()).append(" AS w USING ").append(from);
            }
            sql.append(" WHERE ");
            for (int i = keyFrom; i < columns.size(); i++) {
                sql.append(i == keyFrom ? "" : " AND ").append("w.").append(columns.get(i)).append(" = ").append(value.apply(i));
            }
        }
        return new SetWrite(t, op, run, rows, sql.toString());
    }

    /**
     * A value in the text form PostgreSQL reads back as the same value of its column's type, or null for a value this
     * path does not know to be exact (the batch then runs row by row with bound parameters). A timestamp prints in the
     * JVM's zone, as the driver's own bound parameters do (the driver read it in that zone too).
     */
    private static String text(Object v) {
        if (v == null) return null;
        if (v instanceof String s) return s;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof java.math.BigInteger) return v.toString();
        if (v instanceof java.math.BigDecimal d) return d.toPlainString();
        if (v instanceof Boolean b) return b ? "true" : "false";
        if (v instanceof byte[] bytes) return "\\x" + java.util.HexFormat.of().formatHex(bytes);
        // Years 1-9999 only: no era in the text, and the driver's markers for 'infinity' lie far outside.
        if (v instanceof java.sql.Timestamp ts && ts.toLocalDateTime().getYear() >= 1 && ts.toLocalDateTime().getYear() <= 9999) return ts.toString();
        return null;
    }

    /**
     * Staging's columns of {@code t} (upper case) and the type each value is cast to, for the types {@link #text}
     * renders exactly: the type without its length or precision (an explicit cast to varchar(n) would cut a longer value
     * where assignment refuses it).
     */
    private Map<String, String> stagingTypes(CatchUpTable t) throws SQLException {
        Map<String, String> known = stagingTypes.get(t.name());
        if (known != null) return known;
        Map<String, String> types = new HashMap<>();
        try (PreparedStatement ps = staging.prepareStatement("SELECT a.attname, format_type(a.atttypid, NULL) FROM pg_attribute a"
                + " WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped")) {
            ps.setString(1, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2);
                    if (EXACT_TYPES.contains(type)) types.put(rs.getString(1).toUpperCase(java.util.Locale.ROOT), type);
                }
            }
        }
        stagingTypes.put(t.name(), types);
        return types;
    }

    /** Column types whose values {@link #text} renders in a form the type reads back exactly (format_type's names). */
    private static final java.util.Set<String> EXACT_TYPES = java.util.Set.of("integer", "smallint", "bigint", "numeric", "boolean", "bytea",
            "character varying", "text", "timestamp without time zone", "timestamp with time zone");

    private void queueOrRun(Sql s, Object tag, java.util.function.IntConsumer counted, CatchUpTable table, Op op) throws SQLException {
        if (tag != null && review == null) queued.add(new Queued(s, tag, counted, table, op));
        else counted.accept(run(s));
    }

    /**
     * MySQL/MariaDB: a flush of deletes by primary key from one table runs as {@value #DELETE_GROUP} keys per statement,
     * {@code DELETE FROM t WHERE (k1 = ? AND k2 = ?) OR ...}, instead of a statement per row: the server parses, runs and
     * binlogs each statement on its own even in one rewritten batch (2,500 deletes by key on a 400,000-row table: 4.9 s
     * one by one, 1.3 s 200 keys at a time, loaded; docs/benchmark.md "MariaDB pass after the compare"). The same rows
     * go: the keys are the primary key's values, none NULL. Returns false (nothing run) for anything else. A failing
     * statement (a foreign key of staging's own row) is replayed row by row by the caller, which names the row.
     */
    private boolean deleteGrouped(List<Queued> batch) throws SQLException {
        if (engine != Engine.MYSQL) return false;
        CatchUpTable t = batch.get(0).deletes();
        if (t == null || !t.production().primaryKey()) return false;
        for (Queued q : batch) {
            if (q.deletes() != t || q.sql().values.contains(null) || q.sql().values.size() != t.keyColumns().size()) return false;
        }
        String oneKey = "(" + String.join(" AND ", t.keyColumns().stream().map(k -> k + " = ?").toList()) + ")";
        for (int from = 0; from < batch.size(); from += DELETE_GROUP) {
            List<Queued> group = batch.subList(from, Math.min(batch.size(), from + DELETE_GROUP));
            applying.accept(group.get(0).tag());
            try (PreparedStatement ps = staging.prepareStatement("DELETE FROM " + t.name() + " WHERE "
                    + String.join(" OR ", java.util.Collections.nCopies(group.size(), oneKey)))) {
                int p = 0;
                for (Queued q : group) {
                    for (Object v : q.sql().values) ps.setObject(++p, v);
                }
                int n = ps.executeUpdate();
                if (n > group.size()) {
                    throw new IllegalStateException("Deleting " + group.size() + " " + t.name() + " rows by their primary keys deleted " + n + " rows.");
                }
            }
        }
        return true;
    }

    void delete(CatchUpTable t, Object[] key) throws SQLException {
        delete(t, key, null);
    }

    /** With a {@code tag} (what the caller applies), the delete is queued for the next {@link #flush}. */
    void delete(CatchUpTable t, Object[] key, Object tag) throws SQLException {
        Sql s = new Sql().text("DELETE FROM " + t.name() + " WHERE ");
        whereKey(s, t, key, null);
        queueOrRun(s.finish(), tag, n -> {
            if (n > 1 && t.production().primaryKey()) {
                throw new IllegalStateException("Deleting one " + t.name() + " row by its primary key deleted " + n + " rows.");
            }
        }, t, Op.DELETE);
    }

    /**
     * Queued for the next {@link #flush} (run now in review mode); {@code counted} gets the rows updated where the
     * driver reports it: 0 means staging has no row of this key (the caller reports it as a conflict).
     */
    void update(CatchUpTable t, Object[] key, Object tag, java.util.function.IntConsumer counted) throws SQLException {
        ProductionRow row = productionRow(t, key);
        Sql s = new Sql().text("UPDATE " + t.name() + " SET ");
        String separator = "";
        for (String column : t.nonKeyProductionColumns()) {
            s.text(separator + column + " = ").value(row.value(column), row.type(column));
            separator = ", ";
        }
        for (String added : t.addedColumns()) {
            s.text(separator + added + " = DEFAULT");
            separator = ", ";
        }
        s.text(" WHERE ");
        whereKey(s, t, key, row);
        queueOrRun(s.finish(), tag, counted, t, Op.UPDATE);
    }

    void insert(CatchUpTable t, Object[] key) throws SQLException {
        insert(t, key, null);
    }

    /** With a {@code tag} (what the caller applies), the insert is queued for the next {@link #flush} instead of run now. */
    void insert(CatchUpTable t, Object[] key, Object tag) throws SQLException {
        ProductionRow row = productionRow(t, key);
        Sql s = new Sql().text("INSERT INTO " + t.name() + " (");
        List<String> columns = t.productionColumns();
        for (int i = 0; i < columns.size(); i++) s.text((i == 0 ? "" : ", ") + columns.get(i));
        s.text(") VALUES (");
        for (int i = 0; i < columns.size(); i++) s.text(i == 0 ? "" : ", ").value(row.value(columns.get(i)), row.type(columns.get(i)));
        s.text(")").finish();
        queueOrRun(s, tag, n -> { }, t, Op.INSERT);
    }

    /**
     * UM_CLAIM_BEHAVIOR: the upgrade moves every 4.0.x row into CARBON_UPGRADE_CLAIM_BEHAVIOR with the names of the
     * profile, claim and dialect it pointed at, and leaves the table empty (or drops it: H2, MySQL); see
     * changelogs/carbon/um-claim.xml, um-claim-behavior-archive-rows. A production row inserted or updated since the
     * copy replaces its archive row, resolved through the same joins against staging (whose claims and profiles this
     * pass has already caught up: they are parents); a deleted one leaves the archive.
     */
    void archiveClaimBehavior(CatchUpTable t, Object[] key, boolean deleted) throws SQLException {
        Sql delete = new Sql().text("DELETE FROM " + CLAIM_BEHAVIOR_ARCHIVE + " WHERE UM_ID = ").value(key[0], java.sql.Types.INTEGER)
                .text(" AND UM_TENANT_ID = ").value(key[1], java.sql.Types.INTEGER).finish();
        run(delete);
        if (deleted) return;
        ProductionRow row = productionRow(t, key);
        int integer = java.sql.Types.INTEGER;
        Object profile = row.value("UM_PROFILE_ID");
        Object claim = row.value("UM_CLAIM_ID");
        Object tenant = row.value("UM_TENANT_ID");
        Sql insert = new Sql().text("INSERT INTO " + CLAIM_BEHAVIOR_ARCHIVE + " (UM_ID, UM_PROFILE_ID, UM_CLAIM_ID, UM_BEHAVIOUR, UM_TENANT_ID,"
                + " UM_PROFILE_NAME, UM_CLAIM_URI, UM_DIALECT_URI, ARCHIVED_AT) VALUES (")
                .value(row.value("UM_ID"), integer).text(", ").value(profile, integer).text(", ").value(claim, integer).text(", ")
                .value(row.value("UM_BEHAVIOUR"), row.type("UM_BEHAVIOUR")).text(", ").value(tenant, integer)
                .text(", (SELECT p.UM_PROFILE_NAME FROM UM_PROFILE_CONFIG p WHERE p.UM_ID = ").value(profile, integer)
                .text(" AND p.UM_TENANT_ID = ").value(tenant, integer)
                .text("), (SELECT c.UM_CLAIM_URI FROM UM_CLAIM c WHERE c.UM_ID = ").value(claim, integer)
                .text(" AND c.UM_TENANT_ID = ").value(tenant, integer)
                .text("), (SELECT d.UM_DIALECT_URI FROM UM_CLAIM c JOIN UM_DIALECT d ON d.UM_ID = c.UM_DIALECT_ID AND d.UM_TENANT_ID = c.UM_TENANT_ID"
                        + " WHERE c.UM_ID = ").value(claim, integer).text(" AND c.UM_TENANT_ID = ").value(tenant, integer)
                .text("), CURRENT_TIMESTAMP)").finish();
        run(insert);
    }

    private void whereKey(Sql s, CatchUpTable t, Object[] key, ProductionRow row) {
        for (int i = 0; i < key.length; i++) {
            String column = t.keyColumns().get(i);
            s.text((i == 0 ? "" : " AND ") + column);
            // A table without a primary key is keyed on all its columns, which may be NULL.
            if (key[i] == null) s.text(" IS NULL");
            else s.text(" = ").value(key[i], row == null ? java.sql.Types.OTHER : row.type(column));
        }
    }

    private int run(Sql s) throws SQLException {
        if (review != null) {
            StringBuilder sql = new StringBuilder();
            for (int i = 0; i < s.pieces.size(); i++) {
                sql.append(s.pieces.get(i));
                if (i < s.values.size()) sql.append(SqlLiteral.of(engine, s.values.get(i)));
            }
            review.println(sql + ";");
            return 1;
        }
        return bind(s).executeUpdate();
    }

    private PreparedStatement bind(Sql s) throws SQLException {
        String sql = String.join("?", s.pieces);
        PreparedStatement ps = writes.get(sql);
        if (ps == null) {
            ps = staging.prepareStatement(sql);
            writes.put(sql, ps);
        }
        for (int i = 0; i < s.values.size(); i++) {
            Object v = s.values.get(i);
            if (v == null) ps.setNull(i + 1, s.types.get(i));
            else ps.setObject(i + 1, v);
        }
        return ps;
    }

    /**
     * One production row by key, its LOBs read into memory (Carbon's LOBs are realm configurations and registry content):
     * its values in the order of the table's production columns, whose positions and JDBC types the rows of one read
     * share. Two HashMaps a row (values, and the same types again) made the 8,000 rows read ahead by the bench's final
     * pass 160,000 map entries, live through the apply beside production's access snapshot, where the pass's serial
     * collector promoted them to the old generation on its way to a full collection (jmap -histo:live, docs/benchmark.md).
     */
    private record ProductionRow(Object[] values, Columns columns) {
        Object value(String column) {
            Integer i = columns.index().get(column);
            return i == null ? null : values[i];
        }

        int type(String column) {
            Integer i = columns.index().get(column);
            return i == null ? java.sql.Types.OTHER : columns.types()[i];
        }
    }

    /** A read's columns: position by name (the table's production columns) and JDBC type by position. */
    private record Columns(Map<String, Integer> index, int[] types) {
        static Columns of(CatchUpTable t, ResultSet rs) throws SQLException {
            ResultSetMetaData md = rs.getMetaData();
            Map<String, Integer> index = new HashMap<>();
            int[] types = new int[md.getColumnCount()];
            for (int i = 0; i < types.length; i++) {
                index.put(t.productionColumns().get(i), i);
                types[i] = md.getColumnType(i + 1);
            }
            return new Columns(index, types);
        }
    }

    private ProductionRow productionRow(CatchUpTable t, Object[] key) throws SQLException {
        awaitAhead(); // production's connection is the thread's until it is done
        Map<List<Object>, ProductionRow> ahead = prefetched.get(t.name());
        ProductionRow known = ahead == null ? null : ahead.get(keyOf(key));
        if (known != null) return known;
        StringBuilder nulls = new StringBuilder(t.name());
        for (Object k : key) nulls.append(k == null ? 'N' : 'V');
        PreparedStatement ps = reads.get(nulls.toString());
        if (ps == null) {
            StringBuilder sql = new StringBuilder("SELECT ");
            for (int i = 0; i < t.productionColumns().size(); i++) sql.append(i == 0 ? "" : ", ").append(t.productionColumns().get(i));
            sql.append(" FROM ").append(t.name()).append(" WHERE ");
            for (int i = 0; i < key.length; i++) {
                sql.append(i == 0 ? "" : " AND ").append(t.keyColumns().get(i)).append(key[i] == null ? " IS NULL" : " = ?");
            }
            ps = production.prepareStatement(sql.toString());
            reads.put(nulls.toString(), ps);
        }
        int p = 0;
        for (Object k : key) {
            if (k != null) ps.setObject(++p, k);
        }
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("Production's row of " + t.name() + " vanished inside a repeatable-read transaction.");
            }
            return read(rs, Columns.of(t, rs));
        }
    }

    /** The current row of {@code rs}, whose columns are the table's production columns in order ({@code columns}: of rs). */
    private static ProductionRow read(ResultSet rs, Columns columns) throws SQLException {
        Object[] values = new Object[columns.types().length];
        for (int i = 0; i < values.length; i++) {
            Object v = rs.getObject(i + 1);
            if (v instanceof Blob b) v = b.getBytes(1, (int) b.length());
            else if (v instanceof Clob c) v = c.getSubString(1, (int) c.length());
            values[i] = v;
        }
        return new ProductionRow(values, columns);
    }

    @Override
    public void close() throws SQLException {
        if (ahead != null) {
            try {
                ahead.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                // The pass failed already (else the writes would have awaited this and thrown its failure).
            }
        }
        for (PreparedStatement ps : reads.values()) ps.close();
        for (PreparedStatement ps : writes.values()) ps.close();
    }
}
