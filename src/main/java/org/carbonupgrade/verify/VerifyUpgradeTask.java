package org.carbonupgrade.verify;

import java.nio.file.Path;
import java.sql.Connection;

import liquibase.Scope;
import liquibase.change.custom.CustomTaskChange;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomChangeException;

import org.carbonupgrade.audit.SafeText;
import org.carbonupgrade.change.PlainCustomChange;
import org.carbonupgrade.gate.GateRunner;
import org.carbonupgrade.gate.GateSettings;
import org.carbonupgrade.gate.Redact;

/**
 * Runs the verifier as the update's last step, so a finished update has also proved its result. A failed
 * checkpoint fails the update run (non-zero exit) with the list of problems; the changes already applied
 * stay (the guide's way back is the backup).
 */
public class VerifyUpgradeTask extends PlainCustomChange implements CustomTaskChange {
    private String message = "Verified the upgrade";

    @Override
    public void execute(Database database) throws CustomChangeException {
        if (!(database.getConnection() instanceof JdbcConnection jdbc) || GateRunner.reviewOnly(database)) {
            message = "Verification runs after the real update (mvn compile exec:java@verify to run it alone)";
            return; // updateSQL prints SQL only; nothing has been upgraded to verify
        }
        try {
            Connection c = jdbc.getUnderlyingConnection();
            // Commits wait for the disk again (CommitFlush): the next one that writes, at the latest this step's own
            // DATABASECHANGELOG row, flushes every change before it, before the update reports success.
            org.carbonupgrade.CommitFlush.waitForFlushes(c);
            c.commit(); // everything before this step is final; the smoke test rolls back only its own work
            VerificationReport report = Verifier.verify(c, GateSettings.current().identityServer());
            Path dir = Path.of(System.getProperty("carbon.upgrade.reportDir", "target/carbon-upgrade"));
            Path written = report.write(dir).toAbsolutePath();
            Scope.getCurrentScope().getLog(getClass()).info("Verification " + (report.passed() ? "passed" : "FAILED")
                    + "; report: " + written + " (latest run: " + dir.toAbsolutePath().resolve("verification-report.md") + ")");
            if (!report.passed()) {
                throw new CustomChangeException("The upgrade ran, but verification FAILED (report: " + written + "):\n" + report.problems());
            }
            message = "Verified the upgrade: " + report.checkpoints.size() + " checkpoints passed";
        } catch (CustomChangeException e) {
            throw e;
        } catch (Exception e) {
            throw new CustomChangeException("Verification could not run: " + SafeText.line(Redact.text(e.getMessage())), e);
        }
    }

    @Override
    public String getConfirmationMessage() {
        return message;
    }
}
