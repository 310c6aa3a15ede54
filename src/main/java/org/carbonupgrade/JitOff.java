package org.carbonupgrade;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * PostgreSQL compiles a statement's plan to machine code (JIT, PostgreSQL 11 and later) when it is costed above
 * {@code jit_above_cost}, and again for every execution. The back-fills run their statement once per chunk of about
 * 50,000 rows (ChunkedBackfill), and a chunk's plan is costed above it, often above the inlining and optimisation
 * thresholds too: EXPLAIN ANALYZE of single chunks of the primary fill at 1M users showed 119-684 ms of JIT each at
 * load 9 (docs/benchmark.md), for a fill of 41 chunks, where the plain script's single statement compiles once. (Not
 * measured: whether the driver's server-side prepared statement, after its first executions, gets a generic plan
 * costed below the threshold; either way the setting costs nothing there.) So from the gate on the update's own session runs without JIT ({@code SET jit = off}, this session only; the
 * server's setting is untouched, and it is not part of the reviewed SQL: it changes how fast, never what, a statement
 * computes). The gate's reads already do (UpgradeGate) for the same reason: single passes over large tables, where
 * compiling takes longer than it saves. Other engines have no such compiler: nothing changes there.
 */
public final class JitOff {
    private JitOff() {
    }

    /** The update's session stops compiling plans (PostgreSQL 11 and later; elsewhere nothing changes). */
    public static void forTheUpdate(Connection c) throws SQLException {
        if (Engine.of(c) != Engine.POSTGRESQL || c.getMetaData().getDatabaseMajorVersion() < 11) return;
        // A session setting: SET (not SET LOCAL) outlives its transaction and ends with the connection. It is undone if
        // that transaction rolls back (Liquibase rolls back after its catalog reads), so it is committed at once.
        try (Statement s = c.createStatement()) {
            s.execute("SET jit = off");
        }
        if (!c.getAutoCommit()) c.commit();
    }

    /**
     * The same for a connection of the verifier's reads beside (ReadBeside): single grouped passes over tables of
     * millions of rows, read once. UM_HYBRID_USER_ROLE's grouping (2M rows at 1M users) is costed above
     * jit_above_cost, and its plan is parallel: the leader and each worker compiled it, 100-190 ms each in the leader
     * alone (EXPLAIN ANALYZE on the bench staging, load 10), CPU taken from the checks beside it on two cores.
     *
     * <p>Such a connection also plans no parallel workers: its reads run beside others, which keep the cores busy, and
     * there a parallel plan ends no sooner and costs more CPU. Production's grouping of UM_HYBRID_USER_ROLE at 1M users
     * took 380-450 ms of CPU in the leader and its two workers against 310-320 ms serially, idle, for 252-317 ms against
     * 304-333 ms of wall (docs/benchmark.md, session 30). Catch-up's counts beside (staging's rows before and after a pass)
     * use it too: serially, the COUNT(*) of each of the 32 tables at 1M users took 0.27-0.29 s of PostgreSQL's CPU against
     * 0.31-0.32 s in parallel (docs/benchmark.md, session 29).
     */
    public static Connection forReads(Connection c) throws SQLException {
        if (Engine.of(c) == Engine.POSTGRESQL) {
            try (Statement s = c.createStatement()) {
                s.execute("SET max_parallel_workers_per_gather = 0");
            }
        }
        forTheUpdate(c);
        return c;
    }
}
