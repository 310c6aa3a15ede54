package org.carbonupgrade.guard;

import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomPreconditionErrorException;
import liquibase.exception.CustomPreconditionFailedException;

/**
 * Holds when the foreign key exists (ForeignKeyExists) and {@code addedBy}, the step that adds it in place and checks the
 * rows after its ALTER, is not recorded as EXECUTED: the key was there when that step's turn came (marked ran), so the
 * check after the ALTER may never have run (a run stopped after the ALTER committed). In a live run that step has just been
 * recorded; in review it is not recorded yet, and the key's presence says the same. Offline (a 4.0.0 schema): no key.
 */
public class ForeignKeyLeftUnchecked extends ForeignKeyExists {
    private String addedBy;

    public void setAddedBy(String addedBy) {
        this.addedBy = addedBy.trim();
    }

    @Override
    public void check(Database database) throws CustomPreconditionFailedException, CustomPreconditionErrorException {
        super.check(database);
        if (database.getConnection() instanceof JdbcConnection jdbc && ran(database, jdbc, addedBy, "EXECUTED")) {
            throw new CustomPreconditionFailedException(addedBy + " added the foreign key and checked the rows after it");
        }
    }
}
