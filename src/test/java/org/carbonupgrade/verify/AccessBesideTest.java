package org.carbonupgrade.verify;

import static org.carbonupgrade.verify.AccessEquivalenceTest.LDAP;
import static org.carbonupgrade.verify.AccessEquivalenceTest.RW;
import static org.carbonupgrade.verify.AccessEquivalenceTest.tenant;
import static org.carbonupgrade.verify.AccessEquivalenceTest.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.List;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.RunSettings;
import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The verifier runs the access checkpoint on a second connection beside its other checkpoints when the run's
 * connection settings reach the database it verifies (ReadBeside), inline otherwise: both give the very same report,
 * passing on a correct upgrade and failing with the same differences when a grant or a membership was changed.
 */
class AccessBesideTest {
    private static final String BESIDE = "taken on a second connection beside the other checkpoints";
    private static final String THIRD = "beside them on a connection of their own";

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MYSQL"})
    void besideTheOtherCheckpointsTheReportIsTheSame(Engine engine) throws Exception {
        TestDatabase db = AccessEquivalenceTest.upgradedAndCorrect(engine, "access_beside");
        try (Connection c = db.connect()) {
            VerificationReport inline = Verifier.verify(c, false);
            VerificationReport beside = RunSettings.pointingAt(db, () -> Verifier.verify(c, false));
            assertTrue(inline.passed(), inline.markdown());
            assertFalse(access(inline).details.stream().anyMatch(d -> d.startsWith(BESIDE)), access(inline).details.toString());
            assertTrue(access(beside).details.stream().anyMatch(d -> d.startsWith(BESIDE)), access(beside).details.toString());
            // Its reads that need nothing from the snapshot ran on a third connection beside the snapshot's load and the grants.
            assertTrue(access(beside).details.stream().anyMatch(d -> d.startsWith("time:") && d.contains(THIRD)), access(beside).details.toString());
            assertFalse(access(inline).details.stream().anyMatch(d -> d.contains(THIRD)), access(inline).details.toString());
            assertEquals(withoutTimes(inline), withoutTimes(beside));

            // One grant flipped in place, one member replaced by another, one primary-store member moved: all found beside, named the same.
            update(c, "UPDATE UM_ROLE_PERMISSION SET UM_IS_ALLOWED = 0 WHERE UM_TENANT_ID = ? AND UM_ROLE_NAME = 'auditors'", tenant(c, RW));
            update(c, "UPDATE UM_HYBRID_USER_ROLE SET UM_USER_NAME = 'mallory' WHERE UM_TENANT_ID = ? AND UM_USER_NAME = 'erin'", tenant(c, LDAP));
            int rw = tenant(c, RW);
            update(c, "UPDATE UM_USER_ROLE SET UM_ROLE_ID = (SELECT UM_ID FROM UM_ROLE WHERE UM_ROLE_NAME = 'admin' AND UM_TENANT_ID = ?)"
                    + " WHERE UM_TENANT_ID = ? AND UM_USER_ID = (SELECT UM_ID FROM UM_USER WHERE UM_USER_NAME = 'bob' AND UM_TENANT_ID = ?)", rw, rw, rw);
            VerificationReport brokenInline = Verifier.verify(c, false);
            VerificationReport brokenBeside = RunSettings.pointingAt(db, () -> Verifier.verify(c, false));
            assertTrue(access(brokenBeside).details.stream().anyMatch(d -> d.startsWith(BESIDE)), access(brokenBeside).details.toString());
            assertTrue(access(brokenBeside).details.stream().anyMatch(d -> d.contains(THIRD)), access(brokenBeside).details.toString());
            assertTrue(access(brokenBeside).failed(), brokenBeside.markdown());
            List<String> problems = access(brokenBeside).problems;
            assertEquals(3, problems.size(), problems.toString());
            assertTrue(problems.get(0).contains("role Internal/auditors: 4.0.x granted 1") && problems.get(0).contains("ui.execute deny"), problems.toString());
            assertTrue(problems.stream().anyMatch(p -> p.contains("role Internal/ops, members of domain PRIMARY") && p.contains("mallory")), problems.toString());
            // UM_USER_ROLE's total, read on the third connection, differs: the groups are read again and name the role.
            assertTrue(problems.stream().anyMatch(p -> p.equals("tenant " + rw + ", role admin, members of domain PRIMARY:"
                    + " 4.0.x had 1 members, 4.2.0 resolves 2. 4.2.0 rows of this role: [admin, bob]")), problems.toString());
            assertTrue(access(brokenBeside).details.stream().anyMatch(d -> d.contains("changed since the gate read them")), access(brokenBeside).details.toString());
            assertEquals(withoutTimes(brokenInline), withoutTimes(brokenBeside));
        }
    }

    private static Checkpoint access(VerificationReport report) {
        return report.checkpoints.stream().filter(cp -> cp.name.equals(AccessEquivalence.NAME)).findFirst().orElseThrow();
    }

    /**
     * Each checkpoint's name, verdict, details and problems, without the details that say how long it took and where,
     * and without the smoke test's details, which name its tenants' ids (sequences move on although it rolls back).
     */
    private static List<String> withoutTimes(VerificationReport report) {
        return report.checkpoints.stream().map(cp -> cp.name + " " + cp.status + " " + cp.problems + " "
                + (cp.name.startsWith("Staging smoke test") ? "" : cp.details.stream()
                        .filter(d -> !d.startsWith("time:") && !d.startsWith(BESIDE)).toList())).toList();
    }
}
