package org.carbonupgrade.support;

import java.sql.Connection;

import org.carbonupgrade.Engine;
import org.carbonupgrade.rehearsal.Baseline;
import org.carbonupgrade.rehearsal.Carbon400Seeder;
import org.carbonupgrade.rehearsal.Identity400Seeder;

/** Carbon 4.0.0 databases to upgrade in tests. */
public final class Fixtures {
    public static final int TENANTS = 3;
    public static final int USERS = 6;

    private Fixtures() {
    }

    public static TestDatabase carbon40(Engine engine, String name) throws Exception {
        return seeded(engine, name, false);
    }

    public static TestDatabase identity40(Engine engine, String name) throws Exception {
        return seeded(engine, name, true);
    }

    private static TestDatabase seeded(Engine engine, String name, boolean identityServer) throws Exception {
        TestDatabase db = TestDatabase.fresh(engine, name);
        try (Connection c = db.connect()) {
            Baseline.create(c, identityServer);
            new Carbon400Seeder(c, TENANTS, USERS).seed();
            if (identityServer) new Identity400Seeder(c, TENANTS, USERS).seed();
        }
        return db;
    }
}
