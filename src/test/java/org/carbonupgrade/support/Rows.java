package org.carbonupgrade.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.carbonupgrade.Engine;
import org.carbonupgrade.schema.SchemaReader;

/** Every row of every table, as sorted text: two dumps are equal exactly when the data is. */
public final class Rows {
    private Rows() {
    }

    /** Table (upper case) to its rows; each row lists only the given table's columns in {@code columns}, or all. */
    public static Map<String, List<String>> dump(Connection c, Map<String, List<String>> columns) throws SQLException {
        Map<String, String> names = new SchemaReader(c).tableNames();
        Map<String, List<String>> out = new TreeMap<>();
        Engine engine = Engine.of(c);
        for (Map.Entry<String, String> t : names.entrySet()) {
            if (columns != null && !columns.containsKey(t.getKey())) continue;
            List<String> rows = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + engine.quote(t.getValue()))) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        String col = md.getColumnLabel(i).toUpperCase(Locale.ROOT);
                        if (columns != null && !columns.get(t.getKey()).contains(col)) continue;
                        Object v = rs.getObject(i);
                        if (v instanceof byte[] b) v = HexFormat.of().formatHex(b);
                        if (v instanceof java.sql.Blob b) v = HexFormat.of().formatHex(b.getBytes(1, (int) b.length()));
                        if (v instanceof java.sql.Clob text) v = text.getSubString(1, (int) text.length());
                        if (v instanceof Boolean bool) v = bool ? 1 : 0;
                        row.append(col).append('=').append(v).append(';');
                    }
                    rows.add(row.toString());
                }
            }
            rows.sort(null);
            out.put(t.getKey(), rows);
        }
        return out;
    }

    /** The columns each table has now, for a later dump limited to them. */
    public static Map<String, List<String>> columns(Connection c) throws SQLException {
        SchemaReader reader = new SchemaReader(c);
        Map<String, List<String>> out = new TreeMap<>();
        for (Map.Entry<String, String> t : reader.tableNames().entrySet()) {
            out.put(t.getKey(), new ArrayList<>(reader.readTable(t.getValue()).columns.keySet()));
        }
        return out;
    }

    public static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
