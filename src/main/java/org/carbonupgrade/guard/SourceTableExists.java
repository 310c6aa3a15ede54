package org.carbonupgrade.guard;

import java.util.Set;

import org.carbonupgrade.schema.SchemaReader;
import org.carbonupgrade.schema.TableShape;

/**
 * Holds when a table of the Carbon 4.0.x schema is still there: an earlier hand-run attempt (WSO2's API Manager
 * 1.4.0 -> 1.5.0 scripts for MySQL and H2 end with DROP TABLE IF EXISTS UM_CLAIM_BEHAVIOR) may have dropped it.
 * Offline, a plain 4.0.0 schema is assumed, which has it.
 */
public class SourceTableExists extends CatalogGuard {
    @Override
    protected boolean holds(TableShape t) {
        return true;
    }

    /** Existence alone: the table was found by name. */
    @Override
    protected Set<SchemaReader.Part> reads() {
        return Set.of();
    }

    @Override
    protected boolean holdsOnFreshSource() {
        return true;
    }

    @Override
    protected String describe() {
        return table + " does not exist (nothing to do)";
    }
}
