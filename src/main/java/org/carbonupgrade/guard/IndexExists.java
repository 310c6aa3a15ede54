package org.carbonupgrade.guard;

import java.util.Locale;
import java.util.Set;

import org.carbonupgrade.schema.SchemaReader;
import org.carbonupgrade.schema.TableShape;

/**
 * Holds when the table has this (non-unique) index. Offline it is assumed to hold, because the SQL for review
 * also lists the step that created it: the upgrade's own temporary indexes are created and dropped again.
 */
public class IndexExists extends CatalogGuard {
    private String index;

    public void setIndex(String index) {
        this.index = index.toUpperCase(Locale.ROOT);
    }

    @Override
    protected boolean holds(TableShape t) {
        return t.indexes.containsKey(index);
    }

    @Override
    protected Set<SchemaReader.Part> reads() {
        return Set.of(SchemaReader.Part.KEYS);
    }

    @Override
    protected boolean holdsOnFreshSource() {
        return true;
    }

    @Override
    protected String describe() {
        return "no index " + index + " on " + table;
    }
}
