package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.SeededIds;
import org.junit.jupiter.api.Test;

/**
 * MariaDB: a flush of updates by primary key runs as one joined statement (GroupedUpdates) and writes each value exactly
 * as production holds it (texts a literal quotes or escapes, NULL, the text "NULL", a BLOB of every byte value); where
 * staging lacks one of the keys (its row deleted after the pass read it) the flush is undone and replayed row by row, so
 * that row reports 0 rows updated (the pass's conflict) and every other row is still written.
 */
class GroupedUpdatesTest {
    private static final List<String> AWKWARD = List.of("O'Brien \\ co", "{a,b}", "\"quoted\", comma", "NULL", "null", "", " padded ",
            "tab\there", "line\nbreak", "\\x41", "caf\u00e9 \u2603", "trailing\\");

    @Test
    void joinedUpdatesWriteExactValuesAndAMissingKeyIsReplayedRowByRow() throws Exception {
        StagedPair pair = StagedPair.restored(Engine.MYSQL, "groupedupd");
        byte[] everyByte = new byte[256 * 40];
        for (int i = 0; i < everyByte.length; i++) everyByte[i] = (byte) (i * 7 + i / 256);
        List<Integer> ids = new ArrayList<>();
        try (Connection p = pair.production.connect(); Connection s = pair.staging.connect()) {
            int user2 = SeededIds.user(p, 1, "user2");
            int id = Math.max(SeededIds.next(p, "UM_USER_ATTRIBUTE", "UM_ID"), SeededIds.next(s, "UM_USER_ATTRIBUTE", "UM_ID"));
            for (int i = 0; i <= AWKWARD.size() + 1; i++, id++) {
                ids.add(id);
                for (Connection c : List.of(p, s)) {
                    Writes.update(c, "INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID)"
                            + " VALUES (?, ?, 'before', 'default', ?, 1)", id, "grouped" + id, user2);
                }
                // The last but one to NULL, the last one's profile only.
                if (i < AWKWARD.size()) Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = ? WHERE UM_ID = ? AND UM_TENANT_ID = 1", AWKWARD.get(i), id);
                else if (i == AWKWARD.size()) Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = NULL WHERE UM_ID = ? AND UM_TENANT_ID = 1", id);
                else Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_PROFILE_ID = NULL WHERE UM_ID = ? AND UM_TENANT_ID = 1", id);
            }
            for (Connection c : List.of(p, s)) {
                Writes.update(c, "INSERT INTO REG_CONTENT (REG_CONTENT_ID, REG_CONTENT_DATA, REG_TENANT_ID) VALUES (310, ?, 1)",
                        (Object) "before".getBytes(StandardCharsets.US_ASCII));
            }
            Writes.update(p, "UPDATE REG_CONTENT SET REG_CONTENT_DATA = ? WHERE REG_CONTENT_ID = 310 AND REG_TENANT_ID = 1", (Object) everyByte);
        }
        String attributes = "SELECT UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID FROM UM_USER_ATTRIBUTE WHERE UM_TENANT_ID = 1"
                + " AND UM_ID BETWEEN " + ids.get(0) + " AND " + ids.get(ids.size() - 1) + " ORDER BY UM_ID";
        try (Connection p = pair.production.connect(); Connection s = pair.staging.connect()) {
            s.setAutoCommit(false);
            CatchUpTable attribute = table(s, "UM_USER_ATTRIBUTE"), content = table(s, "REG_CONTENT");
            int[] counts = new int[ids.size()];
            long joinedBefore = multiTableUpdates(s);
            try (RowWriter w = new RowWriter(p, s, Engine.MYSQL, null, tag -> { })) {
                for (int i = 0; i < ids.size(); i++) {
                    int row = i;
                    w.update(attribute, new Object[] {ids.get(i), 1}, "attribute " + i, n -> counts[row] += n);
                }
                w.update(content, new Object[] {310, 1}, "content", n -> assertEquals(1, n));
                w.flush();
            }
            assertEquals(2, multiTableUpdates(s) - joinedBefore, "one joined statement per table's run of updates");
            for (int i = 0; i < counts.length; i++) assertEquals(1, counts[i], "row " + i);
            assertEquals(CatchUpWritesTest.texts(p, attributes), CatchUpWritesTest.texts(s, attributes));
            assertArrayEquals(everyByte, bytes(s, "SELECT REG_CONTENT_DATA FROM REG_CONTENT WHERE REG_CONTENT_ID = 310 AND REG_TENANT_ID = 1"));

            // Staging's row of one key is gone (a tester deleted it after the pass read it): that row reports 0, the others 1.
            Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = CONCAT('again ', UM_ID) WHERE UM_TENANT_ID = 1 AND UM_ID BETWEEN ? AND ?",
                    ids.get(0), ids.get(ids.size() - 1));
            Writes.update(s, "DELETE FROM UM_USER_ATTRIBUTE WHERE UM_ID = ? AND UM_TENANT_ID = 1", ids.get(3));
            int[] again = new int[ids.size()];
            try (RowWriter w = new RowWriter(p, s, Engine.MYSQL, null, tag -> { })) {
                for (int i = 0; i < ids.size(); i++) {
                    int row = i;
                    w.update(attribute, new Object[] {ids.get(i), 1}, "attribute " + i, n -> again[row] += n);
                }
                w.flush();
            }
            for (int i = 0; i < again.length; i++) assertEquals(i == 3 ? 0 : 1, again[i], "row " + i);
            List<String> want = CatchUpWritesTest.texts(p, attributes);
            want.remove(3);
            assertEquals(want, CatchUpWritesTest.texts(s, attributes));
            assertTrue(want.get(0).contains("|again "), want.toString());
            s.rollback();
        }
    }

    private static CatchUpTable table(Connection s, String name) throws Exception {
        return CatchUpTable.read(s).stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private static long multiTableUpdates(Connection s) throws Exception {
        try (PreparedStatement ps = s.prepareStatement("SHOW SESSION STATUS LIKE 'Com_update_multi'"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(2);
        }
    }

    private static byte[] bytes(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBytes(1);
        }
    }
}
