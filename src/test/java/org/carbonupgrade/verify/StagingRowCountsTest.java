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
import org.carbonupgrade.schema.SchemaReader;
import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

    /**
     * UM_HYBRID_USER_ROLE's and UM_ROLE_PERMISSION's counts after a pass come from the domain checkpoint's pass over them
     * (catch-up no longer counts them beside: Verifier.COUNTED_BY_VERIFIER): every row, with or without a domain id, and
     * a row lost on staging still fails the row-count checkpoint, naming the table.
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void countsLeftToTheDomainCheckpointAreEveryRowAndCatchALostOne(Engine engine) throws Exception {
        TestDatabase db = TestDatabase.fresh(engine, "staging_row_counts_domain");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE UM_DOMAIN (UM_DOMAIN_ID INTEGER NOT NULL, UM_DOMAIN_NAME VARCHAR(255), UM_TENANT_ID INTEGER NOT NULL,"
                    + " PRIMARY KEY (UM_DOMAIN_ID, UM_TENANT_ID))");
            s.execute("INSERT INTO UM_DOMAIN VALUES (1, 'PRIMARY', -1234), (2, 'INTERNAL', -1234), (1, 'PRIMARY', 1)");
            s.execute("CREATE TABLE UM_HYBRID_USER_ROLE (UM_ID INTEGER PRIMARY KEY, UM_USER_NAME VARCHAR(255), UM_ROLE_ID INTEGER,"
                    + " UM_TENANT_ID INTEGER, UM_DOMAIN_ID INTEGER)");
            // A row in a domain, one whose domain id reaches no UM_DOMAIN row, one without a domain id: all are rows.
            s.execute("INSERT INTO UM_HYBRID_USER_ROLE VALUES (1, 'alice', 1, -1234, 1), (2, 'bob', 1, -1234, 1), (3, 'carol', 2, 1, 7),"
                    + " (4, 'dave', 2, 1, NULL)");
            s.execute("CREATE TABLE UM_ROLE_PERMISSION (UM_ID INTEGER PRIMARY KEY, UM_PERMISSION_ID INTEGER, UM_ROLE_NAME VARCHAR(255),"
                    + " UM_IS_ALLOWED SMALLINT, UM_TENANT_ID INTEGER, UM_DOMAIN_ID INTEGER)");
            s.execute("INSERT INTO UM_ROLE_PERMISSION VALUES (1, 1, 'admin', 1, -1234, 2), (2, 1, 'everyone', 1, 1, NULL)");
            Map<String, String> tables = new SchemaReader(c).tableNames();

            Map<String, long[]> rows = new LinkedHashMap<>();
            rows.put("UM_HYBRID_USER_ROLE", new long[] {4, -1});
            rows.put("UM_ROLE_PERMISSION", new long[] {2, -1});
            DomainColumns domains = DomainColumns.read(c, tables, false);
            Verifier.countedByDomainPass(rows, domains);
            assertEquals(4, rows.get("UM_HYBRID_USER_ROLE")[1]);
            // The same figures complete the smoke test whose writes ran earlier (after a pass, beside the access check): the
            // memberships that reach no domain (carol's, dave's) still fail it, as when it ran last.
            Checkpoint early = new Checkpoint(SmokeTest.NAME);
            early.detail("rolled back: no smoke-test row is left in the database");
            Checkpoint smoke = SmokeTest.finish(early, domains, 25);
            assertTrue(smoke.failed());
            assertEquals("[existing hybrid-role memberships visible to 4.2.0 through UM_DOMAIN: 2 of 4,"
                    + " existing role permissions visible to 4.2.0 through UM_DOMAIN: 1 of 2]", smoke.problems.toString());
            assertTrue(smoke.details.contains("its writes and reads ran beside the access check's reads, before the domain checkpoint: 25 ms"), smoke.details.toString());
            assertEquals(2, rows.get("UM_ROLE_PERMISSION")[1]);
            assertFalse(Verifier.stagingRowCounts(rows).failed());

            // A broken staging: a membership lost after the pass. The domain checkpoint's count shows it.
            s.execute("DELETE FROM UM_HYBRID_USER_ROLE WHERE UM_ID = 4");
            rows.get("UM_HYBRID_USER_ROLE")[1] = -1;
            rows.get("UM_ROLE_PERMISSION")[1] = -1;
            Verifier.countedByDomainPass(rows, DomainColumns.read(c, tables, false));
            Checkpoint cp = Verifier.stagingRowCounts(rows);
            assertTrue(cp.failed());
            assertEquals(1, cp.problems.size(), cp.problems.toString());
            assertTrue(cp.problems.get(0).startsWith("UM_HYBRID_USER_ROLE: 4 rows expected"), cp.problems.toString());
            assertTrue(cp.problems.get(0).endsWith(" 3 on staging."), cp.problems.toString());

            // Where the domain checkpoint has no figures (no domain column: a half-upgraded table), the verifier counts it.
            rows.get("UM_HYBRID_USER_ROLE")[1] = -1;
            Verifier.countedByDomainPass(rows, null);
            assertEquals(-1, rows.get("UM_HYBRID_USER_ROLE")[1]);
            Verifier.countedByAccess(c, tables, rows, null);
            assertEquals(3, rows.get("UM_HYBRID_USER_ROLE")[1]);
        }
    }
}
