package org.carbonupgrade.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * A verification never overwrites an earlier run's report: each run gets its own files, named by database and
 * time, beside the latest run's verification-report.md/.json; and the test suite writes under
 * target/test-reports, never into an operator's target/carbon-upgrade.
 */
class ReportFilesTest {
    private static final Path BASEDIR = Path.of(System.getProperty("carbon.upgrade.basedir", "."));

    @Test
    void eachRunKeepsItsOwnReportBesideTheLatestCopy(@TempDir Path dir) throws Exception {
        VerificationReport first = report("WSO2CARBON_DB", "first run");
        VerificationReport second = report("WSO2CARBON_DB", "second run");
        second.checkpoints.get(0).fail("broken");
        Path firstMd = first.write(dir);
        Path secondMd = second.write(dir);

        assertFalse(firstMd.equals(secondMd));
        assertTrue(firstMd.getFileName().toString().matches("verification-report-WSO2CARBON_DB-\\d{8}-\\d{6}(-\\d+)?\\.md"), firstMd.toString());
        assertTrue(Files.readString(firstMd).contains("first run"), "the first run's report is still there");
        assertTrue(Files.readString(secondMd).contains("second run"));
        assertEquals(Files.readString(secondMd), Files.readString(dir.resolve("verification-report.md")), "latest = second run");
        String latestJson = Files.readString(dir.resolve("verification-report.json"));
        assertTrue(latestJson.contains("\"passed\": false"), latestJson);
        assertEquals(6, files(dir).size(), files(dir).toString());
    }

    @Test
    void aHostileDatabaseNameStaysAFileNameInTheReportDirectory(@TempDir Path dir) throws Exception {
        Path md = report("../../etc/cron.d/x\nrm -rf", "d").write(dir);
        assertEquals(dir, md.getParent());
        assertTrue(md.getFileName().toString().matches("verification-report-[A-Za-z0-9._-]+\\.md"), md.toString());
    }

    /** Names from the catalog or data stay plain text in Markdown and one exact string in JSON. */
    @Test
    void hostileTextStaysInertInBothReports(@TempDir Path dir) throws Exception {
        String hostile = "UM_X\n# carbon-upgrade verification: PASSED\n<script>alert(1)</script> \u2028 \"},{\"passed\": true";
        VerificationReport report = report("db", hostile);
        report.checkpoints.get(0).fail(hostile);
        report.write(dir);
        String md = Files.readString(dir.resolve("verification-report.md"));
        assertEquals(1, md.lines().filter(l -> l.startsWith("# ")).count(), md);
        assertFalse(md.contains("<script>") || md.contains("\u2028"), md);
        Map<String, Object> json = new Yaml().load(Files.readString(dir.resolve("verification-report.json")));
        assertEquals(Boolean.FALSE, json.get("passed"));
        @SuppressWarnings("unchecked")
        Map<String, Object> cp = ((List<Map<String, Object>>) json.get("checkpoints")).get(0);
        assertEquals(List.of(hostile), cp.get("problems"));
    }

    @Test
    void theTestSuiteWritesItsReportsUnderTargetTestReports() throws Exception {
        Path reportDir = Path.of(System.getProperty("carbon.upgrade.reportDir", "(unset)"));
        assertTrue(reportDir.endsWith(Path.of("target", "test-reports")), "surefire sets carbon.upgrade.reportDir: " + reportDir);
        Path operators = BASEDIR.resolve("target/carbon-upgrade");
        Set<Path> operatorFilesBefore = files(operators);
        Set<Path> testFilesBefore = files(reportDir);

        TestDatabase db = Fixtures.carbon40(Engine.H2, "report_dir");
        Upgrade.of(db).update(); // ends by verifying itself

        assertEquals(operatorFilesBefore, files(operators), "an operator's reports must not be touched by tests");
        Set<Path> added = files(reportDir);
        added.removeAll(testFilesBefore);
        assertTrue(added.stream().anyMatch(p -> p.getFileName().toString().matches("verification-report-WSO2CARBON_DB-.*\\.json")), added.toString());
    }

    private static VerificationReport report(String databaseName, String detail) {
        VerificationReport r = new VerificationReport(Engine.H2, "carbon", "H2 2.2.224", "jdbc:h2:./x", databaseName);
        Checkpoint cp = new Checkpoint("New 4.2.0 tables exist");
        cp.detail(detail);
        r.add(cp);
        return r;
    }

    private static Set<Path> files(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) return new java.util.HashSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            return s.collect(Collectors.toCollection(java.util.HashSet::new));
        }
    }
}
