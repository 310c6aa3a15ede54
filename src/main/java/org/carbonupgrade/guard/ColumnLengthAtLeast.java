package org.carbonupgrade.guard;

import java.util.Set;

import java.util.Locale;

import org.carbonupgrade.schema.SchemaReader;
import org.carbonupgrade.schema.TableShape;

/** Holds when the character column is already at least this long (widening it again would be a no-op at best). */
public class ColumnLengthAtLeast extends CatalogGuard {
    private String column;
    private int length;

    public void setColumn(String column) {
        this.column = column.toUpperCase(Locale.ROOT);
    }

    public void setLength(String length) {
        this.length = Integer.parseInt(length.trim());
    }

    @Override
    protected boolean holds(TableShape t) {
        TableShape.Column c = t.columns.get(column);
        return c != null && c.length() != null && c.length() >= length;
    }

    @Override
    protected Set<SchemaReader.Part> reads() {
        return Set.of(SchemaReader.Part.COLUMNS);
    }

    @Override
    protected boolean holdsOnFreshSource() {
        return false;
    }

    @Override
    protected String describe() {
        return table + "." + column + " is shorter than " + length;
    }
}
