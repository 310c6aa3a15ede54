package org.carbonupgrade.gate;

import java.sql.Driver;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;

/**
 * Opens Liquibase's JDBC connections, first checking that the URL names the engine of the chosen profile. The Maven
 * plugin only carries the chosen profile's driver, so -Ppostgresql with a MySQL URL used to end in the driver's
 * "Possibly the wrong driver for the given database URL"; this says which engine the URL names and which -P to use.
 * Registered through META-INF/services (liquibase.database.DatabaseConnection); Liquibase picks the highest priority.
 */
public class ProfileMatchesUrl extends JdbcConnection {
    /** URL prefix to the profile of that engine (MariaDB's own driver prefix included). */
    private static final Map<String, String> PREFIXES = Map.of("jdbc:h2:", "h2", "jdbc:mysql:", "mysql", "jdbc:mariadb:", "mysql",
            "jdbc:postgresql:", "postgresql", "jdbc:sqlserver:", "mssql", "jdbc:oracle:", "oracle");

    /** Above the liquibase-commercial ProJdbcConnection (101) that the Maven plugin brings, which adds nothing without a licence. */
    @Override
    public int getPriority() {
        return 200;
    }

    @Override
    public boolean supports(String url) {
        return url != null && url.startsWith("jdbc:");
    }

    @Override
    public void open(String url, Driver driverObject, Properties driverProperties) throws DatabaseException {
        checkUrl(url, driverObject);
        super.open(url, driverObject, driverProperties);
    }

    /** Refuses a URL this run must not open, before anything connects; subclasses add their own reasons. */
    protected void checkUrl(String url, Driver driverObject) throws DatabaseException {
        String problem = mismatch(url, GateSettings.value(GateSettings.ENGINE), driverObject);
        if (problem != null) throw new DatabaseException(problem);
    }

    /** Why this URL cannot be opened with this profile, or null when it can. */
    static String mismatch(String url, String profile, Driver driver) {
        String urlProfile = profileOf(url);
        boolean accepted;
        try {
            accepted = driver.acceptsURL(url);
        } catch (SQLException e) {
            accepted = false;
        }
        if (urlProfile != null && profile != null && !urlProfile.equalsIgnoreCase(profile.trim())) {
            return "The URL " + Redact.url(url) + " names a " + urlProfile + " database, but the profile is " + profile
                    + " (driver " + driver.getClass().getName() + "). Run with -P" + urlProfile + " (add ,is for Identity"
                    + " Server), or point -Dliquibase.url at the " + profile + " database. Nothing was changed.";
        }
        if (!accepted) {
            return "The driver " + driver.getClass().getName() + " of profile " + profile + " does not accept the URL "
                    + Redact.url(url) + (urlProfile == null ? ". Use a URL of the form of profiles/" + profile + ".properties"
                    : ". Run with -P" + urlProfile) + ". Nothing was changed.";
        }
        return null;
    }

    static String profileOf(String url) {
        String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
        return PREFIXES.entrySet().stream().filter(e -> lower.startsWith(e.getKey())).map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
