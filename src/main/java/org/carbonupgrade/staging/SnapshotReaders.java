package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.carbonupgrade.ConnectionSettings;
import org.carbonupgrade.Engine;

/**
 * PostgreSQL: the first read of each production table (rows per id range and rows written since the base: one scan of
 * the whole table, XminScan.written) done on more connections, side by side, while the pass goes on with the tables
 * already read. Every reader sees exactly the pass's rows: the pass's repeatable-read transaction exports its snapshot
 * ({@code pg_export_snapshot()}) and each reader imports it ({@code SET TRANSACTION SNAPSHOT}) as the first statement of
 * a read-only repeatable-read transaction of its own, which it rolls back at the end. Production is only read.
 */
final class SnapshotReaders implements AutoCloseable {
    /** Readers beside the pass's own connection: the table scans are the database's work, one core each. */
    static final int READERS = 2;

    private final List<Connection> connections;
    private final ConcurrentLinkedQueue<StagedTable> queue;
    private final Map<String, CompletableFuture<XminScan.Written>> results = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong millis = new AtomicLong();
    /** Production's access snapshot for the verifier, taken by the first reader out of tables (null: not asked for). */
    private final CompletableFuture<org.carbonupgrade.access.AccessSnapshot> access;
    private final java.util.concurrent.atomic.AtomicBoolean accessTaken = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile long accessMillis;

    private SnapshotReaders(List<Connection> connections, List<StagedTable> tables, Engine engine, XminScan.Mark since,
            org.carbonupgrade.access.RealmNames names) {
        this.access = names == null ? null : new CompletableFuture<>();
        this.connections = connections;
        this.queue = new ConcurrentLinkedQueue<>(tables);
        for (StagedTable t : tables) results.put(t.name(), new CompletableFuture<>());
        for (Connection c : connections) {
            Thread thread = new Thread(() -> {
                StagedTable t;
                while ((t = queue.poll()) != null) {
                    long start = System.nanoTime();
                    try {
                        results.get(t.name()).complete(XminScan.written(c, engine, t, since));
                    } catch (SQLException | RuntimeException e) {
                        results.get(t.name()).completeExceptionally(e);
                    } finally {
                        millis.addAndGet((System.nanoTime() - start) / 1_000_000);
                    }
                }
                // Out of tables: the first reader here takes the verifier's reference, in the same snapshot.
                if (access != null && accessTaken.compareAndSet(false, true)) {
                    long start = System.nanoTime();
                    try {
                        access.complete(org.carbonupgrade.access.AccessSnapshot.takeWhole(c, names));
                    } catch (SQLException | RuntimeException e) {
                        access.completeExceptionally(e);
                    } finally {
                        accessMillis = (System.nanoTime() - start) / 1_000_000;
                    }
                }
            }, "catch-up: production reader " + threads.size());
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    /**
     * Starts {@value #READERS} readers of these tables (in this order: the pass consumes them in it) in the snapshot of
     * {@code production}'s open repeatable-read transaction, or returns null where they cannot have it (not PostgreSQL,
     * or a reader cannot connect or import it): the pass then reads every table on its own connection, as before.
     */
    static SnapshotReaders start(Connection production, ConnectionSettings settings, Engine engine, List<StagedTable> tables,
            XminScan.Mark since, java.io.PrintStream log) {
        return start(production, settings, engine, tables, since, log, null);
    }

    /**
     * @param names where not null, the first reader out of tables then takes production's access snapshot with these realm
     *        settings ({@link #access}): the verifier's reference, read in the pass's snapshot beside the pass's own work
     */
    static SnapshotReaders start(Connection production, ConnectionSettings settings, Engine engine, List<StagedTable> tables,
            XminScan.Mark since, java.io.PrintStream log, org.carbonupgrade.access.RealmNames names) {
        if (engine != Engine.POSTGRESQL || settings == null || tables.isEmpty()) return null;
        List<Connection> opened = new ArrayList<>();
        try {
            String snapshot;
            try (Statement s = production.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
                rs.next();
                snapshot = rs.getString(1);
            }
            // The exported snapshot's id is the server's text ("00000003-0000001B-1"): checked before it enters SQL.
            if (!snapshot.matches("[0-9A-Fa-f-]+")) throw new SQLException("unexpected snapshot id " + snapshot);
            for (int i = 0; i < READERS; i++) {
                Connection c = settings.connect();
                opened.add(c);
                c.setReadOnly(true);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
                }
            }
            return new SnapshotReaders(opened, tables, engine, since, names);
        } catch (SQLException | RuntimeException e) {
            log.printf("[catch-up] production: reading tables on the pass's connection only (a second reader could not share its snapshot: %s)%n",
                    org.carbonupgrade.audit.SafeText.line(String.valueOf(e.getMessage())));
            opened.forEach(SnapshotReaders::closeQuietly);
            return null;
        }
    }

    /** Whether a reader reads this table. */
    boolean reads(String table) {
        return results.containsKey(table);
    }

    /** The table's first read, waiting for it if the readers have not got to it yet; handed over once (then forgotten here). */
    XminScan.Written await(String table) throws SQLException {
        try {
            return results.get(table).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException sql) throw sql;
            throw e;
        } finally {
            results.remove(table);
        }
    }

    /** Production's access snapshot being taken by a reader, or null where it was not asked for. */
    CompletableFuture<org.carbonupgrade.access.AccessSnapshot> access() {
        return access;
    }

    /** How long the access snapshot took on its reader. */
    long accessMillis() {
        return accessMillis;
    }

    /** The readers' time in all (they overlap each other and the pass). */
    long millis() {
        return millis.get();
    }

    /**
     * Stops handing out tables, waits for the readers (and the access snapshot, if one of them is taking it), rolls their
     * transactions back and closes them.
     */
    @Override
    public void close() {
        queue.clear();
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        connections.forEach(SnapshotReaders::closeQuietly);
    }

    private static void closeQuietly(Connection c) {
        try {
            if (!c.getAutoCommit()) c.rollback();
            c.close();
        } catch (SQLException ignored) {
            // read-only: nothing to lose
        }
    }
}
