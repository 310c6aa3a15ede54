package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

import org.carbonupgrade.Engine;

/**
 * CARBON_UPGRADE_CATCHUP on staging: one row per catch-up pass, applied or refused, with the rows per table and the
 * conflicts. Created by catch-up itself (never by the upgrade: an in-place upgrade has no catch-up). An applied pass
 * writes its row in the pass's own transaction, so a killed pass leaves no row; a refused pass writes its row in a
 * transaction of its own after everything else was rolled back.
 */
final class CatchUpAudit {
    static final String TABLE = "CARBON_UPGRADE_CATCHUP";

    private CatchUpAudit() {
    }

    /** Creates the table when absent; DDL, so before the pass's transaction (MySQL commits on DDL). */
    static void ensure(Connection c, Engine engine) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), engine == Engine.POSTGRESQL ? c.getSchema() : null,
                engine == Engine.POSTGRESQL ? TABLE.toLowerCase() : TABLE, null)) {
            if (rs.next()) return;
        }
        String text = switch (engine) {
            case POSTGRESQL -> "TEXT";
            case MYSQL -> "LONGTEXT";
            case MSSQL -> "NVARCHAR(MAX)";
            default -> "CLOB";
        };
        // Fractions of a second: passes follow each other within one second. MySQL: DATETIME, as its first TIMESTAMP
        // column would silently get ON UPDATE CURRENT_TIMESTAMP on servers without explicit_defaults_for_timestamp.
        String timestamp = switch (engine) {
            case MSSQL -> "DATETIME2";
            case MYSQL -> "DATETIME(6)";
            default -> "TIMESTAMP";
        };
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + TABLE + " (PASS_ID VARCHAR(36) NOT NULL, PASS_NO INTEGER NOT NULL, STARTED_AT " + timestamp + " NOT NULL, FINISHED_AT "
                    + timestamp + " NOT NULL, OUTCOME VARCHAR(10) NOT NULL, SOURCE_URL VARCHAR(1000), ROWS_APPLIED INTEGER NOT NULL,"
                    + " TABLE_COUNTS " + text + ", CONFLICTS " + text + ", CONSTRAINT PK_" + TABLE + " PRIMARY KEY (PASS_ID))");
        }
        if (!c.getAutoCommit()) c.commit();
    }

    /**
     * One pass's row. PASS_NO numbers the passes in order (times alone do not: a MySQL driver may drop the fractions
     * of a second); two passes never record at once, as each holds the stage row's lock or records after its own end.
     */
    static void record(Connection c, String passId, Instant started, String outcome, String sourceUrl, int rows,
            String tableCounts, String conflicts) throws SQLException {
        int number;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(PASS_NO), 0) + 1 FROM " + TABLE)) {
            rs.next();
            number = rs.getInt(1);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                + " (PASS_ID, PASS_NO, STARTED_AT, FINISHED_AT, OUTCOME, SOURCE_URL, ROWS_APPLIED, TABLE_COUNTS, CONFLICTS) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, passId);
            ps.setInt(2, number);
            ps.setTimestamp(3, Timestamp.from(started));
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.setString(5, outcome);
            ps.setString(6, sourceUrl);
            ps.setInt(7, rows);
            ps.setString(8, tableCounts);
            ps.setString(9, conflicts);
            ps.executeUpdate();
        }
    }
}
