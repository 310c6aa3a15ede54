package org.carbonupgrade.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.carbonupgrade.Engine;
import org.carbonupgrade.JitOff;
import org.carbonupgrade.ReadBeside;
import org.carbonupgrade.access.AccessSnapshot;
import org.carbonupgrade.access.AccessSql;
import org.carbonupgrade.access.Grants;
import org.carbonupgrade.access.IdNames;
import org.carbonupgrade.access.LongIntMap;
import org.carbonupgrade.access.PermissionHashes;
import org.carbonupgrade.access.RealmNames;
import org.carbonupgrade.access.RenameMap;
import org.carbonupgrade.access.RoleName;

/**
 * The verifier's core checkpoint: every grant and membership of Carbon 4.0.x (the gate's snapshot) resolves to the
 * same access in 4.2.0, read the way 4.2.0 user-core reads it (wso2/carbon4-kernel @ a169d3b36b):
 * role grants through UM_DOMAIN (authorization DBConstants GET_EXISTING_ROLE_PERMISSIONS, keyed by
 * UserCoreUtil.addDomainToName in PermissionTree), primary-store roles from UM_USER_ROLE (JDBCRealmConstants
 * GET_USER_ROLE_SQL), internal roles from UM_HYBRID_USER_ROLE with the user's domain (HybridJDBCConstants
 * GET_ROLE_LIST_OF_USER_SQL), system roles from UM_SYSTEM_USER_ROLE (SystemJDBCConstants), and Internal/everyone
 * held by every user without a row (HybridRoleManager.getHybridRoleListOfUser). The 4.0.x side goes through the
 * documented rename map (RenameMap), never through the upgrade's own SQL. It also checks that a user created after
 * the upgrade gets what a new 4.0.x user got: the everyone role's grants. Every difference fails it and is listed.
 */
final class AccessEquivalence {
    static final String NAME = "Access equivalence: every 4.0.x grant and membership means the same in 4.2.0";
    /** Differences described in full (with the 4.2.0 rows); the rest are counted, so a report stays readable. */
    static final int LISTED = 40;
    private static final int ROWS_SHOWN = 10;

    private record Key(int tenant, RoleName role, String userDomain) {
        String describe() {
            return "tenant " + tenant + ", role " + role.display() + (userDomain == null ? "" : ", members of domain " + userDomain);
        }
    }

    private static final Comparator<Key> ORDER = Comparator.comparingInt(Key::tenant)
            .thenComparing(k -> k.role().name()).thenComparing(k -> String.valueOf(k.role().domain()))
            .thenComparing(k -> String.valueOf(k.userDomain()));

    /**
     * A membership group that differs, for the report: members of one role from one user domain as 4.0.x had them (the
     * snapshot) and as 4.2.0 resolves them. The comparison itself holds every group in flat columns (see memberships).
     */
    private static final class Members {
        boolean had;
        long count;
        boolean resolved;
        long actualCount;
        /** The 4.0.x members compared one by one; null when none. */
        List<String> named;
    }

    private final Connection c;
    private final Checkpoint cp;
    private final RenameMap map;
    private final AccessSnapshot before;
    private final AccessSql sql;
    private int differences;
    private final Set<Integer> tenantsWithDifferences = new TreeSet<>();
    private HybridGroups hybridGroups;
    /** Where to hand this check's grouping of UM_HYBRID_USER_ROLE to the domain checkpoint beside it, or null. */
    private java.util.concurrent.CompletableFuture<HybridGroups> share;
    /** UM_PERMISSION's text hashes, read once for the role and the user grants (AccessSql.sumGrants). */
    private org.carbonupgrade.access.PermissionHashes permissions;
    /** True when this check loaded the snapshot itself, so it may let go of the parts it has compared. */
    private boolean ownSnapshot;
    /** The reads that need nothing from the snapshot, on connections of their own beside this check's (see {@link TableReads}); null: read here. */
    private TableReadsBeside beside;
    /** UM_PERMISSION's hashes and UM_DOMAIN's names, read on a connection of their own while this one loads the snapshot; null: read here. */
    private ReadBeside<GrantReads> grantReads;
    /** UM_DOMAIN's names by (tenant, domain id), read once for the grants and the memberships. */
    private IdNames domains;
    /** The reads beside as awaited (null: none), and the time waited for them and spent on the snapshot's memberships, for the time detail. */
    private TableReads tableReads;
    private long waitedForTotals;
    private long waitedForGroups;
    private long snapshotSide;
    private long waitedForPermissions;

    private AccessEquivalence(Connection c, Checkpoint cp, RenameMap map, AccessSnapshot before) throws SQLException {
        this.c = c;
        this.cp = cp;
        this.map = map;
        this.before = before;
        this.sql = new AccessSql(c);
    }

    static Checkpoint check(Connection c, Map<String, String> tables) throws SQLException {
        return check(c, tables, null, null, RealmNames.current());
    }

    /**
     * @param domainColumns the verifier's pass over UM_HYBRID_USER_ROLE, reused here (null: this check reads the table itself)
     * @param given the 4.0.x access to compare with; null: the snapshot the gate stored. Catch-up passes production's
     *        access now (staging/CatchUp).
     * @param names this run's settings, resolved by the caller (the check may run on another thread: Verifier)
     */
    static Checkpoint check(Connection c, Map<String, String> tables, DomainColumns domainColumns, AccessSnapshot given,
            RealmNames names) throws SQLException {
        return check(c, tables, domainColumns, given, names, null);
    }

    /**
     * As above, beside the verifier's other checkpoints: {@code share} gets this check's grouping of UM_HYBRID_USER_ROLE
     * as soon as it is read (the check's first read), so the verifier's domain checkpoint counts from it instead of scanning
     * the table's millions of rows once more at the same time (DomainColumns); null when this check does not read it.
     */
    static Checkpoint check(Connection c, Map<String, String> tables, DomainColumns domainColumns, AccessSnapshot given,
            RealmNames names, java.util.concurrent.CompletableFuture<HybridGroups> share) throws SQLException {
        return check(c, tables, domainColumns, given, names, share, null);
    }

    /**
     * As above; with {@code profile} (the run's connection settings, which reach the database of {@code c}: ReadBeside)
     * the reads that need nothing from the snapshot (UM_HYBRID_USER_ROLE grouped, the totals of UM_USER_ROLE and UM_ROLE,
     * role and domain names: {@link TableReads}) run on a connection of their own while this one loads the snapshot and
     * compares the grants, so the two overlap. Nothing writes meanwhile (see Verifier.accessBeside).
     */
    static Checkpoint check(Connection c, Map<String, String> tables, DomainColumns domainColumns, AccessSnapshot given,
            RealmNames names, java.util.concurrent.CompletableFuture<HybridGroups> share, String profile) throws SQLException {
        return check(c, tables, domainColumns, given, names, share, profile, null);
    }

    /**
     * As above; {@code counted} gets the row counts of UM_USER_ROLE and UM_ROLE that the table reads beside take with
     * their totals (AccessSql.total: COUNT(*) with the hash sum), so the verifier's row-count checkpoint does not count
     * those tables again at the same time; it completes with null where they are not read beside.
     */
    static Checkpoint check(Connection c, Map<String, String> tables, DomainColumns domainColumns, AccessSnapshot given,
            RealmNames names, java.util.concurrent.CompletableFuture<HybridGroups> share, String profile,
            java.util.concurrent.CompletableFuture<Map<String, Long>> counted) throws SQLException {
        ReadBeside<TableReads> beside = null;
        ReadBeside<TableReads> totals = null;
        ReadBeside<GrantReads> grantReads = null;
        try {
            Checkpoint unfinished = unfinished(c, tables);
            if (unfinished != null) return unfinished;
            if (profile != null && domainColumns == null && (given != null || tables.containsKey(AccessSnapshot.TABLE))
                    && tables.keySet().containsAll(TableReads.TABLES)) {
                // UM_HYBRID_USER_ROLE's grouping on one connection, the totals and names on another: each about as long as
                // the snapshot's load and the grant comparison here (docs/benchmark.md), so the three overlap.
                totals = ReadBeside.start(c, profile, "access-equivalence check's totals", other -> TableReads.read(JitOff.forReads(other), null, counted, false, true));
                ReadBeside<TableReads> separate = totals;
                beside = ReadBeside.start(c, profile, "access-equivalence check's table reads",
                        other -> TableReads.read(JitOff.forReads(other), share, counted, true, separate == null));
                if (beside != null) {
                    grantReads = ReadBeside.start(c, profile, "access-equivalence check's permission reads",
                            other -> new GrantReads(new AccessSql(JitOff.forReads(other)).permissionHashes(), domains(new AccessSql(other))));
                }
            }
            // Not counted beside (then this check reads the totals on its own connection, late): the verifier counts them itself.
            if (beside == null && totals == null && counted != null) counted.complete(null);
            return checkAndShare(c, tables, domainColumns, given, names, share, beside == null ? null : new TableReadsBeside(beside, totals), grantReads);
        } finally {
            try {
                if (grantReads != null) grantReads.close();
                if (beside != null) beside.close();
            } finally {
                if (totals != null) totals.close();
            }
            if (share != null) share.complete(null); // not read (not available, or an error): the domain checkpoint reads it itself
            if (counted != null) counted.complete(null); // likewise: the row-count checkpoint counts them itself
        }
    }

    /** The table reads beside: UM_HYBRID_USER_ROLE's grouping, and the totals and names on another connection where one was at hand. */
    private record TableReadsBeside(ReadBeside<TableReads> hybrid, ReadBeside<TableReads> totals) {
        TableReads await() throws SQLException {
            TableReads r = hybrid.await();
            return totals == null ? r : r.with(totals.await());
        }

        /** The totals and names (on their own connection: done long before the grouping); else all of them. */
        TableReads awaitTotals() throws SQLException {
            return (totals != null ? totals : hybrid).await();
        }
    }

    /**
     * The check's reads of the upgraded tables that need nothing from the snapshot: UM_HYBRID_USER_ROLE grouped first
     * (handed to the domain checkpoint as soon as it is read), then UM_USER_ROLE's and UM_ROLE's totals (storeUnchanged),
     * UM_HYBRID_ROLE's and UM_DOMAIN's names for the memberships. Read beside the snapshot's load and the grant comparison,
     * which took about as long (docs/benchmark.md, cost of the access check).
     */
    private static final class TableReads {
        static final List<String> TABLES = List.of("UM_HYBRID_USER_ROLE", "UM_HYBRID_ROLE", "UM_USER_ROLE", "UM_ROLE", "UM_DOMAIN", "UM_PERMISSION");
        HybridGroups hybridGroups;
        AccessSql.Total userRoles;
        AccessSql.Total roles;
        IdNames hybridRoles;
        long hybridMillis;
        long millis;

        /**
         * @param hybrid read UM_HYBRID_USER_ROLE grouped (first, and handed to {@code share})
         * @param totals read the totals and names (and hand UM_USER_ROLE's and UM_ROLE's row counts to {@code counted})
         */
        static TableReads read(Connection c, java.util.concurrent.CompletableFuture<HybridGroups> share,
                               java.util.concurrent.CompletableFuture<Map<String, Long>> counted, boolean hybrid, boolean totals) throws SQLException {
            long start = System.nanoTime();
            AccessSql sql = new AccessSql(c);
            TableReads r = new TableReads();
            if (hybrid) {
                try {
                    r.hybridGroups = hybridGroups(sql);
                } finally {
                    if (share != null) share.complete(r.hybridGroups); // null on an error: the domain checkpoint reads the table itself
                }
            }
            r.hybridMillis = (System.nanoTime() - start) / 1_000_000;
            if (totals) {
                try {
                    r.userRoles = sql.userRoleTotal();
                    r.roles = sql.roleTotal();
                } finally {
                    // null on an error: the row-count checkpoint counts them itself
                    if (counted != null) counted.complete(r.roles == null ? null : Map.of("UM_USER_ROLE", r.userRoles.rows, "UM_ROLE", r.roles.rows));
                }
                r.hybridRoles = sql.roleNames("UM_HYBRID_ROLE");
            }
            r.millis = (System.nanoTime() - start) / 1_000_000;
            return r;
        }

        /** These UM_HYBRID_USER_ROLE groups with {@code t}'s totals and names, read on another connection. */
        TableReads with(TableReads t) {
            userRoles = t.userRoles;
            roles = t.roles;
            hybridRoles = t.hybridRoles;
            totalsMillis = t.millis;
            return this;
        }

        /** Time of the totals and names where they were read on a connection of their own, else -1. */
        long totalsMillis = -1;
    }

    /**
     * The reads the grant comparison needs first (UM_PERMISSION's hashes, UM_DOMAIN's names: a few hundred thousand rows
     * at 10,000 tenants), on a fourth connection while the check's own loads the snapshot.
     */
    private static final class GrantReads {
        org.carbonupgrade.access.PermissionHashes permissions;
        IdNames domains;

        GrantReads(org.carbonupgrade.access.PermissionHashes permissions, IdNames domains) {
            this.permissions = permissions;
            this.domains = domains;
        }
    }

    /** The tables and columns through which 4.2.0 resolves access; a database the update has not finished lacks some. */
    static final List<String> TABLES_42 = List.of("UM_DOMAIN", "UM_ROLE_PERMISSION", "UM_PERMISSION", "UM_HYBRID_USER_ROLE", "UM_HYBRID_ROLE", "UM_USER_ROLE");

    /**
     * A failed checkpoint naming what is missing where a table or domain column 4.2.0 reads is not there yet (the verifier
     * run on a 4.0.x database, or after an update stopped half-way); null when all are there. Before, the first query
     * naming UM_ROLE_PERMISSION.UM_DOMAIN_ID failed with the driver's error instead of a verdict.
     */
    static Checkpoint unfinished(Connection c, Map<String, String> tables) throws SQLException {
        List<String> missing = new ArrayList<>();
        for (String t : TABLES_42) if (!tables.containsKey(t)) missing.add("table " + t);
        for (String t : DomainColumns.TABLES) {
            if (tables.containsKey(t) && !new org.carbonupgrade.schema.SchemaReader(c).readTable(tables.get(t),
                    Set.of(org.carbonupgrade.schema.SchemaReader.Part.COLUMNS)).columns.containsKey("UM_DOMAIN_ID")) {
                missing.add("column " + t + ".UM_DOMAIN_ID");
            }
        }
        if (missing.isEmpty()) return null;
        Checkpoint cp = new Checkpoint(NAME);
        cp.fail(String.join(", ", missing) + (missing.size() == 1 ? " does" : " do") + " not exist, so 4.2.0 can resolve no role"
                + " permission or hybrid-role membership: " + Verifier.NOT_FINISHED);
        return cp;
    }

    private static Checkpoint checkAndShare(Connection c, Map<String, String> tables, DomainColumns domainColumns, AccessSnapshot given,
            RealmNames names, java.util.concurrent.CompletableFuture<HybridGroups> share, TableReadsBeside beside,
            ReadBeside<GrantReads> grantReads) throws SQLException {
        Checkpoint cp = new Checkpoint(NAME);
        long loadStarted = System.nanoTime();
        AccessSnapshot before = given != null ? given : AccessSnapshot.load(c, tables);
        if (before == null) {
            cp.notAvailable("No snapshot of 4.0.x access (" + AccessSnapshot.TABLE + "): the gate takes it on the first run of an"
                    + " untouched Carbon 4.0.x database, so this database was upgraded without one.");
            return cp;
        }
        if (!before.engineDigests) {
            cp.notAvailable("The snapshot of 4.0.x access in " + AccessSnapshot.TABLE + " was taken by a development build of"
                    + " carbon-upgrade before 1.0.0 whose grant digests this version does not compute. Upgrade a restored"
                    + " copy of the 4.0.x backup with this version to prove access equivalence.");
            return cp;
        }
        if (Engine.of(c) == Engine.H2 && c.getMetaData().getDatabaseMajorVersion() < 2) {
            // The snapshot's name hashes are H2 2.x ORA_HASH values, a function H2 1.2.140 lacks. A Carbon H2 1.2 file is
            // upgraded as an H2 2.x work copy whose own verification (the update's last changeset) proved this
            // checkpoint; the conversion back then copied every row and counted each table against that copy.
            cp.notAvailable("This is an H2 1.2 file, which cannot recompute the snapshot's name hashes (no ORA_HASH):"
                    + " the update proved access equivalence on its H2 2.x work copy before converting it back row for row;"
                    + " see that run's verification report.");
            return cp;
        }
        // Each tenant's everyone role as the snapshot read it from UM_TENANT (which the upgrade leaves alone); the super
        // tenant's from this run's setting.
        Map<Integer, String> everyone = new HashMap<>(before.everyone); // looked up per group: hashed, not a tree
        everyone.put(RealmNames.SUPER_TENANT, names.superTenantEveryoneRole());
        AccessEquivalence check = new AccessEquivalence(c, cp, new RenameMap(names, everyone), before);
        check.hybridGroups = domainColumns == null ? null : domainColumns.hybridGroups();
        check.share = share;
        check.beside = beside;
        check.grantReads = grantReads;
        check.ownSnapshot = given == null;
        cp.detail("4.0.x access taken at " + before.takenAt + " with " + before.settings + "; compared through the rename map"
                + " of docs/access-control.md with primaryDomain=" + names.primaryDomain() + ", secondaryDomains="
                + (names.secondaryDomainsGiven() ? String.join(",", names.secondaryDomains()) : "(any prefix)"));
        check.run(tables.containsKey("UM_SYSTEM_USER_ROLE") && tables.containsKey("UM_SYSTEM_ROLE"), loadStarted);
        return cp;
    }

    private void run(boolean systemStore, long loadStarted) throws SQLException {
        long start = System.nanoTime();
        boolean sharing = beside == null && share != null && hybridGroups == null;
        if (sharing) { // first, so the domain checkpoint waits as little as possible
            hybridGroups = hybridGroups(sql);
            share.complete(hybridGroups);
        }
        long hybridRead = System.nanoTime();
        boolean grantsBeside = grantReads != null;
        if (!grantsBeside) permissions = sql.permissionHashes();
        long permissionsRead = System.nanoTime();
        // Read beside: the role grants are read meanwhile, and summed once the hashes are there (AccessSql.sumGrants).
        TenantGroups<RoleName> roleGrants = roleGrants(new AccessSql.PendingHashes() {
            @Override
            public PermissionHashes now() throws SQLException {
                return permissions != null || grantReads.done() ? await() : null;
            }

            @Override
            public PermissionHashes await() throws SQLException {
                if (permissions == null) {
                    long waiting = System.nanoTime();
                    GrantReads read = grantReads.await();
                    permissions = read.permissions;
                    domains = read.domains;
                    read.permissions = null; // the caller holds the read until it closes it: the hashes are let go of after the grants (run)
                    waitedForPermissions = System.nanoTime() - waiting;
                }
                return permissions;
            }
        });
        long read = System.nanoTime();
        compareGrants(roleGrants);
        newUsers(roleGrants);
        userGrants();
        permissions = null; // compared: let go of it before the memberships (12 MB at 50,000 tenants)
        long grants = System.nanoTime();
        if (ownSnapshot) { // compared: let go of them before the memberships, this check's largest part
            before.roleGrants.clear();
            before.userGrants.clear();
        }
        // The memberships need only to know which everyone or anonymous roles hold grants (see residue): keeping just
        // those lets go of the other hundreds of thousands of groups.
        Set<Key> grantedResidue = new java.util.HashSet<>();
        for (int row = 0; row < roleGrants.size(); row++) {
            Key k = new Key(roleGrants.tenant(row), roleGrants.label(row), null);
            if (actual(roleGrants, row) != null && residue(k)) grantedResidue.add(k);
        }
        roleGrants = null;
        memberships(systemStore, grantedResidue);
        if (differences > LISTED) {
            cp.fail("... and " + (differences - LISTED) + " more differences (" + differences + " in all, in tenants "
                    + preview(tenantsWithDifferences) + "); the first " + LISTED + " are listed above.");
        }
        // Where this checkpoint's time went, so its cost on a big database can be planned and tuned (docs/benchmark.md).
        TableReads tableReads = this.tableReads;
        long waited = waitedForTotals + waitedForGroups;
        cp.detail(String.format(java.util.Locale.ROOT, "time: snapshot read %.1f s, %s%s %.1f s, 4.2.0 role grants read %.1f s, grants"
                + " compared %.1f s, memberships read and compared %.1f s (of it the snapshot's side %.1f s)", (start - loadStarted) / 1e9,
                sharing ? String.format(java.util.Locale.ROOT, "UM_HYBRID_USER_ROLE grouped (for the domain checkpoint too)"
                        + " %.1f s, ", (hybridRead - start) / 1e9) : "",
                grantsBeside ? "of the role grants' read below, waited for UM_PERMISSION's hashes read beside meanwhile"
                        : "UM_PERMISSION's hashes read", grantsBeside ? waitedForPermissions / 1e9 : (permissionsRead - hybridRead) / 1e9,
                (read - permissionsRead) / 1e9, (grants - read) / 1e9, (System.nanoTime() - grants) / 1e9, snapshotSide / 1e9)
                + (beside == null ? "" : String.format(java.util.Locale.ROOT, "; beside them on a connection of their own: UM_HYBRID_USER_ROLE"
                + " grouped (for the domain checkpoint too) %.1f s, totals and names read %.1f s%s, waited for %.1f s"
                + " (%.1f s for the totals, %.1f s for the grouping after the snapshot's side)%s",
                tableReads.hybridMillis / 1e3, (tableReads.totalsMillis >= 0 ? tableReads.totalsMillis : tableReads.millis - tableReads.hybridMillis) / 1e3,
                tableReads.totalsMillis >= 0 ? " (on another, its row counts for the row-count checkpoint too)" : "",
                waited / 1e9, waitedForTotals / 1e9, waitedForGroups / 1e9,
                grantsBeside ? "; UM_PERMISSION and UM_DOMAIN read on another while the snapshot was read" : "")));
    }

    // ---- role grants ----------------------------------------------------------------------------------------

    /**
     * 4.2.0's role grants per (tenant, role, domain), counted and digested from their row hashes as the snapshot's
     * were (AccessSql.sumGrants): no row text travels to Java; rowDifference reads the few rows of a group that differs.
     */
    private TenantGroups<RoleName> roleGrants(AccessSql.PendingHashes permissions) throws SQLException {
        TenantGroups<RoleName> groups = new TenantGroups<>(3, before.roleGrants.size());
        long[] invisible = {0};
        // UM_DOMAIN matched here (a few rows per tenant), as GET_EXISTING_ROLE_PERMISSIONS joins it on id and tenant: after
        // the rows, whose groups come once the hashes are there (and with them UM_DOMAIN's names, where both are read beside).
        IdNames[] domains = {null};
        sql.sumGrants(AccessSql.roleGrantRows(true), true, permissions, before.roleGrants.size(), (tenant, role, domainId, count, digest) -> {
            if (domains[0] == null) domains[0] = domains();
            String domain = domainId == null ? null : domains[0].get(tenant, domainId);
            if (domain == null) invisible[0] += count;
            // Two domain ids of one name (or none) are one role to 4.2.0, as PermissionTree keys it by name.
            int row = groups.row(tenant, new RoleName(domain, role));
            groups.set(row, RESOLVED, 1);
            groups.add(row, COUNT, count);
            groups.add(row, DIGEST, digest);
        });
        cp.detail(invisible[0] == 0 ? "every UM_ROLE_PERMISSION row reaches a UM_DOMAIN row (no NULL or dangling domain id)"
                : invisible[0] + " UM_ROLE_PERMISSION rows reach no UM_DOMAIN row: 4.2.0 cannot see them (listed below as missing)");
        return groups;
    }

    /** Columns of the role-grant groups: whether 4.2.0 resolves any grant of the role (1), and its count and digest of them. */
    private static final int RESOLVED = 0;
    private static final int COUNT = 1;
    private static final int DIGEST = 2;

    /** What 4.2.0 resolves for a role-grant group, or null where it resolves nothing. */
    private static Grants actual(TenantGroups<RoleName> groups, int row) {
        return groups.get(row, RESOLVED) == 0 ? null : counted(groups.get(row, COUNT), groups.get(row, DIGEST));
    }

    /** UM_DOMAIN's names by (tenant, domain id), read once (here, or beside: GrantReads). */
    private IdNames domains() throws SQLException {
        if (domains == null) domains = domains(sql);
        return domains;
    }

    /** UM_DOMAIN's names by (tenant, domain id): 4.2.0 joins a row's domain on both. */
    private static IdNames domains(AccessSql sql) throws SQLException {
        IdNames domains = new IdNames();
        sql.stream("SELECT UM_DOMAIN_ID, UM_TENANT_ID, UM_DOMAIN_NAME FROM UM_DOMAIN",
                rs -> domains.put(rs.getInt(2), rs.getInt(1), rs.getString(3)));
        return domains;
    }

    /** A group the engine counted and digested: its rows are read only if it differs (see rowDifference). */
    private static Grants counted(long count, long digest) {
        Grants g = new Grants(count, digest);
        g.rows = null;
        return g;
    }

    /**
     * Adds a snapshot group's grants to what 4.2.0 should resolve for its key: the group itself where it is the only one
     * (nothing changes it afterwards; tenants share one instance, see AccessSnapshot), a sum only where 4.0.x names
     * that 4.2.0 sees as one role meet, so ten thousand tenants' grants are not copied.
     */
    private static Grants addUp(Grants before, Grants g) {
        if (before == null) return g;
        Grants sum = new Grants();
        sum.merge(before);
        sum.merge(g);
        return sum;
    }

    /** The 4.0.x grants expected of each role-grant group are the groups' references. */
    private void compareGrants(TenantGroups<RoleName> groups) throws SQLException {
        for (AccessSnapshot.RoleGrants g : before.roleGrants) {
            int row = groups.row(g.tenant(), map.role(g.tenant(), g.role(), g.inStore(), g.inHybrid()));
            groups.setRef(row, addUp((Grants) groups.ref(row), g.grants()));
        }
        Map<Key, String> from = null; // the 4.0.x role names of a key that differs, sorted and joined where several meet
        int same = 0;
        List<Key> differ = new ArrayList<>();
        java.util.Set<Integer> tenants = new java.util.HashSet<>();
        for (int row = 0; row < groups.size(); row++) {
            Grants e = (Grants) groups.ref(row);
            if (e != null) tenants.add(groups.tenant(row));
            if (e != null && groups.get(row, RESOLVED) != 0 && e.count == groups.get(row, COUNT) && e.digest == groups.get(row, DIGEST)) same++;
            else differ.add(new Key(groups.tenant(row), groups.label(row), null));
        }
        differ.sort(ORDER);
        for (Key k : differ) {
            int row = groups.find(k.tenant(), k.role());
            Grants e = (Grants) groups.ref(row);
            Grants a = actual(groups, row);
            if (from == null) from = sourceNames();
            String was = e == null ? "4.0.x gave this role no grants" : "4.0.x granted " + e.count + " (to 4.0.x role " + from.get(k) + ")";
            difference(k.tenant(), k.describe() + ": " + was + ", 4.2.0 resolves " + (a == null ? 0 : a.count) + ". "
                    + rowDifference(e, a, limit -> grantRows(k, limit)));
        }
        cp.detail(same + " roles' grants in " + tenants.size() + " tenants resolve in 4.2.0 exactly as in 4.0.x");
    }

    /** The 4.0.x role names behind each 4.2.0 role, sorted and joined where several meet; only needed to describe a difference. */
    private Map<Key, String> sourceNames() {
        Map<Key, Set<String>> names = new HashMap<>();
        for (AccessSnapshot.RoleGrants g : before.roleGrants) {
            names.computeIfAbsent(new Key(g.tenant(), map.role(g.tenant(), g.role(), g.inStore(), g.inHybrid()), null), k -> new TreeSet<>())
                    .add(g.role());
        }
        Map<Key, String> out = new HashMap<>();
        names.forEach((k, n) -> out.put(k, String.join(", ", n)));
        return out;
    }

    /**
     * What a user created after the upgrade gets, against a new 4.0.x user: 4.0.x gave a new user the everyone role
     * only (JDBCUserStoreManager.addUser; HybridRoleManager.getHybridRoleListOfUser adds it for every user), so its
     * grants; 4.2.0 gives Internal/everyone (HybridRoleManager.getHybridRoleListOfUser), so that role's grants.
     */
    private void newUsers(TenantGroups<RoleName> groups) throws SQLException {
        Map<Integer, Grants> old = new TreeMap<>();
        Set<Integer> tenants = new TreeSet<>(before.everyone.keySet());
        for (AccessSnapshot.RoleGrants g : before.roleGrants) {
            tenants.add(g.tenant());
            if (g.role().equals(map.everyone(g.tenant()))) old.put(g.tenant(), g.grants());
        }
        int same = 0;
        for (int t : tenants) {
            Grants e = old.get(t);
            Key everyone = new Key(t, map.everyoneRole(t), null);
            int row = groups.find(t, everyone.role());
            Grants a = row == LongIntMap.ABSENT ? null : actual(groups, row);
            if ((e == null && a == null) || (e != null && e.sameAs(a))) {
                same++;
                continue;
            }
            Key plain = new Key(t, new RoleName(map.names().primaryDomain(), map.everyone(t)), null);
            int plainRow = groups.find(t, plain.role());
            Grants inPlain = plainRow == LongIntMap.ABSENT ? null : actual(groups, plainRow);
            String elsewhere = inPlain != null ? " 4.2.0 resolves " + inPlain.count + " grants for the primary-store role "
                    + plain.role().display() + " instead, which only users who existed before the upgrade hold (their old UM_USER_ROLE rows)." : "";
            difference(t, "a user created in tenant " + t + " after the upgrade gets " + (a == null ? 0 : a.count) + " grants through "
                    + everyone.role().display() + ", but a new 4.0.x user got " + (e == null ? 0 : e.count) + " through the everyone role '"
                    + map.everyone(t) + "'." + elsewhere + " " + rowDifference(e, a, limit -> grantRows(everyone, limit)));
        }
        cp.detail("new users: in " + same + " of " + tenants.size() + " tenants a user created after the upgrade gets the grants a new"
                + " 4.0.x user got (4.0.x: the everyone role's; 4.2.0: Internal/everyone's)");
    }

    private void userGrants() throws SQLException {
        Map<Key, Grants> expected = new HashMap<>();
        for (AccessSnapshot.UserGrants g : before.userGrants) {
            Key k = new Key(g.tenant(), new RoleName(null, g.user()), null);
            expected.put(k, addUp(expected.get(k), g.grants()));
        }
        Map<Key, Grants> actual = new HashMap<>();
        sql.sumGrants(AccessSql.USER_GRANT_ROWS, false, permissions, before.userGrants.size(), (tenant, user, domain, count, digest) ->
                actual.put(new Key(tenant, new RoleName(null, user), null), counted(count, digest)));
        List<Key> differ = differing(expected, actual, Grants::sameAs);
        int same = expected.size() - (int) differ.stream().filter(expected::containsKey).count();
        for (Key k : differ) {
            Grants e = expected.get(k);
            Grants a = actual.get(k);
            difference(k.tenant(), "tenant " + k.tenant() + ", user " + k.role().name() + ": UM_USER_PERMISSION held " + (e == null ? 0 : e.count)
                    + " grants before the upgrade and " + (a == null ? 0 : a.count) + " now (the upgrade must not change them). "
                    + rowDifference(e, a, limit -> userGrantRows(k, limit)));
        }
        cp.detail(same + " users' own grants (UM_USER_PERMISSION) unchanged");
    }

    // ---- memberships ----------------------------------------------------------------------------------------

    /**
     * The snapshot's side is grouped first, with the totals read beside (UM_USER_ROLE, UM_ROLE: on a connection of their
     * own, done long before UM_HYBRID_USER_ROLE's grouping), and only then does this wait for that grouping: the
     * snapshot's lines (tens of thousands, a Java pass) no longer come after the grouping on the verifier's path.
     *
     * @param grantedResidue the 4.2.0 roles holding grants that {@link #residue} picks out (keys without a user domain)
     */
    private void memberships(boolean systemStore, Set<Key> grantedResidue) throws SQLException {
        String primary = map.names().primaryDomain();
        TenantGroups<Group> groups = new TenantGroups<>(MEMBER_COLUMNS, before.members.size());
        long everyoneImplicit = 0;
        long anonymousImplicit = 0;
        long waiting = System.nanoTime();
        TableReads read = beside == null ? null : beside.awaitTotals();
        waitedForTotals = System.nanoTime() - waiting;
        long snapshotStarted = System.nanoTime();
        boolean storeAsTaken = storeUnchanged(read == null ? null : read.userRoles, read == null ? null : read.roles);
        AccessSnapshot.Members lines = before.members;
        for (int i = 0; i < lines.size(); i++) {
            int tenant = lines.tenant(i);
            String memberOf = lines.role(i);
            String member = lines.user(i);
            long count = lines.count(i);
            if (storeAsTaken && lines.source(i) == 'm') { // what 4.2.0 resolves from the unchanged UM_USER_ROLE x UM_ROLE, as the gate grouped it
                resolved(groups, groups.row(tenant, new Group(new RoleName(primary, memberOf), primary)), count, lines.hashSum(i));
            }
            boolean hybrid = lines.source(i) == 'h';
            RoleName role = map.role(tenant, memberOf, !hybrid, hybrid);
            if (role.equals(map.everyoneRole(tenant))) {
                everyoneImplicit += count;
                continue;
            }
            if (member == null) {
                had(groups, groups.row(tenant, new Group(role, primary)), count, lines.hashSum(i));
                continue;
            }
            if (member.equals(RealmNames.ANONYMOUS_USER) && role.equals(RenameMap.anonymousRole())) {
                anonymousImplicit += count;
                continue;
            }
            RoleName user = hybrid ? map.user(member) : new RoleName(primary, member);
            int row = groups.row(tenant, new Group(role, user.domain()));
            had(groups, row, count, user.name().equals(member) ? lines.hashSum(i) : lines.hashAfterSlash(i));
            @SuppressWarnings("unchecked")
            List<String> named = (List<String>) groups.ref(row);
            if (named == null) groups.setRef(row, named = new ArrayList<>());
            named.add(member + " -> " + user.domain() + "/" + user.name());
        }
        // Compared from here on through the groups: the snapshot's membership lines are not needed again.
        if (ownSnapshot) before.members.clear();
        snapshotSide = System.nanoTime() - snapshotStarted;
        if (beside != null) {
            waiting = System.nanoTime();
            read = beside.await();
            waitedForGroups = System.nanoTime() - waiting;
            hybridGroups = read.hybridGroups;
            read.hybridGroups = null; // held once, let go of once compared (below)
            tableReads = read;
        }

        long[] implicit = {0, 0, 0}; // Internal/everyone rows, anonymous system membership, rows without a visible domain
        if (!storeAsTaken) {
            IdNames storeRoles = sql.roleNames("UM_ROLE");
            sql.groupedNumbers(sql.storeMemberships(), 4, rs -> {
                String role = storeRoles.get((int) rs.get(1), (int) rs.get(2));
                if (role != null) { // 4.2.0 GET_USER_ROLE_SQL joins the role
                    resolved(groups, groups.row((int) rs.get(1), new Group(new RoleName(primary, role), primary)), rs.get(3), rs.get(4));
                }
            });
        }
        IdNames hybridRoles = read != null ? read.hybridRoles : sql.roleNames("UM_HYBRID_ROLE");
        IdNames domains = domains();
        HybridGroups.Sink hybrid = (tenant, roleId, hasDomain, domainId, count, hashSum) -> {
            String roleName = hybridRoles.get(tenant, roleId);
            String domain = hasDomain ? domains.get(tenant, domainId) : null;
            String userDomain = domain == null ? null : domain.toUpperCase(java.util.Locale.ROOT);
            RoleName role = new RoleName(RoleName.INTERNAL, roleName == null ? "(UM_ROLE_ID " + roleId + " without a UM_HYBRID_ROLE row)" : roleName);
            if (userDomain == null) implicit[2] += count;
            if (role.equals(map.everyoneRole(tenant)) && userDomain != null) {
                implicit[0] += count;
                return;
            }
            resolved(groups, groups.row(tenant, new Group(role, userDomain == null ? "(none: no UM_DOMAIN row, invisible to 4.2.0)" : userDomain)),
                    count, hashSum);
        };
        if (hybridGroups != null) { // read first and shared with the domain checkpoint (see run)
            hybridGroups.forEach(hybrid);
            hybridGroups = null;
        } else { // each group handled as it is read: no list of them held
            sql.groupedNumbers(sql.hybridMemberships42(), 5, rs -> HybridGroups.read(rs, hybrid));
        }
        if (systemStore) {
            sql.grouped(sql.systemMemberships42(), rs -> {
                RoleName role = new RoleName(RoleName.SYSTEM, rs.getString(2));
                if (rs.getString(3) != null && role.equals(RenameMap.anonymousRole())) {
                    implicit[1] += rs.getLong(4);
                    return;
                }
                resolved(groups, groups.row(rs.getInt(1), new Group(role, RoleName.SYSTEM)), rs.getLong(4), rs.getLong(5));
            });
        }

        int same = 0;
        long members = 0;
        List<String> residue = new ArrayList<>();
        List<Key> differ = new ArrayList<>();
        for (int row = 0; row < groups.size(); row++) {
            if (!same(groups, row)) {
                differ.add(new Key(groups.tenant(row), groups.label(row).role(), groups.label(row).userDomain()));
                continue;
            }
            same++;
            members += groups.get(row, HAD_COUNT);
        }
        differ.sort(ORDER);
        for (Key k : differ) {
            Members m = members(groups, groups.find(k.tenant(), new Group(k.role(), k.userDomain())));
            if (!m.had && residue(k) && !grantedResidue.contains(new Key(k.tenant(), k.role(), null))) {
                residue.add("tenant " + k.tenant() + " " + k.role().display() + " (" + m.actualCount + " rows)");
                continue;
            }
            StringBuilder p = new StringBuilder(k.describe()).append(": 4.0.x had ").append(m.count)
                    .append(" members, 4.2.0 resolves ").append(m.actualCount);
            if (m.had && m.resolved && m.count == m.actualCount) p.append(" (same count, different members)");
            p.append('.');
            if (!m.had && k.role().name().equals(map.everyone(k.tenant())) && k.role().domain().equals(primary)) {
                p.append(" In 4.2.0 the everyone role is ").append(map.everyoneRole(k.tenant()).display())
                        .append(", held by every user without a row; these rows make a second role that holds grants (see above), which only")
                        .append(" these members get.");
            } else if (!m.had && k.role().name().equals(RealmNames.ANONYMOUS_ROLE)) {
                p.append(" In 4.2.0 the anonymous role is ").append(RenameMap.anonymousRole().display()).append(" in the system store; ")
                        .append(k.role().display()).append(" is a different role, and it holds grants (see above).");
            }
            if (m.named != null) p.append(" Expected one by one: ").append(m.named).append('.');
            List<String> rows = memberRows(k);
            if (rows != null) p.append(" 4.2.0 rows of this role: ").append(rows);
            difference(k.tenant(), p.toString());
        }
        cp.detail(same + " role memberships groups (" + members + " members) resolve in 4.2.0 as in 4.0.x (per tenant, role and"
                + " user domain: count and hash of the member names)");
        if (!residue.isEmpty()) {
            cp.detail("note: " + residue.size() + " roles keep 4.0.x member rows of the everyone or anonymous role under another 4.2.0"
                    + " role, with no grants, so they change nobody's access: " + preview(residue) + ". 4.2.0 holds these memberships as "
                    + "Internal/everyone and system/wso2.anonymous.role; a leftover primary-store everyone role is one 4.2.0 takes for the"
                    + " everyone role by name (UserCoreUtil.isEveryoneRole) and will not edit or delete.");
        }
        cp.detail("Internal/everyone: " + everyoneImplicit + " 4.0.x everyone memberships (4.0.x held everyone for every user) are held"
                + " implicitly by every user in 4.2.0" + (implicit[0] > 0 ? "; " + implicit[0] + " explicit UM_HYBRID_USER_ROLE rows of it add nothing" : ""));
        cp.detail("system/wso2.anonymous.role: " + anonymousImplicit + " 4.0.x anonymous-user memberships; 4.2.0 holds it for"
                + " wso2.anonymous.user itself (AbstractUserStoreManager.isUserInRole, doInitialUserAdding), " + implicit[1] + " UM_SYSTEM_USER_ROLE rows");
        cp.detail(implicit[2] == 0 ? "every UM_HYBRID_USER_ROLE row reaches a UM_DOMAIN row of its tenant (no NULL or dangling domain id)"
                : implicit[2] + " UM_HYBRID_USER_ROLE rows reach no UM_DOMAIN row of their tenant: 4.2.0 cannot see them");
    }

    /**
     * True when UM_USER_ROLE and UM_ROLE hold exactly the rows the gate grouped (row count and row-hash sum, AccessSql.Total,
     * equal to the snapshot's): the upgrade never writes either table, so then 4.2.0's primary-store memberships are the
     * snapshot's groups and one ungrouped pass replaces grouping two million rows again (docs/benchmark.md). Where either
     * differs the memberships are grouped again, so a changed row is still found and named with its tenant and role.
     *
     * @param userRolesRead UM_USER_ROLE's total now as read beside (TableReads); null: read here
     * @param rolesRead UM_ROLE's, likewise
     */
    private boolean storeUnchanged(AccessSql.Total userRolesRead, AccessSql.Total rolesRead) throws SQLException {
        AccessSql.Total userRoles = before.totals.get("UM_USER_ROLE");
        AccessSql.Total roles = before.totals.get("UM_ROLE");
        if (userRoles == null || roles == null) return false;
        AccessSql.Total userRolesNow = userRolesRead != null ? userRolesRead : sql.userRoleTotal();
        AccessSql.Total rolesNow = rolesRead != null ? rolesRead : sql.roleTotal();
        boolean same = userRoles.same(userRolesNow) && roles.same(rolesNow);
        cp.detail(same ? "UM_USER_ROLE (" + userRoles.rows + " rows) and UM_ROLE (" + roles.rows + " rows) are as the gate read them (row count and"
                + " sum of a hash of each row's ids and name): the primary-store memberships 4.2.0 resolves from them are the snapshot's groups"
                : "UM_USER_ROLE (" + userRoles + " before, " + userRolesNow + " now) or UM_ROLE (" + roles + " before, " + rolesNow
                + " now) changed since the gate read them (the upgrade writes neither): their memberships were grouped again");
        return same;
    }

    /** UM_HYBRID_USER_ROLE per (tenant, role, domain id): count and hash sum of the member names. */
    private static HybridGroups hybridGroups(AccessSql sql) throws SQLException {
        HybridGroups read = new HybridGroups();
        sql.groupedNumbers(sql.hybridMemberships42(), 5, rs -> HybridGroups.read(rs, read::add));
        return read.trim();
    }

    /** The label of a membership group within its tenant. */
    private record Group(RoleName role, String userDomain) {
    }

    /** Columns of the membership groups: FLAGS (HAD: 4.0.x had members, RESOLVED: 4.2.0 resolves some), then each side's count and hash sum. */
    private static final int FLAGS = 0;
    private static final int HAD_COUNT = 1;
    private static final int HAD_SUM = 2;
    private static final int RESOLVED_COUNT = 3;
    private static final int RESOLVED_SUM = 4;
    private static final int MEMBER_COLUMNS = 5;
    private static final long HAD = 1;
    private static final long RESOLVED_ANY = 2;

    private static void had(TenantGroups<Group> groups, int row, long count, long hashSum) {
        groups.set(row, FLAGS, groups.get(row, FLAGS) | HAD);
        groups.add(row, HAD_COUNT, count);
        groups.add(row, HAD_SUM, hashSum);
    }

    private static void resolved(TenantGroups<Group> groups, int row, long count, long hashSum) {
        groups.set(row, FLAGS, groups.get(row, FLAGS) | RESOLVED_ANY);
        groups.add(row, RESOLVED_COUNT, count);
        groups.add(row, RESOLVED_SUM, hashSum);
    }

    private static boolean same(TenantGroups<Group> groups, int row) {
        return groups.get(row, FLAGS) == (HAD | RESOLVED_ANY) && groups.get(row, HAD_COUNT) == groups.get(row, RESOLVED_COUNT)
                && groups.get(row, HAD_SUM) == groups.get(row, RESOLVED_SUM);
    }

    /** A group that differs, as one object for the report. */
    @SuppressWarnings("unchecked")
    private static Members members(TenantGroups<Group> groups, int row) {
        Members m = new Members();
        m.had = (groups.get(row, FLAGS) & HAD) != 0;
        m.resolved = (groups.get(row, FLAGS) & RESOLVED_ANY) != 0;
        m.count = groups.get(row, HAD_COUNT);
        m.actualCount = groups.get(row, RESOLVED_COUNT);
        m.named = (List<String>) groups.ref(row);
        return m;
    }

    /**
     * Rows of the 4.0.x everyone or anonymous role that 4.2.0 reads as a different role (a primary-store everyone
     * role, an internal or primary-store wso2.anonymous.role): the rename map holds those memberships implicitly
     * in 4.2.0, so the rows only matter if that other role holds grants.
     */
    private boolean residue(Key k) {
        String name = k.role().name();
        return (name.equals(map.everyone(k.tenant())) && !k.role().equals(map.everyoneRole(k.tenant())))
                || (name.equals(RealmNames.ANONYMOUS_ROLE) && !k.role().equals(RenameMap.anonymousRole()));
    }

    // ---- reporting ------------------------------------------------------------------------------------------

    private void difference(int tenant, String text) {
        differences++;
        tenantsWithDifferences.add(tenant);
        if (differences <= LISTED) cp.fail(text);
    }

    interface RowSource {
        /** The 4.2.0 rows of the group, at most {@code limit} of them and "..." after them when there are more. */
        List<String> rows(int limit) throws SQLException;
    }

    /** The exact missing and extra rows where both sides kept them; else the 4.2.0 rows of this role. */
    private String rowDifference(Grants e, Grants a, RowSource rows42) throws SQLException {
        if (differences >= LISTED) return "";
        if (a != null && a.rows == null && a.count <= Grants.WHOLE_UP_TO) {
            // Counted by the engine: read its rows now, as many as a group keeps whole.
            List<String> rows = rows42.rows(Grants.WHOLE_UP_TO);
            if (rows.size() <= Grants.WHOLE_UP_TO) a.rows = new TreeSet<>(rows);
        }
        if (e != null && e.rows != null && (a == null || a.rows != null)) {
            Set<String> missing = new TreeSet<>(e.rows);
            Set<String> extra = new TreeSet<>();
            if (a != null) {
                missing.removeAll(a.rows);
                extra.addAll(a.rows);
                extra.removeAll(e.rows);
            }
            return (missing.isEmpty() ? "" : "Missing in 4.2.0: " + missing + ". ") + (extra.isEmpty() ? "" : "Not granted in 4.0.x: " + extra + ".");
        }
        if (e == null && a != null && a.rows != null) return "Not granted in 4.0.x: " + a.rows + ".";
        if (a != null && a.rows != null) return "4.2.0 rows: " + a.rows + ".";
        List<String> r = rows42.rows(ROWS_SHOWN);
        return r.isEmpty() ? "" : "4.2.0 rows (first " + ROWS_SHOWN + "): " + r + ".";
    }

    /** The 4.2.0 grant rows of a role (of no domain: the rows that reach no UM_DOMAIN row). */
    private List<String> grantRows(Key k, int limit) throws SQLException {
        String domain = k.role().domain();
        String query = "SELECT p.UM_RESOURCE_ID, p.UM_ACTION, rp.UM_IS_ALLOWED FROM UM_ROLE_PERMISSION rp"
                + " JOIN UM_PERMISSION p ON p.UM_ID = rp.UM_PERMISSION_ID AND p.UM_TENANT_ID = rp.UM_TENANT_ID"
                + " LEFT JOIN UM_DOMAIN d ON d.UM_DOMAIN_ID = rp.UM_DOMAIN_ID AND d.UM_TENANT_ID = rp.UM_TENANT_ID"
                + " WHERE rp.UM_TENANT_ID = ? AND rp.UM_ROLE_NAME = ? AND d.UM_DOMAIN_NAME " + (domain == null ? "IS NULL" : "= ?");
        Mapper row = rs -> Grants.row(rs.getString(1), rs.getString(2), rs.getInt(3) != 0);
        return domain == null ? list(query, limit, row, k.tenant(), k.role().name()) : list(query, limit, row, k.tenant(), k.role().name(), domain);
    }

    private List<String> userGrantRows(Key k, int limit) throws SQLException {
        return list("SELECT p.UM_RESOURCE_ID, p.UM_ACTION, up.UM_IS_ALLOWED FROM UM_USER_PERMISSION up"
                + " JOIN UM_PERMISSION p ON p.UM_ID = up.UM_PERMISSION_ID AND p.UM_TENANT_ID = up.UM_TENANT_ID"
                + " WHERE up.UM_TENANT_ID = ? AND up.UM_USER_NAME = ?",
                limit, rs -> Grants.row(rs.getString(1), rs.getString(2), rs.getInt(3) != 0), k.tenant(), k.role().name());
    }

    /** The 4.2.0 member rows of the role (every user domain, so a member moved to another domain shows where it went). */
    private List<String> memberRows(Key k) throws SQLException {
        if (differences >= LISTED) return null;
        String domain = k.role().domain();
        if (RoleName.INTERNAL.equals(domain)) {
            return list("SELECT h.UM_USER_NAME, d.UM_DOMAIN_NAME FROM UM_HYBRID_USER_ROLE h"
                    + " JOIN UM_HYBRID_ROLE r ON r.UM_ID = h.UM_ROLE_ID AND r.UM_TENANT_ID = h.UM_TENANT_ID"
                    + " LEFT JOIN UM_DOMAIN d ON d.UM_DOMAIN_ID = h.UM_DOMAIN_ID AND d.UM_TENANT_ID = h.UM_TENANT_ID"
                    + " WHERE h.UM_TENANT_ID = ? AND r.UM_ROLE_NAME = ? ORDER BY d.UM_DOMAIN_NAME, h.UM_USER_NAME",
                    rs -> rs.getString(1) + " (" + (rs.getString(2) == null ? "no domain" : rs.getString(2)) + ")", k.tenant(), k.role().name());
        }
        if (RoleName.SYSTEM.equals(domain)) {
            return list("SELECT s.UM_USER_NAME FROM UM_SYSTEM_USER_ROLE s JOIN UM_SYSTEM_ROLE r ON r.UM_ID = s.UM_ROLE_ID AND r.UM_TENANT_ID = s.UM_TENANT_ID"
                    + " WHERE s.UM_TENANT_ID = ? AND r.UM_ROLE_NAME = ? ORDER BY s.UM_USER_NAME", rs -> rs.getString(1), k.tenant(), k.role().name());
        }
        if (map.names().primaryDomain().equals(domain)) {
            return list("SELECT u.UM_USER_NAME FROM UM_USER_ROLE ur JOIN UM_USER u ON u.UM_ID = ur.UM_USER_ID AND u.UM_TENANT_ID = ur.UM_TENANT_ID"
                    + " JOIN UM_ROLE r ON r.UM_ID = ur.UM_ROLE_ID AND r.UM_TENANT_ID = ur.UM_TENANT_ID"
                    + " WHERE ur.UM_TENANT_ID = ? AND r.UM_ROLE_NAME = ? ORDER BY u.UM_USER_NAME", rs -> rs.getString(1), k.tenant(), k.role().name());
        }
        return null; // roles of other user stores have no member rows in this database
    }

    interface Mapper {
        String map(ResultSet rs) throws SQLException;
    }

    private List<String> list(String query, Mapper mapper, Object... args) throws SQLException {
        return list(query, ROWS_SHOWN, mapper, args);
    }

    private List<String> list(String query, int limit, Mapper mapper, Object... args) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(query)) {
            ps.setMaxRows(limit + 1);
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(mapper.map(rs));
            }
        }
        if (out.size() > limit) out.set(limit, "...");
        return out;
    }

    /**
     * The keys of either side whose two sides differ, in report order; the others only count. One lookup per expected
     * key, and the actual keys are walked only when some of them were not matched: on ten thousand tenants these maps'
     * lookups were most of the grant comparison's Java time (docs/benchmark.md). Only the differences are sorted.
     */
    private static <T> List<Key> differing(Map<Key, T> expected, Map<Key, T> actual, java.util.function.BiPredicate<T, T> same) {
        List<Key> differ = new ArrayList<>();
        int[] matched = {0};
        expected.forEach((k, e) -> {
            T a = actual.get(k);
            if (a != null) matched[0]++;
            if (e == null || !same.test(e, a)) differ.add(k);
        });
        if (matched[0] < actual.size()) {
            for (Key k : actual.keySet()) {
                if (!expected.containsKey(k)) differ.add(k);
            }
        }
        differ.sort(ORDER);
        return differ;
    }

    private static String preview(java.util.Collection<?> items) {
        List<?> list = new ArrayList<>(items);
        return list.size() <= 10 ? list.toString() : list.subList(0, 10) + " and " + (list.size() - 10) + " more";
    }
}
