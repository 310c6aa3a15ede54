package org.carbonupgrade.access;

import liquibase.database.Database;
import liquibase.database.core.MSSQLDatabase;
import liquibase.database.core.OracleDatabase;

/**
 * The "DOMAIN/name" expressions of the back-fill in each engine's dialect, the same way the changelogs spell them
 * (POSITION/SUBSTRING on H2, PostgreSQL, MySQL; CHARINDEX on SQL Server; INSTR/SUBSTR on Oracle).
 * A name has a prefix only when something precedes and follows the first '/': "FOO/" and "/x" stay whole.
 */
final class NameSql {
    private final Database database;

    NameSql(Database database) {
        this.database = database;
    }

    /** True when the column's value has a domain prefix and a non-empty name after it. */
    String hasPrefix(String column) {
        if (database instanceof MSSQLDatabase) {
            return "CHARINDEX('/', " + column + ") > 1 AND CHARINDEX('/', " + column + ") < LEN(" + column + ")";
        }
        if (database instanceof OracleDatabase) {
            return "INSTR(" + column + ", '/') > 1 AND INSTR(" + column + ", '/') < LENGTH(" + column + ")";
        }
        return "POSITION('/' IN " + column + ") > 1 AND POSITION('/' IN " + column + ") < LENGTH(" + column + ")";
    }

    /** The domain prefix of the column's value, upper case (4.2.0 UserCoreUtil.persistDomain stores it so). */
    String upperPrefix(String column) {
        if (database instanceof MSSQLDatabase) {
            return "UPPER(SUBSTRING(" + column + ", 1, CHARINDEX('/', " + column + ") - 1))";
        }
        if (database instanceof OracleDatabase) {
            return "UPPER(SUBSTR(" + column + ", 1, INSTR(" + column + ", '/') - 1))";
        }
        return "UPPER(SUBSTRING(" + column + " FROM 1 FOR POSITION('/' IN " + column + ") - 1))";
    }

    /** A string literal for a value read from the settings or the database, escaped by the engine's own rules. */
    String literal(String value) {
        return "'" + database.escapeStringForDatabase(value) + "'";
    }
}
