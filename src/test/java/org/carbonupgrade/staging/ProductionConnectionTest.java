package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import org.carbonupgrade.Engine;
import org.junit.jupiter.api.Test;

/**
 * Production as the catch-up command opens it (CatchUpMain, as exec:java@catch-up runs it) on embedded H2: read-only and
 * only if it exists. Before, catch-up opened it read-write, and a mistyped path made H2 create an empty database file
 * there (the lead saw {@code /tmp/nonexist.mv.db} appear from a mistyped -Dcarbon.upgrade.source.url).
 */
class ProductionConnectionTest {
    @Test
    void aMistypedH2PathIsRefusedNamingProductionsOptionAndCreatesNoFile() throws Exception {
        StagedPair pair = StagedPair.restored(Engine.H2, "prodconn_typo");
        Path missing = Path.of("target", "prodconn-typo-" + System.nanoTime()).toAbsolutePath();
        SQLException refused = assertThrows(SQLException.class, () -> runCatchUp(pair, "jdbc:h2:" + missing, pair.production.user, pair.production.password));
        assertTrue(refused.getMessage().startsWith("Production: ") && refused.getMessage().contains("-D" + Stage.SOURCE_URL), refused.getMessage());
        assertFalse(Files.exists(Path.of(missing + ".mv.db")), "H2 created a database at the mistyped path");
    }

    @Test
    void aPassThroughTheCommandReadsH2ProductionReadOnlyAndApplies() throws Exception {
        StagedPair pair = StagedPair.restored(Engine.H2, "prodconn_pass");
        try (Connection p = pair.production.connect()) {
            Writes.production(p);
        }
        CatchUpMain.Outcome outcome = runCatchUp(pair, pair.production.url, pair.production.user, pair.production.password);
        assertTrue(outcome.failure() == null, outcome.failure());
        assertTrue(outcome.pass().applied() && outcome.pass().rows() > 0, String.valueOf(outcome.pass().counts()));
        assertTrue(outcome.pass().verification().passed(), outcome.pass().verification().problems());
    }

    /** CatchUpMain.run with the command's options as system properties, as exec:java gives them. */
    private static CatchUpMain.Outcome runCatchUp(StagedPair pair, String productionUrl, String user, String password) throws Exception {
        Map<String, String> options = Map.of(Stage.SOURCE_URL, productionUrl, Stage.SOURCE_USER, user, Stage.SOURCE_PASSWORD, password,
                "liquibase.url", pair.staging.url, "liquibase.username", pair.staging.user, "liquibase.password", pair.staging.password,
                "carbon.upgrade.reportDir", Path.of("target", "test-reports", pair.staging.name).toString());
        // Restored after: surefire sets some of them for the whole test JVM (carbon.upgrade.reportDir, ReportFilesTest).
        Map<String, String> before = new java.util.HashMap<>();
        options.keySet().forEach(k -> before.put(k, System.getProperty(k)));
        options.forEach(System::setProperty);
        try {
            return CatchUpMain.run("h2", true, false);
        } finally {
            before.forEach((k, v) -> {
                if (v == null) System.clearProperty(k);
                else System.setProperty(k, v);
            });
        }
    }
}
