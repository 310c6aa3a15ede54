package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.carbonupgrade.Engine;

/**
 * Moves each staged table's id generator past the highest id in the table, so a 4.2.0 server's insert without
 * an id never takes an id the copy (or a catch-up pass) wrote explicitly. Forward only and idempotent: a
 * generator already past the ids is left alone, so it runs after every copy and every pass.
 *
 * <ul>
 * <li>PostgreSQL: the columns whose default is {@code nextval('seq')}: {@code setval(seq, max + 1, false)}.</li>
 * <li>H2 2.x: identity columns ({@code IDENTITY_BASE} is the next value): {@code ALTER TABLE ... RESTART WITH}.</li>
 * <li>MySQL/MariaDB: InnoDB moves AUTO_INCREMENT past an explicit id by itself; checked and, if ever behind,
 *     {@code ALTER TABLE ... AUTO_INCREMENT = max + 1}.</li>
 * <li>SQL Server (written, not run here): an explicit id inserted under IDENTITY_INSERT moves the identity
 *     itself; {@code DBCC CHECKIDENT (t, RESEED)} moves it up to the column's maximum if ever behind.</li>
 * <li>Oracle (written, not run here): WSO2's triggers take ids from sequences; each trigger's sequence restarts
 *     past its table's maximum ({@code ALTER SEQUENCE ... RESTART START WITH}, Oracle 18c+).</li>
 * </ul>
 */
public final class Sequences {
    private static final Pattern NEXTVAL = Pattern.compile("(?i)nextval\\('([A-Za-z0-9_.\"]+)'(?:::regclass)?\\)");
    private static final Pattern SEQUENCE_NAME = Pattern.compile("\"?[A-Za-z_][A-Za-z0-9_]*\"?(\\.\"?[A-Za-z_][A-Za-z0-9_]*\"?)?");

    private Sequences() {
    }

    /** One id generator moved: table, column, its next value before and after. */
    public record Moved(String table, String column, long from, long to) {
        @Override
        public String toString() {
            return table + "." + column + ": next id " + from + " -> " + to;
        }
    }

    /** Advances the generators of these tables (upper-case names of staged tables); returns what moved. */
    public static List<Moved> advancePastIds(Connection c, Engine engine, Collection<String> tables) throws SQLException {
        Set<String> wanted = new TreeSet<>();
        tables.forEach(t -> wanted.add(RowHashSql.checkName(t).toUpperCase(Locale.ROOT)));
        Set<String> spelled = spelled(tables, wanted);
        List<Moved> moved = new ArrayList<>();
        if (wanted.isEmpty()) return moved;
        switch (engine) {
            case POSTGRESQL -> postgresql(c, wanted, moved);
            case H2 -> h2(c, wanted, moved);
            case MYSQL -> mysql(c, wanted, spelled, moved);
            case MSSQL -> mssql(c, wanted);
            case ORACLE -> oracle(c, wanted, moved);
        }
        if (!c.getAutoCommit()) c.commit();
        return moved;
    }

    private static void postgresql(Connection c, Set<String> wanted, List<Moved> moved) throws SQLException {
        List<String[]> generators = new ArrayList<>();
        query(c, "SELECT table_name, column_name, column_default FROM information_schema.columns WHERE table_schema = current_schema()"
                + " AND column_default LIKE 'nextval(%'", rs -> {
                    Matcher m = NEXTVAL.matcher(rs.getString(3));
                    String table = rs.getString(1).toUpperCase(Locale.ROOT);
                    if (wanted.contains(table) && m.find() && SEQUENCE_NAME.matcher(m.group(1)).matches()) {
                        generators.add(new String[] {table, RowHashSql.checkName(rs.getString(2)), m.group(1)});
                    }
                });
        if (generators.isEmpty()) return;
        // Every generator's next value and its column's highest id in one statement, and the ones behind moved in one more:
        // a pass checks about 30 generators after its commit, and two round trips each were 0.3-0.5 s of it at 1M users.
        StringBuilder read = new StringBuilder();
        for (int i = 0; i < generators.size(); i++) {
            String[] g = generators.get(i);
            read.append(i == 0 ? "" : " UNION ALL ").append("SELECT ").append(i)
                    .append(", (SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM ").append(g[2])
                    .append("), (SELECT COALESCE(MAX(").append(g[1]).append("), 0) FROM ").append(g[0]).append(")");
        }
        List<Object[]> behind = new ArrayList<>();
        query(c, "SELECT * FROM (" + read + ") G ORDER BY 1", rs -> {
            String[] g = generators.get(rs.getInt(1));
            long next = rs.getLong(2);
            long wantedNext = rs.getLong(3) + 1;
            if (wantedNext > next) behind.add(new Object[] {g, next, wantedNext});
        });
        if (behind.isEmpty()) return;
        StringBuilder set = new StringBuilder("SELECT ");
        for (int i = 0; i < behind.size(); i++) set.append(i == 0 ? "" : ", ").append("setval(CAST(? AS regclass), ?, false)");
        try (PreparedStatement ps = c.prepareStatement(set.toString())) {
            int p = 0;
            for (Object[] b : behind) {
                ps.setString(++p, ((String[]) b[0])[2]);
                ps.setLong(++p, (Long) b[2]);
            }
            ps.execute();
        }
        for (Object[] b : behind) {
            String[] g = (String[]) b[0];
            moved.add(new Moved(g[0], g[1].toUpperCase(Locale.ROOT), (Long) b[1], (Long) b[2]));
        }
    }

    /** H2 2.x: IDENTITY_BASE is the identity's next value; it does not follow explicit ids. */
    private static void h2(Connection c, Set<String> wanted, List<Moved> moved) throws SQLException {
        moveCounters(c, wanted, moved, "SELECT TABLE_NAME, COLUMN_NAME, IDENTITY_BASE FROM INFORMATION_SCHEMA.COLUMNS"
                + " WHERE TABLE_SCHEMA = SCHEMA() AND IS_IDENTITY = 'YES'", "ALTER TABLE %1$s ALTER COLUMN %2$s RESTART WITH %3$d");
    }

    /** InnoDB's AUTO_INCREMENT follows explicit ids by itself: normally nothing moves here. */
    private static void mysql(Connection c, Set<String> wanted, Set<String> spelled, List<Moved> moved) throws SQLException {
        move(c, mysqlCounters(c, wanted, spelled), moved, "ALTER TABLE %1$s AUTO_INCREMENT = %3$d");
    }

    /**
     * MySQL/MariaDB: the AUTO_INCREMENT columns of these tables (upper-case names of staged tables) with the table's next
     * value now ({@code from}; {@code to} 0), as {@link #advancePastIds} checks them.
     */
    static List<Moved> mysqlCounters(Connection c, Collection<String> tables) throws SQLException {
        Set<String> wanted = new TreeSet<>();
        tables.forEach(t -> wanted.add(RowHashSql.checkName(t).toUpperCase(Locale.ROOT)));
        return mysqlCounters(c, wanted, spelled(tables, wanted));
    }

    private static List<Moved> mysqlCounters(Connection c, Set<String> wanted, Set<String> spelled) throws SQLException {
        // Named in the query (checked names, as literals: information_schema then opens only those tables, not every table
        // of the database), as given, upper and lower case: a case-sensitive server names a table one of these ways.
        String in = spelled.stream().map(n -> "'" + n + "'").collect(java.util.stream.Collectors.joining(", "));
        // Two single-table reads joined here, not one JOIN of COLUMNS and TABLES: MariaDB 10.11 does not push the table
        // names into a join of two information_schema tables and opens every table of every database on the server
        // for it (1.12 s against 0.7 ms for the two reads on the benchmark's server, docs/benchmark.md "Id generators").
        Map<String, Long> next = new HashMap<>();
        query(c, "SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME IN (" + in + ") AND AUTO_INCREMENT IS NOT NULL", rs -> next.put(rs.getString(1), rs.getLong(2)));
        List<Moved> counters = new ArrayList<>();
        query(c, "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                + " AND EXTRA LIKE '%auto_increment%' AND TABLE_NAME IN (" + in + ")", rs -> {
                    Long from = next.get(rs.getString(1));
                    if (from != null && wanted.contains(rs.getString(1).toUpperCase(Locale.ROOT))) {
                        counters.add(new Moved(RowHashSql.checkName(rs.getString(1)), RowHashSql.checkName(rs.getString(2)), from, 0));
                    }
                });
        return counters;
    }

    /** The names as given, upper and lower case. */
    private static Set<String> spelled(Collection<String> tables, Set<String> wanted) {
        Set<String> spelled = new TreeSet<>(wanted);
        tables.forEach(t -> spelled.add(RowHashSql.checkName(t)));
        wanted.forEach(t -> spelled.add(t.toLowerCase(Locale.ROOT)));
        return spelled;
    }

    /** {@code catalog} lists table, column, next value; {@code alter} (table, column, value) moves one forward. */
    private static void moveCounters(Connection c, Set<String> wanted, List<Moved> moved, String catalog, String alter) throws SQLException {
        List<Moved> counters = new ArrayList<>();
        query(c, catalog, rs -> {
            if (wanted.contains(rs.getString(1).toUpperCase(Locale.ROOT))) {
                counters.add(new Moved(RowHashSql.checkName(rs.getString(1)), RowHashSql.checkName(rs.getString(2)), rs.getLong(3), 0));
            }
        });
        move(c, counters, moved, alter);
    }

    /** Moves each counter ({@code from}: its next value now) past its column's highest id with {@code alter}. */
    private static void move(Connection c, List<Moved> counters, List<Moved> moved, String alter) throws SQLException {
        for (Moved counter : counters) {
            long wantedNext = max(c, counter.table(), counter.column()) + 1;
            if (wantedNext > counter.from()) {
                execute(c, String.format(Locale.ROOT, alter, counter.table(), counter.column(), wantedNext));
                moved.add(new Moved(counter.table(), counter.column(), counter.from(), wantedNext));
            }
        }
    }

    private static void mssql(Connection c, Set<String> wanted) throws SQLException {
        List<String> tables = new ArrayList<>();
        query(c, "SELECT t.name FROM sys.tables t WHERE OBJECTPROPERTY(t.object_id, 'TableHasIdentity') = 1", rs -> {
            if (wanted.contains(rs.getString(1).toUpperCase(Locale.ROOT))) tables.add(RowHashSql.checkName(rs.getString(1)));
        });
        for (String t : tables) execute(c, "DBCC CHECKIDENT ('" + t + "', RESEED)");
    }

    private static void oracle(Connection c, Set<String> wanted, List<Moved> moved) throws SQLException {
        List<String[]> pairs = new ArrayList<>();
        query(c, "SELECT t.table_name, d.referenced_name, s.last_number FROM user_triggers t JOIN user_dependencies d"
                + " ON d.name = t.trigger_name AND d.type = 'TRIGGER' AND d.referenced_type = 'SEQUENCE'"
                + " JOIN user_sequences s ON s.sequence_name = d.referenced_name", rs -> {
                    if (wanted.contains(rs.getString(1).toUpperCase(Locale.ROOT))) {
                        pairs.add(new String[] {RowHashSql.checkName(rs.getString(1)), RowHashSql.checkName(rs.getString(2)), rs.getString(3)});
                    }
                });
        for (String[] p : pairs) {
            String column = idColumn(c, p[0]);
            if (column == null) continue;
            long wantedNext = max(c, p[0], column) + 1;
            long next = Long.parseLong(p[2]);
            if (wantedNext > next) {
                execute(c, "ALTER SEQUENCE " + p[1] + " RESTART START WITH " + wantedNext);
                moved.add(new Moved(p[0], column, next, wantedNext));
            }
        }
    }

    /** Oracle: the first column of the table's primary key, the one WSO2's trigger fills. */
    private static String idColumn(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT cc.column_name FROM user_constraints k JOIN user_cons_columns cc"
                + " ON cc.constraint_name = k.constraint_name WHERE k.table_name = ? AND k.constraint_type = 'P' AND cc.position = 1")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? RowHashSql.checkName(rs.getString(1)) : null;
            }
        }
    }

    private static long max(Connection c, String table, String column) throws SQLException {
        return single(c, "SELECT COALESCE(MAX(" + column + "), 0) FROM " + table);
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, Row row) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) row.accept(rs);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
