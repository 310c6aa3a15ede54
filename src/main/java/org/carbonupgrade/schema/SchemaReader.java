package org.carbonupgrade.schema;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.carbonupgrade.Engine;

/** Reads the same facts the reference holds from a live database, through JDBC metadata only. */
public final class SchemaReader {
    private final Engine engine;
    private final DatabaseMetaData md;
    private final String catalog;
    private final String schema;

    public SchemaReader(Connection connection) throws SQLException {
        this.engine = Engine.of(connection);
        this.md = connection.getMetaData();
        // MySQL calls a database a catalog; the others keep tables in the current schema.
        this.catalog = engine == Engine.MYSQL ? connection.getCatalog() : null;
        this.schema = engine == Engine.MYSQL ? null : currentSchema(connection);
    }

    /** H2 1.2.140 (Carbon's own H2) predates JDBC 4.1's getSchema(); its tables are in PUBLIC unless told otherwise. */
    private static String currentSchema(Connection connection) throws SQLException {
        try {
            return connection.getSchema();
        } catch (AbstractMethodError legacyDriver) {
            return "PUBLIC";
        }
    }

    /** Upper-case table name to the name as the catalog spells it. */
    public Map<String, String> tableNames() throws SQLException {
        Map<String, String> names = new TreeMap<>();
        try (ResultSet rs = md.getTables(catalog, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                names.put(name.toUpperCase(Locale.ROOT), name);
            }
        }
        return names;
    }

    public Map<String, TableShape> read(Collection<String> wanted) throws SQLException {
        Map<String, String> names = tableNames();
        Map<String, TableShape> result = new TreeMap<>();
        for (String table : wanted) {
            String actual = names.get(table.toUpperCase(Locale.ROOT));
            if (actual != null) {
                result.put(table.toUpperCase(Locale.ROOT), readTable(actual));
            }
        }
        return result;
    }

    /**
     * The parts of a table's shape a reader may ask for alone. Each is one or two catalog queries: a catalog guard,
     * asked before each of some 80 changesets, reads only the part it decides on.
     */
    public enum Part {
        COLUMNS,
        /** Primary key, unique keys and indexes (one comes with the other: the primary key's index is told apart by it). */
        KEYS,
        FOREIGN_KEYS
    }

    public TableShape readTable(String actual) throws SQLException {
        return readTable(actual, EnumSet.allOf(Part.class));
    }

    /** The table's shape with only these parts read; the others stay empty. */
    public TableShape readTable(String actual, Set<Part> parts) throws SQLException {
        TableShape t = new TableShape(actual.toUpperCase(Locale.ROOT));
        if (parts.contains(Part.COLUMNS)) readColumns(t, actual);
        if (parts.contains(Part.KEYS)) readPrimaryKey(t, actual);
        if (parts.contains(Part.FOREIGN_KEYS)) readForeignKeys(t, actual);
        if (parts.contains(Part.KEYS)) readIndexes(t, actual);
        return t;
    }

    private void readColumns(TableShape t, String actual) throws SQLException {
        try (ResultSet rs = md.getColumns(catalog, schema, literalPattern(actual), "%")) {
            while (rs.next()) {
                String name = rs.getString("COLUMN_NAME").toUpperCase(Locale.ROOT);
                String family = family(rs.getString("TYPE_NAME"), rs.getInt("COLUMN_SIZE"));
                Integer length = ReferenceSchema.lengthMatters(family) ? rs.getInt("COLUMN_SIZE") : null;
                boolean auto = "YES".equalsIgnoreCase(rs.getString("IS_AUTOINCREMENT"));
                String def = Defaults.normalize(rs.getString("COLUMN_DEF"));
                if (engine == Engine.H2 && auto) {
                    def = null; // H2 reports its identity generator as a default; the reference does not
                }
                t.columns.put(name, new TableShape.Column(name, family, length,
                        rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls, def, auto));
            }
        }
    }

    private void readPrimaryKey(TableShape t, String actual) throws SQLException {
        Map<Short, String> pk = new TreeMap<>();
        try (ResultSet rs = md.getPrimaryKeys(catalog, schema, actual)) {
            while (rs.next()) pk.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME").toUpperCase(Locale.ROOT));
        }
        t.primaryKey = new ArrayList<>(pk.values());
    }

    private void readForeignKeys(TableShape t, String actual) throws SQLException {
        Map<String, Map<Short, String>> fkCols = new LinkedHashMap<>();
        Map<String, Map<Short, String>> fkRefCols = new LinkedHashMap<>();
        Map<String, String[]> fkInfo = new LinkedHashMap<>();
        try (PreparedStatement mysql = engine == Engine.MYSQL ? mysqlImportedKeys(actual) : null;
             ResultSet rs = mysql != null ? mysql.executeQuery() : md.getImportedKeys(catalog, schema, actual)) {
            while (rs.next()) {
                String name = rs.getString("FK_NAME");
                short seq = rs.getShort("KEY_SEQ");
                fkCols.computeIfAbsent(name, k -> new TreeMap<>()).put(seq, rs.getString("FKCOLUMN_NAME").toUpperCase(Locale.ROOT));
                fkRefCols.computeIfAbsent(name, k -> new TreeMap<>()).put(seq, rs.getString("PKCOLUMN_NAME").toUpperCase(Locale.ROOT));
                fkInfo.put(name, new String[] {rs.getString("PKTABLE_NAME").toUpperCase(Locale.ROOT), deleteRule(rs.getShort("DELETE_RULE"))});
            }
        }
        for (String name : fkCols.keySet()) {
            t.foreignKeys.add(new TableShape.ForeignKey(new ArrayList<>(fkCols.get(name).values()), fkInfo.get(name)[0],
                    new ArrayList<>(fkRefCols.get(name).values()), fkInfo.get(name)[1]));
        }
    }

    private void readIndexes(TableShape t, String actual) throws SQLException {
        Map<String, Map<Short, String>> indexCols = new LinkedHashMap<>();
        Map<String, Boolean> unique = new LinkedHashMap<>();
        try (ResultSet rs = md.getIndexInfo(catalog, schema, actual, false, false)) {
            while (rs.next()) {
                String name = rs.getString("INDEX_NAME");
                String column = rs.getString("COLUMN_NAME");
                if (name == null || column == null) continue;
                indexCols.computeIfAbsent(name, k -> new TreeMap<>()).put(rs.getShort("ORDINAL_POSITION"),
                        column.replace("\"", "").toUpperCase(Locale.ROOT));
                unique.put(name, !rs.getBoolean("NON_UNIQUE"));
            }
        }
        boolean pkIndexSeen = false;
        for (Map.Entry<String, Map<Short, String>> e : indexCols.entrySet()) {
            List<String> cols = new ArrayList<>(e.getValue().values());
            if (unique.get(e.getKey())) {
                if (!pkIndexSeen && cols.equals(t.primaryKey)) {
                    pkIndexSeen = true; // the index behind the primary key is not a unique key of its own
                } else {
                    t.uniqueKeys.add(cols);
                }
            } else {
                t.indexes.put(e.getKey().toUpperCase(Locale.ROOT), cols);
            }
        }
    }

    /**
     * MySQL/MariaDB: the foreign keys of one table, in getImportedKeys' column names. Connector/J reads them from
     * information_schema whenever the connection has useInformationSchema=true, as Liquibase's own connection has, and
     * its query joins TABLE_CONSTRAINTS and REFERENTIAL_CONSTRAINTS without naming the database: MariaDB then opens every
     * table of every database on the server for each call (EXPLAIN: "Scanned all databases"; 405 s for the 62 calls of
     * one small upgrade on a server of 34 databases, docs/benchmark.md). Here each information_schema table is narrowed
     * to this database and table by constants ("Scanned 0 databases").
     */
    private PreparedStatement mysqlImportedKeys(String table) throws SQLException {
        PreparedStatement ps = md.getConnection().prepareStatement(
                "SELECT k.CONSTRAINT_NAME AS FK_NAME, k.ORDINAL_POSITION AS KEY_SEQ, k.COLUMN_NAME AS FKCOLUMN_NAME,"
                + " k.REFERENCED_TABLE_NAME AS PKTABLE_NAME, k.REFERENCED_COLUMN_NAME AS PKCOLUMN_NAME,"
                + " CASE r.DELETE_RULE WHEN 'CASCADE' THEN " + DatabaseMetaData.importedKeyCascade
                + " WHEN 'SET NULL' THEN " + DatabaseMetaData.importedKeySetNull
                + " WHEN 'SET DEFAULT' THEN " + DatabaseMetaData.importedKeySetDefault
                + " ELSE " + DatabaseMetaData.importedKeyNoAction + " END AS DELETE_RULE"
                + " FROM information_schema.KEY_COLUMN_USAGE k JOIN (SELECT CONSTRAINT_NAME, DELETE_RULE"
                + " FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?) r"
                + " ON r.CONSTRAINT_NAME = k.CONSTRAINT_NAME"
                + " WHERE k.TABLE_SCHEMA = ? AND k.TABLE_NAME = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL");
        ps.setString(1, catalog);
        ps.setString(2, table);
        ps.setString(3, catalog);
        ps.setString(4, table);
        return ps;
    }

    /** The table name as a metadata search pattern matching only itself: UM_USER must not also match "UM USER". */
    private String literalPattern(String name) throws SQLException {
        String escape = md.getSearchStringEscape();
        if (escape == null || escape.isEmpty()) return name;
        return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }

    private static String deleteRule(short rule) {
        return switch (rule) {
            case DatabaseMetaData.importedKeyCascade -> "CASCADE";
            case DatabaseMetaData.importedKeySetNull -> "SET NULL";
            case DatabaseMetaData.importedKeySetDefault -> "SET DEFAULT";
            default -> "NO ACTION";
        };
    }

    /** Maps a driver's type name onto the reference's type families. */
    static String family(String typeName, int size) {
        String t = typeName.toUpperCase(Locale.ROOT).replace(" UNSIGNED", "");
        return switch (t) {
            case "INT", "INTEGER", "INT4", "SERIAL" -> "integer";
            case "SMALLINT", "INT2" -> "smallint";
            case "BIGINT", "INT8" -> "bigint";
            case "VARCHAR", "CHARACTER VARYING", "VARCHAR2", "NVARCHAR", "NVARCHAR2" -> "varchar";
            case "CHAR", "BPCHAR", "CHARACTER", "NCHAR" -> "char";
            case "BOOL", "BOOLEAN" -> "boolean";
            case "BIT", "TINYINT" -> size <= 1 ? "boolean" : "tinyint";
            case "TIMESTAMP", "TIMESTAMP WITHOUT TIME ZONE" -> "timestamp";
            case "DATETIME" -> "datetime";
            case "DATE" -> "date";
            case "BYTEA", "BLOB", "LONGBLOB", "MEDIUMBLOB", "BINARY LARGE OBJECT", "VARBINARY", "IMAGE" -> "blob";
            case "TEXT", "CLOB", "LONGTEXT", "CHARACTER LARGE OBJECT" -> "clob";
            default -> t.toLowerCase(Locale.ROOT);
        };
    }

    public Engine engine() {
        return engine;
    }
}
