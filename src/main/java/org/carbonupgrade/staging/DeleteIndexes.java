package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

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
 * <p>Where a second connection reaches staging, the index is built there ({@link #startBeside}), committed, while the
 * pass still compares: its build no longer adds to the pass. A pass killed between that commit and its own leaves the
 * index, which the next pass drops first ({@link #dropLeftovers}), as it does the transforms' lookup indexes.
 */
final class DeleteIndexes {
    /** Below this many deleted parent rows, a few table reads cost less than building an index. */
    static final int MIN_DELETES = 20;
    /** Every index this class creates is named so; a killed pass's leftovers are found by it. */
    static final String PREFIX = "CARBON_UPGRADE_TMP_FK_";

    private DeleteIndexes() {
    }

    /** Creates the missing indexes for the foreign keys that reference {@code parent}; returns their names. */
    static List<String> create(Connection staging, Engine engine, String parent, int deletes, int serial) throws SQLException {
        if (engine != Engine.POSTGRESQL || deletes < MIN_DELETES) return new ArrayList<>();
        return create(staging, missing(staging, parent), serial);
    }

    /** Foreign keys (pg_constraint c) that no index of the referencing table serves (int2vector indkey is 0-based, conkey 1-based). */
    private static final String UNSERVED = "c.contype = 'f' AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid"
            + " AND ((i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey OR i.indkey[0] = c.conkey[1]))";

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

    /** The foreign keys that reference {@code parent} and no index serves: {referencing table, its columns comma-separated}. */
    private static List<String[]> missing(Connection staging, String parent) throws SQLException {
        List<String[]> missing = new ArrayList<>();
        try (PreparedStatement ps = staging.prepareStatement("SELECT c.conrelid::regclass::text, array_to_string(ARRAY(SELECT a.attname"
                + " FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n"
                + " ORDER BY k.i), ',') FROM pg_constraint c WHERE c.confrelid = to_regclass(?) AND " + UNSERVED)) {
            ps.setString(1, RowHashSql.checkName(parent));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) missing.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        return missing;
    }

    private static List<String> create(Connection staging, List<String[]> missing, int serial) throws SQLException {
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
            for (String[] fk : missing) {
                String table = RowHashSql.checkName(fk[0]);
                // The key's first column only (Carbon's keys are (id, tenant), the id alone nearly unique): an index on it
                // serves the check (UNSERVED) and builds faster than one on both columns, 520 against 679 ms idle.
                String first = RowHashSql.checkName(fk[1].split(",")[0]);
                String name = PREFIX + serial + "_" + created.size();
                s.execute("CREATE INDEX " + name + " ON " + table + " (" + first + ")");
                created.add(name);
            }
            if (auto) {
                s.execute("RESET maintenance_work_mem");
                s.execute("RESET max_parallel_maintenance_workers");
            }
        }
        return created;
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
        if (engine != Engine.POSTGRESQL || deletes < MIN_DELETES) return null;
        List<String[]> missing = missing(staging, parent);
        if (missing.isEmpty()) return null;
        return ReadBeside.start(staging, engine.profile(), "catch-up: foreign-key indexes for " + parent + "'s deletes",
                second -> create(second, missing, serial));
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
