package org.carbonupgrade.staging;

import java.util.List;
import java.util.Set;

/**
 * One Carbon 4.0.0 table taking part in a staging upgrade.
 *
 * @param name        the table's name, upper case, one of the 4.0.0 baseline's tables (so safe to write into SQL)
 * @param keyColumns  the primary key's columns; a table without one uses all its columns but its large objects
 * @param columns     every column, in the catalog's order (4.0.0 form: what the production side hashes)
 * @param lobColumns  the columns among {@code columns} hashed by a digest of their bytes (BLOB, bytea, CLOB, ...)
 * @param primaryKey  whether {@code keyColumns} is a real primary key (false: a key may repeat; see StageBase)
 * @param buckets     buckets the keys are spread over (fixed at stage time; 0 before they are recorded)
 */
public record StagedTable(String name, List<String> keyColumns, List<String> columns, Set<String> lobColumns,
                          boolean primaryKey, int buckets) {

    public StagedTable {
        keyColumns = List.copyOf(keyColumns);
        columns = List.copyOf(columns);
        lobColumns = Set.copyOf(lobColumns);
        RowHashSql.checkName(name);
        keyColumns.forEach(RowHashSql::checkName);
        columns.forEach(RowHashSql::checkName);
    }

    public StagedTable withBuckets(int n) {
        return new StagedTable(name, keyColumns, columns, lobColumns, primaryKey, n);
    }

    /** This table's row hash over {@code columns} (see RowHashSql.rowHash). */
    public String rowHash(org.carbonupgrade.Engine engine) {
        return RowHashSql.rowHash(engine, columns, lobColumns);
    }

    public String keyText(org.carbonupgrade.Engine engine) {
        return RowHashSql.keyText(engine, keyColumns);
    }

    public String bucket(org.carbonupgrade.Engine engine) {
        return RowHashSql.bucket(engine, keyColumns, buckets);
    }
}
