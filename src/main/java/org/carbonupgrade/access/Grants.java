package org.carbonupgrade.access;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

/**
 * The grants of one role (or user) in one tenant: how many and an order-independent digest, plus the rows themselves
 * while there are few (then a difference names the exact row). Merging two holders (4.0.x names that 4.2.0 sees as
 * one role) adds them up.
 */
public final class Grants {
    /** Groups up to this size keep their rows; the rest keep count and digest. */
    public static final int WHOLE_UP_TO = 32;

    public long count;
    public long digest;
    /** The rows as "resource action allow|deny", or null when the group was too big to keep them. */
    public Set<String> rows = new TreeSet<>();

    public static String row(String resource, String action, boolean allowed) {
        return resource + " " + action + " " + (allowed ? "allow" : "deny");
    }

    public void add(String row) {
        count++;
        digest += hash(row);
        if (rows != null) {
            rows.add(row);
            if (rows.size() > WHOLE_UP_TO) rows = null;
        }
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

    /** 64-bit FNV-1a with a final avalanche (MurmurHash3 fmix64): cheap, and one changed character changes it. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
