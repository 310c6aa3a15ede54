package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The row fingerprints the staging base is made of, computed by each engine itself. */
class RowHashSqlTest {
    private static final List<String> COLUMNS = List.of("ID", "NAME", "CREATED", "DATA", "FLAG");
    private static final List<String> KEY = List.of("NAME", "FLAG");

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void sameValuesHashAlikeAndEveryDifferenceShows(Engine engine) throws Exception {
        TestDatabase db = TestDatabase.fresh(engine, "rowhash_" + engine.profile());
        try (Connection c = db.connect()) {
            String blob = switch (engine) {
                case H2 -> "BINARY LARGE OBJECT";
                case POSTGRESQL -> "BYTEA";
                default -> "LONGBLOB";
            };
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE T (ID INTEGER NOT NULL PRIMARY KEY, NAME VARCHAR(100), CREATED TIMESTAMP NULL, DATA " + blob
                        + ", FLAG SMALLINT)");
            }
            Timestamp t = Timestamp.valueOf("2013-06-14 09:30:00");
            insert(c, 1, "alice", t, new byte[] {1, 2, 3}, 1);
            insert(c, 2, "alice", t, new byte[] {1, 2, 3}, 1);    // the same values as 1
            insert(c, 3, "", t, new byte[] {1, 2, 3}, 1);         // '' where 1 has a name
            insert(c, 4, null, t, new byte[] {1, 2, 3}, 1);       // NULL where 3 has ''
            insert(c, 5, "alice", Timestamp.valueOf("2013-06-14 09:30:01"), new byte[] {1, 2, 3}, 1); // a second later
            insert(c, 6, "alice", t, new byte[] {1, 2, 4}, 1);    // one byte of the large object
            insert(c, 7, "alice", t, null, 1);                    // no large object
            insert(c, 8, "alice", t, new byte[] {1, 2, 3}, 2);    // another number
            insert(c, 9, "ali", t, new byte[] {1, 2, 3}, null);   // shifted values must not imitate row 1's text
            insert(c, 10, "a|b", t, null, 7);
            insert(c, 11, "a^|b", t, null, 7);
            insert(c, 12, "a", t, null, null);

            Map<Integer, Long> hash = new HashMap<>();
            Map<Integer, String> key = new HashMap<>();
            Map<Integer, Integer> bucket = new HashMap<>();
            String rowHash = RowHashSql.rowHash(engine, List.of("NAME", "CREATED", "DATA", "FLAG"), Set.of("DATA"));
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT ID, " + rowHash + ", "
                    + RowHashSql.keyText(engine, KEY) + ", " + RowHashSql.bucket(engine, KEY, 7) + " FROM T")) {
                while (rs.next()) {
                    hash.put(rs.getInt(1), rs.getLong(2));
                    key.put(rs.getInt(1), rs.getString(3));
                    bucket.put(rs.getInt(1), rs.getInt(4));
                }
            }
            assertEquals(hash.get(1), hash.get(2), "same values, same hash");
            for (int other = 3; other <= 9; other++) assertNotEquals(hash.get(1), hash.get(other), "row " + other + " differs from row 1");
            assertNotEquals(hash.get(3), hash.get(4), "NULL and '' differ");

            assertEquals("alice|1", key.get(1));
            assertEquals("a^|b|7", key.get(10), "a separator inside a value is escaped");
            assertEquals("a^^^|b|7", key.get(11), "...and so is the escape character");
            assertEquals("a|^N", key.get(12), "NULL has its own text");
            // Catch-up reads a deleted row's key back from its key text (the row itself is gone on production).
            int[] types = {java.sql.Types.VARCHAR, java.sql.Types.SMALLINT};
            assertEquals(List.of("alice", 1L), List.of(ChangeScan.keyValues(key.get(1), types)));
            assertEquals(List.of("a|b", 7L), List.of(ChangeScan.keyValues(key.get(10), types)));
            assertEquals(List.of("a^|b", 7L), List.of(ChangeScan.keyValues(key.get(11), types)));
            assertEquals(bucket.get(1), bucket.get(2), "the same key, the same bucket");
            bucket.values().forEach(b -> assertTrue(b >= 0 && b < 7, "bucket " + b));

            // Recomputed in a new statement (and a new connection), the same rows hash the same.
            try (Connection again = db.connect(); Statement s = again.createStatement();
                 ResultSet rs = s.executeQuery("SELECT ID, " + rowHash + " FROM T")) {
                while (rs.next()) assertEquals(hash.get(rs.getInt(1)), rs.getLong(2), "row " + rs.getInt(1));
            }
            // A row's hash over all columns matches what the base records for it through StagedTable.
            StagedTable table = new StagedTable("T", List.of("ID"), COLUMNS, Set.of("DATA"), true, 3);
            assertEquals(RowHashSql.rowHash(engine, COLUMNS, Set.of("DATA")), table.rowHash(engine));
        }
    }

    /**
     * MySQL/MariaDB: the bare form of NOT NULL number and date-time columns (RowHashSql.bareColumns) gives every row the
     * very hash and key text of the full form, so a base recorded with either is compared with either: every integer
     * width signed and unsigned, zero-filled, DECIMAL, DATE, TIME (negative too), DATETIME and TIMESTAMP with fractions,
     * beside a latin1 text, a NULL, a text holding the key's separator and escape, and a large object. The columns a
     * NULL or a text may be in are left out of the bare form.
     */
    @org.junit.jupiter.api.Test
    void mariadbBareColumnsHashAndKeyExactlyAsTheFullForm() throws Exception {
        Engine engine = Engine.MYSQL;
        TestDatabase db = TestDatabase.fresh(engine, "rowhash_bare");
        try (Connection c = db.connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE B (ID INT NOT NULL, TENANT SMALLINT NOT NULL, TINY TINYINT NOT NULL, FLAG TINYINT(1) NOT NULL,"
                        + " MID MEDIUMINT UNSIGNED NOT NULL, BIG BIGINT NOT NULL, ZF INT(6) ZEROFILL NOT NULL, AMOUNT DECIMAL(12,3) NOT NULL,"
                        + " DAY DATE NOT NULL, SPAN TIME NOT NULL, STAMP DATETIME(3) NOT NULL, CHANGED TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,"
                        + " MAYBE INT NULL, NAME VARCHAR(50) CHARACTER SET latin1 NOT NULL, NOTE VARCHAR(50) NULL, DATA LONGBLOB,"
                        + " PRIMARY KEY (ID, TENANT)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
                s.execute("INSERT INTO B VALUES (1, -1234, -128, 1, 16777215, -9223372036854775808, 42, -123456789.125, '2013-06-14',"
                        + " '-838:59:59', '2013-06-14 09:30:00.123', '2013-06-14 09:30:00', NULL, 'Ren\u00e9e', NULL, NULL),"
                        + " (2147483647, 32767, 127, 0, 0, 9223372036854775807, 0, 0.000, '1970-01-01', '00:00:00', '9999-12-31 23:59:59.999',"
                        + " '2038-01-19 03:14:07', 7, 'a^|b', '', X'00FF'), (-5, 0, 0, 0, 5, 0, 123456, 1.5, '2000-02-29', '12:34:56',"
                        + " '2000-02-29 00:00:00.000', '2000-02-29 00:00:00', -1, '', 'x|y^z', X'')");
            }
            Map<String, Set<String>> bare = RowHashSql.bareColumns(c, engine);
            assertEquals(Set.of("ID", "TENANT", "TINY", "FLAG", "MID", "BIG", "ZF", "AMOUNT", "DAY", "SPAN", "STAMP", "CHANGED"), bare.get("B"),
                    "NOT NULL numbers and date-times only");
            List<String> columns = List.of("ID", "TENANT", "TINY", "FLAG", "MID", "BIG", "ZF", "AMOUNT", "DAY", "SPAN", "STAMP", "CHANGED", "MAYBE",
                    "NAME", "NOTE", "DATA");
            StagedTable full = new StagedTable("B", List.of("ID", "TENANT"), columns, Set.of("DATA"), true, 3);
            StagedTable lean = full.withBare(bare.get("B"));
            assertNotEquals(full.rowHash(engine), lean.rowHash(engine), "the bare form is other SQL");
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + full.rowHash(engine) + ", " + lean.rowHash(engine) + ", "
                    + full.keyText(engine) + ", " + lean.keyText(engine) + ", " + RowHashSql.keyText(engine, columns.subList(0, 12)) + ", "
                    + RowHashSql.keyText(engine, columns.subList(0, 12), bare.get("B")) + " FROM B")) {
                int rows = 0;
                while (rs.next()) {
                    rows++;
                    assertEquals(rs.getLong(1), rs.getLong(2), "row hash, row " + rows);
                    assertEquals(rs.getString(3), rs.getString(4), "key text, row " + rows);
                    assertEquals(rs.getString(5), rs.getString(6), "key text of every bare column, row " + rows);
                }
                assertEquals(3, rows);
            }
        }
    }

    /**
     * Id-range buckets (StagedTable.bucketWidth): each engine's bucket is the id divided by the width truncated toward
     * zero, negative ids and the 32-bit extremes included, and a set of buckets' id ranges (StagedTable.bucketRanges)
     * selects exactly the rows of those buckets: the predicate catch-up reads a bucket's rows with by the primary key.
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void idRangeBucketsAreTruncatingDivisionAndTheirRangesSelectExactlyTheirRows(Engine engine) throws Exception {
        TestDatabase db = TestDatabase.fresh(engine, "rangebucket_" + engine.profile());
        List<Long> ids = new java.util.ArrayList<>();
        for (long id = -45; id <= 45; id++) ids.add(id);
        ids.addAll(List.of((long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE, Integer.MAX_VALUE - 1L, Integer.MIN_VALUE + 1L));
        try (Connection c = db.connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE R (ID INTEGER NOT NULL, TENANT INTEGER NOT NULL, PRIMARY KEY (ID, TENANT))");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO R (ID, TENANT) VALUES (?, -1234)")) {
                for (long id : ids) {
                    ps.setInt(1, (int) id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            if (!c.getAutoCommit()) c.commit();
            for (long width : new long[] {1, 7, 32, 3_000_000_000L}) {
                StagedTable t = new StagedTable("R", List.of("ID", "TENANT"), List.of("ID", "TENANT"), Set.of(), true, 3, width);
                Map<Long, Integer> bucket = new HashMap<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT ID, " + t.bucket(engine) + " FROM R")) {
                    while (rs.next()) bucket.put(rs.getLong(1), rs.getInt(2));
                }
                for (long id : ids) assertEquals(id / width, (long) bucket.get(id), "bucket of " + id + " at width " + width);
                List<Set<Integer>> sets = List.of(Set.of(0), Set.of(-1), Set.of(1, 2), Set.of(-3, 0, 5), Set.of(-2, -1, 0, 1, 2),
                        new java.util.HashSet<>(List.of(bucket.get((long) Integer.MAX_VALUE), bucket.get((long) Integer.MIN_VALUE))));
                for (Set<Integer> wanted : sets) {
                    Set<Long> expected = new java.util.TreeSet<>();
                    bucket.forEach((id, b) -> {
                        if (wanted.contains(b)) expected.add(id);
                    });
                    Set<Long> selected = new java.util.TreeSet<>();
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT ID FROM R WHERE " + t.bucketRanges(wanted))) {
                        while (rs.next()) selected.add(rs.getLong(1));
                    }
                    assertEquals(expected, selected, "rows of buckets " + wanted + " at width " + width);
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void onlyPlainNamesBecomeSql() {
        for (String hostile : new String[] {"X; DROP TABLE UM_USER", "A B", "\"X\"", "X--", ""}) {
            assertThrows(IllegalArgumentException.class, () -> RowHashSql.rowHash(Engine.H2, List.of(hostile)), hostile);
            assertThrows(IllegalArgumentException.class, () -> RowHashSql.keyText(Engine.H2, List.of(hostile)), hostile);
        }
        assertTrue(RowHashSql.rowHash(Engine.H2, List.of("u.UM_ID")).contains("u.UM_ID"), "an alias may qualify a column");
    }

    private static void insert(Connection c, int id, String name, Timestamp created, byte[] data, Integer flag) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO T (ID, NAME, CREATED, DATA, FLAG) VALUES (?, ?, ?, ?, ?)")) {
            ps.setInt(1, id);
            ps.setString(2, name);
            ps.setTimestamp(3, created);
            ps.setBytes(4, data);
            if (flag == null) ps.setNull(5, java.sql.Types.SMALLINT); else ps.setInt(5, flag);
            ps.executeUpdate();
        }
        if (!c.getAutoCommit()) c.commit();
    }
}
