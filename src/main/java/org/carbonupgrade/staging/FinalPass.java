package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

import org.carbonupgrade.Engine;
import org.carbonupgrade.audit.SafeText;
import org.carbonupgrade.gate.ConnectedSessions;
import org.carbonupgrade.gate.MysqlGrants;

/**
 * The cut-over's catch-up pass ({@code -D}{@value #PROPERTY}{@code =true}): production is stopped, this pass is the
 * downtime, staging becomes production right after it. It refuses while any other session is on production's database
 * (the in-place gate's list, ConnectedSessions), before it reads anything and again right before its commit: a Carbon
 * server still writing would have its writes after the pass's snapshot lost at cut-over. The pass's own other
 * connections to production (ExportedSnapshot's, SharedSnapshot's, all opened through the pass's connector) are left
 * out by their session ids; the binary log's replica connection (BinlogScan) names no database, so the list, which
 * keeps to production's database, never holds it.
 */
final class FinalPass {
    static final String PROPERTY = "carbon.upgrade.catchup.final";

    /** A final pass refused: other sessions on production, or an account that cannot see them. Nothing was changed. */
    static final class Refused extends SQLException {
        Refused(String message) {
            super(message);
        }
    }

    private final Engine engine;
    private final ProductionWrites writes;
    /** Whether the first check has read production's write marks (ProductionWrites). */
    private boolean writesStarted;
    /** Session ids of the pass's own connections to production besides its main one (which the list leaves out itself). */
    private final Set<String> own = java.util.concurrent.ConcurrentHashMap.newKeySet();

    FinalPass(Engine engine) {
        this.engine = engine;
        this.writes = new ProductionWrites(engine);
    }

    /**
     * At the first check: reads production's write marks and returns a line for the log. At every later check: why the
     * cut-over cannot go ahead because a client wrote to production since the first check (and left before this one, or
     * the sessions check would have named it), or null.
     */
    String writesSince(Connection production, java.util.function.Consumer<String> log) throws SQLException {
        if (!writesStarted) {
            writesStarted = true;
            String none = writes.start(production);
            log.accept(none == null ? "final pass: production's writes are watched until the commit by " + writes.describe()
                    : "final pass: only production's sessions are watched until the commit (no record of writes: " + none + ")");
            return null;
        }
        List<String> changed = writes.since(production);
        if (changed.isEmpty()) return null;
        return "production's tables were written during the final pass by a client that is no longer connected ("
                + String.join("; ", changed.stream().map(SafeText::line).toList()) + ", by " + writes.describe()
                + "). Find and stop every client of production's database (a scheduled job, a script, a Carbon node), then run"
                + " the final pass again: a write after the final pass's snapshot would be lost at cut-over.";
    }

    /** Notes one of the pass's own connections to production (called as it is opened, before any other use). */
    Connection own(Connection c) throws SQLException {
        own.add(ConnectedSessions.id(c, engine));
        return c;
    }

    /**
     * Why the cut-over cannot go ahead on production's side now, or null: other sessions on its database (after the
     * gate's short settling wait, so a client that just disconnected does not count), or, on MySQL/MariaDB, an account
     * that cannot see other accounts' sessions.
     */
    String othersOn(Connection production) throws SQLException {
        if (engine == Engine.MYSQL) {
            MysqlGrants grants = MysqlGrants.read(production);
            if (!grants.has("PROCESS")) {
                return "the account " + grants.account() + " lacks the PROCESS privilege, so the pass cannot see other accounts' sessions"
                        + " (a Carbon server still running) on production's database. Have a DBA run GRANT PROCESS ON *.* TO "
                        + grants.account() + "; then run the final pass again.";
            }
        }
        List<String> sessions = ConnectedSessions.listSettled(production, engine, own);
        if (sessions.isEmpty()) return null;
        // A session's client, program and user are the server's text (a user name may hold a line break): one line each.
        return "other sessions are connected to production's database: " + String.join("; ", sessions.stream().map(SafeText::line).toList())
                + ". Stop every Carbon server"
                + " using production (and any other client of its database), then run the final pass again: a write after the final"
                + " pass's snapshot would be lost at cut-over.";
    }
}
