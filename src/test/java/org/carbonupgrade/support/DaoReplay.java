package org.carbonupgrade.support;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs DAO statements on one connection, each behind its own savepoint, with a plausible value bound to every '?':
 * the value fits the column the parameter is compared with or inserted into (type and length, as the database
 * reports them), and a foreign-key column gets a value its parent table really holds. The caller rolls back.
 */
public final class DaoReplay {
    private static final Pattern INSERT = Pattern.compile(
            "(?is)^\\s*INSERT\\s+INTO\\s+(\\w+)\\s*(?:\\(([^)]*)\\))?\\s*VALUES\\s*\\(([^)]*)\\)");
    private static final Pattern COMPARED = Pattern.compile("(?is)([\\w.]+)\\s*(?:=|<>|<=|>=|<|>)\\s*$");
    private static final Pattern TABLE = Pattern.compile("(?i)\\b(?:FROM|INTO|UPDATE)\\s+(\\w+)");

    /** A column as the database reports it; {@code parent} is "TABLE.COLUMN" it references, if any. */
    private record Column(String name, int type, int length, String parent) {
    }

    private final Connection c;
    private final Map<String, Map<String, Column>> tables = new HashMap<>();
    private int serial;

    public DaoReplay(Connection c) {
        this.c = c;
    }

    /** Runs the statement; returns null when it ran, else the engine's message. */
    public String run(String sql) throws SQLException {
        Savepoint sp = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, sql);
            if (sql.stripLeading().regionMatches(true, 0, "SELECT", 0, 6)) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        // read every row: some engines report errors only while fetching
                    }
                }
            } else {
                ps.executeUpdate();
            }
            c.releaseSavepoint(sp);
            return null;
        } catch (SQLException e) {
            c.rollback(sp);
            return e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        }
    }

    private void bind(PreparedStatement ps, String sql) throws SQLException {
        Matcher tm = TABLE.matcher(sql);
        Map<String, Column> columns = tm.find() ? columns(tm.group(1)) : Map.of();
        List<String> names = parameterColumns(sql, columns);
        serial++;
        for (int i = 0; i < names.size(); i++) {
            Column col = names.get(i) == null ? null : columns.get(names.get(i).toUpperCase(Locale.ROOT));
            bindOne(ps, i + 1, col);
        }
    }

    /** The column each '?' stands for, in order (null where the SQL does not say). */
    static List<String> parameterColumns(String sql, Map<String, Column> tableColumns) {
        List<String> out = new ArrayList<>();
        Matcher ins = INSERT.matcher(sql);
        if (ins.find()) {
            List<String> cols = ins.group(2) != null
                    ? List.of(ins.group(2).trim().split("\\s*,\\s*"))
                    : new ArrayList<>(tableColumns.keySet());
            String[] values = ins.group(3).split(",");
            for (int i = 0; i < values.length; i++) {
                if (values[i].trim().equals("?")) out.add(i < cols.size() ? cols.get(i) : null);
            }
            return out;
        }
        for (int i = sql.indexOf('?'); i >= 0; i = sql.indexOf('?', i + 1)) {
            Matcher m = COMPARED.matcher(sql.substring(0, i));
            if (m.find()) {
                String name = m.group(1);
                out.add(name.substring(name.lastIndexOf('.') + 1));
            } else {
                out.add(null);
            }
        }
        return out;
    }

    private void bindOne(PreparedStatement ps, int index, Column col) throws SQLException {
        if (col == null) {
            ps.setString(index, "replay" + serial);
            return;
        }
        Object parentValue = col.parent() == null ? null : parentValue(col.parent());
        if (parentValue != null) {
            ps.setObject(index, parentValue);
            return;
        }
        String name = col.name();
        switch (col.type()) {
            case Types.INTEGER, Types.SMALLINT, Types.TINYINT, Types.BIGINT, Types.NUMERIC, Types.DECIMAL -> {
                if (name.contains("TENANT")) ps.setInt(index, -1234);
                else if (name.equals("VALIDITY_PERIOD") || name.equals("EXPIRE_IN")) ps.setLong(index, 3_600_000L);
                else ps.setInt(index, 700_000 + serial);
            }
            case Types.TIMESTAMP, Types.DATE, Types.TIME, Types.TIMESTAMP_WITH_TIMEZONE ->
                    ps.setTimestamp(index, new Timestamp(System.currentTimeMillis()));
            case Types.BLOB, Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY ->
                    ps.setBytes(index, ("replay" + serial).getBytes(StandardCharsets.UTF_8));
            case Types.BOOLEAN, Types.BIT -> ps.setBoolean(index, true);
            default -> ps.setString(index, text(col));
        }
    }

    private String text(Column col) {
        if (col.length() == 1) return "1";
        String value = switch (col.name()) {
            case "TOKEN_STATE", "STATE" -> "ACTIVE";
            case "VALID" -> "true";
            case "OAUTH_VERSION" -> "OAuth-2.0";
            default -> "replay-" + serial + "-" + col.name().toLowerCase(Locale.ROOT);
        };
        return col.length() > 0 && value.length() > col.length() ? value.substring(value.length() - col.length()) : value;
    }

    private Object parentValue(String parent) throws SQLException {
        String table = parent.substring(0, parent.indexOf('.')), column = parent.substring(parent.indexOf('.') + 1);
        Savepoint sp = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(" + column + ") FROM " + table);
             ResultSet rs = ps.executeQuery()) {
            Object value = rs.next() ? rs.getObject(1) : null;
            c.releaseSavepoint(sp);
            return value;
        } catch (SQLException e) {
            c.rollback(sp);
            return null;
        }
    }

    private Map<String, Column> columns(String table) throws SQLException {
        String key = table.toUpperCase(Locale.ROOT);
        Map<String, Column> known = tables.get(key);
        if (known != null) return known;
        Map<String, String> parents = new HashMap<>();
        DatabaseMetaData md = c.getMetaData();
        for (String spelling : new String[] {key, key.toLowerCase(Locale.ROOT)}) {
            try (ResultSet rs = md.getImportedKeys(c.getCatalog(), null, spelling)) {
                while (rs.next()) {
                    parents.put(rs.getString("FKCOLUMN_NAME").toUpperCase(Locale.ROOT),
                            rs.getString("PKTABLE_NAME").toUpperCase(Locale.ROOT) + "."
                                    + rs.getString("PKCOLUMN_NAME").toUpperCase(Locale.ROOT));
                }
            }
        }
        Map<String, Column> out = new LinkedHashMap<>();
        Savepoint sp = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + key + " WHERE 1 = 0");
             ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                String name = meta.getColumnName(i).toUpperCase(Locale.ROOT);
                out.put(name, new Column(name, meta.getColumnType(i), meta.getPrecision(i), parents.get(name)));
            }
            c.releaseSavepoint(sp);
        } catch (SQLException missingTable) {
            c.rollback(sp);
        }
        tables.put(key, out);
        return out;
    }
}
