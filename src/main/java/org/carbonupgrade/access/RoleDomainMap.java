package org.carbonupgrade.access;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import liquibase.change.custom.CustomSqlChange;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomChangeException;
import liquibase.statement.SqlStatement;
import liquibase.statement.core.CommentStatement;
import liquibase.statement.core.RawSqlStatement;

import org.carbonupgrade.change.PlainCustomChange;

/**
 * Fills the two small tables the set-based back-fill joins to put each 4.0.x row into its 4.2.0 domain:
 * CARBON_UPGRADE_USER_STORE (the primary domain's name and the secondary user stores) and
 * CARBON_UPGRADE_ROLE_DOMAIN (per tenant: the everyone role, whose name lives in each tenant's UM_USER_CONFIG XML,
 * goes to INTERNAL; wso2.anonymous.role goes to SYSTEM). Java reads the XML; SQL does the millions of rows.
 * Every statement inserts only what is not there yet, so a re-run after a crash keeps the first run's names.
 */
public class RoleDomainMap extends PlainCustomChange implements CustomSqlChange {
    public static final String STORE_TABLE = "CARBON_UPGRADE_USER_STORE";
    public static final String ROLE_TABLE = "CARBON_UPGRADE_ROLE_DOMAIN";
    /** One row on every engine without DUAL: the source of the single-row inserts. */
    private static final String ONE_ROW = " FROM (SELECT COUNT(*) AS N FROM UM_TENANT) one_row";

    @Override
    public SqlStatement[] generateStatements(Database database) throws CustomChangeException {
        RealmNames names = RealmNames.current();
        NameSql sql = new NameSql(database);
        List<SqlStatement> out = new ArrayList<>();

        out.add(new RawSqlStatement("INSERT INTO " + STORE_TABLE + " (UM_DOMAIN_NAME, STORE_KIND) SELECT "
                + sql.literal(names.primaryDomain()) + ", 'PRIMARY'" + ONE_ROW
                + " WHERE NOT EXISTS (SELECT 1 FROM " + STORE_TABLE + " s WHERE s.STORE_KIND = 'PRIMARY')"));
        if (names.secondaryDomainsGiven()) {
            for (String domain : names.secondaryDomains()) {
                out.add(new RawSqlStatement("INSERT INTO " + STORE_TABLE + " (UM_DOMAIN_NAME, STORE_KIND) SELECT "
                        + sql.literal(domain) + ", 'SECONDARY'" + ONE_ROW
                        + " WHERE NOT EXISTS (SELECT 1 FROM " + STORE_TABLE + " s WHERE s.UM_DOMAIN_NAME = " + sql.literal(domain) + ")"));
            }
        } else {
            // No list given: every prefix found is taken as a secondary store (the gate listed them for the DBA).
            out.add(new RawSqlStatement("INSERT INTO " + STORE_TABLE + " (UM_DOMAIN_NAME, STORE_KIND)"
                    + " SELECT DISTINCT p.DOMAIN_NAME, 'SECONDARY' FROM ("
                    + "SELECT " + sql.upperPrefix("UM_USER_NAME") + " AS DOMAIN_NAME FROM UM_HYBRID_USER_ROLE WHERE " + sql.hasPrefix("UM_USER_NAME")
                    + " UNION SELECT " + sql.upperPrefix("UM_ROLE_NAME") + " FROM UM_ROLE_PERMISSION WHERE " + sql.hasPrefix("UM_ROLE_NAME")
                    + ") p WHERE NOT EXISTS (SELECT 1 FROM " + STORE_TABLE + " s WHERE s.UM_DOMAIN_NAME = p.DOMAIN_NAME)"));
        }

        // The everyone role: tenants that renamed it first (live only), then the default for all others.
        if (database.getConnection() instanceof JdbcConnection jdbc) {
            try {
                Map<Integer, String> everyone = org.carbonupgrade.gate.GateRunner.everyoneRoleByTenant(database, jdbc.getUnderlyingConnection(), names);
                everyone.forEach((tenant, role) -> {
                    if (!role.equals(RealmNames.DEFAULT_EVERYONE_ROLE) || tenant == RealmNames.SUPER_TENANT) {
                        out.add(roleOfTenant(sql, tenant, role, "INTERNAL"));
                    }
                });
            } catch (SQLException e) {
                throw new CustomChangeException("Cannot read the tenants' everyone role names from UM_TENANT.UM_USER_CONFIG: "
                        + e.getMessage(), e);
            }
        } else {
            out.add(new CommentStatement("Each tenant's everyone role name is read from UM_TENANT.UM_USER_CONFIG"
                    + " (EveryOneRoleName) when the update runs; this offline listing shows the default for every tenant."));
            out.add(roleOfTenant(sql, RealmNames.SUPER_TENANT, names.superTenantEveryoneRole(), "INTERNAL"));
        }
        out.add(roleOfEveryTenant(sql, RealmNames.DEFAULT_EVERYONE_ROLE, "INTERNAL"));
        out.add(roleOfTenant(sql, RealmNames.SUPER_TENANT, RealmNames.ANONYMOUS_ROLE, "SYSTEM"));
        out.add(roleOfEveryTenant(sql, RealmNames.ANONYMOUS_ROLE, "SYSTEM"));
        return out.toArray(new SqlStatement[0]);
    }

    /** One tenant's role, unless that tenant already has its role for this domain (one special role per domain). */
    private static SqlStatement roleOfTenant(NameSql sql, int tenant, String role, String domain) {
        return new RawSqlStatement("INSERT INTO " + ROLE_TABLE + " (UM_TENANT_ID, UM_ROLE_NAME, UM_DOMAIN_NAME) SELECT "
                + tenant + ", " + sql.literal(role) + ", '" + domain + "'" + ONE_ROW
                + " WHERE NOT EXISTS (SELECT 1 FROM " + ROLE_TABLE + " r WHERE r.UM_TENANT_ID = " + tenant
                + " AND r.UM_DOMAIN_NAME = '" + domain + "')");
    }

    private static SqlStatement roleOfEveryTenant(NameSql sql, String role, String domain) {
        return new RawSqlStatement("INSERT INTO " + ROLE_TABLE + " (UM_TENANT_ID, UM_ROLE_NAME, UM_DOMAIN_NAME) SELECT t.UM_ID, "
                + sql.literal(role) + ", '" + domain + "' FROM UM_TENANT t"
                + " WHERE NOT EXISTS (SELECT 1 FROM " + ROLE_TABLE + " r WHERE r.UM_TENANT_ID = t.UM_ID AND r.UM_DOMAIN_NAME = '" + domain + "')");
    }

    @Override
    public String getConfirmationMessage() {
        return "Recorded the domain of the everyone and anonymous roles per tenant and the user-store domains in "
                + ROLE_TABLE + " and " + STORE_TABLE;
    }
}
