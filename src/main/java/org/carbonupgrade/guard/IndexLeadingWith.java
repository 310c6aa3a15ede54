package org.carbonupgrade.guard;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.carbonupgrade.schema.SchemaReader;
import org.carbonupgrade.schema.TableShape;

/**
 * Holds when an index of the table (primary, unique or not) begins with exactly these columns: one a MySQL/MariaDB foreign
 * key on them would use rather than create its own. Offline it is assumed absent, as in a 4.0.0 schema.
 */
public class IndexLeadingWith extends CatalogGuard {
    @Override
    protected boolean holds(TableShape t) {
        List<List<String>> all = new ArrayList<>(t.indexes.values());
        all.addAll(t.uniqueKeys);
        all.add(t.primaryKey);
        return all.stream().anyMatch(cols -> cols.size() >= columns.size() && cols.subList(0, columns.size()).equals(columns));
    }

    @Override
    protected Set<SchemaReader.Part> reads() {
        return Set.of(SchemaReader.Part.KEYS);
    }

    @Override
    protected boolean holdsOnFreshSource() {
        return false;
    }

    @Override
    protected String describe() {
        return "no index on " + table + columns;
    }
}
