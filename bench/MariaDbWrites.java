import java.sql.*;
import java.util.*;

// Benchmark (not a test) of ways to write many rows by primary key on MariaDB (docs/benchmark.md, branch s27-mypass):
// 3,000 UM_USER_ATTRIBUTE rows (every 613th id from an offset), each run rolled back. Methods:
//   batch  - UPDATE ... WHERE UM_ID = ? AND UM_TENANT_ID = ? per row as one JDBC batch (rewriteBatchedStatements on, as
//            catch-up connects: one multi-statement round trip, the server still parses and runs each statement)
//   tvc    - 1,000 rows per UPDATE joined to a VALUES table by key (GroupedUpdates)
//   delor  - DELETE ... WHERE (UM_ID = ? AND UM_TENANT_ID = ?) OR ... 200 keys per statement (RowWriter.deleteGrouped)
//   delin  - DELETE ... WHERE (UM_ID, UM_TENANT_ID) IN ((?, ?), ...) 1,000 keys per statement
//   deltvc - DELETE w FROM (VALUES table) u STRAIGHT_JOIN UM_USER_ATTRIBUTE w ON the key, 1,000 keys per statement
// Usage, on a database holding a copy of a seed's UM_USER_ATTRIBUTE (no foreign keys needed), e.g.
//   CREATE TABLE UM_USER_ATTRIBUTE LIKE cu_bench_seed_mysql_10000x100.UM_USER_ATTRIBUTE (then INSERT ... SELECT):
//   java -cp ~/.m2/repository/com/mysql/mysql-connector-j/9.5.0/mysql-connector-j-9.5.0.jar bench/MariaDbWrites.java <database> <method> <offset>
// The same offset twice reads warm pages the second time; another offset reads other rows.
public class MariaDbWrites {
    public static void main(String[] a) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "root");
        p.setProperty("password", "");
        p.setProperty("rewriteBatchedStatements", "true");
        String table = "UM_USER_ATTRIBUTE";
        try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:3306/" + a[0], p)) {
            c.setAutoCommit(false);
            List<int[]> keys = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT UM_ID, UM_TENANT_ID FROM " + table + " WHERE UM_ID % 613 = " + Integer.parseInt(a[2]) + " LIMIT 3000")) {
                while (rs.next()) keys.add(new int[] {rs.getInt(1), rs.getInt(2)});
            }
            long t0 = System.nanoTime();
            int n = 0;
            switch (a[1]) {
                case "batch" -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET UM_ATTR_NAME = ?, UM_ATTR_VALUE = ?, UM_PROFILE_ID = ? WHERE UM_ID = ? AND UM_TENANT_ID = ?")) {
                        for (int[] k : keys) {
                            ps.setString(1, "mail");
                            ps.setString(2, "v" + k[0]);
                            ps.setString(3, "default");
                            ps.setInt(4, k[0]);
                            ps.setInt(5, k[1]);
                            ps.addBatch();
                        }
                        for (int x : ps.executeBatch()) n += x;
                    }
                }
                case "tvc" -> {
                    for (List<int[]> g : chunks(keys, 1000)) {
                        String sql = "UPDATE (WITH v (c1, c2, c3, k1, k2) AS (VALUES " + String.join(", ", Collections.nCopies(g.size(), "(?, ?, ?, ?, ?)"))
                                + ") SELECT * FROM v) AS u STRAIGHT_JOIN " + table + " AS w ON w.UM_ID = u.k1 AND w.UM_TENANT_ID = u.k2"
                                + " SET w.UM_ATTR_NAME = u.c1, w.UM_ATTR_VALUE = u.c2, w.UM_PROFILE_ID = u.c3";
                        try (PreparedStatement ps = c.prepareStatement(sql)) {
                            int q = 0;
                            for (int[] k : g) {
                                ps.setString(++q, "mail");
                                ps.setString(++q, "w" + k[0]);
                                ps.setString(++q, "default");
                                ps.setInt(++q, k[0]);
                                ps.setInt(++q, k[1]);
                            }
                            n += ps.executeUpdate();
                        }
                    }
                }
                case "delor" -> n = deleteKeys(c, keys, 200, g -> "DELETE FROM " + table + " WHERE "
                        + String.join(" OR ", Collections.nCopies(g, "(UM_ID = ? AND UM_TENANT_ID = ?)")));
                case "delin" -> n = deleteKeys(c, keys, 1000, g -> "DELETE FROM " + table + " WHERE (UM_ID, UM_TENANT_ID) IN ("
                        + String.join(", ", Collections.nCopies(g, "(?, ?)")) + ")");
                case "deltvc" -> n = deleteKeys(c, keys, 1000, g -> "DELETE w FROM (WITH v (k1, k2) AS (VALUES " + String.join(", ", Collections.nCopies(g, "(?, ?)"))
                        + ") SELECT * FROM v) AS u STRAIGHT_JOIN " + table + " AS w ON w.UM_ID = u.k1 AND w.UM_TENANT_ID = u.k2");
                default -> throw new IllegalArgumentException("method: batch, tvc, delor, delin or deltvc");
            }
            long t1 = System.nanoTime();
            c.rollback();
            System.out.println(a[1] + " " + keys.size() + " keys, " + n + " rows, " + (t1 - t0) / 1000000 + " ms");
        }
    }

    private static int deleteKeys(Connection c, List<int[]> keys, int per, java.util.function.IntFunction<String> sql) throws SQLException {
        int n = 0;
        for (List<int[]> g : chunks(keys, per)) {
            try (PreparedStatement ps = c.prepareStatement(sql.apply(g.size()))) {
                int q = 0;
                for (int[] k : g) {
                    ps.setInt(++q, k[0]);
                    ps.setInt(++q, k[1]);
                }
                n += ps.executeUpdate();
            }
        }
        return n;
    }

    private static List<List<int[]>> chunks(List<int[]> keys, int per) {
        List<List<int[]>> out = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += per) out.add(keys.subList(from, Math.min(keys.size(), from + per)));
        return out;
    }
}
