package org.carbonupgrade.access;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import org.carbonupgrade.Engine;

/**
 * The reads both sides of the access check share: one streaming pass per table, grouped by the engine where the
 * rows are many (memberships), so a million users cost a few grouped scans rather than a million rows in Java.
 * A member's name enters a group as the engine's own hash of it, summed: order-independent, and one changed,
 * missing or extra member changes the sum and the count. The snapshot and the check run on the same engine,
 * so the same hash function serves both.
 */
public final class AccessSql {
    public static final String ANONYMOUS_USER_LITERAL = "'" + RealmNames.ANONYMOUS_USER + "'";

    private final Connection c;
    private final Engine engine;

    public AccessSql(Connection c) throws SQLException {
        this.c = c;
        this.engine = Engine.of(c);
    }

    public Engine engine() {
        return engine;
    }

    /**
     * A 32-bit hash of a name that the engine can sum without overflow. On PostgreSQL the INTEGER itself: SUM of an
     * INTEGER keeps a BIGINT per group, SUM of a BIGINT a 128-bit state allocated per group, which pushed the grouping of
     * 40,000 (tenant, role) groups past work_mem onto disk (EXPLAIN ANALYZE, docs/benchmark.md).
     */
    public String hash(String column) {
        return switch (engine) {
            case POSTGRESQL -> "hashtext(" + column + ")";
            case MYSQL -> "CAST(CRC32(" + column + ") AS SIGNED)";
            case H2, ORACLE -> "ORA_HASH(" + column + ")";
            case MSSQL -> "CAST(CAST(HASHBYTES('MD5', " + column + ") AS INT) AS BIGINT)";
        };
    }

    /** The part of a name after its first '/', as 4.2.0's UserCoreUtil.removeDomainFromName keeps it. */
    public String afterSlash(String column) {
        return switch (engine) {
            case H2, POSTGRESQL, MYSQL -> "SUBSTRING(" + column + " FROM POSITION('/' IN " + column + ") + 1)";
            case MSSQL -> "SUBSTRING(" + column + ", CHARINDEX('/', " + column + ") + 1, LEN(" + column + "))";
            case ORACLE -> "SUBSTR(" + column + ", INSTR(" + column + ", '/') + 1)";
        };
    }

    public interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    /**
     * Runs a read-only query and hands each row over as it arrives: PostgreSQL streams only inside a transaction
     * with a fetch size, MySQL Connector/J only with Integer.MIN_VALUE; the others honour the fetch size.
     */
    public void stream(String sql, Row row) throws SQLException {
        boolean auto = c.getAutoCommit();
        if (engine == Engine.POSTGRESQL && auto) c.setAutoCommit(false);
        try (Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            s.setFetchSize(engine == Engine.MYSQL ? Integer.MIN_VALUE : FETCH);
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) row.accept(rs);
            }
        } finally {
            if (auto != c.getAutoCommit()) {
                c.rollback(); // nothing was written; ends the read transaction opened for streaming
                c.setAutoCommit(auto);
            }
        }
    }

    /**
     * Rows per batch of {@link #stream}. Each batch's rows are live together until the next batch is fetched (PostgreSQL's
     * driver: a Tuple, an array and a byte[] per column of each row, about 180 bytes a grant row): 10,000 rows made up to
     * 2 MB per stream, which the catch-up pass's serial collector found live in its 3 MB survivor space beside the other
     * reads and promoted to the old generation, where it filled it to full collections (-Xlog:gc*, docs/benchmark.md).
     * A thousand rows cost a round trip each on a local server, a few ms in all.
     */
    static final int FETCH = 1_000;

    /**
     * Runs a grouped query whose result is small (a row per tenant and role) in one piece: PostgreSQL plans a
     * parallel scan only for a query read to the end at once, not for a cursor fetched in batches.
     */
    public void grouped(String sql, Row row) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) row.accept(rs);
        }
    }

    /** A row of whole numbers (INTEGER or BIGINT columns, NULL allowed), columns numbered from 1 as in JDBC. */
    public interface Numbers {
        long get(int column) throws SQLException;

        boolean isNull(int column) throws SQLException;
    }

    public interface NumbersRow {
        void accept(Numbers row) throws SQLException;
    }

    /**
     * As {@link #grouped}, for a query of {@code columns} whole-number columns. On PostgreSQL its rows come as one row of
     * one array per column (array_agg over the query, whose own plan, parallel scan included, stays as it is), parsed
     * here from the driver's bytes: read as rows, the 40,000 groups of UM_USER_ROLE at 10,000 tenants were 160,000 small
     * objects (about 6 MB) live at once, which the pass's serial collector copied and promoted to the old generation,
     * beside the other reads, on its way to full collections (-Xlog:gc*, docs/benchmark.md). The rows come in the
     * query's own order: every array_agg of one query level takes the rows in the same order.
     */
    public void groupedNumbers(String sql, int columns, NumbersRow row) throws SQLException {
        if (engine != Engine.POSTGRESQL) {
            grouped(sql, rs -> row.accept(new Numbers() {
                @Override
                public long get(int column) throws SQLException {
                    return rs.getLong(column);
                }

                @Override
                public boolean isNull(int column) throws SQLException {
                    return rs.getObject(column) == null;
                }
            }));
            return;
        }
        StringBuilder q = new StringBuilder("SELECT ");
        StringBuilder names = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
            q.append(i > 1 ? ", " : "").append("array_agg(g.c").append(i).append(')');
            names.append(i > 1 ? ", " : "").append('c').append(i);
        }
        q.append(" FROM (").append(sql).append(") g(").append(names).append(')');
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(q.toString())) {
            if (!rs.next()) return;
            NumberArrays arrays = new NumberArrays(columns);
            for (int i = 0; i < columns; i++) arrays.text[i] = rs.getBytes(i + 1); // the driver's own bytes, no copy
            if (arrays.text[0] == null) return; // no rows: array_agg of nothing is NULL
            while (arrays.next()) row.accept(arrays);
        }
    }

    /** PostgreSQL's text form of int and bigint arrays ("{1,-2,NULL}"), read one element of each column per row. */
    static final class NumberArrays implements Numbers {
        final byte[][] text;
        private final int[] at;
        private final long[] value;
        private final boolean[] isNull;

        NumberArrays(int columns) {
            text = new byte[columns][];
            at = new int[columns];
            value = new long[columns];
            isNull = new boolean[columns];
            java.util.Arrays.fill(at, 1); // after '{'
        }

        /** Reads the next element of every column; false at the end. */
        boolean next() throws SQLException {
            for (int i = 0; i < text.length; i++) {
                byte[] t = text[i];
                int p = at[i];
                if (p == 1 && (t.length < 2 || t[0] != '{')) throw new SQLException("Not an array's text: " + new String(t, java.nio.charset.StandardCharsets.UTF_8));
                if (p >= t.length) {
                    if (i == 0) return false;
                    throw new SQLException("array_agg columns of different lengths");
                }
                if (t[p] == 'N') { // NULL
                    isNull[i] = true;
                    value[i] = 0;
                    p += 4;
                } else {
                    boolean negative = t[p] == '-';
                    if (negative) p++;
                    long v = 0;
                    while (t[p] >= '0' && t[p] <= '9') v = v * 10 + (t[p++] - '0');
                    isNull[i] = false;
                    value[i] = negative ? -v : v;
                }
                at[i] = p + 1; // past ',' or '}'
            }
            return true;
        }

        @Override
        public long get(int column) {
            return value[column - 1];
        }

        @Override
        public boolean isNull(int column) {
            return isNull[column - 1];
        }
    }

    /**
     * Role names per (tenant, id) of UM_ROLE or UM_HYBRID_ROLE, one instance per distinct name (tenants repeat them).
     * Streamed: read in one piece, PostgreSQL's driver holds every row at once (UM_ROLE has 200,000 at 50,000 bench tenants).
     */
    public IdNames roleNames(String table) throws SQLException {
        return roleNames(table, null);
    }

    /** As {@link #roleNames(String)}; adds the table's {@link Total} (the hash of each row's tenant, id and name) to {@code total} when not null. */
    public IdNames roleNames(String table, Total total) throws SQLException {
        IdNames names = new IdNames();
        stream("SELECT r.UM_TENANT_ID, r.UM_ID, r.UM_ROLE_NAME" + (total == null ? "" : ", " + roleRowHash("r")) + " FROM " + table + " r", rs -> {
            names.put(rs.getInt(1), rs.getInt(2), rs.getString(3));
            if (total != null) total.add(1, rs.getLong(4));
        });
        return names;
    }

    /**
     * A table's row count and the sum of a hash of each row's every column the access check reads: the gate records it
     * for the tables the upgrade never writes (UM_USER_ROLE, UM_ROLE), and the verifier compares it with the table now
     * before it groups the table again (verify/AccessEquivalence). Summed from the groups the gate reads anyway.
     */
    public static final class Total {
        public long rows;
        public long hashSum;

        public void add(long n, long sum) {
            rows += n;
            hashSum += sum;
        }

        public boolean same(Total other) {
            return other != null && rows == other.rows && hashSum == other.hashSum;
        }

        @Override
        public String toString() {
            return rows + " rows, hash sum " + hashSum;
        }
    }

    /**
     * One ungrouped pass: {@code table}'s {@link Total} now, the row hash being {@code rowHash} over alias {@code alias}.
     * The sum is taken modulo 2^64 (its low 64 bits), as Java's long arithmetic sums the gate's side.
     */
    public Total total(String table, String alias, String rowHash) throws SQLException {
        Total t = new Total();
        grouped("SELECT COUNT(*), SUM(" + rowHash + ") FROM " + table + " " + alias, rs -> {
            java.math.BigDecimal sum = rs.getBigDecimal(2);
            t.add(rs.getLong(1), sum == null ? 0 : sum.toBigInteger().longValue());
        });
        return t;
    }

    /**
     * UM_USER_ROLE's {@link Total} now: each row's member hash ({@link #storeMemberships}'s) times its group's
     * {@link #groupWeight}, so that the gate gets the same sum from its groups alone (weight times group sum) without
     * hashing any row twice, and the sum still changes when a member moves to another role or two members swap roles
     * (a plain sum of the member hashes would not).
     */
    public Total userRoleTotal() throws SQLException {
        String bigint = engine == Engine.MYSQL ? " AS SIGNED)" : " AS BIGINT)";
        String weight = "(" + mod(mod("CAST(ur.UM_TENANT_ID" + bigint + " * 2654435761 + ur.UM_ROLE_ID") + " + 2147483647") + " + 1)";
        return total("UM_USER_ROLE", "ur", "CAST(" + idHashSql("ur.UM_USER_ID") + bigint + " * " + weight);
    }

    /**
     * A (tenant, role) group's weight in {@link #userRoleTotal}: the same number here and in the SQL there, in
     * [1, 2^31), so a member hash (below 2^32) times it stays below 2^63.
     */
    public static long groupWeight(int tenant, int role) {
        long x = (tenant * 2654435761L + role) % 2147483647L;
        return (x + 2147483647L) % 2147483647L + 1;
    }

    /** UM_ROLE's {@link Total} now: the hash of each row's tenant, id and name, as roleNames("UM_ROLE", total) sums it. */
    public Total roleTotal() throws SQLException {
        return total("UM_ROLE", "r", roleRowHash("r"));
    }

    /**
     * (tenant, id) as one long for hash maps. Long.hashCode is high ^ low 32 bits, and 4.0.x numbers ids per tenant
     * (small ids in every tenant), so the plain pair collided (40,004 UM_DOMAIN rows of 10,000 tenants gave 2,854 hash
     * values, and the maps degraded into trees): the tenant is multiplied by an odd constant, which {@link #tenantOf}
     * undoes; the id stays in the low 32 bits.
     */
    public static long key(int tenant, int id) {
        return ((long) (tenant * SPREAD) << 32) | (id & 0xffffffffL);
    }

    public static int tenantOf(long key) {
        return (int) (key >>> 32) * UNSPREAD;
    }

    private static final int SPREAD = 0x9E3779B1;
    /** SPREAD's inverse modulo 2^32. */
    private static final int UNSPREAD = 0x0E8B2F51;

    /**
     * Role grants joined with their permission, as 4.0.x and 4.2.0 JDBCAuthorizationManager read them for the
     * permission tree (authorization DBConstants GET_EXISTING_ROLE_PERMISSIONS in both versions; 4.2.0 adds
     * UM_DOMAIN). Columns: tenant, role name, resource, action, allowed[, domain name].
     */
    public static String roleGrants(boolean withDomain) {
        return "SELECT rp.UM_TENANT_ID, rp.UM_ROLE_NAME, p.UM_RESOURCE_ID, p.UM_ACTION, rp.UM_IS_ALLOWED"
                + (withDomain ? ", d.UM_DOMAIN_NAME" : "")
                + " FROM UM_ROLE_PERMISSION rp JOIN UM_PERMISSION p ON p.UM_ID = rp.UM_PERMISSION_ID AND p.UM_TENANT_ID = rp.UM_TENANT_ID"
                + (withDomain ? " LEFT JOIN UM_DOMAIN d ON d.UM_DOMAIN_ID = rp.UM_DOMAIN_ID AND d.UM_TENANT_ID = rp.UM_TENANT_ID" : "");
    }

    /** User grants (GET_EXISTING_USER_PERMISSIONS, the same in 4.0.x and 4.2.0). Columns: tenant, user, resource, action, allowed. */
    public static final String USER_GRANTS = "SELECT up.UM_TENANT_ID, up.UM_USER_NAME, p.UM_RESOURCE_ID, p.UM_ACTION, up.UM_IS_ALLOWED"
            + " FROM UM_USER_PERMISSION up JOIN UM_PERMISSION p ON p.UM_ID = up.UM_PERMISSION_ID AND p.UM_TENANT_ID = up.UM_TENANT_ID";

    /**
     * Role grants one row each, for {@link #sumGrants}: the permission by id (joined in Java with {@link #permissionHashes},
     * as {@link #roleGrants} joins it) and UM_DOMAIN's id (its few rows are matched in Java too).
     * Columns: tenant, role name, permission id, allowed[, domain id].
     */
    public static String roleGrantRows(boolean withDomain) {
        return "SELECT rp.UM_TENANT_ID, rp.UM_ROLE_NAME, rp.UM_PERMISSION_ID, rp.UM_IS_ALLOWED" + (withDomain ? ", rp.UM_DOMAIN_ID" : "")
                + " FROM UM_ROLE_PERMISSION rp";
    }

    /** User grants one row each, as {@link #roleGrantRows}. Columns: tenant, user, permission id, allowed. */
    public static final String USER_GRANT_ROWS = "SELECT up.UM_TENANT_ID, up.UM_USER_NAME, up.UM_PERMISSION_ID, up.UM_IS_ALLOWED"
            + " FROM UM_USER_PERMISSION up";

    /**
     * Every UM_PERMISSION row's hash of its text ("resource action", as {@link Grants#row} writes it before the verdict),
     * by (tenant, id). Read once and joined in Java: on PostgreSQL at 10,000 tenants the engine's hash join of
     * UM_ROLE_PERMISSION (190,000 rows) with UM_PERMISSION (110,000) took 190-330 ms where each scan alone took about
     * 20-50 ms (it spilled to a second batch; docs/benchmark.md).
     */
    public PermissionHashes permissionHashes() throws SQLException {
        PermissionHashes hashes = new PermissionHashes();
        // Both columns are NOT NULL in 4.0.x and 4.2.0; COALESCE keeps a NULL from dropping the row out of the sum anyway.
        String[] parts = {"COALESCE(p.UM_RESOURCE_ID, '')", "' '", "COALESCE(p.UM_ACTION, '')"};
        String text = switch (engine) {
            case MYSQL, MSSQL -> "CONCAT(" + String.join(", ", parts) + ")";
            case H2, POSTGRESQL, ORACLE -> "(" + String.join(" || ", parts) + ")";
        };
        stream("SELECT p.UM_TENANT_ID, p.UM_ID, " + hash(text) + " FROM UM_PERMISSION p",
                rs -> hashes.put(key(rs.getInt(1), rs.getInt(2)), (int) rs.getLong(3)));
        return hashes;
    }

    public interface GrantGroup {
        /** @param domainId the rows' UM_DOMAIN_ID, null where they have none (or the query has no such column) */
        void accept(int tenant, String name, Integer domainId, long count, long digest) throws SQLException;

        /** How many groups {@link #accept} gets next, told once before the first: a list of them can be sized once. */
        default void groups(int count) {
        }
    }

    /**
     * Counts and digests (sums {@link Grants#rowHash} of) the grant rows of {@code sql} ({@link #roleGrantRows} or
     * {@link #USER_GRANT_ROWS}) per (tenant, name[, domain id]) and hands each group over: the engine hashes each
     * permission's text once ({@code permissions}), so what reaches Java is a name and three numbers per row. A row
     * whose permission has no UM_PERMISSION row is left out, as the join 4.0.x and 4.2.0 read grants through leaves it
     * out. Grouping here is cheaper than the engine's: PostgreSQL's hash aggregate over 70,000 (tenant, role name) groups
     * spilled to disk and took twice as long as the plain join (EXPLAIN ANALYZE at 10,000 tenants, docs/benchmark.md).
     */
    public void sumGrants(String sql, boolean withDomain, PermissionHashes permissions, GrantGroup out) throws SQLException {
        sumGrants(sql, withDomain, permissions, 0, out);
    }

    /** As above; {@code expected}: about how many groups there will be (0: unknown), to size the groups' tables once. */
    public void sumGrants(String sql, boolean withDomain, PermissionHashes permissions, int expected, GrantGroup out) throws SQLException {
        sumGrants(sql, withDomain, new PendingHashes() {
            @Override
            public PermissionHashes now() {
                return permissions;
            }

            @Override
            public PermissionHashes await() {
                return permissions;
            }
        }, expected, out);
    }

    /** UM_PERMISSION's hashes, possibly still being read on another connection (the verifier's access check). */
    public interface PendingHashes {
        /** The hashes if they are read, else null at once. */
        PermissionHashes now() throws SQLException;

        /** The hashes, waiting for them. */
        PermissionHashes await() throws SQLException;
    }

    /**
     * As above, with the hashes possibly still being read: the rows that arrive before them are kept (three longs each)
     * and summed once they are there, in the order they came, so the groups and their order are the same. The verifier's
     * access check waited 1.3 s for the hashes read beside and then read the role grants 2.0 s (a catch-up bench pass,
     * load 11, docs/benchmark.md): now both reads run at once.
     */
    public void sumGrants(String sql, boolean withDomain, PendingHashes pending, GrantGroup out) throws SQLException {
        sumGrants(sql, withDomain, pending, 0, out);
    }

    /**
     * As above; {@code expected}: about how many groups there will be (0: unknown). The groups' tables are sized for them
     * once: grown by doubling from 1,024, the 70,000 groups of 10,000 bench tenants left a dozen discarded copies behind,
     * the larger ones promoted to the old generation before they were let go (-Xlog:gc*, docs/benchmark.md).
     */
    public void sumGrants(String sql, boolean withDomain, PendingHashes pending, int expected, GrantGroup out) throws SQLException {
        Map<String, Integer> nameIds = new HashMap<>();
        java.util.List<String> names = new java.util.ArrayList<>();
        // PostgreSQL: a name's id by the driver's bytes of it, which are the row's own (getBytes copies nothing), so no
        // String is decoded per row (190,000 role grant rows at 10,000 bench tenants share a few names); a name's first
        // bytes are decoded by getString as before and numbered by that String, so the groups are exactly the same.
        NameBytes byBytes = engine == Engine.POSTGRESQL ? new NameBytes() : null;
        LongIntMap first = new LongIntMap(expected); // (tenant, name id) -> its first group in sums
        GrantSums sums = new GrantSums(expected + (expected >> 3));
        PermissionHashes[] permissions = {pending.now()};
        GrantRows early = new GrantRows();
        stream(sql, rs -> {
            int tenant = rs.getInt(1);
            int permission = rs.getInt(3);
            boolean allowed = rs.getInt(4) != 0;
            byte[] bytes = byBytes == null ? null : rs.getBytes(2);
            int known = bytes == null ? LongIntMap.ABSENT : byBytes.get(bytes);
            long domain = GrantSums.NO_DOMAIN;
            if (withDomain) {
                int d = rs.getInt(5);
                if (!rs.wasNull()) domain = d;
            }
            int id = known;
            if (id == LongIntMap.ABSENT) {
                String name = rs.getString(2);
                Integer numbered = nameIds.get(name);
                if (numbered == null) {
                    numbered = names.size();
                    nameIds.put(name, numbered);
                    names.add(name);
                }
                id = numbered;
                if (bytes != null && byBytes.size < NameBytes.MOST) byBytes.put(bytes, id);
            }
            if (permissions[0] == null && (permissions[0] = pending.now()) == null) {
                early.add(tenant, id, permission, allowed, domain);
                return;
            }
            if (early.size > 0) early.drain(permissions[0], first, sums);
            sum(permissions[0], first, sums, tenant, id, permission, allowed, domain);
        });
        if (permissions[0] == null) permissions[0] = pending.await();
        early.drain(permissions[0], first, sums);
        // UM_DOMAIN_ID is numbered across tenants (beyond Integer's cache) and each tenant's few domains recur in all its
        // groups: boxed once in a small cache, not once per group (69,500 groups at 10,000 bench tenants).
        Integer[] boxes = new Integer[64];
        out.groups(sums.size);
        for (int i = 0; i < sums.size; i++) {
            Integer domainId = null;
            if (sums.domain[i] != GrantSums.NO_DOMAIN) {
                int d = (int) sums.domain[i];
                int at = d & (boxes.length - 1);
                if (boxes[at] == null || boxes[at] != d) boxes[at] = d;
                domainId = boxes[at];
            }
            out.accept(sums.tenant[i], names.get(sums.name[i]), domainId, sums.count[i], sums.digest[i]);
        }
    }

    /** Adds one grant row to its (tenant, name, domain) group; a row whose permission has no UM_PERMISSION row is left out. */
    private static void sum(PermissionHashes permissions, LongIntMap first, GrantSums sums, int tenant, int name, int permission,
                            boolean allowed, long domain) {
        long text = permissions.get(key(tenant, permission));
        if (text == PermissionHashes.ABSENT) return;
        long hash = Grants.rowHash((int) text, allowed);
        long group = key(tenant, name);
        int head = first.get(group);
        int at = head;
        while (at != LongIntMap.ABSENT && sums.domain[at] != domain) at = sums.next[at];
        if (at == LongIntMap.ABSENT) {
            at = sums.add(tenant, name, domain, head);
            first.put(group, at);
        }
        sums.count[at]++;
        sums.digest[at] += hash;
    }

    /**
     * Grant rows read before the permission hashes were there, in the order read: three longs a row in one array
     * ((tenant, name id) as {@link #key} packs them, the domain, the permission id and the verdict).
     */
    private static final class GrantRows {
        int size;
        long[] rows = new long[0];

        void add(int tenant, int name, int permission, boolean allowed, long domain) {
            if (3 * size == rows.length) rows = java.util.Arrays.copyOf(rows, 3 * Math.max(1024, size + (size >> 1)));
            rows[3 * size] = key(tenant, name);
            rows[3 * size + 1] = domain;
            rows[3 * size + 2] = ((long) permission << 1) | (allowed ? 1 : 0);
            size++;
        }

        /** Sums the kept rows and lets go of them. */
        void drain(PermissionHashes permissions, LongIntMap first, GrantSums sums) {
            for (int i = 0; i < size; i++) {
                long group = rows[3 * i];
                long verdict = rows[3 * i + 2];
                sum(permissions, first, sums, tenantOf(group), (int) group, (int) (verdict >> 1), (verdict & 1) != 0, rows[3 * i + 1]);
            }
            size = 0;
            rows = new long[0];
        }
    }

    /**
     * The (tenant, name, domain) groups of {@link #sumGrants} in flat columns, the groups of one (tenant, name) chained
     * by domain: 350,000 groups at 50,000 tenants, which as a HashMap of boxed keys and a value object each took about
     * twice the memory while the gate's membership reads run beside (docs/benchmark.md, peak RSS at 10M rows).
     */
    private static final class GrantSums {
        /** The domain of rows that have none (UM_DOMAIN_ID NULL, or a query without the column). */
        static final long NO_DOMAIN = Long.MIN_VALUE;
        int size;
        int[] tenant;
        int[] name;
        long[] domain;
        int[] next;
        long[] count;
        long[] digest;

        GrantSums(int capacity) {
            capacity = Math.max(1024, capacity);
            tenant = new int[capacity];
            name = new int[capacity];
            domain = new long[capacity];
            next = new int[capacity];
            count = new long[capacity];
            digest = new long[capacity];
        }

        int add(int t, int n, long d, int chained) {
            if (size == tenant.length) {
                int grown = size + (size >> 1);
                tenant = java.util.Arrays.copyOf(tenant, grown);
                name = java.util.Arrays.copyOf(name, grown);
                domain = java.util.Arrays.copyOf(domain, grown);
                next = java.util.Arrays.copyOf(next, grown);
                count = java.util.Arrays.copyOf(count, grown);
                digest = java.util.Arrays.copyOf(digest, grown);
            }
            tenant[size] = t;
            name[size] = n;
            domain[size] = d;
            next[size] = chained;
            return size++;
        }
    }

    /**
     * Names' ids by their bytes as PostgreSQL's driver holds them (UTF-8), for {@link #sumGrants}: open addressing over a
     * handful of distinct names (grant rows repeat the same few role and user names in every tenant).
     */
    private static final class NameBytes {
        /** Names beyond these are decoded per row as before: a database whose every tenant names its roles apart holds no second copy of them all. */
        static final int MOST = 4096;
        private byte[][] keys = new byte[16][];
        private int[] ids = new int[16];
        private int size;

        int get(byte[] key) {
            int mask = keys.length - 1;
            for (int i = java.util.Arrays.hashCode(key) & mask; keys[i] != null; i = (i + 1) & mask) {
                if (java.util.Arrays.equals(keys[i], key)) return ids[i];
            }
            return LongIntMap.ABSENT;
        }

        void put(byte[] key, int id) {
            if (2 * (size + 1) > keys.length) {
                byte[][] oldKeys = keys;
                int[] oldIds = ids;
                keys = new byte[oldKeys.length * 2][];
                ids = new int[keys.length];
                size = 0;
                for (int i = 0; i < oldKeys.length; i++) {
                    if (oldKeys[i] != null) put(oldKeys[i], oldIds[i]);
                }
            }
            int mask = keys.length - 1;
            int i = java.util.Arrays.hashCode(key) & mask;
            while (keys[i] != null) i = (i + 1) & mask;
            keys[i] = key;
            ids[i] = id;
            size++;
        }
    }

    /** Stands in {@link #forTenants}'s SQL for a list of tenant ids (bound as parameters). */
    public static final String TENANT_LIST = "(#tenants#)";

    /**
     * Runs {@code sql} for the given tenants, a few hundred at a time bound as parameters wherever the SQL says
     * {@link #TENANT_LIST}, handing each row to {@code row}.
     */
    public void forTenants(String sql, java.util.Collection<Integer> tenants, Row row) throws SQLException {
        java.util.List<Integer> all = new java.util.ArrayList<>(tenants);
        int lists = sql.split(java.util.regex.Pattern.quote(TENANT_LIST), -1).length - 1;
        for (int from = 0; from < all.size(); from += 500) {
            java.util.List<Integer> some = all.subList(from, Math.min(all.size(), from + 500));
            String marks = "(" + String.join(", ", java.util.Collections.nCopies(some.size(), "?")) + ")";
            try (java.sql.PreparedStatement ps = c.prepareStatement(sql.replace(TENANT_LIST, marks))) {
                for (int l = 0; l < lists; l++) {
                    for (int i = 0; i < some.size(); i++) ps.setInt(l * some.size() + i + 1, some.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) row.accept(rs);
                }
            }
        }
    }

    /**
     * Spreads a user id over 32 bits. PostgreSQL: its own integer hash, an INTEGER to sum (see {@link #hash}; twice as
     * fast as the BIGINT arithmetic below on UM_USER_ROLE at 10,000 tenants); elsewhere multiplicative hashing.
     */
    private String idHashSql(String column) {
        if (engine == Engine.POSTGRESQL) return "hashint4(" + column + ")";
        String product = "CAST(" + column + (engine == Engine.MYSQL ? " AS SIGNED)" : " AS BIGINT)") + " * 2654435761";
        return engine == Engine.MSSQL ? "(" + product + ") % 4294967291" : "MOD(" + product + ", 4294967291)";
    }

    /**
     * A UM_ROLE row's hash from its tenant, id and name, each mixed into the hash of the ones before, so that the sum
     * over the table (a {@link Total}) changes when two roles swap names, not only when one is renamed, added or dropped.
     */
    private String roleRowHash(String alias) {
        String name = hash("COALESCE(" + alias + ".UM_ROLE_NAME, '')");
        if (engine == Engine.POSTGRESQL) return "hashint4(" + name + " # hashint4(" + alias + ".UM_ID # hashint4(" + alias + ".UM_TENANT_ID)))";
        return chain(alias + ".UM_TENANT_ID", alias + ".UM_ID", name);
    }

    /**
     * Multiplicative hashing of integer terms, each folded into the hash of the ones before: every term is first brought
     * into [0, 2^31) and every product stays below 2^63, as MySQL refuses a BIGINT overflow.
     */
    private String chain(String... terms) {
        String h = null;
        for (String term : terms) {
            String t = mod("CAST(" + term + (engine == Engine.MYSQL ? " AS SIGNED)" : " AS BIGINT)") + " + 2147483648");
            h = mod((h == null ? t : xor(t, h)) + " * 2654435761");
        }
        return h;
    }

    /** x modulo 2^31 - 1, typed BIGINT: H2 gives MOD its divisor's type, and an INTEGER result overflows when added to. */
    private String mod(String x) {
        return switch (engine) {
            case MSSQL -> "((" + x + ") % 2147483647)";
            case H2 -> "MOD(" + x + ", CAST(2147483647 AS BIGINT))";
            default -> "MOD(" + x + ", 2147483647)";
        };
    }

    private String xor(String a, String b) {
        return switch (engine) {
            case MYSQL, MSSQL -> "(" + a + " ^ " + b + ")";
            case H2 -> "BITXOR(CAST(" + a + " AS BIGINT), CAST(" + b + " AS BIGINT))";
            case ORACLE -> "(" + a + " + " + b + " - 2 * BITAND(" + a + ", " + b + "))";
            case POSTGRESQL -> "(" + a + " # " + b + ")";
        };
    }

    /**
     * Primary-store memberships per (tenant, role): UM_USER_ROLE alone, members by user id (the upgrade never
     * touches UM_USER, whose rows the row-count checkpoint guards), role names joined from the small UM_ROLE as
     * JDBCRealmConstants GET_USER_ROLE_SQL joins them (the same in 4.0.x and 4.2.0). Joining the million UM_USER rows
     * for names would cost several times more; role names come from roleNames("UM_ROLE"). Columns: tenant, role id, count,
     * id hash sum.
     */
    public String storeMemberships() {
        return "SELECT ur.UM_TENANT_ID, ur.UM_ROLE_ID, COUNT(*), SUM(" + idHashSql("ur.UM_USER_ID") + ")"
                + " FROM UM_USER_ROLE ur GROUP BY ur.UM_TENANT_ID, ur.UM_ROLE_ID";
    }

    /**
     * The anonymous user's primary-store memberships (it moves to the system store): tenant, role id, user id and the
     * user id's hash (as {@link #storeMemberships} sums it) of each, handed to {@code row}. The anonymous users (one per tenant) are found through UM_USER's name index; on
     * PostgreSQL their rows are then read through UM_USER_ROLE's index on the user id, because its planner joins the
     * two by scanning all of UM_USER_ROLE (0.3 s at 2M rows against a few ms); elsewhere one join does it.
     */
    public void anonymousStoreMemberships(Row row) throws SQLException {
        if (engine != Engine.POSTGRESQL) {
            grouped("SELECT ur.UM_TENANT_ID, ur.UM_ROLE_ID, ur.UM_USER_ID, " + idHashSql("ur.UM_USER_ID") + " FROM UM_USER u"
                    + " JOIN UM_USER_ROLE ur ON ur.UM_USER_ID = u.UM_ID AND ur.UM_TENANT_ID = u.UM_TENANT_ID"
                    + " WHERE u.UM_USER_NAME = " + ANONYMOUS_USER_LITERAL, row);
            return;
        }
        java.util.Set<Long> anonymous = new java.util.HashSet<>();
        grouped("SELECT UM_TENANT_ID, UM_ID FROM UM_USER WHERE UM_USER_NAME = " + ANONYMOUS_USER_LITERAL,
                rs -> anonymous.add(key(rs.getInt(1), rs.getInt(2))));
        if (anonymous.isEmpty()) return;
        Integer[] ids = anonymous.stream().map(k -> (int) k.longValue()).distinct().toArray(Integer[]::new);
        try (java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT ur.UM_TENANT_ID, ur.UM_ROLE_ID, ur.UM_USER_ID, " + idHashSql("ur.UM_USER_ID") + " FROM UM_USER_ROLE ur WHERE ur.UM_USER_ID = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("integer", ids));
            try (ResultSet rs = ps.executeQuery()) {
                // A user id is unique per tenant only: keep the rows of the tenant's own anonymous user.
                while (rs.next()) {
                    if (anonymous.contains(key(rs.getInt(1), rs.getInt(3)))) row.accept(rs);
                }
            }
        }
    }

    /**
     * 4.0.x hybrid memberships per (tenant, role id), every member's name hashed and summed. Grouping by plain integer
     * columns keeps MariaDB to one scan (grouping by a text expression made it eight times slower). Columns: tenant,
     * role id, count, hash sum.
     */
    public String hybridMemberships40() {
        return "SELECT h.UM_TENANT_ID, h.UM_ROLE_ID, COUNT(*), SUM(" + hash("h.UM_USER_NAME") + ")"
                + " FROM UM_HYBRID_USER_ROLE h GROUP BY h.UM_TENANT_ID, h.UM_ROLE_ID";
    }

    /**
     * The 4.0.x hybrid members the rename map must see one by one: names with a '/' (a user-store prefix) and the
     * anonymous user, with the hash of the whole name and of the part after the prefix, because only the map decides
     * which of the two 4.2.0 stores. Columns: tenant, role id, name, hash, hash after the prefix.
     */
    public String hybridSingles40() {
        return "SELECT h.UM_TENANT_ID, h.UM_ROLE_ID, h.UM_USER_NAME, " + hash("h.UM_USER_NAME") + ", "
                + hash(afterSlash("h.UM_USER_NAME")) + " FROM UM_HYBRID_USER_ROLE h"
                + " WHERE h.UM_USER_NAME LIKE '%/%' OR h.UM_USER_NAME = " + ANONYMOUS_USER_LITERAL;
    }

    /** 4.2.0 hybrid memberships per (tenant, role id, domain id). Columns: tenant, role id, domain id, count, hash sum. */
    public String hybridMemberships42() {
        return "SELECT h.UM_TENANT_ID, h.UM_ROLE_ID, h.UM_DOMAIN_ID, COUNT(*), SUM(" + hash("h.UM_USER_NAME") + ")"
                + " FROM UM_HYBRID_USER_ROLE h GROUP BY h.UM_TENANT_ID, h.UM_ROLE_ID, h.UM_DOMAIN_ID";
    }

    /** 4.2.0 system-store memberships (SystemJDBCConstants GET_ROLE_LIST_OF_USER_SQL). Columns: tenant, role name, anonymous user or NULL, count, hash sum. */
    public String systemMemberships42() {
        String anonymous = "CASE WHEN s.UM_USER_NAME = " + ANONYMOUS_USER_LITERAL + " THEN s.UM_USER_NAME END";
        return "SELECT s.UM_TENANT_ID, r.UM_ROLE_NAME, " + anonymous + ", COUNT(*), SUM(" + hash("s.UM_USER_NAME") + ")"
                + " FROM UM_SYSTEM_USER_ROLE s JOIN UM_SYSTEM_ROLE r ON r.UM_ID = s.UM_ROLE_ID AND r.UM_TENANT_ID = s.UM_TENANT_ID"
                + " GROUP BY s.UM_TENANT_ID, r.UM_ROLE_NAME, " + anonymous;
    }
}
