package org.carbonupgrade.access;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names by (tenant, id), as of UM_ROLE, UM_HYBRID_ROLE or UM_DOMAIN: each distinct name held once (tenants repeat
 * the same few), an entry a long and an int (see LongIntMap). Also answers whether a tenant has a name at all.
 */
public final class IdNames {
    private final LongIntMap byId = new LongIntMap();
    /** (tenant, name number) of every entry, for {@link #has}; made on its first call (the verifier never asks). */
    private LongIntMap byName;
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> numbers = new HashMap<>();

    /** Adds the name of (tenant, id); a null name is kept as null. */
    public void put(int tenant, int id, String name) {
        byId.put(AccessSql.key(tenant, id), number(name));
        byName = null;
    }

    /** The name of (tenant, id), or null where there is none. */
    public String get(int tenant, int id) {
        int n = byId.get(AccessSql.key(tenant, id));
        return n == LongIntMap.ABSENT ? null : names.get(n);
    }

    /** Whether the tenant has an entry of this name (under any id). */
    public boolean has(int tenant, String name) {
        Integer n = numbers.get(name);
        if (n == null) return false;
        if (byName == null) {
            LongIntMap made = new LongIntMap(byId.size());
            byId.forEach((key, number) -> made.put(AccessSql.key(AccessSql.tenantOf(key), number), 0));
            byName = made;
        }
        return byName.containsKey(AccessSql.key(tenant, n));
    }

    public int size() {
        return byId.size();
    }

    private int number(String name) {
        Integer n = numbers.get(name);
        if (n != null) return n;
        numbers.put(name, names.size());
        names.add(name);
        return names.size() - 1;
    }
}
