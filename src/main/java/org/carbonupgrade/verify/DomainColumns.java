package org.carbonupgrade.verify;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.carbonupgrade.Engine;
import org.carbonupgrade.schema.SchemaReader;

/**
 * The rows of the tables that 4.2.0 reads through UM_DOMAIN: how many there are, how many lack a domain id,
 * and how many reach their domain. One pass per table serves three checkpoints (domain data, row counts,
 * existing memberships), which matters on tables of millions of rows.
 */
final class DomainColumns {
    static final List<String> TABLES = List.of("UM_HYBRID_USER_ROLE", "UM_ROLE_PERMISSION");

    record Stats(long rows, long withoutDomain, long visible) {
    }

    private final Map<String, Stats> stats = new LinkedHashMap<>();
    private final Set<String> missingColumn = new HashSet<>();

    private DomainColumns() {
    }

    static DomainColumns read(Connection c, Map<String, String> tables) throws SQLException {
        DomainColumns d = new DomainColumns();
        if (!tables.containsKey("UM_DOMAIN")) return d;
        Engine engine = Engine.of(c);
        Set<List<Integer>> domains = new HashSet<>();
        Verifier.query(c, "SELECT UM_DOMAIN_ID, UM_TENANT_ID FROM " + engine.quote(tables.get("UM_DOMAIN")),
                rs -> domains.add(List.of(rs.getInt(1), rs.getInt(2))));
        for (String table : TABLES) {
            String actual = tables.get(table);
            if (actual == null) continue;
            if (!new SchemaReader(c).readTable(actual).columns.containsKey("UM_DOMAIN_ID")) {
                d.missingColumn.add(table);
                continue;
            }
            // Grouped by the domain reference (a few rows per tenant), then looked up in UM_DOMAIN here: one pass
            // over the table, which the foreign key's index serves where the engine has one.
            long[] rows = new long[3]; // all, without a domain id, reaching a UM_DOMAIN row
            Verifier.query(c, "SELECT UM_DOMAIN_ID, UM_TENANT_ID, COUNT(*) FROM " + engine.quote(actual) + " GROUP BY UM_DOMAIN_ID, UM_TENANT_ID", rs -> {
                int id = rs.getInt(1);
                boolean none = rs.wasNull();
                long n = rs.getLong(3);
                rows[0] += n;
                if (none) rows[1] += n;
                else if (domains.contains(List.of(id, rs.getInt(2)))) rows[2] += n;
            });
            d.stats.put(table, new Stats(rows[0], rows[1], rows[2]));
        }
        return d;
    }

    /** The counts of this table, or null where it, its UM_DOMAIN_ID or UM_DOMAIN does not exist. */
    Stats of(String table) {
        return stats.get(table);
    }

    boolean lacksColumn(String table) {
        return missingColumn.contains(table);
    }
}
