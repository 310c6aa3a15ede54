package org.carbonupgrade.change;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

import liquibase.Scope;
import liquibase.change.custom.CustomSqlChange;
import liquibase.database.Database;
import liquibase.database.PreparedStatementFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomChangeException;
import liquibase.exception.DatabaseException;
import liquibase.exception.ValidationErrors;
import liquibase.statement.ExecutablePreparedStatement;
import liquibase.statement.SqlStatement;
import liquibase.statement.core.CommentStatement;
import liquibase.statement.core.RawSqlStatement;

import org.carbonupgrade.gate.GateRunner;

/**
 * MySQL/MariaDB: a foreign key to UM_DOMAIN added in place rather than by a copy of the whole table. With
 * foreign_key_checks on, InnoDB adds a foreign key only with ALGORITHM=COPY (it rebuilds the table, inserting every row
 * into every index one by one, checking each row on the way: 59 s for UM_HYBRID_USER_ROLE at 10M rows, in one transaction);
 * with foreign_key_checks off it adds it in place, and with the index the key needs already built (the changeset before,
 * a sorted in-place build) only writes the key into the dictionary, but then checks no row. So the rows are checked here,
 * by the engine's own test (every column of the key set and no referenced row with those values), through that index (its
 * distinct values, a few per tenant): before the key is added, refused with the rows named and nothing changed; and again
 * after it, because a row written in between (a writer the gate did not see) would otherwise slip in unchecked. The ALTER
 * holds LOCK=SHARED, and once the key exists the engine checks every write itself. A row found after makes the key go
 * again (its index stays, and the next run's key uses it) and the run refuse. foreign_key_checks is set back to what the
 * session had, whatever happened. Constraint, columns, ON DELETE CASCADE and index (named after the constraint, as the
 * engine names the one it creates for a key) are what addForeignKeyConstraint gave.
 *
 * <p>Review (updateSQL) prints the check as a statement that fails (error 1242, "Subquery returns more than 1 row") when a
 * row has no referenced row, the session setting, the ALTER, the setting's restore, and the check again.
 *
 * <p>With {@code rowsOnly}, the step after (guard ForeignKeyLeftUnchecked): only the check, for a key a run added and did not
 * check again (stopped after its ALTER committed, or its connection lost before the key could go again); the next run finds
 * the key and marks the step above ran, so the rows are checked here, refused by name as above.
 */
public class AddForeignKeyInPlace extends PlainCustomChange implements CustomSqlChange {
    /** The tables this change may touch: the names become SQL, so they come from these lists only. */
    private static final Set<String> TABLES = Set.of("UM_HYBRID_USER_ROLE", "UM_ROLE_PERMISSION");
    private static final Set<String> REFERENCED = Set.of("UM_DOMAIN");
    private static final String NAME = "[A-Z][A-Z0-9_]*";
    private static final int NAMED_ROWS = 5;

    private String table;
    private List<String> columns = List.of();
    private String refTable;
    private List<String> refColumns = List.of();
    private String constraintName;
    private boolean rowsOnly;

    public void setTable(String table) {
        this.table = table.trim().toUpperCase(Locale.ROOT);
    }

    public void setColumns(String columns) {
        this.columns = names(columns);
    }

    public void setRefTable(String refTable) {
        this.refTable = refTable.trim().toUpperCase(Locale.ROOT);
    }

    public void setRefColumns(String refColumns) {
        this.refColumns = names(refColumns);
    }

    public void setConstraintName(String constraintName) {
        this.constraintName = constraintName.trim().toUpperCase(Locale.ROOT);
    }

    public void setRowsOnly(String rowsOnly) {
        this.rowsOnly = Boolean.parseBoolean(rowsOnly.trim());
    }

    private static List<String> names(String list) {
        return Arrays.stream(list.split(",")).map(c -> c.trim().toUpperCase(Locale.ROOT)).toList();
    }

    @Override
    public SqlStatement[] generateStatements(Database database) throws CustomChangeException {
        if (database.getConnection() instanceof JdbcConnection && !GateRunner.reviewOnly(database)) {
            return new SqlStatement[] {new Adding(this)};
        }
        if (rowsOnly) {
            return new SqlStatement[] {
                new CommentStatement("The foreign key " + constraintName + " is there, but the run that added it in place stopped"
                        + " before it checked the rows again.\n-- This statement fails with error 1242 (\"Subquery returns more than 1"
                        + " row\") when a row of " + table + " has no row in " + refTable + ". List them with:\n-- " + orphanRows()
                        + "\n-- Point each at its tenant's domain in " + refTable + " or delete it, then run this again."),
                new RawSqlStatement(refusingCheck())};
        }
        return new SqlStatement[] {
            new CommentStatement("With foreign_key_checks on, MySQL/MariaDB add a foreign key only by copying the whole table;"
                    + " with it off they add it\n-- in place (ALGORITHM=INPLACE; its index is built above) but check no row. So the first statement"
                    + " checks every row of " + table + " first:\n-- it fails with error 1242 (\"Subquery returns more than 1"
                    + " row\") when a row's (" + String.join(", ", columns) + ") has no row\n-- in " + refTable
                    + ", and nothing is changed. List those rows with:\n-- " + orphanRows() + "\n-- Point each at its tenant's"
                    + " domain in " + refTable + " or delete it, then run this again. The check runs once more after\n-- the"
                    + " ALTER, for a row written in between. The tool runs the same checks and names the rows; if the second"
                    + " finds one\n-- it drops the foreign key again before it refuses."),
            new RawSqlStatement(refusingCheck()),
            new RawSqlStatement("SET @CARBON_UPGRADE_FOREIGN_KEY_CHECKS = @@SESSION.foreign_key_checks, SESSION foreign_key_checks = 0"),
            new RawSqlStatement(alter()),
            new RawSqlStatement("SET SESSION foreign_key_checks = @CARBON_UPGRADE_FOREIGN_KEY_CHECKS"),
            new RawSqlStatement(refusingCheck())};
    }

    /**
     * The key's distinct values (read from its index) that no referenced row holds: a table of a few rows per tenant, empty
     * when every row passes the engine's own test of the key (every column set and a referenced row with those values).
     */
    private String orphanValues() {
        StringBuilder sql = new StringBuilder("SELECT h.* FROM (SELECT DISTINCT ");
        sql.append(String.join(", ", columns)).append(" FROM ").append(table).append(" WHERE ");
        for (int i = 0; i < columns.size(); i++) sql.append(i > 0 ? " AND " : "").append(columns.get(i)).append(" IS NOT NULL");
        sql.append(") h WHERE NOT EXISTS (SELECT 1 FROM ").append(refTable).append(" d WHERE ");
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) sql.append(" AND ");
            sql.append("d.").append(refColumns.get(i)).append(" = h.").append(columns.get(i));
        }
        return sql.append(")").toString();
    }

    /** The same test row by row. */
    private String orphanCondition() {
        StringBuilder where = new StringBuilder();
        for (String c : columns) where.append("h.").append(c).append(" IS NOT NULL AND ");
        where.append("NOT EXISTS (SELECT 1 FROM ").append(refTable).append(" d WHERE ");
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) where.append(" AND ");
            where.append("d.").append(refColumns.get(i)).append(" = h.").append(columns.get(i));
        }
        return where.append(")").toString();
    }

    String orphanRows() {
        return "SELECT h.UM_ID, h." + String.join(", h.", columns) + " FROM " + table + " h WHERE " + orphanCondition() + " ORDER BY h.UM_ID";
    }

    /** One row when every row has its referenced row; two (so the scalar subquery fails, error 1242) when one has not. */
    String refusingCheck() {
        return "SELECT (SELECT 'every " + table + " row has its " + refTable + " row' UNION ALL SELECT 'rows without their "
                + refTable + " row' FROM DUAL WHERE EXISTS (" + orphanValues() + "))"
                + " AS " + constraintName + "_CHECK";
    }

    String alter() {
        return "ALTER TABLE " + table + " ADD CONSTRAINT " + constraintName + " FOREIGN KEY (" + String.join(", ", columns) + ") REFERENCES "
                + refTable + " (" + String.join(", ", refColumns) + ") ON DELETE CASCADE, ALGORITHM=INPLACE, LOCK=SHARED";
    }

    @Override
    public String getConfirmationMessage() {
        return rowsOnly ? "Checked every row of " + table + " under the foreign key " + constraintName
                : "Added foreign key " + constraintName + " on " + table + " in place, every row checked";
    }

    @Override
    public ValidationErrors validate(Database database) {
        ValidationErrors errors = new ValidationErrors();
        if (!TABLES.contains(table)) errors.addError("AddForeignKeyInPlace: table must be one of " + TABLES + ", not " + table);
        if (!REFERENCED.contains(refTable)) errors.addError("AddForeignKeyInPlace: refTable must be one of " + REFERENCED + ", not " + refTable);
        if (columns.isEmpty() || columns.size() != refColumns.size()) {
            errors.addError("AddForeignKeyInPlace on " + table + ": columns and refColumns must be lists of the same length");
        }
        List<String> all = new ArrayList<>(columns);
        all.addAll(refColumns);
        all.add(constraintName == null ? "" : constraintName);
        for (String name : all) {
            if (!name.matches(NAME)) errors.addError("AddForeignKeyInPlace on " + table + ": '" + name + "' is not a plain SQL name");
        }
        return errors;
    }

    /**
     * The rows without their referenced row, counted and the first named, with what to do; null when there are none.
     * {@code why}: what such a row means here (the key cannot be added, or it holds rows it never checked).
     */
    private String orphans(Connection c, String why) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(orphanValues() + " LIMIT 1")) {
            if (!rs.next()) return null;
        }
        long count;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table + " h WHERE " + orphanCondition())) {
            rs.next();
            count = rs.getLong(1);
        }
        List<String> named = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(orphanRows() + " LIMIT " + NAMED_ROWS)) {
            while (rs.next()) {
                StringBuilder row = new StringBuilder("UM_ID " + rs.getLong(1));
                for (int i = 0; i < columns.size(); i++) row.append(i == 0 ? " (" : ", ").append(columns.get(i)).append(' ').append(rs.getLong(i + 2));
                named.add(row.append(')').toString());
            }
        }
        if (!c.getAutoCommit()) c.commit();
        return String.format(Locale.ROOT, "%s of %s %s a (%s) that %s does not hold, %s"
                + " (4.2.0 cannot see such a row either): %s%s. List them with: %s; point each at its tenant's domain"
                + " (UPDATE %s SET UM_DOMAIN_ID = <the UM_DOMAIN_ID of that tenant's domain in %s> WHERE UM_ID = ...) or delete it,"
                + " then run the upgrade again.", count == 1 ? "1 row" : String.format(Locale.ROOT, "%,d rows", count), table,
                count == 1 ? "has" : "have", String.join(", ", columns), refTable, why,
                String.join(", ", named), count > named.size() ? ", ..." : "", orphanRows(), table, refTable);
    }

    /**
     * What Liquibase's JDBC executor runs: check, add in place, check again; with {@code rowsOnly} the check alone (the key
     * has checked every write since it exists, so rows found then are older than it, and once mended they stay so).
     */
    static final class Adding extends RawSqlStatement implements ExecutablePreparedStatement {
        private final AddForeignKeyInPlace key;

        Adding(AddForeignKeyInPlace key) {
            super(key.rowsOnly ? key.refusingCheck() : key.alter());
            this.key = key;
        }

        @Override
        public void execute(PreparedStatementFactory statements) throws DatabaseException {
            Consumer<String> log = line -> Scope.getCurrentScope().getLog(AddForeignKeyInPlace.class).info(line);
            try (PreparedStatement probe = statements.create("SELECT 1")) {
                if (key.rowsOnly) checkOnly(probe.getConnection());
                else add(probe.getConnection(), log);
            } catch (SQLException e) {
                throw new DatabaseException((key.rowsOnly ? "Checking the rows of " + key.table + " under the foreign key " + key.constraintName
                        + " failed: " + e.getMessage() + "." : "Adding the foreign key " + key.constraintName + " to " + key.table + " failed: "
                        + e.getMessage() + ". foreign_key_checks is back to what it was;") + " Run the upgrade again.", e);
            }
        }

        private void checkOnly(Connection c) throws SQLException, DatabaseException {
            // A fresh read view, as for the checks around the ALTER.
            if (!c.getAutoCommit()) c.commit();
            String unchecked = key.orphans(c, "though the foreign key " + key.constraintName + " is there: the run that added it in place"
                    + " stopped before it checked the rows again");
            if (unchecked != null) throw new DatabaseException(unchecked);
        }

        private void add(Connection c, Consumer<String> log) throws SQLException, DatabaseException {
            long started = System.nanoTime();
            // A fresh read view: a transaction left open would check the rows as they were when it began.
            if (!c.getAutoCommit()) c.commit();
            String refused = key.orphans(c, "so the foreign key " + key.constraintName + " cannot be added");
            if (refused != null) {
                throw new DatabaseException(refused + " Nothing of this step was done.");
            }
            long checked = System.nanoTime();
            boolean checksWereOn;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@SESSION.foreign_key_checks")) {
                rs.next();
                checksWereOn = rs.getInt(1) != 0;
            }
            try (Statement s = c.createStatement()) {
                s.execute("SET SESSION foreign_key_checks = 0");
                try {
                    s.execute(key.alter());
                } catch (SQLException e) {
                    restore(s, checksWereOn, e);
                    throw e;
                }
                restore(s, checksWereOn, null);
            }
            long added = System.nanoTime();
            // The ALTER committed: this read sees every row committed before it, and the key itself checks every write since.
            String slipped = key.orphans(c, "so the foreign key " + key.constraintName + " cannot be added");
            if (slipped != null) {
                try (Statement s = c.createStatement()) {
                    s.execute("ALTER TABLE " + key.table + " DROP FOREIGN KEY " + key.constraintName);
                }
                throw new DatabaseException(slipped + " They were written while the key was being added (is a Carbon server or another"
                        + " client still writing? stop it first); the foreign key is dropped again, its index " + key.constraintName + " stays"
                        + " and the next run uses it.");
            }
            if (!c.getAutoCommit()) c.commit();
            log.accept(String.format(Locale.ROOT, "foreign key %s on %s: rows checked in %,d ms, added in place in %,d ms, checked again in %,d ms",
                    key.constraintName, key.table, (checked - started) / 1_000_000, (added - checked) / 1_000_000,
                    (System.nanoTime() - added) / 1_000_000));
        }

        /** foreign_key_checks as the session had it; a failure to restore it is added to the ALTER's own, if that failed. */
        private static void restore(Statement s, boolean checksWereOn, SQLException failed) throws SQLException {
            try {
                s.execute("SET SESSION foreign_key_checks = " + (checksWereOn ? 1 : 0));
            } catch (SQLException e) {
                if (failed == null) throw e;
                failed.addSuppressed(e);
            }
        }
    }
}
