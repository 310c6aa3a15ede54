package org.carbonupgrade.change;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import liquibase.change.custom.CustomSqlChange;
import liquibase.database.Database;
import liquibase.database.core.MSSQLDatabase;
import liquibase.database.core.MySQLDatabase;
import liquibase.database.core.OracleDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomChangeException;
import liquibase.exception.ValidationErrors;
import liquibase.statement.SqlStatement;
import liquibase.statement.core.RawParameterizedSqlStatement;
import liquibase.statement.core.RawSqlStatement;

import org.carbonupgrade.Engine;

/**
 * Drops the unique key on exactly the given columns, whatever the engine (or an earlier hand-run script)
 * named it. WSO2's scripts leave these keys unnamed, so a fixed name would miss on a real database.
 */
public class DropUniqueKey extends PlainCustomChange implements CustomSqlChange {
    private String table;
    private List<String> columns = List.of();
    /** Used when there is no live catalog (offline SQL): the name WSO2's 4.0.x script gives on that engine. */
    private String offlineName;

    public void setTable(String table) {
        this.table = table.toUpperCase(Locale.ROOT);
    }

    public void setColumns(String columns) {
        this.columns = Arrays.stream(columns.split(",")).map(c -> c.trim().toUpperCase(Locale.ROOT)).toList();
    }

    public void setOfflineName(String offlineName) {
        this.offlineName = offlineName;
    }

    @Override
    public SqlStatement[] generateStatements(Database database) throws CustomChangeException {
        // SQL Server and Oracle name these keys themselves (UQ__..., SYS_C...): the statement finds the key by its
        // columns when it runs, so the SQL a DBA reviews is the SQL that runs.
        if (database instanceof MSSQLDatabase) {
            return new SqlStatement[] {new RawSqlStatement(mssqlDropByColumns())};
        }
        if (database instanceof OracleDatabase) {
            // Liquibase 4.33 prints the end delimiter (the "/" line SQL*Plus needs after a PL/SQL block) only for
            // this statement type, not for RawSqlStatement.
            RawParameterizedSqlStatement block = new RawParameterizedSqlStatement(oracleDropByColumns());
            block.setEndDelimiter("\n/");
            return new SqlStatement[] {block};
        }
        if (!(database.getConnection() instanceof JdbcConnection jdbc)) {
            String name = offlineName == null ? "<unique key on " + table + columns + ">" : offlineName;
            String sql = database instanceof MySQLDatabase ? "ALTER TABLE " + table + " DROP INDEX " + name
                    : "ALTER TABLE " + table + " DROP CONSTRAINT " + name;
            return new SqlStatement[] {new RawSqlStatement(sql)};
        }
        try {
            Connection c = jdbc.getUnderlyingConnection();
            Engine engine = Engine.of(c);
            String actualTable = new org.carbonupgrade.schema.SchemaReader(c).tableNames().get(table);
            String index = uniqueIndexOn(c, engine, actualTable);
            if (index == null) {
                // The guard let us in, so the key existed a moment ago; refuse rather than guess.
                throw new CustomChangeException("No unique key on " + table + columns + " any more; re-run the upgrade.");
            }
            String constraint = constraintOwning(c, engine, actualTable, index);
            String sql;
            if (engine == Engine.MYSQL) {
                sql = "ALTER TABLE " + quote(actualTable, engine) + " DROP INDEX " + quote(index, engine);
            } else if (constraint != null) {
                sql = "ALTER TABLE " + quote(actualTable, engine) + " DROP CONSTRAINT " + quote(constraint, engine);
            } else if (engine == Engine.MSSQL) {
                sql = "DROP INDEX " + quote(index, engine) + " ON " + quote(actualTable, engine);
            } else {
                sql = "DROP INDEX " + quote(index, engine);
            }
            return new SqlStatement[] {new RawSqlStatement(sql)};
        } catch (SQLException e) {
            throw new CustomChangeException("Cannot read the unique keys of " + table + ": " + e.getMessage(), e);
        }
    }

    /** The key's name comes from the catalog: QUOTENAME / a doubled quote keep it one identifier. */
    private String mssqlDropByColumns() {
        return "DECLARE @uk sysname, @drop nvarchar(400);\n"
                + "SELECT @uk = kc.name FROM sys.key_constraints kc WHERE kc.type = 'UQ' AND kc.parent_object_id = OBJECT_ID('" + table + "')\n"
                + "  AND STUFF((SELECT ',' + c.name FROM sys.index_columns ic JOIN sys.columns c"
                + " ON c.object_id = ic.object_id AND c.column_id = ic.column_id\n"
                + "    WHERE ic.object_id = kc.parent_object_id AND ic.index_id = kc.unique_index_id ORDER BY ic.key_ordinal"
                + " FOR XML PATH('')), 1, 1, '') = '" + String.join(",", columns) + "';\n"
                + "IF @uk IS NOT NULL BEGIN SET @drop = N'ALTER TABLE " + table + " DROP CONSTRAINT ' + QUOTENAME(@uk); EXEC(@drop) END";
    }

    private String oracleDropByColumns() {
        return "DECLARE\n  uk VARCHAR2(128);\nBEGIN\n"
                + "  SELECT constraint_name INTO uk FROM (SELECT c.constraint_name, LISTAGG(cc.column_name, ',')"
                + " WITHIN GROUP (ORDER BY cc.position) AS cols\n"
                + "    FROM user_constraints c JOIN user_cons_columns cc ON cc.constraint_name = c.constraint_name\n"
                + "    WHERE c.table_name = '" + table + "' AND c.constraint_type = 'U' GROUP BY c.constraint_name)\n"
                + "  WHERE cols = '" + String.join(",", columns) + "';\n"
                + "  EXECUTE IMMEDIATE 'ALTER TABLE " + table + " DROP CONSTRAINT \"' || REPLACE(uk, '\"', '\"\"') || '\"';\n"
                + "EXCEPTION WHEN NO_DATA_FOUND THEN NULL;\nEND;";
    }

    private String uniqueIndexOn(Connection c, Engine engine, String actualTable) throws SQLException {
        Map<String, Map<Short, String>> indexes = new TreeMap<>();
        String catalog = engine == Engine.MYSQL ? c.getCatalog() : null;
        String schema = engine == Engine.MYSQL ? null : c.getSchema();
        try (ResultSet rs = c.getMetaData().getIndexInfo(catalog, schema, actualTable, true, false)) {
            while (rs.next()) {
                if (rs.getString("INDEX_NAME") == null || rs.getString("COLUMN_NAME") == null) continue;
                indexes.computeIfAbsent(rs.getString("INDEX_NAME"), k -> new TreeMap<>())
                        .put(rs.getShort("ORDINAL_POSITION"), rs.getString("COLUMN_NAME").toUpperCase(Locale.ROOT));
            }
        }
        for (Map.Entry<String, Map<Short, String>> e : indexes.entrySet()) {
            if (new ArrayList<>(e.getValue().values()).equals(columns)) return e.getKey();
        }
        return null;
    }

    /** The unique constraint backed by the index, or null when it is a plain CREATE UNIQUE INDEX. */
    private static String constraintOwning(Connection c, Engine engine, String table, String index) throws SQLException {
        String sql = switch (engine) {
            case POSTGRESQL -> "SELECT conname FROM pg_constraint WHERE contype = 'u' AND conindid = "
                    + "(SELECT oid FROM pg_class WHERE relname = ? AND relnamespace = current_schema()::regnamespace)";
            case H2 -> "SELECT CONSTRAINT_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS "
                    + "WHERE CONSTRAINT_TYPE = 'UNIQUE' AND INDEX_NAME = ? AND TABLE_SCHEMA = SCHEMA()";
            case MSSQL -> "SELECT name FROM sys.key_constraints WHERE type = 'UQ' AND name = ?";
            case ORACLE -> "SELECT constraint_name FROM user_constraints WHERE constraint_type = 'U' AND index_name = ?";
            case MYSQL -> null;
        };
        if (sql == null) return null;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Plain names stay as they are (as the reviewed SQL shows them); any other is quoted, quote characters doubled. */
    private static String quote(String name, Engine engine) {
        return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? name : engine.quote(name);
    }

    @Override
    public String getConfirmationMessage() {
        return "Dropped the 4.0.0 unique key on " + table + columns;
    }

    @Override
    public ValidationErrors validate(Database database) {
        ValidationErrors errors = new ValidationErrors();
        if (table == null || columns.isEmpty()) errors.addError("DropUniqueKey needs table and columns");
        return errors;
    }
}
