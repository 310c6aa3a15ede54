package org.carbonupgrade.gate;

import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;

/**
 * A read-only command (status, history, validate, updateSQL...) about to write through the database's own
 * executor. updateSQL prints through a logging executor for most of its run, but Liquibase checks its tables and
 * releases its lock outside that window, on the live connection.
 */
final class ReadOnlyCommand {
    private ReadOnlyCommand() {
    }

    static boolean wouldWrite(Database database) {
        return CommandName.isReadOnly() && database.getConnection() instanceof JdbcConnection && !GateRunner.reviewOnly(database);
    }
}
