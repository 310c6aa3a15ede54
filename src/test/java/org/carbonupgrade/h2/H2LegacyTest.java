package org.carbonupgrade.h2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.carbonupgrade.ConnectionSettings;
import org.carbonupgrade.Engine;
import org.carbonupgrade.rehearsal.Baseline;
import org.carbonupgrade.rehearsal.Carbon400Seeder;
import org.carbonupgrade.rehearsal.Identity400Seeder;
import org.carbonupgrade.schema.ReferenceCheck;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.carbonupgrade.verify.VerificationReport;
import org.carbonupgrade.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Carbon's own H2 file, end to end: a Carbon 4.0.0 database made by H2 1.2.140 (the 4.0.0 baseline in 1.2 spelling,
 * seeded by Carbon400Seeder through the 1.2.140 driver) is upgraded by opening its URL as the Maven plugin does, and
 * must come out as an H2 1.2 file that H2 1.2.140 opens with IFEXISTS=TRUE, equal to WSO2's 4.2.0 h2 script loaded
 * in 1.2.140, holding exactly the rows the same database gets on the H2 2.x path.
 */
class H2LegacyTest {
    private static final String USER = "wso2carbon";
    private static final String PASSWORD = "wso2carbon";
    private static final int TENANTS = 4;
    private static final int USERS = 25;
    /** Liquibase's and the audit trail's tables: their rows carry this run's times and ids. */
    /** Where the upgrade keeps the 4.0.x UM_CLAIM_BEHAVIOR rows (changelogs/carbon/um-claim.xml): H2 4.2.0 has no such table. */
    private static final String CLAIM_ARCHIVE = "CARBON_UPGRADE_CLAIM_BEHAVIOR";
    private static final Set<String> RUN_TABLES = Set.of("DATABASECHANGELOG", "DATABASECHANGELOGLOCK", "CARBON_UPGRADE_RUN",
            "CARBON_UPGRADE_ROW_COUNT");

    @Test
    void carbonsH2FileIsUpgradedInItsOwnFormatWithEveryRow() throws Exception {
        H2File file = legacyCarbon40("legacy_h2_upgrade");
        Map<String, List<String>> before = dumpLegacy(file); // (H2 1.2 writes to a file it opens: read the bytes after)
        byte[] original = Files.readAllBytes(file.legacyFile());

        LegacyUpgrade.update(url(file), USER, PASSWORD);

        assertFalse(Files.exists(file.currentFile()), "no H2 2.x file is left beside Carbon's");
        assertFalse(Files.exists(file.sibling(LegacyH2Session.WORK_SUFFIX)), "the work folder is removed");
        assertArrayEquals(original, Files.readAllBytes(file.sibling(LegacyH2Session.BEFORE_SUFFIX)),
                "the original is kept, byte for byte, as " + LegacyH2Session.BEFORE_SUFFIX);
        try (Connection c = LegacyH2.connect(H2File.legacyUrl(file.base()) + ";IFEXISTS=TRUE", USER, PASSWORD)) {
            assertEquals(1, c.getMetaData().getDatabaseMajorVersion());
            ReferenceCheck.Outcome outcome = ReferenceCheck.run(c, Set.of("carbon"));
            outcome.all().forEach(d -> System.out.println("[h2-1.2.140] " + d + (outcome.allowList().allows(d) ? " (allowed)" : "")));
            assertEquals(List.of(), outcome.unexplained(), "differences from WSO2's 4.2.0 h2 script loaded in H2 1.2.140");

            Map<String, List<String>> after = withoutRunTables(Rows.dump(c, null));
            for (String table : before.keySet()) {
                String now = table.equals("UM_CLAIM_BEHAVIOR") ? CLAIM_ARCHIVE : table; // archived, not lost
                assertEquals(before.get(table).size(), after.get(now).size(), "rows of " + table);
            }
            assertEquals(upgradedOnH2x(), after,
                    "the H2 1.2 result holds exactly what the same database gets upgraded on H2 2.x");

            // Carbon 4.2.0 adds rows without ids (a new tenant's domains): the identity counters came along.
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO UM_DOMAIN (UM_DOMAIN_NAME, UM_TENANT_ID) VALUES ('NEW-STORE', 1)");
            }
            assertEquals(1, Rows.count(c, "SELECT COUNT(*) FROM UM_DOMAIN WHERE UM_DOMAIN_NAME = 'NEW-STORE'"
                    + " AND UM_DOMAIN_ID > (SELECT MAX(UM_DOMAIN_ID) FROM UM_DOMAIN WHERE UM_DOMAIN_NAME <> 'NEW-STORE')"));
        }
    }

    /** Identity Server 4.0.0 on Carbon's H2: every group equals the 1.2.140 reference, and each h2-1.2.140 entry is needed. */
    @Test
    void identityServerFileIsUpgradedInItsOwnFormat() throws Exception {
        TestDatabase place = TestDatabase.fresh(Engine.H2, "legacy_h2_is");
        H2File file = H2File.of(place.url);
        Files.createDirectories(file.base().getParent());
        try (Connection c = LegacyH2.connect(H2File.legacyUrl(file.base()), USER, PASSWORD)) {
            LegacyBaseline.create(c, true);
            new Carbon400Seeder(c, TENANTS, USERS).seed();
            new Identity400Seeder(c, TENANTS, USERS).seed();
        }
        LegacyUpgrade.update(url(file), USER, PASSWORD, true);
        try (Connection c = LegacyH2.connect(H2File.legacyUrl(file.base()) + ";IFEXISTS=TRUE", USER, PASSWORD)) {
            ReferenceCheck.Outcome outcome = ReferenceCheck.run(c, Set.of("carbon", "identity", "idp"));
            outcome.all().forEach(d -> System.out.println("[h2-1.2.140/is] " + d + (outcome.allowList().allows(d) ? " (allowed)" : "")));
            assertEquals(List.of(), outcome.unexplained(), "differences from WSO2's 4.2.0 h2 scripts loaded in H2 1.2.140");
            assertEquals(List.of(), outcome.allowList().unused(outcome.all()), "h2-1.2.140 allow-list entries that match nothing");
            assertEquals(1, Rows.count(c, "SELECT COUNT(*) FROM IDP_BASE_TABLE"));
        }
    }

    /** The verifier on its own (exec:java@verify) reads Carbon's H2 1.2 file through H2 1.2.140 and still catches damage. */
    @Test
    void theVerifierReadsTheResultThroughH2_1_2_140() throws Exception {
        H2File file = legacyCarbon40("legacy_h2_verify");
        LegacyUpgrade.update(url(file), USER, PASSWORD);
        ConnectionSettings settings = new ConnectionSettings(url(file), USER, PASSWORD);
        try (Connection c = settings.connect()) {
            assertEquals(1, c.getMetaData().getDatabaseMajorVersion());
            VerificationReport report = Verifier.verify(c, false);
            assertTrue(report.passed(), report.problems());
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE UM_ROLE DROP COLUMN UM_SHARED_ROLE");
            }
            VerificationReport broken = Verifier.verify(c, false);
            assertFalse(broken.passed());
            assertTrue(broken.problems().contains("UM_ROLE/column/UM_SHARED_ROLE: missing"), broken.problems());
        }
        assertFalse(Files.exists(file.currentFile()), "reading never leaves an H2 2.x file beside Carbon's");
    }

    @Test
    void aSecondRunLeavesTheUpgradedFileExactlyAsItIs() throws Exception {
        H2File file = legacyCarbon40("legacy_h2_rerun");
        LegacyUpgrade.update(url(file), USER, PASSWORD);
        byte[] upgraded = Files.readAllBytes(file.legacyFile());
        byte[] kept = Files.readAllBytes(file.sibling(LegacyH2Session.BEFORE_SUFFIX));

        LegacyUpgrade.update(url(file), USER, PASSWORD);

        assertArrayEquals(upgraded, Files.readAllBytes(file.legacyFile()));
        assertArrayEquals(kept, Files.readAllBytes(file.sibling(LegacyH2Session.BEFORE_SUFFIX)));
        // The original's LOB folder stays beside its kept copy (the result holds every LOB in place).
        assertEquals(List.of(file.legacyFile().getFileName() + "", file.sibling(LegacyH2Session.BEFORE_SUFFIX).getFileName() + "",
                file.sibling(".lobs.db").getFileName() + ""), files(file));
    }

    /**
     * Killed while converting up, while the changesets run, after the H2 1.2 copy is written and between keeping the
     * original and the rename: the original is exactly as it was, and the next run ends at the uninterrupted result.
     */
    @ParameterizedTest
    @ValueSource(strings = {"up", "changesets", "down", "swap"})
    void aKilledRunLeavesTheOriginalAndTheNextRunCompletes(String step) throws Exception {
        H2File file = legacyCarbon40("legacy_h2_killed_" + step);
        byte[] original = Files.readAllBytes(file.legacyFile());
        Path log = Path.of("target", "legacy-h2-killed-" + step + ".log");
        Process run = LegacyUpgrade.start(url(file), USER, PASSWORD, step.equals("changesets") ? null : step, log);
        if (step.equals("changesets")) {
            Path work = file.sibling(LegacyH2Session.WORK_SUFFIX).resolve("upgrade.mv.db");
            while (run.isAlive() && !Files.readString(log).contains("Running Changeset: carbon-upgrade/carbon/")) {
                Thread.sleep(20);
            }
            assertTrue(run.isAlive() && Files.exists(work), "the run reached the changesets:\n" + Files.readString(log));
            run.destroyForcibly();
        }
        assertTrue(run.waitFor(5, TimeUnit.MINUTES));
        assertTrue(run.exitValue() != 0, Files.readString(log));
        assertArrayEquals(original, Files.readAllBytes(file.legacyFile()), "a killed run must not touch the original");

        LegacyUpgrade.update(url(file), USER, PASSWORD);

        try (Connection c = LegacyH2.connect(H2File.legacyUrl(file.base()) + ";IFEXISTS=TRUE", USER, PASSWORD)) {
            assertEquals(List.of(), ReferenceCheck.run(c, Set.of("carbon")).unexplained());
            assertEquals(upgradedOnH2x(), withoutRunTables(Rows.dump(c, null)));
        }
        assertTrue(files(file).stream().anyMatch(name -> name.startsWith(file.name() + LegacyH2Session.BEFORE_SUFFIX)));
        for (String name : files(file)) {
            if (name.startsWith(file.name() + LegacyH2Session.BEFORE_SUFFIX)) {
                assertArrayEquals(original, Files.readAllBytes(file.base().resolveSibling(name)), name + " is the original");
            }
        }
    }

    @Test
    void aFileInUseIsRefusedAndLeftAlone() throws Exception {
        H2File file = legacyCarbon40("legacy_h2_in_use");
        byte[] original = Files.readAllBytes(file.legacyFile());
        Files.writeString(file.lockFile(), "#FileLock\nmethod=file\n");
        Exception e = assertThrows(Exception.class, () -> LegacyUpgrade.update(url(file), USER, PASSWORD));
        assertTrue(messages(e).contains("Stop it, then run again"), messages(e));
        assertArrayEquals(original, Files.readAllBytes(file.legacyFile()));
        assertFalse(Files.exists(file.sibling(LegacyH2Session.BEFORE_SUFFIX)));
        assertFalse(Files.exists(file.currentFile()));
    }

    /**
     * H2 2.x creates an empty .mv.db when it is pointed at a Carbon 4.x file's path (earlier versions of this tool did, so
     * does any H2 2.x console): that file is the one opened, and "the database is empty" alone sent the operator to look
     * for another database, while the fix is to delete the .mv.db beside Carbon's file (README, H2 section).
     */
    @Test
    void anEmptyH2xFileBesideCarbonsIsRefusedNamingTheFileToDelete() throws Exception {
        H2File file = legacyCarbon40("legacy_h2_empty_beside");
        byte[] original = Files.readAllBytes(file.legacyFile());
        try (Connection c = java.sql.DriverManager.getConnection(H2File.legacyUrl(file.base()), USER, PASSWORD)) {
            assertTrue(c.getMetaData().getDatabaseMajorVersion() >= 2, "made by H2 2.x");
        }
        Exception e = assertThrows(Exception.class, () -> LegacyUpgrade.update(url(file), USER, PASSWORD));
        assertTrue(messages(e).contains("The database is empty") && messages(e).contains("Delete " + file.currentFile() + " and run again"),
                messages(e));
        assertArrayEquals(original, Files.readAllBytes(file.legacyFile()));
        assertFalse(Files.exists(file.sibling(LegacyH2Session.BEFORE_SUFFIX)));
    }

    /** A second run on the same file while one is working on it is refused and leaves the first run's work folder alone. */
    @Test
    void aSecondRunAtTheSameTimeIsRefused() throws Exception {
        H2File file = legacyCarbon40("legacy_h2_concurrent");
        byte[] original = Files.readAllBytes(file.legacyFile());
        Path work = Files.createDirectories(file.sibling(LegacyH2Session.WORK_SUFFIX));
        Files.writeString(work.resolve("first-run.txt"), "the first run's work");
        try (java.nio.channels.FileChannel held = java.nio.channels.FileChannel.open(file.sibling(LegacyH2Session.WORK_SUFFIX + ".lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE); var lock = held.lock()) {
            Exception e = assertThrows(Exception.class, () -> LegacyUpgrade.update(url(file), USER, PASSWORD));
            assertTrue(messages(e).contains("Another carbon-upgrade run"), messages(e));
        }
        assertTrue(Files.exists(work.resolve("first-run.txt")), "the other run's work folder is left alone");
        assertArrayEquals(original, Files.readAllBytes(file.legacyFile()));
    }

    /** A conversion back that would lose something (here a second H2 user) fails the run and keeps the original. */
    @Test
    void aFailedConversionBackLeavesTheOriginalUntouched() throws Exception {
        H2File file = legacyCarbon40("legacy_h2_failed_back");
        try (Connection c = LegacyH2.connect(H2File.legacyUrl(file.base()), USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE USER REPORTING PASSWORD 'reporting'");
        }
        byte[] original = Files.readAllBytes(file.legacyFile());
        Exception e = assertThrows(Exception.class, () -> LegacyUpgrade.update(url(file), USER, PASSWORD));
        assertTrue(messages(e).contains("REPORTING (database user)"), messages(e));
        assertTrue(messages(e).contains("the original file is untouched"), messages(e));
        assertArrayEquals(original, Files.readAllBytes(file.legacyFile()));
        assertFalse(Files.exists(file.sibling(LegacyH2Session.BEFORE_SUFFIX)));
    }

    /** An H2 2.x file (someone converted by hand, as this README once said) keeps the plain path: no conversion. */
    @Test
    void anH2xFileIsUpgradedAsItIs() throws Exception {
        TestDatabase db = TestDatabase.fresh(Engine.H2, "legacy_h2_already_2x");
        try (Connection c = db.connect()) {
            Baseline.create(c, false);
            new Carbon400Seeder(c, TENANTS, USERS).seed();
        }
        LegacyUpgrade.update(db.url, USER, PASSWORD);
        H2File file = H2File.of(db.url);
        assertEquals(List.of(file.currentFile().getFileName().toString()), files(file).stream().filter(n -> n.endsWith(".db")).toList());
        try (Connection c = db.connect()) {
            assertEquals(List.of(), ReferenceCheck.run(c, Set.of("carbon")).unexplained());
        }
    }

    /** Carbon 4.0.0's database as Carbon 4.0.0 writes it: H2 1.2.140, the 4.0.0 baseline, realistic data. */
    static H2File legacyCarbon40(String name) throws Exception {
        TestDatabase place = TestDatabase.fresh(Engine.H2, name);
        H2File file = H2File.of(place.url);
        Files.createDirectories(file.base().getParent());
        try (Connection c = LegacyH2.connect(H2File.legacyUrl(file.base()), USER, PASSWORD)) {
            LegacyBaseline.create(c, false);
            new Carbon400Seeder(c, TENANTS, USERS).seed();
            addLargeRegistryContent(c);
        }
        assertTrue(Files.isDirectory(file.sibling(".lobs.db")), "H2 1.2 keeps the large content in a LOB folder beside the file");
        return file;
    }

    /**
     * Registry content above H2 1.2's in-place limit (1,024 bytes), which 1.2.140 keeps as a file in PATH.lobs.db/,
     * as a real Carbon 4.0.0 file holds for WSDLs, policies and other resources (REG_CONTENT.REG_CONTENT_DATA).
     */
    private static void addLargeRegistryContent(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO REG_CONTENT (REG_CONTENT_ID, REG_CONTENT_DATA, REG_TENANT_ID) VALUES (?, ?, ?)")) {
            byte[] wsdl = ("<definitions>" + "<message name=\"m\"/>".repeat(400) + "</definitions>").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ps.setInt(1, 900);
            ps.setBytes(2, wsdl);
            ps.setInt(3, -1234);
            ps.executeUpdate();
        }
    }

    /** What upgradedOnH2x returns: the same seed upgraded the same way, so the five tests comparing with it share one run. */
    private static Map<String, List<String>> upgradedOnH2x;

    /**
     * The rows the same Carbon 4.0.0 database gets when it is upgraded on the plain H2 2.x path (the seed is
     * deterministic: these tests compare it with the H2 1.2 results row for row).
     */
    private static synchronized Map<String, List<String>> upgradedOnH2x() throws Exception {
        if (upgradedOnH2x == null) upgradedOnH2x = java.util.Collections.unmodifiableMap(upgradedOnH2x("legacy_h2_upgraded_2x"));
        return upgradedOnH2x;
    }

    private static Map<String, List<String>> upgradedOnH2x(String name) throws Exception {
        TestDatabase db = TestDatabase.fresh(Engine.H2, name);
        try (Connection c = db.connect()) {
            Baseline.create(c, false);
            new Carbon400Seeder(c, TENANTS, USERS).seed();
            addLargeRegistryContent(c);
        }
        Upgrade.of(db).update();
        try (Connection c = db.connect()) {
            return withoutRunTables(Rows.dump(c, null));
        }
    }

    private static Map<String, List<String>> dumpLegacy(H2File file) throws SQLException {
        try (Connection c = LegacyH2.connect(H2File.legacyUrl(file.base()) + ";IFEXISTS=TRUE", USER, PASSWORD)) {
            return Rows.dump(c, null);
        }
    }

    /**
     * Without what differs from run to run: Liquibase's and the tool's own run records (CARBON_UPGRADE_*), and the
     * time the claim-behaviour rows were archived; the archived rows themselves are operator data and compared.
     */
    private static Map<String, List<String>> withoutRunTables(Map<String, List<String>> dump) {
        Map<String, List<String>> out = new TreeMap<>(dump);
        out.keySet().removeAll(RUN_TABLES);
        out.keySet().removeIf(t -> t.startsWith("CARBON_UPGRADE_") && !t.equals(CLAIM_ARCHIVE));
        out.computeIfPresent(CLAIM_ARCHIVE, (t, rows) -> rows.stream().map(r -> r.replaceAll("ARCHIVED_AT=[^;]*;", "ARCHIVED_AT=<time>;")).sorted().toList());
        return out;
    }

    private static String url(H2File file) {
        return "jdbc:h2:" + file.base() + ";LOCK_TIMEOUT=10000";
    }

    private static List<String> files(H2File file) throws Exception {
        try (Stream<Path> list = Files.list(file.base().getParent())) {
            return list.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".trace.db")).sorted().toList();
        }
    }

    private static String messages(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) b.append(t.getMessage()).append('\n');
        return b.toString();
    }
}
