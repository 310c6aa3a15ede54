package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.carbonupgrade.Engine;

/**
 * Lets the upgrade's own data changesets (UpgradeTransforms), written for a whole database, run over only the rows a
 * catch-up pass wrote. In the pass's session, a temporary table of the same name shadows each table they transform
 * (UM_HYBRID_USER_ROLE, UM_ROLE_PERMISSION) and UM_TENANT, which they read to find tenants to give domains and
 * everyone-role mappings; the shadow holds only the rows at the keys the pass inserted or updated. The changesets'
 * SQL runs unchanged (its unqualified names reach the shadows first: PostgreSQL searches the session's temporary
 * schema first, MySQL/MariaDB hide a table behind a temporary one of the same name), then each shadow is moved to a
 * carrier table, dropped, and its transformed columns written back to the real rows by key, all in the pass's
 * transaction.
 *
 * <p>The result is the whole-database run's: the back-fills touch only rows whose UM_DOMAIN_ID is NULL, which on staging
 * are the rows the pass wrote (a 4.2.0 server always writes a domain id), all in the shadows; the domain and mapping
 * inserts add only what a tenant lacks, and only a tenant the pass inserted or updated can lack it (every other one got
 * its rows from the upgrade or an earlier pass). What they read besides (UM_DOMAIN, UM_ROLE, UM_HYBRID_ROLE, the
 * CARBON_UPGRADE_ maps) stays the real table. The tests compare the result with an in-place upgrade (CatchUpTest).
 *
 * <p>H2 has no such shadowing: there the changesets run over the whole database (H2 databases are small).
 */
final class TransformScope implements AutoCloseable {
    /** The tables shadowed; the first two are transformed and written back. */
    static final List<String> TRANSFORMED = List.of("UM_HYBRID_USER_ROLE", "UM_ROLE_PERMISSION");
    static final String TENANTS = "UM_TENANT";
    private static final int CHUNK = 200;
    /** Keys per statement where they go as arrays (PostgreSQL). */
    private static final int ARRAY_KEYS = 5000;

    private final Connection staging;
    private final Engine engine;
    private final Map<String, CatchUpTable> shadowed = new LinkedHashMap<>();
    private final Map<String, List<Object[]>> keys;
    /** Shadows that exist now (dropped by {@link #writeBack} or {@link #close}). */
    private final List<String> shadows = new ArrayList<>();

    private TransformScope(Connection staging, Engine engine, Map<String, List<Object[]>> keys) {
        this.staging = staging;
        this.engine = engine;
        this.keys = keys;
    }

    static boolean supported(Engine engine) {
        return engine == Engine.POSTGRESQL || engine == Engine.MYSQL;
    }

    /**
     * Shadows the tables with the rows at these keys (table -> key values of the rows the pass inserted or updated).
     * The caller runs the changesets, then {@link #writeBack} and {@link #close}.
     */
    static TransformScope open(Connection staging, Engine engine, List<CatchUpTable> tables, Map<String, List<Object[]>> keys) throws SQLException {
        if (!supported(engine)) throw new IllegalArgumentException("No shadow tables on " + engine.profile());
        TransformScope scope = new TransformScope(staging, engine, keys);
        for (CatchUpTable t : tables) {
            if (TRANSFORMED.contains(t.name()) || TENANTS.equals(t.name())) scope.shadowed.put(t.name(), t);
        }
        if (scope.shadowed.size() != TRANSFORMED.size() + 1) throw new SQLException("Staged tables lack one of " + TRANSFORMED + " or " + TENANTS);
        try {
            for (CatchUpTable t : scope.shadowed.values()) scope.shadow(t);
        } catch (SQLException e) {
            scope.close();
            throw e;
        }
        return scope;
    }

    /**
     * The upgrade's own lookup indexes for the back-fill (changelogs/carbon/um-domain-ids.xml,
     * um-domain-create-backfill-lookup-index and um-hybrid-role-create-backfill-lookup-index): each transformed row
     * looks its domain and hybrid role up by (tenant, name), which 4.2.0 does not index. Without them every shadow row
     * read all of UM_DOMAIN (40,004 rows at 1M users) and UM_HYBRID_ROLE (20,022): MariaDB's EXPLAIN shows type ALL
     * for both, and its pass spent 217 s in the changesets over 2,900 shadow rows (docs/benchmark.md). Created before
     * the pass's transaction (MariaDB commits DDL) unless present, dropped by {@link #dropLookupIndexes} right after
     * its commit and before the verifier compares the schema with 4.2.0's; a pass killed in between leaves them, and
     * the next pass drops them.
     */
    static final Map<String, String> LOOKUP_INDEXES = Map.of(
            "IX_UPGRADE_DOMAIN_LOOKUP", "UM_DOMAIN (UM_TENANT_ID, UM_DOMAIN_NAME)",
            "IX_UPGRADE_HYBRID_ROLE_LOOKUP", "UM_HYBRID_ROLE (UM_TENANT_ID, UM_ROLE_NAME)");

    static void createLookupIndexes(Connection staging, Engine engine) throws SQLException {
        if (!supported(engine)) return;
        for (Map.Entry<String, String> e : LOOKUP_INDEXES.entrySet()) {
            if (!lookupIndexExists(staging, e.getKey())) {
                try (Statement s = staging.createStatement()) {
                    s.execute("CREATE INDEX " + e.getKey() + " ON " + e.getValue());
                }
            }
        }
        if (!staging.getAutoCommit()) staging.commit();
    }

    /**
     * PostgreSQL: {@link #createLookupIndexes} on a second connection to staging, committed there, while the pass locks
     * the stage and compares (before: 0.13-0.46 s on the pass's path before its compare, at 1M users, loaded); elsewhere,
     * or where no second connection reaches staging as the same user, built here as before (null returned). The pass
     * awaits it ({@link #awaitLookupIndexes}) before its first write: until then its transaction holds no lock that
     * CREATE INDEX's SHARE lock waits for (it has written only the base tables and the stage row), so the build cannot
     * wait on the pass that waits on it. A pass that fails first awaits it too (ReadBeside.close) before dropping them.
     */
    static org.carbonupgrade.ReadBeside<Void> createLookupIndexesBeside(Connection staging, Engine engine) throws SQLException {
        org.carbonupgrade.ReadBeside<Void> beside = engine != Engine.POSTGRESQL ? null
                : org.carbonupgrade.ReadBeside.start(staging, engine.profile(), "catch-up: the transforms' lookup indexes", second -> {
                    second.setAutoCommit(true);
                    try (Statement s = second.createStatement()) {
                        for (Map.Entry<String, String> e : LOOKUP_INDEXES.entrySet()) s.execute("CREATE INDEX IF NOT EXISTS " + e.getKey() + " ON " + e.getValue());
                    }
                    return null;
                });
        if (beside == null) createLookupIndexes(staging, engine);
        return beside;
    }

    /** Waits for {@link #createLookupIndexesBeside} (null: nothing to wait for); its failure is thrown here. */
    static void awaitLookupIndexes(org.carbonupgrade.ReadBeside<Void> beside) throws SQLException {
        if (beside == null) return;
        try {
            beside.await();
        } finally {
            beside.close();
        }
    }

    static void dropLookupIndexes(Connection staging, Engine engine) throws SQLException {
        if (!supported(engine)) return;
        for (Map.Entry<String, String> e : LOOKUP_INDEXES.entrySet()) {
            if (lookupIndexExists(staging, e.getKey())) {
                String table = e.getValue().substring(0, e.getValue().indexOf(' '));
                try (Statement s = staging.createStatement()) {
                    s.execute("DROP INDEX " + e.getKey() + (engine == Engine.MYSQL ? " ON " + table : ""));
                }
            }
        }
        if (!staging.getAutoCommit()) staging.commit();
    }

    /**
     * PostgreSQL, where DDL is transactional: the lookup indexes dropped in the caller's transaction, so they go with the
     * pass's own commit instead of a catalog read per index and a commit of their own after it (0.07-0.2 s of every
     * pass). A rollback keeps them (they were committed before the pass's transaction), and a failed or killed pass
     * leaves them to {@link #dropLookupIndexes}, as before. Names as created: unquoted, in the current schema.
     */
    static void dropLookupIndexesInTransaction(Connection staging, Engine engine) throws SQLException {
        if (engine != Engine.POSTGRESQL) throw new IllegalArgumentException("DDL commits the transaction on " + engine.profile());
        try (Statement s = staging.createStatement()) {
            for (String index : LOOKUP_INDEXES.keySet()) s.execute("DROP INDEX IF EXISTS " + index);
        }
    }

    private static boolean lookupIndexExists(Connection staging, String index) throws SQLException {
        org.carbonupgrade.schema.SchemaReader reader = new org.carbonupgrade.schema.SchemaReader(staging);
        String table = LOOKUP_INDEXES.get(index);
        String name = reader.tableNames().get(table.substring(0, table.indexOf(' ')));
        return name != null && reader.readTable(name).indexes.keySet().stream().anyMatch(i -> i.equalsIgnoreCase(index));
    }

    /** A temporary table of another name, to carry rows past the moment the shadow hides (or stops hiding) the real table. */
    private static String carrier(String table) {
        return "CU_SHADOW_" + table;
    }

    /**
     * The real rows at the keys, copied into a carrier while the real table is still in view, then the shadow made from
     * the carrier. MySQL/MariaDB resolve even a database-qualified name to the session's temporary table of that name,
     * so the real table is only ever read or written while no shadow hides it.
     */
    private void shadow(CatchUpTable t) throws SQLException {
        String carrier = carrier(t.name());
        execute("CREATE TEMPORARY TABLE " + carrier + " AS SELECT * FROM " + t.name() + " WHERE 1 = 0");
        List<Object[]> at = keys.getOrDefault(t.name(), List.of());
        if (engine == Engine.POSTGRESQL && integral(at)) {
            shadowByArrays(t, carrier, at);
            execute("CREATE TEMPORARY TABLE " + t.name() + " AS SELECT * FROM " + carrier);
            shadows.add(t.name());
            dropTemporary(carrier);
            return;
        }
        String oneKey = "(" + t.keyColumns().stream().map(k -> "R." + k + " = ?").collect(Collectors.joining(" AND ")) + ")";
        for (int from = 0; from < at.size(); from += CHUNK) {
            List<Object[]> chunk = at.subList(from, Math.min(at.size(), from + CHUNK));
            try (PreparedStatement ps = staging.prepareStatement("INSERT INTO " + carrier + " SELECT R.* FROM " + t.name() + " R WHERE "
                    + String.join(" OR ", Collections.nCopies(chunk.size(), oneKey)))) {
                int p = 0;
                for (Object[] key : chunk) {
                    for (Object v : key) ps.setObject(++p, v);
                }
                ps.executeUpdate();
            }
        }
        execute("CREATE TEMPORARY TABLE " + t.name() + " AS SELECT * FROM " + carrier);
        shadows.add(t.name());
        dropTemporary(carrier);
    }

    /** Whether every key value is an integer (the shadowed tables' keys are ids and tenant ids). */
    private static boolean integral(List<Object[]> keys) {
        for (Object[] key : keys) {
            for (Object v : key) {
                if (!(v instanceof Integer || v instanceof Long || v instanceof Short)) return false;
            }
        }
        return true;
    }

    /**
     * PostgreSQL: the real rows at the keys into the carrier by one semi-join with the keys' columns as arrays per
     * {@value #ARRAY_KEYS} keys, instead of {@value #CHUNK} OR-ed key conditions per statement, which the planner expands
     * into as many index scans and plans anew each time (bench staging at 1M users: 1,573 UM_HYBRID_USER_ROLE keys in one
     * statement 14-17 ms, against 10-94 ms for each of eight statements of 200). A key given twice still copies its row
     * once (IN, not a join).
     */
    private void shadowByArrays(CatchUpTable t, String carrier, List<Object[]> at) throws SQLException {
        List<String> columns = t.keyColumns();
        String match = "(" + columns.stream().map(k -> "R." + k).collect(Collectors.joining(", ")) + ") IN (SELECT "
                + java.util.stream.IntStream.range(0, columns.size()).mapToObj(i -> "u.k" + i).collect(Collectors.joining(", "))
                + " FROM unnest(" + String.join(", ", Collections.nCopies(columns.size(), "?::int8[]")) + ") AS u("
                + java.util.stream.IntStream.range(0, columns.size()).mapToObj(i -> "k" + i).collect(Collectors.joining(", ")) + "))";
        try (PreparedStatement ps = staging.prepareStatement("INSERT INTO " + carrier + " SELECT R.* FROM " + t.name() + " R WHERE " + match)) {
            for (int from = 0; from < at.size(); from += ARRAY_KEYS) {
                List<Object[]> chunk = at.subList(from, Math.min(at.size(), from + ARRAY_KEYS));
                for (int i = 0; i < columns.size(); i++) {
                    Object[] values = new Object[chunk.size()];
                    for (int r = 0; r < values.length; r++) values[r] = ((Number) chunk.get(r)[i]).longValue();
                    ps.setArray(i + 1, staging.createArrayOf("int8", values));
                }
                ps.executeUpdate();
            }
        }
    }

    /**
     * The transformed tables' columns from the shadows back into the real rows, by key; then the shadows are gone.
     * Returns the rows written back.
     */
    int writeBack() throws SQLException {
        int n = 0;
        for (String table : TRANSFORMED) {
            CatchUpTable t = shadowed.get(table);
            String carrier = carrier(table);
            execute("CREATE TEMPORARY TABLE " + carrier + " AS SELECT * FROM " + table);
            dropTemporary(table);
            shadows.remove(table);
            List<String> rest = new ArrayList<>(t.stagingColumns());
            rest.removeAll(t.keyColumns());
            String match = t.keyColumns().stream().map(k -> "R." + k + " = S." + k).collect(Collectors.joining(" AND "));
            String sql = engine == Engine.POSTGRESQL
                    ? "UPDATE " + table + " R SET " + rest.stream().map(c -> c + " = S." + c).collect(Collectors.joining(", "))
                            + " FROM " + carrier + " S WHERE " + match
                    : "UPDATE " + table + " R JOIN " + carrier + " S ON " + match + " SET "
                            + rest.stream().map(c -> "R." + c + " = S." + c).collect(Collectors.joining(", "));
            try (Statement s = staging.createStatement()) {
                n += s.executeUpdate(sql);
            }
            dropTemporary(carrier);
        }
        return n;
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = staging.createStatement()) {
            s.execute(sql);
        }
    }

    /** Drops a temporary table only: never the real table of the same name. */
    private void dropTemporary(String table) throws SQLException {
        execute(engine == Engine.POSTGRESQL ? "DROP TABLE IF EXISTS pg_temp." + table : "DROP TEMPORARY TABLE IF EXISTS " + table);
    }

    /** Drops what is left of the shadows (in the pass's transaction: a rollback or the session's end removes them too). */
    @Override
    public void close() throws SQLException {
        for (String table : new ArrayList<>(shadows)) {
            dropTemporary(table);
            shadows.remove(table);
        }
        for (String table : shadowed.keySet()) dropTemporary(carrier(table));
    }
}
