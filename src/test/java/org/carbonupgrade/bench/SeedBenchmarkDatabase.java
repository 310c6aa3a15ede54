package org.carbonupgrade.bench;

import java.sql.Connection;

import org.carbonupgrade.Engine;
import org.carbonupgrade.rehearsal.Baseline;
import org.carbonupgrade.rehearsal.Carbon400Seeder;
import org.carbonupgrade.support.TestDatabase;

/**
 * Creates the benchmark's Carbon 4.0.0 database: arguments engine, database name, tenants, users per tenant.
 * Every user is in two hybrid roles (reviewers, subscribers), so 10,000 tenants x 100 users give 2,030,223 hybrid
 * user-role rows and, with 4.0.x's anonymous user per read-write tenant and no UM_USER rows in the 10 read-only
 * LDAP tenants, 1,019,082 users. Run by bench/run.sh; not a test.
 */
public final class SeedBenchmarkDatabase {
    private SeedBenchmarkDatabase() {
    }

    public static void main(String[] args) throws Exception {
        Engine engine = Engine.ofProfile(args[0]);
        TestDatabase db = TestDatabase.fresh(engine, args[1]);
        long start = System.nanoTime();
        try (Connection c = db.connect()) {
            Baseline.create(c, false);
            new Carbon400Seeder(c, Integer.parseInt(args[2]), Integer.parseInt(args[3])).reviewerEvery(1).seed();
        }
        System.out.printf("seeded %s %s in %.1f s%n", engine.profile(), db.name, (System.nanoTime() - start) / 1e9);
    }
}
