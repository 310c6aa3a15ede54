package org.carbonupgrade.rehearsal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One id counter per table across all tenants, as Carbon 4.0.x's own generators number rows (a PostgreSQL
 * sequence, a MySQL AUTO_INCREMENT, an H2 auto-increment column per table; see Carbon400Seeder). Each counter
 * starts after the table's current MAX(id), so seeding more tenants into a seeded database never collides.
 */
final class IdCounters {
    private final Map<String, Integer> next = new LinkedHashMap<>();

    /** @param columns table name to its generated id column; names are the seeders' own constants */
    IdCounters(Connection c, Map<String, String> columns) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (Map.Entry<String, String> e : columns.entrySet()) {
                try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(" + e.getValue() + "), 0) + 1 FROM " + e.getKey())) {
                    next.put(e.getKey(), rs.next() ? rs.getInt(1) : 1);
                }
            }
        }
    }

    /** The id the next row of {@code table} gets, without taking it. */
    int peek(String table) {
        Integer id = next.get(table);
        if (id == null) throw new IllegalArgumentException("no id counter for table " + table);
        return id;
    }

    /** Takes the next id of {@code table}. */
    int take(String table) {
        int id = peek(table);
        next.put(table, id + 1);
        return id;
    }
}
