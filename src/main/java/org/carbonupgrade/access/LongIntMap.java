package org.carbonupgrade.access;

import java.util.Arrays;

/**
 * A map from long keys (AccessSql.key: tenant and id in one long) to non-negative ints, in two flat arrays. The access
 * check holds several hundred thousand such entries at 50,000 tenants; as a HashMap&lt;Long, ...&gt; each costs a node,
 * a boxed key and a value object (about 60 bytes), here 12 to 24 bytes (docs/benchmark.md, peak RSS at 10M rows).
 */
public final class LongIntMap {
    /** Returned by {@link #get} for a key that is absent. */
    public static final int ABSENT = -1;

    private long[] keys;
    /** ABSENT marks an empty slot, so every long, 0 included, can be a key. */
    private int[] values;
    private int size;

    public LongIntMap() {
        this(16);
    }

    public LongIntMap(int expected) {
        // The smallest power of two that holds {@code expected} at most 3/4 full.
        int capacity = Integer.highestOneBit(Math.max(16, expected / 3 * 4 + 4) - 1) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(values, ABSENT);
    }

    public int size() {
        return size;
    }

    /** The value of {@code key}, or {@link #ABSENT}. */
    public int get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            if (values[i] == ABSENT) return ABSENT;
            if (keys[i] == key) return values[i];
        }
    }

    public boolean containsKey(long key) {
        return get(key) != ABSENT;
    }

    /** Sets {@code key} to {@code value} (not negative); returns the value it had, or {@link #ABSENT}. */
    public int put(long key, int value) {
        if (value < 0) throw new IllegalArgumentException("LongIntMap holds non-negative values only: " + value);
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            if (values[i] == ABSENT) {
                keys[i] = key;
                values[i] = value;
                if (++size > keys.length * 3 / 4) grow();
                return ABSENT;
            }
            if (keys[i] == key) {
                int before = values[i];
                values[i] = value;
                return before;
            }
        }
    }

    /** The value of {@code key}; absent, {@code value} is put first. */
    public int putIfAbsent(long key, int value) {
        int before = get(key);
        if (before != ABSENT) return before;
        put(key, value);
        return value;
    }

    public interface Entry {
        void accept(long key, int value);
    }

    public void forEach(Entry entry) {
        for (int i = 0; i < keys.length; i++) {
            if (values[i] != ABSENT) entry.accept(keys[i], values[i]);
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(values, ABSENT);
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldValues[j] == ABSENT) continue;
            int i = slot(oldKeys[j], mask);
            while (values[i] != ABSENT) i = (i + 1) & mask;
            keys[i] = oldKeys[j];
            values[i] = oldValues[j];
        }
    }

    /** Mixes all 64 bits (murmur3's finalizer), so keys that differ only in the tenant or only in the id spread alike. */
    private static int slot(long key, int mask) {
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }
}
