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
 * MariaDB: the base rows a pass reading production's binary log needs (ChangeScan.scanIds, ChangeScan.scanKeys), read
 * on a second staging connection while the pass's own connections read production's and staging's live rows: per
 * table with kept ids, in the compare's order, the 'P' base rows at those ids and the 'P' base's row total, then the
 * 'S' base rows at the same ids (a superset of the keys production changed: ChangeScan.scanKeys keeps those). They are
 * index lookups in a base far larger than MariaDB's buffer pool (1.0-1.2 s and 0.6-0.7 s of the benchmark's pass,
 * mostly pages read; the totals 1.1 s at load 12), so they overlap the live reads instead of adding to them.
 *
 * <p>Why another connection reads the same rows: the base is written only by a pass, under the stage row's lock this
 * pass holds (a second pass waits for it), a killed pass's writes are rolled back, a final pass's pending rows are
 * merged and committed before the pass starts, and a MariaDB pass writes no base row before its compare ends. So the
 * committed base any connection reads during the compare is the one the pass's own connection would read. Not used
 * where the pass's own transaction changed the base before the compare (a review merging pending rows it rolls back):
 * then another connection would read other rows. Production's rows are not read here: they must be read in the pass's
 * snapshot, on production's connection.
 *
 * <p>The work is shared, one table's side at a time: the other connection takes each next side in the compare's order,
 * and where the pass's thread gets to a side it has not taken yet, that thread reads it itself instead of waiting (its
 * 'S' side by the keys production changed, ChangeScan.baseRowsAtKeys). One connection alone read 21,000 base rows in
 * 4.8 s while the pass's thread, done with the live rows in 3.0 s, waited for it (docs/benchmark.md, branch s28-mypass).
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
    /** The units no thread has taken yet, in the compare's order (each table's 'P' side, then its 'S' side). */
    private final java.util.concurrent.ConcurrentLinkedDeque<Unit> unclaimed = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final ReadBeside<Void> read;
    private volatile String took = "";
    /** Units the pass's own thread took, for the log. */
    private final java.util.concurrent.atomic.AtomicInteger takenByPass = new java.util.concurrent.atomic.AtomicInteger();
    /** Set by {@link #close}: a pass that failed or stopped early needs no more tables read. */
    private volatile boolean stop;

    private IdBaseBeside(List<CatchUpTable> order, Map<String, Set<Long>> ids, Connection staging, Engine engine) {
        Map<String, CatchUpTable> byName = new LinkedHashMap<>();
        for (CatchUpTable t : order) {
            if (!ids.containsKey(t.name()) || !t.production().rangeBuckets() || !t.production().primaryKey()) continue;
            byName.put(t.name(), t);
            Unit p = new Unit(t.name(), StageBase.PRODUCTION, new CompletableFuture<>());
            production.put(t.name(), p);
            unclaimed.add(p);
            if (t.staging() == null) continue;
            Unit s = new Unit(t.name(), StageBase.STAGING, new CompletableFuture<>());
            stagingSide.put(t.name(), s);
            unclaimed.add(s);
        }
        this.read = production.isEmpty() ? null : ReadBeside.start(staging, engine.profile(), "catch-up: base rows at the binary log's ids", second -> {
            PhaseClock clock = new PhaseClock();
            for (Unit u; (u = unclaimed.pollFirst()) != null;) {
                if (stop) {
                    u.read().completeExceptionally(new SQLException("The pass stopped before the base rows of " + u.table() + " were read."));
                    continue;
                }
                CatchUpTable t = byName.get(u.table());
                try {
                    List<Long> sorted = new ArrayList<>(new TreeSet<>(ids.get(t.name())));
                    if (u.side() == StageBase.PRODUCTION) {
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
            took = clock.toString();
            return null;
        });
        if (this.read == null) unclaimed.clear();
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
        int own = takenByPass.get();
        return took + (own == 0 ? "" : "; " + own + " of " + (production.size() + stagingSide.size())
                + " table sides read on the pass's own connection, not taken yet when it got to them")
                + (failed == null ? "" : "; failed, read on the pass's own connection instead from " + failed);
    }

    /** Waits for the reads to end and closes the connection. */
    @Override
    public void close() {
        if (read == null) return;
        stop = true;
        try {
            read.close();
        } catch (Exception ignored) {
            // a failed read was thrown to the compare by await; the pass's own outcome is what counts
        }
    }
}
