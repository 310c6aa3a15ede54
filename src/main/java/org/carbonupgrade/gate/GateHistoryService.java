package org.carbonupgrade.gate;

import liquibase.changelog.StandardChangeLogHistoryService;
import liquibase.exception.DatabaseException;
import liquibase.exception.LockException;

/**
 * Runs the gate before Liquibase creates DATABASECHANGELOG (it does so before taking its lock), so a
 * refused run leaves no table behind, and a read-only command (status, history, validate, updateSQL) creates
 * none at all. Registered through META-INF/services like GateLockService.
 */
public class GateHistoryService extends StandardChangeLogHistoryService {
    @Override
    public int getPriority() {
        return super.getPriority() + 10;
    }

    @Override
    public void init() throws DatabaseException {
        if (ReadOnlyCommand.wouldWrite(getDatabase()) && !hasDatabaseChangeLogTable()) {
            return; // status, history, validate: no table means no history; Liquibase reads it as empty
        }
        // Only the first run creates the table; later commands (history, status) must not need a backup.
        if (!hasDatabaseChangeLogTable()) {
            try {
                GateRunner.ensure(getDatabase());
            } catch (LockException e) {
                throw new DatabaseException(e.getMessage(), e);
            }
        }
        super.init();
    }
}
