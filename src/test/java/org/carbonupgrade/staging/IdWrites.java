package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;

import org.carbonupgrade.support.SeededIds;

/**
 * The production writes the scans that read by ids are held to (BinlogScanTest: MariaDB's binary log; SlotScanTest:
 * PostgreSQL's logical decoding), in two rounds on UM_USER_ATTRIBUTE (key UM_ID, UM_TENANT_ID): first an update, a
 * delete, an insert and a second row of an existing id (the super tenant's beside tenant 1's); then that id's two rows,
 * one updated and one deleted, and a key given another id (its old id deleted, its new one inserted).
 */
record IdWrites(int updated, int deleted, int shared, int movedFrom, int movedTo, int inserted) {
    private static final String ATTRIBUTE = "UM_USER_ATTRIBUTE ";

    /** The first round, on production; {@code value}: the inserted row's value. */
    static IdWrites first(Connection p, String value) throws SQLException {
        int updated = SeededIds.attribute(p, 1, "user2", "mail");
        int inserted = SeededIds.next(p, "UM_USER_ATTRIBUTE", "UM_ID") + 10;
        IdWrites w = new IdWrites(updated, SeededIds.attribute(p, 1, "user3", "mail"), SeededIds.attribute(p, 1, "user4", "givenName"),
                SeededIds.attribute(p, 1, "user2", "givenName"), inserted + 3_000, inserted);
        Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'first' WHERE UM_ID = ? AND UM_TENANT_ID = 1", w.updated);
        Writes.update(p, "DELETE FROM UM_USER_ATTRIBUTE WHERE UM_ID = ? AND UM_TENANT_ID = 1", w.deleted);
        int user = (int) Writes.single(p, "SELECT UM_USER_ID FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + w.updated + " AND UM_TENANT_ID = 1");
        Writes.update(p, "INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID)"
                + " VALUES (?, 'nickName', ?, 'default', ?, 1)", w.inserted, value, user);
        Writes.update(p, "INSERT INTO UM_USER_ATTRIBUTE (UM_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_USER_ID, UM_TENANT_ID)"
                + " VALUES (?, 'nickName', 'shared id', 'default', ?, -1234)", w.shared, SeededIds.user(p, -1234, "admin"));
        return w;
    }

    Set<Long> firstIds() {
        return Set.of((long) updated, (long) deleted, (long) inserted, (long) shared);
    }

    Map<String, String> firstChanges() {
        return Map.of(ATTRIBUTE + updated + "|1", "UPDATE", ATTRIBUTE + deleted + "|1", "DELETE", ATTRIBUTE + inserted + "|1", "INSERT",
                ATTRIBUTE + shared + "|-1234", "INSERT");
    }

    /** The second round, on production. */
    void second(Connection p) throws SQLException {
        Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_VALUE = 'changed' WHERE UM_ID = ? AND UM_TENANT_ID = 1", shared);
        Writes.update(p, "DELETE FROM UM_USER_ATTRIBUTE WHERE UM_ID = ? AND UM_TENANT_ID = -1234", shared);
        Writes.update(p, "UPDATE UM_USER_ATTRIBUTE SET UM_ID = ? WHERE UM_ID = ? AND UM_TENANT_ID = 1", movedTo, movedFrom);
    }

    Map<String, String> secondChanges() {
        return Map.of(ATTRIBUTE + shared + "|1", "UPDATE", ATTRIBUTE + shared + "|-1234", "DELETE", ATTRIBUTE + movedFrom + "|1", "DELETE",
                ATTRIBUTE + movedTo + "|1", "INSERT");
    }

    /** The second round reached staging. */
    void assertSecondApplied(Connection s) throws SQLException {
        assertEquals(1, Writes.single(s, "SELECT COUNT(*) FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + shared + " AND UM_TENANT_ID = 1"
                + " AND UM_ATTR_VALUE = 'changed'"));
        assertEquals(0, Writes.single(s, "SELECT COUNT(*) FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + shared + " AND UM_TENANT_ID = -1234"));
        assertEquals(1, Writes.single(s, "SELECT COUNT(*) FROM UM_USER_ATTRIBUTE WHERE UM_ID = " + movedTo + " AND UM_TENANT_ID = 1"));
    }
}
