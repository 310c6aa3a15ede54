package org.carbonupgrade.gate;

import java.sql.Driver;

import liquibase.exception.DatabaseException;

/**
 * Refuses a JDBC URL that carries a password before Liquibase connects with it. The Liquibase Maven plugin
 * prints the URL verbatim through Maven's own log, which no code of this project can filter
 * (org.liquibase:liquibase-maven-plugin:4.33.0, AbstractLiquibaseMojo.execute: right after
 * CommandLineUtils.createDatabaseObject has connected, {@code getLog().info("Executing on Database: " + url)};
 * with verbose=true, displayMojoSettings/printSettings print {@code "url: " + url} even before connecting).
 * Refusing here, inside the connect, is what keeps the password out of the first line; the README tells the
 * operator to give it with -Dliquibase.password instead. Every other URL opens as with Liquibase's own
 * JdbcConnection. Liquibase's ConnectionServiceFactory uses only the DatabaseConnection of highest priority,
 * so this one (registered through META-INF/services/liquibase.database.DatabaseConnection) extends the
 * profile-against-URL check rather than sitting beside it.
 */
public class PasswordFreeUrl extends ProfileMatchesUrl {
    static final String MESSAGE = "The database URL carries a password (user:password@host, user/password@host, or a"
            + " password/pwd parameter). Maven and Liquibase print the URL, so the password would end up in the console"
            + " and the build log. Remove it from -Dliquibase.url (or the url in profiles/*.properties) and give it"
            + " separately: -Dliquibase.username=... -Dliquibase.password=...";

    /**
     * Above every connection type the plugin ships, including liquibase-commercial's ProJdbcConnection (101),
     * which adds only licensed features this project does not use.
     */
    @Override
    public int getPriority() {
        return 1000;
    }

    @Override
    protected void checkUrl(String url, Driver driverObject) throws DatabaseException {
        if (Redact.carriesPassword(url)) {
            throw new DatabaseException(MESSAGE + " (URL as given, masked: " + Redact.url(url) + ")");
        }
        super.checkUrl(url, driverObject);
    }
}
