package org.carbonupgrade.staging;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One Carbon 4.0.0 table taking part in a staging upgrade.
 *
 * @param name        the table's name, upper case, one of the 4.0.0 baseline's tables (so safe to write into SQL)
 * @param keyColumns  the primary key's columns; a table without one uses all its columns but its large objects
 * @param columns     every column, in the catalog's order (4.0.0 form: what the production side hashes)
 * @param lobColumns  the columns among {@code columns} hashed by a digest of their bytes (BLOB, bytea, CLOB, ...)
 * @param primaryKey  whether {@code keyColumns} is a real primary key (false: a key may repeat; see StageBase)
 * @param buckets     buckets the keys are spread over (fixed at stage time; 0 before they are recorded)
 * @param bucketWidth 0: a key's bucket is a hash of its key text; above 0: the key's first column (a 32-bit integer)
 *                    divided by this width, so a bucket is a range of ids the primary key's index reads directly
 *                    (RowHashSql.rangeBucket; fixed at stage time, docs/staging.md "Buckets")
 * @param bareColumns MySQL/MariaDB: the columns that the database being hashed declares NOT NULL with a number or
 *                    date-time type (RowHashSql.bareColumns): their text needs no NULL test, character set conversion
 *                    or escaping, and the SQL leaves those out. The fingerprints are the same either way (not part of
 *                    the recorded base; empty: every column in the full form)
 */
public record StagedTable(String name, List<String> keyColumns, List<String> columns, Set<String> lobColumns,
                          boolean primaryKey, int buckets, long bucketWidth, Set<String> bareColumns) {

    public StagedTable {
        keyColumns = List.copyOf(keyColumns);
        columns = List.copyOf(columns);
        lobColumns = Set.copyOf(lobColumns);
        bareColumns = Set.copyOf(bareColumns);
        RowHashSql.checkName(name);
        keyColumns.forEach(RowHashSql::checkName);
        columns.forEach(RowHashSql::checkName);
        if (bucketWidth < 0) throw new IllegalArgumentException("bucket width must not be negative: " + bucketWidth);
        if (bucketWidth > 0 && !primaryKey) throw new IllegalArgumentException(name + ": id-range buckets need a primary key");
    }

    public StagedTable(String name, List<String> keyColumns, List<String> columns, Set<String> lobColumns, boolean primaryKey, int buckets,
            long bucketWidth) {
        this(name, keyColumns, columns, lobColumns, primaryKey, buckets, bucketWidth, Set.of());
    }

    /** The same table hashed with these columns in the bare form (they must be NOT NULL numbers or date-times where it runs). */
    public StagedTable withBare(Set<String> bare) {
        return new StagedTable(name, keyColumns, columns, lobColumns, primaryKey, buckets, bucketWidth, bare);
    }

    /** Hash buckets (the form before id ranges, and of every table whose key does not start with an integer). */
    public StagedTable(String name, List<String> keyColumns, List<String> columns, Set<String> lobColumns, boolean primaryKey, int buckets) {
        this(name, keyColumns, columns, lobColumns, primaryKey, buckets, 0);
    }

    public StagedTable withBuckets(int n) {
        return new StagedTable(name, keyColumns, columns, lobColumns, primaryKey, n, bucketWidth, bareColumns);
    }

    public StagedTable withBuckets(int n, long width) {
        return new StagedTable(name, keyColumns, columns, lobColumns, primaryKey, n, width, bareColumns);
    }

    /** This table's row hash over {@code columns} (see RowHashSql.rowHash). */
    public String rowHash(org.carbonupgrade.Engine engine) {
        return RowHashSql.rowHash(engine, columns, lobColumns, bareColumns);
    }

    public String keyText(org.carbonupgrade.Engine engine) {
        return RowHashSql.keyText(engine, keyColumns, bareColumns);
    }

    public String bucket(org.carbonupgrade.Engine engine) {
        return bucketWidth > 0 ? RowHashSql.rangeBucket(engine, keyColumns.get(0), bucketWidth) : RowHashSql.bucket(engine, keyColumns, buckets);
    }

    /** Whether a bucket is a range of the first key column ({@link #bucketRanges} can select it by the primary key's index). */
    public boolean rangeBuckets() {
        return bucketWidth > 0;
    }

    /**
     * For id-range buckets: a condition on the first key column that holds for every row of these buckets (adjacent
     * buckets merged into one BETWEEN), so the primary key's index finds them; callers keep the exact bucket test too.
     * The ranges are those of truncating integer division (RowHashSql.rangeBucket): bucket b > 0 holds ids b*w to
     * b*w + w - 1, bucket 0 holds -(w - 1) to w - 1, bucket b < 0 holds b*w - (w - 1) to b*w.
     */
    public String bucketRanges(Set<Integer> buckets) {
        if (bucketWidth <= 0) throw new IllegalStateException(name + " has hash buckets");
        if (buckets.isEmpty()) return "1 = 0";
        List<long[]> ranges = new ArrayList<>();
        for (int b : new TreeSet<>(buckets)) {
            long[] r = range(b, bucketWidth);
            long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
            if (last != null && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
            else ranges.add(r);
        }
        String column = keyColumns.get(0);
        return "(" + ranges.stream().map(r -> r[0] == r[1] ? column + " = " + r[0] : column + " BETWEEN " + r[0] + " AND " + r[1])
                .collect(Collectors.joining(" OR ")) + ")";
    }

    /** The ids bucket {@code b} holds under truncating division by {@code w}: {lowest, highest}. */
    static long[] range(long b, long w) {
        if (b > 0) return new long[] {b * w, b * w + w - 1};
        if (b == 0) return new long[] {-(w - 1), w - 1};
        return new long[] {b * w - (w - 1), b * w};
    }
}
