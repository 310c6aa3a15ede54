package org.carbonupgrade.gate;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.carbonupgrade.Engine;

/**
 * The session check is only as good as what the account may see. On MySQL/MariaDB an account without the PROCESS
 * privilege sees only its own threads in the process list, so a running Carbon server would go unnoticed: the gate
 * refuses and names the privilege. (PostgreSQL shows every role's sessions on the database, with details hidden;
 * ConnectedSessions counts those and names pg_read_all_stats.)
 */
final class SessionVisibility {
    private SessionVisibility() {
    }

    static void check(Connection c, Engine engine, GateSettings settings, boolean reviewOnly, List<String> refusals,
                      List<String> warnings) throws SQLException {
        if (engine != Engine.MYSQL) return;
        MysqlGrants grants = MysqlGrants.read(c);
        if (grants.has("PROCESS")) return;
        String blind = "The account " + grants.account() + " lacks the PROCESS privilege, so the gate cannot see other"
                + " accounts' sessions (a Carbon server still running) on this database.";
        if (reviewOnly) {
            warnings.add(blind + " Check that every Carbon server is stopped before the real update.");
        } else if (settings.allowSessions()) {
            warnings.add(blind + " -D" + GateSettings.ALLOW_SESSIONS + "=true overrides the check, on the operator's word.");
        } else {
            refusals.add(blind + " Have a DBA run GRANT PROCESS ON *.* TO " + grants.account() + "; or, once you have made sure"
                    + " every Carbon server is stopped, pass -D" + GateSettings.ALLOW_SESSIONS + "=true (that is recorded).");
        }
    }
}
