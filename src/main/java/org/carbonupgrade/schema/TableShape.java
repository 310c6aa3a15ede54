package org.carbonupgrade.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The comparable facts about one table: the same shape whether read from the reference or from a database. */
public final class TableShape {
    public final String name;
    public final Map<String, Column> columns = new LinkedHashMap<>();
    public List<String> primaryKey = List.of();
    public final List<List<String>> uniqueKeys = new ArrayList<>();
    public final List<ForeignKey> foreignKeys = new ArrayList<>();
    /** Declared non-unique indexes: name to column list. */
    public final Map<String, List<String>> indexes = new LinkedHashMap<>();
    /** Non-unique indexes the engine created by itself (for foreign keys): column lists only. */
    public final List<List<String>> implicitIndexes = new ArrayList<>();

    public TableShape(String name) {
        this.name = name;
    }

    /** family: integer, smallint, bigint, varchar, char, boolean, timestamp, blob, clob, number, ... */
    public record Column(String name, String family, Integer length, boolean nullable, String defaultValue,
                         boolean autoIncrement) {
    }

    public record ForeignKey(List<String> columns, String refTable, List<String> refColumns, String onDelete) {
        @Override
        public String toString() {
            return columns + " -> " + refTable + refColumns + " on delete " + onDelete;
        }
    }

    /** Every fact on one line each, for exact before/after comparison and reports. */
    public String describe() {
        StringBuilder b = new StringBuilder(name).append('\n');
        columns.values().forEach(c -> b.append("  column ").append(c).append('\n'));
        b.append("  primary key ").append(primaryKey).append('\n');
        uniqueKeys.forEach(u -> b.append("  unique ").append(u).append('\n'));
        foreignKeys.forEach(f -> b.append("  foreign key ").append(f).append('\n'));
        indexes.forEach((n, cols) -> b.append("  index ").append(n).append(' ').append(cols).append('\n'));
        return b.toString();
    }
}
