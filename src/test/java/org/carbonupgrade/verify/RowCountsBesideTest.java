package org.carbonupgrade.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.carbonupgrade.Engine;
import org.carbonupgrade.schema.SchemaReader;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.RunSettings;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With the access check beside, the verifier counts the rows of every table the row-count checkpoint compares while its
 * domain pass waits for that check (Verifier.countOtherTables): the counts are each table's rows, the domain tables are
 * left to the domain pass, and a lost row is named the same as when everything runs inline.
 */
class RowCountsBesideTest {
    private static final String ROW_COUNTS = "No row lost: counts equal the gate's snapshot before the upgrade";

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"POSTGRESQL", "MYSQL"})
    void rowsCountedWhileTheDomainPassWaitsFindTheSameLostRows(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "rowcounts_beside_" + engine.profile());
        Upgrade.of(db).update();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            Map<String, String> tables = new SchemaReader(c).tableNames();
            Map<String, Long> counted = Verifier.countOtherTables(c, tables);
            assertTrue(counted.containsKey("UM_USER_ATTRIBUTE") && counted.containsKey("CARBON_UPGRADE_CLAIM_BEHAVIOR"), counted.toString());
            for (String domainTable : DomainColumns.TABLES) assertFalse(counted.containsKey(domainTable), domainTable + " is the domain pass's to count");
            for (Map.Entry<String, Long> e : counted.entrySet()) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + engine.quote(tables.get(e.getKey())))) {
                    rs.next();
                    assertEquals(rs.getLong(1), e.getValue(), e.getKey());
                }
            }

            s.execute("DELETE FROM UM_USER_ATTRIBUTE WHERE UM_ATTR_VALUE = 'Given1'");
            s.execute("DELETE FROM CARBON_UPGRADE_CLAIM_BEHAVIOR");
            // UM_USER_ROLE's rows are counted beside by the access check, with the total it reads of that table anyway.
            long userRoles;
            long lastUserRole;
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(UM_ID) FROM UM_USER_ROLE")) {
                rs.next();
                userRoles = rs.getLong(1);
                lastUserRole = rs.getLong(2);
            }
            s.execute("DELETE FROM UM_USER_ROLE WHERE UM_ID = " + lastUserRole);
            if (!c.getAutoCommit()) c.commit();
            VerificationReport inline = Verifier.verify(c, false);
            VerificationReport beside = RunSettings.pointingAt(db, () -> Verifier.verify(c, false));
            List<String> problems = rowCounts(beside).problems;
            assertTrue(rowCounts(beside).failed(), beside.markdown());
            assertTrue(problems.stream().anyMatch(p -> p.startsWith("UM_USER_ATTRIBUTE: ") && p.contains("rows before the upgrade")), problems.toString());
            assertTrue(problems.stream().anyMatch(p -> p.startsWith("UM_CLAIM_BEHAVIOR: ") && p.contains("+ 0 archived")), problems.toString());
            assertTrue(problems.contains("UM_USER_ROLE: " + userRoles + " rows before the upgrade, " + (userRoles - 1) + " now."), problems.toString());
            assertTrue(access(beside).details.stream().anyMatch(d -> d.contains("its row counts for the row-count checkpoint too")),
                    access(beside).details.toString());
            assertEquals(rowCounts(inline).problems, problems);
            assertEquals(rowCounts(inline).details, rowCounts(beside).details);
        }
    }

    private static Checkpoint access(VerificationReport report) {
        return report.checkpoints.stream().filter(cp -> cp.name.equals(AccessEquivalence.NAME)).findFirst().orElseThrow();
    }

    private static Checkpoint rowCounts(VerificationReport report) {
        return report.checkpoints.stream().filter(cp -> cp.name.equals(ROW_COUNTS)).findFirst().orElseThrow();
    }
}
