package org.carbonupgrade.verify;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.carbonupgrade.Engine;
import org.carbonupgrade.access.AccessSql;
import org.carbonupgrade.access.LongIntMap;
import org.carbonupgrade.change.ChunkedBackfill;
import org.carbonupgrade.schema.SchemaReader;

/**
 * The rows of the tables that 4.2.0 reads through UM_DOMAIN: how many there are, how many lack a domain id,
 * and how many reach their domain. One pass per table serves four checkpoints (domain data, row counts,
 * existing memberships, and access equivalence, which gets UM_HYBRID_USER_ROLE's groups per tenant, role and
 * domain with their members' hash sums), which matters on tables of millions of rows.
 */
final class DomainColumns {
    static final List<String> TABLES = List.of("UM_HYBRID_USER_ROLE", "UM_ROLE_PERMISSION");

    record Stats(long rows, long withoutDomain, long visible) {
    }

    private HybridGroups hybridGroups;

    private final Map<String, Stats> stats = new LinkedHashMap<>();
    private final Set<String> missingColumn = new HashSet<>();

    private DomainColumns() {
    }

    /** @param forAccess also keep UM_HYBRID_USER_ROLE's finer groups for the access checkpoint (false: it reads them itself) */
    static DomainColumns read(Connection c, Map<String, String> tables, boolean forAccess) throws SQLException {
        return read(c, tables, forAccess, null);
    }

    /**
     * @param shared the access checkpoint's grouping of UM_HYBRID_USER_ROLE on its second connection (Verifier), counted here
     *        instead of scanning the table again; when it completes with null, this pass reads the table itself
     */
    static DomainColumns read(Connection c, Map<String, String> tables, boolean forAccess,
            java.util.concurrent.Future<HybridGroups> shared) throws SQLException {
        DomainColumns d = new DomainColumns();
        if (!tables.containsKey("UM_DOMAIN")) return d;
        Engine engine = Engine.of(c);
        // (tenant, domain id) of every UM_DOMAIN row, flat: a set of boxed pairs cost about 100 bytes a row (150,000 rows
        // at 50,000 tenants), held while the verifier's access check holds its own groups beside.
        LongIntMap domains = new LongIntMap();
        // Whole numbers read as arrays on PostgreSQL (AccessSql.groupedNumbers): not a row object per domain held at once.
        AccessSql sql = new AccessSql(c);
        sql.groupedNumbers("SELECT UM_DOMAIN_ID, UM_TENANT_ID FROM " + engine.quote(tables.get("UM_DOMAIN")), 2,
                rs -> domains.put(AccessSql.key((int) rs.get(2), (int) rs.get(1)), 0));
        // The table whose grouping comes from the access check beside last: the others' passes run while it is grouped,
        // instead of after it on the verifier's path.
        List<String> order = new java.util.ArrayList<>(TABLES);
        if (shared != null && order.remove("UM_HYBRID_USER_ROLE")) order.add("UM_HYBRID_USER_ROLE");
        for (String table : order) {
            String actual = tables.get(table);
            if (actual == null) continue;
            if (!new SchemaReader(c).readTable(actual, java.util.Set.of(SchemaReader.Part.COLUMNS)).columns.containsKey("UM_DOMAIN_ID")) {
                d.missingColumn.add(table);
                continue;
            }
            // Grouped by the domain reference (a few rows per tenant), then looked up in UM_DOMAIN here: one pass
            // over the table, which the foreign key's index serves where the engine has one.
            long[] rows = new long[3]; // all, without a domain id, reaching a UM_DOMAIN row
            // H2 1.2.140 (a Carbon H2 file, converted back) has no ORA_HASH, and the access checkpoint does not run there.
            boolean hashes = engine != Engine.H2 || c.getMetaData().getDatabaseMajorVersion() >= 2;
            HybridGroups given = table.equals("UM_HYBRID_USER_ROLE") && shared != null ? await(shared, "read of UM_HYBRID_USER_ROLE") : null;
            HybridGroups.Sink counted = (tenant, role, has, id, n, sum) ->
                    count(rows, has, id, has && domains.containsKey(AccessSql.key(tenant, id)), n);
            if (given != null) {
                given.forEach(counted);
            } else if (table.equals("UM_HYBRID_USER_ROLE") && hashes && forAccess) {
                // The access-equivalence checkpoint's grouping of the same table, so the verifier scans its millions of
                // rows once: finer groups (per role too) with the member hash sums, counted here per domain reference.
                HybridGroups groups = new HybridGroups();
                sql.groupedNumbers(sql.hybridMemberships42(), 5, rs -> HybridGroups.read(rs, (tenant, role, has, id, n, sum) -> {
                    groups.add(tenant, role, has, id, n, sum);
                    counted.accept(tenant, role, has, id, n, sum);
                }));
                d.hybridGroups = groups.trim();
            } else {
                sql.groupedNumbers("SELECT UM_TENANT_ID, COUNT(*), UM_DOMAIN_ID FROM " + engine.quote(actual) + " GROUP BY UM_DOMAIN_ID, UM_TENANT_ID", 3, rs -> {
                    boolean has = !rs.isNull(3);
                    int id = (int) rs.get(3);
                    count(rows, has, id, has && domains.containsKey(AccessSql.key((int) rs.get(1), id)), rs.get(2));
                });
            }
            d.stats.put(table, new Stats(rows[0], rows[1], rows[2]));
        }
        return d;
    }

    /** The access checkpoint's read, or null where it failed: its failure is that checkpoint's to report, and the caller reads itself. */
    static <T> T await(java.util.concurrent.Future<T> shared, String what) throws SQLException {
        try {
            return shared.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting for the access checkpoint's " + what, e);
        } catch (java.util.concurrent.ExecutionException e) {
            return null;
        }
    }

    private static void count(long[] rows, boolean hasDomain, int domainId, boolean reachesDomain, long n) {
        rows[0] += n;
        // MySQL/MariaDB's placeholder of a row not back-filled yet (ChunkedBackfill.LACKING) is no domain id either.
        if (!hasDomain || domainId == ChunkedBackfill.PLACEHOLDER) rows[1] += n;
        else if (reachesDomain) rows[2] += n;
    }

    /** The counts of this table, or null where it, its UM_DOMAIN_ID or UM_DOMAIN does not exist. */
    Stats of(String table) {
        return stats.get(table);
    }

    /** UM_HYBRID_USER_ROLE's groups as read above, or null where the table, its UM_DOMAIN_ID or UM_DOMAIN does not exist. */
    HybridGroups hybridGroups() {
        return hybridGroups;
    }

    boolean lacksColumn(String table) {
        return missingColumn.contains(table);
    }
}
