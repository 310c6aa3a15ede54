package org.carbonupgrade.h2;

import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

import liquibase.Scope;
import liquibase.exception.DatabaseException;

import org.carbonupgrade.gate.PasswordFreeUrl;

/**
 * Liquibase's connection for a Carbon H2 1.2 file (jdbc:h2:PATH where PATH.h2.db exists and PATH.mv.db does not):
 * Liquibase works on an H2 2.x copy; the update's last changeset (ConvertBackToLegacyH2) puts the verified result back
 * into the original's place in H2 1.2 format (LegacyH2Session). Liquibase finds this class through META-INF/services
 and prefers it for these URLs; every other URL keeps Liquibase's own JdbcConnection.
 */
public class LegacyH2Connection extends PasswordFreeUrl {
    private LegacyH2Session session;
    private String originalUrl;

    /**
     * Above every other connection type for these URLs: the Maven plugin's bundled ProJdbcConnection (101) and
     * PasswordFreeUrl (1000), whose URL checks it inherits (Liquibase uses only the highest-priority one).
     */
    @Override
    public int getPriority() {
        return 1001;
    }

    @Override
    public boolean supports(String url) {
        return H2File.legacy(url) != null;
    }

    @Override
    public void open(String url, Driver driverObject, Properties driverProperties) throws DatabaseException {
        H2File file = H2File.legacy(url);
        if (file == null) {
            super.open(url, driverObject, driverProperties);
            return;
        }
        checkUrl(url, driverObject); // the operator's URL; the work copy's is checked again on opening
        originalUrl = url;
        session = new LegacyH2Session(file, driverProperties.getProperty("user"), driverProperties.getProperty("password"),
                message -> Scope.getCurrentScope().getUI().sendMessage(message));
        try {
            super.open(session.up(), driverObject, driverProperties);
            session.started(getUnderlyingConnection());
        } catch (SQLException | DatabaseException e) {
            session.discardWork(); // nothing was done; the original was only read
            session.release();
            throw e instanceof DatabaseException d ? d : new DatabaseException(e.getMessage(), e);
        }
    }

    /** The conversion of this connection's Carbon H2 1.2 file, or null (any other database). */
    public LegacyH2Session session() {
        return session;
    }

    /** The operator's URL, not the work copy's, in Liquibase's messages and records. */
    @Override
    public String getURL() {
        return originalUrl != null ? originalUrl : super.getURL();
    }

    @Override
    public void close() throws DatabaseException {
        try {
            super.close();
        } finally {
            if (session != null && !session.finished()) {
                Scope.getCurrentScope().getUI().sendMessage(session.leftAsItWas());
                session.discardWork(); // a copy of the operator's data; the next run rebuilds it from the original
            }
            if (session != null) session.release();
        }
    }
}
