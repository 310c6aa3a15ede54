package org.carbonupgrade.audit;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The project version, as Maven filtered it into carbon-upgrade.properties. */
public final class ToolVersion {
    private ToolVersion() {
    }

    public static String get() {
        try (InputStream in = ToolVersion.class.getResourceAsStream("/carbon-upgrade.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
