package org.carbonupgrade.access;

import java.util.Set;
import java.util.TreeSet;

/**
 * The grants of one role (or user) in one tenant: how many and an order-independent digest (the sum of the engine's
 * hash of each row's text, AccessSql.sumGrants), plus the rows themselves while there are few (then a difference
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
