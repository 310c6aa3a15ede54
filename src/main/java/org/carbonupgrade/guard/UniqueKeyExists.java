package org.carbonupgrade.guard;

import java.util.Set;

import org.carbonupgrade.schema.SchemaReader;
import org.carbonupgrade.schema.TableShape;

/** Holds when the table has a unique constraint or unique index on exactly these columns, in this order. */
public class UniqueKeyExists extends CatalogGuard {
    /** Whether a plain 4.0.0 schema has this key; set true for the old keys the upgrade replaces. */
    private boolean inSource;

    public void setInSource(String inSource) {
        this.inSource = Boolean.parseBoolean(inSource);
    }

    @Override
    protected boolean holds(TableShape t) {
        return t.uniqueKeys.contains(columns);
    }

    @Override
    protected Set<SchemaReader.Part> reads() {
        return Set.of(SchemaReader.Part.KEYS);
    }

    @Override
    protected boolean holdsOnFreshSource() {
        return inSource;
    }

    @Override
    protected String describe() {
        return "no unique key on " + table + columns;
    }
}
