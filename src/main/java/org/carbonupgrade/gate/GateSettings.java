package org.carbonupgrade.gate;

import liquibase.Scope;

/**
 * What the operator chose for this run. Maven passes it as system properties (-D and the profile's
 * systemProperties); an embedding program (the tests) may set the same keys on the Liquibase scope instead.
 */
public record GateSettings(String expectedEngine, String product, String backup, boolean allowSessions) {
    public static final String ENGINE = "carbon.upgrade.engine";
    public static final String PRODUCT = "carbon.upgrade.product";
    public static final String BACKUP = "carbon.upgrade.backup";
    public static final String ALLOW_SESSIONS = "carbon.upgrade.allowConnectedSessions";

    public static GateSettings current() {
        return new GateSettings(value(ENGINE), value(PRODUCT), value(BACKUP), Boolean.parseBoolean(value(ALLOW_SESSIONS)));
    }

    /** A -D setting of this run (or the same key on the Liquibase scope), trimmed; null when unset or blank. */
    public static String value(String key) {
        Object scoped = Scope.getCurrentScope().get(key, Object.class);
        String v = scoped != null ? scoped.toString() : System.getProperty(key);
        // An unset Maven property arrives as its own ${...} text.
        return v == null || v.isBlank() || v.startsWith("${") ? null : v.trim();
    }

    public boolean identityServer() {
        return "is".equalsIgnoreCase(product);
    }
}
