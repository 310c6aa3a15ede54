package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.carbonupgrade.Engine;
import org.carbonupgrade.rehearsal.Baseline;
import org.carbonupgrade.schema.SchemaReader;
import org.carbonupgrade.schema.TableShape;

/**
 * Which tables take part in a staging upgrade and how: the Carbon 4.0.0 baseline's tables (and Identity Server's
 * with {@code is}) that the database has, parents before children (a copy inserts in this order and a delete
 * runs in the reverse), each with its key and columns from the catalog.
 */
public final class StagedTables {
    private static final Pattern CREATE_TABLE = Pattern.compile("(?im)^\\s*CREATE\\s+TABLE\\s+[\"`\\[]?([A-Za-z0-9_]+)");

    private StagedTables() {
    }

    /** The 4.0.0 baseline's table names for this engine and product, upper case, in the scripts' order. */
    public static List<String> baselineNames(Engine engine, boolean identityServer) {
        List<String> names = new ArrayList<>();
        for (String script : identityServer ? List.of("carbon", "identity") : List.of("carbon")) {
            Matcher m = CREATE_TABLE.matcher(Baseline.script("/baseline/" + script + "-" + engine.profile() + ".sql"));
            while (m.find()) names.add(m.group(1).toUpperCase(Locale.ROOT));
        }
        return names;
    }

    /**
     * The staged tables of a database holding the 4.0.0 schema (staging before the upgrade, or production), in
     * foreign-key-safe order. Buckets are 0: the stage fixes them when it records the base.
     */
    public static List<StagedTable> of(Connection connection, Engine engine, boolean identityServer) throws SQLException {
        SchemaReader reader = new SchemaReader(connection);
        Map<String, String> present = reader.tableNames();
        Map<String, TableShape> shapes = new LinkedHashMap<>();
        for (String name : baselineNames(engine, identityServer)) {
            if (present.containsKey(name)) shapes.put(name, reader.readTable(present.get(name)));
        }
        List<StagedTable> tables = new ArrayList<>();
        for (String name : parentsFirst(shapes)) tables.add(describe(shapes.get(name)));
        return tables;
    }

    /** The columns of one table as the catalog has them now, for hashing: all columns, and which are large objects. */
    public static StagedTable describe(TableShape shape) {
        List<String> columns = new ArrayList<>(shape.columns.keySet());
        Set<String> lobs = new LinkedHashSet<>();
        shape.columns.values().forEach(c -> {
            if (isLob(c.family())) lobs.add(c.name());
        });
        boolean primaryKey = !shape.primaryKey.isEmpty();
        // Without a primary key the whole row is the key; a large object cannot be part of a key's text.
        List<String> key = primaryKey ? shape.primaryKey : columns.stream().filter(c -> !lobs.contains(c)).toList();
        return new StagedTable(shape.name, key, columns, lobs, primaryKey, 0);
    }

    /** The catalog's column list of a table now (4.2.0 form after the upgrade), for the staging-side hash. */
    public static StagedTable describe(Connection connection, String table) throws SQLException {
        SchemaReader reader = new SchemaReader(connection);
        String actual = reader.tableNames().get(RowHashSql.checkName(table).toUpperCase(Locale.ROOT));
        if (actual == null) throw new SQLException("Table " + table + " does not exist");
        return describe(reader.readTable(actual));
    }

    static boolean isLob(String family) {
        return family.equals("blob") || family.equals("clob");
    }

    /** Kahn's order over the foreign keys among these tables, ties kept in the baseline scripts' order. */
    static List<String> parentsFirst(Map<String, TableShape> shapes) {
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        for (TableShape t : shapes.values()) {
            Set<String> p = new LinkedHashSet<>();
            for (TableShape.ForeignKey fk : t.foreignKeys) {
                if (shapes.containsKey(fk.refTable()) && !fk.refTable().equals(t.name)) p.add(fk.refTable());
            }
            parents.put(t.name, p);
        }
        List<String> order = new ArrayList<>();
        while (order.size() < shapes.size()) {
            String next = parents.entrySet().stream().filter(e -> !order.contains(e.getKey()) && order.containsAll(e.getValue()))
                    .map(Map.Entry::getKey).findFirst()
                    .orElseThrow(() -> new IllegalStateException("Foreign keys form a cycle among " + Arrays.toString(
                            parents.keySet().stream().filter(n -> !order.contains(n)).toArray())));
            order.add(next);
        }
        return order;
    }
}
