package org.carbonupgrade.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.carbonupgrade.access.AccessSql;
import org.carbonupgrade.access.LongIntMap;

/**
 * The access check's groups, one per tenant and label (a role, or a role and a user domain), each a row of a few long
 * columns and one object reference in flat arrays. At 50,000 tenants the check compares about 350,000 groups per kind;
 * as HashMap entries with a key record and a value object each cost about 120 to 200 bytes, here 50 to 70
 * (docs/benchmark.md, peak RSS at 10M rows). Labels are held once however many tenants share them.
 */
final class TenantGroups<L> {
    private final LongIntMap rows;
    private final Map<L, Integer> labelNumbers = new HashMap<>();
    private final List<L> labels = new ArrayList<>();
    private int[] tenants;
    private int[] labelOf;
    private final long[][] columns;
    private Object[] refs;
    private int size;

    /** @param expected about how many groups there will be (the arrays grow past it) */
    TenantGroups(int columnCount, int expected) {
        int capacity = Math.max(16, expected);
        rows = new LongIntMap(capacity);
        tenants = new int[capacity];
        labelOf = new int[capacity];
        columns = new long[columnCount][capacity];
        refs = new Object[capacity];
    }

    /** The row of (tenant, label), added (all columns 0, no reference) where there is none yet. */
    int row(int tenant, L label) {
        Integer n = labelNumbers.get(label);
        if (n == null) {
            n = labels.size();
            labelNumbers.put(label, n);
            labels.add(label);
        }
        long key = AccessSql.key(tenant, n);
        int row = rows.get(key);
        if (row != LongIntMap.ABSENT) return row;
        if (size == tenants.length) grow();
        rows.put(key, size);
        tenants[size] = tenant;
        labelOf[size] = n;
        return size++;
    }

    /** The row of (tenant, label), or LongIntMap.ABSENT. */
    int find(int tenant, L label) {
        Integer n = labelNumbers.get(label);
        return n == null ? LongIntMap.ABSENT : rows.get(AccessSql.key(tenant, n));
    }

    int size() {
        return size;
    }

    int tenant(int row) {
        return tenants[row];
    }

    L label(int row) {
        return labels.get(labelOf[row]);
    }

    long get(int row, int column) {
        return columns[column][row];
    }

    void add(int row, int column, long value) {
        columns[column][row] += value;
    }

    void set(int row, int column, long value) {
        columns[column][row] = value;
    }

    Object ref(int row) {
        return refs[row];
    }

    void setRef(int row, Object value) {
        refs[row] = value;
    }

    private void grow() {
        int capacity = tenants.length * 2;
        tenants = Arrays.copyOf(tenants, capacity);
        labelOf = Arrays.copyOf(labelOf, capacity);
        for (int c = 0; c < columns.length; c++) columns[c] = Arrays.copyOf(columns[c], capacity);
        refs = Arrays.copyOf(refs, capacity);
    }
}
