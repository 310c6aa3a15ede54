package org.carbonupgrade;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import org.carbonupgrade.gate.Redact;

/**
 * The connection the command-line tools (rehearsal, verifier) use: profiles/PROFILE.properties, overridden by
 * the same -Dliquibase.url / -Dliquibase.username / -Dliquibase.password the Liquibase plugin honours.
 */
public record ConnectionSettings(String url, String username, String password) {

    public static ConnectionSettings forProfile(String profile) throws IOException, SQLException {
        Properties p = new Properties();
        Path file = Path.of("profiles", profile + ".properties");
        if (!Files.exists(file)) {
            throw new SQLException("Unknown profile '" + profile + "': no " + file + ". Use h2, mysql, postgresql, mssql or oracle.");
        }
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        for (String key : new String[] {"url", "username", "password"}) {
            String override = System.getProperty("liquibase." + key);
            if (override != null && !override.isBlank() && !override.startsWith("${")) p.setProperty(key, override);
        }
        return new ConnectionSettings(p.getProperty("url"), p.getProperty("username"), p.getProperty("password", ""));
    }

    public Connection connect() throws SQLException {
        try {
            org.carbonupgrade.h2.H2File carbonH2 = org.carbonupgrade.h2.H2File.legacy(url);
            if (carbonH2 != null) {
                // Carbon's own H2 1.2 file: read it with Carbon's H2 (H2 2.x would create an empty database beside it).
                return org.carbonupgrade.h2.LegacyH2.connect(org.carbonupgrade.h2.H2File.legacyUrl(carbonH2.base()) + ";IFEXISTS=TRUE",
                        username, password);
            }
            return DriverManager.getConnection(url, username, password);
        } catch (SQLException e) {
            // The driver's own message may quote the URL; the cause is not chained, as its message is not masked.
            SQLException masked = new SQLException("Cannot connect to " + Redact.url(url) + " as " + username + ": "
                    + Redact.text(e.getMessage()) + ". Check -Dliquibase.url, -Dliquibase.username and -Dliquibase.password.",
                    e.getSQLState(), e.getErrorCode());
            masked.setStackTrace(e.getStackTrace());
            throw masked;
        }
    }

    @Override
    public String toString() {
        return Redact.url(url) + " as " + username; // never the password
    }
}
