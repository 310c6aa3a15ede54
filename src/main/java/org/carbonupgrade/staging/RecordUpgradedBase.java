package org.carbonupgrade.staging;

import java.sql.Connection;

import liquibase.Scope;
import liquibase.change.custom.CustomTaskChange;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomChangeException;

import org.carbonupgrade.Engine;
import org.carbonupgrade.audit.SafeText;
import org.carbonupgrade.change.PlainCustomChange;
import org.carbonupgrade.gate.GateRunner;
import org.carbonupgrade.gate.Redact;

/**
 * The upgrade's last step on a staging database (changeset staging-record-upgraded-base): records the staging
 * side of the base, every staged table's rows in their 4.2.0 form right after the upgrade, so catch-up can later
 * tell staging's own changes (testers, a 4.2.0 server's start-up rows) from production's.
 *
 * <p>On a database upgraded in place there is no CARBON_UPGRADE_STAGE table: nothing happens, and the log says so.
 * updateSQL and offline review print nothing for it (it writes only the stage's own tables). The rows are written
 * on Liquibase's connection without a commit of their own: they commit with this changeset's DATABASECHANGELOG row,
 * so a crash leaves either both or neither (the old staging side is deleted first, in the same transaction). One
 * exception: the base's bucket index is built after the rows, and on MariaDB and H2 that DDL commits them first,
 * with the stage still STAGED; a crash there leaves the changeset unrecorded, catch-up refuses the stage, and the
 * next liquibase:update runs this again, which drops the index, records the side afresh and builds it.
 */
public class RecordUpgradedBase extends PlainCustomChange implements CustomTaskChange {
    private String message = "Not a staging database (no " + BaseTables.STAGE + "): no staging base to record";

    @Override
    public void execute(Database database) throws CustomChangeException {
        if (!(database.getConnection() instanceof JdbcConnection jdbc) || GateRunner.reviewOnly(database)) {
            message = "SQL review: on a staging database the real update records the upgraded rows' base here";
            return;
        }
        try {
            Connection c = jdbc.getUnderlyingConnection();
            if (!BaseTables.exist(c)) {
                return; // Liquibase logs the confirmation message: the one line saying nothing was done
            }
            String state = StageBase.state(c);
            if (!BaseTables.STAGED.equals(state) && !BaseTables.UPGRADED.equals(state)) {
                throw new CustomChangeException("This staging database's stage is " + state + ", not " + BaseTables.STAGED
                        + ": its copy of production is incomplete. Empty the staging database and run the stage command again.");
            }
            long rows = StageBase.recordStagingSide(c, Engine.of(c), Scope.getCurrentScope().getLog(getClass())::info);
            message = "Recorded the staging side of the base: " + rows + " rows in their upgraded form (" + BaseTables.ROWS + ")";
        } catch (CustomChangeException e) {
            throw e;
        } catch (Exception e) {
            throw new CustomChangeException("Recording the staging base failed: " + SafeText.line(Redact.text(e.getMessage())), e);
        }
    }

    @Override
    public String getConfirmationMessage() {
        return message;
    }
}
