package org.carbonupgrade.gate;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import org.carbonupgrade.Engine;

/**
 * Where the Carbon tables are, and whether the changesets can name them: refused up front instead of failing
 * half-way. (1) PostgreSQL/H2: the tables live in another schema than the connection's current one (the
 * changesets and Liquibase's own tables use the current schema). (2) MySQL/MariaDB: the tables are named in lower or
 * mixed case on a server that compares table names case-sensitively (lower_case_table_names=0), where the
 * changesets' (and Carbon's own) upper-case names do not find them.
 */
final class SchemaLocation {
    private SchemaLocation() {
    }

    static void check(Connection c, Engine engine, Map<String, String> tables, List<String> refusals) throws SQLException {
        if (!tables.containsKey("UM_USER") && (engine == Engine.POSTGRESQL || engine == Engine.H2)) {
            otherSchema(c, engine, refusals);
        }
        if (engine == Engine.MYSQL) lowerCaseNames(c, tables, refusals);
    }

    private static void otherSchema(Connection c, Engine engine, List<String> refusals) throws SQLException {
        TreeSet<String> schemas = new TreeSet<>();
        String current = c.getSchema();
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM");
                if ("UM_USER".equals(rs.getString("TABLE_NAME").toUpperCase(Locale.ROOT)) && schema != null && !schema.equals(current)) {
                    schemas.add(schema);
                }
            }
        }
        if (schemas.isEmpty()) return;
        String schema = schemas.first();
        String urlOption = engine == Engine.POSTGRESQL ? "?currentSchema=" + schema + " (or &currentSchema=... after other options)"
                : ";SCHEMA=" + schema;
        refusals.add("The Carbon tables are in schema " + schemas + " of this database, not in the connection's current schema "
                + (current == null ? "(none)" : current) + ", where the upgrade and Liquibase's own tables go. Point the connection"
                + " at that schema: add " + urlOption + " to -Dliquibase.url, and pass -Dliquibase.defaultSchemaName=" + schema + ".");
    }

    private static void lowerCaseNames(Connection c, Map<String, String> tables, List<String> refusals) throws SQLException {
        int mode;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@lower_case_table_names")) {
            rs.next();
            mode = rs.getInt(1);
        }
        if (mode != 0) return; // names are compared case-insensitively: UM_USER finds um_user
        List<String> notUpper = tables.entrySet().stream()
                .filter(t -> UpgradeGate.CARBON_40_TABLES.contains(t.getKey()) && !t.getKey().equals(t.getValue()))
                .map(Map.Entry::getValue).sorted().toList();
        if (notUpper.isEmpty()) return;
        refusals.add("The Carbon tables are named in lower or mixed case (" + (notUpper.size() <= 5 ? notUpper
                : notUpper.subList(0, 5) + " and " + (notUpper.size() - 5) + " more") + ") and this server compares table names"
                + " case-sensitively (lower_case_table_names=0). Carbon's own SQL and the upgrade name them in upper case (UM_USER),"
                + " so neither finds them here: the database probably comes from a server with lower_case_table_names=1 (Windows,"
                + " or set so). Restore it into a server with lower_case_table_names=1, or rename the tables to upper case"
                + " (RENAME TABLE " + notUpper.get(0) + " TO " + notUpper.get(0).toUpperCase(Locale.ROOT) + ", ...), then run again.");
    }
}
