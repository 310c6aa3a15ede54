package org.carbonupgrade.rehearsal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.carbonupgrade.Engine;

/**
 * The seeders write explicit ids so every rehearsal database is the same. SQL Server accepts them only with
 * IDENTITY_INSERT on; WSO2's Oracle triggers overwrite them, so the triggers are off while seeding and the
 * sequences are moved past the ids afterwards.
 */
public final class ExplicitIds {
    private static final Pattern INSERT_INTO = Pattern.compile("INSERT INTO (\\w+)");

    private ExplicitIds() {
    }

    interface Work {
        void run() throws SQLException;
    }

    /**
     * Runs the seeding in one transaction with Oracle's id triggers off, then moves every id generator past
     * the explicit ids ({@code advance} covers PostgreSQL and H2; MySQL and SQL Server move by themselves).
     */
    static void seed(Connection c, Work seeding, Work advance) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            oracleTriggers(c, false);
            seeding.run();
            c.commit();
            advance.run();
            oracleTriggers(c, true);
            oracleSequencesPastIds(c);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** Moves one PostgreSQL sequence or H2 identity column to {@code next}. */
    static void advance(Connection c, String table, String column, String sequence, long next) throws SQLException {
        switch (Engine.of(c)) {
            case POSTGRESQL -> execute(c, "SELECT setval('" + sequence + "', " + next + ", false)");
            case H2 -> execute(c, "ALTER TABLE " + table + " ALTER COLUMN " + column + " RESTART WITH " + next);
            default -> { }
        }
    }

    public static String sqlServerIdentityTable(Connection c, String insert) throws SQLException {
        if (Engine.of(c) != Engine.MSSQL) return null;
        Matcher m = INSERT_INTO.matcher(insert);
        if (!m.find()) return null;
        try (PreparedStatement ps = c.prepareStatement("SELECT OBJECTPROPERTY(OBJECT_ID(?), 'TableHasIdentity')")) {
            ps.setString(1, m.group(1));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1 ? m.group(1) : null;
            }
        }
    }

    public static void oracleTriggers(Connection c, boolean enabled) throws SQLException {
        if (Engine.of(c) != Engine.ORACLE) return;
        List<String> triggers = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT trigger_name FROM user_triggers")) {
            while (rs.next()) triggers.add(rs.getString(1));
        }
        for (String t : triggers) execute(c, "ALTER TRIGGER " + t + (enabled ? " ENABLE" : " DISABLE"));
    }

    /** Oracle: restart each trigger's sequence past the highest id of its table. */
    static void oracleSequencesPastIds(Connection c) throws SQLException {
        if (Engine.of(c) != Engine.ORACLE) return;
        List<String[]> pairs = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT t.table_name, d.referenced_name FROM user_triggers t JOIN user_dependencies d"
                + " ON d.name = t.trigger_name AND d.type = 'TRIGGER' AND d.referenced_type = 'SEQUENCE'")) {
            while (rs.next()) pairs.add(new String[] {rs.getString(1), rs.getString(2)});
        }
        for (String[] p : pairs) {
            String column = p[0].startsWith("REG_") ? idColumnOfRegistry(p[0]) : "UM_ID";
            long next = 1;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(" + column + "), 0) + 1 FROM " + p[0])) {
                if (rs.next()) next = rs.getLong(1);
            } catch (SQLException e) {
                continue; // a table whose id column is named otherwise has no seeded rows
            }
            execute(c, "ALTER SEQUENCE " + p[1] + " RESTART START WITH " + next);
        }
    }

    private static String idColumnOfRegistry(String table) {
        return switch (table) {
            case "REG_RESOURCE" -> "REG_VERSION";
            case "REG_PROPERTY", "REG_TAG", "REG_COMMENT", "REG_RATING", "REG_ASSOCIATION" -> "REG_ID";
            default -> table + "_ID";
        };
    }

    public static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
