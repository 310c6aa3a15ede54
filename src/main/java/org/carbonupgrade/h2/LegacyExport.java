package org.carbonupgrade.h2;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Copies every table of an H2 2.x database (schema PUBLIC) into an empty H2 1.2.140 database: the DDL is written
 * from the 2.x catalog in 1.2 spelling, the rows go through JDBC. H2 2.x's own SCRIPT output does not load in 1.2.140
 * (its constraints come twice, "Constraint ... already exists", and identity columns are 2.x syntax).
 *
 * Order: tables with their primary keys, rows, then unique keys, foreign keys and declared indexes in the order that
 * gives each the index it had (see run), then identity counters.
 */
final class LegacyExport {
    private static final int BATCH = 2000;

    private final Connection from;
    private final Connection to;

    LegacyExport(Connection from, Connection to) {
        this.from = from;
        this.to = to;
    }

    /** @return rows copied per table */
    Map<String, Long> run() throws SQLException {
        refuseWhatLegacyCannotHold();
        List<String> tables = strings("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'"
                + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME");
        Map<String, Long> rows = new TreeMap<>();
        Map<String, List<Column>> columns = new LinkedHashMap<>();
        for (String table : tables) {
            columns.put(table, columns(table));
            execute(createTable(table, columns.get(table)));
        }
        for (String table : tables) rows.put(table, copyRows(table, columns.get(table)));
        if (tables.contains("DATABASECHANGELOGLOCK")) {
            // The copy is taken by the update's last changeset, under this run's own lock; the run ends right after,
            // so the H2 1.2 file must not carry the lock (the next run would take it for a killed run's).
            execute("UPDATE DATABASECHANGELOGLOCK SET LOCKED = FALSE, LOCKGRANTED = NULL, LOCKEDBY = NULL");
        }
        // H2 1.2 lets a new foreign key use an existing index that starts with its columns, else makes its own. The
        // unique keys come first (as most of WSO2's tables declare them), then the foreign keys that had an index of
        // their own or a key's, then the declared indexes, then the foreign keys that used one of those.
        Map<String, List<Constraint>> constraints = constraints();
        Set<String> keyIndexes = new HashSet<>();
        for (Constraint k : constraints.get("UNIQUE")) {
            execute(k.ddl);
            keyIndexes.add(k.index);
        }
        for (Constraint k : constraints.get("FOREIGN KEY")) if (k.ownsIndex()) keyIndexes.add(k.index);
        List<Constraint> usingDeclared = new ArrayList<>();
        for (Constraint k : constraints.get("FOREIGN KEY")) {
            if (keyIndexes.contains(k.index)) execute(k.ddl); else usingDeclared.add(k);
        }
        for (String index : declaredIndexes(keyIndexes)) execute(index);
        for (Constraint k : usingDeclared) execute(k.ddl);
        for (String table : tables) {
            for (Column c : columns.get(table)) {
                if (c.identityNext != null) {
                    execute("ALTER TABLE " + q(table) + " ALTER COLUMN " + q(c.name) + " RESTART WITH " + c.identityNext);
                }
            }
        }
        return rows;
    }

    /** A unique or foreign key of the upgraded copy, its DDL in 1.2 spelling and the index it uses there. */
    private record Constraint(String name, String index, String ddl) {
        /** The index H2 made for this key alone (named after it), not one it shares or borrowed. */
        boolean ownsIndex() {
            return index != null && index.startsWith(name + "_INDEX_");
        }
    }

    private record Column(String name, String type, boolean nullable, String defaultValue, Long identityNext) {
    }

    /** Views, triggers, sequences of their own, other schemas and users are not part of a Carbon database; say so rather than drop them. */
    private void refuseWhatLegacyCannotHold() throws SQLException {
        List<String> extra = strings("SELECT TABLE_SCHEMA || '.' || TABLE_NAME || ' (' || TABLE_TYPE || ')' FROM INFORMATION_SCHEMA.TABLES"
                + " WHERE TABLE_SCHEMA <> 'INFORMATION_SCHEMA' AND NOT (TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE')");
        extra.addAll(strings("SELECT SEQUENCE_SCHEMA || '.' || SEQUENCE_NAME || ' (sequence)' FROM INFORMATION_SCHEMA.SEQUENCES"));
        extra.addAll(strings("SELECT TRIGGER_NAME || ' (trigger)' FROM INFORMATION_SCHEMA.TRIGGERS"));
        // The new file's only user is the one that creates it (the one running the upgrade); H2 keeps no password
        // another user could be given back with.
        extra.addAll(strings("SELECT USER_NAME || ' (database user)' FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME <> CURRENT_USER"));
        extra.addAll(strings("SELECT CONSTRAINT_NAME || ' (check constraint)' FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS"
                + " WHERE CONSTRAINT_TYPE = 'CHECK' AND TABLE_SCHEMA = 'PUBLIC'"));
        if (!extra.isEmpty()) {
            throw new SQLException("The upgraded database holds objects that are not Carbon tables and that this tool does not"
                    + " carry back into H2 1.2: " + extra + ". Nothing was converted back; the original file is untouched.");
        }
    }

    private List<Column> columns(String table) throws SQLException {
        List<Column> out = new ArrayList<>();
        try (PreparedStatement ps = from.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION,"
                + " NUMERIC_SCALE, IS_NULLABLE, COLUMN_DEFAULT, IS_IDENTITY, IDENTITY_BASE FROM INFORMATION_SCHEMA.COLUMNS"
                + " WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean identity = "YES".equals(rs.getString("IS_IDENTITY"));
                    String type = legacyType(table, rs.getString("COLUMN_NAME"), rs.getString("DATA_TYPE"),
                            (Long) rs.getObject("CHARACTER_MAXIMUM_LENGTH", Long.class),
                            rs.getObject("NUMERIC_PRECISION", Integer.class), rs.getObject("NUMERIC_SCALE", Integer.class));
                    out.add(new Column(rs.getString("COLUMN_NAME"), type, "YES".equals(rs.getString("IS_NULLABLE")),
                            identity ? null : legacyDefault(rs.getString("COLUMN_DEFAULT")),
                            identity ? rs.getLong("IDENTITY_BASE") : null));
                }
            }
        }
        return out;
    }

    static String legacyType(String table, String column, String type, Long length, Integer precision, Integer scale) throws SQLException {
        String t = type.toUpperCase(Locale.ROOT);
        // H2 2.x reports a VARCHAR declared without length as its maximum (1,000,000,000).
        String len = length == null || length >= 1_000_000_000L ? "" : "(" + length + ")";
        return switch (t) {
            case "CHARACTER VARYING" -> "VARCHAR" + len;
            case "VARCHAR_IGNORECASE" -> "VARCHAR_IGNORECASE" + len;
            case "CHARACTER" -> "CHAR" + len;
            case "BINARY VARYING" -> "VARBINARY" + len;
            case "BINARY" -> "BINARY" + len;
            case "BINARY LARGE OBJECT" -> "BLOB";
            case "CHARACTER LARGE OBJECT" -> "CLOB";
            case "INTEGER", "SMALLINT", "BIGINT", "TINYINT", "BOOLEAN", "DATE", "REAL" -> t;
            case "DOUBLE PRECISION" -> "DOUBLE";
            case "TIMESTAMP", "TIME" -> t;
            case "NUMERIC", "DECIMAL" -> "DECIMAL" + (precision == null ? "" : "(" + precision + (scale == null ? "" : ", " + scale) + ")");
            default -> throw new SQLException(table + "." + column + " has type " + type + ", which H2 1.2 does not have;"
                    + " nothing was converted back, the original file is untouched.");
        };
    }

    /** A 2.x default expression in 1.2 spelling (the ones Carbon's and Liquibase's tables use). */
    static String legacyDefault(String expression) {
        if (expression == null) return null;
        String e = expression.trim();
        if (e.equalsIgnoreCase("LOCALTIMESTAMP") || e.equalsIgnoreCase("CURRENT_TIMESTAMP")) return "CURRENT_TIMESTAMP";
        if (e.equalsIgnoreCase("CURRENT_DATE")) return "CURRENT_DATE";
        return e;
    }

    private String createTable(String table, List<Column> columns) throws SQLException {
        StringBuilder b = new StringBuilder("CREATE CACHED TABLE ").append(q(table)).append(" (");
        List<String> parts = new ArrayList<>();
        for (Column c : columns) {
            StringBuilder col = new StringBuilder(q(c.name)).append(' ').append(c.type);
            if (c.defaultValue != null) col.append(" DEFAULT ").append(c.defaultValue);
            if (!c.nullable) col.append(" NOT NULL");
            if (c.identityNext != null) col.append(" AUTO_INCREMENT");
            parts.add(col.toString());
        }
        for (Map.Entry<String, String[]> k : keys(table).entrySet()) {
            parts.add("CONSTRAINT " + q(k.getKey()) + " " + k.getValue()[0] + " (" + k.getValue()[1] + ")");
        }
        return b.append(String.join(", ", parts)).append(')').toString();
    }

    /** The primary key: name to {kind, quoted column list}. */
    private Map<String, String[]> keys(String table) throws SQLException {
        Map<String, String[]> keys = new LinkedHashMap<>();
        try (PreparedStatement ps = from.prepareStatement("SELECT tc.CONSTRAINT_NAME, tc.CONSTRAINT_TYPE, k.COLUMN_NAME"
                + " FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k"
                + " ON k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME"
                + " WHERE tc.TABLE_SCHEMA = 'PUBLIC' AND tc.TABLE_NAME = ? AND tc.CONSTRAINT_TYPE = 'PRIMARY KEY'"
                + " ORDER BY k.ORDINAL_POSITION")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String[] k = keys.computeIfAbsent(rs.getString(1), n -> new String[] {null, null});
                    k[0] = rs.getString(2);
                    k[1] = k[1] == null ? q(rs.getString(3)) : k[1] + ", " + q(rs.getString(3));
                }
            }
        }
        return keys;
    }

    /** Unique and foreign keys of every table, by kind, in name order. */
    private Map<String, List<Constraint>> constraints() throws SQLException {
        Map<String, List<Constraint>> out = new HashMap<>();
        out.put("UNIQUE", new ArrayList<>());
        out.put("FOREIGN KEY", new ArrayList<>());
        Map<String, String[]> keys = new LinkedHashMap<>(); // name -> {table, type, index, columns}
        try (Statement s = from.createStatement(); ResultSet rs = s.executeQuery("SELECT tc.CONSTRAINT_NAME, tc.TABLE_NAME,"
                + " tc.CONSTRAINT_TYPE, tc.INDEX_NAME, k.COLUMN_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc"
                + " JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA"
                + " AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME WHERE tc.TABLE_SCHEMA = 'PUBLIC'"
                + " AND tc.CONSTRAINT_TYPE IN ('UNIQUE', 'FOREIGN KEY') ORDER BY tc.TABLE_NAME, tc.CONSTRAINT_NAME, k.ORDINAL_POSITION")) {
            while (rs.next()) {
                String[] k = keys.computeIfAbsent(rs.getString(1), n -> new String[4]);
                k[0] = rs.getString(2);
                k[1] = rs.getString(3);
                k[2] = rs.getString(4);
                k[3] = k[3] == null ? q(rs.getString(5)) : k[3] + ", " + q(rs.getString(5));
            }
        }
        Map<String, Map<String, String[]>> references = new HashMap<>();
        for (Map.Entry<String, String[]> e : keys.entrySet()) {
            String[] k = e.getValue();
            String ddl = "ALTER TABLE " + q(k[0]) + " ADD CONSTRAINT " + q(e.getKey());
            if (k[1].equals("UNIQUE")) {
                ddl += " UNIQUE (" + k[3] + ")";
            } else {
                String[] ref = references.computeIfAbsent(k[0], this::foreignKeys).get(e.getKey());
                ddl += " FOREIGN KEY (" + ref[0] + ") REFERENCES " + q(ref[1]) + " (" + ref[2] + ")"
                        + (ref[3].isEmpty() ? "" : " ON DELETE " + ref[3]) + (ref[4].isEmpty() ? "" : " ON UPDATE " + ref[4]);
            }
            out.get(k[1]).add(new Constraint(e.getKey(), k[2], ddl));
        }
        return out;
    }

    /** Foreign keys of a table: name to {columns, ref table, ref columns, delete rule, update rule}. */
    private Map<String, String[]> foreignKeys(String table) {
        Map<String, String[]> fks = new LinkedHashMap<>();
        try (ResultSet rs = from.getMetaData().getImportedKeys(null, "PUBLIC", table)) {
            while (rs.next()) {
                String[] fk = fks.computeIfAbsent(rs.getString("FK_NAME"), n -> new String[5]);
                fk[0] = fk[0] == null ? q(rs.getString("FKCOLUMN_NAME")) : fk[0] + ", " + q(rs.getString("FKCOLUMN_NAME"));
                fk[1] = rs.getString("PKTABLE_NAME");
                fk[2] = fk[2] == null ? q(rs.getString("PKCOLUMN_NAME")) : fk[2] + ", " + q(rs.getString("PKCOLUMN_NAME"));
                fk[3] = rule(rs.getShort("DELETE_RULE"));
                fk[4] = rule(rs.getShort("UPDATE_RULE"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the foreign keys of " + table + ": " + e.getMessage(), e);
        }
        return fks;
    }

    private static String rule(short rule) {
        return switch (rule) {
            case java.sql.DatabaseMetaData.importedKeyCascade -> "CASCADE";
            case java.sql.DatabaseMetaData.importedKeySetNull -> "SET NULL";
            case java.sql.DatabaseMetaData.importedKeySetDefault -> "SET DEFAULT";
            default -> ""; // RESTRICT / NO ACTION: 1.2's default
        };
    }

    /** Indexes someone created (CREATE INDEX), not the ones H2 made for a key: those come back with their keys. */
    private List<String> declaredIndexes(Set<String> keyIndexes) throws SQLException {
        Map<String, String[]> indexes = new LinkedHashMap<>(); // name -> {table, unique, columns}
        try (Statement s = from.createStatement(); ResultSet rs = s.executeQuery("SELECT i.INDEX_NAME, i.TABLE_NAME, i.INDEX_TYPE_NAME,"
                + " c.COLUMN_NAME, c.ORDERING_SPECIFICATION FROM INFORMATION_SCHEMA.INDEXES i JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c"
                + " ON c.INDEX_SCHEMA = i.INDEX_SCHEMA AND c.INDEX_NAME = i.INDEX_NAME"
                + " WHERE i.TABLE_SCHEMA = 'PUBLIC' AND i.INDEX_TYPE_NAME <> 'PRIMARY KEY'"
                + " ORDER BY i.TABLE_NAME, i.INDEX_NAME, c.ORDINAL_POSITION")) {
            while (rs.next()) {
                if (keyIndexes.contains(rs.getString(1))) continue;
                String[] ix = indexes.computeIfAbsent(rs.getString(1), n -> new String[3]);
                ix[0] = rs.getString(2);
                ix[1] = rs.getString(3).startsWith("UNIQUE") ? "UNIQUE " : "";
                String col = q(rs.getString(4)) + ("DESC".equals(rs.getString(5)) ? " DESC" : "");
                ix[2] = ix[2] == null ? col : ix[2] + ", " + col;
            }
        }
        List<String> out = new ArrayList<>();
        indexes.forEach((name, ix) -> out.add("CREATE " + ix[1] + "INDEX " + q(name) + " ON " + q(ix[0]) + " (" + ix[2] + ")"));
        return out;
    }

    private long copyRows(String table, List<Column> columns) throws SQLException {
        List<String> names = columns.stream().map(c -> q(c.name)).toList();
        String select = "SELECT " + String.join(", ", names) + " FROM " + q(table);
        String insert = "INSERT INTO " + q(table) + " (" + String.join(", ", names) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(names.size(), "?")) + ")";
        long count = 0;
        boolean auto = to.getAutoCommit();
        to.setAutoCommit(false);
        try (Statement s = from.createStatement(); ResultSet rs = s.executeQuery(select); PreparedStatement ps = to.prepareStatement(insert)) {
            ResultSetMetaData md = rs.getMetaData();
            int pending = 0;
            while (rs.next()) {
                for (int i = 1; i <= names.size(); i++) copyValue(rs, ps, i, md.getColumnType(i));
                ps.addBatch();
                count++;
                if (++pending == BATCH) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) ps.executeBatch();
            to.commit();
        } finally {
            to.setAutoCommit(auto);
        }
        return count;
    }

    /** The two drivers share no classes: LOBs and dates cross as bytes, strings and java.sql values. */
    private static void copyValue(ResultSet rs, PreparedStatement ps, int i, int type) throws SQLException {
        switch (type) {
            case Types.BLOB, Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> {
                byte[] v = rs.getBytes(i);
                if (v == null) ps.setNull(i, Types.BLOB); else ps.setBytes(i, v);
            }
            case Types.CLOB, Types.NCLOB -> {
                String v = rs.getString(i);
                if (v == null) ps.setNull(i, Types.CLOB); else ps.setString(i, v);
            }
            case Types.TIMESTAMP -> ps.setTimestamp(i, rs.getTimestamp(i));
            case Types.DATE -> ps.setDate(i, rs.getDate(i));
            case Types.TIME -> ps.setTime(i, rs.getTime(i));
            default -> {
                Object v = rs.getObject(i);
                if (v == null) ps.setNull(i, type); else ps.setObject(i, v);
            }
        }
    }

    private List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = from.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = to.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new SQLException("H2 1.2.140 refused: " + sql + ": " + e.getMessage(), e.getSQLState(), e);
        }
    }

    /** Identifiers from the catalog, quoted (H2 quoting is the same in 1.2 and 2.x). */
    static String q(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
