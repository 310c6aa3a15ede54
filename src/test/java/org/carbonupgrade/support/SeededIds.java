package org.carbonupgrade.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The ids a seeded 4.0.x database gave its rows, found by name. Carbon400Seeder numbers each table from one
 * counter across all tenants, as 4.0.x's sequences do, so only the super tenant's ids are 1, 2, ...; a tenant's
 * rows are found by what names them.
 */
public final class SeededIds {
    private SeededIds() {
    }

    public static int user(Connection c, int tenant, String name) throws SQLException {
        return id(c, "SELECT UM_ID FROM UM_USER WHERE UM_USER_NAME = ? AND UM_TENANT_ID = ?", name, tenant);
    }

    public static int role(Connection c, int tenant, String name) throws SQLException {
        return id(c, "SELECT UM_ID FROM UM_ROLE WHERE UM_ROLE_NAME = ? AND UM_TENANT_ID = ?", name, tenant);
    }

    public static int hybridRole(Connection c, int tenant, String name) throws SQLException {
        return id(c, "SELECT UM_ID FROM UM_HYBRID_ROLE WHERE UM_ROLE_NAME = ? AND UM_TENANT_ID = ?", name, tenant);
    }

    public static int permission(Connection c, int tenant, String resource, String action) throws SQLException {
        return id(c, "SELECT UM_ID FROM UM_PERMISSION WHERE UM_RESOURCE_ID = ? AND UM_ACTION = ? AND UM_TENANT_ID = ?", resource, action, tenant);
    }

    /** A user's attribute row (the seeder gives each user givenName and mail in the default profile). */
    public static int attribute(Connection c, int tenant, String user, String attribute) throws SQLException {
        return id(c, "SELECT a.UM_ID FROM UM_USER_ATTRIBUTE a JOIN UM_USER u ON u.UM_ID = a.UM_USER_ID AND u.UM_TENANT_ID = a.UM_TENANT_ID"
                + " WHERE u.UM_USER_NAME = ? AND a.UM_ATTR_NAME = ? AND a.UM_TENANT_ID = ?", user, attribute, tenant);
    }

    public static int path(Connection c, int tenant, String path) throws SQLException {
        return id(c, "SELECT REG_PATH_ID FROM REG_PATH WHERE REG_PATH_VALUE = ? AND REG_TENANT_ID = ?", path, tenant);
    }

    /** The next id a 4.0.x server's generator would hand out for a table's id column (the seeder moves them past MAX). */
    public static int next(Connection c, String table, String column) throws SQLException {
        return id(c, "SELECT COALESCE(MAX(" + column + "), 0) + 1 FROM " + table);
    }

    private static int id(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) ps.setObject(i + 1, values[i]);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("no row for " + sql + " with " + java.util.Arrays.toString(values));
                int id = rs.getInt(1);
                if (rs.next()) throw new SQLException("more than one row for " + sql + " with " + java.util.Arrays.toString(values));
                return id;
            }
        }
    }
}
