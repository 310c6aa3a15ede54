package org.carbonupgrade.gate;

import liquibase.Scope;
import liquibase.exception.DatabaseException;
import liquibase.executor.ExecutorService;
import liquibase.exception.LockException;
import liquibase.lockservice.DatabaseChangeLogLock;
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

    /** Set while clearing a stale lock: that repairs Liquibase's own table and needs no prerequisites. */
    private boolean releasing;

    @Override
    public void forceReleaseLock() throws LockException, DatabaseException {
        releasing = true;
        try {
            super.forceReleaseLock();
        } finally {
            releasing = false;
        }
    }

    @Override
    public void init() throws DatabaseException {
        if (ReadOnlyCommand.wouldWrite(database) && !isDatabaseChangeLogLockTableCreated(true)) {
            return; // a read-only command needs no lock table; creating one would change the database
        }
        if (releasing) {
            super.init();
            return;
        }
        try {
            // A held lock is reported before the gate reads any Carbon table: a killed run's statement can go on in
            // the server for a while holding table locks that those reads would wait behind.
            if (CommandName.isUpdate() && !CommandName.isReadOnly() && !hasChangeLogLock && isDatabaseChangeLogLockTableCreated(true)) {
                explainStaleLock();
            }
            GateRunner.ensure(database);
        } catch (LockException e) {
            throw new DatabaseException(e.getMessage(), e);
        }
        super.init();
    }

    @Override
    public void waitForLock() throws LockException {
        GateRunner.ensure(database);
        explainStaleLock();
        super.waitForLock();
    }

    /**
     * A lock still held means another upgrade is running or a killed one left it behind; waiting minutes for
     * it helps neither, so say which and how to clear it.
     */
    private void explainStaleLock() throws LockException {
        DatabaseChangeLogLock[] locks = listLocks();
        if (GateRunner.reviewOnly(database)) {
            if (locks.length > 0) noteHeldLockInReview(locks[0]);
            return;
        }
        if (locks.length > 0) {
            DatabaseChangeLogLock lock = locks[0];
            throw new LockException("\ncarbon-upgrade cannot start: the upgrade lock (DATABASECHANGELOGLOCK) is held by "
                    + lock.getLockedBy() + " since " + lock.getLockGranted() + ".\n"
                    + " - If an upgrade is running there, let it finish.\n"
                    + " - If a previous run was killed or crashed, the lock is stale: clear it with\n"
                    + "     mvn liquibase:releaseLocks -P<your profiles> -Dliquibase.url=... -Dliquibase.username=... -Dliquibase.password=...\n"
                    + "   then run the update again; it resumes where the killed run stopped.");
        }
    }

    /** updateSQL leaves a held lock alone, and says in the file that what it lists may change when that run ends. */
    private void noteHeldLockInReview(DatabaseChangeLogLock lock) throws LockException {
        String holder = String.valueOf(lock.getLockedBy()).replaceAll("[\\p{Cntrl}]", " ");
        String note = "WARNING: an upgrade holds DATABASECHANGELOGLOCK (" + holder + " since " + lock.getLockGranted()
                + "); this review lists what the database needed when it was generated. Review again after that run ends.";
        try {
            Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database).comment(note);
        } catch (DatabaseException e) {
            throw new LockException(e);
        }
        Scope.getCurrentScope().getLog(GateLockService.class).warning(note);
    }

    @Override
    public boolean acquireLock() throws LockException {
        GateRunner.ensure(database);
        return super.acquireLock();
    }

    /**
     * A read-only command never took the real lock (updateSQL only prints the lock statements), so it must not
     * release it either: Liquibase would otherwise reset the lock of an upgrade running elsewhere.
     */
    @Override
    public void releaseLock() throws LockException {
        if (ReadOnlyCommand.wouldWrite(database)) {
            hasChangeLogLock = false;
            return;
        }
        super.releaseLock();
    }
}
