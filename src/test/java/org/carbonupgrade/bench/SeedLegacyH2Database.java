package org.carbonupgrade.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;

import org.carbonupgrade.h2.H2File;
import org.carbonupgrade.h2.LegacyBaseline;
import org.carbonupgrade.h2.LegacyH2;
import org.carbonupgrade.rehearsal.Carbon400Seeder;

/**
 * Creates a Carbon 4.0.0 database in Carbon's own H2 format (H2 1.2.140) for timing the H2 path end to end (see
 * docs/benchmark.md, "Carbon's own H2 file"): arguments PATH (the file is PATH.h2.db), tenants, users per tenant.
 * Not a test.
 */
public final class SeedLegacyH2Database {
    private SeedLegacyH2Database() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(base.getParent());
        long start = System.nanoTime();
        try (Connection c = LegacyH2.connect(H2File.legacyUrl(base), "wso2carbon", "wso2carbon")) {
            LegacyBaseline.create(c, false);
            new Carbon400Seeder(c, Integer.parseInt(args[1]), Integer.parseInt(args[2])).reviewerEvery(1).seed();
        }
        System.out.printf("seeded %s.h2.db in %.1f s%n", base, (System.nanoTime() - start) / 1e9);
    }
}
