package org.carbonupgrade.staging;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

import org.carbonupgrade.ConnectionSettings;
import org.carbonupgrade.Engine;
import org.carbonupgrade.gate.GateSettings;
import org.carbonupgrade.gate.Redact;
import org.carbonupgrade.verify.VerificationReport;
import org.carbonupgrade.verify.VerifyMain;

/**
 * The catch-up command: {@code mvn -B compile exec:java@catch-up -P<db>[,is] -Dcarbon.upgrade.source.url=<production>
 * -Dliquibase.url=<staging>} (docs/staging.md, "Catch-up"). {@code -Dcarbon.upgrade.review=true} prints the pass
 * as SQL and changes nothing. {@code -Dcarbon.upgrade.catchup.final=true} makes it the cut-over's pass (FinalPass: production
 * stopped, no other session on its database; the base rows left pending). Exits non-zero when the pass is refused
 * (conflicts or, final, production's sessions listed) or the verifier fails.
 */
public final class CatchUpMain {
    public static final String REVIEW = "carbon.upgrade.review";

    private CatchUpMain() {
    }

    public static void main(String[] args) throws Exception {
        String profile = args.length > 0 ? args[0] : "h2";
        boolean identityServer = args.length > 1 && "is".equalsIgnoreCase(args[1]);
        boolean review = Boolean.parseBoolean(GateSettings.value(REVIEW));
        boolean last = Boolean.parseBoolean(GateSettings.value(FinalPass.PROPERTY));
        Outcome outcome = run(profile, identityServer, review, last);
        if (outcome.failure != null) throw new CatchUpFailedException(outcome.failure);
    }

    record Outcome(CatchUp.Outcome pass, String failure) {
    }

    static Outcome run(String profile, boolean identityServer, boolean review) throws Exception {
        return run(profile, identityServer, review, false);
    }

    /** @param last the cut-over's pass (FinalPass): its log ends saying whether the cut-over can proceed */
    static Outcome run(String profile, boolean identityServer, boolean review, boolean last) throws Exception {
        // The same options, checks and password handling as exec:java@stage.
        Stage.Settings settings = StageMain.settings(profile, identityServer);
        ConnectionSettings sourceSettings = settings.production();
        ConnectionSettings stagingSettings = settings.staging();
        if (sourceSettings.url().equals(stagingSettings.url())) {
            throw new IllegalArgumentException("Production (-D" + Stage.SOURCE_URL + ") and staging (-Dliquibase.url) are the same database: "
                    + Redact.url(sourceSettings.url()) + ". Point -Dliquibase.url at the staging database.");
        }
        PrintStream log = review ? System.err : System.out;
        // Staging with the drivers' batch rewriting: on MariaDB each JDBC batch of the pass's writes and base rows was one
        // round trip per row without it (tens of thousands of round trips in a pass at 1M users).
        try (Connection production = Stage.connectProduction(sourceSettings, Engine.ofProfile(profile)); Connection staging = Stage.connect(stagingSettings, Engine.ofProfile(profile))) {
            if (Engine.of(staging) != Engine.ofProfile(profile)) {
                throw new IllegalStateException("The " + profile + " profile points at " + Engine.of(staging).describe(staging)
                        + ": run catch-up with -P" + Engine.of(staging).profile() + ".");
            }
            log.println("[catch-up] production " + sourceSettings + " -> staging " + stagingSettings + (last ? " (final pass)" : "")
                    + (review ? " (review only)" : ""));
            String heap = PassHeap.roomier();
            if (heap != null) log.println("[catch-up] JVM: " + heap);
            CatchUp catchUp = new CatchUp(production, staging, identityServer, review ? System.out : null, log,
                    Redact.url(sourceSettings.url())).sharing(() -> Stage.connectProduction(sourceSettings, Engine.ofProfile(profile))).readingBinlog(sourceSettings).finalPass(last)
                    .readingSlot(Boolean.getBoolean(SlotScan.OPT_IN) ? sourceSettings : null);
            CatchUp.Outcome pass;
            try {
                pass = catchUp.run();
            } catch (FinalPass.Refused e) {
                // The reason is the failure's message, printed as the command fails (CatchUpFailedException): once, as the conflicts are.
                log.println("[catch-up] final pass: the cut-over cannot proceed: the pass was refused (the reason below); nothing was applied");
                return new Outcome(null, e.getMessage());
            }
            pass.counts().forEach((table, counts) -> log.println("[catch-up] " + table + ": " + counts));
            if (pass.refused()) {
                StringBuilder b = new StringBuilder("Catch-up refused: " + pass.conflicts().size() + " keys changed on both production and"
                        + " staging (or taken on staging), so nothing was applied" + (review ? "" : "; the refusal is recorded in " + CatchUpAudit.TABLE)
                        + ". Resolve each on staging (remove staging's row or change, it is staging's own) and run catch-up again:");
                List<CatchUp.Conflict> shown = pass.conflicts().subList(0, Math.min(200, pass.conflicts().size()));
                for (CatchUp.Conflict c : shown) b.append("\n  ").append(c);
                if (shown.size() < pass.conflicts().size()) b.append("\n  ... and ").append(pass.conflicts().size() - shown.size()).append(" more");
                if (last) log.println("[catch-up] final pass: the cut-over cannot proceed: " + pass.conflicts().size() + " conflicts (listed below); nothing was applied");
                return new Outcome(pass, b.toString());
            }
            if (review) {
                log.println("[catch-up] review only: nothing was changed on staging");
                return new Outcome(pass, null);
            }
            log.println("[catch-up] JVM: " + PassHeap.collections());
            VerificationReport report = pass.verification();
            Path dir = Path.of(System.getProperty("carbon.upgrade.reportDir", "target/carbon-upgrade"));
            Path written = report.write(dir);
            log.println(report.markdown());
            log.println("[catch-up] pass " + pass.passId() + ": " + pass.rows() + " production rows applied; verification report " + written);
            if (!report.passed()) {
                if (last) log.println("[catch-up] final pass: the cut-over cannot proceed: the pass committed, but the verification of staging FAILED"
                        + " (report " + written + "); keep production, fix staging, or stage again");
                return new Outcome(pass, "Catch-up applied its pass, but the verification of staging FAILED:\n"
                        + new VerifyMain.VerificationFailedException(report).getMessage());
            }
            if (last) {
                log.println("[catch-up] final pass: the cut-over can proceed: staging holds production's rows as of " + catchUp.snapshotAt()
                        + " (no other session on production's database from before the pass read it until its commit), verifier PASSED."
                        + " Point the Carbon 4.2.0 servers at staging. If production is started again instead, the next catch-up pass"
                        + " first merges the base rows this pass left pending.");
            }
            return new Outcome(pass, null);
        }
    }

    /** Thrown so Maven exits non-zero; the message lists the conflicts or the failed checkpoints. */
    public static final class CatchUpFailedException extends Exception {
        public CatchUpFailedException(String message) {
            super(message);
        }
    }
}
