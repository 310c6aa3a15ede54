package org.carbonupgrade.access;

import java.util.Set;
import java.util.TreeSet;

/**
 * The grants of one role (or user) in one tenant: how many and an order-independent digest (the sum of each row's
 * {@link #rowHash}, AccessSql.sumGrants), plus the rows themselves while there are few (then a difference
 * names the exact row). Merging two holders (4.0.x names that 4.2.0 sees as one role) adds them up.
 */
public final class Grants {
    /** Groups up to this size keep their rows; the rest keep count and digest. */
    public static final int WHOLE_UP_TO = 32;

    public long count;
    public long digest;
    /** The rows as "resource action allow|deny", or null when the group was too big to keep them. */
    public Set<String> rows = new TreeSet<>();

    public Grants() {
    }

    /** A group counted and digested by AccessSql.sumGrants; its rows, if it keeps them, are added later. */
    public Grants(long count, long digest) {
        this.count = count;
        this.digest = digest;
        if (count > WHOLE_UP_TO) rows = null;
    }

    public static String row(String resource, String action, boolean allowed) {
        return resource + " " + action + " " + (allowed ? "allow" : "deny");
    }

    /**
     * A grant row's share of its group's digest: the engine's hash of the permission's text (AccessSql.permissionHashes)
     * and the verdict, mixed (MurmurHash3's 64-bit finalizer) so that no two rows' shares cancel out in the sum, as
     * swapping the verdicts of two permissions would with a plain sum. Both sides of the check compute it here.
     */
    public static long rowHash(int permissionText, boolean allowed) {
        long h = (permissionText & 0xffffffffL) | (allowed ? 1L << 32 : 2L << 32);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    public void merge(Grants other) {
        count += other.count;
        digest += other.digest;
        if (rows != null && other.rows != null) rows.addAll(other.rows);
        else rows = null;
    }

    public boolean sameAs(Grants other) {
        return other != null && count == other.count && digest == other.digest;
    }
}
