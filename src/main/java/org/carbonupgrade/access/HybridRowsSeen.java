package org.carbonupgrade.access;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the access snapshot's passes over UM_HYBRID_USER_ROLE saw that the gate's data precheck asks about
 * (gate/DataPrecheck): every row whose member name has a '/' (the same {@code LIKE '%/%'} as the precheck's own pass),
 * and how many rows each tenant id without a UM_TENANT row holds (the super tenant aside). The gate that took the
 * snapshot beside its own reads hands these to the precheck, so that the table's millions of rows are read once for
 * both instead of twice at the same time (docs/benchmark.md). Not stored.
 */
public final class HybridRowsSeen {
    /** A row of UM_HYBRID_USER_ROLE as 4.0.x stored it. */
    public record Row(int tenant, int roleId, String name) {
    }

    private final List<Row> prefixed;
    private final Map<Integer, Long> rowsOfUnknownTenants;

    private HybridRowsSeen(List<Row> prefixed, Map<Integer, Long> rowsOfUnknownTenants) {
        this.prefixed = Collections.unmodifiableList(prefixed);
        this.rowsOfUnknownTenants = Collections.unmodifiableMap(rowsOfUnknownTenants);
    }

    /** From the snapshot's membership reads and the tenant ids it read from UM_TENANT (the super tenant's among them). */
    static HybridRowsSeen of(MembershipReads m, Set<Integer> tenants) {
        List<Row> prefixed = new ArrayList<>();
        for (MembershipReads.Single s : m.singles) {
            // The singles are the prefixed members and the anonymous user; only the first are the precheck's.
            if (s.user() != null && s.user().indexOf('/') >= 0) prefixed.add(new Row(s.tenant(), s.roleId(), s.user()));
        }
        Map<Integer, Long> unknown = new TreeMap<>();
        MembershipReads.Groups g = m.hybrid;
        for (int i = 0; i < g.size; i++) {
            if (!tenants.contains(g.tenant[i])) unknown.merge(g.tenant[i], g.count[i], Long::sum);
        }
        return new HybridRowsSeen(prefixed, unknown);
    }

    /** The rows whose member name has a '/', in the order read. */
    public List<Row> prefixed() {
        return prefixed;
    }

    /** Rows per tenant id that has no UM_TENANT row (never the super tenant's). */
    public Map<Integer, Long> rowsOfUnknownTenants() {
        return rowsOfUnknownTenants;
    }
}
