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

/**
 * Reads the same facts the reference holds from a live database, through JDBC metadata (on PostgreSQL a read of many
 * tables at once takes the indexes from the driver's own index query, without its one-table condition).
 */
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
    public static String currentSchema(Connection connection) throws SQLException {
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
        Map<String, Collected> byActual = new LinkedHashMap<>();
        for (String table : wanted) {
            String actual = names.get(table.toUpperCase(Locale.ROOT));
            if (actual != null) byActual.put(actual, new Collected(new TableShape(actual.toUpperCase(Locale.ROOT))));
        }
        // A connection without a current schema (no schema of its search_path exists) is read table by table, as the driver does it.
        if (engine == Engine.POSTGRESQL && schema != null) {
            readTogether(byActual);
        } else {
            for (Map.Entry<String, Collected> e : byActual.entrySet()) readParts(e.getValue(), e.getKey(), EnumSet.allOf(Part.class));
        }
        Map<String, TableShape> result = new TreeMap<>();
        for (Collected c : byActual.values()) result.put(c.table.name, c.finish());
        return result;
    }

    /**
     * PostgreSQL: every wanted table's shape from four catalog queries over the schema instead of four per table. The
     * verifier compares some 45-80 tables with the 4.2.0 reference; four queries per table took 1.1-3.2 s for 48 tables
     * against 0.3-0.9 s for these (docs/benchmark.md, branch s22-pass), the lead's idle pass 0.8-1.7 s. The rows are the
     * driver's own (getColumns, getPrimaryKeys, getImportedKeys with no table named), handed to the same per-row code
     * as a read of one table, so the shapes are the same; only getIndexInfo insists on one table (its SQL binds
     * {@code ct.relname = ?} even for null), so {@link #POSTGRESQL_INDEXES} is its query with that condition left out.
     */
    private void readTogether(Map<String, Collected> byActual) throws SQLException {
        if (byActual.isEmpty()) return;
        try (ResultSet rs = md.getColumns(catalog, schema, "%", "%")) {
            while (rs.next()) {
                Collected c = byActual.get(rs.getString("TABLE_NAME"));
                if (c != null) c.column(rs);
            }
        }
        try (ResultSet rs = md.getPrimaryKeys(catalog, schema, null)) {
            while (rs.next()) {
                Collected c = byActual.get(rs.getString("TABLE_NAME"));
                if (c != null) c.primaryKeyColumn(rs);
            }
        }
        try (ResultSet rs = md.getImportedKeys(catalog, schema, null)) {
            while (rs.next()) {
                Collected c = byActual.get(rs.getString("FKTABLE_NAME"));
                if (c != null) c.foreignKeyColumn(rs);
            }
        }
        try (PreparedStatement ps = md.getConnection().prepareStatement(POSTGRESQL_INDEXES)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Collected c = byActual.get(rs.getString("TABLE_NAME"));
                    if (c != null) c.indexColumn(rs);
                }
            }
        }
    }

    /**
     * pgjdbc 42.7's getIndexInfo query for PostgreSQL 9.6 and later (PgDatabaseMetaData.getIndexInfo, approximate=false,
     * unique=false), limited to the columns the reader uses and without its table condition: one row per index column,
     * the column as {@code pg_get_indexdef} prints it (an expression index's expression), in the driver's order per table.
     * SchemaReaderTest holds it to the driver's own answer table by table.
     */
    static final String POSTGRESQL_INDEXES = "SELECT tmp.TABLE_NAME AS \"TABLE_NAME\", tmp.NON_UNIQUE AS \"NON_UNIQUE\","
            + " tmp.INDEX_NAME AS \"INDEX_NAME\", tmp.ORDINAL_POSITION AS \"ORDINAL_POSITION\","
            + " trim(both '\"' from pg_catalog.pg_get_indexdef(tmp.CI_OID, tmp.ORDINAL_POSITION, false)) AS \"COLUMN_NAME\""
            + " FROM (SELECT ct.relname AS TABLE_NAME, NOT i.indisunique AS NON_UNIQUE, ci.relname AS INDEX_NAME,"
            + " CASE i.indisclustered WHEN true THEN 1 ELSE CASE am.amname WHEN 'hash' THEN 2 ELSE 3 END END AS TYPE,"
            + " (information_schema._pg_expandarray(i.indkey)).n AS ORDINAL_POSITION, ci.oid AS CI_OID"
            + " FROM pg_catalog.pg_class ct JOIN pg_catalog.pg_namespace n ON (ct.relnamespace = n.oid)"
            + " JOIN pg_catalog.pg_index i ON (ct.oid = i.indrelid) JOIN pg_catalog.pg_class ci ON (ci.oid = i.indexrelid)"
            + " JOIN pg_catalog.pg_am am ON (ci.relam = am.oid) WHERE n.nspname = ?) AS tmp"
            + " ORDER BY tmp.TABLE_NAME, tmp.NON_UNIQUE, tmp.TYPE, tmp.INDEX_NAME, tmp.ORDINAL_POSITION";

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
        Collected c = new Collected(new TableShape(actual.toUpperCase(Locale.ROOT)));
        readParts(c, actual, parts);
        return c.finish();
    }

    private void readParts(Collected c, String actual, Set<Part> parts) throws SQLException {
        if (parts.contains(Part.COLUMNS)) {
            try (ResultSet rs = md.getColumns(catalog, schema, literalPattern(actual), "%")) {
                while (rs.next()) c.column(rs);
            }
        }
        if (parts.contains(Part.KEYS)) {
            try (ResultSet rs = md.getPrimaryKeys(catalog, schema, actual)) {
                while (rs.next()) c.primaryKeyColumn(rs);
            }
        }
        if (parts.contains(Part.FOREIGN_KEYS)) {
            try (PreparedStatement mysql = engine == Engine.MYSQL ? mysqlImportedKeys(actual) : null;
                 ResultSet rs = mysql != null ? mysql.executeQuery() : md.getImportedKeys(catalog, schema, actual)) {
                while (rs.next()) c.foreignKeyColumn(rs);
            }
        }
        if (parts.contains(Part.KEYS)) {
            try (ResultSet rs = md.getIndexInfo(catalog, schema, actual, false, false)) {
                while (rs.next()) c.indexColumn(rs);
            }
        }
    }

    /** One table's metadata rows as they arrive (from a read of that table, or of all tables at once), then its shape. */
    private final class Collected {
        final TableShape table;
        private final Map<Short, String> pk = new TreeMap<>();
        private final Map<String, Map<Short, String>> fkCols = new LinkedHashMap<>();
        private final Map<String, Map<Short, String>> fkRefCols = new LinkedHashMap<>();
        private final Map<String, String[]> fkInfo = new LinkedHashMap<>();
        private final Map<String, Map<Short, String>> indexCols = new LinkedHashMap<>();
        private final Map<String, Boolean> unique = new LinkedHashMap<>();

        Collected(TableShape table) {
            this.table = table;
        }

        void column(ResultSet rs) throws SQLException {
            String name = rs.getString("COLUMN_NAME").toUpperCase(Locale.ROOT);
            String family = family(rs.getString("TYPE_NAME"), rs.getInt("COLUMN_SIZE"));
            Integer length = ReferenceSchema.lengthMatters(family) ? rs.getInt("COLUMN_SIZE") : null;
            boolean auto = "YES".equalsIgnoreCase(rs.getString("IS_AUTOINCREMENT"));
            String def = Defaults.normalize(rs.getString("COLUMN_DEF"));
            if (engine == Engine.H2 && auto) {
                def = null; // H2 reports its identity generator as a default; the reference does not
            }
            table.columns.put(name, new TableShape.Column(name, family, length,
                    rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls, def, auto));
        }

        void primaryKeyColumn(ResultSet rs) throws SQLException {
            pk.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME").toUpperCase(Locale.ROOT));
        }

        void foreignKeyColumn(ResultSet rs) throws SQLException {
            String name = rs.getString("FK_NAME");
            short seq = rs.getShort("KEY_SEQ");
            fkCols.computeIfAbsent(name, k -> new TreeMap<>()).put(seq, rs.getString("FKCOLUMN_NAME").toUpperCase(Locale.ROOT));
            fkRefCols.computeIfAbsent(name, k -> new TreeMap<>()).put(seq, rs.getString("PKCOLUMN_NAME").toUpperCase(Locale.ROOT));
            fkInfo.put(name, new String[] {rs.getString("PKTABLE_NAME").toUpperCase(Locale.ROOT), deleteRule(rs.getShort("DELETE_RULE"))});
        }

        void indexColumn(ResultSet rs) throws SQLException {
            String name = rs.getString("INDEX_NAME");
            String column = rs.getString("COLUMN_NAME");
            if (name == null || column == null) return;
            indexCols.computeIfAbsent(name, k -> new TreeMap<>()).put(rs.getShort("ORDINAL_POSITION"),
                    column.replace("\"", "").toUpperCase(Locale.ROOT));
            unique.put(name, !rs.getBoolean("NON_UNIQUE"));
        }

        TableShape finish() {
            TableShape t = table;
            t.primaryKey = new ArrayList<>(pk.values());
            for (String name : fkCols.keySet()) {
                t.foreignKeys.add(new TableShape.ForeignKey(new ArrayList<>(fkCols.get(name).values()), fkInfo.get(name)[0],
                        new ArrayList<>(fkRefCols.get(name).values()), fkInfo.get(name)[1]));
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
            return t;
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
