package org.carbonupgrade.staging;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.carbonupgrade.Engine;

/**
 * What one side (production against its 'P' base, or staging against its 'S' base) changed in one table since the
 * base was recorded. First per bucket of keys, computed in the database: row count and sum of the row hashes, on the
 * live table and on CARBON_UPGRADE_BASE_ROW; only buckets whose figures differ are then read key by key (key text
 * and row hash, never whole rows), so an unchanged million-row table costs one aggregate query on each side.
 */
final class ChangeScan {
    enum Kind { INSERT, UPDATE, DELETE }

    /** A row as it is now: canonical key text, hash of its columns, bucket, and the key's values for statements. */
    record Row(String key, long hash, int bucket, Object[] keyValues, int copies) {
    }

    /** A change of one key; {@code now} is null for a delete. */
    record Change(String key, Kind kind, Row now) {
    }

    /** The side's changes by key, and its rows now in the buckets that were read (to find keys taken on staging). */
    record Result(Map<String, Change> changes, Map<String, Row> rowsRead, Set<Integer> bucketsRead, Map<String, BaseRow> base) {
    }

    /** A base row as read: its hash and bucket (the summary of that bucket follows when the pass rewrites the row). */
    record BaseRow(long hash, int bucket) {
    }

    private ChangeScan() {
    }

    /**
     * @param live the database holding the table now (production, or staging)
     * @param staging the staging database with the base rows
     * @param side 'P' or 'S'
     * @param summarized whether the base's per-bucket figures are in CARBON_UPGRADE_BASE_SUMMARY (else aggregated from
     *        the base rows: only a review pass on a staging staged before the summary existed)
     */
    static Result scan(Connection live, Connection staging, Engine engine, CatchUpTable t, char side, boolean summarized, PhaseClock clock)
            throws SQLException {
        return scan(live, staging, engine, t, side, summarized, clock, new java.util.HashMap<>());
    }

    /**
     * @param counted gets the live table's row count (the sum of its per-bucket counts) for a table with a primary key:
     *        the pass's row check needs production's count in the same snapshot, and need not count again
     */
    static Result scan(Connection live, Connection staging, Engine engine, CatchUpTable t, char side, boolean summarized, PhaseClock clock,
            Map<String, Long> counted) throws SQLException {
        return scan(live, staging, engine, t, side, summarized, clock, counted, null);
    }

    /** @param figures the live table's figures, already read (on another connection in the same snapshot), or null to read them here */
    static Result scan(Connection live, Connection staging, Engine engine, CatchUpTable t, char side, boolean summarized, PhaseClock clock,
            Map<String, Long> counted, LiveFigures figures) throws SQLException {
        clock.restart();
        long[] rows = new long[1];
        Set<Integer> buckets = differingBuckets(live, staging, engine, t, side, summarized, clock, rows, figures);
        if (t.side(side).primaryKey()) counted.put(t.name(), rows[0]);
        return compare(live, staging, engine, t, side, buckets, clock);
    }

    /**
     * The side's changes in these buckets only, without comparing any figures first: staging's side of a pass, read
     * where production changed something (every key production changed lies in one of them, so a key both sides
     * changed, or a production insert whose key staging holds, is found as by a scan of the whole table).
     */
    static Result scanBuckets(Connection live, Connection staging, Engine engine, CatchUpTable t, char side, Set<Integer> buckets,
            PhaseClock clock) throws SQLException {
        clock.restart();
        return compare(live, staging, engine, t, side, new TreeSet<>(buckets), clock);
    }

    /**
     * The side's changes at these values of the first key column only (a table with id-range buckets), without comparing
     * any figures: production's side of a MariaDB pass, the ids given by the rows events of its binary log (BinlogScan).
     * Every row with one of these ids is read (by the primary key's index: ids in IN lists, runs of consecutive ids as
     * BETWEEN), and every base row whose key text begins with one (the base's primary key: {@code ROW_KEY = 'id'} for a
     * one-column key, {@code 'id|' <= ROW_KEY < 'id}'} otherwise: '}' follows '|', and an integer's text holds neither,
     * so that range is exactly the keys whose first value is the id). The rows read are those of the ids' buckets minus
     * rows of other ids, so the result is what {@link #scanBuckets} finds whenever every key outside the ids is unchanged
     * (docs/staging.md: why the binary log's ids are such a set). Null where a row read shows a key text that does not
     * begin with its id's decimal (a key column printed otherwise): the caller reads the buckets instead.
     */
    static Result scanIds(Connection live, Connection staging, Engine engine, CatchUpTable t, char side, Set<Long> ids, PhaseClock clock)
            throws SQLException {
        return scanIds(live, staging, engine, t, side, ids, clock, (Map<String, BaseRow>) null);
    }

    /**
     * @param baseAtIds the side's base rows at these ids as {@link #baseRowsAtIds} reads them, already read (MariaDB:
     *        IdBaseBeside, on another staging connection during the compare), or null to read them here
     */
    static Result scanIds(Connection live, Connection staging, Engine engine, CatchUpTable t, char side, Set<Long> ids, PhaseClock clock,
            Map<String, BaseRow> baseAtIds) throws SQLException {
        return scanIds(live, staging, engine, t, side, ids, clock, () -> baseAtIds);
    }

    /**
     * @param beside asked once the live rows are read (so a read on another connection has that long to end): the base
     *        rows at these ids read elsewhere, or null to read them here
     */
    static Result scanIds(Connection live, Connection staging, Engine engine, CatchUpTable t, char side, Set<Long> ids, PhaseClock clock,
            java.util.function.Supplier<Map<String, BaseRow>> beside) throws SQLException {
        StagedTable st = t.side(side);
        if (!st.rangeBuckets()) throw new IllegalArgumentException(t.name() + " has hash buckets: read by bucket");
        clock.restart();
        List<Long> sorted = new ArrayList<>(new TreeSet<>(ids));
        Map<String, Row> now = new LinkedHashMap<>();
        String column = st.keyColumns().get(0);
        boolean composite = st.keyColumns().size() > 1;
        for (int from = 0; from < sorted.size(); from += IDS_PER_STATEMENT) {
            String sql = t.liveRowsWhere(engine, side, idCondition(column, sorted.subList(from, Math.min(sorted.size(), from + IDS_PER_STATEMENT))));
            readRows(live, sql, t, now);
        }
        clock.lap(side + " rows at the binary log's ids");
        for (Row r : now.values()) {
            String id = Long.toString(((Number) r.keyValues()[0]).longValue());
            if (composite ? !r.key().startsWith(id + RowHashSql.SEPARATOR) : !r.key().equals(id)) return null;
        }
        Map<String, BaseRow> baseAtIds = beside.get();
        Map<String, BaseRow> base = baseAtIds != null ? baseAtIds : baseRowsAtIds(staging, t.name(), side, sorted, composite);
        clock.lap(side + " base rows at the binary log's ids" + (baseAtIds != null ? " (read beside, waited for)" : ""));
        Set<Integer> buckets = new TreeSet<>();
        // Java's long division truncates toward zero, as MySQL's DIV and RowHashSql.rangeBucket do.
        for (long id : sorted) buckets.add((int) (id / st.bucketWidth()));
        return new Result(changes(now, base), now, buckets, base);
    }

    /** Ids per statement reading rows at the binary log's ids (an IN list and BETWEENs on the primary key's first column). */
    private static final int IDS_PER_STATEMENT = 2000;
    /** Ids per statement reading base rows at them (one or two bound texts each). */
    private static final int BASE_IDS_PER_STATEMENT = 500;

    /**
     * A condition on {@code column} true exactly for these ids (sorted, distinct): runs of three or more consecutive ids as
     * {@code BETWEEN}, the rest in one {@code IN} list. The ids are numbers formatted here, the column a checked name.
     */
    static String idCondition(String column, List<Long> sorted) {
        RowHashSql.checkName(column);
        List<String> single = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) j++;
            if (j - i >= 2) {
                runs.add(column + " BETWEEN " + sorted.get(i) + " AND " + sorted.get(j));
            } else {
                for (int k = i; k <= j; k++) single.add(Long.toString(sorted.get(k)));
            }
            i = j + 1;
        }
        if (!single.isEmpty()) runs.add(0, column + " IN (" + String.join(", ", single) + ")");
        return runs.isEmpty() ? "1 = 0" : "(" + String.join(" OR ", runs) + ")";
    }

    /**
     * The side's base rows (hash, bucket) whose key's first value is one of these ids, by the base's primary key (SIDE,
     * TABLE_NAME, ROW_KEY): the key text itself for a one-column key, the range of texts beginning "id|" for a longer one.
     */
    static Map<String, BaseRow> baseRowsAtIds(Connection staging, String table, char side, List<Long> ids, boolean composite) throws SQLException {
        Map<String, BaseRow> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += BASE_IDS_PER_STATEMENT) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + BASE_IDS_PER_STATEMENT));
            // The side is a constant of this class; the table name and the key texts are bound.
            String keys = composite ? String.join(" OR ", java.util.Collections.nCopies(chunk.size(), "(ROW_KEY >= ? AND ROW_KEY < ?)"))
                    : "ROW_KEY IN (" + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")";
            try (PreparedStatement ps = staging.prepareStatement("SELECT ROW_KEY, ROW_HASH, BUCKET FROM " + BaseTables.ROWS
                    + " WHERE SIDE = '" + StageBase.side(side) + "' AND TABLE_NAME = ? AND (" + keys + ")")) {
                int p = 0;
                ps.setString(++p, table);
                for (long id : chunk) {
                    if (composite) {
                        ps.setString(++p, id + RowHashSql.SEPARATOR);
                        ps.setString(++p, id + AFTER_SEPARATOR);
                    } else {
                        ps.setString(++p, Long.toString(id));
                    }
                }
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getString(1), new BaseRow(rs.getLong(2), rs.getInt(3)));
                }
            }
        }
        return out;
    }

    /** The character right after RowHashSql.SEPARATOR ('|', 0x7C): every text beginning "id|" sorts below "id}". */
    static final String AFTER_SEPARATOR = String.valueOf((char) (RowHashSql.SEPARATOR.charAt(0) + 1));

    /**
     * Staging's side of a pass for a table with a primary key: its rows now and its 'S' base rows of exactly the keys
     * production changed, looked up by key (primary-key index, base-row primary key), not by bucket. A conflict is a
     * key production changed that staging changed too, or a production insert whose key staging holds: both are
     * decided by these keys alone. Staging's own changes of other keys are not read (they are staging's business).
     * A table without primary key (keyed on all columns, small) is read by bucket.
     */
    static Result scanKeys(Connection staging, Engine engine, CatchUpTable t, Result production, PhaseClock clock) throws SQLException {
        return scanKeys(staging, engine, t, production, clock, null, (Map<String, BaseRow>) null);
    }

    /**
     * @param ids with {@code baseAtIds}: the ids (first key values) whose 'S' base rows {@code baseAtIds} holds, every base
     *        row whose key text is one of them or begins with one and the separator ({@link #baseRowsAtIds}, read on
     *        another staging connection: IdBaseBeside); where every key production changed is such a text, its base rows
     *        are taken from there (the same rows a lookup by key reads), else they are looked up here
     */
    static Result scanKeys(Connection staging, Engine engine, CatchUpTable t, Result production, PhaseClock clock, Set<Long> ids,
            Map<String, BaseRow> baseAtIds) throws SQLException {
        return scanKeys(staging, engine, t, production, clock, ids, () -> baseAtIds);
    }

    /** @param beside as {@code baseAtIds}, asked once staging's rows are read (so a read elsewhere has that long to end) */
    static Result scanKeys(Connection staging, Engine engine, CatchUpTable t, Result production, PhaseClock clock, Set<Long> ids,
            java.util.function.Supplier<Map<String, BaseRow>> beside) throws SQLException {
        return scanKeys(staging, engine, t, production, clock, ids, () -> null, beside);
    }

    /**
     * @param rowsBeside staging's rows now at {@code ids} read elsewhere ({@link #rowsAtIds}: every row whose first key value
     *        is one of them), or null to read them here by production's keys; used where every key production changed has
     *        its first value among the ids, keeping the rows of those keys: the rows {@link #rowsAtKeys} reads
     */
    static Result scanKeys(Connection staging, Engine engine, CatchUpTable t, Result production, PhaseClock clock, Set<Long> ids,
            java.util.function.Supplier<Map<String, Row>> rowsBeside, java.util.function.Supplier<Map<String, BaseRow>> beside) throws SQLException {
        if (!t.production().primaryKey()) return scanBuckets(staging, staging, engine, t, StageBase.STAGING, production.bucketsRead(), clock);
        if (production.changes().isEmpty()) return new Result(Map.of(), Map.of(), production.bucketsRead(), Map.of());
        clock.restart();
        Map<String, Row> atIds = ids == null ? null : rowsBeside.get();
        Map<String, Row> now;
        if (atIds != null && coveredByIds(production.changes().keySet(), ids, t.keyColumns().size() > 1)) {
            now = ofKeys(atIds, production.changes().keySet());
            clock.lap("S rows of production's keys (read beside at the ids, waited for)");
        } else {
            now = rowsAtKeys(staging, engine, t, production.changes().values());
            clock.lap("S rows of production's keys");
        }
        Map<String, BaseRow> base;
        Map<String, BaseRow> baseAtIds = ids == null ? null : beside.get();
        clock.lap("S base rows at the ids beside (waited for)");
        if (baseAtIds != null && coveredByIds(production.changes().keySet(), ids, t.keyColumns().size() > 1)) {
            base = ofKeys(baseAtIds, production.changes().keySet());
            clock.lap("S base rows of production's keys (read beside at the ids, waited for)");
        } else {
            base = baseRowsAtKeys(staging, t.name(), StageBase.STAGING, production.changes().keySet());
            clock.lap("S base rows of production's keys");
        }
        return new Result(changes(now, base), now, production.bucketsRead(), base);
    }

    /** The entries of {@code read} (read beside at the ids, a superset) for {@code keys}, in their order. */
    private static <V> Map<String, V> ofKeys(Map<String, V> read, Set<String> keys) {
        Map<String, V> out = new LinkedHashMap<>();
        for (String key : keys) {
            V v = read.get(key);
            if (v != null) out.put(key, v);
        }
        return out;
    }

    /**
     * Whether every key text is one {@link #baseRowsAtIds} finds for these ids: "id" itself (one key column), or "id|"
     * followed by the rest (more), the id in its decimal form.
     */
    static boolean coveredByIds(java.util.Collection<String> keys, Set<Long> ids, boolean composite) {
        if (ids == null) return false;
        for (String key : keys) {
            int end = composite ? key.indexOf(RowHashSql.SEPARATOR) : key.length();
            if (end <= 0) return false;
            String first = key.substring(0, end);
            long id;
            try {
                id = Long.parseLong(first);
            } catch (NumberFormatException e) {
                return false;
            }
            if (!ids.contains(id) || !Long.toString(id).equals(first)) return false;
        }
        return true;
    }

    /** The side's base rows (hash, bucket) of these key texts, by the base's primary key a few hundred at a time. */
    static Map<String, BaseRow> baseRowsAtKeys(Connection staging, String table, char side, java.util.Collection<String> keys) throws SQLException {
        Map<String, BaseRow> base = new HashMap<>();
        List<String> texts = new ArrayList<>(keys);
        if (!texts.isEmpty() && Engine.of(staging) == Engine.POSTGRESQL) {
            // One array per few thousand keys: the same index lookups in a twentieth of the statements.
            try (PreparedStatement ps = staging.prepareStatement("SELECT ROW_KEY, ROW_HASH, BUCKET FROM " + BaseTables.ROWS
                    + " WHERE SIDE = '" + StageBase.side(side) + "' AND TABLE_NAME = ? AND ROW_KEY = ANY(?::text[])")) {
                for (int from = 0; from < texts.size(); from += ARRAY_CHUNK) {
                    ps.setString(1, table);
                    ps.setArray(2, staging.createArrayOf("text", texts.subList(from, Math.min(texts.size(), from + ARRAY_CHUNK)).toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) base.put(rs.getString(1), new BaseRow(rs.getLong(2), rs.getInt(3)));
                    }
                }
            }
            return base;
        }
        // MariaDB: 1,000 texts per statement (one bound parameter each, well within its limit): the same index lookups in a
        // fifth of the statements (2,400 keys: 27 ms against 46-133 ms in 200s, docs/benchmark.md, branch s25-mykeys).
        int perStatement = Engine.of(staging) == Engine.MYSQL ? 1000 : LOOKUP_CHUNK;
        for (int from = 0; from < texts.size(); from += perStatement) {
            List<String> chunk = texts.subList(from, Math.min(texts.size(), from + perStatement));
            // The side is a constant of this class; a bound CHAR(1) parameter would be compared as text on PostgreSQL.
            try (PreparedStatement ps = staging.prepareStatement("SELECT ROW_KEY, ROW_HASH, BUCKET FROM " + BaseTables.ROWS
                    + " WHERE SIDE = '" + StageBase.side(side) + "' AND TABLE_NAME = ? AND ROW_KEY IN ("
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")")) {
                ps.setString(1, table);
                for (int i = 0; i < chunk.size(); i++) ps.setString(2 + i, chunk.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) base.put(rs.getString(1), new BaseRow(rs.getLong(2), rs.getInt(3)));
                }
            }
        }
        return base;
    }

    /**
     * Staging's rows now (4.2.0 columns: key text, hash, bucket, key values) at the keys of these production changes,
     * looked up by primary key a few hundred at a time. Only for a table with a primary key.
     */
    static Map<String, Row> rowsAtKeys(Connection staging, Engine engine, CatchUpTable t, java.util.Collection<Change> changes) throws SQLException {
        int[] types = keyTypes(staging, t);
        List<Object[]> keys = new ArrayList<>();
        for (Change c : changes) keys.add(c.now() != null ? c.now().keyValues() : keyValues(c.key(), types));
        Map<String, Row> now = new LinkedHashMap<>();
        String select = rowsSelect(engine, t);
        if (byFirstColumn(engine, t, types)) {
            java.util.Set<String> wanted = new java.util.HashSet<>();
            for (Change c : changes) wanted.add(c.key());
            if (engine == Engine.MYSQL) {
                // No arrays: the ids as an IN list and runs of BETWEEN (idCondition), numbers formatted here.
                List<Long> ids = new ArrayList<>(new TreeSet<>(keys.stream().map(k -> ((Number) k[0]).longValue()).toList()));
                for (int from = 0; from < ids.size(); from += IDS_PER_STATEMENT) {
                    try (PreparedStatement ps = staging.prepareStatement(select
                            + idCondition(t.keyColumns().get(0), ids.subList(from, Math.min(ids.size(), from + IDS_PER_STATEMENT))))) {
                        read(ps, t, now, wanted);
                    }
                }
                return now;
            }
            for (List<Long> chunk : firstValues(keys)) {
                try (PreparedStatement ps = staging.prepareStatement(select + t.keyColumns().get(0) + " = ANY(?::int8[])")) {
                    ps.setArray(1, staging.createArrayOf("int8", chunk.toArray()));
                    read(ps, t, now, wanted);
                }
            }
            return now;
        }
        String oneKey = "(" + t.keyColumns().stream().map(k -> k + " = ?").collect(Collectors.joining(" AND ")) + ")";
        for (int from = 0; from < keys.size(); from += LOOKUP_CHUNK) {
            List<Object[]> chunk = keys.subList(from, Math.min(keys.size(), from + LOOKUP_CHUNK));
            try (PreparedStatement ps = staging.prepareStatement(select + String.join(" OR ", java.util.Collections.nCopies(chunk.size(), oneKey)))) {
                int p = 0;
                for (Object[] key : chunk) {
                    for (int i = 0; i < key.length; i++) ps.setObject(++p, key[i], types[i]);
                }
                read(ps, t, now, null);
            }
        }
        return now;
    }

    /** Staging's rows (key text, hash, bucket, key values) of a condition the caller appends. */
    private static String rowsSelect(Engine engine, CatchUpTable t) {
        StagedTable upgraded = t.staging();
        return "SELECT " + upgraded.keyText(engine) + " AS K, " + upgraded.rowHash(engine) + " AS H, " + upgraded.bucket(engine) + " AS B, "
                + String.join(", ", t.keyColumns()) + " FROM " + t.name() + " WHERE ";
    }

    /**
     * Staging's rows now (as {@link #rowsAtKeys} reads them) whose first key value is one of these ids (sorted, distinct),
     * every such row: the caller keeps the keys it wants. Null where the table is not read by its first column (MariaDB:
     * IdBaseBeside, which reads them by the binary log's ids before production's keys are known).
     */
    static Map<String, Row> rowsAtIds(Connection staging, Engine engine, CatchUpTable t, List<Long> ids) throws SQLException {
        if (t.staging() == null || !t.production().primaryKey() || !byFirstColumn(engine, t, keyTypes(staging, t))) return null;
        String select = rowsSelect(engine, t);
        Map<String, Row> now = new HashMap<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_STATEMENT) {
            try (PreparedStatement ps = staging.prepareStatement(select + idCondition(t.keyColumns().get(0), ids.subList(from, Math.min(ids.size(), from + IDS_PER_STATEMENT))))) {
                read(ps, t, now, null);
            }
        }
        return now;
    }

    /** Rows of a lookup by key (key text, hash, bucket, key values); with {@code wanted}, only rows of those key texts. */
    private static void read(PreparedStatement ps, CatchUpTable t, Map<String, Row> into, java.util.Set<String> wanted) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (wanted != null && !wanted.contains(rs.getString(1))) continue;
                into.put(rs.getString(1), row(rs, t.keyColumns().size()));
            }
        }
    }

    /** A row as read by key: columns key text, hash, bucket, then the {@code keyColumns} key values. */
    static Row row(ResultSet rs, int keyColumns) throws SQLException {
        Object[] values = new Object[keyColumns];
        for (int i = 0; i < keyColumns; i++) values[i] = rs.getObject(4 + i);
        return new Row(rs.getString(1), rs.getLong(2), rs.getInt(3), values, 1);
    }

    /** Keys per lookup statement: few enough for every driver's parameter limit (two key columns: 400 parameters). */
    private static final int LOOKUP_CHUNK = 200;
    /** Keys per PostgreSQL lookup statement that takes them as one array. */
    static final int ARRAY_CHUNK = 5000;

    /**
     * PostgreSQL and MySQL/MariaDB, a table with id-range buckets (its key starts with an integer id that the stage found
     * on at most 4 rows each: every Carbon table with a generated id): rows are looked up by that id alone, thousands per
     * statement (PostgreSQL {@code = ANY(array)}, MariaDB an IN list with BETWEEN runs: one range read of the primary
     * key's index, where two hundred OR-ed key conditions per statement cost a plan each), and the caller keeps the keys
     * it asked for.
     */
    static boolean byFirstColumn(Engine engine, CatchUpTable t, int[] types) {
        return (engine == Engine.POSTGRESQL || engine == Engine.MYSQL) && t.production().rangeBuckets() && types.length > 0 && isInteger(types[0]);
    }

    /** The distinct first values of these keys (integers), in chunks of {@value #ARRAY_CHUNK}. */
    static List<List<Long>> firstValues(List<Object[]> keys) {
        List<Long> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(keys.stream().map(k -> ((Number) k[0]).longValue()).toList()));
        List<List<Long>> chunks = new ArrayList<>();
        for (int from = 0; from < distinct.size(); from += ARRAY_CHUNK) chunks.add(distinct.subList(from, Math.min(distinct.size(), from + ARRAY_CHUNK)));
        return chunks;
    }

    static boolean isInteger(int type) {
        return type == java.sql.Types.INTEGER || type == java.sql.Types.SMALLINT || type == java.sql.Types.TINYINT || type == java.sql.Types.BIGINT;
    }

    /** The JDBC types of the key columns on staging, to bind a key's values read back from its key text. */
    static int[] keyTypes(Connection staging, CatchUpTable t) throws SQLException {
        try (Statement s = staging.createStatement(); ResultSet rs = s.executeQuery("SELECT " + String.join(", ", t.keyColumns()) + " FROM "
                + t.name() + " WHERE 1 = 0")) {
            ResultSetMetaData md = rs.getMetaData();
            int[] types = new int[md.getColumnCount()];
            for (int i = 0; i < types.length; i++) types[i] = md.getColumnType(i + 1);
            return types;
        }
    }

    /**
     * A primary key's values from its key text (RowHashSql.keyText: values joined by '|', '^' escaping '^' and '|'):
     * the key of a row production deleted, which only the base still names. Integer columns become longs, text
     * stays text; a primary-key column of another type refuses (no 4.0.0 table has one).
     */
    static Object[] keyValues(String keyText, int[] types) throws SQLException {
        List<String> parts = keyParts(keyText);
        if (parts.size() != types.length) throw new SQLException("Key text [" + keyText + "] has " + parts.size() + " values, not " + types.length);
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            values[i] = switch (types[i]) {
                case java.sql.Types.INTEGER, java.sql.Types.SMALLINT, java.sql.Types.TINYINT, java.sql.Types.BIGINT -> Long.valueOf(parts.get(i));
                case java.sql.Types.VARCHAR, java.sql.Types.CHAR, java.sql.Types.NVARCHAR, java.sql.Types.NCHAR, java.sql.Types.LONGVARCHAR -> parts.get(i);
                default -> throw new SQLException("Catch-up reads back keys of integer and text columns only; a key column has JDBC type " + types[i]);
            };
        }
        return values;
    }

    /** A key text's values (RowHashSql.keyText: joined by '|', '^' escaping '^' and '|'), unescaped, in the key's column order. */
    static List<String> keyParts(String keyText) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < keyText.length(); i++) {
            char ch = keyText.charAt(i);
            if (ch == RowHashSql.ESCAPE.charAt(0) && i + 1 < keyText.length()) {
                current.append(keyText.charAt(++i));
            } else if (ch == RowHashSql.SEPARATOR.charAt(0)) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(ch);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static Result compare(Connection live, Connection staging, Engine engine, CatchUpTable t, char side, Set<Integer> buckets,
            PhaseClock clock) throws SQLException {
        Map<String, Row> now = buckets.isEmpty() ? Map.of() : rows(live, engine, t, side, buckets);
        clock.lap(side + " rows of differing buckets");
        Map<String, BaseRow> base = buckets.isEmpty() ? Map.of() : baseRows(staging, t.name(), side, buckets);
        clock.lap(side + " base rows of differing buckets");
        return new Result(changes(now, base), now, buckets, base);
    }

    /** A key only live is an insert, live with another hash an update, only in the base a delete. */
    static Map<String, Change> changes(Map<String, Row> now, Map<String, BaseRow> base) {
        Map<String, Change> changes = new LinkedHashMap<>();
        for (Row r : now.values()) {
            BaseRow before = base.get(r.key());
            if (before == null) changes.put(r.key(), new Change(r.key(), Kind.INSERT, r));
            else if (before.hash() != r.hash()) changes.put(r.key(), new Change(r.key(), Kind.UPDATE, r));
        }
        for (String key : base.keySet()) {
            if (!now.containsKey(key)) changes.put(key, new Change(key, Kind.DELETE, null));
        }
        return changes;
    }

    /** Buckets whose row count or hash sum differs between the live table and the side's base rows. */
    static Set<Integer> differingBuckets(Connection live, Connection staging, Engine engine, CatchUpTable t, char side, boolean summarized,
            PhaseClock clock) throws SQLException {
        return differingBuckets(live, staging, engine, t, side, summarized, clock, new long[1], null);
    }

    /** A live table's figures per bucket ("count:hash sum") and its keys in all (rows, with a primary key). */
    record LiveFigures(Map<Integer, String> buckets, long rows) {
    }

    /** The live table's figures per bucket, computed in the database: one aggregate query hashing every row. */
    static LiveFigures liveFigures(Connection live, Engine engine, CatchUpTable t, char side) throws SQLException {
        Map<Integer, String> figures = new HashMap<>();
        long rows = 0;
        String sql = "SELECT Q.B, COUNT(*), SUM(Q.H) FROM (" + StageBase.baseRowsSelect(engine, t.side(side)) + ") Q GROUP BY Q.B";
        try (Statement s = live.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                figures.put(rs.getInt(1), rs.getLong(2) + ":" + sum(rs.getBigDecimal(3)));
                rows += rs.getLong(2);
            }
        }
        return new LiveFigures(figures, rows);
    }

    /** @param rows gets the live table's keys (rows, with a primary key) in [0]; @param figures read already, or null */
    private static Set<Integer> differingBuckets(Connection live, Connection staging, Engine engine, CatchUpTable t, char side, boolean summarized,
            PhaseClock clock, long[] rows, LiveFigures figures) throws SQLException {
        LiveFigures read = figures != null ? figures : liveFigures(live, engine, t, side);
        Map<Integer, String> liveFigures = read.buckets();
        rows[0] = read.rows();
        if (figures == null) clock.lap(side + " live figures");
        Map<Integer, String> baseFigures = new HashMap<>();
        try (PreparedStatement ps = staging.prepareStatement(summarized
                ? "SELECT BUCKET, ROW_COUNT, HASH_SUM FROM " + BaseTables.SUMMARY + " WHERE SIDE = ? AND TABLE_NAME = ?"
                : "SELECT BUCKET, COUNT(*), SUM(ROW_HASH) FROM " + BaseTables.ROWS + " WHERE SIDE = ? AND TABLE_NAME = ? GROUP BY BUCKET")) {
            ps.setString(1, String.valueOf(side));
            ps.setString(2, t.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) baseFigures.put(rs.getInt(1), rs.getLong(2) + ":" + sum(rs.getBigDecimal(3)));
            }
        }
        clock.lap(side + " base figures");
        Set<Integer> differ = new TreeSet<>();
        for (Map.Entry<Integer, String> e : liveFigures.entrySet()) {
            if (!Objects.equals(e.getValue(), baseFigures.get(e.getKey()))) differ.add(e.getKey());
        }
        for (Integer b : baseFigures.keySet()) {
            if (!liveFigures.containsKey(b)) differ.add(b);
        }
        return differ;
    }

    private static String sum(BigDecimal d) {
        return d == null ? "0" : d.stripTrailingZeros().toPlainString();
    }

    /** The live rows of these buckets: key text, hash, bucket and key values. */
    static Map<String, Row> rows(Connection c, Engine engine, CatchUpTable t, char side, Set<Integer> buckets) throws SQLException {
        Map<String, Row> out = new LinkedHashMap<>();
        // Id-range buckets are read by their ranges of the primary key, a few hundred ranges per statement.
        List<Set<Integer>> chunks = new ArrayList<>();
        if (t.side(side).rangeBuckets()) {
            List<Integer> all = new ArrayList<>(new TreeSet<>(buckets));
            for (int from = 0; from < all.size(); from += RANGES_PER_STATEMENT) {
                chunks.add(new TreeSet<>(all.subList(from, Math.min(all.size(), from + RANGES_PER_STATEMENT))));
            }
        } else {
            chunks.add(buckets);
        }
        for (Set<Integer> chunk : chunks) {
            readRows(c, "SELECT * FROM (" + t.liveRows(engine, side, chunk) + ") L" + inBuckets("L.B", chunk, t.side(side)), t, out);
        }
        return out;
    }

    /** Reads a {@link CatchUpTable#liveRows} query's rows into {@code out} by key text. */
    static void readRows(Connection c, String sql, CatchUpTable t, Map<String, Row> out) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.setFetchSize(1000);
            try (ResultSet rs = s.executeQuery(sql)) {
                int n = t.keyColumns().size();
                while (rs.next()) {
                    Object[] values = new Object[n];
                    for (int i = 0; i < n; i++) values[i] = rs.getObject(4 + i);
                    out.put(rs.getString(1), new Row(rs.getString(1), rs.getLong(2), rs.getInt(3), values, rs.getInt(4 + n)));
                }
            }
        }
    }

    /** Id-range buckets per statement reading their rows: a few hundred OR-ed ranges plan quickly on every engine. */
    private static final int RANGES_PER_STATEMENT = 500;

    /**
     * The side's base rows of these buckets, a hundred buckets per statement: a list of thousands made PostgreSQL
     * read the whole base table (15 M rows at 1M users) instead of the bucket index.
     */
    static Map<String, BaseRow> baseRows(Connection staging, String table, char side, Set<Integer> buckets) throws SQLException {
        Map<String, BaseRow> out = new HashMap<>();
        List<Integer> all = new ArrayList<>(buckets);
        for (int from = 0; from < all.size(); from += 100) {
            // The buckets are integers this class computed and the side one of its two constants, never text from outside.
            try (PreparedStatement ps = staging.prepareStatement("SELECT ROW_KEY, ROW_HASH, BUCKET FROM " + BaseTables.ROWS
                    + " WHERE SIDE = '" + StageBase.side(side) + "' AND TABLE_NAME = ? AND BUCKET IN ("
                    + all.subList(from, Math.min(all.size(), from + 100)).stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")")) {
                ps.setString(1, table);
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getString(1), new BaseRow(rs.getLong(2), rs.getInt(3)));
                }
            }
        }
        return out;
    }

    private static String inBuckets(String expression, Set<Integer> buckets, StagedTable t) {
        // Hash buckets are 0 to buckets - 1: all of them is every row. Id-range buckets have no such bound (ids grow).
        if (!t.rangeBuckets() && buckets.size() >= t.buckets()) return "";
        return " WHERE " + expression + " IN (" + buckets.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
    }
}
