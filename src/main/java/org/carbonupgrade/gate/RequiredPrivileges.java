package org.carbonupgrade.gate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.carbonupgrade.Engine;

/**
 * The privileges the changesets need, checked before the first change: without them the upgrade stops after a
 * few changesets and leaves a half-upgraded database. MySQL/MariaDB: CREATE, ALTER, INDEX, REFERENCES, DROP,
 * SELECT, INSERT, UPDATE, DELETE on the database. PostgreSQL: CREATE on the schema, and ownership of the
 * user-store and identity tables the changesets alter (ALTER TABLE needs the owner). updateSQL only prints, so
 * there a missing privilege is a warning for whoever runs the file.
 */
final class RequiredPrivileges {
    static final List<String> MYSQL = List.of("SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "INDEX", "REFERENCES", "DROP");

    private RequiredPrivileges() {
    }

    static void check(Connection c, Engine engine, boolean reviewOnly, List<String> refusals, List<String> warnings) throws SQLException {
        String problem = switch (engine) {
            case MYSQL -> mysql(c);
            case POSTGRESQL -> postgres(c);
            default -> null;
        };
        if (problem == null) return;
        if (reviewOnly) warnings.add(problem + " (needed by whoever runs the reviewed SQL)");
        else refusals.add(problem);
    }

    private static String mysql(Connection c) throws SQLException {
        MysqlGrants grants = MysqlGrants.read(c);
        List<String> missing = grants.missing(MYSQL);
        if (missing.isEmpty()) return null;
        String db = "`" + c.getCatalog().replace("`", "``") + "`";
        return "The account " + grants.account() + " lacks " + missing + " on database " + db + ", which the upgrade needs"
                + " (it creates and alters tables, indexes and foreign keys, and updates rows). Have a DBA run GRANT "
                + String.join(", ", MYSQL) + " ON " + db + ".* TO " + grants.account() + "; then run again.";
    }

    private static String postgres(Connection c) throws SQLException {
        List<String> problems = new ArrayList<>();
        String role = null;
        String schema = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT quote_ident(current_user), quote_ident(current_schema()),"
                + " has_schema_privilege(current_schema(), 'CREATE')"); ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                role = rs.getString(1);
                schema = rs.getString(2);
                if (!rs.getBoolean(3)) problems.add("GRANT CREATE ON SCHEMA " + schema + " TO " + role + ";");
            }
        }
        if (schema == null) return null; // no current schema: the schema-location check explains that
        // Tables the changesets alter or write: the user store, identity, identity-provider and Liquibase's own.
        Map<String, String> notOwned = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT quote_ident(c.relname), pg_get_userbyid(c.relowner) FROM pg_class c"
                + " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')"
                + " AND upper(c.relname) ~ '^(UM_|IDN_|IDP_|DATABASECHANGELOG|CARBON_UPGRADE_)'"
                + " AND NOT pg_has_role(c.relowner, 'USAGE')"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) notOwned.put(rs.getString(1), rs.getString(2));
        }
        if (!notOwned.isEmpty()) {
            List<String> owners = notOwned.values().stream().distinct().sorted().toList();
            problems.add("ALTER TABLE <table> OWNER TO " + role + "; for each <table> of " + preview(notOwned.keySet())
                    + " (or run the upgrade as their owner " + owners + ")");
        }
        if (problems.isEmpty()) return null;
        return "The role " + role + " cannot make every change the upgrade needs: ALTER TABLE needs the table's owner and new"
                + " tables need CREATE on schema " + schema + ". Before anything is changed, have a DBA run: "
                + String.join(" ", problems) + ". Then run again.";
    }

    private static String preview(java.util.Collection<String> names) {
        List<String> list = new ArrayList<>(names);
        return list.size() <= 8 ? list.toString() : list.subList(0, 8) + " and " + (list.size() - 8) + " more";
    }
}
