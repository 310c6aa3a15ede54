package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.SeededIds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pass's writes of many rows at once (PostgreSQL: one statement per table and kind of write, every column's values
 * as one text array, RowWriter.setBased; MariaDB and H2: JDBC batches) write each value exactly as production holds it:
 * NULLs, registry content (a BLOB) with every byte value, text with the characters an array literal or SQL quotes, the
 * text "NULL"; an update to NULL and from NULL. And a collision with staging's own row on a unique key other than the
 * primary key, among other inserts of the same table, refuses the pass naming that one row, with nothing applied.
 */
class CatchUpWritesTest {
    /** Texts the writes must keep as they are: quotes, a backslash, an array literal's braces, commas and NULL, blanks. */
    private static final List<String> AWKWARD = List.of("O'Brien \\ co", "{a,b}", "\"quoted\", comma", "NULL", "null", "", " padded ",
            "tab\there", "line\nbreak", "\\x41", "caf\u00e9 \u2603");

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void manyRowsAreWrittenExactlyAndACollisionIsNamed(Engine engine) throws Exception {
        StagedPair pair = StagedPair.restored(engine, "cuwrites");
        byte[] everyByte = new byte[256 * 200];
        for (int i = 0; i < everyByte.length; i++) everyByte[i] = (byte) (i * 7 + i / 256);
        byte[] quoteAndBackslash = "'\\\"{},NULL\0".getBytes(StandardCharsets.ISO_8859_1);
        int changedAttribute, nulledAttribute, user2;
        try (Connection p = pair.production.connect()) {
            user2 = SeededIds.user(p, 1, "user2");
            changedAttribute = SeededIds.attribute(p, 1, "user2", "givenName");
            nulledAttribute = SeededIds.attribute(p, 1, "user2", "mail");
            Writes.update(p, "INSERT INTO REG_CONTENT (REG_CONTENT_ID, REG_CONTENT_DATA, REG_TENANT_ID) VALUES (300, ?, 1)", (Object) everyByte);
            Writes.update(p, "INSERT INTO REG_CONTENT (REG_CONTENT_ID, REG_CONTENT_DATA, REG_TENANT_ID) VALUES (301, ?, 1)", (Object) quoteAndBackslash);
            Writes.update(p, "INSERT INTO REG_CONTENT (REG_CONTENT_ID, REG_CONTENT_DATA, REG_TENANT_ID) VALUES (302, NULL, 1)");
            Writes.update(p, "INSERT INTO REG_CONTENT (REG_CONTENT_ID, REG_CONTENT_DATA, REG_TENANT_ID) VALUES (303, ?, 1)", (Object) new byte[0]);
            int id = SeededIds.next(p, "UM_USER_ATTRIBUTE", "UM_ID");
            for (String value : AWKWARD) {
                Writes.update(p, "INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID)"
                        + " VALUES (?, ?, ?, 'default', ?, 1)", id++, "awkward" + id, value, user2);
            }
            Writes.update(p, "INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID)"
                    + " VALUES (?, 'nothing', NULL, NULL, ?, 1)", id, user2);
            Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = ?, UM_PROFILE_ID = NULL WHERE UM_ID = ? AND UM_TENANT_ID = 1", AWKWARD.get(0), changedAttribute);
            Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = NULL WHERE UM_ID = ? AND UM_TENANT_ID = 1", nulledAttribute);
        }
        CatchUp.Outcome applied = pair.catchUp();
        assertTrue(applied.applied(), "applied: " + applied.conflicts());
        assertEquals(AWKWARD.size() + 1 + 2 + 4, applied.rows(), applied.counts().toString());
        try (Connection p = pair.production.connect(); Connection s = pair.staging.connect()) {
            String content = "SELECT REG_CONTENT_ID, REG_CONTENT_DATA FROM REG_CONTENT WHERE REG_TENANT_ID = 1 AND REG_CONTENT_ID >= 300 ORDER BY REG_CONTENT_ID";
            List<byte[]> want = bytes(p, content), got = bytes(s, content);
            assertEquals(4, want.size());
            assertEquals(want.size(), got.size());
            for (int i = 0; i < want.size(); i++) {
                if (want.get(i) == null) assertEquals(null, got.get(i), "REG_CONTENT row " + i);
                else assertArrayEquals(want.get(i), got.get(i), "REG_CONTENT row " + i);
            }
            assertArrayEquals(everyByte, got.get(0));
            String attributes = "SELECT UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID FROM UM_USER_ATTRIBUTE WHERE UM_TENANT_ID = 1 AND UM_USER_ID = "
                    + user2 + " ORDER BY UM_ID";
            List<String> wantAttributes = texts(p, attributes);
            assertEquals(wantAttributes, texts(s, attributes));
            assertTrue(wantAttributes.stream().anyMatch(r -> r.contains("|NULL|default|")) && wantAttributes.stream().anyMatch(r -> r.contains("|nothing|null|null|")),
                    "the text NULL and a NULL both there: " + wantAttributes);
            assertTrue(texts(s, attributes).contains(changedAttribute + "|givenName|" + AWKWARD.get(0) + "|null|" + user2 + "|"), texts(s, attributes).toString());
        }

        // A tester's user on staging holds a name production then gives a new user of another id, beside other new users.
        try (Connection s = pair.staging.connect(); Connection p = pair.production.connect()) {
            Writes.update(s, "INSERT INTO UM_USER (UM_ID, UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME, UM_TENANT_ID)"
                    + " VALUES (951, 'frank', 'eA==', 'salt', ?, ?, 1)", false, Writes.WHEN);
            for (int i = 0; i < 5; i++) {
                Writes.update(p, "INSERT INTO UM_USER (UM_ID, UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME, UM_TENANT_ID)"
                        + " VALUES (?, ?, 'eA==', 'salt', ?, ?, 1)", 70 + i, i == 3 ? "frank" : "new-user-" + i, false, Writes.WHEN);
            }
        }
        CatchUp.Outcome refused = pair.catchUp();
        assertFalse(refused.applied());
        assertEquals(1, refused.conflicts().size(), refused.conflicts().toString());
        assertTrue(refused.conflicts().get(0).toString().startsWith("UM_USER key [73|1]: production inserted it, staging holds another row"),
                refused.conflicts().toString());
        try (Connection s = pair.staging.connect()) {
            assertEquals(0, Writes.single(s, "SELECT COUNT(*) FROM UM_USER WHERE UM_ID BETWEEN 70 AND 74 AND UM_TENANT_ID = 1"), "nothing applied");
        }
    }

    private static List<byte[]> bytes(Connection c, String sql) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getBytes(2));
        }
        return out;
    }

    /** Each row's values joined by '|', a NULL as "null" (the text NULL stays "NULL"). */
    static List<String> texts(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) b.append(rs.getString(i)).append('|');
                out.add(b.toString());
            }
        }
        return out;
    }
}
