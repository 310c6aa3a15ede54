import java.sql.*;
import java.util.*;

// Benchmark (not a test) of RowWriter's two ways of writing many rows on PostgreSQL (docs/benchmark.md "PostgreSQL
// writes set-based"): the same 800 UM_USER updates, 1,600 UM_USER_ATTRIBUTE updates and 480 attribute deletes, as a JDBC
// batch of one statement per row (the driver's reWriteBatchedInserts on, as catch-up connects) or as one statement per
// table over unnest(text arrays); each run rolled back, so a database is left as it was. Usage, on a staged database
// such as bench/catchup.sh's <prefix>stg_saved (or a copy of it, for a cold first run):
//   java -cp ~/.m2/repository/org/postgresql/postgresql/42.7.8/postgresql-42.7.8.jar bench/SetWrites.java <rounds> <database> <row|set|both>
public class SetWrites {
    public static void main(String[] a) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("reWriteBatchedInserts", "true");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + a[1], p)) {
            c.setAutoCommit(false);
            List<Object[]> users = new ArrayList<>(), attrs = new ArrayList<>(), dels = new ArrayList<>();
            try (Statement s = c.createStatement()) {
                ResultSet rs = s.executeQuery("SELECT um_id, um_tenant_id, um_user_name, um_user_password, um_salt_value, um_require_change, um_changed_time FROM um_user WHERE um_id % 1000 = 3 LIMIT 800");
                while (rs.next()) users.add(new Object[] {rs.getObject(1), rs.getObject(2), rs.getObject(3), rs.getObject(4), rs.getObject(5), rs.getObject(6), rs.getObject(7)});
                rs = s.executeQuery("SELECT um_id, um_tenant_id, um_attr_name, um_attr_value, um_profile_id, um_user_id FROM um_user_attribute WHERE um_id % 1000 = 5 LIMIT 1600");
                while (rs.next()) attrs.add(new Object[] {rs.getObject(1), rs.getObject(2), rs.getObject(3), rs.getObject(4), rs.getObject(5), rs.getObject(6)});
                rs = s.executeQuery("SELECT um_id, um_tenant_id FROM um_user_attribute WHERE um_id % 1000 = 9 LIMIT 480");
                while (rs.next()) dels.add(new Object[] {rs.getObject(1), rs.getObject(2)});
            }
            for (int round = 0; round < Integer.parseInt(a[0]); round++) {
                for (boolean set : a[2].equals("both") ? new boolean[] {false, true} : new boolean[] {a[2].equals("set")}) {
                    long t0 = System.nanoTime();
                    if (!set) {
                        try (PreparedStatement ps = c.prepareStatement("UPDATE UM_USER SET UM_USER_NAME = ?, UM_USER_PASSWORD = ?, UM_SALT_VALUE = ?, UM_REQUIRE_CHANGE = ?, UM_CHANGED_TIME = ? WHERE UM_ID = ? AND UM_TENANT_ID = ?")) {
                            for (Object[] r : users) { ps.setObject(1, r[2]); ps.setObject(2, r[3]); ps.setObject(3, r[4]); ps.setObject(4, r[5]); ps.setObject(5, r[6]); ps.setObject(6, r[0]); ps.setObject(7, r[1]); ps.addBatch(); }
                            ps.executeBatch();
                        }
                        try (PreparedStatement ps = c.prepareStatement("UPDATE UM_USER_ATTRIBUTE SET UM_ATTR_NAME = ?, UM_ATTR_VALUE = ?, UM_PROFILE_ID = ?, UM_USER_ID = ? WHERE UM_ID = ? AND UM_TENANT_ID = ?")) {
                            for (Object[] r : attrs) { ps.setObject(1, r[2]); ps.setObject(2, r[3]); if (r[4] == null) ps.setNull(3, Types.VARCHAR); else ps.setObject(3, r[4]); ps.setObject(4, r[5]); ps.setObject(5, r[0]); ps.setObject(6, r[1]); ps.addBatch(); }
                            ps.executeBatch();
                        }
                        try (PreparedStatement ps = c.prepareStatement("DELETE FROM UM_USER_ATTRIBUTE WHERE UM_ID = ? AND UM_TENANT_ID = ?")) {
                            for (Object[] r : dels) { ps.setObject(1, r[0]); ps.setObject(2, r[1]); ps.addBatch(); }
                            ps.executeBatch();
                        }
                    } else {
                        try (PreparedStatement ps = c.prepareStatement("UPDATE UM_USER AS w SET UM_USER_NAME = u.v3::character varying, UM_USER_PASSWORD = u.v4::character varying, UM_SALT_VALUE = u.v5::character varying, UM_REQUIRE_CHANGE = u.v6::boolean, UM_CHANGED_TIME = u.v7::timestamp without time zone FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u(v1, v2, v3, v4, v5, v6, v7) WHERE w.UM_ID = u.v1::integer AND w.UM_TENANT_ID = u.v2::integer")) {
                            for (int i = 0; i < 7; i++) { String[] col = new String[users.size()]; for (int r = 0; r < col.length; r++) col[r] = users.get(r)[i] == null ? null : users.get(r)[i].toString(); ps.setArray(i + 1, c.createArrayOf("text", col)); }
                            ps.executeUpdate();
                        }
                        try (PreparedStatement ps = c.prepareStatement("UPDATE UM_USER_ATTRIBUTE AS w SET UM_ATTR_NAME = u.v3::character varying, UM_ATTR_VALUE = u.v4::character varying, UM_PROFILE_ID = u.v5::character varying, UM_USER_ID = u.v6::integer FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u(v1, v2, v3, v4, v5, v6) WHERE w.UM_ID = u.v1::integer AND w.UM_TENANT_ID = u.v2::integer")) {
                            for (int i = 0; i < 6; i++) { String[] col = new String[attrs.size()]; for (int r = 0; r < col.length; r++) col[r] = attrs.get(r)[i] == null ? null : attrs.get(r)[i].toString(); ps.setArray(i + 1, c.createArrayOf("text", col)); }
                            ps.executeUpdate();
                        }
                        try (PreparedStatement ps = c.prepareStatement("DELETE FROM UM_USER_ATTRIBUTE AS w USING unnest(?::text[], ?::text[]) AS u(v1, v2) WHERE w.UM_ID = u.v1::integer AND w.UM_TENANT_ID = u.v2::integer")) {
                            for (int i = 0; i < 2; i++) { String[] col = new String[dels.size()]; for (int r = 0; r < col.length; r++) col[r] = dels.get(r)[i].toString(); ps.setArray(i + 1, c.createArrayOf("text", col)); }
                            ps.executeUpdate();
                        }
                    }
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    c.rollback();
                    System.out.println("round " + round + (set ? " set-based " : " per-row batch ") + ms + " ms (800 + 1600 updates, 480 deletes)");
                }
            }
        }
    }
}
