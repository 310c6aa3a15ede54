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
 */
final class IdBaseBeside implements AutoCloseable {
    /** A table's base rows at its ids, 'P' and 'S' side, and the 'P' base's row total (XminScan.baseTotal). */
    record Base(Map<String, ChangeScan.BaseRow> production, Map<String, ChangeScan.BaseRow> staging, long productionTotal) {
    }

    /** Set to false, the pass reads these base rows on its own connection, as before this class (for measuring it). */
    static final String PROPERTY = "carbon.upgrade.catchup.idBaseBeside";

    private final Map<String, CompletableFuture<Base>> tables = new LinkedHashMap<>();
    private final ReadBeside<Void> read;
    private volatile String took = "";
    /** Set by {@link #close}: a pass that failed or stopped early needs no more tables read. */
    private volatile boolean stop;

    private IdBaseBeside(List<CatchUpTable> order, Map<String, Set<Long>> ids, Connection staging, Engine engine) {
        for (CatchUpTable t : order) {
            if (ids.containsKey(t.name()) && t.production().rangeBuckets() && t.production().primaryKey()) tables.put(t.name(), new CompletableFuture<>());
        }
        List<CatchUpTable> read = order.stream().filter(t -> tables.containsKey(t.name())).toList();
        this.read = tables.isEmpty() ? null : ReadBeside.start(staging, engine.profile(), "catch-up: base rows at the binary log's ids", second -> {
            PhaseClock clock = new PhaseClock();
            for (CatchUpTable t : read) {
                CompletableFuture<Base> f = tables.get(t.name());
                if (stop) {
                    f.completeExceptionally(new SQLException("The pass stopped before the base rows of " + t.name() + " were read."));
                    continue;
                }
                try {
                    List<Long> sorted = new ArrayList<>(new TreeSet<>(ids.get(t.name())));
                    Map<String, ChangeScan.BaseRow> p = ChangeScan.baseRowsAtIds(second, t.name(), StageBase.PRODUCTION, sorted,
                            t.production().keyColumns().size() > 1);
                    clock.lap("P base rows at the binary log's ids");
                    long total = XminScan.baseTotal(second, t.name());
                    clock.lap("P base total");
                    Map<String, ChangeScan.BaseRow> s = t.staging() == null ? Map.of()
                            : ChangeScan.baseRowsAtIds(second, t.name(), StageBase.STAGING, sorted, t.keyColumns().size() > 1);
                    clock.lap("S base rows at the binary log's ids");
                    f.complete(new Base(p, s, total));
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            }
            took = clock.toString();
            return null;
        });
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
     * The table's base rows at its ids, waiting for them; null where this table is not read here, or the read on the
     * other connection failed (the pass reads them on its own connection then, as without this; the failure is in
     * {@link #took}).
     */
    Base await(CatchUpTable t) {
        CompletableFuture<Base> f = tables.get(t.name());
        if (f == null) return null;
        try {
            return f.join();
        } catch (CompletionException e) {
            if (failed == null) failed = t.name() + ": " + org.carbonupgrade.audit.SafeText.line(String.valueOf(e.getCause()));
            return null;
        }
    }

    /** The first failed read on the other connection, if any (for the pass's log). */
    private volatile String failed;

    /** What the reads took per step, on the other connection, and the first failure (for the pass's log). */
    String took() {
        return took + (failed == null ? "" : "; failed, read on the pass's own connection instead from " + failed);
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
