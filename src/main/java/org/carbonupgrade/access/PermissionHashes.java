package org.carbonupgrade.access;

/**
 * UM_PERMISSION's rows as the engine's hash of their text ("resource action"), by (tenant, id) as AccessSql.key packs
 * them: read once per side of the access check and joined with the role and user grants in Java. PostgreSQL's hash
 * join of the two tables cost several times the two scans (docs/benchmark.md, the access check's cost). Open
 * addressing over two arrays, as a hundred thousand boxed entries per ten thousand tenants would weigh several times more.
 */
public final class PermissionHashes {
    /** What {@link #get} returns for a permission id that has no UM_PERMISSION row. */
    public static final long ABSENT = Long.MIN_VALUE;

    private long[] keys = new long[1024];
    private int[] hashes = new int[1024];
    private boolean[] used = new boolean[1024];
    private int size;

    void put(long key, int hash) {
        if (2 * (size + 1) > keys.length) grow();
        int i = slot(key, keys.length);
        while (used[i] && keys[i] != key) i = (i + 1) & (keys.length - 1);
        if (!used[i]) size++;
        used[i] = true;
        keys[i] = key;
        hashes[i] = hash;
    }

    /** The text hash of the permission, or {@link #ABSENT}. */
    public long get(long key) {
        int i = slot(key, keys.length);
        while (used[i]) {
            if (keys[i] == key) return hashes[i];
            i = (i + 1) & (keys.length - 1);
        }
        return ABSENT;
    }

    public int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldHashes = hashes;
        boolean[] oldUsed = used;
        keys = new long[oldKeys.length * 2];
        hashes = new int[keys.length];
        used = new boolean[keys.length];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldUsed[i]) put(oldKeys[i], oldHashes[i]);
        }
    }

    private static int slot(long key, int length) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & (length - 1);
    }
}
