package org.carbonupgrade.guard;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomPreconditionErrorException;
import liquibase.exception.CustomPreconditionFailedException;
import liquibase.precondition.CustomPrecondition;

import org.carbonupgrade.schema.SchemaReader;

/** Holds when no row has this value in this column: a seed row is inserted exactly once, also on a re-run. */
public class RowAbsent implements CustomPrecondition {
    private String table;
    private String column;
    private String value;

    public void setTable(String table) {
        this.table = table;
    }

    public void setColumn(String column) {
        this.column = column;
    }

    public void setValue(String value) {
        this.value = value;
    }

    @Override
    public void check(Database database) throws CustomPreconditionFailedException, CustomPreconditionErrorException {
        if (!(database.getConnection() instanceof JdbcConnection jdbc)) {
            return; // offline SQL for review: a fresh 4.0.0 database lacks the row; the real run checks again
        }
        try {
            if (!new SchemaReader(jdbc.getUnderlyingConnection()).tableNames().containsKey(table.toUpperCase(Locale.ROOT))) {
                return; // updateSQL: the table is created earlier in the same review, so it has no row yet
            }
        } catch (SQLException e) {
            throw new CustomPreconditionErrorException("Cannot read the catalog for " + table + ": " + e.getMessage(), e);
        }
        String sql = "SELECT COUNT(*) FROM " + database.escapeTableName(null, null, table) + " WHERE " + column + " = ?";
        try (PreparedStatement ps = jdbc.getUnderlyingConnection().prepareStatement(sql)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) throw new CustomPreconditionFailedException(table + " already has " + column + " = " + value);
            }
        } catch (SQLException e) {
            throw new CustomPreconditionErrorException("Cannot read " + table + ": " + e.getMessage(), e);
        }
    }
}
