package org.carbonupgrade.gate;

import liquibase.database.Database;
import liquibase.exception.CustomPreconditionFailedException;
import liquibase.exception.LockException;
import liquibase.precondition.CustomPrecondition;

/**
 * The gate again, as the master changelog's precondition (onFail/onError HALT). It catches a run where
 * the lock-service hook was not loaded, and it fails (halts) when the project classes were not compiled.
 * Where the lock service has already passed the gate for this database, nothing is checked twice.
 */
public class GatePrecondition implements CustomPrecondition {
    @Override
    public void check(Database database) throws CustomPreconditionFailedException {
        try {
            GateRunner.ensure(database);
        } catch (LockException e) {
            throw new CustomPreconditionFailedException(e.getMessage().strip(), e);
        }
    }
}
