package org.carbonupgrade.h2;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/**
 * H2 1.2.140, the H2 that Carbon 4.0.0 and 4.2.0 ship (orbit h2-database-engine 1.2.140.wso2v3), the only H2 that
 * reads and writes their page-store files (.h2.db). It has the same packages as the H2 2.x this tool runs on,
 * so it lives in a class loader of its own that sees only the JDK; its connections are plain java.sql objects.
 * Maven copies the jar to target/h2-legacy/ when it is not there (pom.xml, profile h2-legacy-jar); after a
 * {@code mvn clean} in the same command the local Maven repository's copy serves.
 */
public final class LegacyH2 {
    /** Overrides where the 1.2.140 jar is (tests, or a run outside the project directory). */
    public static final String JAR_PROPERTY = "carbon.upgrade.h2legacy.jar";
    public static final String VERSION = "1.2.140";

    private static Driver driver;

    private LegacyH2() {
    }

    /** Opens a 1.2.140 connection; the URL is H2 1.2 syntax (jdbc:h2:/path/NAME[;options]). */
    public static Connection connect(String url, String user, String password) throws SQLException {
        Properties p = new Properties();
        if (user != null) p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        Connection c = driver().connect(url, p);
        if (c == null) throw new SQLException("H2 " + VERSION + " does not accept the URL " + url);
        return c;
    }

    static synchronized Driver driver() throws SQLException {
        if (driver == null) {
            Path jar = jar();
            try {
                // Parent: the platform loader (java.sql), never the application loader that holds H2 2.x.
                ClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
                driver = (Driver) Class.forName("org.h2.Driver", true, loader).getConstructor().newInstance();
            } catch (ReflectiveOperationException | java.net.MalformedURLException e) {
                // The jar is copied only when missing (pom.xml, profile h2-legacy-jar): a damaged one stays until removed.
                throw new SQLException("Cannot load H2 " + VERSION + " from " + jar + ": " + e + ". If that file is damaged (a build"
                        + " stopped while copying it), delete it and run the command again with mvn compile, which copies it afresh.", e);
            }
            if (driver.getMajorVersion() != 1) {
                throw new SQLException(jar + " is H2 " + driver.getMajorVersion() + "." + driver.getMinorVersion()
                        + ", not H2 " + VERSION + ". Delete it and run the command again with mvn compile, which copies the right jar there.");
            }
        }
        return driver;
    }

    static Path jar() throws SQLException {
        String configured = System.getProperty(JAR_PROPERTY);
        if (configured != null && !configured.isBlank() && !configured.startsWith("${")) return Path.of(configured);
        Path basedir = Path.of(System.getProperty("carbon.upgrade.basedir", "."));
        Path copied = basedir.resolve("target/h2-legacy/h2-legacy.jar");
        if (Files.isRegularFile(copied)) return copied;
        Path repo = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
        Path cached = repo.resolve("com/h2database/h2/" + VERSION + "/h2-" + VERSION + ".jar");
        if (Files.isRegularFile(cached)) return cached;
        throw new SQLException("H2 " + VERSION + " (needed to read and write Carbon's own H2 files) was not found at "
                + copied + " nor " + cached + ". Run the command with mvn compile (it copies the jar), or pass -D"
                + JAR_PROPERTY + "=/path/to/h2-" + VERSION + ".jar.");
    }
}
