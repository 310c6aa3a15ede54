package org.carbonupgrade;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * When the update's commits wait for the disk. Each changeset commits twice (its change, then its DATABASECHANGELOG
 * row) and each back-fill chunk once: on PostgreSQL about 240 commits at 1M users, each waiting for a WAL flush, where
 * the plain script commits once. Between the gate and the verification the update's own session commits without
 * waiting ({@code SET synchronous_commit = off}, this session only; the server's setting is untouched). The verification
 * turns waiting on again before it starts: the next commit that writes (at the latest its own DATABASECHANGELOG row)
 * flushes the WAL up to itself, so every change before it is on disk before the update reports success.
 *
 * <p>Why convergence holds: PostgreSQL writes WAL in commit order, so a server crash (not a killed client: the server
 * still flushes within {@code 3 x wal_writer_delay}) can lose only the last few commits, never one before a kept one.
 * A changeset's DATABASECHANGELOG row is committed after its change, so no lost change is ever recorded as run; the next
 * run redoes what was lost (every changeset is guarded by the catalog and every back-fill touches only rows still
 * lacking a domain id), exactly as after a run killed at that point. The other engines have no per-session switch
 * (MySQL's {@code innodb_flush_log_at_trx_commit} is server-wide): their commits keep waiting.
 */
public final class CommitFlush {
    private CommitFlush() {
    }

    /** The update's session stops waiting for each commit's flush (PostgreSQL; elsewhere nothing changes). */
    public static void deferFlushes(Connection c) throws SQLException {
        set(c, "off");
    }

    /** Commits wait for their flush again; the next commit also flushes every deferred one before it. */
    public static void waitForFlushes(Connection c) throws SQLException {
        set(c, "on");
    }

    private static void set(Connection c, String value) throws SQLException {
        if (Engine.of(c) != Engine.POSTGRESQL) return;
        // A session setting: SET (not SET LOCAL) outlives its transaction and ends with the connection. It is undone if
        // that transaction rolls back (Liquibase rolls back after its catalog reads), so it is committed at once.
        try (Statement s = c.createStatement()) {
            s.execute("SET synchronous_commit = " + value);
        }
        if (!c.getAutoCommit()) c.commit();
    }
}
