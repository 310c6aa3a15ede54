package org.carbonupgrade.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.changelog.ChangeSet;

import org.carbonupgrade.Engine;
import org.carbonupgrade.schema.ReferenceSchema;
import org.carbonupgrade.schema.SchemaReader;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.carbonupgrade.verify.VerificationReport;
import org.carbonupgrade.verify.Verifier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 4.0.x wrote a UM_CLAIM_BEHAVIOR row per claim of a profile and removed it before deleting the claim; 4.2.0
 * never reads the table and deletes the claim directly, so a leftover 4.0.x row makes 4.2.0's claim deletion
 * (and its claim update, which is delete + insert) fail on the foreign key. The upgrade moves the rows to an
 * archive table and, where WSO2's 4.2.0 script for the engine has no UM_CLAIM_BEHAVIOR, drops the table.
 */
class ClaimBehaviorTest {
    /**
     * 4.2.0's own statement, verbatim: wso2/carbon4-kernel @ a169d3b36b,
     * core/org.wso2.carbon.user.core/src/main/java/org/wso2/carbon/user/core/claim/dao/ClaimDBConstants.java,
     * DELETE_CLAIM_SQL, bound by ClaimDAO.deleteClaimMapping as (claimUri, dialectUri, tenantId, tenantId). It is the
     * only statement that method runs (4.0.x ran ON_CLAIM_DELETE_REMOVE_BEHAVIOR first: amum0611/kernel @ ef6e76ce,
     * same path); ClaimDAO.updateClaimMapping and deleteDialect call it too.
     */
    static final String DELETE_CLAIM_SQL = "DELETE FROM UM_CLAIM WHERE UM_CLAIM_URI=? AND "
            + "UM_DIALECT_ID=(SELECT UM_ID FROM UM_DIALECT WHERE UM_DIALECT_URI=? "
            + "AND UM_TENANT_ID=?) AND UM_TENANT_ID=?";
    /** Same file, ADD_CLAIM_SQL: ClaimDAO.updateClaimMapping deletes the claim and adds it again with this. */
    static final String ADD_CLAIM_SQL = "INSERT INTO UM_CLAIM(UM_DIALECT_ID, UM_CLAIM_URI, "
            + "UM_DISPLAY_TAG, UM_DESCRIPTION, UM_MAPPED_ATTRIBUTE, UM_REG_EX, "
            + "UM_SUPPORTED, UM_REQUIRED, UM_DISPLAY_ORDER, UM_TENANT_ID, UM_MAPPED_ATTRIBUTE_DOMAIN, UM_CHECKED_ATTRIBUTE,UM_READ_ONLY) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";

    static final String ARCHIVE = "CARBON_UPGRADE_CLAIM_BEHAVIOR";
    static final String BEHAVIOR_COLUMNS = "UM_ID, UM_PROFILE_ID, UM_CLAIM_ID, UM_BEHAVIOUR, UM_TENANT_ID";
    /** The claims 4.0.x gave a behaviour row: (claim URI, dialect URI, tenant). */
    static final String CLAIMS_WITH_BEHAVIOR = "SELECT c.UM_CLAIM_URI, d.UM_DIALECT_URI, c.UM_TENANT_ID FROM UM_CLAIM_BEHAVIOR b"
            + " JOIN UM_CLAIM c ON c.UM_ID = b.UM_CLAIM_ID AND c.UM_TENANT_ID = b.UM_TENANT_ID"
            + " JOIN UM_DIALECT d ON d.UM_ID = c.UM_DIALECT_ID AND d.UM_TENANT_ID = c.UM_TENANT_ID"
            + " ORDER BY c.UM_TENANT_ID, c.UM_CLAIM_URI";

    record Claim(String uri, String dialect, int tenant) {
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void wso2s420ClaimDeleteAndUpdateWorkAfterTheUpgradeAndTheRowsAreArchived(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "claim_behavior_" + engine.profile());
        List<String> before;
        List<Claim> claims;
        try (Connection c = db.connect()) {
            before = behaviorRows(c, "UM_CLAIM_BEHAVIOR");
            claims = claimsWithBehavior(c);
            assertTrue(claims.size() >= 2, "the 4.0.x fixture must give claims behaviour rows, has " + claims);
            // Control: on the 4.0.x schema the behaviour row blocks 4.2.0's statement, so the assertion below can fail.
            c.setAutoCommit(false);
            assertThrows(SQLException.class, () -> deleteClaim(c, claims.get(0)), "a behaviour row must block the delete on the 4.0.x schema");
            c.rollback();
        }

        Upgrade.of(db).update();

        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            assertEquals(1, deleteClaim(c, claims.get(0)), "4.2.0's DELETE_CLAIM_SQL deletes " + claims.get(0));
            updateClaim(c, claims.get(1));
            c.commit();
            c.setAutoCommit(true);
            assertEquals(0, claimId(c, claims.get(0)), "the deleted claim is gone");
            assertEquals(before, behaviorRows(c, ARCHIVE), "the archive holds exactly the 4.0.x UM_CLAIM_BEHAVIOR rows");
            assertEquals(before.size(), Rows.count(c, "SELECT COUNT(*) FROM " + ARCHIVE + " WHERE ARCHIVED_AT IS NOT NULL"
                    + " AND UM_CLAIM_URI IS NOT NULL AND UM_DIALECT_URI IS NOT NULL AND UM_PROFILE_NAME IS NOT NULL"),
                    "each archived row names its claim, dialect and profile (4.2.0 re-creates an updated claim under a new id)");
            assertBehaviorTableAsInTheReference(c, engine);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void aReRunAndRunsStoppedInsideTheArchiveStepsConverge(Engine engine) throws Exception {
        TestDatabase straight = Fixtures.carbon40(engine, "claim_straight_" + engine.profile());
        List<String> before;
        try (Connection c = straight.connect()) {
            before = behaviorRows(c, "UM_CLAIM_BEHAVIOR");
        }
        Upgrade.of(straight).update();
        long ran;
        try (Connection c = straight.connect()) {
            ran = Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOG");
        }
        Upgrade.of(straight).update();
        try (Connection c = straight.connect()) {
            assertEquals(ran, Rows.count(c, "SELECT COUNT(*) FROM DATABASECHANGELOG"), "the re-run applied changesets");
            assertEquals(before, behaviorRows(c, ARCHIVE), "a re-run archives nothing twice");
            assertBehaviorTableAsInTheReference(c, engine);
            // The verifier counts UM_CLAIM_BEHAVIOR with its archive: losing one archived row fails the row-count checkpoint.
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM " + ARCHIVE + " WHERE UM_ID = 1 AND UM_TENANT_ID = -1234");
                if (!c.getAutoCommit()) c.commit();
            }
            VerificationReport report = Verifier.verify(c, false);
            List<String> problems = report.checkpoints.stream().flatMap(cp -> cp.problems.stream()).toList();
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.get(0).startsWith("UM_CLAIM_BEHAVIOR: " + before.size() + " rows before the upgrade, 0 left")
                    && problems.get(0).endsWith(" + " + (before.size() - 1) + " archived in " + ARCHIVE + "."), problems.get(0));
        }

        List<String> stopPoints = List.of("um-claim-behavior-create-archive-table", "um-claim-behavior-archive-rows",
                "um-claim-behavior-delete-archived-rows");
        for (int i = 0; i < stopPoints.size(); i++) {
            String stopAfter = stopPoints.get(i);
            TestDatabase db = Fixtures.carbon40(engine, "claim_stop_" + i + "_" + engine.profile());
            Upgrade.of(db).update(changesetsUpTo(db, stopAfter));
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                assertTrue(new SchemaReader(c).tableNames().containsKey(ARCHIVE), "stopped after " + stopAfter);
                if (stopAfter.endsWith("archive-rows")) {
                    // The crash between copy and delete: every row is in both tables.
                    assertEquals(before, behaviorRows(c, "UM_CLAIM_BEHAVIOR"));
                    assertEquals(before, behaviorRows(c, ARCHIVE));
                }
                if (stopAfter.endsWith("archive-table")) {
                    // An earlier attempt archived one row already: the copy must not add it twice.
                    s.executeUpdate("INSERT INTO " + ARCHIVE + " (" + BEHAVIOR_COLUMNS + ", ARCHIVED_AT) SELECT " + BEHAVIOR_COLUMNS
                            + ", CURRENT_TIMESTAMP FROM UM_CLAIM_BEHAVIOR WHERE UM_ID = 1 AND UM_TENANT_ID = -1234");
                    if (!c.getAutoCommit()) c.commit();
                }
            }
            Upgrade.of(db).update();
            try (Connection c = db.connect()) {
                assertEquals(before, behaviorRows(c, ARCHIVE), "archive after a run stopped after " + stopAfter);
                assertBehaviorTableAsInTheReference(c, engine);
                c.setAutoCommit(false);
                assertEquals(1, deleteClaim(c, claimsWithBehaviorFromArchive(c).get(0)));
                c.rollback();
            }
        }
    }

    /**
     * The verifier compares row counts with the FIRST run's snapshot, found by CARBON_UPGRADE_RUN.STARTED_AT. A re-run in
     * the same second (MySQL's TIMESTAMP keeps whole seconds, rounded) or from a host whose clock is behind must still
     * be recorded after it: CI once saw the re-run's counts (UM_CLAIM_BEHAVIOR already emptied) taken as "before".
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "MYSQL"})
    void aReRunWhoseClockReadsEarlierIsStillRecordedAfterTheFirstRun(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "claim_clock_" + engine.profile());
        int archived;
        try (Connection c = db.connect()) {
            archived = behaviorRows(c, "UM_CLAIM_BEHAVIOR").size();
        }
        Upgrade.of(db).update(changesetsUpTo(db, "um-claim-behavior-delete-archived-rows"));
        Timestamp firstStarted = new Timestamp(System.currentTimeMillis() / 1000 * 1000 + 3_600_000);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("UPDATE CARBON_UPGRADE_RUN SET STARTED_AT = ?")) {
            ps.setTimestamp(1, firstStarted);
            assertEquals(1, ps.executeUpdate(), "one run recorded so far");
            if (!c.getAutoCommit()) c.commit();
        }
        Upgrade.of(db).update();
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT STARTED_AT FROM CARBON_UPGRADE_RUN ORDER BY STARTED_AT")) {
            List<Timestamp> started = new ArrayList<>();
            while (rs.next()) started.add(rs.getTimestamp(1));
            assertEquals(2, started.size(), started.toString());
            assertEquals(firstStarted, started.get(0), "the first run keeps its time");
            assertTrue(started.get(1).after(firstStarted), "the re-run is recorded after the first run: " + started);
            VerificationReport report = Verifier.verify(c, false);
            assertTrue(report.passed(), report.checkpoints.stream().flatMap(cp -> cp.problems.stream()).toList().toString());
            assertEquals(archived, Rows.count(c, "SELECT COUNT(*) FROM " + ARCHIVE));
        }
    }

    /** WSO2's APIM 1.4.0 -> 1.5.0 MySQL/H2 scripts end with DROP TABLE IF EXISTS UM_CLAIM_BEHAVIOR: a database one ran on still upgrades. */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "MYSQL"})
    void aTableAnEarlierAttemptDroppedIsSkipped(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "claim_dropped_" + engine.profile());
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE UM_CLAIM_BEHAVIOR");
        }
        Upgrade.of(db).update();
        try (Connection c = db.connect()) {
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM " + ARCHIVE));
            assertBehaviorTableAsInTheReference(c, engine);
        }
    }

    /** A row written after the archive step (a 4.0.x server started on the half-upgraded database) stops the drop. */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "MYSQL"})
    void theDropStopsWhenARowIsNotArchived(Engine engine) throws Exception {
        TestDatabase db = Fixtures.carbon40(engine, "claim_unarchived_" + engine.profile());
        Upgrade.of(db).update(changesetsUpTo(db, "um-claim-behavior-delete-archived-rows"));
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // 4.0.x ProfileDBConstant.ADD_CLAIM_BEHAVIOR (amum0611/kernel @ ef6e76ce, core/org.wso2.carbon.user.core/.../profile/dao/ProfileDBConstant.java).
            s.executeUpdate("INSERT INTO UM_CLAIM_BEHAVIOR (UM_PROFILE_ID, UM_CLAIM_ID, UM_BEHAVIOUR, UM_TENANT_ID) VALUES(1, 2, 0, -1234)");
            if (!c.getAutoCommit()) c.commit();
        }
        Exception e = assertThrows(Exception.class, () -> Upgrade.of(db).update());
        String messages = org.carbonupgrade.support.Errors.messages(e);
        assertTrue(messages.contains("1 rows of UM_CLAIM_BEHAVIOR are not in " + ARCHIVE) && messages.contains("Nothing was dropped"), messages);
        try (Connection c = db.connect()) {
            assertEquals(1, Rows.count(c, "SELECT COUNT(*) FROM UM_CLAIM_BEHAVIOR"), "the unarchived row is still there");
        }
    }

    /** UM_CLAIM_BEHAVIOR exists (empty) exactly where WSO2's 4.2.0 script for the engine creates it. */
    private static void assertBehaviorTableAsInTheReference(Connection c, Engine engine) throws SQLException {
        boolean inReference = ReferenceSchema.load(engine).tables(Set.of("carbon")).containsKey("UM_CLAIM_BEHAVIOR");
        boolean present = new SchemaReader(c).tableNames().containsKey("UM_CLAIM_BEHAVIOR");
        assertEquals(inReference, present, "UM_CLAIM_BEHAVIOR present as in the 4.2.0 " + engine.profile() + " script");
        if (present) assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_CLAIM_BEHAVIOR"), "no 4.0.x row left to block a claim delete");
        assertFalse(engine == Engine.POSTGRESQL && !present, "PostgreSQL's 4.2.0 script keeps UM_CLAIM_BEHAVIOR");
    }

    private static int deleteClaim(Connection c, Claim claim) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DELETE_CLAIM_SQL)) {
            ps.setString(1, claim.uri());
            ps.setString(2, claim.dialect());
            ps.setInt(3, claim.tenant());
            ps.setInt(4, claim.tenant());
            return ps.executeUpdate();
        }
    }

    /** 4.2.0 ClaimDAO.updateClaimMapping: deleteClaimMapping, then addClaimMapping with the edited values. */
    private static void updateClaim(Connection c, Claim claim) throws SQLException {
        assertEquals(1, deleteClaim(c, claim), "4.2.0's claim update starts with DELETE_CLAIM_SQL for " + claim);
        int dialectId = id(c, "SELECT UM_ID FROM UM_DIALECT WHERE UM_DIALECT_URI = ? AND UM_TENANT_ID = ?", claim.dialect(), claim.tenant());
        try (PreparedStatement ps = c.prepareStatement(ADD_CLAIM_SQL)) {
            ps.setInt(1, dialectId);
            ps.setString(2, claim.uri());
            ps.setString(3, "edited");
            ps.setString(4, "edited after the upgrade");
            ps.setString(5, "mail");
            ps.setString(6, null);
            ps.setShort(7, (short) 1);
            ps.setShort(8, (short) 0);
            ps.setInt(9, 1);
            ps.setInt(10, claim.tenant());
            ps.setString(11, null);
            ps.setShort(12, (short) 0);
            ps.setShort(13, (short) 0);
            assertEquals(1, ps.executeUpdate());
        }
        assertTrue(claimId(c, claim) > 0, "the updated claim is back under a new id");
    }

    private static int claimId(Connection c, Claim claim) throws SQLException {
        return id(c, "SELECT c.UM_ID FROM UM_CLAIM c JOIN UM_DIALECT d ON d.UM_ID = c.UM_DIALECT_ID AND d.UM_TENANT_ID = c.UM_TENANT_ID"
                + " WHERE c.UM_CLAIM_URI = ? AND d.UM_DIALECT_URI = ? AND c.UM_TENANT_ID = ?", claim.uri(), claim.dialect(), claim.tenant());
    }

    /** The id the query finds for these parameters, 0 when none. */
    private static int id(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) ps.setObject(i + 1, parameters[i]);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    private static List<String> behaviorRows(Connection c, String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + BEHAVIOR_COLUMNS + " FROM " + table)) {
            while (rs.next()) {
                rows.add(rs.getInt(5) + ":" + rs.getInt(1) + " profile=" + rs.getObject(2) + " claim=" + rs.getObject(3)
                        + " behaviour=" + rs.getObject(4));
            }
        }
        rows.sort(null);
        return rows;
    }

    private static List<Claim> claimsWithBehavior(Connection c) throws SQLException {
        return claims(c, CLAIMS_WITH_BEHAVIOR);
    }

    /** After the upgrade the archive names the claims that had behaviour rows; take one still present. */
    private static List<Claim> claimsWithBehaviorFromArchive(Connection c) throws SQLException {
        return claims(c, "SELECT a.UM_CLAIM_URI, a.UM_DIALECT_URI, a.UM_TENANT_ID FROM " + ARCHIVE + " a"
                + " WHERE a.UM_CLAIM_URI IS NOT NULL ORDER BY a.UM_TENANT_ID, a.UM_CLAIM_URI");
    }

    private static List<Claim> claims(Connection c, String sql) throws SQLException {
        List<Claim> claims = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) claims.add(new Claim(rs.getString(1), rs.getString(2), rs.getInt(3)));
        }
        return claims;
    }

    /** How many changesets a run applies up to and including this one, as Liquibase counts them on this database. */
    private static int changesetsUpTo(TestDatabase db, String id) throws Exception {
        int[] position = {-1};
        Upgrade.of(db).run(liquibase -> {
            List<ChangeSet> unrun = liquibase.listUnrunChangeSets(new Contexts("carbon"), new LabelExpression());
            for (int i = 0; i < unrun.size(); i++) if (unrun.get(i).getId().equals(id)) position[0] = i + 1;
        });
        assertTrue(position[0] > 0, id + " is not among the changesets to run");
        return position[0];
    }
}
