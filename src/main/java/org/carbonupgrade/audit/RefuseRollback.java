package org.carbonupgrade.audit;

import liquibase.change.custom.CustomSqlChange;
import liquibase.database.Database;

import org.carbonupgrade.change.PlainCustomChange;
import liquibase.exception.CustomChangeException;
import liquibase.statement.SqlStatement;

/**
 * The rollback of every changeset. WSO2's upgrade guide forbids rolling the 4.2.0 upgrade back: reversed DDL
 * would drop data 4.2.0 wrote after the upgrade. Liquibase rolls back newest first and stops at the first
 * failure, so the very first changeset it tries refuses and nothing is changed.
 */
public class RefuseRollback extends PlainCustomChange implements CustomSqlChange {
    public static final String MESSAGE = "carbon-upgrade refuses to roll back; nothing was changed. The Carbon 4.0.0 -> 4.2.0"
            + " upgrade cannot be rolled back (WSO2's upgrade guide): the way back is the backup taken before upgrading."
            + " Stop the Carbon servers and restore that backup (CARBON_UPGRADE_RUN.BACKUP_REF records where it is).";

    @Override
    public SqlStatement[] generateStatements(Database database) throws CustomChangeException {
        throw new CustomChangeException(MESSAGE);
    }

    @Override
    public String getConfirmationMessage() {
        return "Rollback refused";
    }
}
