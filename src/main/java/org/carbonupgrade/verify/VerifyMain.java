package org.carbonupgrade.verify;

import java.nio.file.Path;
import java.sql.Connection;

import org.carbonupgrade.ConnectionSettings;
import org.carbonupgrade.Engine;

/**
 * The verifier as a command: {@code mvn compile exec:java@verify -P<db>[,is]}. Writes the reports under
 * target/carbon-upgrade/ and fails (non-zero exit) when a checkpoint fails.
 */
public final class VerifyMain {
    private VerifyMain() {
    }

    public static void main(String[] args) throws Exception {
        String profile = args.length > 0 ? args[0] : "h2";
        boolean identityServer = args.length > 1 && "is".equalsIgnoreCase(args[1]);
        Path dir = Path.of(System.getProperty("carbon.upgrade.reportDir", "target/carbon-upgrade"));
        ConnectionSettings settings = ConnectionSettings.forProfile(profile);
        try (Connection c = settings.connect()) {
            if (Engine.of(c) != Engine.ofProfile(profile)) {
                throw new IllegalStateException("The " + profile + " profile points at " + Engine.of(c).describe(c)
                        + ": run the verifier with -P" + Engine.of(c).profile() + ".");
            }
            String updateRunning = UpdateLock.heldBy(c);
            if (updateRunning != null) {
                throw new IllegalStateException("The verifier did not start: the upgrade lock (DATABASECHANGELOGLOCK) is held by "
                        + updateRunning + ". An update running now changes the tables the verifier reads, and the verifier's"
                        + " smoke test would write into them.\n"
                        + " - If an update is running there, let it finish (it verifies itself as its last step), then verify again.\n"
                        + " - If a previous run was killed or crashed, the lock is stale: clear it with\n"
                        + "     mvn liquibase:releaseLocks -P" + profile + " -Dliquibase.url=... -Dliquibase.username=... -Dliquibase.password=...\n"
                        + "   then run the update again to finish it; it resumes where the killed run stopped.");
            }
            VerificationReport report = Verifier.verify(c, identityServer);
            Path written = report.write(dir);
            System.out.println(report.markdown());
            System.out.println("Report of this run: " + written + " (and .json); latest run: " + dir.resolve("verification-report.md")
                    + " and " + dir.resolve("verification-report.json"));
            if (!report.passed()) {
                throw new VerificationFailedException(report);
            }
        }
    }

    /** Thrown so Maven exits non-zero; the message lists every failed checkpoint. */
    public static final class VerificationFailedException extends Exception {
        public VerificationFailedException(VerificationReport report) {
            super("carbon-upgrade verification FAILED:\n" + report.problems());
        }
    }
}
