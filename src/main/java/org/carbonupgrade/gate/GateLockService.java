package org.carbonupgrade.gate;

import liquibase.exception.DatabaseException;
import liquibase.exception.LockException;
import liquibase.lockservice.StandardLockService;

/**
 * Runs the gate before Liquibase creates its lock table. Liquibase finds this class through
 * META-INF/services and prefers it for its higher priority.
 */
public class GateLockService extends StandardLockService {
    @Override
    public int getPriority() {
        return super.getPriority() + 10;
    }

    @Override
    public void init() throws DatabaseException {
        try {
            GateRunner.ensure(database);
        } catch (LockException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
        super.init();
    }

    @Override
    public void waitForLock() throws LockException {
        GateRunner.ensure(database);
        super.waitForLock();
    }

    @Override
    public boolean acquireLock() throws LockException {
        GateRunner.ensure(database);
        return super.acquireLock();
    }
}
