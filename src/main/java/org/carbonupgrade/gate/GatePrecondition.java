package org.carbonupgrade.gate;

import java.sql.SQLException;

import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomPreconditionErrorException;
import liquibase.exception.CustomPreconditionFailedException;
import liquibase.precondition.CustomPrecondition;

/**
 * The gate again, as the master changelog's precondition (onFail/onError HALT). It catches a run where
 * the lock-service hook was not loaded, and it fails (halts) when the project classes were not compiled.
 */
public class GatePrecondition implements CustomPrecondition {
    @Override
    public void check(Database database) throws CustomPreconditionFailedException, CustomPreconditionErrorException {
        if (!(database.getConnection() instanceof JdbcConnection jdbc)) {
            return;
        }
        try {
            UpgradeGate.Result result = UpgradeGate.check(jdbc.getUnderlyingConnection(), GateSettings.current(),
                    GateRunner.reviewOnly(database));
            if (!result.passed()) {
                throw new CustomPreconditionFailedException(result.report());
            }
        } catch (SQLException e) {
            throw new CustomPreconditionErrorException("Cannot check the database: " + e.getMessage(), e);
        }
    }
}
