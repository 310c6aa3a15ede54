package org.carbonupgrade.h2;

import liquibase.change.custom.CustomTaskChange;
import liquibase.database.Database;
import liquibase.exception.CustomChangeException;

import org.carbonupgrade.change.PlainCustomChange;
import org.carbonupgrade.gate.GateRunner;

/**
 * The update's very last step on a Carbon H2 1.2 file (changelogs/h2-legacy.xml): the verified H2 2.x copy goes
 * back into the original's place in H2 1.2 format (LegacyH2Session.finish). Running inside the update, a failure
 * fails the update (non-zero exit) with the original untouched. Any other database: nothing to do.
 */
public class ConvertBackToLegacyH2 extends PlainCustomChange implements CustomTaskChange {
    private String message = "Not a Carbon H2 1.2 file: nothing to convert back";

    @Override
    public void execute(Database database) throws CustomChangeException {
        if (!(database.getConnection() instanceof LegacyH2Connection legacy) || legacy.session() == null
                || GateRunner.reviewOnly(database)) {
            return;
        }
        try {
            legacy.getUnderlyingConnection().commit();
            message = legacy.session().finish(legacy.getUnderlyingConnection()); // Liquibase logs it as the outcome
        } catch (Exception e) {
            throw new CustomChangeException("The upgrade of the H2 2.x work copy is complete and verified, but converting it back"
                    + " to Carbon's H2 1.2 format failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String getConfirmationMessage() {
        return message;
    }
}
