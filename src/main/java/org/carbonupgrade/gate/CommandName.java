package org.carbonupgrade.gate;

import java.util.Locale;

import liquibase.Scope;
import liquibase.logging.mdc.MdcManager;
import liquibase.logging.mdc.MdcObject;
import liquibase.logging.mdc.NoOpMdcManager;

/**
 * Remembers which Liquibase command is running (update, updateSql, rollback, releaseLocks...), so the gate can
 * check prerequisites for updates only and refuse rollbacks up front. Liquibase announces the command only as
 * a logging MDC value; this manager keeps that one value and otherwise behaves like Liquibase's default
 * (no MDC). Registered through META-INF/services.
 */
public class CommandName extends NoOpMdcManager {
    private static final String KEY = "liquibaseCommandName";
    /**
     * Per manager instance, not static: Liquibase keeps the manager it found first for the whole Maven run, while
     * the plugin loads this project's classes afresh for every goal, so a static here would be a different variable
     * for the next goal (mvn liquibase:updateSQL liquibase:status judged status as an unnamed update).
     */
    private final ThreadLocal<String> running = new InheritableThreadLocal<>();

    @Override
    public int getPriority() {
        return super.getPriority() + 10;
    }

    @Override
    public MdcObject put(String key, String value) {
        return put(key, value, true);
    }

    @Override
    public MdcObject put(String key, String value, boolean removeWhenScopeExits) {
        if (KEY.equals(key)) running.set(value);
        return super.put(key, value, removeWhenScopeExits);
    }

    /**
     * Liquibase removes the command's MDC value when the command's scope exits. Forgetting it then matters when
     * Maven runs several goals in one JVM (mvn liquibase:updateSQL liquibase:status): the next goal must not be
     * judged as the previous command.
     */
    @Override
    public void remove(String key) {
        if (KEY.equals(key)) running.remove();
        super.remove(key);
    }

    @Override
    public void clear() {
        running.remove();
        super.clear();
    }

    /** Read reflectively by current() when this instance came from another goal's class loader. */
    public String runningCommand() {
        return running.get();
    }

    /** The running command in lower case, or null when Liquibase was driven without a command. */
    static String current() {
        String c = spelled();
        return c == null ? null : c.toLowerCase(Locale.ROOT);
    }

    /** The running command as Liquibase spells it (changelogSync, dropAll...), for messages. */
    static String spelled() {
        MdcManager manager = Scope.getCurrentScope().getMdcManager();
        if (manager instanceof CommandName same) return same.runningCommand();
        try {
            Object value = manager.getClass().getMethod("runningCommand").invoke(manager);
            return value == null ? null : value.toString();
        } catch (ReflectiveOperationException e) {
            return null; // another MDC manager won: Liquibase was driven without ours (counts as an unnamed run)
        }
    }

    static boolean isRollback() {
        String c = current();
        return c != null && c.contains("rollback");
    }

    /**
     * Commands that only read or print: they must leave the database byte-identical, so Liquibase's own tables
     * are not created for them and a held lock is neither taken nor released.
     */
    private static final java.util.Set<String> READ_ONLY = java.util.Set.of("status", "history", "validate", "updatesql",
            "updatecountsql", "updatetotagsql", "unexpectedchangesets", "listlocks", "calculatechecksum", "dbdoc", "snapshot",
            "diff", "diffchangelog", "generatechangelog", "tagexists");

    static boolean isReadOnly() {
        String c = current();
        return c != null && READ_ONLY.contains(c);
    }

    /**
     * Commands that mark changesets as run without running them, or drop the schema: changelogSync(ToTag),
     * markNextChangesetRan, their SQL variants (the printed script does the same when run), clearChecksums, dropAll.
     */
    static boolean isDestructive() {
        String c = current();
        return c != null && (c.startsWith("changelogsync") || c.startsWith("marknextchangesetran")
                || c.equals("clearchecksums") || c.equals("dropall"));
    }

    /** The update family (update, updateSql, updateCount, updateToTag...); an unnamed run counts as one. */
    static boolean isUpdate() {
        String c = current();
        return c == null || c.startsWith("update");
    }
}
