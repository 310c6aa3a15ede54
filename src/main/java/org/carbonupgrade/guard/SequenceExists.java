package org.carbonupgrade.guard;

import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomPreconditionErrorException;
import liquibase.exception.CustomPreconditionFailedException;
import liquibase.exception.PreconditionErrorException;
import liquibase.exception.PreconditionFailedException;
import liquibase.precondition.CustomPrecondition;
import liquibase.precondition.core.SequenceExistsPrecondition;

/**
 * Holds when the sequence exists. Liquibase's own sequenceExists casts the connection to a JDBC one on PostgreSQL
 * (SequenceExistsPrecondition.checkPostgresSequence, 4.33.0), so offline review of a PostgreSQL upgrade died on the
 * first sequence; offline there is no catalog, and the sequence is assumed absent so the DBA sees its creation.
 */
public class SequenceExists implements CustomPrecondition {
    private String sequence;

    public void setSequence(String sequence) {
        this.sequence = sequence;
    }

    @Override
    public void check(Database database) throws CustomPreconditionFailedException, CustomPreconditionErrorException {
        if (!(database.getConnection() instanceof JdbcConnection)) {
            throw new CustomPreconditionFailedException("no sequence " + sequence + " (offline: assumed absent)");
        }
        SequenceExistsPrecondition exists = new SequenceExistsPrecondition();
        exists.setSequenceName(sequence);
        try {
            exists.check(database, null, null, null);
        } catch (PreconditionFailedException e) {
            throw new CustomPreconditionFailedException("no sequence " + sequence, e);
        } catch (PreconditionErrorException e) {
            throw new CustomPreconditionErrorException("Cannot check whether sequence " + sequence + " exists: " + e.getMessage(), e);
        }
    }
}
