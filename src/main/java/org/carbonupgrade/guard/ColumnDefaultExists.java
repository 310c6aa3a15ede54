package org.carbonupgrade.guard;

import java.util.Set;

import java.util.Locale;

import org.carbonupgrade.schema.SchemaReader;
import org.carbonupgrade.schema.TableShape;

/** Holds when the column has a default value (on PostgreSQL: the id sequence is already wired in). */
public class ColumnDefaultExists extends CatalogGuard {
    private String column;

    public void setColumn(String column) {
        this.column = column.toUpperCase(Locale.ROOT);
    }

    @Override
    protected boolean holds(TableShape t) {
        TableShape.Column c = t.columns.get(column);
        return c != null && c.defaultValue() != null;
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
        return "no default on " + table + "." + column;
    }
}
