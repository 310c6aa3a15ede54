package org.carbonupgrade.access;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.carbonupgrade.Engine;

/**
 * The snapshot's membership reads (UM_USER_ROLE and UM_HYBRID_USER_ROLE grouped, the members compared one by one), by
 * ids only: they need nothing the grant reads give, so the gate runs them on a connection of their own beside the
 * grant reads (the two halves took about the same time: docs/benchmark.md, cost of the access check), and
 * AccessSnapshot names their roles once both halves are in.
 */
final class MembershipReads {
    /** The anonymous user's primary-store memberships per (tenant, role id): count and id hash sum. */
    final Map<Long, long[]> anonymous = new HashMap<>();
    /** UM_USER_ROLE per (tenant, role id): count and id hash sum. */
    final Groups store = new Groups();
    final AccessSql.Total userRoleTotal = new AccessSql.Total();
    /** The hybrid members the rename map must see one by one (AccessSql.hybridSingles40). */
    final List<Single> singles = new ArrayList<>();
    /** UM_HYBRID_USER_ROLE per (tenant, role id): count and name hash sum. */
    final Groups hybrid = new Groups();
    long storeMillis;
    long hybridMillis;

    long hybridRows() {
        long n = 0;
        for (int i = 0; i < hybrid.size; i++) n += hybrid.count[i];
        return n;
    }

    record Single(int tenant, int roleId, String user, long hash, long hashAfterSlash) {
    }

    /** Groups of (tenant, role id, count, hash sum) in flat columns: 350,000 of them at 50,000 tenants. */
    static final class Groups {
        int size;
        int[] tenant = new int[1024];
        int[] role = new int[1024];
        long[] count = new long[1024];
        long[] sum = new long[1024];

        void add(int t, int r, long n, long s) {
            if (size == tenant.length) {
                int grown = size + (size >> 1);
                tenant = Arrays.copyOf(tenant, grown);
                role = Arrays.copyOf(role, grown);
                count = Arrays.copyOf(count, grown);
                sum = Arrays.copyOf(sum, grown);
            }
            tenant[size] = t;
            role[size] = r;
            count[size] = n;
            sum[size] = s;
            size++;
        }
    }

    /**
     * Reads them on {@code c}. {@code snapshot}: a PostgreSQL snapshot exported by the connection that reads the rest
     * (pg_export_snapshot), imported here so both halves read the very same database state; null to read as {@code c} is.
     */
    static MembershipReads read(Connection c, String snapshot) throws SQLException {
        return read(c, snapshot, true, true);
    }

    /**
     * As {@link #read(Connection, String)}, only UM_USER_ROLE's reads ({@code store}) or only UM_HYBRID_USER_ROLE's
     * ({@code hybrid}) or both: the two halves on connections of their own overlap (AccessSnapshot.takeWhole), and
     * {@link #with} puts them together.
     */
    static MembershipReads read(Connection c, String snapshot, boolean store, boolean hybrid) throws SQLException {
        boolean auto = c.getAutoCommit();
        try {
            if (snapshot != null) importSnapshot(c, snapshot);
            AccessSql sql = new AccessSql(c);
            MembershipReads m = new MembershipReads();
            if (store) m.readStore(sql);
            if (hybrid) m.readHybrid(sql);
            return m;
        } finally {
            if (auto != c.getAutoCommit()) {
                c.rollback(); // read only; ends the transaction of the imported snapshot
                c.setAutoCommit(auto);
            }
        }
    }

    private void readStore(AccessSql sql) throws SQLException {
        long start = System.nanoTime();
        // The anonymous user's memberships one by one, the rest of each role summed (AccessSnapshot.takeWhole).
        sql.anonymousStoreMemberships(rs -> {
            long[] a = anonymous.computeIfAbsent(AccessSql.key(rs.getInt(1), rs.getInt(2)), k -> new long[2]);
            a[0]++;
            a[1] += rs.getLong(4);
        });
        sql.groupedNumbers(sql.storeMemberships(), 4, rs -> {
            int tenant = (int) rs.get(1);
            int role = (int) rs.get(2);
            userRoleTotal.add(rs.get(3), AccessSql.groupWeight(tenant, role) * rs.get(4));
            store.add(tenant, role, rs.get(3), rs.get(4));
        });
        storeMillis = (System.nanoTime() - start) / 1_000_000;
    }

    private void readHybrid(AccessSql sql) throws SQLException {
        long start = System.nanoTime();
        sql.grouped(sql.hybridSingles40(), rs -> singles.add(new Single(rs.getInt(1), rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getLong(5))));
        sql.groupedNumbers(sql.hybridMemberships40(), 4, rs -> hybrid.add((int) rs.get(1), (int) rs.get(2), rs.get(3), rs.get(4)));
        hybridMillis = (System.nanoTime() - start) / 1_000_000;
    }

    /** These UM_USER_ROLE reads with {@code h}'s UM_HYBRID_USER_ROLE reads (each read by {@link #read(Connection, String, boolean, boolean)}). */
    MembershipReads with(MembershipReads h) {
        singles.addAll(h.singles);
        hybrid.size = h.hybrid.size;
        hybrid.tenant = h.hybrid.tenant;
        hybrid.role = h.hybrid.role;
        hybrid.count = h.hybrid.count;
        hybrid.sum = h.hybrid.sum;
        hybridMillis = h.hybridMillis;
        return this;
    }

    /**
     * Starts a read-only transaction on {@code c} (PostgreSQL, auto-commit on) and exports its snapshot, for
     * {@link #read} on another connection: the caller reads the rest in this transaction and ends it after both.
     */
    static String exportSnapshot(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            jitOff(c, s);
            try (java.sql.ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static void importSnapshot(Connection c, String snapshot) throws SQLException {
        // The server's own identifier ("00000003-0000001B-1"), checked before it goes into SQL, which takes no parameter here.
        if (!snapshot.matches("[0-9A-Fa-f-]+") || Engine.of(c) != Engine.POSTGRESQL) {
            throw new SQLException("Unexpected snapshot identifier from pg_export_snapshot(): " + snapshot);
        }
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            s.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
            jitOff(c, s);
        }
    }

    /** Single passes over large tables, where compiling the plan (JIT, PostgreSQL 11 and later) takes longer than it saves, as on the gate's own connection (UpgradeGate). */
    private static void jitOff(Connection c, Statement s) throws SQLException {
        if (c.getMetaData().getDatabaseMajorVersion() >= 11) s.execute("SET LOCAL jit = off");
    }
}
