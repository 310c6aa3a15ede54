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

    static boolean isRollback() {
        String c = current();
        return c != null && c.contains("rollback");
    }

    /** The update family (update, updateSql, updateCount, updateToTag...); an unnamed run counts as one. */
    static boolean isUpdate() {
        String c = current();
        return c == null || c.startsWith("update");
    }
}
