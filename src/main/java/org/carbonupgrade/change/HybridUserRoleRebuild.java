package org.carbonupgrade.change;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's domain back-fill of UM_HYBRID_USER_ROLE as a rebuild (changelogs/carbon/um-domain-ids.xml,
 * um-hybrid-user-role-rebuild-*): the rows are copied, with UM_DOMAIN_ID and UM_USER_NAME as the two back-fill
 * statements leave them, into a new table of the same shape, in key-range chunks each committed
 * ({@link CopyHybridUserRole}); its primary key's index and its foreign key are built on the full copy; then one
 * transaction drops the old table and renames the copy in its place ({@link SwapHybridUserRole}).
 *
 * <p>Why: on PostgreSQL every updated row is a new row version on another page, with an entry in every index and
 * full-page images in the WAL; the chunked UPDATE cost 10-16x one rewrite of the table (docs/benchmark.md, "Back-fill
 * against its floor"). A copy writes each row once and builds each index once, sorted.
 *
 * <p>What the rebuild does not carry (triggers, views or other objects depending on the table, a tablespace or storage
 * parameters of its own, column privileges, privileges granted by another role than the owner, another owner than the
 * role running the upgrade, columns or keys other than 4.0.0's, ...) it does not attempt: {@link #reasonsNotToRebuild}
 * names them, the rebuild is skipped (logged) and the chunked UPDATE fills the table in place, as on the other engines. So does a run with connected sessions allowed: a
 * writer's rows written after their chunk was copied would be lost by the swap (which checks for them anyway).
 */
public final class HybridUserRoleRebuild {
    /** The table rebuilt, as the changesets spell it (PostgreSQL folds it to lower case). */
    public static final String TABLE = "um_hybrid_user_role";
    /** The copy, until the swap renames it; a CARBON_UPGRADE_ name, so the verifier and the staging copy know it as the tool's. */
    public static final String COPY = "carbon_upgrade_hybrid_user_role";
    /** The copy's primary key index, built before the swap and taken over by the primary key in it (ADD CONSTRAINT ... USING INDEX). */
    public static final String COPY_PRIMARY_KEY_INDEX = "carbon_upgrade_hybrid_user_role_pk";
    /** The copy's foreign key to UM_HYBRID_ROLE: PostgreSQL's own name for 4.0.0's unnamed key (a name is unique per table only). */
    public static final String ROLE_FOREIGN_KEY = "um_hybrid_user_role_um_role_id_um_tenant_id_fkey";
    /** The changeset that creates the copy: review SQL treats the later steps as it does this one until it is recorded. */
    public static final String CREATE_CHANGESET = "um-hybrid-user-role-rebuild-create";
    /** Marks the copy with the snapshot it began in; the swap refuses rows of the old table written since. */
    static final String MARKER = "carbon-upgrade: copy of UM_HYBRID_USER_ROLE begun in snapshot ";

    private static final String LACKING = "(h.UM_DOMAIN_ID IS NULL OR h.UM_DOMAIN_ID = -1)";
    private static final String SLASH = "POSITION('/' IN h.UM_USER_NAME)";
    /**
     * um-hybrid-user-role-backfill-prefixed-domain's WHERE clause, for one row of h: still without a domain, its name
     * "FOO/bob" with FOO a configured secondary store.
     */
    private static final String PREFIXED = LACKING + " AND " + SLASH + " > 1 AND " + SLASH + " < LENGTH(h.UM_USER_NAME)"
            + " AND UPPER(SUBSTRING(h.UM_USER_NAME FROM 1 FOR " + SLASH + " - 1)) IN"
            + " (SELECT s.UM_DOMAIN_NAME FROM CARBON_UPGRADE_USER_STORE s WHERE s.STORE_KIND = 'SECONDARY')";

    /**
     * Each row of UM_HYBRID_USER_ROLE h as the two back-fill statements, run one after the other, leave it:
     * <ul>
     * <li>a row that already has a domain id (an earlier build filled it in place) stays as it is;</li>
     * <li>um-hybrid-user-role-backfill-prefixed-domain: a "FOO/bob" row of a secondary store gets that store's domain
     *     of its tenant (the same correlated lookup) and the name "bob";</li>
     * <li>um-hybrid-user-role-backfill-primary-domain: a row still without one (no prefix, or the prefixed lookup found
     *     nothing) gets its tenant's primary domain, or stays NULL when the tenant has none.</li>
     * </ul>
     * The primary domain is joined rather than looked up per row (a hash join, not one index probe per row); UM_DOMAIN has
     * one row per tenant and name (the domain inserts add only missing ones), where the statement's subquery would fail on
     * a second one: the swap compares the row counts, so a duplicate would stop the rebuild, not double rows.
     */
    private static final String SELECT_REBUILT = "SELECT h.UM_ID,"
            + " CASE WHEN " + PREFIXED + " THEN SUBSTRING(h.UM_USER_NAME FROM " + SLASH + " + 1) ELSE h.UM_USER_NAME END,"
            + " h.UM_ROLE_ID, h.UM_TENANT_ID,"
            + " CASE WHEN NOT " + LACKING + " THEN h.UM_DOMAIN_ID ELSE COALESCE(CASE WHEN " + PREFIXED + " THEN"
            + " (SELECT d.UM_DOMAIN_ID FROM UM_DOMAIN d WHERE d.UM_TENANT_ID = h.UM_TENANT_ID"
            + " AND d.UM_DOMAIN_NAME = UPPER(SUBSTRING(h.UM_USER_NAME FROM 1 FOR " + SLASH + " - 1))) END, p.UM_DOMAIN_ID) END";
    private static final String PRIMARY_DOMAIN = "LEFT JOIN UM_DOMAIN p ON p.UM_TENANT_ID = h.UM_TENANT_ID AND p.UM_DOMAIN_NAME ="
            + " (SELECT s.UM_DOMAIN_NAME FROM CARBON_UPGRADE_USER_STORE s WHERE s.STORE_KIND = 'PRIMARY')";
    private static final String INTO = "INSERT INTO " + COPY.toUpperCase(java.util.Locale.ROOT)
            + " (UM_ID, UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID, UM_DOMAIN_ID) ";

    /** The copy of the rows of UM_HYBRID_USER_ROLE h matching {@code rows} (a condition on h) in one statement: review SQL. */
    static String insertRebuilt(String rows) {
        return INTO + SELECT_REBUILT + " FROM UM_HYBRID_USER_ROLE h " + PRIMARY_DOMAIN + " WHERE " + rows;
    }

    /**
     * The copy of one chunk, the rows of UM_HYBRID_USER_ROLE matching {@code rows} (a condition on its columns,
     * unqualified), as {@link #insertRebuilt}: the chunk is read once, and the join takes only the primary domains of
     * the tenants between its lowest and highest (true of every row joined, so the result is the same). Without that
     * each chunk read and hashed every tenant's primary domain, 50,000 of them at 10M rows, where a chunk of 4.0.x's ids
     * (handed out in tenant order) spans a few hundred tenants (docs/benchmark.md, branch s21-swap2).
     */
    static String insertChunkRebuilt(String rows) {
        return INTO + "WITH chunk AS MATERIALIZED (SELECT UM_ID, UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID, UM_DOMAIN_ID"
                + " FROM UM_HYBRID_USER_ROLE WHERE " + rows + ") " + SELECT_REBUILT + " FROM chunk h " + PRIMARY_DOMAIN
                + " AND p.UM_TENANT_ID BETWEEN (SELECT MIN(k.UM_TENANT_ID) FROM chunk k) AND (SELECT MAX(k.UM_TENANT_ID) FROM chunk k)";
    }

    /** 4.0.0's columns with the one the upgrade added (or, before it is added, without it: review of a 4.0.0 database). */
    private static final List<String> COLUMNS = List.of("um_id,um_user_name,um_role_id,um_tenant_id,um_domain_id",
            "um_id,um_user_name,um_role_id,um_tenant_id");

    private HybridUserRoleRebuild() {
    }

    /** The table in the connection's current schema (not a temporary table of the same name), or null. */
    static Long oid(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT c.oid FROM pg_class c WHERE c.relname = ?"
                + " AND c.relnamespace = current_schema()::regnamespace")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    public static boolean copyExists(Connection c) throws SQLException {
        return oid(c, COPY) != null;
    }

    /** Whether the copy has its primary key's index (built by um-hybrid-user-role-rebuild-primary-key). */
    public static boolean copyHasPrimaryKeyIndex(Connection c) throws SQLException {
        return oid(c, COPY_PRIMARY_KEY_INDEX) != null;
    }

    /** Whether the copy has its foreign key to UM_HYBRID_ROLE (built by um-hybrid-user-role-rebuild-foreign-key). */
    public static boolean copyHasRoleForeignKey(Connection c) throws SQLException {
        Long copy = oid(c, COPY);
        if (copy == null) return false;
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_constraint WHERE conrelid = ? AND contype = 'f'")) {
            ps.setLong(1, copy);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Whether any row still lacks its domain id (with the column not there yet, as in review of a 4.0.0 database: all do). */
    public static boolean anyRowLacking(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = ? AND attname = 'um_domain_id'"
                + " AND NOT attisdropped)")) {
            Long table = oid(c, TABLE);
            if (table == null) return false;
            ps.setLong(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) return true;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM " + TABLE + " h WHERE " + LACKING + ")");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Why UM_HYBRID_USER_ROLE cannot be rebuilt and swapped here without losing something the in-place fill keeps;
     * empty when it can. Each reason names what is in the way.
     */
    public static List<String> reasonsNotToRebuild(Connection c, boolean sessionsAllowed) throws SQLException {
        List<String> reasons = new ArrayList<>();
        if (sessionsAllowed) {
            reasons.add("other sessions are allowed to stay connected (-Dcarbon.upgrade.allowConnectedSessions=true): rows they"
                    + " wrote during the copy would be lost by the swap");
        }
        int version = c.getMetaData().getDatabaseMajorVersion();
        if (version < 12) {
            // The catalog columns read below (attgenerated, attidentity, relispartition, ...) are 10's and 12's.
            reasons.add("the server is PostgreSQL " + version + "; the rebuild reads a PostgreSQL 12 catalog");
            return reasons;
        }
        Long table = oid(c, TABLE);
        if (table == null) {
            reasons.add("it is not a table of the current schema");
            return reasons;
        }
        String t = Long.toString(table); // an oid read from the catalog just now
        String own = "(SELECT oid FROM pg_constraint WHERE conrelid = " + t + ")";
        String sql = String.join("\nUNION ALL ",
                "SELECT 'it is not an ordinary table' FROM pg_class WHERE oid = " + t + " AND (relkind <> 'r' OR relpersistence <> 'p' OR relispartition)",
                "SELECT 'it is owned by ' || quote_ident(pg_get_userbyid(relowner)) || ', not by the role running the upgrade, '"
                        + " || quote_ident(current_user) || ' (to have it rebuilt, run the upgrade as its owner, or ALTER TABLE " + TABLE
                        + " OWNER TO ' || quote_ident(current_user) || ')' FROM pg_class WHERE oid = " + t
                        + " AND relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)",
                "SELECT 'it has a tablespace or storage parameters of its own' FROM pg_class WHERE oid = " + t
                        + " AND (reltablespace <> 0 OR reloptions IS NOT NULL)",
                "SELECT 'it has row-level security or a replica identity of its own' FROM pg_class WHERE oid = " + t
                        + " AND (relrowsecurity OR relforcerowsecurity OR relreplident <> 'd')",
                // A GRANT records who ran it: re-issued by the owner on the new table, a grant a grantee passed on WITH GRANT
                // OPTION would change grantor, and that grantee's REVOKE (or REVOKE ... CASCADE of its option) would miss it.
                "SELECT 'privileges granted by ' || quote_ident(pg_get_userbyid(a.grantor)) || ', not by its owner, to '"
                        + " || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END"
                        + " || ' (' || string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) || ')'"
                        + " FROM pg_class k, aclexplode(k.relacl) a WHERE k.oid = " + t + " AND a.grantor <> k.relowner"
                        + " GROUP BY a.grantor, a.grantee",
                "SELECT 'trigger ' || quote_ident(tgname) FROM pg_trigger WHERE tgrelid = " + t + " AND NOT tgisinternal",
                "SELECT 'it is part of an inheritance tree' FROM pg_inherits WHERE inhrelid = " + t + " OR inhparent = " + t,
                "SELECT 'it is in publication ' || quote_ident(p.pubname) FROM pg_publication_rel r JOIN pg_publication p ON p.oid = r.prpubid"
                        + " WHERE r.prrelid = " + t,
                "SELECT 'extended statistics ' || quote_ident(stxname) FROM pg_statistic_ext WHERE stxrelid = " + t,
                // Views, rules, other tables' foreign keys, functions on its row type: DROP TABLE would refuse or take them along.
                "SELECT pg_describe_object(classid, objid, objsubid) || ' depends on it' FROM pg_depend WHERE refclassid = 'pg_class'::regclass"
                        + " AND refobjid = " + t + " AND deptype = 'n' AND NOT (classid = 'pg_constraint'::regclass AND objid IN " + own + ")",
                "SELECT pg_describe_object(classid, objid, objsubid) || ' depends on its row type' FROM pg_depend WHERE refclassid = 'pg_type'::regclass"
                        + " AND refobjid = (SELECT reltype FROM pg_class WHERE oid = " + t + ") AND deptype = 'n'",
                "SELECT 'its columns are not 4.0.0''s' FROM (SELECT string_agg(attname, ',' ORDER BY attnum) AS cols FROM pg_attribute"
                        + " WHERE attrelid = " + t + " AND attnum > 0 AND NOT attisdropped) a WHERE a.cols NOT IN ('" + String.join("', '", COLUMNS) + "')",
                // Not attoptions: per-column planner hints (n_distinct), which ANALYZE after the swap does without.
                "SELECT 'column ' || quote_ident(attname) || ' has privileges, an identity, a generation or a statistics target of its own'"
                        + " FROM pg_attribute WHERE attrelid = " + t + " AND attnum > 0 AND NOT attisdropped AND (attacl IS NOT NULL"
                        + " OR attidentity <> '' OR attgenerated <> '' OR COALESCE(attstattarget, -1) <> -1)",
                // 4.0.0's keys: the primary key, the foreign key to UM_HYBRID_ROLE and (before it is dropped for the fill) the unique key.
                "SELECT 'constraint ' || quote_ident(conname) || ' (' || pg_get_constraintdef(oid) || ')' FROM pg_constraint WHERE conrelid = " + t
                        + " AND pg_get_constraintdef(oid) NOT IN ('PRIMARY KEY (um_id, um_tenant_id)', 'UNIQUE (um_user_name, um_role_id, um_tenant_id)',"
                        + " 'FOREIGN KEY (um_role_id, um_tenant_id) REFERENCES um_hybrid_role(um_id, um_tenant_id)')",
                "SELECT 'no primary key on (UM_ID, UM_TENANT_ID)' WHERE NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = " + t
                        + " AND contype = 'p')",
                "SELECT 'no foreign key to UM_HYBRID_ROLE' WHERE NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = " + t
                        + " AND contype = 'f')",
                "SELECT 'index ' || quote_ident(x.relname) FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid WHERE i.indrelid = " + t
                        + " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = " + t + " AND k.conindid = i.indexrelid"
                        + " AND k.contype IN ('p', 'u'))");
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) reasons.add(rs.getString(1));
        }
        return reasons;
    }

    /** The snapshot the copy began in (txid_current_snapshot()'s text, from its marker), or null when it has none. */
    static String copyBeganIn(Connection c) throws SQLException {
        Long copy = oid(c, COPY);
        if (copy == null) return null;
        try (PreparedStatement ps = c.prepareStatement("SELECT obj_description(?, 'pg_class')")) {
            ps.setLong(1, copy);
            try (ResultSet rs = ps.executeQuery()) {
                String comment = rs.next() ? rs.getString(1) : null;
                if (comment == null || !comment.startsWith(MARKER)) return null;
                String snapshot = comment.substring(MARKER.length()).trim();
                // It goes into SQL as a literal: only the snapshot syntax (xmin:xmax:xip,...) passes.
                return snapshot.matches("\\d+:\\d+:[\\d,]*") ? snapshot : null;
            }
        }
    }
}
