package org.carbonupgrade.guard;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomPreconditionErrorException;
import liquibase.exception.CustomPreconditionFailedException;
import liquibase.precondition.CustomPrecondition;

import org.carbonupgrade.schema.SchemaReader;
import org.carbonupgrade.schema.TableShape;

/**
 * Base of the schema guards: they look a constraint up by its columns, not by name, because the names
 * differ between engines and between a fresh install and a hand-run earlier attempt.
 */
abstract class CatalogGuard implements CustomPrecondition {
    protected String table;
    protected List<String> columns = List.of();

    public void setTable(String table) {
        this.table = table.toUpperCase(Locale.ROOT);
    }

    public void setColumns(String columns) {
        this.columns = Arrays.stream(columns.split(",")).map(c -> c.trim().toUpperCase(Locale.ROOT)).toList();
    }

    @Override
    public void check(Database database) throws CustomPreconditionFailedException, CustomPreconditionErrorException {
        if (!(database.getConnection() instanceof JdbcConnection jdbc)) {
            // Offline SQL generation has no catalog to look at: assume the 4.0.0 schema, so the DBA sees every change.
            if (!holdsOnFreshSource()) throw new CustomPreconditionFailedException(describe() + " (offline: assumed absent)");
            return;
        }
        try {
            Connection connection = jdbc.getUnderlyingConnection();
            SchemaReader reader = new SchemaReader(connection);
            String actual = reader.tableNames().get(table);
            boolean holds = actual != null && holds(reader.readTable(actual));
            if (!holds) throw new CustomPreconditionFailedException(describe());
        } catch (SQLException e) {
            throw new CustomPreconditionErrorException("Cannot read the catalog for " + table + ": " + e.getMessage(), e);
        }
    }

    protected abstract boolean holds(TableShape table);

    /** What the guard answers against a plain Carbon 4.0.0 schema, used when generating SQL offline. */
    protected abstract boolean holdsOnFreshSource();

    protected abstract String describe();
}
