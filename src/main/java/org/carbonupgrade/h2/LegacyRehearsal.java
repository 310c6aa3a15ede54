package org.carbonupgrade.h2;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;

import org.carbonupgrade.ConnectionSettings;
import org.carbonupgrade.rehearsal.Carbon400Seeder;
import org.carbonupgrade.rehearsal.Identity400Seeder;

/**
 * The h2 rehearsal database in the format Carbon 4.0.0 itself writes: an H2 1.2 file (PATH.h2.db) made by H2 1.2.140
 * from the 4.0.0 baseline, with the same seeded data as on every engine. An existing H2 2.x rehearsal database
 * (PATH.mv.db, from earlier versions of this tool) is left to the ordinary path.
 */
public final class LegacyRehearsal {
    private LegacyRehearsal() {
    }

    /** @return true when this class handled the rehearsal (created the file or found it present) */
    public static boolean create(ConnectionSettings settings, boolean identityServer, int tenants, int users) throws SQLException {
        H2File file = H2File.of(settings.url());
        if (file == null || Files.exists(file.currentFile())) return false;
        if (Files.exists(file.legacyFile())) {
            System.out.println("Rehearsal database already present at " + file.legacyFile()
                    + " (left as it is). To start over, delete it (rm -r target/rehearsal) and run again.");
            return true;
        }
        try (Connection c = LegacyH2.connect(H2File.legacyUrl(file.base()), settings.username(), settings.password())) {
            LegacyBaseline.create(c, identityServer);
            new Carbon400Seeder(c, tenants, users).seed();
            if (identityServer) new Identity400Seeder(c, tenants, users).seed();
        }
        System.out.println("Created a Carbon 4.0.0 " + (identityServer ? "Identity Server " : "") + "rehearsal database in Carbon's"
                + " own H2 format (H2 " + LegacyH2.VERSION + ") at " + file.legacyFile() + ": super tenant -1234 and " + tenants
                + " tenants, " + (users + 1) + " users each.");
        return true;
    }
}
