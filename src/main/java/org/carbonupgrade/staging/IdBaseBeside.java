package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.carbonupgrade.Engine;
import org.carbonupgrade.ReadBeside;

/**
 * MariaDB: the rows at the binary log's ids a pass compares besides production's own (ChangeScan.scanIds,
 * ChangeScan.scanKeys), read on other staging connections while the pass's own connections read production's live rows:
 * per table with kept ids, in the compare's order, the 'P' base rows at those ids and the 'P' base's row total,
 * staging's live rows at the same ids, and the 'S' base rows at them (supersets of the keys production changed:
 * ChangeScan.scanKeys keeps those). The ids are known from the log before production is read, so none of these waits
 * for production's rows. They are index lookups in a base far larger than MariaDB's buffer pool and in staging's
 * tables, mostly pages read, so they overlap the live reads instead of adding to them.
 *
 * <p>Why another connection reads the same rows: the base is written only by a pass, under the stage row's lock this
 * pass holds (a second pass waits for it), a killed pass's writes are rolled back, a final pass's pending rows are
 * merged and committed before the pass starts, and a MariaDB pass writes no base row before its compare ends. So the
 * committed base any connection reads during the compare is the one the pass's own connection would read. Staging's
 * live rows: the pass writes none before its compare ends either, and what it reads of them is staging's rows now at
 * production's keys, which another session on staging may change before or after either read alike (a row gone by the
 * pass's update is a conflict, a key taken by its insert a duplicate key: refused both ways). Not used where the pass's
 * own transaction changed the base before the compare (a review merging pending rows it rolls back): then another
 * connection would read other rows. Production's rows are not read here: they must be read in the pass's snapshot, on
 * production's connection.
 *
 * <p>The work is shared, one table's read at a time: the other connections ({@value #CONNECTIONS}, default 2) take each
 * next read in the compare's order; where the pass's thread gets to one nobody has taken yet, that thread reads it
 * itself (by the keys production changed: ChangeScan.rowsAtKeys, ChangeScan.baseRowsAtKeys), and where it would wait
 * for one being read, it reads the reads the others would get to last on its own connection meanwhile. One connection
 * alone read the 21,000 base rows in 4.8 s while the pass's thread, done with the live rows in 3.0 s, waited for it;
 * two connections without that still left it waiting 0.9-1.9 s, loaded (docs/benchmark.md, branch s28-mypass).
 */
final class IdBaseBeside implements AutoCloseable {
    /** A table's 'P' base rows at its ids and the 'P' base's row total (XminScan.baseTotal). */
    record Production(Map<String, ChangeScan.BaseRow> rows, long total) {
    }

    /** Set to false, the pass reads these base rows on its own connection, as before this class (for measuring it). */
    static final String PROPERTY = "carbon.upgrade.catchup.idBaseBeside";

    /**
     * One side of one table: the 'P' side's rows at the ids and total, or the 'S' side's rows at the ids. Taken by the
     * other connection's thread in the compare's order, or by the pass's thread when it needs one nobody has taken yet.
     */
    private record Unit(String table, char side, CompletableFuture<Object> read) {
    }

    private final Map<String, Unit> production = new LinkedHashMap<>();
    private final Map<String, Unit> stagingSide = new LinkedHashMap<>();
    /** Staging's live rows at the ids (side {@link #LIVE}): read by the ids alone, known from the log before production is read. */
    private final Map<String, Unit> stagingRows = new LinkedHashMap<>();
    /** The unit kind of staging's live rows at the ids (not a base side). */
    private static final char LIVE = 'L';
    /** The units no thread has taken yet, in the compare's order (each table's 'P' side, then its 'S' side). */
    private final java.util.concurrent.ConcurrentLinkedDeque<Unit> unclaimed = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final List<ReadBeside<Void>> reads = new ArrayList<>();
    private final ReadBeside<Void> read;
    private volatile String took = "";
    /** Units the pass's own thread took, for the log. */
    private final java.util.concurrent.atomic.AtomicInteger takenByPass = new java.util.concurrent.atomic.AtomicInteger();
    /** Set by {@link #close}: a pass that failed or stopped early needs no more tables read. */
    private volatile boolean stop;

    /** The pass's own staging connection and what it needs to read a unit there (see {@link #await}). */
    private final Connection own;
    private final Map<String, CatchUpTable> byName = new LinkedHashMap<>();
    private final Map<String, Set<Long>> ids;
    private final Engine engine;
    private final PhaseClock ownClock = new PhaseClock();

    private IdBaseBeside(List<CatchUpTable> order, Map<String, Set<Long>> ids, Connection staging, Engine engine) {
        this.own = staging;
        this.ids = ids;
        this.engine = engine;
        for (CatchUpTable t : order) {
            if (!ids.containsKey(t.name()) || !t.production().rangeBuckets() || !t.production().primaryKey()) continue;
            byName.put(t.name(), t);
            Unit p = new Unit(t.name(), StageBase.PRODUCTION, new CompletableFuture<>());
            production.put(t.name(), p);
            unclaimed.add(p);
            if (t.staging() == null) continue;
            Unit live = new Unit(t.name(), LIVE, new CompletableFuture<>());
            stagingRows.put(t.name(), live);
            unclaimed.add(live);
            Unit s = new Unit(t.name(), StageBase.STAGING, new CompletableFuture<>());
            stagingSide.put(t.name(), s);
            unclaimed.add(s);
        }
        int connections = Math.max(1, Integer.getInteger(CONNECTIONS, 2));
        for (int i = 0; i < connections && !production.isEmpty(); i++) {
            ReadBeside<Void> r = ReadBeside.start(staging, engine.profile(), "catch-up: rows at the binary log's ids", second -> {
                work(second);
                return null;
            });
            if (r == null) break;
            reads.add(r);
        }
        this.read = reads.isEmpty() ? null : reads.get(0);
        if (this.read == null) unclaimed.clear();
    }

    /** Connections reading beside the pass's thread (default 2: with the pass's own, as many reads at once as the machine's cores and one more). */
    static final String CONNECTIONS = "carbon.upgrade.catchup.idBaseConnections";

    /** One other connection's thread: takes the next unit nobody has taken until none is left. */
    private void work(Connection second) {
        PhaseClock clock = new PhaseClock();
        for (Unit u; (u = unclaimed.pollFirst()) != null;) {
            if (stop) {
                u.read().completeExceptionally(new SQLException("The pass stopped before these rows of " + u.table() + " were read."));
                continue;
            }
            read(u, second, byName, ids, engine, clock);
        }
        synchronized (this) {
            took = took.isEmpty() ? clock.toString() : took + "; " + clock;
        }
    }

    /** One unit's rows, read on {@code c}, into its future (a failure too). */
    private static void read(Unit u, Connection second, Map<String, CatchUpTable> byName, Map<String, Set<Long>> ids, Engine engine, PhaseClock clock) {
        CatchUpTable t = byName.get(u.table());
        try {
            List<Long> sorted = new ArrayList<>(new TreeSet<>(ids.get(t.name())));
            if (u.side() == LIVE) {
                u.read().complete(ChangeScan.rowsAtIds(second, engine, t, sorted));
                clock.lap("S rows at the binary log's ids");
            } else if (u.side() == StageBase.PRODUCTION) {
                Map<String, ChangeScan.BaseRow> p = ChangeScan.baseRowsAtIds(second, t.name(), StageBase.PRODUCTION, sorted,
                        t.production().keyColumns().size() > 1);
                clock.lap("P base rows at the binary log's ids");
                long total = XminScan.baseTotal(second, t.name());
                clock.lap("P base total");
                u.read().complete(new Production(p, total));
            } else {
                Map<String, ChangeScan.BaseRow> s = ChangeScan.baseRowsAtIds(second, t.name(), StageBase.STAGING, sorted, t.keyColumns().size() > 1);
                clock.lap("S base rows at the binary log's ids");
                u.read().complete(s);
            }
        } catch (Throwable e) {
            u.read().completeExceptionally(e);
        }
    }

    /**
     * Starts reading the base rows at these tables' ids beside the compare, or returns null where no second staging
     * connection is had (ReadBeside: the run's settings do not reach staging) or there is nothing to read: the pass then
     * reads them on its own connection, as before.
     */
    static IdBaseBeside start(Connection staging, Engine engine, List<CatchUpTable> order, Map<String, Set<Long>> ids) {
        if (engine != Engine.MYSQL || ids == null || ids.isEmpty() || !Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) return null;
        IdBaseBeside beside = new IdBaseBeside(order, ids, staging, engine);
        return beside.read == null ? null : beside;
    }

    /**
     * The table's 'P' base rows at its ids and the base's total, waiting for them if the other connection is reading
     * them; null where the pass's own thread reads them: this table is not read here, nobody had taken them yet (the
     * other connection is behind: the pass's thread, which would otherwise wait, reads them itself and the other
     * connection goes on with the next ones), or the read on the other connection failed (in {@link #took}).
     */
    Production production(CatchUpTable t) {
        return (Production) await(production.get(t.name()));
    }

    /**
     * As {@link #production}, staging's rows now at the table's ids (ChangeScan.rowsAtIds), or null: the pass's thread reads
     * them itself (also where they cannot be read by the ids alone).
     */
    @SuppressWarnings("unchecked")
    Map<String, ChangeScan.Row> stagingRows(CatchUpTable t) {
        return (Map<String, ChangeScan.Row>) await(stagingRows.get(t.name()));
    }

    /** As {@link #production}, the table's 'S' base rows at its ids. */
    @SuppressWarnings("unchecked")
    Map<String, ChangeScan.BaseRow> staging(CatchUpTable t) {
        return (Map<String, ChangeScan.BaseRow>) await(stagingSide.get(t.name()));
    }

    private Object await(Unit u) {
        if (u == null) return null;
        if (unclaimed.remove(u)) {
            takenByPass.incrementAndGet();
            return null;
        }
        // Rather than wait, the pass's thread reads the units the other connections would get to last, on its own connection.
        while (own != null && !u.read().isDone()) {
            Unit last = unclaimed.pollLast();
            if (last == null) break;
            ownClock.restart();
            read(last, own, byName, ids, engine, ownClock);
            takenByPass.incrementAndGet();
        }
        try {
            return u.read().join();
        } catch (CompletionException e) {
            if (failed == null) failed = u.table() + ": " + org.carbonupgrade.audit.SafeText.line(String.valueOf(e.getCause()));
            return null;
        }
    }

    /** The first failed read on the other connection, if any (for the pass's log). */
    private volatile String failed;

    /** What the reads took per step, on the other connection, and the first failure (for the pass's log). */
    String took() {
        int byPass = takenByPass.get();
        return reads.size() + " connection(s): " + took + (byPass == 0 ? "" : "; " + byPass + " of " + (production.size() + stagingSide.size() + stagingRows.size())
                + " reads done on the pass's own connection, nobody's yet when it needed them or waited (" + ownClock + ")")
                + (failed == null ? "" : "; failed, read on the pass's own connection instead from " + failed);
    }

    /** Waits for the reads to end and closes the connection. */
    @Override
    public void close() {
        if (read == null) return;
        stop = true;
        for (ReadBeside<Void> r : reads) {
            try {
                r.close();
            } catch (Exception ignored) {
                // a failed read was thrown to the compare by await; the pass's own outcome is what counts
            }
        }
    }
}
