package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
 * there (the lead saw {@code /tmp/nonexist.mv.db} appear from a mistyped -Dcarbon.upgrade.source.url). And what the
 * command prints when production is still in use at a final pass.
 */
class ProductionConnectionTest {
    @Test
    void aMistypedH2PathIsRefusedNamingProductionsOptionAndCreatesNoFile() throws Exception {
        StagedPair pair = StagedPair.restored(Engine.H2, "prodconn_typo");
        Path missing = Path.of("target", "prodconn-typo-" + System.nanoTime()).toAbsolutePath();
        String password = "not-shown-" + System.nanoTime();
        SQLException refused = assertThrows(SQLException.class, () -> runCatchUp(pair, "jdbc:h2:" + missing, pair.production.user, password, false));
        assertTrue(refused.getMessage().startsWith("Cannot connect to production jdbc:h2:") && refused.getMessage().contains("-D" + Stage.SOURCE_URL)
                && !refused.getMessage().contains(password), refused.getMessage());
        assertFalse(Files.exists(Path.of(missing + ".mv.db")), "H2 created a database at the mistyped path");
    }

    @Test
    void aPassThroughTheCommandReadsH2ProductionReadOnlyAndApplies() throws Exception {
        StagedPair pair = StagedPair.restored(Engine.H2, "prodconn_pass");
        try (Connection p = pair.production.connect()) {
            Writes.production(p);
        }
        CatchUpMain.Outcome outcome = runCatchUp(pair, pair.production.url, pair.production.user, pair.production.password, false);
        assertTrue(outcome.failure() == null, outcome.failure());
        assertTrue(outcome.pass().applied() && outcome.pass().rows() > 0, String.valueOf(outcome.pass().counts()));
        assertTrue(outcome.pass().verification().passed(), outcome.pass().verification().problems());
    }

    /**
     * A final pass refused for another session on production: the log says the cut-over cannot proceed and the reason is
     * given once, as the command's failure (CatchUpMain.main throws it, Maven prints it). Before, the log line repeated
     * the whole refusal, so the operator read it twice.
     */
    @Test
    void aRefusedFinalPassGivesItsReasonOnce() throws Exception {
        StagedPair pair = StagedPair.restored(Engine.H2, "prodconn_refused");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream console = System.out;
        CatchUpMain.Outcome outcome;
        try (Connection server = pair.production.connect()) { // a Carbon server still connected to production
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8)); // where CatchUpMain logs
            try {
                outcome = runCatchUp(pair, pair.production.url, pair.production.user, pair.production.password, true);
            } finally {
                System.setOut(console);
            }
        }
        String log = out.toString(StandardCharsets.UTF_8);
        System.out.print(log);
        String reason = "other sessions are connected to production's database";
        assertTrue(outcome.pass() == null && outcome.failure() != null && outcome.failure().contains(reason), String.valueOf(outcome));
        assertTrue(log.contains("[catch-up] final pass: the cut-over cannot proceed"), log);
        String shown = log + outcome.failure();
        assertEquals(1, shown.split(java.util.regex.Pattern.quote(reason), -1).length - 1, "the reason shown more than once:\n" + shown);
    }

    /** CatchUpMain.run with the command's options as system properties, as exec:java gives them; {@code last}: a final pass. */
    private static CatchUpMain.Outcome runCatchUp(StagedPair pair, String productionUrl, String user, String password, boolean last) throws Exception {
        Map<String, String> options = Map.of(Stage.SOURCE_URL, productionUrl, Stage.SOURCE_USER, user, Stage.SOURCE_PASSWORD, password,
                "liquibase.url", pair.staging.url, "liquibase.username", pair.staging.user, "liquibase.password", pair.staging.password,
                "carbon.upgrade.reportDir", Path.of("target", "test-reports", pair.staging.name).toString());
        // Restored after: surefire sets some of them for the whole test JVM (carbon.upgrade.reportDir, ReportFilesTest).
        Map<String, String> before = new java.util.HashMap<>();
        options.keySet().forEach(k -> before.put(k, System.getProperty(k)));
        options.forEach(System::setProperty);
        try {
            return CatchUpMain.run("h2", true, false, last);
        } finally {
            before.forEach((k, v) -> {
                if (v == null) System.clearProperty(k);
                else System.setProperty(k, v);
            });
        }
    }
}
