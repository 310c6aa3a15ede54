package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.rehearsal.Carbon400Seeder;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.SeededIds;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Catch-up end to end: stage and upgrade, then production and staging both change; review mode changes nothing;
 * the pass makes staging equal to an in-place upgrade of production as it is now plus staging's own rows, leaves
 * production as it was, verifies staging (access against production's now); a second pass applies nothing; ids move
 * on; a key changed on both sides, or taken on staging, refuses the whole next pass and changes nothing.
 */
class CatchUpTest {
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void stagingCatchesUpWithProductionAndRefusesConflicts(Engine engine) throws Exception {
        StagedPair pair = StagedPair.copied(engine, "catchup");
        // As a staging staged before the per-bucket summary existed: review aggregates the base rows, the first pass fills it.
        try (Connection s = pair.staging.connect()) {
            Writes.update(s, "DROP TABLE " + BaseTables.SUMMARY);
        }
        int given4, adminGiven; // attribute rows of tenant 1 (the seeder's ids run on across tenants)
        try (Connection p = pair.production.connect()) {
            given4 = SeededIds.attribute(p, 1, "user4", "givenName");
            adminGiven = SeededIds.attribute(p, 1, "admin", "givenName");
        }
        try (Connection s = pair.staging.connect()) {
            Writes.stagingOwn(s);
        }
        try (Connection p = pair.production.connect()) {
            Writes.production(p);
        }

        // Review: the pass as SQL, literals escaped; nothing written, not even the audit table.
        Map<String, List<String>> stagingBefore;
        try (Connection s = pair.staging.connect()) {
            stagingBefore = Rows.dump(s, null);
        }
        String review = pair.review();
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "catchup-review-" + engine.profile() + ".sql"), review);
        String escaped = engine == Engine.MYSQL ? "'O''Brien \\\\ co'" : "'O''Brien \\ co'";
        assertTrue(review.contains(escaped), "the awkward value escaped as " + escaped + ":\n" + review);
        assertTrue(review.contains("INSERT INTO UM_USER (") && review.contains("DELETE FROM UM_USER WHERE")
                && review.contains("-- changeset um-hybrid-user-role-backfill-prefixed-domain"), review);
        try (Connection s = pair.staging.connect()) {
            assertEquals(stagingBefore, Rows.dump(s, null), "review mode changed staging");
        }

        // The pass.
        Map<String, List<String>> productionBefore;
        try (Connection p = pair.production.connect()) {
            productionBefore = Rows.dump(p, null);
        }
        // As exec:java@catch-up runs it: the run's settings reach staging, so the reads beside it run too (staging's rows
        // after the pass counted beside the verifier); the later passes run without them (each on its own connection).
        CatchUp.Outcome first = org.carbonupgrade.support.RunSettings.pointingAt(pair.staging, pair::catchUp);
        assertTrue(first.applied(), "applied: " + first.conflicts());
        assertTrue(first.verification().passed(), first.verification().problems());
        // The smoke test's writes ran beside the access check (Verifier, after a pass with reads beside): still every one of
        // its checks, the existing memberships' included, and rolled back (staging is compared row for row below).
        // (Where the access check ran inline, H2's embedded file here, the smoke test ran last, whole, as before.)
        String smoke = first.verification().checkpoints.stream().filter(cp -> cp.name.startsWith("Staging smoke test"))
                .map(cp -> cp.status + " " + cp.details).findFirst().orElse("no smoke test");
        boolean accessBeside = first.verification().checkpoints.stream().anyMatch(cp -> cp.name.startsWith("Access equivalence")
                && cp.details.stream().anyMatch(d -> d.startsWith("taken on a second connection beside the other checkpoints")));
        assertEquals(engine != Engine.H2, accessBeside, first.verification().markdown());
        assertEquals(accessBeside, smoke.contains("ran beside the access check's reads"), smoke);
        assertTrue(smoke.startsWith("PASSED") && smoke.contains("reads back Internal/smoke-internal")
                && smoke.contains("existing hybrid-role memberships visible to 4.2.0 through UM_DOMAIN")
                && smoke.contains("existing role permissions visible to 4.2.0 through UM_DOMAIN"), smoke);
        try (Connection s = pair.staging.connect()) {
            assertEquals(0, Writes.single(s, "SELECT COUNT(*) FROM UM_TENANT WHERE UM_DOMAIN_NAME LIKE 'smoke-tenant-%'"), "the smoke test's tenants");
        }
        CatchUp.TableCounts users = first.counts().get("UM_USER");
        assertEquals(List.of(1L + 4, 1L, 1L, 1L), List.of((long) users.inserted(), (long) users.updated(), (long) users.deleted(), users.ownRows()),
                "UM_USER: carol; the new tenant's admin, 2 users and anonymous user; user2 updated; user3 deleted; the tester: " + users);
        try (Connection p = pair.production.connect()) {
            assertEquals(productionBefore, Rows.dump(p, null), "catch-up wrote to production");
        }

        // The same as upgrading production in place now, plus staging's own rows.
        TestDatabase expected = Fixtures.identity40(engine, "catchup_expected_" + engine.profile());
        try (Connection e = expected.connect()) {
            Writes.production(e);
        }
        Upgrade.of(expected).identityServer().update();
        try (Connection e = expected.connect()) {
            Writes.stagingOwn(e);
        }
        try (Connection s = pair.staging.connect(); Connection e = expected.connect()) {
            Map<String, List<String>> want = StagedPair.carbonRows(e);
            Map<String, List<String>> got = StagedPair.carbonRows(s);
            assertEquals(want.keySet(), got.keySet());
            for (String table : want.keySet()) assertEquals(want.get(table), got.get(table), "table " + table);
        }

        assertSummaryInStep(pair);

        // A second pass finds nothing to apply.
        CatchUp.Outcome second = pair.catchUp();
        assertTrue(second.applied());
        assertEquals(0, second.rows(), "second pass: " + second.counts());
        assertSummaryInStep(pair);

        // Ids moved on: a 4.2.0 insert without an id works; production then inserts the same id (as a live 4.0.x server would).
        long staged;
        try (Connection s = pair.staging.connect()) {
            Writes.update(s, "INSERT INTO UM_USER (UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME, UM_TENANT_ID)"
                    + " VALUES ('tester2', 'eA==', 'salt', ?, ?, 1)", false, Writes.WHEN);
            staged = Writes.single(s, "SELECT UM_ID FROM UM_USER WHERE UM_USER_NAME = 'tester2' AND UM_TENANT_ID = 1");
            assertTrue(staged > 50, "the new id " + staged + " is past the ids catch-up copied (carol: 50)");
            Writes.update(s, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'Staging' WHERE UM_ID = ? AND UM_TENANT_ID = 1", given4);
            stagingBefore = Rows.dump(s, null);
        }
        try (Connection p = pair.production.connect()) {
            Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'Production' WHERE UM_ID = ? AND UM_TENANT_ID = 1", given4);
            Writes.update(p, "INSERT INTO UM_USER (UM_ID, UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME, UM_TENANT_ID)"
                    + " VALUES (?, 'dave', 'eA==', 'salt', ?, ?, 1)", staged, false, Writes.WHEN);
            // The next id of production's generator: past the new tenant's rows.
            Writes.update(p, "INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID) VALUES (?, 'mail', 'x@example.com', 'default', 50, 1)",
                    SeededIds.next(p, "UM_USER_ATTRIBUTE", "UM_ID"));
        }
        CatchUp.Outcome refused = pair.catchUp();
        assertFalse(refused.applied());
        List<String> conflicts = refused.conflicts().stream().map(CatchUp.Conflict::toString).toList();
        assertEquals(2, conflicts.size(), conflicts.toString());
        assertTrue(conflicts.contains("UM_USER_ATTRIBUTE key [" + given4 + "|1]: production updated, staging updated it too"), conflicts.toString());
        assertTrue(conflicts.contains("UM_USER key [" + staged + "|1]: production inserted, staging inserted it too"), conflicts.toString());
        try (Connection s = pair.staging.connect()) {
            Map<String, List<String>> after = Rows.dump(s, null);
            after.remove(CatchUpAudit.TABLE);
            stagingBefore.remove(CatchUpAudit.TABLE);
            assertEquals(stagingBefore, after, "a refused pass changed staging");
            assertEquals(List.of("APPLIED", "APPLIED", "REFUSED"), outcomes(s));
            assertTrue(text(s, "SELECT CONFLICTS FROM " + CatchUpAudit.TABLE + " WHERE OUTCOME = 'REFUSED'").contains("UM_USER_ATTRIBUTE key [" + given4 + "|1]"));
            assertTrue(text(s, "SELECT TABLE_COUNTS FROM " + CatchUpAudit.TABLE + " WHERE ROWS_APPLIED > 0").contains("UM_USER: production +5 ~1 -1"));
        }

        // The operator resolves both on staging; then a tester's user collides with production's new user of the same
        // name (another id): refused with the database's reason, nothing applied; removed, the next pass goes through.
        try (Connection s = pair.staging.connect(); Connection p = pair.production.connect()) {
            Writes.update(s, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'Given4' WHERE UM_ID = ? AND UM_TENANT_ID = 1", given4);
            Writes.update(s, "DELETE FROM UM_USER WHERE UM_USER_NAME = 'tester2' AND UM_TENANT_ID = 1");
            Writes.update(s, "INSERT INTO UM_USER (UM_ID, UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME, UM_TENANT_ID)"
                    + " VALUES (950, 'erin', 'eA==', 'salt', ?, ?, 1)", false, Writes.WHEN);
            Writes.update(p, "INSERT INTO UM_USER (UM_ID, UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME, UM_TENANT_ID)"
                    + " VALUES (60, 'erin', 'eA==', 'salt', ?, ?, 1)", false, Writes.WHEN);
        }
        CatchUp.Outcome collision = pair.catchUp();
        assertOnlyConflict(collision, "UM_USER key [60|1]: production inserted it, staging holds another row");
        try (Connection s = pair.staging.connect()) {
            assertEquals(0, Writes.single(s, "SELECT COUNT(*) FROM UM_USER WHERE UM_USER_NAME = 'dave'"), "nothing applied");
            Writes.update(s, "DELETE FROM UM_USER WHERE UM_ID = 950 AND UM_TENANT_ID = 1");
        }
        CatchUp.Outcome resolved = pair.catchUp();
        assertTrue(resolved.applied() && resolved.verification().passed(), resolved.conflicts() + " " + (resolved.verification() == null ? "" : resolved.verification().problems()));
        try (Connection s = pair.staging.connect()) {
            assertEquals("Production", text(s, "SELECT UM_ATTR_VALUE FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + given4 + " AND UM_TENANT_ID = 1"));
            assertEquals(2, Writes.single(s, "SELECT COUNT(*) FROM UM_USER WHERE UM_USER_NAME IN ('dave', 'erin') AND UM_TENANT_ID = 1"));
            assertEquals(List.of("APPLIED", "APPLIED", "REFUSED", "REFUSED", "APPLIED"), outcomes(s));
        }
        assertSummaryInStep(pair);

        // A grant only staging has (a tester gave the reviewers role a permission): the pass applies production's change,
        // and the verifier lists the grant, which production never gave (docs/staging.md: on purpose).
        try (Connection s = pair.staging.connect(); Connection p = pair.production.connect()) {
            Writes.update(s, "INSERT INTO UM_ROLE_PERMISSION (UM_ID, UM_PERMISSION_ID, UM_ROLE_NAME, UM_IS_ALLOWED, UM_TENANT_ID, UM_DOMAIN_ID)"
                    + " VALUES (900, ?, 'reviewers', 1, 1, (SELECT UM_DOMAIN_ID FROM UM_DOMAIN WHERE UM_DOMAIN_NAME = 'INTERNAL' AND UM_TENANT_ID = 1))",
                    SeededIds.permission(s, 1, "/permission/admin/manage", Carbon400Seeder.UI));
            Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'Admin' WHERE UM_ID = ? AND UM_TENANT_ID = 1", adminGiven);
        }
        CatchUp.Outcome withOwnGrant = pair.catchUp();
        assertTrue(withOwnGrant.applied() && withOwnGrant.rows() == 1, withOwnGrant.counts().toString());
        assertFalse(withOwnGrant.verification().passed(), "staging's own grant passed the access check");
        assertTrue(withOwnGrant.verification().problems().contains("reviewers"), withOwnGrant.verification().problems());

        // Production deletes two users; a tester gave one of them a role on staging: that delete breaks staging's foreign
        // key, so the pass is refused naming that user, and neither delete is applied (MariaDB deletes by lists of keys,
        // then replays them one by one to name the row).
        try (Connection s = pair.staging.connect(); Connection p = pair.production.connect()) {
            Writes.update(s, "INSERT INTO UM_USER_ROLE (UM_ROLE_ID, UM_USER_ID, UM_TENANT_ID) VALUES ((SELECT MIN(UM_ID) FROM UM_ROLE WHERE UM_TENANT_ID = 1), 60, 1)");
            p.setAutoCommit(false);
            for (String user : List.of("dave", "erin")) { // as 4.0.x deletes a user, one transaction each (Writes.deleteUser)
                Writes.deleteUser(p, 1, user);
                p.commit();
            }
        }
        CatchUp.Outcome brokenKey = pair.catchUp();
        assertOnlyConflict(brokenKey, "UM_USER key [60|1]: production deleted it, staging holds another row");
        try (Connection s = pair.staging.connect()) {
            assertEquals(2, Writes.single(s, "SELECT COUNT(*) FROM UM_USER WHERE UM_USER_NAME IN ('dave', 'erin') AND UM_TENANT_ID = 1"), "nothing applied");
        }
    }

    /**
     * After an applied pass (and before production changes again), the base's per-bucket summary is in step: per side,
     * table and bucket exactly the count and hash sum of the base rows, and production's side equals the figures
     * production computes now, bucket by bucket, so the next pass compares against the truth.
     */
    static void assertSummaryInStep(StagedPair pair) throws Exception {
        try (Connection s = pair.staging.connect(); Connection p = pair.production.connect()) {
            assertEquals(figures(s, "SELECT SIDE, TABLE_NAME, BUCKET, COUNT(*), SUM(ROW_HASH) FROM " + BaseTables.ROWS + " GROUP BY SIDE, TABLE_NAME, BUCKET"),
                    figures(s, "SELECT SIDE, TABLE_NAME, BUCKET, ROW_COUNT, HASH_SUM FROM " + BaseTables.SUMMARY), "summary = base rows");
            for (CatchUpTable t : CatchUpTable.read(s)) {
                List<String> live = figures(p, "SELECT 'P', '" + t.name() + "', Q.B, COUNT(*), SUM(Q.H) FROM (" + StageBase.baseRowsSelect(pair.engine, t.production())
                        + ") Q GROUP BY Q.B");
                List<String> recorded = figures(s, "SELECT SIDE, TABLE_NAME, BUCKET, ROW_COUNT, HASH_SUM FROM " + BaseTables.SUMMARY + " WHERE SIDE = 'P'"
                        + " AND TABLE_NAME = '" + t.name() + "'");
                assertEquals(live, recorded, "production's figures of " + t.name());
                // Row by row too: the refresh rewrote exactly the keys production changed (MariaDB: in place, by upserts).
                assertEquals(figures(p, "SELECT 'P', Q.B, Q.K, Q.H FROM (" + StageBase.baseRowsSelect(pair.engine, t.production()) + ") Q"),
                        figures(s, "SELECT SIDE, BUCKET, ROW_KEY, ROW_HASH FROM " + BaseTables.ROWS + " WHERE SIDE = 'P' AND TABLE_NAME = '" + t.name() + "'"),
                        "production's base rows of " + t.name());
            }
        }
    }

    /** Rows as text, numbers by value (a DECIMAL sum and a BIGINT one print alike), sorted. */
    private static List<String> figures(Connection c, String sql) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    if (v instanceof byte[] bytes) v = new String(bytes, java.nio.charset.StandardCharsets.UTF_8); // MySQL's ROW_KEY
                    b.append(v instanceof Number ? new java.math.BigDecimal(v.toString()).stripTrailingZeros().toPlainString() : String.valueOf(v).trim()).append(';');
                }
                out.add(b.toString());
            }
        }
        out.sort(null);
        return out;
    }

    static List<String> outcomes(Connection c) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT OUTCOME FROM " + CatchUpAudit.TABLE + " ORDER BY PASS_NO");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    static String text(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The pass refused on exactly one key, described as {@code start} begins. */
    private static void assertOnlyConflict(CatchUp.Outcome refused, String start) {
        assertEquals(1, refused.conflicts().size(), refused.conflicts().toString());
        assertTrue(refused.conflicts().get(0).toString().startsWith(start), refused.conflicts().toString());
    }
}
