package org.carbonupgrade.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.carbonupgrade.Engine;
import org.carbonupgrade.gate.GateSettings;
import org.carbonupgrade.rehearsal.Baseline;
import org.carbonupgrade.rehearsal.Carbon400Seeder;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;

/**
 * Whether PostgreSQL's planner statistics matter for 4.2.0's lookups after UM_HYBRID_USER_ROLE was filled in place (the
 * rebuild's fallback: connected sessions allowed, a grantor other than the owner, ...). Seeds a Carbon 4.0.0 database
 * (arguments: database name without the test prefix, tenants, users per tenant), gives it statistics as autovacuum would
 * have on a production server, upgrades it with connected sessions allowed (so the table is filled in place), stops
 * autovacuum on the two tables 4.2.0 reads by UM_DOMAIN_ID, then prints the plans of 4.2.0's own statements (wso2/carbon4-kernel
 * @ a169d3b36b: hybrid/HybridJDBCConstants, authorization/DBConstants; bound as 4.2.0 binds them, through PREPARE) with the
 * statistics the upgrade left, and again after an ANALYZE. Keeps the database for a look with psql. Not a test;
 * docs/benchmark.md, "Planner statistics after the fill in place".
 */
public final class FilledInPlacePlans {
    private FilledInPlacePlans() {
    }

    /** 4.2.0's statements that read UM_HYBRID_USER_ROLE or UM_ROLE_PERMISSION by UM_DOMAIN_ID, as PREPARE takes them. */
    private static final List<String[]> STATEMENTS = List.of(
            new String[] {"GET_ROLE_LIST_OF_USER_SQL", "(text, int, int, int, text)", "SELECT UM_ROLE_NAME FROM UM_HYBRID_USER_ROLE,"
                    + " UM_HYBRID_ROLE WHERE UM_USER_NAME=$1 AND UM_HYBRID_USER_ROLE.UM_ROLE_ID=UM_HYBRID_ROLE.UM_ID AND"
                    + " UM_HYBRID_USER_ROLE.UM_TENANT_ID=$2 AND UM_HYBRID_ROLE.UM_TENANT_ID=$3 AND UM_HYBRID_USER_ROLE.UM_DOMAIN_ID=(SELECT"
                    + " UM_DOMAIN_ID FROM UM_DOMAIN WHERE UM_TENANT_ID=$4 AND UM_DOMAIN_NAME=$5)", "'user7', %1$d, %1$d, %1$d, 'PRIMARY'"},
            new String[] {"IS_USER_IN_ROLE_SQL", "(text, text, int, int, int, text)", "SELECT UM_ROLE_ID FROM UM_HYBRID_USER_ROLE WHERE"
                    + " UM_USER_NAME=$1 AND UM_ROLE_ID=(SELECT UM_ID FROM UM_HYBRID_ROLE WHERE UM_ROLE_NAME=$2 AND UM_TENANT_ID=$3) AND"
                    + " UM_TENANT_ID=$4 AND UM_DOMAIN_ID=(SELECT UM_DOMAIN_ID FROM UM_DOMAIN WHERE UM_TENANT_ID=$5 AND UM_DOMAIN_NAME=$6)",
                    "'user7', 'subscribers', %1$d, %1$d, %1$d, 'PRIMARY'"},
            new String[] {"GET_USER_LIST_OF_ROLE_SQL", "(text, int, int)", "SELECT UM_USER_NAME, UM_DOMAIN_NAME FROM UM_HYBRID_USER_ROLE,"
                    + " UM_DOMAIN WHERE UM_ROLE_ID=(SELECT UM_ID FROM UM_HYBRID_ROLE WHERE UM_ROLE_NAME=$1 AND UM_TENANT_ID=$2) AND"
                    + " UM_HYBRID_USER_ROLE.UM_TENANT_ID=$3 AND UM_HYBRID_USER_ROLE.UM_DOMAIN_ID=UM_DOMAIN.UM_DOMAIN_ID",
                    "'subscribers', %1$d, %1$d"},
            new String[] {"GET_EXISTING_ROLE_PERMISSIONS", "(int, int)", "SELECT UM_ROLE_NAME, UM_RESOURCE_ID, UM_IS_ALLOWED, UM_ACTION,"
                    + " UM_DOMAIN_NAME FROM UM_PERMISSION, UM_ROLE_PERMISSION, UM_DOMAIN WHERE UM_ROLE_PERMISSION.UM_PERMISSION_ID=UM_PERMISSION.UM_ID"
                    + " AND UM_ROLE_PERMISSION.UM_DOMAIN_ID=UM_DOMAIN.UM_DOMAIN_ID AND UM_PERMISSION.UM_TENANT_ID=$1 AND"
                    + " UM_ROLE_PERMISSION.UM_TENANT_ID=$2", "%1$d, %1$d"},
            // Not 4.2.0's, the upgrade's own after the fill: the verifier's pass over the table's domain references, and
            // PostgreSQL's check of every row when the foreign key to UM_DOMAIN is added (ri_triggers.c RI_Initial_Check).
            new String[] {"verifier: domain references", "", "SELECT UM_TENANT_ID, COUNT(*), UM_DOMAIN_ID FROM um_hybrid_user_role"
                    + " GROUP BY UM_DOMAIN_ID, UM_TENANT_ID", ""},
            new String[] {"foreign key check", "", "SELECT fk.um_domain_id, fk.um_tenant_id FROM ONLY um_hybrid_user_role fk LEFT OUTER JOIN"
                    + " ONLY um_domain pk ON pk.um_domain_id = fk.um_domain_id AND pk.um_tenant_id = fk.um_tenant_id WHERE pk.um_domain_id IS NULL"
                    + " AND fk.um_domain_id IS NOT NULL AND fk.um_tenant_id IS NOT NULL", ""});

    public static void main(String[] args) throws Exception {
        TestDatabase db = TestDatabase.fresh(Engine.POSTGRESQL, args[0]);
        int tenants = Integer.parseInt(args[1]);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            Baseline.create(c, false);
            new Carbon400Seeder(c, tenants, Integer.parseInt(args[2])).seed();
            s.execute("ANALYZE");
        }
        Upgrade.of(db).set(GateSettings.ALLOW_SESSIONS, "true").update();
        int tenant = tenants / 2;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String t : new String[] {"um_hybrid_user_role", "um_role_permission"}) s.execute("ALTER TABLE " + t + " SET (autovacuum_enabled = false)");
            print(s, "SELECT (SELECT EXECTYPE FROM DATABASECHANGELOG WHERE ID = 'um-hybrid-user-role-rebuild-create') AS rebuild_create,"
                    + " relname, n_live_tup, n_dead_tup, n_mod_since_analyze, last_analyze, last_autoanalyze FROM pg_stat_user_tables"
                    + " WHERE relname IN ('um_hybrid_user_role', 'um_role_permission') ORDER BY relname");
            for (String phase : new String[] {"statistics as the upgrade left them", "after ANALYZE"}) {
                System.out.println("==== " + phase);
                print(s, "SELECT tablename, attname, null_frac, n_distinct FROM pg_stats WHERE tablename IN ('um_hybrid_user_role',"
                        + " 'um_role_permission') AND attname IN ('um_domain_id', 'um_user_name') ORDER BY 1, 2");
                print(s, "SELECT relname, reltuples, relpages FROM pg_class WHERE relname IN ('um_hybrid_user_role', 'um_role_permission') ORDER BY 1");
                for (String[] q : STATEMENTS) {
                    s.execute("DEALLOCATE ALL");
                    s.execute("PREPARE q" + q[1] + " AS " + q[2]);
                    System.out.println("-- " + q[0]);
                    print(s, "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) EXECUTE q" + (q[3].isEmpty() ? "" : "(" + String.format(q[3], tenant) + ")"));
                }
                s.execute("ANALYZE um_hybrid_user_role");
                s.execute("ANALYZE um_role_permission");
            }
        }
        System.out.println("kept: " + db.name);
    }

    private static void print(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= n; i++) line.append(i > 1 ? " | " : "").append(rs.getString(i));
                System.out.println(line);
            }
        }
    }
}
