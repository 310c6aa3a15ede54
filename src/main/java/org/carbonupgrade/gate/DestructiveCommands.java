package org.carbonupgrade.gate;

import java.util.List;
import java.util.Map;

import liquibase.Scope;
import liquibase.database.Database;
import liquibase.exception.DatabaseException;
import liquibase.exception.LiquibaseException;
import liquibase.exception.LockException;
import liquibase.executor.ExecutorService;
import liquibase.snapshot.SnapshotGeneratorFactory;
import liquibase.statement.core.RawParameterizedSqlStatement;

/**
 * Refuses the Liquibase commands that would leave a Carbon database in a state no update can repair, before
 * they touch anything (as rollback is refused): marking changesets as run without running them, and dropping
 * the schema. Clearing checksums is refused only while the upgrade is unfinished.
 */
final class DestructiveCommands {
    static final String COMPLETED_TAG = "carbon-4.2.0";

    private DestructiveCommands() {
    }

    static void refuseIfUnsafe(Database database) throws LockException {
        if (!CommandName.isDestructive()) return;
        String command = CommandName.spelled();
        String c = CommandName.current();
        String why;
        if (c.startsWith("changelogsync")) {
            why = "it records changesets as run without running them: the schema would stay Carbon 4.0.0 while every later"
                    + " update skips the upgrade, until DATABASECHANGELOG is cleaned by hand. To upgrade, run liquibase:update"
                    + " (review it first with liquibase:updateSQL). A database already changed by hand needs no sync: every"
                    + " changeset checks the catalog first and records what is already in place as MARK_RAN.";
        } else if (c.startsWith("marknextchangesetran")) {
            why = "it records the next changeset as run without running it, so the 4.2.0 schema would lack that change for"
                    + " good. If a changeset fails, fix the cause its message names and run liquibase:update again: it resumes"
                    + " where it stopped.";
        } else if (c.equals("dropall")) {
            why = "it drops every table of the Carbon database (users, roles, permissions, registry). The upgrade never"
                    + " needs it; to start over, restore the backup taken before the upgrade.";
        } else if (!upgradeCompleted(database)) {
            why = "the upgrade is not finished (DATABASECHANGELOG has no " + COMPLETED_TAG + " tag). Clearing checksums now"
                    + " would hide a changed changelog while the upgrade resumes. Finish it with liquibase:update using the"
                    + " carbon-upgrade version that started it (CARBON_UPGRADE_RUN.TOOL_VERSION); a checksum error means"
                    + " another version is running.";
        } else {
            return; // after a completed upgrade the next update only recomputes them
        }
        throw new LockException("\ncarbon-upgrade refuses " + command + "; nothing was changed: " + why);
    }

    /** True when the run that completed the upgrade tagged DATABASECHANGELOG. */
    private static boolean upgradeCompleted(Database database) throws LockException {
        try {
            if (!SnapshotGeneratorFactory.getInstance().hasDatabaseChangeLogTable(database)) return false;
            String table = database.escapeTableName(database.getLiquibaseCatalogName(), database.getLiquibaseSchemaName(),
                    database.getDatabaseChangeLogTableName());
            List<Map<String, ?>> rows = Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database)
                    .queryForList(new RawParameterizedSqlStatement("SELECT COUNT(*) AS N FROM " + table + " WHERE TAG = ?", COMPLETED_TAG));
            Object n = rows.isEmpty() ? null : rows.get(0).values().iterator().next();
            return n instanceof Number number && number.longValue() > 0;
        } catch (DatabaseException e) {
            throw new LockException("carbon-upgrade could not read DATABASECHANGELOG: " + e.getMessage(), e);
        } catch (LiquibaseException e) {
            throw new LockException(e);
        }
    }
}
