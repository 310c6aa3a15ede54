package org.carbonupgrade.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The offline bundle of the README's "Upgrade from a host without internet": built once from a copy of this project
 * as on a connected host, unzipped into a temporary directory and run there as the README says, with
 * {@code ./mvnw -o}, a home directory of its own (so neither the wrapper nor Maven can fall back on the developer's
 * warm ~/.m2) and the bundle's repository as the only local repository. An artifact the bundle lacks fails the
 * command that needs it. Where the machine allows it, the H2 commands run without any network at all
 * ({@code unshare -n}); PostgreSQL needs the loopback network, so those runs rely on Maven's offline mode.
 *
 * <p>Building the bundle downloads from Maven Central; it is skipped, saying so, when Central is unreachable.
 * {@code -Dcarbon.upgrade.offlineBundle=target/carbon-upgrade-<version>-offline.zip} tests an already built bundle.
 */
class OfflineBundleTest {
    private static final Path BASEDIR = Path.of(System.getProperty("carbon.upgrade.basedir", ".")).toAbsolutePath();
    private static final String CENTRAL_PROBE =
            "https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/maven-metadata.xml";

    private static Path workDir;
    private static Path bundle;
    private static Path repository;
    private static Path home;
    private static boolean noNetworkAvailable;
    private static final List<String> outputs = new ArrayList<>();

    @BeforeAll
    static void buildAndUnzipTheBundle() throws Exception {
        String prebuilt = System.getProperty("carbon.upgrade.offlineBundle", "");
        if (prebuilt.isEmpty()) {
            assumeTrue(centralReachable(), "Maven Central (" + CENTRAL_PROBE + ") is unreachable from this host, so the "
                    + "offline bundle cannot be built here; pass -Dcarbon.upgrade.offlineBundle=<zip> to test a built one");
        }
        workDir = Files.createTempDirectory("carbon-upgrade-offline");
        Path zip = prebuilt.isEmpty() ? build() : BASEDIR.resolve(prebuilt);
        assertTrue(Files.isRegularFile(zip), "no bundle at " + zip);

        Path unzipped = workDir.resolve("unzipped");
        Files.createDirectories(unzipped);
        // unzip, as the README tells the operator to, so the wrapper script keeps its executable bit.
        Run unzip = run(new ProcessBuilder("unzip", "-q", zip.toString()).directory(unzipped.toFile()), 5);
        assertEquals(0, unzip.exit, unzip.output);
        try (Stream<Path> top = Files.list(unzipped)) {
            bundle = top.findFirst().orElseThrow();
        }
        repository = bundle.resolve("repository");
        home = workDir.resolve("home");
        Files.createDirectories(home);
        noNetworkAvailable = run(new ProcessBuilder("unshare", "-n", "true"), 1).exit == 0;
        System.out.printf("[offline] bundle %s: %.1f MiB zipped, %.1f MiB unzipped (repository %.1f MiB); H2 runs %s%n",
                zip.getFileName(), mib(Files.size(zip)), mib(treeSize(bundle)), mib(treeSize(repository)),
                noNetworkAvailable ? "without any network (unshare -n)" : "with Maven offline only (unshare -n not permitted here)");
    }

    @AfterAll
    static void noArtifactCameFromElsewhere() throws IOException {
        if (workDir == null) return;
        try {
            if (home != null) {
                assertFalse(Files.exists(home.resolve(".m2/repository")),
                        "Maven used a repository under the home directory instead of the bundle's");
            }
            for (String out : outputs) {
                assertFalse(out.contains("Downloading from") || out.contains("Downloaded from"), "a run downloaded:\n" + out);
            }
        } finally {
            deleteTree(workDir);
        }
    }

    /** The README's first command, then the review, verifier and housekeeping commands on that rehearsal database. */
    @Test
    void h2RehearsalUpdateReviewVerifyAndHousekeeping() throws Exception {
        Run update = mvnw(true, "compile", "exec:java", "liquibase:update", "-Dcarbon.upgrade.backup=none-rehearsal-copy");
        assertEquals(0, update.exit, update.output);
        assertTrue(update.output.contains("Created a Carbon 4.0.0 rehearsal database"), update.output);
        // The rehearsal is Carbon's own H2 1.2 file, and so is the upgraded result: read it as Carbon 4.2.0 does.
        String url = "jdbc:h2:" + bundle.resolve("target/rehearsal/WSO2CARBON_DB").toAbsolutePath() + ";IFEXISTS=TRUE";
        try (Connection c = org.carbonupgrade.h2.LegacyH2.connect(url, "wso2carbon", "wso2carbon")) {
            assertEquals(1, Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOG WHERE TAG = 'carbon-4.2.0'"));
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE UM_DOMAIN_ID IS NULL"));
        }

        Run review = mvnw(true, "compile", "liquibase:updateSQL");
        assertEquals(0, review.exit, review.output);
        assertTrue(Files.readString(bundle.resolve("target/liquibase/migrate.sql")).contains("carbon-upgrade"));

        assertVerifierPasses(mvnw(true, "compile", "exec:java@verify"));

        // Without -Dmaven.repo.local: the bundle's .mvn/maven.config must point Maven at the bundle's repository.
        Run status = mvnw(true, false, "liquibase:status", "-Dliquibase.verbose=true");
        assertEquals(0, status.exit, status.output);
        // Only the run-always changesets (review header, audit record, verification) are left to list.
        assertTrue(status.output.matches("(?s).*\\d+ changesets? ha(ve|s) not been applied.*")
                && !status.output.contains("um-domain-create-table"), status.output);
        Run history = mvnw(true, "liquibase:history");
        assertEquals(0, history.exit, history.output);
        assertTrue(history.output.contains("verify-upgrade"), history.output);
        Run releaseLocks = mvnw(true, "liquibase:releaseLocks");
        assertEquals(0, releaseLocks.exit, releaseLocks.output);
    }

    /** A Carbon 4.0.0 database on the local PostgreSQL: review, upgrade and verify it as the README says. */
    @Test
    void postgresqlReviewUpdateAndVerify() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.POSTGRESQL, "offline_bundle");
        String[] connection = {"-Ppostgresql", "-Dliquibase.url=" + db.url, "-Dliquibase.username=" + db.user};

        Run review = mvnw(false, concat(connection, "compile", "liquibase:updateSQL"));
        assertEquals(0, review.exit, review.output);
        assertTrue(Files.readString(bundle.resolve("target/liquibase/migrate.sql")).contains("UM_DOMAIN"));

        Run update = mvnw(false, concat(connection, "compile", "liquibase:update", "-Dcarbon.upgrade.backup=/backups/offline-test.dump"));
        assertEquals(0, update.exit, update.output);
        try (Connection c = db.connect()) {
            assertEquals(1, Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOG WHERE TAG = 'carbon-4.2.0'"));
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE UM_DOMAIN_ID IS NULL"));
        }

        assertVerifierPasses(mvnw(false, concat(connection, "compile", "exec:java@verify")));
    }

    /** The engines without a server here, with the Identity Server profile: the offline review needs each one's driver. */
    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mssql", "oracle"})
    void otherEnginesReviewOfflineWithTheIdentityServerProfile(String engine) throws Exception {
        Run review = mvnw(true, "compile", "liquibase:updateSQL", "-P" + engine + ",is",
                "-Dliquibase.url=offline:" + engine + "?changeLogFile=target/offline-" + engine + ".csv",
                "-Dliquibase.migrationSqlOutputFile=target/liquibase/offline-" + engine + ".sql");
        assertEquals(0, review.exit, review.output);
        assertTrue(Files.readString(bundle.resolve("target/liquibase/offline-" + engine + ".sql")).contains("IDP"),
                "the Identity Server changes are missing from the " + engine + " review SQL");
    }

    private static void assertVerifierPasses(Run verify) throws IOException {
        assertEquals(0, verify.exit, verify.output);
        String json = Files.readString(bundle.resolve("target/carbon-upgrade/verification-report.json"));
        assertTrue(json.contains("\"passed\": true"), json);
    }

    /** Builds the bundle in a copy of the project, as an operator would on a connected host. */
    private static Path build() throws Exception {
        Path project = workDir.resolve("project");
        try (Stream<Path> files = Files.walk(BASEDIR)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path rel = BASEDIR.relativize(p);
                String top = rel.getNameCount() == 0 ? "" : rel.getName(0).toString();
                if (top.equals("target") || top.equals(".git")) continue;
                Path to = project.resolve(rel.toString());
                if (Files.isDirectory(p)) Files.createDirectories(to); else Files.copy(p, to);
            }
        }
        Run build = run(new ProcessBuilder("mvn", "-B", "package", "-Pbundle", "-Dmaven.test.skip=true").directory(project.toFile()), 30);
        Path log = BASEDIR.resolve("target/offline-bundle-build.log");
        Files.writeString(log, build.output);
        assertEquals(0, build.exit, "building the bundle failed (log: " + log + "):\n" + tail(build.output));
        try (Stream<Path> built = Files.list(project.resolve("target"))) {
            return built.filter(p -> p.getFileName().toString().matches("carbon-upgrade-.+-offline\\.zip")).findFirst()
                    .orElseThrow(() -> new AssertionError("the build made no target/carbon-upgrade-<version>-offline.zip"));
        }
    }

    private static Run mvnw(boolean withoutNetwork, String... args) throws Exception {
        return mvnw(withoutNetwork, true, args);
    }

    /** {@code ./mvnw -o -B ...} in the unzipped bundle, with an empty home directory and (usually) the repository named. */
    private static Run mvnw(boolean withoutNetwork, boolean nameRepository, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (withoutNetwork && noNetworkAvailable) command.addAll(List.of("unshare", "-n"));
        command.addAll(List.of("./mvnw", "-o", "-B"));
        if (nameRepository) command.add("-Dmaven.repo.local=" + repository);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(bundle.toFile());
        Map<String, String> env = pb.environment();
        for (String inherited : List.of("MAVEN_ARGS", "MAVEN_CONFIG", "MVNW_REPOURL", "MAVEN_SKIP_RC")) env.remove(inherited);
        env.put("HOME", home.toString());
        env.put("MAVEN_USER_HOME", home.resolve(".m2").toString());
        // Java takes user.home from the password database, not $HOME: without this Maven would still find ~/.m2.
        env.put("MAVEN_OPTS", "-Duser.home=" + home);
        Run result = run(pb, 10);
        outputs.add(result.output);
        return result;
    }

    record Run(int exit, String output) {
    }

    private static Run run(ProcessBuilder pb, int minutes) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", pb.command()) + " did not finish in " + minutes + " minutes");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static boolean centralReachable() {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpRequest head = HttpRequest.newBuilder(URI.create(CENTRAL_PROBE))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(15)).build();
            return client.send(head, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String[] concat(String[] first, String... rest) {
        List<String> all = new ArrayList<>(List.of(rest));
        all.addAll(List.of(first));
        return all.toArray(String[]::new);
    }

    private static String tail(String output) {
        return output.length() <= 6000 ? output : output.substring(output.length() - 6000);
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static long treeSize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
