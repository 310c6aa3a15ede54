package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.carbonupgrade.Engine;
import org.carbonupgrade.ReadBeside;

/**
 * PostgreSQL checks every foreign key of a deleted parent row with a query on the referencing table; where no index
 * serves that query, it reads the whole table. Carbon 4.2.0's PostgreSQL schema has such a foreign key
 * (UM_USER_ATTRIBUTE -> UM_USER: each deleted user read all 2 M attribute rows at 1M users, about 70 ms). For a pass
 * that deletes many parent rows, catch-up therefore creates an index on the key's first column and drops it again inside its
 * transaction, after the deletes, so staging's schema after the pass is 4.2.0's exactly. MySQL/MariaDB index every
 * foreign key themselves, and so does H2.
 *
 * <p>An index serves when its first columns are the foreign key's columns in any order, or when its first column is
 * the foreign key's first column (Carbon's keys are (id, tenant): UM_USER_ROLE's unique key (UM_USER_ID, UM_ROLE_ID,
 * UM_TENANT_ID) finds a user's few rows by its first column; DeleteIndexesTest asks the planner).
 *
 * <p>Given the parent keys the pass deletes (catch-up passes them), the index is partial: it holds only the rows of
 * those keys ({@link #predicate}). Its build still reads the whole table, but sorts and writes a few
 * hundred entries instead of 2 M (a 39 MB index, as much WAL, synced at its commit): at 1M users, 240 deleted users,
 * 260-280 ms of the server's CPU against 350-370 ms, idle (docs/benchmark.md, branch s29-c). PostgreSQL uses it for its
 * check because that check's plan is a custom one (see {@link #predicate}).
 *
 * <p>Where a second connection reaches staging, the index is built there ({@link #startBeside}), committed, while the
 * pass still compares: its build no longer adds to the pass. A pass killed between that commit and its own leaves the
 * index, which the next pass drops first ({@link #dropLeftovers}), as it does the transforms' lookup indexes.
 *
 * <p>The final pass is the downtime, and on two cores it is CPU-bound: even built beside, its temporary index took 0.3-0.46 s
 * of the server's CPU out of the ~4.4 core-s its backends used at 1M users (lead, session 30, pgcpu sampler). So an ordinary
 * pass builds a standing index instead, whole, for each foreign key to {@link #STANDING_PARENTS} no index serves
 * ({@link #startStanding}, named {@value #STANDING_PREFIX}, which {@link #PREFIX}'s leftovers never match), even when it
 * deletes nothing, commits it beside and keeps it: from then on it serves the key, and no pass builds a temporary one for
 * it. Only the final pass drops it, in its transaction before its commit, so staging after it has 4.2.0's schema exactly;
 * until then the verifier names it as catch-up's own ({@link #standingOnStaging}).
 */
public final class DeleteIndexes {
    /** Below this many deleted parent rows, a few table reads cost less than building an index. */
    static final int MIN_DELETES = 20;
    /** Every index this class creates is named so; a killed pass's leftovers are found by it. */
    static final String PREFIX = "CARBON_UPGRADE_TMP_FK_";
    /** Every standing index (built by an ordinary pass, dropped by the final one) is named so. */
    static final String STANDING_PREFIX = "CARBON_UPGRADE_FK_";
    /**
     * The parents whose keys get standing indexes: users are what a live Carbon deletes routinely (4.0.x
     * JDBCUserStoreManager.doDeleteUser), and UM_USER_ATTRIBUTE, 2 M rows at 1M users, is the largest table such a key
     * reads. Carbon 4.2.0's PostgreSQL schema (Identity Server) has 23 more keys no index serves, to roles, permissions,
     * domains, OAuth applications, registry rows: deleted seldom, so a standing index on each would cost every pass its
     * upkeep for nothing; a final pass deleting {@value #MIN_DELETES} or more of them still gets a temporary one.
     */
    static final List<String> STANDING_PARENTS = List.of("UM_USER");

    private DeleteIndexes() {
    }

    /**
     * At most this many parent keys get a partial index ({@link #predicate}); more get a full one. Its predicate is
     * stored in pg_index, whose rows must fit a page (no TOAST): 400 keys took 7.0-7.1 of its 8.1 kB (integer and bigint
     * ids of 10 digits; a predicate too long is refused, and the index built whole). And the build tests every row of the
     * referencing table against it: with longer lists that costs what the full index's sort saves.
     */
    static final int MAX_PARTIAL_KEYS = 400;
    /** The predicate's lists of keys: at most this many, of at least {@value #MIN_LIST} keys each. */
    private static final int MAX_LISTS = 32;
    private static final int MIN_LIST = 8;

    /** Creates the missing indexes for the foreign keys that reference {@code parent}, whole; returns their names. */
    static List<String> create(Connection staging, Engine engine, String parent, int deletes, int serial) throws SQLException {
        if (engine != Engine.POSTGRESQL || deletes < MIN_DELETES) return new ArrayList<>();
        return create(staging, missing(staging, parent), null, null, serial, false);
    }

    /**
     * As above for deleting these keys of {@code parent} (RowHashSql.keyText's form, in {@code keyColumns}' order): each
     * index holds only their rows where {@link #predicate} can name them, the whole table otherwise.
     */
    static List<String> create(Connection staging, Engine engine, String parent, List<String> keyColumns, Collection<String> keys, int serial)
            throws SQLException {
        if (engine != Engine.POSTGRESQL || keys.size() < MIN_DELETES) return new ArrayList<>();
        return create(staging, missing(staging, parent), keyColumns, keys, serial, false);
    }

    /**
     * Foreign keys (pg_constraint c) that no index of the referencing table serves (int2vector indkey is 0-based, conkey
     * 1-based). A partial index serves only the keys it was built for: it does not count.
     */
    private static final String UNSERVED = "c.contype = 'f' AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid"
            + " AND i.indpred IS NULL AND ((i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey OR i.indkey[0] = c.conkey[1]))";

    /** A foreign key no index serves: the referencing table, its first column and that column's type, the parent's column it refers to. */
    private record Unserved(String table, String column, String type, String referenced) {
    }

    /**
     * PostgreSQL: the tables (upper case) that a foreign key no index serves references, those whose referencing table is
     * largest (the planner's estimate) first: the pass compares them first, so the index their deletes need is built beside
     * while it compares the others. Empty elsewhere.
     */
    static List<String> parentsOfUnservedKeys(Connection staging, Engine engine) throws SQLException {
        List<String> parents = new ArrayList<>();
        if (engine != Engine.POSTGRESQL) return parents;
        try (Statement s = staging.createStatement(); ResultSet rs = s.executeQuery("SELECT c.confrelid::regclass::text FROM pg_constraint c"
                + " JOIN pg_class r ON r.oid = c.conrelid WHERE c.connamespace = current_schema()::regnamespace AND " + UNSERVED
                + " GROUP BY c.confrelid ORDER BY MAX(r.reltuples) DESC, 1")) {
            while (rs.next()) parents.add(rs.getString(1).toUpperCase(java.util.Locale.ROOT));
        }
        return parents;
    }

    /** The foreign keys that reference {@code parent} and no index serves. */
    private static List<Unserved> missing(Connection staging, String parent) throws SQLException {
        List<Unserved> missing = new ArrayList<>();
        try (PreparedStatement ps = staging.prepareStatement("SELECT c.conrelid::regclass::text, a.attname, format_type(a.atttypid, NULL), r.attname"
                + " FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
                + " JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = c.confkey[1]"
                + " WHERE c.confrelid = to_regclass(?) AND " + UNSERVED)) {
            ps.setString(1, RowHashSql.checkName(parent));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) missing.add(new Unserved(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
        return missing;
    }

    /** Integer column types whose values the predicate names as literals (format_type's names). */
    private static final java.util.Set<String> INTEGER_TYPES = java.util.Set.of("integer", "bigint", "smallint");

    /**
     * The partial index's predicate naming the rows whose {@code column} holds one of the values of {@code referenced} in
     * these parent keys, or null where it cannot (no keys known, a column not in the parent's key or not an integer, a
     * value that is not an integer, more than {@value #MAX_PARTIAL_KEYS} values): the index is then whole.
     *
     * <p>PostgreSQL checks a deleted parent key with a cached plan of {@code $1 = column AND $2 = ...}, custom (the key as
     * a constant) for its first five runs and then for as long as a generic one costs more, as a read of the whole table
     * does; only a custom plan can use a partial index, and only where the planner proves the predicate from
     * {@code column = constant} (predtest.c). It expands {@code column = ANY(list)} into one equality per value up to 100
     * values only, and evaluates that list one value after another for every row the build reads. So the sorted values
     * are split in halves down to lists of {@value #MIN_LIST} or more, {@code (column < m AND (lower half) OR column >= m
     * AND (upper half))}: provable through the half holding the constant, and a few comparisons per row.
     */
    static String predicate(String column, String type, String referenced, List<String> keyColumns, Collection<String> keys) {
        if (keys == null || !INTEGER_TYPES.contains(type)) return null;
        int position = -1;
        for (int i = 0; i < keyColumns.size(); i++) {
            if (keyColumns.get(i).equalsIgnoreCase(referenced)) position = i;
        }
        if (position < 0) return null;
        java.util.TreeSet<Long> values = new java.util.TreeSet<>();
        for (String key : keys) {
            List<String> parts = ChangeScan.keyParts(key);
            if (parts.size() != keyColumns.size()) return null;
            try {
                values.add(Long.parseLong(parts.get(position)));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (values.isEmpty() || values.size() > MAX_PARTIAL_KEYS) return null;
        // A foreign key's column may be narrower than the key it refers to: a value it cannot hold would fail the cast.
        long min = type.equals("smallint") ? Short.MIN_VALUE : type.equals("integer") ? Integer.MIN_VALUE : Long.MIN_VALUE;
        long max = type.equals("smallint") ? Short.MAX_VALUE : type.equals("integer") ? Integer.MAX_VALUE : Long.MAX_VALUE;
        if (values.first() < min || values.last() > max) return null;
        int list = Math.max(MIN_LIST, (values.size() + MAX_LISTS - 1) / MAX_LISTS);
        return halves(RowHashSql.checkName(column), type, new ArrayList<>(values), list);
    }

    private static String halves(String column, String type, List<Long> sorted, int list) {
        if (sorted.size() == 1) return column + " = '" + sorted.get(0) + "'::" + type;
        if (sorted.size() <= list) {
            return column + " = ANY ('{" + String.join(",", sorted.stream().map(String::valueOf).toList()) + "}'::" + type + "[])";
        }
        int m = sorted.size() / 2;
        String split = "'" + sorted.get(m) + "'::" + type;
        return "(" + column + " < " + split + " AND (" + halves(column, type, sorted.subList(0, m), list) + ") OR "
                + column + " >= " + split + " AND (" + halves(column, type, sorted.subList(m, sorted.size()), list) + "))";
    }

    /** {@code standing}: whole indexes named {@link #standingName}, else {@link #PREFIX}'s, partial where {@link #predicate} can name the keys. */
    private static List<String> create(Connection staging, List<Unserved> missing, List<String> keyColumns, Collection<String> keys, int serial,
            boolean standing) throws SQLException {
        List<String> created = new ArrayList<>();
        try (Statement s = staging.createStatement()) {
            // The build sorts the whole referencing table (2 M rows of UM_USER_ATTRIBUTE at 1M users), past the default
            // 64MB of sort memory: 594 ms with 256MB against 679 ms, idle (docs/benchmark.md, s27-int). The build's own
            // setting only: its transaction's inside a pass, the beside connection's (reset after) otherwise.
            boolean auto = staging.getAutoCommit();
            s.execute(auto ? "SET maintenance_work_mem = '256MB'" : "SET LOCAL maintenance_work_mem = '256MB'");
            // No parallel workers: the build runs beside the compare, whose start (its other connections, the reads beside)
            // they left without CPU on two cores (the compare's setup 0.7-1.0 s with them, 0.47 s without), and alone they
            // made it no faster, 679 against 692 ms idle (docs/benchmark.md, s27-int and the s28 lead's section).
            s.execute(auto ? "SET max_parallel_maintenance_workers = 0" : "SET LOCAL max_parallel_maintenance_workers = 0");
            for (Unserved fk : missing) {
                String table = RowHashSql.checkName(fk.table());
                // The key's first column only (Carbon's keys are (id, tenant), the id alone nearly unique): an index on it
                // serves the check (UNSERVED) and builds faster than one on both columns, 520 against 679 ms idle.
                String first = RowHashSql.checkName(fk.column());
                String name = standing ? standingName(fk) : PREFIX + serial + "_" + created.size();
                String index = "CREATE INDEX " + name + " ON " + table + " (" + first + ")";
                String where = standing ? null : predicate(fk.column(), fk.type(), fk.referenced(), keyColumns, keys);
                if (where == null || !partial(staging, s, index + " WHERE " + where)) s.execute(index);
                created.add(name);
            }
            if (auto) {
                s.execute("RESET maintenance_work_mem");
                s.execute("RESET max_parallel_maintenance_workers");
            }
        }
        return created;
    }

    /** Runs the partial index's CREATE; false where PostgreSQL refused its predicate as too long for pg_index (nothing created). */
    private static boolean partial(Connection staging, Statement s, String create) throws SQLException {
        java.sql.Savepoint before = staging.getAutoCommit() ? null : staging.setSavepoint();
        try {
            s.execute(create);
        } catch (SQLException e) {
            if (!"54000".equals(e.getSQLState())) throw e; // program_limit_exceeded: "row is too big"
            if (before != null) staging.rollback(before);
            return false;
        }
        if (before != null) staging.releaseSavepoint(before);
        return true;
    }

    static void drop(Connection staging, List<String> names) throws SQLException {
        try (Statement s = staging.createStatement()) {
            // IF EXISTS: a second pass started meanwhile may have dropped one as a leftover (it then waits on the stage row).
            for (String name : names) s.execute("DROP INDEX IF EXISTS " + RowHashSql.checkName(name));
        }
    }

    /**
     * Starts building the indexes {@code parent}'s deletes need on a second connection, each committed by itself, or
     * returns null (not PostgreSQL, too few deletes, every foreign key served, or no second connection to staging: the
     * pass then creates them inside its transaction, as {@link #create} does). The caller awaits it before its first write.
     */
    static ReadBeside<List<String>> startBeside(Connection staging, Engine engine, String parent, int deletes, int serial) throws SQLException {
        return startBeside(staging, engine, parent, deletes, null, null, serial);
    }

    /**
     * As above for deleting these keys of {@code parent}, as {@link #create(Connection, Engine, String, List, Collection, int)};
     * the build reads {@code keys} on its own thread: the caller leaves them as they are.
     */
    static ReadBeside<List<String>> startBeside(Connection staging, Engine engine, String parent, List<String> keyColumns, Collection<String> keys,
            int serial) throws SQLException {
        return startBeside(staging, engine, parent, keys.size(), keyColumns, keys, serial);
    }

    private static ReadBeside<List<String>> startBeside(Connection staging, Engine engine, String parent, int deletes, List<String> keyColumns,
            Collection<String> keys, int serial) throws SQLException {
        if (engine != Engine.POSTGRESQL || deletes < MIN_DELETES) return null;
        List<Unserved> missing = missing(staging, parent);
        if (missing.isEmpty()) return null;
        return ReadBeside.start(staging, engine.profile(), "catch-up: foreign-key indexes for " + parent + "'s deletes",
                second -> create(second, missing, keyColumns, keys, serial, false));
    }

    /**
     * An ordinary pass: starts building a standing index for each foreign key to {@link #STANDING_PARENTS} no index serves
     * on a second connection, each committed by itself and kept, or returns null (not PostgreSQL, those keys served, or no
     * second connection to staging: the pass then indexes those parents' deletes as a final pass does, with temporary
     * indexes). The caller awaits it before its first write and builds no temporary index for those parents meanwhile.
     */
    static ReadBeside<List<String>> startStanding(Connection staging, Engine engine) throws SQLException {
        if (engine != Engine.POSTGRESQL) return null;
        List<Unserved> missing = new ArrayList<>();
        for (String parent : STANDING_PARENTS) missing.addAll(missing(staging, parent));
        if (missing.isEmpty()) return null;
        return ReadBeside.start(staging, engine.profile(), "catch-up: standing foreign-key indexes for later passes' deletes",
                second -> create(second, missing, null, null, 0, true));
    }

    /** The referencing table and column in the name (Carbon's are short), within PostgreSQL's 63 bytes. */
    private static String standingName(Unserved fk) {
        String name = (STANDING_PREFIX + fk.table() + "_" + fk.column()).toUpperCase(java.util.Locale.ROOT);
        return RowHashSql.checkName(name.length() > 63 ? name.substring(0, 63) : name);
    }

    /** The standing indexes in staging's schema: name (upper case) to its table (upper case); empty but on PostgreSQL. */
    static Map<String, String> standing(Connection staging, Engine engine) throws SQLException {
        Map<String, String> names = new java.util.TreeMap<>();
        if (engine != Engine.POSTGRESQL) return names;
        try (Statement s = staging.createStatement(); ResultSet rs = s.executeQuery("SELECT upper(indexname), upper(tablename) FROM pg_indexes"
                + " WHERE schemaname = current_schema() AND upper(indexname) LIKE '" + STANDING_PREFIX.replace("_", "\\_") + "%'")) {
            while (rs.next()) names.put(rs.getString(1), rs.getString(2));
        }
        return names;
    }

    /**
     * For the verifier's schema checkpoint: the standing indexes (name to table, upper case) of a staging database (one
     * with the stage's row, {@link StageBase#state}), which catch-up's final pass drops. Empty on any other database,
     * where such an index is an index like any other.
     */
    public static Map<String, String> standingOnStaging(Connection c) throws SQLException {
        Map<String, String> names = standing(c, Engine.of(c));
        return names.isEmpty() || StageBase.state(c) == null ? Map.of() : names;
    }

    /** Drops the indexes a killed pass left (built beside, committed, never dropped). Outside the pass's transaction. */
    static List<String> dropLeftovers(Connection staging, Engine engine) throws SQLException {
        List<String> names = new ArrayList<>();
        if (engine != Engine.POSTGRESQL) return names;
        try (Statement s = staging.createStatement(); ResultSet rs = s.executeQuery("SELECT indexname FROM pg_indexes"
                + " WHERE schemaname = current_schema() AND upper(indexname) LIKE '" + PREFIX.replace("_", "\\_") + "%'")) {
            while (rs.next()) names.add(rs.getString(1));
        }
        drop(staging, names);
        if (!staging.getAutoCommit()) staging.commit();
        return names;
    }
}
