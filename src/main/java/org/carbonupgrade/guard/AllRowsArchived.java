package org.carbonupgrade.guard;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomPreconditionErrorException;
import liquibase.exception.CustomPreconditionFailedException;
import liquibase.precondition.CustomPrecondition;

import org.carbonupgrade.gate.GateRunner;
import org.carbonupgrade.schema.SchemaReader;

/**
 * Guards dropping a 4.0.x table: holds when the table exists and every row of it is in its archive (matched on
 * the key); fails (the changeset is marked ran) when the table is gone already; stops the run with an error
 * when a row is not archived, because dropping the table would lose it.
 */
public class AllRowsArchived implements CustomPrecondition {
    private String table;
    private String archive;
    private String[] key;

    public void setTable(String table) {
        this.table = table.toUpperCase(Locale.ROOT);
    }

    public void setArchive(String archive) {
        this.archive = archive.toUpperCase(Locale.ROOT);
    }

    public void setKey(String key) {
        this.key = Arrays.stream(key.split(",")).map(c -> c.trim().toUpperCase(Locale.ROOT)).toArray(String[]::new);
    }

    @Override
    public void check(Database database) throws CustomPreconditionFailedException, CustomPreconditionErrorException {
        if (!(database.getConnection() instanceof JdbcConnection jdbc)) {
            return; // offline SQL for review: the archive and delete steps printed before this one empty the table
        }
        try {
            Connection c = jdbc.getUnderlyingConnection();
            var tables = new SchemaReader(c).tableNames();
            String actual = tables.get(table) == null ? null : database.escapeTableName(null, null, tables.get(table));
            if (actual == null) throw new CustomPreconditionFailedException(table + " does not exist (dropped already)");
            if (GateRunner.reviewOnly(database)) {
                return; // live updateSQL: the archive and delete steps were printed above, not run; the real run checks
            }
            String archived = tables.get(archive) == null ? null : database.escapeTableName(null, null, tables.get(archive));
            String match = Arrays.stream(key).map(k -> "a." + k + " = t." + k).collect(Collectors.joining(" AND "));
            String unarchived = archived == null ? " FROM " + actual + " t"
                    : " FROM " + actual + " t WHERE NOT EXISTS (SELECT 1 FROM " + archived + " a WHERE " + match + ")";
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*)" + unarchived)) {
                rs.next();
                long missing = rs.getLong(1);
                if (missing > 0) {
                    throw new CustomPreconditionErrorException(missing + " rows of " + table + " are not in " + archive
                            + " (written after the archive step ran: was a Carbon server started on this half-upgraded"
                            + " database?), so dropping " + table + " would lose them. Nothing was dropped. Inspect them with: SELECT t.*"
                            + unarchived + " ; copy them into " + archive + " with the statement of changeset"
                            + " um-claim-behavior-archive-rows (changelogs/carbon/um-claim.xml), then run the update again.");
                }
            }
        } catch (SQLException e) {
            throw new CustomPreconditionErrorException("Cannot read " + table + " and " + archive + ": " + e.getMessage(), e);
        }
    }
}
