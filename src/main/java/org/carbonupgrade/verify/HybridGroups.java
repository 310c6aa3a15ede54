package org.carbonupgrade.verify;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.BitSet;

/**
 * UM_HYBRID_USER_ROLE's rows per (tenant, role id, domain id): count and the engine's hash sum of the member names, in
 * flat columns (28 bytes a group). As a list of records with boxed domain ids they took 6 MB of records and 4 MB of
 * Integers at 50,000 tenants, held while the verifier's domain checkpoint counts from them (docs/benchmark.md, peak RSS
 * at 10M hybrid rows). Filled by one reader, then only read (the domain checkpoint and the access check, one at a time
 * or both reading).
 */
final class HybridGroups {
    interface Sink {
        /** @param domainId meaningful only where hasDomain (the row's UM_DOMAIN_ID is not NULL) */
        void accept(int tenant, int roleId, boolean hasDomain, int domainId, long count, long hashSum);
    }

    private int size;
    private int[] tenant = new int[1024];
    private int[] roleId = new int[1024];
    private int[] domainId = new int[1024];
    /** Groups whose UM_DOMAIN_ID is NULL (few: rows not back-filled). */
    private final BitSet noDomain = new BitSet();
    private long[] count = new long[1024];
    private long[] hashSum = new long[1024];

    /** Reads a row of AccessSql.hybridMemberships42 (tenant, role id, domain id, count, hash sum) into {@code sink}. */
    static void read(ResultSet rs, Sink sink) throws SQLException {
        int tenant = rs.getInt(1);
        int role = rs.getInt(2);
        int domain = rs.getInt(3);
        boolean has = !rs.wasNull(); // before reading another column: wasNull reports the last one read
        sink.accept(tenant, role, has, domain, rs.getLong(4), rs.getLong(5));
    }

    /** As {@link #read(ResultSet, Sink)}, from AccessSql.groupedNumbers. */
    static void read(org.carbonupgrade.access.AccessSql.Numbers row, Sink sink) throws SQLException {
        sink.accept((int) row.get(1), (int) row.get(2), !row.isNull(3), (int) row.get(3), row.get(4), row.get(5));
    }

    void add(int t, int role, boolean hasDomain, int domain, long n, long sum) {
        if (size == tenant.length) resize(size + (size >> 1));
        tenant[size] = t;
        roleId[size] = role;
        domainId[size] = domain;
        if (!hasDomain) noDomain.set(size);
        count[size] = n;
        hashSum[size] = sum;
        size++;
    }

    /** Lets go of the growth's slack once read (up to a third of the columns). */
    HybridGroups trim() {
        if (size < tenant.length) resize(size);
        return this;
    }

    private void resize(int capacity) {
        tenant = Arrays.copyOf(tenant, capacity);
        roleId = Arrays.copyOf(roleId, capacity);
        domainId = Arrays.copyOf(domainId, capacity);
        count = Arrays.copyOf(count, capacity);
        hashSum = Arrays.copyOf(hashSum, capacity);
    }

    int size() {
        return size;
    }

    void forEach(Sink sink) {
        for (int i = 0; i < size; i++) sink.accept(tenant[i], roleId[i], !noDomain.get(i), domainId[i], count[i], hashSum[i]);
    }
}
