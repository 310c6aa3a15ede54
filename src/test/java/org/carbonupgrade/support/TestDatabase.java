package org.carbonupgrade.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

import org.carbonupgrade.Engine;

/**
 * A fresh, empty database on a real engine: embedded H2 files, and the PostgreSQL and MariaDB services
 * that .ci/run starts. A service that is down fails the test with the command that starts it.
 */
public final class TestDatabase {
    public static final String PG_ADMIN_URL = System.getProperty("test.postgresql.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
    public static final String MYSQL_ADMIN_URL = System.getProperty("test.mysql.url", "jdbc:mysql://127.0.0.1:3306/");
    /** Prefix of every test database's name; a second checkout running tests at the same time sets its own (-Dtest.db.prefix=cu2_). */
    public static final String PREFIX = System.getProperty("test.db.prefix", "cu_").toLowerCase().replaceAll("[^a-z0-9_]", "_");

    public final Engine engine;
    public final String name;
    public final String url;
    public final String user;
    public final String password;

    private TestDatabase(Engine engine, String name, String url, String user, String password) {
        this.engine = engine;
        this.name = name;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** A database another process created, for a child JVM that runs the upgrade on it. */
    public static TestDatabase existing(Engine engine, String name, String url, String user, String password) {
        return new TestDatabase(engine, name, url, user, password);
    }

    /** An empty database of this engine under a new name, for a second copy of the same data. */
    public TestDatabase sibling(String suffix) throws Exception {
        return fresh(engine, name.substring(PREFIX.length()) + suffix);
    }

    public static TestDatabase fresh(Engine engine, String name) throws Exception {
        String db = prefixed(name);
        switch (engine) {
            case H2 -> {
                Path dir = Path.of("target", "test-db", db);
                if (Files.exists(dir)) {
                    try (Stream<Path> files = Files.walk(dir)) {
                        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
                return new TestDatabase(engine, db, "jdbc:h2:./" + dir.resolve("WSO2CARBON_DB") + ";LOCK_TIMEOUT=10000", "wso2carbon", "wso2carbon");
            }
            case POSTGRESQL -> {
                admin(PG_ADMIN_URL, "postgres", "", dropSlots(db), "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)", "CREATE DATABASE " + db);
                return postgres(db);
            }
            case MYSQL -> {
                admin(MYSQL_ADMIN_URL, "root", "", "DROP DATABASE IF EXISTS " + db,
                        "CREATE DATABASE " + db + " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
                return new TestDatabase(engine, db, "jdbc:mysql://127.0.0.1:3306/" + db + "?rewriteBatchedStatements=true", "root", "");
            }
            default -> throw new IllegalArgumentException(engine + " has no local server here");
        }
    }

    /**
     * A PostgreSQL copy of this database under a new name, made by the server ({@code CREATE DATABASE ... TEMPLATE}):
     * the same data without seeding it a second time. Nobody may be connected to this database meanwhile.
     */
    public TestDatabase copy(String name) throws Exception {
        if (engine != Engine.POSTGRESQL) throw new IllegalStateException(engine + " has no server-side database copy");
        String db = prefixed(name);
        admin(PG_ADMIN_URL, "postgres", "", dropSlots(db), "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)", "CREATE DATABASE " + db + " TEMPLATE " + this.name);
        return postgres(db);
    }

    /**
     * The replication slots a catch-up test's pass left in a test database (SlotScan, -Dcarbon.upgrade.catchup.pgSlot): DROP
     * DATABASE refuses a database with a logical slot, even WITH (FORCE). The name is this class's own [a-z0-9_] text.
     */
    private static String dropSlots(String db) {
        return "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '" + db + "' AND NOT active";
    }

    private static String prefixed(String name) {
        return PREFIX + name.toLowerCase().replaceAll("[^a-z0-9_]", "_");
    }

    private static TestDatabase postgres(String db) {
        return new TestDatabase(Engine.POSTGRESQL, db, "jdbc:postgresql://127.0.0.1:5432/" + db + "?reWriteBatchedInserts=true", "postgres", "");
    }

    private static void admin(String url, String user, String password, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            for (String q : sql) s.execute(q);
        } catch (SQLException e) {
            throw new SQLException("Cannot reach " + url + " (" + e.getMessage() + "). Start the service: "
                    + (url.contains("postgresql") ? "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
                    : "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd") + " (or run bash .ci/run)", e);
        }
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }
}
