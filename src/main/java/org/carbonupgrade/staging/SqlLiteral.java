package org.carbonupgrade.staging;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.HexFormat;

import org.carbonupgrade.Engine;

/**
 * A value read from production written as a SQL literal of the staging engine, for the review listing
 * ({@code -Dcarbon.upgrade.review=true}). Nothing from a database is pasted as it is: text is quoted with every quote
 * doubled (and on MySQL/MariaDB every backslash doubled too, which that engine's default sql_mode reads as an
 * escape), bytes become a hex literal, numbers are printed from their numeric value, never from text.
 */
final class SqlLiteral {
    private SqlLiteral() {
    }

    static String of(Engine engine, Object value) {
        if (value == null) return "NULL";
        if (value instanceof Boolean b) return engine == Engine.MYSQL || engine == Engine.MSSQL || engine == Engine.ORACLE ? (b ? "1" : "0") : (b ? "TRUE" : "FALSE");
        if (value instanceof BigDecimal d) return d.toPlainString();
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) return value.toString();
        if (value instanceof Double || value instanceof Float) return new BigDecimal(value.toString()).toPlainString();
        if (value instanceof byte[] bytes) return bytes(engine, bytes);
        if (value instanceof Timestamp t) return "TIMESTAMP " + text(engine, t.toString());
        if (value instanceof java.sql.Date d) return "DATE " + text(engine, d.toString());
        if (value instanceof java.sql.Time t) return "TIME " + text(engine, t.toString());
        return text(engine, value.toString());
    }

    /** A string literal: quotes doubled; on MySQL backslashes doubled as well. */
    static String text(Engine engine, String value) {
        String escaped = value.replace("'", "''");
        if (engine == Engine.MYSQL) escaped = escaped.replace("\\", "\\\\");
        return (engine == Engine.MSSQL ? "N'" : "'") + escaped + "'";
    }

    static String bytes(Engine engine, byte[] value) {
        String hex = HexFormat.of().formatHex(value);
        return switch (engine) {
            case POSTGRESQL -> "DECODE('" + hex + "', 'hex')";
            case MSSQL -> "0x" + hex;
            case ORACLE -> "HEXTORAW('" + hex + "')";
            default -> "X'" + hex + "'";
        };
    }
}
