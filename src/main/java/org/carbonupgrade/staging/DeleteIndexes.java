package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.carbonupgrade.Engine;

/**
 * PostgreSQL checks every foreign key of a deleted parent row with a query on the referencing table; where no index
 * starts with the referencing columns, that query reads the whole table. Carbon 4.2.0's PostgreSQL schema has such
 * foreign keys (UM_USER_ATTRIBUTE -> UM_USER: each deleted user read all 2 M attribute rows at 1M users, about 70 ms).
 * For a pass that deletes many parent rows, catch-up therefore creates an index on those columns inside its own
 * transaction and drops it again before the commit, so staging's schema after the pass is 4.2.0's exactly and a
 * killed pass leaves no index behind (PostgreSQL's DDL is transactional). MySQL/MariaDB index every foreign key
 * themselves, and so does H2.
 */
final class DeleteIndexes {
    /** Below this many deleted parent rows, a few table reads cost less than building an index. */
    static final int MIN_DELETES = 20;

    private DeleteIndexes() {
    }

    /** Creates the missing indexes for the foreign keys that reference {@code parent}; returns their names. */
    static List<String> create(Connection staging, Engine engine, String parent, int deletes, int serial) throws SQLException {
        List<String> created = new ArrayList<>();
        if (engine != Engine.POSTGRESQL || deletes < MIN_DELETES) return created;
        List<String[]> missing = new ArrayList<>();
        // Foreign keys referencing the parent whose columns no index starts with (int2vector indkey is 0-based).
        try (PreparedStatement ps = staging.prepareStatement("SELECT c.conrelid::regclass::text, array_to_string(ARRAY(SELECT a.attname"
                + " FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n"
                + " ORDER BY k.i), ',') FROM pg_constraint c WHERE c.contype = 'f' AND c.confrelid = to_regclass(?)"
                + " AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid"
                + " AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey)")) {
            ps.setString(1, RowHashSql.checkName(parent));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) missing.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        try (Statement s = staging.createStatement()) {
            for (String[] fk : missing) {
                String table = RowHashSql.checkName(fk[0]);
                List<String> columns = List.of(fk[1].split(","));
                columns.forEach(RowHashSql::checkName);
                String name = "CARBON_UPGRADE_TMP_FK_" + serial + "_" + created.size();
                s.execute("CREATE INDEX " + name + " ON " + table + " (" + String.join(", ", columns) + ")");
                created.add(name);
            }
        }
        return created;
    }

    static void drop(Connection staging, List<String> names) throws SQLException {
        try (Statement s = staging.createStatement()) {
            for (String name : names) s.execute("DROP INDEX " + RowHashSql.checkName(name));
        }
    }
}
