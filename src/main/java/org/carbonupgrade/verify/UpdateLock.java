package org.carbonupgrade.verify;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.carbonupgrade.Engine;
import org.carbonupgrade.audit.SafeText;
import org.carbonupgrade.schema.SchemaReader;

/**
 * Liquibase's lock as the verifier run on its own sees it. An update holds DATABASECHANGELOGLOCK from before its first
 * change until after its own verification; a verifier started beside it would read tables half-changed and its smoke
 * test would insert into tables the update is altering. The update's own last changeset verifies under the lock it
 * holds, so only the stand-alone command asks.
 */
final class UpdateLock {
    private UpdateLock() {
    }

    /** Who holds the lock and since when, one line; null when no lock table exists or nobody holds it. */
    static String heldBy(Connection c) throws SQLException {
        String table = lockTable(c);
        if (table == null) return null;
        String quote = c.getMetaData().getIdentifierQuoteString().trim();
        try (Statement s = c.createStatement();
             // LOCKED is read, not compared in SQL: it is a boolean, a BIT or a NUMBER(1) depending on the engine.
             ResultSet r = s.executeQuery("SELECT LOCKED, LOCKEDBY, LOCKGRANTED FROM " + quote + table + quote + " WHERE ID = 1")) {
            if (!r.next() || !r.getBoolean(1)) return null;
            return SafeText.line(String.valueOf(r.getString(2))) + " since " + r.getTimestamp(3);
        }
    }

    /** The lock table's name as the engine stores it (lower case on PostgreSQL, upper case elsewhere), or null. */
    private static String lockTable(Connection c) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        // As SchemaReader reads the catalog: MySQL's database is its catalog, the others' tables are in the current schema
        // (Carbon's own H2 1.2 file included, whose driver has no getSchema()).
        boolean mysql = Engine.of(c) == Engine.MYSQL;
        String catalog = mysql ? c.getCatalog() : null;
        String schema = mysql ? null : SchemaReader.currentSchema(c);
        for (String name : new String[] {"DATABASECHANGELOGLOCK", "databasechangeloglock"}) {
            try (ResultSet r = meta.getTables(catalog, schema, name, new String[] {"TABLE"})) {
                while (r.next()) {
                    if (r.getString("TABLE_NAME").equals(name)) return name;
                }
            }
        }
        return null;
    }
}
