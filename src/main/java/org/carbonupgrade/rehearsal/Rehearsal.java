package org.carbonupgrade.rehearsal;

import java.sql.Connection;

import org.carbonupgrade.ConnectionSettings;
import org.carbonupgrade.Engine;
import org.carbonupgrade.gate.Redact;
import org.carbonupgrade.schema.SchemaReader;

/**
 * Creates a Carbon 4.0.0 rehearsal database (schema and realistic data) at the profile's URL, so an
 * operator can rehearse the upgrade end to end. It never touches a database that already has tables.
 *
 * Arguments: profile (h2, mysql, postgresql, ...) and product (carbon or is). Connection settings come
 * from profiles/PROFILE.properties, overridden by -Dliquibase.url / -Dliquibase.username / -Dliquibase.password.
 */
public final class Rehearsal {
    private Rehearsal() {
    }

    public static void main(String[] args) throws Exception {
        String profile = args.length > 0 ? args[0] : "h2";
        boolean identityServer = args.length > 1 && "is".equalsIgnoreCase(args[1]);
        ConnectionSettings settings = ConnectionSettings.forProfile(profile);
        String url = settings.url();
        if (Engine.ofProfile(profile) == Engine.H2 && org.carbonupgrade.h2.LegacyRehearsal.create(settings, identityServer, 3, 20)) {
            return; // Carbon's own H2 1.2 format, as Carbon 4.0.0 writes it
        }
        try (Connection c = settings.connect()) {
            if (Engine.of(c) != Engine.ofProfile(profile)) {
                throw new IllegalStateException("The " + profile + " profile points at " + Engine.of(c).describe(c) + "; use -P" + Engine.of(c).profile());
            }
            var tables = new SchemaReader(c).tableNames();
            if (tables.containsKey("UM_USER")) {
                System.out.println("Rehearsal database already present at " + Redact.url(url)
                        + " (left as it is). To start over, delete it (H2: rm -r target/rehearsal) and run again.");
                return;
            }
            if (!tables.isEmpty()) {
                throw new IllegalStateException("Refusing to create a rehearsal database in " + Redact.url(url)
                        + ": it already holds other tables " + tables.keySet() + ". Use an empty database.");
            }
            Baseline.create(c, identityServer);
            new Carbon400Seeder(c, 3, 20).seed();
            if (identityServer) new Identity400Seeder(c, 3, 20).seed();
            System.out.println("Created a Carbon 4.0.0 " + (identityServer ? "Identity Server " : "") + "rehearsal database at "
                    + Redact.url(url) + ": super tenant -1234 and 3 tenants, 21 users each.");
        }
    }
}
