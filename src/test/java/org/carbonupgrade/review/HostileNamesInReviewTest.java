package org.carbonupgrade.review;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import liquibase.Contexts;
import liquibase.LabelExpression;

import org.carbonupgrade.Engine;
import org.carbonupgrade.gate.GateSettings;
import org.carbonupgrade.schema.SchemaReader;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client connected under a name that holds a line break and SQL (a role or user name; PostgreSQL turns line
 * breaks in application_name into '?', a role name keeps them) is listed by the gate in the review header
 * and in CARBON_UPGRADE_RUN. The review file must keep that text inside its comment: no line of it may become
 * executable, and running the file with the engine's own client (psql, mysql, H2 RUNSCRIPT) must not drop
 * the victim table or run a client command.
 */
class HostileNamesInReviewTest {
    private static final String VICTIM = "REG_CLUSTER_LOCK";

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void aHostileSessionNameStaysInsideTheComment(Engine engine, @TempDir Path dir) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "hostile_review_" + engine.profile());
        // Short: PostgreSQL cuts role names at 63 bytes.
        Path marker = Path.of("/tmp", TestDatabase.PREFIX + engine.profile().substring(0, 2));
        Files.deleteIfExists(marker);
        // A client command (psql and the mysql client run "\!" lines in a shell) and a statement, each on its own line.
        String hostile = engine == Engine.H2 ? "X\nDROP TABLE " + VICTIM + ";--"
                : "x\n\\! touch " + marker + "\nDROP TABLE " + VICTIM + ";--";
        createLogin(db, hostile);
        String review;
        try (Connection attacker = connectAs(db, hostile)) {
            attacker.createStatement().execute("SELECT 1");
            StringWriter sql = new StringWriter();
            // The backup reference comes from the command line and lands in CARBON_UPGRADE_RUN's INSERT of the review.
            Upgrade.of(db).set(GateSettings.BACKUP, "/backups/x.dump\nDROP TABLE " + VICTIM + ";--")
                    .run(l -> l.update(new Contexts("carbon"), new LabelExpression(), sql));
            review = sql.toString();
            assertTrue(review.contains("Other sessions are connected"), "the gate lists the session:\n" + review);

            // The real update, overridden by the DBA, records the same finding in CARBON_UPGRADE_RUN.
            Upgrade.of(db).set(GateSettings.ALLOW_SESSIONS, "true").update();
        } finally {
            dropLogin(db, hostile);
        }
        for (String line : review.split("\\R")) {
            String code = line.strip();
            if (code.startsWith("--")) continue;
            // Inside a one-line string literal the text is data; at the start of a line it would be a statement.
            assertFalse(code.toUpperCase(Locale.ROOT).startsWith("DROP TABLE " + VICTIM), "executable line from a session name: " + line);
            assertFalse(code.startsWith("\\"), "client command from a session name: " + line);
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT GATE_FINDINGS FROM CARBON_UPGRADE_RUN")) {
            assertTrue(rs.next());
            String findings = rs.getString(1);
            assertTrue(findings.contains("DROP TABLE " + VICTIM) && findings.lines().count() == 1, findings);
        }

        // Run the reviewed file as a DBA would, with the engine's own client (errors from re-running the
        // already applied upgrade are expected and ignored; an injected line would run all the same).
        Path file = dir.resolve("migrate.sql");
        Files.writeString(file, review, StandardCharsets.UTF_8);
        runWithClient(db, file);
        try (Connection c = db.connect()) {
            assertTrue(new SchemaReader(c).tableNames().containsKey(VICTIM), VICTIM + " was dropped by the review file");
        }
        assertFalse(Files.exists(marker), "the review file ran a client command");
    }

    private static void createLogin(TestDatabase db, String name) throws Exception {
        dropLogin(db, name);
        switch (db.engine) {
            case POSTGRESQL -> admin(db, "CREATE ROLE \"" + name + "\" LOGIN SUPERUSER");
            case MYSQL -> {
                String user = "'" + name.replace("\\", "\\\\") + "'";
                admin(db, "CREATE USER " + user + "@'%'", "GRANT ALL ON " + db.name + ".* TO " + user + "@'%'");
            }
            case H2 -> admin(db, "CREATE USER \"" + name + "\" PASSWORD 'p' ADMIN");
            default -> throw new IllegalArgumentException(db.engine.toString());
        }
    }

    private static void dropLogin(TestDatabase db, String name) throws Exception {
        switch (db.engine) {
            case POSTGRESQL -> admin(db, "DROP ROLE IF EXISTS \"" + name + "\"");
            case MYSQL -> admin(db, "DROP USER IF EXISTS '" + name.replace("\\", "\\\\") + "'@'%'");
            case H2 -> admin(db, "DROP USER IF EXISTS \"" + name + "\"");
            default -> throw new IllegalArgumentException(db.engine.toString());
        }
    }

    private static Connection connectAs(TestDatabase db, String name) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", name);
        p.setProperty("password", db.engine == Engine.H2 ? "p" : "");
        return DriverManager.getConnection(db.url, p);
    }

    private static void admin(TestDatabase db, String... sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String q : sql) s.execute(q);
        }
    }

    private static void runWithClient(TestDatabase db, Path file) throws Exception {
        List<String> command = switch (db.engine) {
            case POSTGRESQL -> List.of("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db.name, "-q", "-f", file.toString());
            case MYSQL -> List.of("mysql", "-h", "127.0.0.1", "-uroot", "--force", db.name);
            default -> null;
        };
        if (command == null) {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("RUNSCRIPT FROM '" + file.toAbsolutePath().toString().replace("'", "''") + "'");
            } catch (java.sql.SQLException expected) {
                // the upgrade's own statements fail on the upgraded database; the header ran first
            }
            return;
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(new File("/dev/null"));
        if (db.engine == Engine.MYSQL) pb.redirectInput(file.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "client did not finish");
    }
}
