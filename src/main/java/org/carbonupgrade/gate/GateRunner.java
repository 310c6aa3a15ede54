package org.carbonupgrade.gate;

import java.sql.SQLException;
import java.util.Map;
import java.util.WeakHashMap;

import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LockException;
import liquibase.executor.ExecutorService;
import liquibase.executor.LoggingExecutor;

/** Runs the gate once per Liquibase database object, before the first thing Liquibase would write. */
public final class GateRunner {
    private static final Map<Database, UpgradeGate.Result> PASSED = new WeakHashMap<>();

    private GateRunner() {
    }

    static synchronized void ensure(Database database) throws LockException {
        if (CommandName.isRollback()) {
            throw new LockException("\n" + org.carbonupgrade.audit.RefuseRollback.MESSAGE);
        }
        DestructiveCommands.refuseIfUnsafe(database);
        if (!CommandName.isUpdate()) {
            return; // history, status, releaseLocks and the like only read or repair Liquibase's own tables
        }
        if (PASSED.containsKey(database) || !(database.getConnection() instanceof JdbcConnection jdbc)) {
            return; // offline SQL generation has no database to check
        }
        try {
            UpgradeGate.Result result = UpgradeGate.check(jdbc.getUnderlyingConnection(), GateSettings.current(), reviewOnly(database));
            if (!result.passed()) {
                throw new LockException("\n" + result.report());
            }
            if (!result.warnings().isEmpty()) {
                Scope.getCurrentScope().getLog(GateRunner.class).warning(result.report());
            }
            PASSED.put(database, result);
            // From here on the run writes; its commits need not wait for the disk until the verification (CommitFlush).
            if (!reviewOnly(database)) {
                org.carbonupgrade.CommitFlush.deferFlushes(jdbc.getUnderlyingConnection());
                // The back-fills' chunk statements would be JIT-compiled once per chunk (JitOff).
                org.carbonupgrade.JitOff.forTheUpdate(jdbc.getUnderlyingConnection());
            }
        } catch (SQLException e) {
            throw new LockException("carbon-upgrade could not check the database before starting: "
                    + org.carbonupgrade.audit.SafeText.line(Redact.text(e.getMessage()))
                    + ". Check the URL, user and password, and that the server is reachable.", e);
        }
    }

    /** What the gate found on this database in this run, or null (offline, or not an update). */
    public static synchronized UpgradeGate.Result resultFor(Database database) {
        return PASSED.get(database);
    }

    /**
     * Each tenant's everyone role name (RealmNames.everyoneRoleByTenant): from the gate's access snapshot of this run
     * when it took one (read from the same UM_TENANT rows moments before, which the upgrade never changes), else read
     * now. Reading every tenant's realm configuration again costs a pass over all of them.
     */
    public static Map<Integer, String> everyoneRoleByTenant(Database database, java.sql.Connection c,
                                                           org.carbonupgrade.access.RealmNames names) throws SQLException {
        UpgradeGate.Result gate = resultFor(database);
        if (gate != null && gate.accessSnapshot() != null && names.equals(org.carbonupgrade.access.RealmNames.current())) {
            return gate.accessSnapshot().everyone;
        }
        return names.everyoneRoleByTenant(c);
    }

    /** updateSQL swaps in a logging executor: the run only prints SQL, so backup and quiet database are not needed. */
    public static boolean reviewOnly(Database database) {
        return Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database) instanceof LoggingExecutor;
    }
}
