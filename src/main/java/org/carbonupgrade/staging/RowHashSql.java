package org.carbonupgrade.staging;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.carbonupgrade.Engine;

/**
 * SQL expressions that let the database itself fingerprint rows, so the stage records a base and catch-up finds
 * what changed without pulling every row through Java. Built only from column names that passed
 * {@link #checkName} (a 4.0.0 baseline table's catalog columns), never from user text.
 *
 * <p>A row's text is each column in order as {@code v<length>:<text>} or {@code n} for NULL, so NULL and ''
 * differ and no value can imitate a column boundary. Its hash is the engine's own 32-bit hash of that text, as
 * AccessSql.hash uses (PostgreSQL hashtext, MySQL CRC32, H2/Oracle ORA_HASH, SQL Server HASHBYTES): a BIGINT,
 * the same on every database of the same engine for the same values, small enough that a bucket of millions of
 * rows sums without overflow. A change is missed only if the changed row's hash collides with its old one
 * (1 in 2^32 per changed row). Binary and large-object columns enter as a digest of their bytes (SHA-256 or MD5),
 * because H2 cannot cast a BLOB to text and a hex text of a large registry resource would be slow and long.
 *
 * <p>Texts are taken as the engine prints them: PostgreSQL's timestamp text follows DateStyle (ISO unless a DBA
 * changed it on one side only); MySQL text is converted to utf8mb4 first so a latin1 production and a utf8mb4
 * staging hash alike; Oracle's follows NLS settings and must stay under 4000 bytes per row (checked offline only).
 */
public final class RowHashSql {
    /** A column name as Carbon's schemas spell them, optionally after a table alias ({@code u.UM_ID}). */
    private static final Pattern NAME = Pattern.compile("([A-Za-z][A-Za-z0-9_]*\\.)?[A-Za-z][A-Za-z0-9_]*");
    /** Separates key values in {@link #keyText}; the escape character doubles itself (no backslash: MySQL). */
    static final String SEPARATOR = "|";
    static final String ESCAPE = "^";
    /** A NULL key value (possible only in a table without primary key); "^N" as a value is written "^^N". */
    static final String NULL_KEY = "^N";

    private RowHashSql() {
    }

    /** Refuses anything but a plain identifier, so no catalog or user text can become SQL. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a plain table or column name: " + name);
        }
        return name;
    }

    /** The row hash over these columns, none of them a large object. */
    public static String rowHash(Engine engine, List<String> columns) {
        return rowHash(engine, columns, Set.of());
    }

    /**
     * A BIGINT expression hashing the row's values in this order, NULL-safe; {@code lobColumns} (names as in
     * {@code columns}) enter as a digest of their content.
     */
    public static String rowHash(Engine engine, List<String> columns, Set<String> lobColumns) {
        return rowHash(engine, columns, lobColumns, Set.of());
    }

    /**
     * As above; on MySQL/MariaDB the {@code bare} columns ({@link #bareColumns}: NOT NULL numbers and date-times where the
     * expression runs) enter as {@code CONCAT('v', CHAR_LENGTH(c), ':', c)}: no NULL test (there is no NULL) and no
     * CONVERT (their text is ASCII digits and punctuation in every character set, and CONCAT prints them as CONVERT
     * does). The row text, so the hash, is byte for byte the full form's (RowHashSqlTest); the expression is cheaper:
     * the hashing scan of every production row is most of a MariaDB catch-up pass.
     */
    public static String rowHash(Engine engine, List<String> columns, Set<String> lobColumns, Set<String> bare) {
        if (columns.isEmpty()) throw new IllegalArgumentException("A row hash needs at least one column");
        List<String> parts = new java.util.ArrayList<>();
        for (String column : columns) {
            checkName(column);
            boolean lob = lobColumns.contains(column) || lobColumns.contains(unqualified(column));
            if (engine == Engine.MYSQL && !lob && bare.contains(column)) {
                parts.add(concat(engine, "'v'", "CHAR_LENGTH(" + column + ")", "':'", column));
                continue;
            }
            String text = lob ? digest(engine, column) : text(engine, column);
            parts.add("CASE WHEN " + column + " IS NULL THEN 'n' ELSE " + concat(engine, "'v'", length(engine, text), "':'", text) + " END");
        }
        return hash32(engine, concat(engine, parts.toArray(new String[0])));
    }

    /** MySQL/MariaDB data types whose values print as ASCII digits, signs, points, dashes, colons and spaces. */
    private static final Set<String> BARE_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal",
            "date", "datetime", "timestamp", "time");

    /**
     * MySQL/MariaDB: per table of the connection's database, the columns {@link #rowHash} and {@link #keyText} may take
     * in the bare form there: declared NOT NULL, of a number or date-time type (information_schema, read now, on the
     * database the expressions will run on). Empty on other engines. Upper-cased names, as the stage records them.
     */
    public static java.util.Map<String, Set<String>> bareColumns(java.sql.Connection c, Engine engine) throws java.sql.SQLException {
        java.util.Map<String, Set<String>> out = new java.util.HashMap<>();
        if (engine != Engine.MYSQL) return out;
        try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND IS_NULLABLE = 'NO'")) {
            while (rs.next()) {
                if (!BARE_TYPES.contains(rs.getString(3).toLowerCase(java.util.Locale.ROOT))) continue;
                out.computeIfAbsent(rs.getString(1).toUpperCase(java.util.Locale.ROOT), k -> new java.util.HashSet<>())
                        .add(rs.getString(2).toUpperCase(java.util.Locale.ROOT));
            }
        }
        return out;
    }

    /**
     * The key's canonical text: values joined by '|', '^' and '|' inside a value escaped with '^', a NULL as
     * "^N". The same key gives the same text on production and staging (a copy keeps every id).
     */
    public static String keyText(Engine engine, List<String> keyColumns) {
        return keyText(engine, keyColumns, Set.of());
    }

    /** As above; on MySQL/MariaDB a {@code bare} column ({@link #bareColumns}) is its own text: never NULL, nothing to escape. */
    public static String keyText(Engine engine, List<String> keyColumns, Set<String> bare) {
        if (keyColumns.isEmpty()) throw new IllegalArgumentException("A key needs at least one column");
        String[] parts = new String[keyColumns.size() * 2 - 1];
        for (int i = 0; i < keyColumns.size(); i++) {
            String column = checkName(keyColumns.get(i));
            if (engine == Engine.MYSQL && bare.contains(column)) {
                if (i > 0) parts[i * 2 - 1] = "'" + SEPARATOR + "'";
                parts[i * 2] = column;
                continue;
            }
            String escaped = "REPLACE(REPLACE(" + text(engine, column) + ", '" + ESCAPE + "', '" + ESCAPE + ESCAPE + "'), '"
                    + SEPARATOR + "', '" + ESCAPE + SEPARATOR + "')";
            if (i > 0) parts[i * 2 - 1] = "'" + SEPARATOR + "'";
            parts[i * 2] = "CASE WHEN " + column + " IS NULL THEN '" + NULL_KEY + "' ELSE " + escaped + " END";
        }
        String text = keyColumns.size() == 1 ? parts[0] : concat(engine, parts);
        // MySQL: one fixed character set whatever the table's, so both sides' texts and hashes agree.
        return engine == Engine.MYSQL ? "CONVERT(" + text + " USING utf8mb4)" : text;
    }

    /** An INTEGER 0..buckets-1 from the hash of the key text: which bucket a key's row is counted in. */
    public static String bucket(Engine engine, List<String> keyColumns, int buckets) {
        if (buckets < 1) throw new IllegalArgumentException("buckets must be at least 1, not " + buckets);
        String key = keyText(engine, keyColumns);
        return switch (engine) {
            case POSTGRESQL -> "CAST(MOD(MOD(CAST(hashtext(" + key + ") AS BIGINT), " + buckets + ") + " + buckets + ", " + buckets + ") AS INTEGER)";
            case MYSQL -> "CAST(MOD(CRC32(" + key + "), " + buckets + ") AS SIGNED)";
            case H2 -> "CAST(MOD(ORA_HASH(" + key + "), " + buckets + ") AS INTEGER)";
            case MSSQL -> "CAST(((CAST(CAST(HASHBYTES('MD5', " + key + ") AS INT) AS BIGINT) % " + buckets + ") + " + buckets + ") % "
                    + buckets + " AS INT)";
            case ORACLE -> "ORA_HASH(" + key + ", " + (buckets - 1) + ")";
        };
    }

    /**
     * An INTEGER bucket from a 32-bit integer key column: the id divided by {@code width}, truncated toward zero (the
     * integer division of PostgreSQL, H2 and MySQL's DIV alike). No text, no hash: counting the rows per bucket is
     * integer arithmetic over the column, and a bucket's rows are a range of the primary key's index
     * (StagedTable.bucketRanges). Only on the engines catch-up runs on.
     */
    public static String rangeBucket(Engine engine, String column, long width) {
        checkName(column);
        if (width < 1) throw new IllegalArgumentException("bucket width must be at least 1, not " + width);
        return switch (engine) {
            case POSTGRESQL, H2 -> "CAST(CAST(" + column + " AS BIGINT) / " + width + " AS INTEGER)";
            case MYSQL -> "CAST(" + column + " DIV " + width + " AS SIGNED)";
            case MSSQL, ORACLE -> throw new IllegalArgumentException("id-range buckets are not used on " + engine.profile());
        };
    }

    /** Whether {@link #rangeBucket} is used on this engine (the stage decides per table; see StageBase). */
    public static boolean rangeBuckets(Engine engine) {
        return engine == Engine.POSTGRESQL || engine == Engine.MYSQL || engine == Engine.H2;
    }

    /** A 32-bit hash of a text expression, as a BIGINT (the same functions as AccessSql.hash). */
    static String hash32(Engine engine, String text) {
        return switch (engine) {
            case POSTGRESQL -> "CAST(hashtext(" + text + ") AS BIGINT)";
            case MYSQL -> "CAST(CRC32(CONVERT(" + text + " USING utf8mb4)) AS SIGNED)";
            case H2 -> "ORA_HASH(" + text + ")";
            case ORACLE -> "ORA_HASH(" + text + ")";
            case MSSQL -> "CAST(CAST(HASHBYTES('MD5', " + text + ") AS INT) AS BIGINT)";
        };
    }

    /** A non-LOB value as text, the way the engine prints it. */
    private static String text(Engine engine, String column) {
        return switch (engine) {
            case POSTGRESQL -> "CAST(" + column + " AS TEXT)";
            case MYSQL -> "CONVERT(" + column + " USING utf8mb4)";
            case H2 -> "CAST(" + column + " AS VARCHAR)";
            // Style 121 keeps a DATETIME's milliseconds (the default drops the seconds); other types ignore it.
            case MSSQL -> "CONVERT(NVARCHAR(MAX), " + column + ", 121)";
            case ORACLE -> "TO_CHAR(" + column + ")";
        };
    }

    /** A large object's content as a hex digest. */
    private static String digest(Engine engine, String column) {
        return switch (engine) {
            case POSTGRESQL -> "md5(" + column + ")";
            case MYSQL -> "MD5(" + column + ")";
            case H2 -> "RAWTOHEX(HASH('SHA-256', " + column + "))";
            case MSSQL -> "CONVERT(VARCHAR(64), HASHBYTES('SHA2_256', " + column + "), 2)";
            // Needs EXECUTE on SYS.DBMS_CRYPTO (overloaded for BLOB and CLOB).
            case ORACLE -> "RAWTOHEX(DBMS_CRYPTO.HASH(" + column + ", 2))";
        };
    }

    private static String length(Engine engine, String text) {
        String n = switch (engine) {
            case POSTGRESQL, MYSQL, H2 -> "CHAR_LENGTH(" + text + ")";
            case MSSQL -> "DATALENGTH(" + text + ")"; // LEN ignores trailing spaces
            case ORACLE -> "LENGTH(" + text + ")";
        };
        return engine == Engine.MYSQL ? n : "CAST(" + n + " AS VARCHAR(20))"; // MySQL's CONCAT converts numbers itself
    }

    private static String concat(Engine engine, String... parts) {
        if (parts.length == 1) return parts[0];
        return switch (engine) {
            case MYSQL -> "CONCAT(" + String.join(", ", parts) + ")";
            case MSSQL -> "(" + String.join(" + ", parts) + ")";
            default -> "(" + String.join(" || ", parts) + ")";
        };
    }

    private static String unqualified(String column) {
        int dot = column.indexOf('.');
        return dot < 0 ? column : column.substring(dot + 1);
    }
}
