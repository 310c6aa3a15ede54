package org.carbonupgrade.guard;

import java.util.Set;

import java.util.Locale;

import org.carbonupgrade.schema.SchemaReader;
import org.carbonupgrade.schema.TableShape;

/** Holds when the table has a foreign key on exactly these columns to the given table. */
public class ForeignKeyExists extends CatalogGuard {
    private String refTable;

    public void setRefTable(String refTable) {
        this.refTable = refTable.toUpperCase(Locale.ROOT);
    }

    @Override
    protected boolean holds(TableShape t) {
        return t.foreignKeys.stream().anyMatch(fk -> fk.columns().equals(columns) && fk.refTable().equals(refTable));
    }

    @Override
    protected Set<SchemaReader.Part> reads() {
        return Set.of(SchemaReader.Part.FOREIGN_KEYS);
    }

    @Override
    protected boolean holdsOnFreshSource() {
        return false;
    }

    @Override
    protected String describe() {
        return "no foreign key " + table + columns + " -> " + refTable;
    }
}
