package org.carbonupgrade.gate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.carbonupgrade.Engine;

/**
 * Lists the other sessions on the same database: a Carbon server still connected would race the upgrade. Public for
 * catch-up's final pass (staging.FinalPass), which refuses on the same list, less the pass's own connections.
 */
public final class ConnectedSessions {
    private ConnectedSessions() {
    }

    /**
     * The sessions still there after a short wait: a client that has just disconnected can linger in the
     * server's list for a moment, and must not make the gate refuse.
     */
    static List<String> listSettled(Connection c, Engine engine) throws SQLException {
        return listSettled(c, engine, java.util.Set.of());
    }

    /**
     * As above, also leaving out the sessions whose ids are in {@code own} (as {@link #id} gives them): a caller's
     * other connections to the same database.
     */
    public static List<String> listSettled(Connection c, Engine engine, java.util.Set<String> own) throws SQLException {
        List<String> sessions = list(c, engine, own);
        for (int attempt = 0; attempt < 4 && !sessions.isEmpty(); attempt++) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sessions = list(c, engine, own);
        }
        return sessions;
    }

    /** This connection's session id on its server, as the list compares it (PostgreSQL's pid, MySQL's thread id, H2's session id). */
    public static String id(Connection c, Engine engine) throws SQLException {
        String sql = switch (engine) {
            case POSTGRESQL -> "SELECT pg_backend_pid()";
            case MYSQL -> "SELECT CONNECTION_ID()";
            case H2 -> "SELECT SESSION_ID()";
            case MSSQL -> "SELECT @@SPID";
            case ORACLE -> "SELECT SYS_CONTEXT('USERENV', 'SID') FROM DUAL";
        };
        String[] id = {null};
        UpgradeGate.query(c, sql, rs -> id[0] = rs.getString(1));
        return id[0];
    }

    private static List<String> list(Connection c, Engine engine, java.util.Set<String> own) throws SQLException {
        List<String> out = new ArrayList<>();
        switch (engine) {
            case POSTGRESQL -> listPostgres(c, out, own);
            case MYSQL -> UpgradeGate.query(c, "SELECT ID, HOST, USER, COMMAND, TIME FROM information_schema.PROCESSLIST"
                    + " WHERE DB = DATABASE() AND ID <> CONNECTION_ID() AND COMMAND <> 'Daemon'",
                    rs -> {
                        if (own.contains(rs.getString("ID"))) return;
                        out.add(describe(rs.getString("HOST"), rs.getString("COMMAND"), rs.getString("USER"),
                            rs.getLong("TIME") + "s ago", "id " + rs.getString("ID")));
                    });
            case H2 -> UpgradeGate.query(c, "SELECT * FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID <> SESSION_ID()",
                    rs -> {
                        if (own.contains(column(rs, "SESSION_ID"))) return;
                        out.add(describe(column(rs, "CLIENT_ADDR"), column(rs, "CLIENT_INFO"), column(rs, "USER_NAME"),
                                column(rs, "SESSION_START"), "session " + column(rs, "SESSION_ID")));
                    });
            case MSSQL -> UpgradeGate.query(c, "SELECT session_id, host_name, program_name, login_name, login_time"
                    + " FROM sys.dm_exec_sessions WHERE database_id = DB_ID() AND session_id <> @@SPID AND is_user_process = 1",
                    rs -> out.add(describe(rs.getString("host_name"), rs.getString("program_name"), rs.getString("login_name"),
                            rs.getString("login_time"), "session " + rs.getString("session_id"))));
            case ORACLE -> UpgradeGate.query(c, "SELECT sid, machine, program, username, logon_time FROM v$session"
                    + " WHERE username = USER AND sid <> SYS_CONTEXT('USERENV', 'SID')",
                    rs -> out.add(describe(rs.getString("machine"), rs.getString("program"), rs.getString("username"),
                            rs.getString("logon_time"), "sid " + rs.getString("sid"))));
        }
        return out;
    }

    /**
     * PostgreSQL shows a role the pid, database, role and program of other roles' sessions but hides their client,
     * start time and backend type unless it has pg_read_all_stats (or pg_monitor, or is superuser). Such a row on
     * this database is counted as a session, and the message says which grant shows the details.
     */
    private static void listPostgres(Connection c, List<String> out, java.util.Set<String> own) throws SQLException {
        java.util.Set<String> hiddenRoles = new java.util.TreeSet<>();
        int[] hidden = {0};
        String[] me = {null};
        UpgradeGate.query(c, "SELECT pid, client_addr, application_name, usename, backend_start, backend_type,"
                + " quote_ident(current_user) AS me FROM pg_stat_activity WHERE datname = current_database()"
                + " AND pid <> pg_backend_pid() AND (backend_type = 'client backend' OR backend_type IS NULL)", rs -> {
                    me[0] = rs.getString("me");
                    if (own.contains(rs.getString("pid"))) return;
                    if (rs.getString("backend_type") == null) {
                        hidden[0]++;
                        hiddenRoles.add(String.valueOf(rs.getString("usename")));
                    } else {
                        out.add(describe(rs.getString("client_addr"), rs.getString("application_name"), rs.getString("usename"),
                                rs.getString("backend_start"), "pid " + rs.getString("pid")));
                    }
                });
        if (hidden[0] > 0) {
            out.add(hidden[0] + " session(s) of role(s) " + hiddenRoles + " whose client and start time role " + me[0]
                    + " may not see (GRANT pg_read_all_stats TO " + me[0] + " shows them)");
        }
    }

    private static String column(ResultSet rs, String name) {
        try {
            return rs.getString(name);
        } catch (SQLException e) {
            return null; // H2 versions differ in which session columns they have
        }
    }

    private static String describe(String client, String program, String user, String since, String id) {
        return (client == null || client.isBlank() ? "local" : client) + " " + (program == null || program.isBlank() ? "(no program name)" : program)
                + " as " + user + " since " + since + " [" + id + "]";
    }
}
