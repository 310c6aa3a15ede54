package org.carbonupgrade.support;

import java.util.HashMap;
import java.util.Map;

/**
 * Runs a piece of a test with the -Dliquibase.url/username/password the Maven plugin would get for {@code db}, so the
 * run's connection settings reach the test database (a read beside on a second connection: ReadBeside), then puts
 * the properties back as they were.
 */
public final class RunSettings {
    public interface Body<T> {
        T run() throws Exception;
    }

    private RunSettings() {
    }

    public static <T> T pointingAt(TestDatabase db, Body<T> body) throws Exception {
        Map<String, String> before = new HashMap<>();
        for (String key : new String[] {"liquibase.url", "liquibase.username", "liquibase.password"}) before.put(key, System.getProperty(key));
        System.setProperty("liquibase.url", db.url);
        System.setProperty("liquibase.username", db.user);
        System.setProperty("liquibase.password", db.password == null ? "" : db.password);
        try {
            return body.run();
        } finally {
            before.forEach((k, v) -> {
                if (v == null) System.clearProperty(k);
                else System.setProperty(k, v);
            });
        }
    }
}
