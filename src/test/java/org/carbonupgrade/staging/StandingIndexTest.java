package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.carbonupgrade.ConnectionSettings;
import org.carbonupgrade.Engine;
import org.carbonupgrade.schema.SchemaReader;
import org.carbonupgrade.schema.TableShape;
import org.carbonupgrade.support.RunSettings;
import org.carbonupgrade.support.SeededIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PostgreSQL: an ordinary pass leaves a standing, full index for the foreign key no index serves (UM_USER_ATTRIBUTE ->
 * UM_USER), which the verifier names as catch-up's own; the next pass deleting users builds no temporary index, their
 * foreign-key checks read it; a final pass refused by a conflict keeps it, the applied final pass drops it in its
 * transaction, leaving 4.2.0's schema. Review mode builds none. H2 and MariaDB index every foreign key: no pass changes
 * their indexes.
 */
class StandingIndexTest {
    private static final String STANDING = "carbon_upgrade_fk_um_user_attribute_um_user_id";

    @Test
    void anOrdinaryPassLeavesAStandingIndexThatTheFinalPassDrops() throws Exception {
        StagedPair pair = StagedPair.copied(Engine.POSTGRESQL, "standing");
        int leavers = DeleteIndexes.MIN_DELETES + 2;
        try (Connection p = pair.production.connect()) {
            Writes.addLeavers(p, leavers);
        }
        // Review mode changes nothing: no index either.
        CatchUp.Outcome reviewed = pass(pair, false, true, new ByteArrayOutputStream());
        assertFalse(reviewed.applied());
        assertEquals(List.of(), indexes(pair), "review mode built an index");

        // An ordinary pass: the standing index, whole, committed; the verifier names it and passes.
        CatchUp.Outcome first = applied(pair, false);
        assertEquals(List.of(STANDING + " on um_user_attribute: CREATE INDEX " + STANDING + " ON public.um_user_attribute USING btree (um_user_id)"),
                indexes(pair), "a standing, full index, and no temporary one");
        String detail = schemaDetails(first);
        assertTrue(detail.contains(STANDING.toUpperCase(Locale.ROOT)) && detail.contains("the final pass")
                && detail.contains("drops it"), detail);
        try (Connection s = pair.staging.connect()) {
            List<String> parents = DeleteIndexes.parentsOfUnservedKeys(s, Engine.POSTGRESQL);
            assertFalse(parents.contains("UM_USER"), "UM_USER's keys served now: " + parents);
            // The checks of deleted users read it: 4.0.x doDeleteUser's statements (Writes.deleteUser) in one transaction,
            // rolled back, the planner barred from reading the fixture's small tables whole, as DeleteIndexesTest does.
            s.setAutoCommit(false);
            try (Statement st = s.createStatement()) {
                st.execute("SET LOCAL enable_seqscan = off");
            }
            for (int n = 0; n < leavers; n++) Writes.deleteUserRows(s, 1, "leaver" + n);
            String index = "'" + STANDING + "'::regclass";
            long scans = Writes.single(s, "SELECT pg_stat_get_xact_numscans(" + index + ")");
            for (int n = 0; n < leavers; n++) Writes.deleteUserItself(s, 1, "leaver" + n);
            assertEquals(leavers, Writes.single(s, "SELECT pg_stat_get_xact_numscans(" + index + ")") - scans,
                    "the check of each deleted user read its attribute rows through the standing index");
            s.rollback();
        }

        // Production deletes them: the next ordinary pass builds no temporary index and leaves the standing one.
        try (Connection p = pair.production.connect()) {
            p.setAutoCommit(false);
            for (int n = 0; n < leavers; n++) {
                Writes.deleteUser(p, 1, "leaver" + n);
                p.commit();
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CatchUp.Outcome second = applied(pair, false, out);
        assertEquals(leavers, second.counts().get("UM_USER").deleted(), second.counts().toString());
        assertFalse(out.toString(StandardCharsets.UTF_8).toLowerCase(Locale.ROOT).contains("carbon_upgrade_tmp_fk"), "a temporary index was built");
        assertEquals(1, indexes(pair).size(), indexes(pair).toString());
        assertTrue(schemaDetails(second).contains(STANDING.toUpperCase(Locale.ROOT)), schemaDetails(second));

        // A final pass refused by a conflict commits nothing but its refusal: the index stays.
        int given;
        String was;
        try (Connection p = pair.production.connect(); Connection s = pair.staging.connect()) {
            given = SeededIds.attribute(p, 1, "user4", "givenName");
            was = CatchUpTest.text(p, "SELECT UM_ATTR_VALUE FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + given + " AND UM_TENANT_ID = 1");
            Writes.update(s, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'Staging' WHERE UM_ID = ? AND UM_TENANT_ID = 1", given);
            Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'Production' WHERE UM_ID = ? AND UM_TENANT_ID = 1", given);
        }
        CatchUp.Outcome refused = pass(pair, true, false, new ByteArrayOutputStream());
        assertTrue(!refused.applied() && refused.conflicts().size() == 1, refused.conflicts().toString());
        assertEquals(1, indexes(pair).size(), "the refused final pass dropped it: " + indexes(pair));
        try (Connection s = pair.staging.connect()) {
            Writes.update(s, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = ? WHERE UM_ID = ? AND UM_TENANT_ID = 1", was, given);
        }
        // Its review neither.
        assertFalse(pass(pair, true, true, new ByteArrayOutputStream()).applied());
        assertEquals(1, indexes(pair).size(), "the review of a final pass dropped it: " + indexes(pair));

        // The final pass drops it in its transaction: 4.2.0's schema exactly, verified.
        out = new ByteArrayOutputStream();
        CatchUp.Outcome last = applied(pair, true, out);
        assertEquals(1, last.counts().get("UM_USER_ATTRIBUTE").updated(), last.counts().toString());
        assertEquals(List.of(), indexes(pair), "dropped by the final pass");
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("[" + STANDING.toUpperCase(Locale.ROOT) + "]"), "the drop is logged");
        assertFalse(schemaDetails(last).contains("CARBON_UPGRADE_FK_"), schemaDetails(last));
    }

    /** H2 and MariaDB index every foreign key themselves: an ordinary pass and a final one leave every index as it was. */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "MYSQL"})
    void elsewhereNoPassChangesAnIndex(Engine engine) throws Exception {
        StagedPair pair = StagedPair.copied(engine, "standing");
        Map<String, String> before = shapes(pair);
        try (Connection p = pair.production.connect()) {
            Writes.production(p);
        }
        applied(pair, false);
        assertEquals(before, shapes(pair), "an ordinary pass");
        try (Connection p = pair.production.connect()) {
            Writes.deleteUser(p, 1, "user4");
        }
        applied(pair, true);
        assertEquals(before, shapes(pair), "a final pass");
    }

    private static CatchUp.Outcome applied(StagedPair pair, boolean last) throws Exception {
        return applied(pair, last, new ByteArrayOutputStream());
    }

    private static CatchUp.Outcome applied(StagedPair pair, boolean last, ByteArrayOutputStream out) throws Exception {
        CatchUp.Outcome outcome = pass(pair, last, false, out);
        assertTrue(outcome.applied() && outcome.verification().passed(), outcome.conflicts() + " "
                + (outcome.verification() == null ? "" : outcome.verification().problems()) + "\n" + out.toString(StandardCharsets.UTF_8));
        return outcome;
    }

    /** One pass as CatchUpMain runs it: the run's settings reach staging, so its builds beside run (ReadBeside). */
    private static CatchUp.Outcome pass(StagedPair pair, boolean last, boolean review, ByteArrayOutputStream out) throws Exception {
        try (PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream sql = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
                Connection p = pair.production.connect(); Connection s = pair.staging.connect()) {
            CatchUp pass = new CatchUp(p, s, true, review ? sql : null, log, pair.production.name).sharing(pair.production::connect)
                    .readingBinlog(new ConnectionSettings(pair.production.url, pair.production.user, pair.production.password)).finalPass(last);
            return RunSettings.pointingAt(pair.staging, pass::run);
        } finally {
            System.out.print(out.toString(StandardCharsets.UTF_8));
        }
    }

    /** Staging's indexes of catch-up's (temporary or standing): name, table and definition. */
    private static List<String> indexes(StagedPair pair) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection s = pair.staging.connect(); Statement st = s.createStatement(); ResultSet rs = st.executeQuery("SELECT indexname,"
                + " tablename, indexdef FROM pg_indexes WHERE indexname LIKE 'carbon\\_upgrade\\_%fk\\_%' ORDER BY indexname")) {
            while (rs.next()) out.add(rs.getString(1) + " on " + rs.getString(2) + ": " + rs.getString(3));
        }
        return out;
    }

    private static String schemaDetails(CatchUp.Outcome outcome) {
        return outcome.verification().checkpoints.stream().filter(cp -> cp.name.startsWith("Schema equals"))
                .map(cp -> cp.status + " " + cp.details).findFirst().orElse("no schema checkpoint");
    }

    /** The shape of every Carbon table on staging (not the tool's own: the first pass adds its audit table), indexes included. */
    private static Map<String, String> shapes(StagedPair pair) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection s = pair.staging.connect()) {
            SchemaReader reader = new SchemaReader(s);
            List<String> carbon = reader.tableNames().keySet().stream().filter(t -> !t.startsWith("CARBON_UPGRADE_")).toList();
            for (TableShape t : reader.read(carbon).values()) out.put(t.name, t.describe());
        }
        return out;
    }
}
