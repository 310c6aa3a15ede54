package org.carbonupgrade.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.schema.ReferenceCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The documented Maven command lines, run for real in a copy of the project: the liquibase-maven-plugin
 * must find the compiled gate and guards, and must halt (changing nothing) when they were not compiled.
 */
class MavenPluginTest {
    private static final Path BASEDIR = Path.of(System.getProperty("carbon.upgrade.basedir", "."));

    @Test
    void withoutCompiledClassesTheUpgradeHaltsAndChangesNothing() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.H2, "maven_no_classes");
        Map<String, List<String>> before = dump(db);
        Path project = copyProject(false);
        Result run = mvn(project, "liquibase:update", "-Dliquibase.url=" + absoluteH2(db), "-Dcarbon.upgrade.backup=/backups/x.dump");
        assertNotEquals(0, run.exit, run.output);
        assertTrue(run.output.contains("ClassNotFoundException: org.carbonupgrade."), "the error names the missing class:\n" + run.output);
        Map<String, List<String>> after = dump(db);
        assertEquals(List.of(), after.getOrDefault("DATABASECHANGELOG", List.of()), "no changeset may be marked ran");
        after.remove("DATABASECHANGELOG");
        after.remove("DATABASECHANGELOGLOCK");
        assertEquals(before, after, "a halted run must not change Carbon tables");
    }

    @Test
    void theDocumentedCommandUpgradesAndTheGateRefusesWithoutBackup() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.H2, "maven_compiled");
        Path project = compiledProject();
        Result refused = mvn(project, "compile", "liquibase:update", "-Ph2", "-Dliquibase.url=" + absoluteH2(db));
        assertNotEquals(0, refused.exit, refused.output);
        assertTrue(refused.output.contains("No backup is confirmed"), refused.output);
        // Reading what an update would do needs no backup: status is not gated, and writes nothing (not even
        // Liquibase's own tables). Both goals in one Maven run, as a DBA types them: the plugin loads the project's
        // classes afresh per goal, and status must not be judged as the goal before it.
        Map<String, List<String>> before = dump(db);
        Result status = mvn(project, "liquibase:updateSQL", "liquibase:status", "-Ph2", "-Dliquibase.url=" + absoluteH2(db));
        assertEquals(0, status.exit, status.output);
        assertTrue(status.output.matches("(?s).*\\d+ changesets? ha(ve|s) not been applied.*"), status.output);
        assertEquals(before, dump(db), "status must change nothing");
        // Marking every changeset as run without running it is refused before anything is touched.
        Result sync = mvn(project, "liquibase:changelogSync", "-Ph2", "-Dliquibase.url=" + absoluteH2(db));
        assertNotEquals(0, sync.exit, sync.output);
        assertTrue(sync.output.contains("carbon-upgrade refuses changelogSync"), sync.output);
        assertEquals(before, dump(db), "a refused changelogSync must change nothing");
        Result run = mvn(project, "compile", "liquibase:update", "-Ph2", "-Dliquibase.url=" + absoluteH2(db),
                "-Dcarbon.upgrade.backup=/backups/x.dump");
        assertEquals(0, run.exit, run.output);
        try (Connection c = db.connect()) {
            assertTrue(Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOG") > 30);
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE UM_DOMAIN_ID IS NULL"));
        }
    }

    /** The rehearsal and upgrade commands with combined profiles, as an operator types them, on the local servers. */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mysql"})
    void identityServerProfilesRehearseAndUpgradeTheLocalServer(String profile) throws Exception {
        TestDatabase db = TestDatabase.fresh(Engine.ofProfile(profile), "maven_is_" + profile);
        Path project = compiledProject();
        Result run = mvn(project, "compile", "exec:java", "liquibase:update", "-P" + profile + ",is",
                "-Dliquibase.url=" + db.url, "-Dcarbon.upgrade.backup=/backups/is.dump");
        assertEquals(0, run.exit, run.output);
        assertTrue(run.output.contains("Created a Carbon 4.0.0 Identity Server rehearsal database"), run.output);
        try (Connection c = db.connect()) {
            ReferenceCheck.Outcome outcome = ReferenceCheck.run(c, Set.of("carbon", "identity", "idp"));
            System.out.printf("[maven] -P%s,is: %d tables compared, %d differences, %d unexplained%n", profile,
                    outcome.tablesCompared(), outcome.all().size(), outcome.unexplained().size());
            assertEquals(List.of(), outcome.unexplained());
            assertEquals(1, Rows.count(c, "SELECT COUNT(*) FROM IDP_BASE_TABLE"));
        }
    }

    /**
     * The README's first command, verbatim: the rehearsal database is made in Carbon 4.0.0's own format (H2 1.2) and
     * ends in Carbon 4.2.0's (H2 1.2, opened by 1.2.140 with IFEXISTS=TRUE); the verifier command reads it as it is.
     */
    @Test
    void theReadmeRehearsalEndsInTheFormatCarbon420Opens() throws Exception {
        Path project = copyProject(true);
        Result run = mvn(project, "compile", "exec:java", "liquibase:update", "-Dcarbon.upgrade.backup=none-rehearsal-copy");
        assertEquals(0, run.exit, run.output);
        assertTrue(run.output.contains("in Carbon's own H2 format (H2 1.2.140)"), run.output);
        Path rehearsal = project.resolve("target/rehearsal");
        assertTrue(Files.exists(rehearsal.resolve("WSO2CARBON_DB.h2.db.before-4.2.0")), run.output);
        assertFalse(Files.exists(rehearsal.resolve("WSO2CARBON_DB.mv.db")), "no H2 2.x file is left beside Carbon's");
        try (Connection c = org.carbonupgrade.h2.LegacyH2.connect("jdbc:h2:" + rehearsal.toAbsolutePath().resolve("WSO2CARBON_DB")
                + ";IFEXISTS=TRUE", "wso2carbon", "wso2carbon")) {
            assertEquals(List.of(), ReferenceCheck.run(c, Set.of("carbon")).unexplained());
            assertTrue(Rows.count(c, "SELECT COUNT(*) FROM UM_USER") > 0);
        }
        Result verify = mvn(project, "exec:java@verify");
        assertEquals(0, verify.exit, verify.output);
        assertTrue(verify.output.contains("PASSED") || verify.output.contains("passed"), verify.output);
    }

    /** The documented verifier command exits non-zero on a broken database and leaves both reports behind. */
    @Test
    void theVerifierCommandFailsOnABrokenDatabase() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.H2, "maven_verify_broken");
        org.carbonupgrade.support.Upgrade.of(db).update();
        try (Connection c = db.connect(); java.sql.Statement s = c.createStatement()) {
            s.execute("ALTER TABLE UM_ROLE DROP COLUMN UM_SHARED_ROLE");
        }
        Path project = compiledProject();
        deleteTree(project.resolve("target/carbon-upgrade")); // the reports read below must be this run's
        Result run = mvn(project, "compile", "exec:java@verify", "-Dliquibase.url=" + absoluteH2(db));
        assertNotEquals(0, run.exit, run.output);
        assertTrue(run.output.contains("UM_ROLE/column/UM_SHARED_ROLE: missing"), run.output);
        String md = Files.readString(project.resolve("target/carbon-upgrade/verification-report.md"));
        assertTrue(md.startsWith("# carbon-upgrade verification: FAILED"), md);
        assertTrue(Files.readString(project.resolve("target/carbon-upgrade/verification-report.json")).contains("\"passed\": false"));
    }

    /** Bad input gets an error that names the problem, changes nothing, and never echoes the password. */
    @Test
    void badInputFailsClearlyChangesNothingAndHidesThePassword() throws Exception {
        String secret = "Wr0ng-S3cret-Pass";
        TestDatabase db = Fixtures.carbon40(Engine.MYSQL, "maven_bad_input");
        Map<String, String> before = org.carbonupgrade.support.Snapshot.of(db);
        Path project = compiledProject();
        String[][] cases = {
            {"Access denied for user 'root'", "compile", "liquibase:update", "-Pmysql", "-Dliquibase.url=" + db.url,
                "-Dliquibase.username=root", "-Dliquibase.password=" + secret, "-Dcarbon.upgrade.backup=/b"},
            {"Connection refused", "compile", "liquibase:update", "-Ppostgresql", "-Dliquibase.url=jdbc:postgresql://127.0.0.1:1/wso2carbon_db",
                "-Dliquibase.password=" + secret, "-Dcarbon.upgrade.backup=/b"},
            {"requested profile", "compile", "liquibase:update", "-Pmysq", "-Dliquibase.url=" + db.url, "-Dliquibase.password=" + secret,
                "-Dcarbon.upgrade.backup=/b"},
            {"names a mysql database, but the profile is postgresql (driver org.postgresql.Driver). Run with -Pmysql", "compile",
                "liquibase:update", "-Ppostgresql", "-Dliquibase.url=" + db.url, "-Dliquibase.password=" + secret, "-Dcarbon.upgrade.backup=/b"},
            {"driver", "compile", "liquibase:update", "-Dliquibase.url=jdbc:db2://127.0.0.1:50000/WSO2CARBON",
                "-Dliquibase.password=" + secret, "-Dcarbon.upgrade.backup=/b"},
            {"Cannot connect to jdbc:mysql://127.0.0.1:3306/", "compile", "exec:java@verify", "-Pmysql", "-Dliquibase.url=" + db.url,
                "-Dliquibase.username=root", "-Dliquibase.password=" + secret},
        };
        for (String[] c : cases) {
            Result run = mvn(project, java.util.Arrays.copyOfRange(c, 1, c.length));
            assertNotEquals(0, run.exit, run.output);
            assertTrue(run.output.contains(c[0]), "expected '" + c[0] + "' in:\n" + run.output);
            assertFalse(run.output.contains(secret), "the password was printed:\n" + run.output);
        }
        assertEquals(before, org.carbonupgrade.support.Snapshot.of(db), "bad input must change nothing");
    }

    /**
     * A password reaches no output, whichever way it is given: in the URL (user-info, host-list form, password=,
     * sslpassword= or a trust-store password parameter) the plugin refuses before connecting, so Maven's
     * "Executing on Database" line never shows it; given with -Dliquibase.password (or in the verifier's URL)
     * it appears nowhere in the console, the reports or CARBON_UPGRADE_RUN.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mysql"})
    void aPasswordReachesNoOutputInAnyForm(String profile) throws Exception {
        Engine engine = Engine.ofProfile(profile);
        String secret = "Xq7;Zk9&Wm4'Vb";
        String user = TestDatabase.PREFIX + "pw_user";
        TestDatabase db = Fixtures.carbon40(engine, "maven_password_" + profile);
        try (Connection c = db.connect(); java.sql.Statement s = c.createStatement()) {
            String literal = "'" + secret.replace("'", "''") + "'";
            if (engine == Engine.POSTGRESQL) {
                s.execute("DROP ROLE IF EXISTS " + user);
                s.execute("CREATE ROLE " + user + " LOGIN SUPERUSER PASSWORD " + literal);
            } else {
                s.execute("DROP USER IF EXISTS '" + user + "'@'%'");
                s.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY " + literal);
                s.execute("GRANT ALL ON " + db.name + ".* TO '" + user + "'@'%'");
                s.execute("GRANT PROCESS ON *.* TO '" + user + "'@'%'");
            }
        }
        String host = engine == Engine.POSTGRESQL ? "127.0.0.1:5432" : "127.0.0.1:3306";
        String base = "jdbc:" + profile + "://" + host + "/" + db.name;
        List<String> urls = new ArrayList<>(List.of(
                "jdbc:" + profile + "://" + user + ":" + secret + "@" + host + "/" + db.name,
                base + "?user=" + user + "&password=" + secret,
                base + "?password=" + secret + "&user=" + user,
                base + (engine == Engine.POSTGRESQL ? "?sslpassword=" : "?trustCertificateKeyStorePassword=") + secret));
        if (engine == Engine.MYSQL) {
            urls.add("jdbc:mysql://address=(host=127.0.0.1)(port=3306)(user=" + user + ")(password=" + secret + ")/" + db.name);
        }
        Map<String, String> before = org.carbonupgrade.support.Snapshot.of(db);
        Path project = compiledProject();
        // The reports read below must be this test's own, not those another test left in the shared copy.
        deleteTree(project.resolve("target/carbon-upgrade"));
        StringBuilder everything = new StringBuilder();
        boolean compiled = false;
        for (String url : urls) {
            List<String> args = new ArrayList<>(compiled ? List.of() : List.of("compile"));
            compiled = true;
            args.addAll(List.of("liquibase:update", "-P" + profile, "-Dliquibase.url=" + url, "-Dcarbon.upgrade.backup=/b"));
            Result refused = mvn(project, args.toArray(new String[0]));
            assertNotEquals(0, refused.exit, refused.output);
            assertTrue(refused.output.contains("The database URL carries a password") && refused.output.contains("-Dliquibase.password="),
                    refused.output);
            everything.append(refused.output);
        }
        assertEquals(before, org.carbonupgrade.support.Snapshot.of(db), "a refused URL changes nothing");

        Result run = mvn(project, "liquibase:update", "-P" + profile, "-Dliquibase.url=" + base, "-Dliquibase.username=" + user,
                "-Dliquibase.password=" + secret, "-Dcarbon.upgrade.backup=/b");
        assertEquals(0, run.exit, run.output);
        everything.append(run.output);
        // The verifier takes the URL as given and masks it wherever it reports it.
        Result verify = mvn(project, "exec:java@verify", "-P" + profile, "-Dliquibase.url=" + base + "?user=" + user + "&password="
                + java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8),
                "-Dliquibase.username=" + user, "-Dliquibase.password=" + secret);
        assertEquals(0, verify.exit, verify.output);
        everything.append(verify.output);
        try (Stream<Path> reports = Files.list(project.resolve("target/carbon-upgrade"))) {
            for (Path report : (Iterable<Path>) reports::iterator) everything.append(Files.readString(report));
        }
        try (Connection c = db.connect(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT * FROM CARBON_UPGRADE_RUN")) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) everything.append(rs.getString(i)).append('\n');
            }
        }
        for (String part : new String[] {secret, "Xq7", "Zk9", "Wm4"}) {
            assertFalse(everything.toString().contains(part), "the password (" + part + ") was printed:\n" + everything);
        }
        assertTrue(everything.toString().contains("password=***"), "the verifier's report shows the URL masked");
    }

    private static Map<String, List<String>> dump(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            return new java.util.TreeMap<>(Rows.dump(c, null));
        }
    }

    private static String absoluteH2(TestDatabase db) {
        return db.url.replace("jdbc:h2:./", "jdbc:h2:" + BASEDIR.toAbsolutePath() + "/");
    }

    /**
     * One copy with sources for the tests whose commands start with {@code compile} (or run after one that did): the
     * first such command compiles it, the others find it compiled, as an operator's checkout is after the first
     * command. Compiling a fresh checkout in the same run as the upgrade is what the README's rehearsal test proves,
     * in a copy of its own. The tests run one after another in a class, so they never share the copy at one time.
     */
    private static Path compiledProject;

    private static synchronized Path compiledProject() throws IOException {
        if (compiledProject == null) compiledProject = copyProject(true);
        return compiledProject;
    }

    private static Path copyProject(boolean withSources) throws IOException {
        Path target = Files.createTempDirectory("carbon-upgrade-project");
        // .mvn/jvm.config is part of the checkout an operator runs these commands in (Maven's JVM options).
        List<String> parts = new ArrayList<>(List.of("pom.xml", "changelogs", "profiles", ".mvn"));
        if (withSources) parts.add("src/main");
        for (String part : parts) {
            Path from = BASEDIR.resolve(part);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Path to = target.resolve(BASEDIR.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(to); else Files.copy(p, to);
                }
            }
        }
        return target;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) Files.delete(p);
        }
    }

    record Result(int exit, String output) {
    }

    private static Result mvn(Path project, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("mvn", "-B"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("mvn did not finish:\n" + out);
        }
        return new Result(p.exitValue(), out);
    }
}
