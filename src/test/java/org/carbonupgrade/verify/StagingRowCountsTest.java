package org.carbonupgrade.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * After a catch-up pass the counts of UM_USER_ROLE and UM_ROLE are left to the verifier (catch-up's counts beside it give
 * -1): taken from the access check's totals where it handed them over, counted on the verifier's connection otherwise,
 * and the row-count checkpoint fails on a difference either way.
 */
class StagingRowCountsTest {
    @Test
    void countsLeftToTheVerifierComeFromTheAccessCheckOrAreCounted() throws Exception {
        TestDatabase db = TestDatabase.fresh(Engine.H2, "staging_row_counts");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE UM_ROLE (UM_ID INTEGER PRIMARY KEY)");
            s.execute("INSERT INTO UM_ROLE VALUES (1), (2), (3)");
            s.execute("CREATE TABLE UM_USER_ROLE (UM_ID INTEGER PRIMARY KEY)");
            s.execute("INSERT INTO UM_USER_ROLE VALUES (1)");
            Map<String, String> tables = Map.of("UM_ROLE", "UM_ROLE", "UM_USER_ROLE", "UM_USER_ROLE");

            // The access check handed over UM_USER_ROLE's count only (a figure unlike the table's, to tell where it came from).
            Map<String, long[]> rows = new LinkedHashMap<>();
            rows.put("UM_ROLE", new long[] {3, -1});
            rows.put("UM_USER_ROLE", new long[] {7, -1});
            rows.put("UM_USER", new long[] {5, 5});
            Verifier.countedByAccess(c, tables, rows, CompletableFuture.completedFuture(Map.of("UM_USER_ROLE", 7L)));
            assertEquals(3, rows.get("UM_ROLE")[1], "counted here");
            assertEquals(7, rows.get("UM_USER_ROLE")[1], "the access check's count");
            assertEquals(5, rows.get("UM_USER")[1], "catch-up's own count, as given");
            assertFalse(Verifier.stagingRowCounts(rows).failed());

            // No access check beside (or it handed nothing over): counted here, and a lost row fails the checkpoint.
            rows.get("UM_USER_ROLE")[1] = -1;
            Verifier.countedByAccess(c, tables, rows, CompletableFuture.completedFuture(null));
            assertEquals(1, rows.get("UM_USER_ROLE")[1]);
            rows.get("UM_ROLE")[1] = -1;
            Verifier.countedByAccess(c, tables, rows, null);
            assertEquals(3, rows.get("UM_ROLE")[1]);
            Checkpoint cp = Verifier.stagingRowCounts(rows);
            assertTrue(cp.failed());
            assertTrue(cp.problems.get(0).startsWith("UM_USER_ROLE: 7 rows expected"), cp.problems.toString());
        }
    }
}
