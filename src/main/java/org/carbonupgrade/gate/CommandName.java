package org.carbonupgrade.gate;

import java.util.Locale;

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
    private static final ThreadLocal<String> CURRENT = new InheritableThreadLocal<>();

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
        if (KEY.equals(key)) CURRENT.set(value);
        return super.put(key, value, removeWhenScopeExits);
    }

    /** The running command in lower case, or null when Liquibase was driven without a command. */
    static String current() {
        String c = CURRENT.get();
        return c == null ? null : c.toLowerCase(Locale.ROOT);
    }

    /** The running command as Liquibase spells it (changelogSync, dropAll...), for messages. */
    static String spelled() {
        return CURRENT.get();
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
