package org.carbonupgrade.guard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomPreconditionErrorException;
import liquibase.exception.CustomPreconditionFailedException;
import liquibase.exception.LiquibaseException;
import liquibase.precondition.CustomPrecondition;
import liquibase.snapshot.SnapshotGeneratorFactory;

import org.carbonupgrade.gate.GateRunner;
import org.carbonupgrade.schema.SchemaReader;
import org.carbonupgrade.schema.TableShape;

/**
 * Base of the schema guards: they look a constraint up by its columns, not by name, because the names
 * differ between engines and between a fresh install and a hand-run earlier attempt.
 */
abstract class CatalogGuard implements CustomPrecondition {
    protected String table;
    protected List<String> columns = List.of();
    /** The changeset of this run that makes what this guard looks at (creates the index, drops the key), if any. */
    private String after;

    public void setTable(String table) {
        this.table = table.toUpperCase(Locale.ROOT);
    }

    public void setColumns(String columns) {
        this.columns = Arrays.stream(columns.split(",")).map(c -> c.trim().toUpperCase(Locale.ROOT)).toList();
    }

    /**
     * Names the changeset, earlier in the changelog, that creates or removes what this guard looks at. Review SQL
     * (updateSQL on a live database) runs nothing, so while that changeset is not recorded the catalog still shows
     * the state before it: the guard then answers as offline (for the 4.0.0 schema the changelog is run through), and
     * the reviewed script holds both steps, e.g. a temporary index created and dropped again.
     */
    public void setAfter(String changeSetId) {
        this.after = changeSetId.trim();
    }

    @Override
    public void check(Database database) throws CustomPreconditionFailedException, CustomPreconditionErrorException {
        if (!(database.getConnection() instanceof JdbcConnection jdbc) || (after != null && GateRunner.reviewOnly(database) && !ran(database, jdbc, after))) {
            // Offline SQL generation has no catalog to look at: assume the 4.0.0 schema, so the DBA sees every change.
            if (!holdsOnFreshSource()) throw new CustomPreconditionFailedException(describe() + " (offline: assumed absent)");
            return;
        }
        try {
            Connection connection = jdbc.getUnderlyingConnection();
            SchemaReader reader = new SchemaReader(connection);
            String actual = reader.tableNames().get(table);
            boolean holds = actual != null && holds(reader.readTable(actual, reads()));
            if (!holds) throw new CustomPreconditionFailedException(describe());
        } catch (SQLException e) {
            throw new CustomPreconditionErrorException("Cannot read the catalog for " + table + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the changeset is recorded in DATABASECHANGELOG itself. Not Liquibase's history service: in review it
     * counts the changesets this review has printed as run, though none of them ran.
     */
    static boolean ran(Database database, JdbcConnection jdbc, String changeSetId) throws CustomPreconditionErrorException {
        return ran(database, jdbc, changeSetId, null);
    }

    /** As {@link #ran(Database, JdbcConnection, String)}, recorded as {@code execType} (EXECUTED, MARK_RAN) unless that is null. */
    static boolean ran(Database database, JdbcConnection jdbc, String changeSetId, String execType) throws CustomPreconditionErrorException {
        try {
            if (!SnapshotGeneratorFactory.getInstance().hasDatabaseChangeLogTable(database)) return false;
            String history = database.escapeTableName(database.getLiquibaseCatalogName(), database.getLiquibaseSchemaName(),
                    database.getDatabaseChangeLogTableName());
            try (PreparedStatement ps = jdbc.getUnderlyingConnection().prepareStatement("SELECT COUNT(*) FROM " + history + " WHERE ID = ?"
                    + (execType == null ? "" : " AND EXECTYPE = ?"))) {
                ps.setString(1, changeSetId);
                if (execType != null) ps.setString(2, execType);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getLong(1) > 0;
                }
            }
        } catch (SQLException | LiquibaseException e) {
            throw new CustomPreconditionErrorException("Cannot read which changesets ran: " + e.getMessage(), e);
        }
    }

    protected abstract boolean holds(TableShape table);

    /** The parts of the table's shape {@link #holds} looks at; only these are read from the catalog. */
    protected abstract Set<SchemaReader.Part> reads();

    /** What the guard answers against a plain Carbon 4.0.0 schema, used when generating SQL offline. */
    protected abstract boolean holdsOnFreshSource();

    protected abstract String describe();
}
