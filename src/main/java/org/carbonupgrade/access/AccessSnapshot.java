package org.carbonupgrade.access;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.carbonupgrade.Engine;
import org.carbonupgrade.ReadBeside;

/**
 * Effective access as Carbon 4.0.x resolves it, taken by the gate before the first change of the first run, so the
 * verifier can prove that 4.2.0 resolves the same (verify/AccessEquivalence). It holds, per tenant:
 * <ul>
 * <li>role grants (UM_ROLE_PERMISSION x UM_PERMISSION) per role as 4.0.x names it, with where 4.0.x kept the role
 * (UM_ROLE, UM_HYBRID_ROLE, or neither: the everyone role and roles of other stores);</li>
 * <li>user grants (UM_USER_PERMISSION x UM_PERMISSION) per user, which the upgrade must leave alone;</li>
 * <li>memberships per role: UM_USER_ROLE x UM_ROLE (members by user id) and UM_HYBRID_USER_ROLE x UM_HYBRID_ROLE (members
 * by name), as count and engine-side hash sum of the members; prefixed ("FOO/alice") and anonymous members one by one.</li>
 * </ul>
 * Small grant groups are kept whole (so a difference names the row); big ones and all memberships as count and
 * digest, which still catch one wrong row; the verifier then lists the 4.2.0 rows of that tenant and role.
 * Stored as text lines in CARBON_UPGRADE_ACCESS (a few large parts rather than a row per entry: storing costs next
 * to nothing even with ten thousand tenants).
 */
public final class AccessSnapshot {
    public static final String TABLE = "CARBON_UPGRADE_ACCESS";
    static final int PART_CHARS = 1_000_000;
    private static final String NULL = "\\N";

    /** The grants of one 4.0.x role of one tenant, and where 4.0.x kept the role. */
    public record RoleGrants(int tenant, String role, boolean inStore, boolean inHybrid, Grants grants) {
    }

    /**
     * The role-grant groups in flat columns (13 bytes a group), each read back as a RoleGrants made for the caller: as a
     * list of records (36 bytes a group) the loaded snapshot's 350,000 groups at 50,000 tenants took 11.2 MB, held by the
     * verifier beside its other checkpoints (docs/benchmark.md, peak RSS at 10M hybrid rows).
     */
    public static final class RoleGrantList extends java.util.AbstractList<RoleGrants> {
        private static final byte IN_STORE = 1;
        private static final byte IN_HYBRID = 2;
        private int size;
        private int[] tenant;
        private String[] role;
        private byte[] where;
        private Grants[] grants;

        RoleGrantList() {
            clear();
        }

        @Override
        public boolean add(RoleGrants g) {
            if (size == tenant.length) resize(size + (size >> 1));
            tenant[size] = g.tenant();
            role[size] = g.role();
            where[size] = (byte) ((g.inStore() ? IN_STORE : 0) | (g.inHybrid() ? IN_HYBRID : 0));
            grants[size] = g.grants();
            size++;
            modCount++;
            return true;
        }

        @Override
        public RoleGrants get(int i) {
            java.util.Objects.checkIndex(i, size);
            return new RoleGrants(tenant[i], role[i], (where[i] & IN_STORE) != 0, (where[i] & IN_HYBRID) != 0, grants[i]);
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public void clear() {
            size = 0;
            tenant = new int[16];
            role = new String[16];
            where = new byte[16];
            grants = new Grants[16];
            modCount++;
        }

        /** Lets go of the growth's slack once all groups are in (up to a third of the columns). */
        void trim() {
            if (size < tenant.length) resize(size);
        }

        /** Room for {@code more} groups, made at once (no copy per growth step); see Members.ensure. */
        void ensure(int more) {
            if (size + more > tenant.length) resize(size + more);
        }

        private void resize(int capacity) {
            tenant = java.util.Arrays.copyOf(tenant, capacity);
            role = java.util.Arrays.copyOf(role, capacity);
            where = java.util.Arrays.copyOf(where, capacity);
            grants = java.util.Arrays.copyOf(grants, capacity);
        }
    }

    public record UserGrants(int tenant, String user, Grants grants) {
    }

    /**
     * The membership lines, line i in column i: source 'm' (UM_USER_ROLE, the 4.0.x JDBC store) or 'h'
     * (UM_HYBRID_USER_ROLE); user is null for the summed plain names, else the one member as 4.0.x stored it;
     * hashAfterSlash is the engine's hash of the part after a user's prefix. Flat columns (38 bytes a line) rather than a
     * record a line (56 bytes and a list slot): 350,000 lines at 50,000 tenants, held by the verifier through the grant
     * comparison beside its other checkpoints, were its largest class (docs/benchmark.md, peak RSS at 10M hybrid rows).
     */
    public static final class Members {
        private int size;
        private char[] source;
        private int[] tenant;
        private String[] role;
        private String[] user;
        private long[] count;
        private long[] hashSum;
        private long[] hashAfterSlash;

        Members() {
            clear();
        }

        void add(char source, int tenant, String role, String user, long count, long hashSum, long hashAfterSlash) {
            if (size == this.tenant.length) resize(size + (size >> 1));
            this.source[size] = source;
            this.tenant[size] = tenant;
            this.role[size] = role;
            this.user[size] = user;
            this.count[size] = count;
            this.hashSum[size] = hashSum;
            this.hashAfterSlash[size] = hashAfterSlash;
            size++;
        }

        /** Lets go of the growth's slack once all lines are in (up to a third of the columns). */
        void trim() {
            if (size < tenant.length) resize(size);
        }

        /**
         * Room for {@code more} lines, made at once where their number is known: grown by half from 16, 60,000 lines left
         * some twenty discarded copies of seven columns, the larger ones promoted by the catch-up pass's serial collector
         * before they were let go (-Xlog:gc*, docs/benchmark.md).
         */
        void ensure(int more) {
            if (size + more > tenant.length) resize(size + more);
        }

        private void resize(int capacity) {
            source = java.util.Arrays.copyOf(source, capacity);
            tenant = java.util.Arrays.copyOf(tenant, capacity);
            role = java.util.Arrays.copyOf(role, capacity);
            user = java.util.Arrays.copyOf(user, capacity);
            count = java.util.Arrays.copyOf(count, capacity);
            hashSum = java.util.Arrays.copyOf(hashSum, capacity);
            hashAfterSlash = java.util.Arrays.copyOf(hashAfterSlash, capacity);
        }

        /** Lets go of every line. */
        public void clear() {
            size = 0;
            source = new char[16];
            tenant = new int[16];
            role = new String[16];
            user = new String[16];
            count = new long[16];
            hashSum = new long[16];
            hashAfterSlash = new long[16];
        }

        public int size() {
            return size;
        }

        public char source(int i) {
            return source[i];
        }

        public int tenant(int i) {
            return tenant[i];
        }

        public String role(int i) {
            return role[i];
        }

        public String user(int i) {
            return user[i];
        }

        public long count(int i) {
            return count[i];
        }

        public long hashSum(int i) {
            return hashSum[i];
        }

        public long hashAfterSlash(int i) {
            return hashAfterSlash[i];
        }
    }

    public final Map<Integer, String> everyone = new TreeMap<>();
    public final RoleGrantList roleGrants = new RoleGrantList();
    public final List<UserGrants> userGrants = new ArrayList<>();
    public final Members members = new Members();
    /**
     * Row count and row-hash sum of the tables the upgrade never writes and the check would otherwise group again
     * (UM_USER_ROLE, UM_ROLE; AccessSql.Total): where they are unchanged, the verifier takes 4.2.0's primary-store
     * memberships from this snapshot instead of grouping the table again. Lines "w".
     */
    public final Map<String, AccessSql.Total> totals = new TreeMap<>();
    /**
     * Tables whose every row the snapshot counted while taking it ({@link #COUNTS}), so the gate takes their row counts
     * from here instead of scanning them again (not stored: the gate's row counts are recorded on their own).
     */
    public final Map<String, Long> rowCounts = new TreeMap<>();
    public static final Set<String> COUNTS = Set.of("UM_USER_ROLE", "UM_HYBRID_USER_ROLE");
    /** What the reads of UM_HYBRID_USER_ROLE saw that the gate's data precheck asks about; see {@link #takeHybridRowsSeen}. */
    private HybridRowsSeen hybridRowsSeen;
    /** The realm settings of the run that took it (primary domain, secondary domains, super tenant's everyone role). */
    public String settings = "";
    public String takenAt = "";
    public long millis;
    /** Where the time of taking it went, per read ("tenants 12 ms, role grants 480 ms, ..."), for the run log and docs/benchmark.md. */
    public String timings = "";
    /**
     * True when the digests are made as this version makes them (line "v 3" of the stored text: grant rows hashed by
     * Grants.rowHash from the engine's hash of the permission; the "w" lines); false for a snapshot stored by a
     * development build before 1.0.0 (no "v" line: FNV of the row in Java; "v 2": the engine's hash of each whole grant row).
     */
    public boolean engineDigests;
    private static final int DIGESTS = 3;
    /**
     * The text to store, in the parts it is stored in, kept instead of the lists once taken (see {@link #compact}); null
     * once stored or when loaded. Written part by part: one string of the whole text (20 MB at 50,000 tenants), built by
     * a doubling StringBuilder and copied, took three times that at once (docs/benchmark.md, peak RSS at 10M rows).
     */
    private List<String> text;
    private int entries;
    private boolean compacted;
    /** Groups numbered so far while writing the text. */
    private int groupCount;
    /** One instance per distinct grant row and role name: ten thousand tenants repeat the same few hundred. */
    private final Map<String, String> canonical = new HashMap<>();
    /** Grant rows by their number in the stored text (a row repeated is written as its number: "q" lines). */
    private final List<String> rowNumbers = new ArrayList<>();
    /** Grant groups by their number in the stored text (a group repeated in another tenant: "G" and "U" lines). */
    private final List<Object> groupNumbers = new ArrayList<>();

    private AccessSnapshot() {
    }

    /**
     * The snapshot of an untouched 4.0.x database, or null: when one was recorded already (a re-run after a crash
     * compares with the original state) or the database was changed by a run that took none (no original state).
     */
    public static AccessSnapshot takeIfFirst(Connection c, Map<String, String> tables) throws SQLException {
        return takeIfFirst(c, tables, RealmNames.current(), null);
    }

    /**
     * As {@link #takeIfFirst(Connection, Map)} with this run's names resolved by the caller (on another thread);
     * {@code profile}: see {@link #takeWhole(Connection, RealmNames, String)}.
     */
    public static AccessSnapshot takeIfFirst(Connection c, Map<String, String> tables, RealmNames names, String profile) throws SQLException {
        if (tables.containsKey(TABLE) && stored(c)) return null;
        if (tables.containsKey("UM_DOMAIN")) return null;
        return take(c, names, profile);
    }

    public static boolean stored(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + TABLE)) {
            return rs.next() && rs.getLong(1) > 0;
        }
    }

    /**
     * UM_HYBRID_USER_ROLE's prefixed rows and rows of tenants without a UM_TENANT row, as this snapshot's own passes read
     * them (gate/DataPrecheck checks them instead of reading the table again), handed over once; null when this snapshot
     * was loaded rather than taken, taken on the connections given (staging catch-up: no precheck), or handed over already.
     */
    public HybridRowsSeen takeHybridRowsSeen() {
        HybridRowsSeen seen = hybridRowsSeen;
        hybridRowsSeen = null;
        return seen;
    }

    /** Takes the snapshot and keeps it as the text to store (see {@link #compact}); {@link #load} reads it back whole. */
    public static AccessSnapshot take(Connection c, RealmNames names) throws SQLException {
        return take(c, names, null);
    }

    private static AccessSnapshot take(Connection c, RealmNames names, String profile) throws SQLException {
        long start = System.nanoTime();
        AccessSnapshot s = takeWhole(c, names, profile);
        long compacting = System.nanoTime();
        s.compact();
        s.lap("text", compacting);
        s.millis = (System.nanoTime() - start) / 1_000_000;
        return s;
    }

    /** The snapshot as {@link #load} gives it, to compare with at once and never store (staging catch-up: production now). */
    public static AccessSnapshot takeWhole(Connection c, RealmNames names) throws SQLException {
        return takeWhole(c, names, null);
    }

    /**
     * As {@link #takeWhole(Connection, RealmNames)}. With {@code profile} (the run's connection settings, which reach the
     * database of {@code c}: ReadBeside) the membership reads run beside the grant reads, UM_USER_ROLE's and
     * UM_HYBRID_USER_ROLE's each on a connection of its own (each is a few passes over millions of rows, about as long
     * as the grant reads: docs/benchmark.md), so the three overlap; on PostgreSQL all read one snapshot of the database
     * (pg_export_snapshot), elsewhere each statement reads the database as it is, as on one connection: the gate has
     * refused other sessions.
     */
    public static AccessSnapshot takeWhole(Connection c, RealmNames names, String profile) throws SQLException {
        long start = System.nanoTime();
        boolean auto = c.getAutoCommit();
        ReadBeside<MembershipReads> store = null;
        ReadBeside<MembershipReads> hybrid = null;
        try {
            String exported = profile != null && auto && Engine.of(c) == Engine.POSTGRESQL ? MembershipReads.exportSnapshot(c) : null;
            if (profile != null) {
                store = ReadBeside.start(c, profile, "access snapshot UM_USER_ROLE", other -> MembershipReads.read(other, exported, true, false));
            }
            if (store != null) {
                hybrid = ReadBeside.start(c, profile, "access snapshot UM_HYBRID_USER_ROLE", other -> MembershipReads.read(other, exported, false, true));
            }
            return takeWhole(c, names, store, hybrid, start, true);
        } finally {
            try {
                if (hybrid != null) hybrid.close();
            } finally {
                if (store != null) store.close();
            }
            if (auto != c.getAutoCommit()) {
                c.rollback(); // read only; ends the transaction of the exported snapshot
                c.setAutoCommit(auto);
            }
        }
    }

    /**
     * As {@link #takeWhole(Connection, RealmNames)}, with the membership reads on two other connections whose transactions
     * read the very snapshot of {@code c}'s (PostgreSQL: imported with SET TRANSACTION SNAPSHOT; staging catch-up's
     * ExportedSnapshot): UM_USER_ROLE's on {@code store}, UM_HYBRID_USER_ROLE's on {@code hybrid}, beside the grant reads
     * on {@code c}, the three overlapping as in {@link #takeWhole(Connection, RealmNames, String)}. The caller keeps the
     * connections, in their transactions, and ends them.
     */
    public static AccessSnapshot takeWhole(Connection c, RealmNames names, Connection store, Connection hybrid) throws SQLException {
        long start = System.nanoTime();
        try (ReadBeside<MembershipReads> s = ReadBeside.on(store, "access snapshot UM_USER_ROLE", other -> MembershipReads.read(other, null, true, false));
                ReadBeside<MembershipReads> h = ReadBeside.on(hybrid, "access snapshot UM_HYBRID_USER_ROLE",
                        other -> MembershipReads.read(other, null, false, true))) {
            // Not for a gate: no data precheck asks for the rows seen (HybridRowsSeen), so none are collected.
            return takeWhole(c, names, s, h, start, false);
        }
    }

    /**
     * @param hybrid UM_HYBRID_USER_ROLE's reads beside, or null: read here (both halves, when {@code store} is null too)
     * @param seen whether to keep what the reads saw for a gate's data precheck ({@link #takeHybridRowsSeen})
     */
    private static AccessSnapshot takeWhole(Connection c, RealmNames names, ReadBeside<MembershipReads> store,
                                            ReadBeside<MembershipReads> hybrid, long start, boolean seen) throws SQLException {
        AccessSql sql = new AccessSql(c);
        AccessSnapshot s = new AccessSnapshot();
        s.settings = "primaryDomain=" + names.primaryDomain() + ", secondaryDomains="
                + (names.secondaryDomainsGiven() ? String.join(",", names.secondaryDomains()) : "(any prefix)")
                + ", superTenantEveryoneRole=" + names.superTenantEveryoneRole();
        long t = start;
        s.everyone.putAll(names.everyoneRoleByTenant(c));
        t = s.lap("tenants", t);
        AccessSql.Total roleTotal = new AccessSql.Total();
        IdNames storeRoles = sql.roleNames("UM_ROLE", roleTotal);
        s.totals.put("UM_ROLE", roleTotal);
        IdNames hybridRoles = sql.roleNames("UM_HYBRID_ROLE");
        t = s.lap("roles", t);

        s.engineDigests = true;
        PermissionHashes permissions = sql.permissionHashes();
        // About one role-grant group per role (69,500 groups, 60,000 roles at 10,000 bench tenants): sized once.
        s.grantGroups(sql, AccessSql.roleGrantRows(false), permissions, storeRoles.size() + hybridRoles.size(), AccessSql.roleGrants(false)
                + " WHERE rp.UM_TENANT_ID IN " + AccessSql.TENANT_LIST + " AND p.UM_TENANT_ID IN " + AccessSql.TENANT_LIST, s.roleGrants::ensure, (tenant, role, grants) -> {
            s.roleGrants.add(new RoleGrants(tenant, role, storeRoles.has(tenant, role), hybridRoles.has(tenant, role), grants));
        });
        t = s.lap("role grants", t);
        s.grantGroups(sql, AccessSql.USER_GRANT_ROWS, permissions, 0, AccessSql.USER_GRANTS
                + " WHERE up.UM_TENANT_ID IN " + AccessSql.TENANT_LIST + " AND p.UM_TENANT_ID IN " + AccessSql.TENANT_LIST,
                n -> { }, (tenant, user, grants) -> s.userGrants.add(new UserGrants(tenant, user, grants)));
        permissions = null; // let go of it before the membership groups (27 MB at 50,000 tenants before PermissionHashes was compacted)
        t = s.lap("user grants", t);

        MembershipReads m = store == null ? MembershipReads.read(c, null)
                : store.await().with(hybrid != null ? hybrid.await() : MembershipReads.read(c, null, false, true));
        if (store != null) {
            // No parentheses: the run log's line puts these timings in parentheses (bench/run.sh reads them).
            s.timings += hybrid != null
                    ? ", memberships read on a connection of their own each: UM_USER_ROLE " + m.storeMillis + " ms, UM_HYBRID_USER_ROLE " + m.hybridMillis + " ms"
                    : ", memberships read on a connection of their own: UM_USER_ROLE " + m.storeMillis + " ms, then here UM_HYBRID_USER_ROLE " + m.hybridMillis + " ms";
            t = s.lap("waited for them", t);
        } else {
            s.timings += ", UM_USER_ROLE " + m.storeMillis + " ms, UM_HYBRID_USER_ROLE " + m.hybridMillis + " ms";
            t = System.nanoTime();
        }
        s.members(m, storeRoles, hybridRoles);
        if (seen) s.hybridRowsSeen = HybridRowsSeen.of(m, s.everyone.keySet());
        s.rowCounts.put("UM_USER_ROLE", m.userRoleTotal.rows);
        s.rowCounts.put("UM_HYBRID_USER_ROLE", m.hybridRows());
        s.lap("memberships named", t);
        s.millis = (System.nanoTime() - start) / 1_000_000;
        return s;
    }

    /** The membership lines from the groups read by ids: the anonymous user and prefixed hybrid members one by one, each role's other members summed. */
    private void members(MembershipReads m, IdNames storeRoles, IdNames hybridRoles) {
        totals.put("UM_USER_ROLE", m.userRoleTotal);
        // At most a line per group and anonymous membership, and one per single member (fewer where a role is gone).
        members.ensure(m.store.size + m.anonymous.size() + m.singles.size() + m.hybrid.size);
        MembershipReads.Groups store = m.store;
        for (int i = 0; i < store.size; i++) {
            int tenant = store.tenant[i];
            String role = storeRoles.get(tenant, store.role[i]);
            if (role == null) continue; // invisible to 4.0.x: GET_USER_ROLE_SQL joins the role
            long[] a = m.anonymous.getOrDefault(AccessSql.key(tenant, store.role[i]), new long[2]);
            if (a[0] > 0) members.add('m', tenant, role, RealmNames.ANONYMOUS_USER, a[0], a[1], 0);
            if (store.count[i] > a[0]) members.add('m', tenant, role, null, store.count[i] - a[0], store.sum[i] - a[1], 0);
        }
        // Members one by one where the rename map decides per name; each role's other members summed.
        Map<Long, long[]> singles = new HashMap<>();
        for (MembershipReads.Single x : m.singles) {
            String role = hybridRoles.get(x.tenant(), x.roleId());
            long[] taken = singles.computeIfAbsent(AccessSql.key(x.tenant(), x.roleId()), k -> new long[2]);
            taken[0]++;
            taken[1] += x.hash();
            // A row whose role is gone is invisible to 4.0.x (HybridJDBCConstants GET_ROLE_LIST_OF_USER_SQL joins the role).
            if (role != null) members.add('h', x.tenant(), role, x.user(), 1, x.hash(), x.hashAfterSlash());
        }
        MembershipReads.Groups hybrid = m.hybrid;
        for (int i = 0; i < hybrid.size; i++) {
            String role = hybridRoles.get(hybrid.tenant[i], hybrid.role[i]);
            long[] taken = singles.getOrDefault(AccessSql.key(hybrid.tenant[i], hybrid.role[i]), new long[2]);
            if (role != null && hybrid.count[i] > taken[0]) {
                members.add('h', hybrid.tenant[i], role, null, hybrid.count[i] - taken[0], hybrid.sum[i] - taken[1], 0);
            }
        }
    }

    private interface GroupSink {
        void accept(int tenant, String name, Grants grants);
    }

    /**
     * Reads grant groups counted and digested from their row hashes (AccessSql.sumGrants): a Java object per
     * group, not per row. Groups with the same name, count and digest (every tenant's default roles and grants) share one
     * Grants; its rows, kept while it has at most Grants.WHOLE_UP_TO so a difference names them, are read from one
     * tenant that has it ({@code rowsSql}, whose WHERE clause limits both tables to AccessSql.TENANT_LIST: the permission
     * table too, or PostgreSQL hashes all of it for the join), or from one pass over all rows when hundreds of tenants differ.
     */
    private void grantGroups(AccessSql sql, String grantRowsSql, PermissionHashes permissions, int expected, String rowsSql,
                             java.util.function.IntConsumer groups, GroupSink sink) throws SQLException {
        Map<Content, Grants> byContent = new HashMap<>();
        Map<String, Grants> toFill = new HashMap<>(); // tenant NUL name -> the shared group whose rows that tenant gives
        sql.sumGrants(grantRowsSql, false, permissions, expected, new AccessSql.GrantGroup() {
            @Override
            public void groups(int count) {
                groups.accept(count);
            }

            @Override
            public void accept(int tenant, String groupName, Integer domain, long count, long digest) {
                String name = canonical(groupName);
                Grants g = byContent.computeIfAbsent(new Content(name, count, digest), k -> {
                    Grants n = new Grants(count, digest);
                    if (n.rows != null) toFill.put(tenant + "\u0000" + name, n);
                    return n;
                });
                sink.accept(tenant, name, g);
            }
        });
        if (toFill.isEmpty()) return;
        Set<Integer> tenants = new java.util.TreeSet<>();
        toFill.keySet().forEach(k -> tenants.add(Integer.parseInt(k.substring(0, k.indexOf('\u0000')))));
        AccessSql.Row row = rs -> {
            Grants g = toFill.get(rs.getInt(1) + "\u0000" + rs.getString(2));
            if (g != null) g.rows.add(canonical(Grants.row(rs.getString(3), rs.getString(4), rs.getInt(5) != 0)));
        };
        if (tenants.size() <= 500) sql.forTenants(rowsSql, tenants, row);
        else sql.stream(rowsSql.substring(0, rowsSql.lastIndexOf(" WHERE ")), row);
    }

    /** A grant group's name, count and digest: groups alike share one Grants (a record, not a string made per group). */
    private record Content(String name, long count, long digest) {
    }

    /** Adds one part's time to {@link #timings}; returns now, the next part's start. */
    private long lap(String part, long since) {
        long now = System.nanoTime();
        timings += (timings.isEmpty() ? "" : ", ") + part + " " + (now - since) / 1_000_000 + " ms";
        return now;
    }

    private String canonical(String value) {
        if (value == null) return null;
        String known = canonical.putIfAbsent(value, value);
        return known == null ? value : known;
    }

    /**
     * Keeps only the text to store (a few bytes per entry) instead of the lists (about five times more), for the time
     * between the gate and the changeset that stores it, in which the upgrade's big statements run.
     */
    public AccessSnapshot compact() {
        entries = entries();
        compacted = true;
        text = text();
        roleGrants.clear();
        userGrants.clear();
        members.clear();
        canonical.clear();
        rowNumbers.clear();
        return this;
    }

    /** The text {@link #store} writes (a snapshot taken and not yet stored), so two snapshots can be compared. */
    public String textToStore() {
        return String.join("", text != null ? text : text());
    }

    public int entries() {
        return compacted ? entries : roleGrants.size() + userGrants.size() + members.size();
    }

    /** Writes the snapshot into CARBON_UPGRADE_ACCESS (bind parameters only; one statement per part), then lets go of its text. */
    public void store(Connection c, String runId) throws SQLException {
        if (text == null && compacted) throw new IllegalStateException("The access snapshot was stored already: its text is let go once stored");
        List<String> parts = text != null ? text : text();
        text = null;
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (PART, RUN_ID, TAKEN_AT, ENTRIES) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < parts.size(); i++) {
                ps.setInt(1, i + 1);
                ps.setString(2, runId);
                ps.setTimestamp(3, now);
                ps.setCharacterStream(4, new StringReader(parts.get(i)), parts.get(i).length());
                ps.executeUpdate();
            }
        }
    }

    /** The recorded snapshot, or null when there is none. Parsed part by part: the whole text is never held at once. */
    public static AccessSnapshot load(Connection c, Map<String, String> tables) throws SQLException {
        if (!tables.containsKey(TABLE)) return null;
        AccessSnapshot s = new AccessSnapshot();
        boolean any = false;
        Grants[] current = {null};
        try (Statement st = c.createStatement()) {
            // One part (about a megabyte) at a time where the driver allows it; see AccessSql.stream.
            st.setFetchSize(Engine.of(c) == Engine.MYSQL ? Integer.MIN_VALUE : 1);
            boolean auto = c.getAutoCommit();
            if (Engine.of(c) == Engine.POSTGRESQL && auto) c.setAutoCommit(false);
            try (ResultSet rs = st.executeQuery("SELECT TAKEN_AT, ENTRIES FROM " + TABLE + " ORDER BY PART")) {
                while (rs.next()) {
                    s.takenAt = String.valueOf(rs.getTimestamp(1));
                    String part = rs.getString(2);
                    any |= !part.isEmpty();
                    s.parse(part, current);
                }
            } finally {
                if (auto != c.getAutoCommit()) {
                    c.rollback(); // read only; ends the transaction opened for the cursor
                    c.setAutoCommit(auto);
                }
            }
        }
        if (!any) return null;
        s.members.trim();
        s.roleGrants.trim();
        s.canonical.clear();
        s.rowNumbers.clear();
        s.groupNumbers.clear();
        return s;
    }

    /** The text to store, in parts of at most PART_CHARS characters of whole lines (a longer line is a part of its own). */
    List<String> text() {
        groupCount = 0;
        List<String> parts = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        Map<String, Integer> numbers = new HashMap<>();
        Map<Grants, Map<String, Integer>> groups = new IdentityHashMap<>();
        line(b, "s", settings);
        if (engineDigests) line(b, "v", DIGESTS);
        everyone.forEach((t, name) -> {
            line(b, "t", t, name);
            cut(b, parts);
        });
        totals.forEach((table, t) -> line(b, "w", table, t.rows, t.hashSum));
        for (RoleGrants g : roleGrants) {
            group(b, "g", g.tenant, g.grants, groups, numbers, g.role, (g.inStore ? "r" : "") + (g.inHybrid ? "h" : "") + "-", g.grants.count, g.grants.digest);
            cut(b, parts);
        }
        for (UserGrants g : userGrants) {
            group(b, "u", g.tenant, g.grants, groups, numbers, g.user, g.grants.count, g.grants.digest);
            cut(b, parts);
        }
        for (int i = 0; i < members.size(); i++) {
            line(b, String.valueOf(members.source(i)), members.tenant(i), members.role(i), members.user(i), members.count(i),
                    members.hashSum(i), members.hashAfterSlash(i));
            cut(b, parts);
        }
        if (b.length() > 0) parts.add(b.toString());
        return parts;
    }

    /** Moves whole lines from the front of {@code b} into parts while it holds more than a part (b ends with a whole line). */
    static void cut(StringBuilder b, List<String> parts) {
        while (b.length() > PART_CHARS) {
            int end = b.lastIndexOf("\n", PART_CHARS - 1) + 1;
            if (end == 0) end = b.indexOf("\n", PART_CHARS) + 1; // a line longer than a part stays whole
            parts.add(b.substring(0, end));
            b.delete(0, end);
        }
    }

    /**
     * A group line ("g" role grants, "u" user grants): written whole with its rows where it first occurs (groups are
     * numbered in that order), as "G" or "U", its tenant and that number where another tenant has the very same one
     * (same name, flags and shared Grants: tenants with the same role, count and digest share one, see grantGroups; every
     * tenant has the same default roles and grants, so this keeps the text a fraction as long and the verifier holds one
     * copy of each).
     */
    private void group(StringBuilder b, String kind, int tenant, Grants grants, Map<Grants, Map<String, Integer>> groups,
                       Map<String, Integer> numbers, Object... fields) {
        StringBuilder head = new StringBuilder();
        line(head, kind, fields);
        Map<String, Integer> sharing = groups.computeIfAbsent(grants, g -> new HashMap<>());
        Integer n = sharing.get(head.toString());
        if (n != null) {
            line(b, kind.toUpperCase(java.util.Locale.ROOT), tenant, n);
            return;
        }
        sharing.put(head.toString(), groupCount++);
        Object[] withTenant = new Object[fields.length + 1];
        withTenant[0] = tenant;
        System.arraycopy(fields, 0, withTenant, 1, fields.length);
        line(b, kind, withTenant);
        rows(b, grants, numbers);
    }

    /**
     * Whole rows follow their group line, one per line, until the next group: "r" and the row where it first occurs
     * (rows are numbered in that order), "q" and its number where it repeats (groups that differ still share most rows).
     */
    private static void rows(StringBuilder b, Grants g, Map<String, Integer> numbers) {
        if (g.rows == null) return;
        for (String r : g.rows) {
            Integer n = numbers.get(r);
            if (n != null) {
                line(b, "q", n);
            } else {
                numbers.put(r, numbers.size());
                line(b, "r", r);
            }
        }
    }

    private static void line(StringBuilder b, String kind, Object... fields) {
        b.append(kind);
        for (Object f : fields) {
            b.append('\t');
            if (f == null) b.append(NULL);
            else if (f instanceof Number n) b.append(n.longValue()); // no characters to escape, no String made
            else b.append(escape(f.toString()));
        }
        b.append('\n');
    }

    /** Parses one stored part (whole lines); current is the group whose rows may continue into the next part. */
    private void parse(String text, Grants[] current) {
        int from = 0;
        while (from < text.length()) {
            int end = text.indexOf('\n', from);
            if (end < 0) end = text.length();
            String line = text.substring(from, end);
            from = end + 1;
            if (line.isEmpty()) continue;
            String[] f = line.split("\t", -1);
            for (int i = 1; i < f.length; i++) f[i] = f[i].equals(NULL) ? null : unescape(f[i]);
            switch (f[0]) {
                case "s" -> settings = f[1];
                case "v" -> engineDigests = Integer.parseInt(f[1]) >= DIGESTS;
                case "w" -> {
                    AccessSql.Total t = new AccessSql.Total();
                    t.add(Long.parseLong(f[2]), Long.parseLong(f[3]));
                    totals.put(f[1], t);
                }
                case "t" -> everyone.put(Integer.parseInt(f[1]), canonical(f[2]));
                case "g" -> {
                    current[0] = grants(f[4], f[5]);
                    RoleGrants g = new RoleGrants(Integer.parseInt(f[1]), canonical(f[2]), f[3].contains("r"), f[3].contains("h"), current[0]);
                    roleGrants.add(g);
                    groupNumbers.add(g);
                }
                case "u" -> {
                    current[0] = grants(f[3], f[4]);
                    UserGrants u = new UserGrants(Integer.parseInt(f[1]), canonical(f[2]), current[0]);
                    userGrants.add(u);
                    groupNumbers.add(u);
                }
                // Another tenant's very same group: its Grants are shared, which nothing changes (the check merges copies).
                case "G" -> {
                    RoleGrants g = (RoleGrants) groupNumbers.get(Integer.parseInt(f[2]));
                    roleGrants.add(new RoleGrants(Integer.parseInt(f[1]), g.role, g.inStore, g.inHybrid, g.grants));
                    current[0] = null;
                }
                case "U" -> {
                    UserGrants u = (UserGrants) groupNumbers.get(Integer.parseInt(f[2]));
                    userGrants.add(new UserGrants(Integer.parseInt(f[1]), u.user, u.grants));
                    current[0] = null;
                }
                case "r" -> {
                    String row = canonical(f[1]);
                    rowNumbers.add(row);
                    current[0].rows.add(row);
                }
                case "q" -> current[0].rows.add(rowNumbers.get(Integer.parseInt(f[1])));
                case "m", "h" -> members.add(f[0].charAt(0), Integer.parseInt(f[1]), canonical(f[2]), canonical(f[3]),
                        Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]));
                default -> throw new IllegalStateException("Unknown line in " + TABLE + ": " + line);
            }
        }
    }

    /** A stored group: its rows follow when it was small enough to keep them. */
    private static Grants grants(String count, String digest) {
        Grants g = new Grants();
        g.count = Long.parseLong(count);
        g.digest = Long.parseLong(digest);
        if (g.count > Grants.WHOLE_UP_TO) g.rows = null;
        return g;
    }

    private static String escape(String s) {
        boolean plain = true;
        for (int i = 0; i < s.length() && plain; i++) {
            char ch = s.charAt(i);
            plain = ch != '\\' && ch != '\t' && ch != '\n' && ch != '\r';
        }
        if (plain) return s;
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }
}
