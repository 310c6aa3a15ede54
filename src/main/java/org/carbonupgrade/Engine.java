package org.carbonupgrade;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

/** The database engines the upgrade supports; the name is the Maven profile id and the reference file name. */
public enum Engine {
    H2("h2"), MYSQL("mysql"), POSTGRESQL("postgresql"), MSSQL("mssql"), ORACLE("oracle");

    private final String profile;

    Engine(String profile) {
        this.profile = profile;
    }

    public String profile() {
        return profile;
    }

    public static Engine ofProfile(String profile) {
        for (Engine e : values()) {
            if (e.profile.equalsIgnoreCase(profile == null ? "" : profile.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("Unknown database profile '" + profile
                + "'. Use one of: h2, mysql, postgresql, mssql, oracle (for example -Pmysql).");
    }

    /** What the connected server really is; MariaDB counts as MySQL, as in WSO2's own scripts. */
    public static Engine of(Connection connection) throws SQLException {
        DatabaseMetaData md = connection.getMetaData();
        String product = (md.getDatabaseProductName() + " " + md.getDatabaseProductVersion()).toLowerCase(Locale.ROOT);
        if (product.contains("h2")) return H2;
        if (product.contains("mysql") || product.contains("mariadb")) return MYSQL;
        if (product.contains("postgres")) return POSTGRESQL;
        if (product.contains("microsoft") || product.contains("sql server")) return MSSQL;
        if (product.contains("oracle")) return ORACLE;
        throw new SQLException("Unsupported database product: " + md.getDatabaseProductName());
    }

    /**
     * The identifier quoted the way this engine quotes it, any quote character inside doubled, so a catalog name
     * (dash, space, semicolon, a whole statement) is always read as one name and never as SQL.
     */
    public String quote(String identifier) {
        return switch (this) {
            case MYSQL -> "`" + identifier.replace("`", "``") + "`";
            case MSSQL -> "[" + identifier.replace("]", "]]") + "]";
            default -> "\"" + identifier.replace("\"", "\"\"") + "\"";
        };
    }

    public String describe(Connection connection) throws SQLException {
        DatabaseMetaData md = connection.getMetaData();
        return md.getDatabaseProductName() + " " + md.getDatabaseProductVersion();
    }
}
