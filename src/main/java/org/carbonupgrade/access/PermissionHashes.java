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
    /**
     * Marks an empty slot (a key AccessSql.key makes only for tenant 0x80000000 / SPREAD and id 0; that one is kept
     * aside). No third array of flags, and up to 3/4 full: at 50,000 tenants (550,000 permissions) the table took 27 MB
     * with a flag array at most half full, 12 MB now (docs/benchmark.md, peak RSS at 10M rows).
     */
    private static final long EMPTY = Long.MIN_VALUE;

    private long[] keys = new long[1024];
    private int[] hashes = new int[1024];
    private int size;
    private boolean emptyKeyPresent;
    private int emptyKeyHash;

    public PermissionHashes() {
        java.util.Arrays.fill(keys, EMPTY);
    }

    void put(long key, int hash) {
        if (key == EMPTY) {
            if (!emptyKeyPresent) size++;
            emptyKeyPresent = true;
            emptyKeyHash = hash;
            return;
        }
        if (4L * (size + 1) > 3L * keys.length) grow();
        int i = slot(key, keys.length);
        while (keys[i] != EMPTY && keys[i] != key) i = (i + 1) & (keys.length - 1);
        if (keys[i] == EMPTY) size++;
        keys[i] = key;
        hashes[i] = hash;
    }

    /** The text hash of the permission, or {@link #ABSENT}. */
    public long get(long key) {
        if (key == EMPTY) return emptyKeyPresent ? emptyKeyHash : ABSENT;
        int i = slot(key, keys.length);
        while (keys[i] != EMPTY) {
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
        keys = new long[oldKeys.length * 2];
        java.util.Arrays.fill(keys, EMPTY);
        hashes = new int[keys.length];
        size = emptyKeyPresent ? 1 : 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) put(oldKeys[i], oldHashes[i]);
        }
    }

    private static int slot(long key, int length) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & (length - 1);
    }
}
