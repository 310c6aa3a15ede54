package org.carbonupgrade.gate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.carbonupgrade.Engine;
import org.carbonupgrade.access.HybridRowsSeen;
import org.carbonupgrade.access.RealmNames;

/**
 * Rows the upgrade would fail on half-way, found before the first change: names that collide on 4.2.0's new unique
 * keys once the "DOMAIN/" prefix moves to UM_DOMAIN_ID (or differ only in case where the engine's key ignores case),
 * duplicate UM_ROLE_PERMISSION rows on MySQL (4.0.x had no unique key there), rows of tenant ids without a UM_TENANT
 * row (the new foreign key to UM_DOMAIN has no domain to give them), and prefixes that name no configured secondary
 * user store. Read-only; one pass over each of UM_HYBRID_USER_ROLE and UM_ROLE_PERMISSION, or over UM_ROLE_PERMISSION
 * alone where the gate hands it the access snapshot's reads of UM_HYBRID_USER_ROLE (see {@link #finish}).
 */
public final class DataPrecheck {
    /** The tables the checks read; without them there is nothing to check (the schema check refuses instead). */
    public static final Set<String> TABLES = Set.of("UM_TENANT", "UM_USER", "UM_ROLE", "UM_HYBRID_ROLE", "UM_HYBRID_USER_ROLE", "UM_ROLE_PERMISSION");
    /** Rows listed per finding; the inspection query shows the rest. */
    static final int LISTED = 10;
    /** Unlisted prefixed names looked up one by one as possible primary-store names; beyond that they are refused. */
    private static final int LOOKUPS = 1000;

    private final Connection c;
    private final Engine engine;
    private final Map<String, String> tables;
    private final RealmNames names;
    private final List<String> refusals;
    private final List<String> warnings;
    /** Prefix -> rows naming it, and the tenants they belong to, when no secondary stores were listed. */
    private final Map<String, Integer> foundPrefixRows = new TreeMap<>();
    private final Map<String, Set<Integer>> foundPrefixTenants = new TreeMap<>();
    private final List<String> keptWhole = new ArrayList<>();

    private DataPrecheck(Connection c, Engine engine, Map<String, String> tables, RealmNames names, List<String> refusals, List<String> warnings) {
        this.c = c;
        this.engine = engine;
        this.tables = tables;
        this.names = names;
        this.refusals = refusals;
        this.warnings = warnings;
    }

    /** Adds what it finds to the gate's refusals and warnings. */
    public static void check(Connection c, Engine engine, Map<String, String> tables, RealmNames names,
                             List<String> refusals, List<String> warnings) throws SQLException {
        DataPrecheck check = start(c, engine, tables, names, refusals, warnings);
        if (check != null) check.finish(null);
    }

    /**
     * Checks UM_ROLE_PERMISSION now; UM_HYBRID_USER_ROLE and what both found are left to {@link #finish}, so the gate can
     * hand it the access snapshot's reads of that table once they are in. Null when there is nothing to check.
     */
    static DataPrecheck start(Connection c, Engine engine, Map<String, String> tables, RealmNames names,
                              List<String> refusals, List<String> warnings) throws SQLException {
        if (!tables.keySet().containsAll(TABLES)) return null;
        DataPrecheck check = new DataPrecheck(c, engine, tables, names, refusals, warnings);
        check.rolePermissions = check.rolePermissions();
        return check;
    }

    /**
     * Checks UM_HYBRID_USER_ROLE, from {@code seen} (the access snapshot's own passes over it) or, when null, with a pass
     * of its own; then adds the findings of both tables to the gate's refusals and warnings, in the order of the tables.
     */
    void finish(HybridRowsSeen seen) throws SQLException {
        hybridUserRoles(seen).report();
        rolePermissions.report();
        report();
    }

    /** UM_ROLE_PERMISSION's findings, reported by {@link #finish}. */
    private Findings rolePermissions;

    /** A prefixed row on its way to 4.2.0: where it came from and the unique-key value it will have. */
    private record Row(String table, int tenant, String name, long other) {
        String show(String otherColumn) {
            return "tenant " + tenant + " " + otherColumn + " " + other + " '" + name + "'";
        }
    }

    private Findings hybridUserRoles(HybridRowsSeen seen) throws SQLException {
        // WSO2's 4.2.0 PostgreSQL script keeps the 4.0.x key without the domain: there "FOO/alice", "BAR/alice" and
        // "alice" in one role are one row too many (cross_engine_diff.json, UM_HYBRID_USER_ROLE unique).
        boolean withDomain = engine != Engine.POSTGRESQL;
        Findings f = new Findings("UM_HYBRID_USER_ROLE", "UM_USER_NAME", "UM_ROLE_ID", "role id", true, withDomain,
                withDomain ? "(UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID, UM_DOMAIN_ID)" : "(UM_USER_NAME, UM_ROLE_ID, UM_TENANT_ID)");
        List<Row> twins = seen == null ? hybridPass(f, withDomain) : hybridRowsSeen(seen, f, withDomain);
        // Each plain twin joins its prefixed row's group, after every prefixed row (as the rows of one key are listed).
        for (Row row : twins) {
            String key = f.keyOf(row);
            if (key != null) f.byKey.computeIfAbsent(key, x -> new ArrayList<>()).add(new Row(f.table, row.tenant, f.rest(row), row.other));
        }
        return f;
    }

    /**
     * The same rows as {@link #hybridPass}, from the access snapshot's passes instead of a pass of this check's own: its
     * prefixed rows as they are, the other rows of tenants without a UM_TENANT row read by tenant (only when there are
     * such tenants), and, where the key has no domain, which prefixed rows have a plain twin, looked up by key.
     */
    private List<Row> hybridRowsSeen(HybridRowsSeen seen, Findings f, boolean withDomain) throws SQLException {
        Map<Integer, Long> unknown = seen.rowsOfUnknownTenants();
        List<Row> prefixed = new ArrayList<>();
        for (HybridRowsSeen.Row r : seen.prefixed()) {
            Row row = new Row(f.table, r.tenant(), r.name(), r.roleId());
            if (unknown.containsKey(row.tenant)) f.orphan(row, 1);
            f.slashed(row);
            prefixed.add(row);
        }
        if (!unknown.isEmpty()) {
            new org.carbonupgrade.access.AccessSql(c).forTenants("SELECT UM_TENANT_ID, UM_USER_NAME, UM_ROLE_ID FROM " + table("UM_HYBRID_USER_ROLE")
                    + " WHERE UM_TENANT_ID IN " + org.carbonupgrade.access.AccessSql.TENANT_LIST, unknown.keySet(), rs -> {
                        String name = rs.getString(2);
                        // The prefixed ones are among the rows above.
                        if (name == null || name.indexOf('/') < 0) f.orphan(new Row(f.table, rs.getInt(1), name, rs.getLong(3)), 1);
                    });
        }
        return withDomain ? List.of() : plainTwins(prefixed);
    }

    /**
     * The prefixed rows whose stripped name is a plain member of the same role too (PostgreSQL's 4.2.0 key has no domain),
     * looked up a few hundred at a time through that key's index: the question the own pass asks per row it returns.
     */
    private List<Row> plainTwins(List<Row> prefixed) throws SQLException {
        List<Row> twins = new ArrayList<>();
        String hur = table("UM_HYBRID_USER_ROLE");
        for (int from = 0; from < prefixed.size(); from += 500) {
            List<Row> some = prefixed.subList(from, Math.min(prefixed.size(), from + 500));
            String values = String.join(", ", java.util.Collections.nCopies(some.size(), "(?, ?, ?)"));
            java.util.Set<String> found = new java.util.HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT x.t, x.r, x.n FROM (VALUES " + values + ") AS x(t, r, n)"
                    + " WHERE EXISTS (SELECT 1 FROM " + hur + " b WHERE b.UM_TENANT_ID = x.t AND b.UM_ROLE_ID = x.r AND b.UM_USER_NAME = x.n)")) {
                int i = 1;
                for (Row row : some) {
                    ps.setInt(i++, row.tenant);
                    ps.setInt(i++, (int) row.other);
                    ps.setString(i++, row.name.substring(row.name.indexOf('/') + 1));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) found.add(rs.getInt(1) + "|" + rs.getLong(2) + "|" + rs.getString(3));
                }
            }
            for (Row row : some) {
                if (found.contains(row.tenant + "|" + row.other + "|" + row.name.substring(row.name.indexOf('/') + 1))) twins.add(row);
            }
        }
        return twins;
    }

    /** UM_HYBRID_USER_ROLE's prefixed rows and rows of tenants without a UM_TENANT row, in one pass of this check's own. */
    private List<Row> hybridPass(Findings f, boolean withDomain) throws SQLException {
        String hur = table("UM_HYBRID_USER_ROLE");
        // PostgreSQL: whether a prefixed member's stripped name is already a plain member of the same role, asked in the
        // same pass for the rows it returns only (one probe of that key's index each), not in a second pass over the table.
        String plainTwin = withDomain ? "" : ", CASE WHEN POSITION('/' IN h.UM_USER_NAME) > 0 AND EXISTS (SELECT 1 FROM " + hur
                + " b WHERE b.UM_TENANT_ID = h.UM_TENANT_ID AND b.UM_ROLE_ID = h.UM_ROLE_ID"
                + " AND b.UM_USER_NAME = SUBSTRING(h.UM_USER_NAME FROM POSITION('/' IN h.UM_USER_NAME) + 1)) THEN 1 ELSE 0 END";
        String sql = "SELECT h.UM_TENANT_ID, h.UM_USER_NAME, h.UM_ROLE_ID, CASE WHEN t.UM_ID IS NULL THEN 1 ELSE 0 END" + plainTwin
                + " FROM " + hur + " h LEFT JOIN " + table("UM_TENANT") + " t ON t.UM_ID = h.UM_TENANT_ID"
                + " WHERE h.UM_USER_NAME LIKE ? OR (t.UM_ID IS NULL AND h.UM_TENANT_ID <> ?)";
        return scan(sql, f, false, !withDomain);
    }

    private Findings rolePermissions() throws SQLException {
        // 4.2.0 puts a unique key on UM_ROLE_PERMISSION only in its MySQL and SQL Server scripts.
        boolean keyed = engine == Engine.MYSQL || engine == Engine.MSSQL;
        String orphan = "MAX(CASE WHEN t.UM_ID IS NULL THEN 1 ELSE 0 END)";
        // MySQL/MariaDB group every row here (duplicates are findings): by default into an in-memory temporary table whose
        // VARCHAR(255) key is stored at full width, which outgrows tmp_table_size at a few thousand tenants and is copied to
        // disk; SQL_BIG_RESULT has the same groups made by sorting instead (MariaDB 10.11, 1M users: 0.4-0.6 s against
        // 2.0-5.0 s; docs/benchmark.md). A hint only: the same statement, the same groups.
        String hint = engine == Engine.MYSQL ? "SQL_BIG_RESULT " : "";
        String select = "SELECT " + hint + "p.UM_TENANT_ID, p.UM_ROLE_NAME, p.UM_PERMISSION_ID, " + orphan + ", COUNT(*)"
                + " FROM " + table("UM_ROLE_PERMISSION") + " p LEFT JOIN " + table("UM_TENANT") + " t ON t.UM_ID = p.UM_TENANT_ID";
        String group = " GROUP BY p.UM_TENANT_ID, p.UM_ROLE_NAME, p.UM_PERMISSION_ID";
        // Without that key a repeated row is no finding, and whether a row is prefixed or orphaned depends only on its
        // group's columns (role name, tenant): filtering the rows before grouping gives the very same groups, and groups
        // the few rows found instead of the whole table.
        String sql = keyed
                ? select + group + " HAVING p.UM_ROLE_NAME LIKE ? OR (" + orphan + " = 1 AND p.UM_TENANT_ID <> ?) OR COUNT(*) > 1"
                : select + " WHERE p.UM_ROLE_NAME LIKE ? OR (t.UM_ID IS NULL AND p.UM_TENANT_ID <> ?)" + group;
        Findings f = new Findings("UM_ROLE_PERMISSION", "UM_ROLE_NAME", "UM_PERMISSION_ID", "permission id",
                keyed, true, "(UM_PERMISSION_ID, UM_ROLE_NAME, UM_TENANT_ID, UM_DOMAIN_ID)");
        scan(sql, f, true, false);
        return f;
    }

    /** @return the prefixed rows whose stripped name is a plain member too (column 5), when {@code twins} */
    private List<Row> scan(String sql, Findings f, boolean grouped, boolean twins) throws SQLException {
        List<Row> plainTwins = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, "%/%");
            ps.setInt(2, RealmNames.SUPER_TENANT);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row row = new Row(f.table, rs.getInt(1), rs.getString(2), rs.getLong(3));
                    long copies = grouped ? rs.getLong(5) : 1;
                    if (rs.getInt(4) == 1 && row.tenant != RealmNames.SUPER_TENANT) f.orphan(row, copies);
                    if (grouped && copies > 1 && f.keyed) f.duplicate(row, copies);
                    if (row.name.indexOf('/') >= 0) f.slashed(row);
                    if (twins && rs.getInt(5) == 1) plainTwins.add(row);
                }
            }
        }
        return plainTwins;
    }

    /** What one table's pass found. */
    private final class Findings {
        final String table;
        final String nameColumn;
        final String otherColumn;
        final String otherLabel;
        /** The engine gets 4.2.0's unique key on this table, so colliding rows would stop the upgrade. */
        final boolean keyed;
        /** The key has UM_DOMAIN_ID: rows of different stores do not collide. */
        final boolean keyHasDomain;
        final String key;
        int orphans;
        final Set<Integer> orphanTenants = new TreeSet<>();
        final List<String> orphanRows = new ArrayList<>();
        int duplicates;
        final List<String> duplicateRows = new ArrayList<>();
        final Map<String, List<Row>> byKey = new LinkedHashMap<>();
        final List<Row> unlisted = new ArrayList<>();

        Findings(String table, String nameColumn, String otherColumn, String otherLabel, boolean keyed, boolean keyHasDomain, String key) {
            this.table = table;
            this.nameColumn = nameColumn;
            this.otherColumn = otherColumn;
            this.otherLabel = otherLabel;
            this.keyed = keyed;
            this.keyHasDomain = keyHasDomain;
            this.key = key;
        }

        void orphan(Row row, long copies) {
            orphans += copies;
            orphanTenants.add(row.tenant);
            if (orphanRows.size() < LISTED) orphanRows.add(row.show(otherLabel));
        }

        void duplicate(Row row, long copies) {
            duplicates += copies;
            if (duplicateRows.size() < LISTED) duplicateRows.add(row.show(otherLabel) + " x" + copies);
        }

        void slashed(Row row) {
            int i = row.name.indexOf('/');
            if (i == 0 || i == row.name.length() - 1) {
                keptWhole.add(table + " " + row.show(otherLabel) + " (no name on both sides of '/')");
                return;
            }
            String prefix = row.name.substring(0, i).toUpperCase(Locale.ROOT);
            if (names.secondaryDomainsGiven() && !names.secondaryDomains().contains(prefix)) {
                unlisted.add(row);
                return;
            }
            if (!names.secondaryDomainsGiven()) {
                foundPrefixRows.merge(prefix, 1, Integer::sum);
                foundPrefixTenants.computeIfAbsent(prefix, k -> new TreeSet<>()).add(row.tenant);
            }
            String k = keyOf(row);
            if (k != null) byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(row);
        }

        /** The row's value of 4.2.0's unique key once its prefix became its domain, or null when it keeps its name. */
        String keyOf(Row row) {
            int i = row.name.indexOf('/');
            if (!keyed || i <= 0 || i == row.name.length() - 1) return null;
            String prefix = row.name.substring(0, i).toUpperCase(Locale.ROOT);
            if (names.secondaryDomainsGiven() && !names.secondaryDomains().contains(prefix)) return null;
            String rest = rest(row);
            return row.tenant + "|" + row.other + "|" + (keyHasDomain ? prefix : "") + "|" + (caseInsensitiveKeys() ? rest.toLowerCase(Locale.ROOT) : rest);
        }

        String rest(Row row) {
            return row.name.substring(row.name.indexOf('/') + 1);
        }

        void report() throws SQLException {
            if (orphans > 0) {
                refusals.add(orphans + " rows of " + table + " belong to tenant ids with no UM_TENANT row " + orphanTenants
                        + ": 4.2.0's new foreign key (UM_DOMAIN_ID, UM_TENANT_ID) -> UM_DOMAIN has no domain for a tenant that"
                        + " does not exist, so 4.2.0 could never see these rows. First rows: " + String.join("; ", orphanRows)
                        + ". Inspect them: SELECT * FROM " + table + " WHERE UM_TENANT_ID <> -1234 AND UM_TENANT_ID NOT IN"
                        + " (SELECT UM_ID FROM UM_TENANT). Delete them (their tenant is gone) or restore the tenant's UM_TENANT row,"
                        + " then run again.");
            }
            if (duplicates > 0) {
                refusals.add(duplicates + " rows of " + table + " repeat the same (" + otherColumn + ", " + nameColumn
                        + ", UM_TENANT_ID) (Carbon 4.0.x had no unique key here on this engine); 4.2.0's unique key " + key
                        + " would reject them half-way. First groups: " + String.join("; ", duplicateRows)
                        + ". Inspect them: SELECT UM_TENANT_ID, " + nameColumn + ", " + otherColumn + ", COUNT(*) FROM " + table
                        + " GROUP BY UM_TENANT_ID, " + nameColumn + ", " + otherColumn + " HAVING COUNT(*) > 1."
                        + " Keep one row of each group (same UM_IS_ALLOWED) and delete the others, then run again.");
            }
            List<String> collisions = new ArrayList<>();
            int colliding = 0;
            for (List<Row> group : byKey.values()) {
                if (group.size() < 2) continue;
                colliding += group.size();
                if (collisions.size() < LISTED) {
                    collisions.add("tenant " + group.get(0).tenant + " " + otherLabel + " " + group.get(0).other + ": "
                            + group.stream().map(r -> "'" + r.name + "'").toList());
                }
            }
            if (colliding > 0) {
                Row first = byKey.values().stream().filter(g -> g.size() > 1).findFirst().orElseThrow().get(0);
                refusals.add(colliding + " rows of " + table + " become the same row once the domain prefix moves to UM_DOMAIN_ID"
                        + (caseInsensitiveKeys() ? " (this engine's key compares names without case)" : "")
                        + ", so 4.2.0's unique key " + key + " would reject them half-way: " + String.join("; ", collisions)
                        + ". Inspect them, e.g.: SELECT * FROM " + table + " WHERE UM_TENANT_ID = " + first.tenant
                        + " AND " + otherColumn + " = " + first.other + " AND UPPER(" + nameColumn + ") LIKE "
                        + quoted(first.name.substring(0, first.name.indexOf('/') + 1).toUpperCase(Locale.ROOT) + "%")
                        + ". Keep one row of each group and delete the others, then run again.");
            }
            reportUnlisted();
        }

        private void reportUnlisted() throws SQLException {
            List<String> refused = new ArrayList<>();
            int refusedRows = 0;
            Set<String> prefixes = new TreeSet<>();
            int lookups = 0;
            for (Row row : unlisted) {
                boolean primaryName = lookups++ < LOOKUPS && isPrimaryStoreName(row);
                if (primaryName) {
                    keptWhole.add(table + " " + row.show(otherLabel) + " (a name of the primary store, not a domain)");
                    continue;
                }
                refusedRows++;
                prefixes.add(row.name.substring(0, row.name.indexOf('/')).toUpperCase(Locale.ROOT));
                if (refused.size() < LISTED) refused.add(row.show(otherLabel));
            }
            if (refusedRows == 0) return;
            String first = prefixes.iterator().next();
            refusals.add(refusedRows + " rows of " + table + " carry a user-store domain prefix " + prefixes
                    + " that -D" + RealmNames.SECONDARY_DOMAINS + "=" + String.join(",", names.secondaryDomains())
                    + " does not list, and the name is no user or role of the tenant's primary store: " + String.join("; ", refused)
                    + ". Inspect them: SELECT * FROM " + table + " WHERE UPPER(" + nameColumn + ") LIKE " + quoted(first + "/%")
                    + ". If " + first + " is one of your secondary user stores, add it to -D" + RealmNames.SECONDARY_DOMAINS
                    + "; otherwise rename or delete these rows (4.2.0 reads the part before '/' as a user-store domain), then run again."
                    + (table.equals("UM_HYBRID_USER_ROLE") ? DELETED_USER_HINT : ""));
        }

        /**
         * 4.0.x's JDBC user store deletes a user without his UM_HYBRID_USER_ROLE rows (only the read-write LDAP store calls
         * HybridRoleManager.deleteUser: amum0611/kernel @ 2f646275 and @ ef6e76ce, JDBCUserStoreManager.doDeleteUser), so
         * a row of a deleted primary-store user named "x/y" is one that no UM_USER row explains.
         */
        private static final String DELETED_USER_HINT = " A UM_HYBRID_USER_ROLE row is also left behind when 4.0.x deletes a user of the"
                + " primary store (its JDBC store keeps his hybrid roles): if no such user exists any more, the row gives the role to no"
                + " existing user, and deleting it changes no current user's access.";

        /** 4.0.x AbstractUserStoreManager routed "x/y" to the primary store when no store was registered for x. */
        private boolean isPrimaryStoreName(Row row) throws SQLException {
            List<String> holders = table.equals("UM_HYBRID_USER_ROLE") ? List.of("UM_USER") : List.of("UM_ROLE", "UM_HYBRID_ROLE");
            for (String holder : holders) {
                String column = holder.equals("UM_USER") ? "UM_USER_NAME" : "UM_ROLE_NAME";
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table(holder) + " WHERE UM_TENANT_ID = ? AND " + column + " = ?")) {
                    ps.setInt(1, row.tenant);
                    ps.setString(2, row.name);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) return true;
                    }
                }
            }
            return false;
        }
    }

    private void report() {
        if (!foundPrefixRows.isEmpty()) {
            List<String> list = new ArrayList<>();
            foundPrefixRows.forEach((p, n) -> list.add(p + " (" + n + " rows in " + foundPrefixTenants.get(p).size() + " tenants)"));
            warnings.add("Secondary user-store domains taken from name prefixes, as no -D" + RealmNames.SECONDARY_DOMAINS
                    + " was given: " + String.join(", ", list) + ". Each becomes that store's domain and leaves the name."
                    + " If one is not a user store of yours, run with -D" + RealmNames.SECONDARY_DOMAINS
                    + "=<your stores>: rows with other prefixes are then kept whole when they are primary-store names, else refused.");
        }
        if (!keptWhole.isEmpty()) {
            warnings.add(keptWhole.size() + " names contain '/' but stay whole in their store: "
                    + String.join("; ", keptWhole.subList(0, Math.min(LISTED, keptWhole.size())))
                    + ". 4.2.0 reads the part before '/' as a user-store domain; consider renaming them after the upgrade.");
        }
    }

    /** MySQL's default collations and SQL Server's compare names without case; so do their unique keys. */
    private boolean caseInsensitiveKeys() {
        return engine == Engine.MYSQL || engine == Engine.MSSQL;
    }

    private String table(String name) {
        String actual = tables.getOrDefault(name, name);
        return engine == Engine.MYSQL ? "`" + actual.replace("`", "``") + "`" : "\"" + actual.replace("\"", "\"\"") + "\"";
    }

    /** A value shown inside an inspection query the operator copies (never executed by the tool). */
    private static String quoted(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
