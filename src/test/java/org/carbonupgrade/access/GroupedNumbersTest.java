package org.carbonupgrade.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * The access check's reads that keep less live for the catch-up pass's serial collector give what the plain reads gave:
 * AccessSql.groupedNumbers (on PostgreSQL one row of arrays, parsed here) the rows of AccessSql.grouped, NULLs, negative
 * numbers and the extremes of BIGINT included, in the same order, and nothing for an empty result.
 */
class GroupedNumbersTest {
    @Test
    void theArraysGiveTheRowsOfThePlainRead() throws Exception {
        TestDatabase db = TestDatabase.fresh(Engine.POSTGRESQL, "grouped_numbers");
        try (Connection c = db.connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE N (ID INTEGER, T INTEGER, D INTEGER, B BIGINT)");
                s.execute("INSERT INTO N VALUES (1, -1234, NULL, 9223372036854775807), (2, 0, 7, -9223372036854775808),"
                        + " (3, 2147483647, -2147483648, 0), (4, 5, NULL, NULL), (5, -1, 12, -42)");
            }
            AccessSql sql = new AccessSql(c);
            String query = "SELECT T, D, B, ID FROM N ORDER BY ID";
            List<String> plain = new ArrayList<>();
            sql.grouped(query, rs -> {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= 4; i++) b.append(rs.getObject(i) == null ? "null" : rs.getLong(i)).append(' ');
                plain.add(b.toString());
            });
            assertEquals(plain, numbers(sql, query, 4));
            assertEquals(5, plain.size());
            assertTrue(numbers(sql, "SELECT T, D FROM N WHERE ID > 100", 2).isEmpty());
            // A grouped query as the access check's: the counts and sums per group.
            assertEquals(numbersOfGrouped(sql), numbers(sql, "SELECT T, COUNT(*), SUM(B) FROM N GROUP BY T ORDER BY T", 3));
        }
    }

    private static List<String> numbersOfGrouped(AccessSql sql) throws SQLException {
        List<String> out = new ArrayList<>();
        sql.grouped("SELECT T, COUNT(*), SUM(B) FROM N GROUP BY T ORDER BY T", rs -> {
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= 3; i++) b.append(rs.getObject(i) == null ? "null" : rs.getLong(i)).append(' ');
            out.add(b.toString());
        });
        return out;
    }

    private static List<String> numbers(AccessSql sql, String query, int columns) throws SQLException {
        List<String> out = new ArrayList<>();
        sql.groupedNumbers(query, columns, row -> {
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= columns; i++) b.append(row.isNull(i) ? "null" : row.get(i)).append(' ');
            out.add(b.toString());
        });
        return out;
    }
}
