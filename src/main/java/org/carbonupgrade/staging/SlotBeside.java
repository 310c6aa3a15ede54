package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

import org.carbonupgrade.Engine;

/**
 * PostgreSQL: the tables read by the ids logical decoding names (SlotScan.scan, then staging's rows and 'S' base rows at
 * production's keys: ChangeScan.scanKeys), compared by whichever thread gets to them first: production's other
 * connections in the pass's snapshot (ExportedSnapshot, each with a staging connection of its own: CatchUp's reads
 * beside) take them from the front (the most ids first), the pass's thread one it reaches that none took yet, and while
 * it waits for one another thread is reading, the smallest left (from the back). They were all read on the pass's own
 * connections one table after another (docs/benchmark.md, "the merged code (main at 422d9e4 ...)": 2.4 s at 10,500 changes).
 *
 * <p>Why every thread reads the same: production's connections are all in the pass's snapshot (imported, and checked to
 * be the same: ExportedSnapshot). Staging's base rows and summary are committed rows: no pass writes them before this one
 * commits (the stage's lock), and what this pass writes there before its compare ends is only the 'P' base of tables
 * compared already (CatchUp.refreshProductionSideEarly) and nothing where another connection could miss it (a summary
 * filled in the pass's own transaction: then no staging connection of their own is used, CatchUp.startXminBeside).
 * Staging's own rows are read committed on every connection, the pass's included, and the pass writes no staged table
 * before its compare ends. A failed read fails the pass as one on the pass's own connection would.
 */
final class SlotBeside {
    /** One table compared: production's side, staging's at production's keys, and production's row count. */
    record Compared(ChangeScan.Result production, ChangeScan.Result staging, long productionRows) {
    }

    private final Engine engine;
    private final Map<String, Set<Integer>> buckets;
    private final Map<String, Set<Long>> ids;
    private final Map<String, Set<String>> gone;
    /** Tables no thread has taken yet, the most ids first. */
    private final ConcurrentLinkedDeque<CatchUpTable> unclaimed = new ConcurrentLinkedDeque<>();
    private final Map<String, CompletableFuture<Compared>> compared = new ConcurrentHashMap<>();

    /**
     * @param tables the tables read by the decoded ids ({@code buckets} has them), in any order
     */
    SlotBeside(Engine engine, List<CatchUpTable> tables, Map<String, Set<Integer>> buckets, Map<String, Set<Long>> ids,
            Map<String, Set<String>> gone) {
        this.engine = engine;
        this.buckets = buckets;
        this.ids = ids;
        this.gone = gone;
        List<CatchUpTable> mostFirst = new ArrayList<>(tables);
        mostFirst.sort(Comparator.comparingLong(this::cost).reversed());
        for (CatchUpTable t : mostFirst) compared.put(t.name(), new CompletableFuture<>());
        unclaimed.addAll(mostFirst);
    }

    /** The rows a table's reads touch, roughly: its decoded ids (and old keys); a table over SlotScan.MAX_IDS reads whole buckets. */
    private long cost(CatchUpTable t) {
        Set<Long> named = ids.get(t.name());
        if (named == null) return Long.MAX_VALUE / 2 + buckets.get(t.name()).size();
        Set<String> keys = gone.get(t.name());
        return named.size() + (keys == null ? 0 : keys.size());
    }

    /**
     * On another connection's thread: compares tables until none is left or one failed (its transaction is then aborted:
     * the failure goes to that table's waiter, and the others are left to the pass's thread). Returns the tables it took.
     */
    List<String> work(Connection production, Connection staging, PhaseClock clock) {
        List<String> took = new ArrayList<>();
        for (CatchUpTable t; (t = unclaimed.pollFirst()) != null;) {
            took.add(t.name());
            if (!run(t, production, staging, clock)) break;
        }
        return took;
    }

    /**
     * On the pass's thread: {@code t} compared, by this thread where no other took it yet, else by the one that did
     * (meanwhile this thread compares the smallest tables left). {@code production} and {@code staging}: the pass's own.
     */
    Compared await(CatchUpTable t, Connection production, Connection staging, PhaseClock clock) throws SQLException {
        CompletableFuture<Compared> mine = compared.get(t.name());
        if (mine == null) throw new IllegalArgumentException(t.name() + " is not read by the decoded ids");
        boolean beside = !unclaimed.remove(t);
        if (!beside) {
            run(t, production, staging, clock);
        } else {
            for (CatchUpTable other; !mine.isDone() && (other = unclaimed.pollLast()) != null;) {
                if (!run(other, production, staging, clock)) break; // its waiter, this thread later, gets the failure
            }
            clock.restart();
        }
        try {
            return mine.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException sql) throw sql;
            throw new SQLException("Comparing " + t.name() + " at the decoded ids on another connection failed: " + e.getCause(), e.getCause());
        } finally {
            if (beside) clock.lap("P and S at the decoded ids beside (waited for)");
        }
    }

    /** Leaves the tables no thread took to nobody (a pass that failed or stopped comparing). */
    void close() {
        unclaimed.clear();
    }

    /** Compares {@code t} on these connections into its future; false where it failed. */
    private boolean run(CatchUpTable t, Connection production, Connection staging, PhaseClock clock) {
        CompletableFuture<Compared> into = compared.get(t.name());
        try {
            into.complete(compare(production, staging, engine, t, buckets.get(t.name()), ids.get(t.name()), gone.get(t.name()), clock));
            return true;
        } catch (Throwable e) {
            into.completeExceptionally(e);
            return false;
        }
    }

    /** One table: production's changes at the decoded ids, then staging's rows and 'S' base rows at their keys. */
    static Compared compare(Connection production, Connection staging, Engine engine, CatchUpTable t, Set<Integer> buckets, Set<Long> ids,
            Set<String> gone, PhaseClock clock) throws SQLException {
        Map<String, Long> counted = new HashMap<>();
        ChangeScan.Result p = SlotScan.scan(production, staging, engine, t, buckets, ids, gone, clock, counted);
        ChangeScan.Result s = t.stagingColumns() == null ? new ChangeScan.Result(Map.of(), Map.of(), Set.of(), Map.of())
                : ChangeScan.scanKeys(staging, engine, t, p, clock);
        Long rows = counted.get(t.name());
        return new Compared(p, s, rows == null ? -1 : rows);
    }
}
