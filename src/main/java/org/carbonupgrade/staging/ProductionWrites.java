package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.carbonupgrade.Engine;

/**
 * The final pass's second witness that production was idle: per-table marks the server keeps of committed writes, read at
 * the pass's first check and compared right before its commit. The sessions check (FinalPass.othersOn) sees a client
 * only while it is connected: one that connects after the first check, writes and disconnects before the last would be
 * missed, and its rows lost at cut-over (a cron job, a script, a Carbon node started and stopped again). The marks:
 * <ul>
 * <li>PostgreSQL: pg_stat_user_tables' row counters (n_tup_ins + n_tup_upd + n_tup_del) of production's schema. User
 * tables only: an autoanalyze writes pg_statistic, a catalog, and would otherwise read as a write. A backend reports its
 * counters when it ends, before it leaves pg_stat_activity (PostgreSQL 15 and later: shared memory, before_shmem_exit);
 * earlier versions send them to the statistics collector, which publishes them within half a second, so there the
 * second read waits {@value #COLLECTOR_WAIT_MILLIS} ms first. Nothing is known with track_counts off.</li>
 * <li>MySQL/MariaDB: information_schema.TABLES' UPDATE_TIME, which InnoDB sets in memory when a transaction that
 * changed the table commits (MySQL 8 caches the column for a day unless the session sets
 * information_schema_stats_expiry to 0, which is done here). It holds seconds only: where a table's mark is the
 * current second at the first read, that read is repeated in the next second, so a later write cannot leave the same
 * mark. A mark that became NULL (the table left InnoDB's dictionary cache, or a restart) is not taken as a write.</li>
 * <li>H2 and other engines: no marks; the sessions check alone (an embedded H2 database has no other clients).</li>
 * </ul>
 * The pass never writes production, so any change of a mark is another client's write.
 */
final class ProductionWrites {
    static final long COLLECTOR_WAIT_MILLIS = 1000;

    private final Engine engine;
    /** Table -> mark at the first read; null before it, or where the engine keeps none. */
    private Map<String, String> first;
    private String unavailable;

    ProductionWrites(Engine engine) {
        this.engine = engine;
    }

    /** Reads the marks (the first call), to be compared by {@link #since}. Returns why none can be read, or null. */
    String start(Connection production) throws SQLException {
        unavailable = unavailable(production);
        if (unavailable != null) return unavailable;
        first = marks(production);
        if (engine == Engine.MYSQL && first.values().stream().anyMatch(Objects::nonNull) && markedThisSecond(production)) {
            sleep(1100);
            first = marks(production);
        }
        return null;
    }

    /**
     * The tables whose marks changed since {@link #start}, each with both marks ("UM_USER: 4 -> 5"), empty where none
     * did or none could be read.
     */
    List<String> since(Connection production) throws SQLException {
        if (first == null) return List.of();
        if (engine == Engine.POSTGRESQL && production.getMetaData().getDatabaseMajorVersion() < 15) sleep(COLLECTOR_WAIT_MILLIS);
        Map<String, String> now = marks(production);
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, String> e : now.entrySet()) {
            String was = first.get(e.getKey());
            String is = e.getValue();
            if (is == null || is.equals(was)) continue;
            changed.add(e.getKey() + ": " + (was == null ? "none" : was) + " -> " + is);
        }
        return changed;
    }

    /** What the marks are on this engine, for the log. */
    String describe() {
        return switch (engine) {
            case POSTGRESQL -> "its tables' row counters (pg_stat_user_tables)";
            case MYSQL -> "its tables' last commit times (information_schema.TABLES.UPDATE_TIME)";
            default -> "none";
        };
    }

    private String unavailable(Connection production) throws SQLException {
        switch (engine) {
            case POSTGRESQL -> {
                String on = single(production, "SELECT current_setting('track_counts')");
                return "on".equalsIgnoreCase(on) ? null : "track_counts is off on production's server, so it counts no writes";
            }
            case MYSQL -> {
                try (Statement s = production.createStatement()) {
                    s.execute("SET SESSION information_schema_stats_expiry = 0");
                } catch (SQLException e) {
                    // MariaDB has no such cache (and no such variable: error 1193); MySQL 8 does.
                    if (e.getErrorCode() != 1193) throw e;
                }
                return null;
            }
            default -> {
                return "the " + engine.profile() + " engine keeps no per-table record of writes";
            }
        }
    }

    private Map<String, String> marks(Connection production) throws SQLException {
        String sql = engine == Engine.POSTGRESQL
                ? "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables WHERE schemaname = current_schema()"
                : "SELECT TABLE_NAME, UPDATE_TIME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'";
        Map<String, String> marks = new TreeMap<>();
        try (Statement s = production.createStatement()) {
            // PostgreSQL keeps one statistics snapshot per transaction (stats_fetch_consistency): read fresh ones.
            if (engine == Engine.POSTGRESQL && !production.getAutoCommit()) s.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) marks.put(rs.getString(1), rs.getString(2));
            }
        }
        return marks;
    }

    private boolean markedThisSecond(Connection production) throws SQLException {
        String sql = "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND UPDATE_TIME >= NOW()";
        return !"0".equals(single(production, sql));
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
