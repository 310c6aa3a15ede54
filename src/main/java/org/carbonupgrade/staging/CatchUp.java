package org.carbonupgrade.staging;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;

import org.carbonupgrade.Engine;
import org.carbonupgrade.JitOff;
import org.carbonupgrade.ReadBeside;
import org.carbonupgrade.access.AccessSnapshot;
import org.carbonupgrade.access.RealmNames;
import org.carbonupgrade.audit.SafeText;
import org.carbonupgrade.staging.ChangeScan.Change;
import org.carbonupgrade.staging.ChangeScan.Kind;
import org.carbonupgrade.verify.VerificationReport;
import org.carbonupgrade.verify.Verifier;

/**
 * One catch-up pass: brings a staged, upgraded database up to production's rows now (docs/staging.md, "Catch-up").
 * Production is read in one read-only repeatable-read transaction; staging is written in one transaction holding the
 * applied rows, the upgrade's transforms of them, the refreshed base rows and the audit row, so a pass killed
 * anywhere leaves staging as it was. A key both sides changed since the base, or a production insert whose key
 * staging already holds, refuses the whole pass: nothing is applied, the refusal and its rows are recorded.
 */
public final class CatchUp {
    /** Measuring only: -D{@value}=true adds the server's pages read from disk to each step of the log's "time per step" (MariaDB). */
    static final String PAGE_READS = "carbon.upgrade.catchup.pageReads";

    /** Tables whose 4.0.x rows the upgrade archives and removes (changelogs/carbon/um-claim.xml): caught up in the archive. */
    static final Set<String> ARCHIVED_BY_UPGRADE = Set.of(RowWriter.CLAIM_BEHAVIOR);

    /** A key the pass cannot apply, with what each side did. */
    public record Conflict(String table, String key, String production, String staging) {
        @Override
        public String toString() {
            return table + " key [" + SafeText.line(key) + "]: production " + production + ", staging " + staging;
        }
    }

    /**
     * Per table: production's inserts/updates/deletes applied, and staging's own rows kept: its own inserts minus its own
     * deletes since the base (staging's rows now minus its 'S' base keys; staging's rows are not read one by one, so its
     * own updates are not counted).
     */
    public record TableCounts(int inserted, int updated, int deleted, long ownRows) {
        int applied() {
            return inserted + updated + deleted;
        }

        @Override
        public String toString() {
            return "production +" + inserted + " ~" + updated + " -" + deleted + "; staging's own rows " + (ownRows < 0 ? "" : "+") + ownRows;
        }
    }

    public record Outcome(String passId, boolean applied, int rows, Map<String, TableCounts> counts, List<Conflict> conflicts,
            VerificationReport verification) {
        public boolean refused() {
            return !conflicts.isEmpty();
        }
    }

    private record TableDelta(CatchUpTable table, ChangeScan.Result production, ChangeScan.Result staging) {
    }

    private final Connection production;
    private final Connection staging;
    private final boolean identityServer;
    private final PrintStream review;
    private final PrintStream log;
    private final String sourceUrl;
    private final Engine engine;
    /** The change being written, for the conflict a constraint violation reports. */
    private Applying applying = new Applying("", "", Kind.INSERT);
    /** Whether this pass reads the base's per-bucket figures from the summary table (see {@link #summarized}). */
    private boolean summarized;
    private final PhaseClock clock = new PhaseClock();
    /** Production's row count per table in this pass's snapshot, where the scan counted it already (XminScan). */
    private final Map<String, Long> productionRows = new java.util.HashMap<>();
    /** Whether the transforms' lookup indexes are on staging now (TransformScope.createLookupIndexes). */
    private boolean lookupIndexes;
    /** PostgreSQL: the transforms' lookup indexes being built on a second connection during the compare (null: built, or none). */
    private ReadBeside<Void> lookupIndexBuild;
    /** The upgrade's data changesets, parsed while the pass compares (null in review mode and on H2). */
    private CompletableFuture<Map<String, ChangeSet>> changeSets;
    private record Applying(String table, String key, Kind kind) {
    }

    /**
     * @param review where to print the pass as SQL (nothing is changed, not even the audit row), or null to apply it
     * @param sourceUrl production's URL without its password, for the audit row
     */
    public CatchUp(Connection production, Connection staging, boolean identityServer, PrintStream review, PrintStream log, String sourceUrl)
            throws SQLException {
        this.production = production;
        this.staging = staging;
        this.identityServer = identityServer;
        this.review = review;
        this.log = log;
        this.sourceUrl = sourceUrl;
        this.engine = Engine.of(staging);
        Engine source = Engine.of(production);
        if (source != engine) {
            throw new SQLException("Production is " + source.describe(production) + " and staging is " + engine.describe(staging)
                    + ": catch-up compares row hashes computed by the same engine on both sides. Stage into the same engine.");
        }
        if (engine == Engine.MSSQL || engine == Engine.ORACLE) {
            throw new SQLException("Catch-up runs on H2, PostgreSQL and MySQL/MariaDB (the engines it is tested on), not on "
                    + engine.profile() + ": stop production and upgrade in place, or run the stage command again before cut-over.");
        }
    }

    public Outcome run() throws Exception {
        String passId = UUID.randomUUID().toString();
        Instant started = Instant.now();
        if (finalPass != null) {
            // The pass's own other connections to production are noted as they open, so the checks leave them out.
            SharedSnapshot.Connector plain = productionConnector;
            if (plain != null) productionConnector = () -> finalPass.own(plain.connect());
            checkFinal(passId, started);
        }
        if (engine == Engine.MYSQL && Boolean.getBoolean(PAGE_READS)) clock.counting(this::pagesRead);
        clock.restart();
        requireStagedAndUpgraded();
        if (review == null) requireTemporaryTables();
        // The verifier's 4.2.0 reference, parsed on its own thread while the pass compares (SnakeYAML: most of a second).
        if (review == null) org.carbonupgrade.schema.ReferenceSchema.parseBeside(org.carbonupgrade.schema.ReferenceSchema.nameFor(staging, engine));
        List<CatchUpTable> tables = engine == Engine.MYSQL
                ? CatchUpTable.withBare(CatchUpTable.read(staging), RowHashSql.bareColumns(production, engine), RowHashSql.bareColumns(staging, engine))
                : CatchUpTable.read(staging);
        if (review == null) {
            CatchUpAudit.ensure(staging, engine);
            BaseTables.create(staging, engine); // the summary table, on a staging staged before it existed
            BaseTables.analyzeIfNever(staging, engine);
        }
        // Before the transaction: Liquibase may switch the connection's auto-commit, which would commit a pass half-way.
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(staging));
        clock.lap("before the compare: tables and settings read");

        // Read-only and isolation are set outside a transaction (PostgreSQL refuses them inside one).
        if (!production.getAutoCommit()) production.rollback();
        production.setAutoCommit(true);
        production.setReadOnly(true);
        production.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        production.setAutoCommit(false);
        if (!staging.getAutoCommit()) staging.rollback();
        staging.setAutoCommit(true);
        if (review == null) {
            mergePending(); // committed before anything reads the base, also the reads on other connections
            List<String> left = DeleteIndexes.dropLeftovers(staging, engine);
            if (!left.isEmpty()) log.printf("[catch-up] dropped the temporary foreign-key indexes a killed pass left: %s%n", left);
            if (engine != Engine.POSTGRESQL) startLookupIndexes(); // PostgreSQL: after the slot's creation, below
        }
        // Review after a final pass: its pending base rows are merged in the review's own transaction (rolled back), so
        // the review compares with the base a real pass would, and writes nothing.
        boolean pendingInReview = review != null && PendingBase.any(staging);
        if (review != null && !pendingInReview) staging.setReadOnly(true);
        staging.setAutoCommit(false);
        try {
            // PostgreSQL, opted in: this pass's replication slot, its snapshot production's transaction (SlotScan); created
            // before the stage's lock, whose transaction id on a staging in production's cluster the creation would wait for.
            if (review == null && slotSettings != null && engine == Engine.POSTGRESQL) {
                slot = SlotScan.open(slotSettings, production, staging, finalPass, passId, log);
                clock.lap("before the compare: replication slot created");
            }
            // Started after the slot: the build's transaction id is one the creation waits for where staging shares
            // production's cluster (0.2 s of both cores idle in every pass, docs/benchmark.md, session 29).
            if (review == null && engine == Engine.POSTGRESQL) startLookupIndexes();
            // An ordinary pass: the standing foreign-key indexes for UM_USER's deletes in this and the next passes, the final
            // one's above all (DeleteIndexes), built beside from now on, also after the slot. Awaited before the first write.
            if (review == null && finalPass == null) startStandingIndexes();
            if (review == null) lockStage();
            if (slot != null) slot.afterLock(staging, slotRecorded = SlotScan.recorded(staging));
            if (pendingInReview) {
                mergePendingRows();
                summaryFilledNow = true; // other connections would read the base without them
            }
            snapshotAt = Instant.now();
            clock.restart();
            // MariaDB: a second connection to production at the same moment, for the hashing scan on two cores (SharedSnapshot).
            shared = SharedSnapshot.open(production, engine, productionConnector,
                    why -> log.printf("[catch-up] production: reading on one connection (no second connection at the same moment: %s)%n", why));
            long t0 = System.nanoTime();
            // The changelog is parsed beside the compare (files only; the compare waits on the databases).
            CompletableFuture<Map<String, ChangeSet>> changeSets = review != null || !TransformScope.supported(engine)
                    ? null : CompletableFuture.supplyAsync(() -> {
                        try {
                            return UpgradeTransforms.changeSets(database);
                        } catch (Exception e) {
                            throw new CompletionException(e);
                        }
                    });
            this.changeSets = changeSets;
            clock.lap("compare setup: production's snapshot (and a second connection at its moment)");
            summarized = summarized(tables);
            clock.lap("compare setup: summary checked");
            // Staging's row counts before the pass writes, on a second connection while this one compares (the pass has
            // written no staged table yet; both read committed rows). Null where no second connection reaches staging
            // as the same user (a caller's own connections): counted inline after the compare, as before.
            stagingCounts = ReadBeside.start(staging, engine.profile(), "catch-up: staging's row counts", second -> {
                JitOff.forReads(second);
                Map<String, Long> rows = new LinkedHashMap<>();
                for (CatchUpTable t : tables) {
                    if (counted(t)) rows.put(t.name(), rows(second, t));
                }
                return rows;
            });
            // A final pass writes no base row and no summary in its transaction (they are left pending) and the pending rows
            // of an earlier one are merged and committed above: the base's key counts now are those after the pass, less
            // what it leaves pending. Read once, beside, instead of twice on this connection (0.2-0.35 s each at 1M users).
            if (finalPass != null && review == null) {
                baseKeysBeside = ReadBeside.start(staging, engine.profile(), "catch-up: the base's key counts", this::baseKeys);
            }
            clock.lap("compare setup: connections beside opened");
            XminScan.Mark snapshot = XminScan.current(production, engine);
            XminScan.Mark since = engine == Engine.POSTGRESQL ? since(snapshot) : null;
            if (engine == Engine.MYSQL) binlogSince(tables);
            if (slot != null) slotSince(tables, since);
            // Compared first: the tables whose deletes need a foreign-key index (PostgreSQL), so it is built beside the rest.
            List<String> parents = review == null ? DeleteIndexes.parentsOfUnservedKeys(staging, engine) : List.of();
            deleteIndexParents = parents;
            deleteIndexKeys.clear();
            Map<String, CatchUpTable> byName = new java.util.HashMap<>();
            for (CatchUpTable t : tables) byName.put(t.name(), t);
            List<CatchUpTable> order = new ArrayList<>();
            for (String parent : parents) {
                if (byName.containsKey(parent)) order.add(byName.get(parent));
            }
            tables.stream().filter(t -> !parents.contains(t.name())).forEach(order::add);
            // With the slot, the keys production deleted are decoded before the compare starts: the indexes their deletes
            // need are built from now on, beside the whole compare, not after their table's compare (under load that
            // began 2 s later, and the writes waited 1.7 s for the build: docs/benchmark.md, branch s28-pgfk). The decoded
            // keys (those deleted and any other old key: a few more than the deletes) name the rows they index.
            Set<String> deleteIndexesStarted = new java.util.HashSet<>();
            if (review == null && slot != null) {
                for (String parent : parents) {
                    Set<String> gone = slotGone.get(parent);
                    if (gone == null || !byName.containsKey(parent)) continue; // read by xmin: its deletes are known after its compare
                    if (startDeleteIndexes(byName.get(parent), gone)) {
                        deleteIndexesStarted.add(parent);
                        log.printf("[catch-up] foreign-key indexes for %s's deletes: built from now on, beside the compare (%d keys decoded as deleted)%n",
                                parent, gone.size());
                    }
                }
            }
            // PostgreSQL: production's xmin scans on more connections in this pass's snapshot (ExportedSnapshot), then the
            // reads at the decoded ids (SlotBeside), which this thread shares.
            if (slotBuckets != null) slotBeside = new SlotBeside(engine, order.stream().filter(this::bySlot).toList(), slotBuckets, slotIds, slotGone);
            if (since != null) startXminBeside(order.stream().filter(t -> !bySlot(t)).toList(), since);
            // With the slot, the other connections are done long before this thread: production's access snapshot is
            // taken on them from then on (it waits for their reads), not after the compare. A refused pass waits for it.
            if (review == null && slotBeside != null && accessOnOthers()) {
                startProductionAccess();
                log.printf("[catch-up] production's access snapshot: started during the compare, on the other connections once their reads end%n");
            }
            // MariaDB: the base rows and staging's rows at the binary log's ids on other staging connections, shared with this
            // thread (IdBaseBeside: why those are the rows this connection would read).
            clock.lap("compare setup: order");
            if (binlogBuckets != null && !summaryFilledNow) idBase = IdBaseBeside.start(staging, engine, order, binlogIds);
            clock.lap("compare setup: base rows at the ids started beside");
            if (shared != null) {
                startFiguresBeside(order.stream().filter(t -> !byBinlog(t)).collect(java.util.stream.Collectors.toCollection(ArrayList::new)));
                // This connection compares its own tables first: by the time it gets to the others, their figures are read.
                List<CatchUpTable> own = order.stream().filter(t -> !figuresBeside.containsKey(t.name())).toList();
                List<CatchUpTable> theirs = order.stream().filter(t -> figuresBeside.containsKey(t.name())).toList();
                order.clear();
                order.addAll(own);
                order.addAll(theirs);
            }
            clock.lap("compare setup: figures started beside");
            TableDelta[] compared = new TableDelta[tables.size()];
            for (CatchUpTable t : order) {
                int position = tables.indexOf(t);
                compared[position] = scan(t, since);
                refreshProductionSideEarly(compared[position]);
                // PostgreSQL: the indexes this table's deletes need are built on a second connection while the compare goes on.
                if (review == null && !deleteIndexesStarted.contains(t.name()) && parents.contains(t.name())) {
                    startDeleteIndexes(t, deletedKeys(compared[position].production()));
                }
                clock.lap("compare: between tables");
            }
            List<TableDelta> deltas = List.of(compared); // in the stage's order, parents first, as the writes need
            closeIdBase(); // before anything writes the base
            log.printf("[catch-up] compared %d tables in %d ms (%s)%n", tables.size(), (System.nanoTime() - t0) / 1_000_000, clock);
            clock.restart();
            Before before = before(deltas);
            clock.lap("row counts");
            Map<String, TableCounts> counts = counts(deltas, before);
            List<Conflict> conflicts = conflicts(deltas);
            if (!conflicts.isEmpty()) return refuse(passId, started, counts, conflicts);
            // PostgreSQL with other connections in this snapshot: production's access snapshot is taken on them from now on,
            // beside the writes (which read production's rows on the pass's own connection).
            if (review == null && accessOnOthers()) startProductionAccess();

            if (review != null) {
                printReview(deltas, database);
                if (finalPass != null) {
                    log.printf("[catch-up] review of a final pass: it would apply %d production rows, leave their base rows in %s"
                            + " instead of rewriting the base, check production's sessions again right before its commit, and record"
                            + " its audit row as FINAL%n", counts.values().stream().mapToInt(TableCounts::applied).sum(), BaseTables.PENDING);
                }
                staging.rollback();
                production.rollback();
                return new Outcome(passId, false, 0, counts, conflicts, null);
            }
            long t1 = System.nanoTime();
            List<Conflict> missing;
            clock.restart();
            TransformScope.awaitLookupIndexes(lookupIndexBuild); // before the first write: see createLookupIndexesBeside
            lookupIndexBuild = null;
            clock.lap("write rows: lookup indexes built beside (waited for)");
            try {
                missing = apply(deltas);
                clock.lap("write rows");
            } catch (SQLException e) {
                if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) throw e;
                // An integrity constraint (SQLSTATE class 23): production's row collides with one of staging's own on a
                // unique key other than the primary key (a tester's user of the same name): a conflict like the others.
                missing = List.of(new Conflict(applying.table(), applying.key(), describe(applying.kind()) + " it",
                        "holds another row it collides with: " + SafeText.line(e.getMessage())));
            }
            if (!missing.isEmpty()) {
                staging.rollback();
                return refuse(passId, started, counts, missing);
            }
            int rows = counts.values().stream().mapToInt(TableCounts::applied).sum();
            // Production is not read again until the verifier's reference is taken: it is taken now, on production's
            // connection in this pass's snapshot, while this thread works on staging alone (transforms, base refresh).
            startProductionAccess();
            startProductionCounts(deltas);
            // The transforms only ever touch rows this pass wrote (and tenants it added): none written, nothing to run.
            Map<String, Integer> transformed = rows == 0 ? Map.of() : transform(tables, deltas, database);
            clock.lap("transforms");
            if (finalPass == null) {
                refreshBase(deltas);
                clock.lap("base refresh");
            } else {
                recordPending(passId, deltas);
                clock.lap("base rows left pending (final pass)");
            }
            CatchUpAudit.record(staging, passId, started, finalPass == null ? "APPLIED" : FINAL, sourceUrl, rows, countsText(counts), null);
            log.printf("[catch-up] applied %d production rows in %d ms; the upgrade's transforms changed %s%n", rows,
                    (System.nanoTime() - t1) / 1_000_000, transformed);
            clock.restart();
            AccessSnapshot productionAccess = productionAccess();
            closeXminBeside(); // production's other connections are done: their transactions end here
            clock.lap("production access snapshot (waited for)");
            Map<String, Long> expectedRows = expectedRows(deltas, before);
            clock.lap("row counts: expected");
            // The 'P' base now equals production in this pass's snapshot (after a final pass: once its pending rows are
            // merged, which every later pass does before it reads the base): the next pass reads only rows written since.
            if (engine == Engine.POSTGRESQL) XminScan.record(staging, snapshot);
            if (engine == Engine.POSTGRESQL) recordSlot();
            if (engine == Engine.MYSQL) BinlogScan.record(staging, binlogNow);
            if (engine == Engine.POSTGRESQL) TransformScope.dropLookupIndexesInTransaction(staging, engine);
            pauseForTests();
            if (finalPass != null) {
                clock.lap("commit");
                checkFinal(passId, started); // rolls back and refuses if a session came since the first check
                clock.lap("final pass: production's sessions checked again");
            }
            staging.commit();
            // Production's side only, nothing staging or the verifier reads: the slots are dropped on a thread of their own
            // (a connection each, 0.2 s) while the verifier runs, and awaited before the pass ends (finally, below).
            if (slot != null) slotDrops = SlotDrops.start(slot, slotRecorded, finalPass != null);
            besideIndexes.clear(); // dropped by the pass's own transaction, now committed
            production.rollback();
            clock.lap("commit");
            if (engine != Engine.POSTGRESQL) TransformScope.dropLookupIndexes(staging, engine); // PostgreSQL: with the commit
            lookupIndexes = false;
            clock.lap("lookup indexes dropped");
            List<Sequences.Moved> moved = Sequences.advancePastIds(staging, engine, generatorTables(tables, deltas));
            clock.lap("id generators");
            // Staging's rows now, counted on a connection of their own once the verifier has read the catalog for its schema
            // checkpoint, while its domain checkpoint waits for its access check. Not earlier: beside the counts, MariaDB's
            // information_schema reads (the id generators', the schema checkpoint's) took 1-2 s longer each, loaded
            // (docs/benchmark.md "MariaDB pass after the compare"). Nor before the lookup indexes are gone (a count holds its
            // table's metadata lock). Where no second connection reaches staging, counted on the verifier's connection.
            Verifier.StagingRows rowCounts = new Verifier.StagingRows() {
                @Override
                public void start() {
                    if (rowsAfter != null) return; // started already (PostgreSQL, below)
                    rowsAfter = ReadBeside.start(staging, engine.profile(), "catch-up: staging's rows after the pass",
                            second -> stagingRowsAfter(JitOff.forReads(second), deltas, expectedRows, Verifier.COUNTED_BY_VERIFIER));
                }

                @Override
                public Map<String, long[]> await() throws SQLException {
                    ReadBeside<Map<String, long[]>> beside = rowsAfter;
                    if (beside == null) return stagingRowsAfter(staging, deltas, expectedRows, Set.of());
                    Map<String, long[]> counted = beside.await();
                    log.printf("[catch-up] staging's rows after the pass took %d ms on a second connection beside the verifier (waited %d ms)%n",
                            beside.took(), beside.waited());
                    return counted;
                }
            };
            // PostgreSQL: counted from now on, beside the verifier's schema checkpoint too, whose catalog reads neither wait for
            // a count nor slow down beside one as MariaDB's information_schema reads did; there the counts were the last thing the
            // verifier waited for after its domain checkpoint (docs/benchmark.md, branch s26-fixed).
            if (engine == Engine.POSTGRESQL) rowCounts.start();
            log.printf("[catch-up] pass %s committed; id generators moved past the highest ids: %s%n", passId, moved);
            log.printf("[catch-up] time per step: %s%n", clock);
            VerificationReport report = Verifier.verifyStaging(staging, identityServer, productionAccess, rowCounts, line -> log.println(line));
            return new Outcome(passId, true, rows, counts, List.of(), report);
        } catch (Exception e) {
            rollbackQuietly(staging);
            awaitProductionAccessQuietly(); // production's connection is the snapshot thread's until it ends
            rollbackQuietly(production);
            throw e;
        } finally {
            // A refused or failed pass: staging's schema is 4.2.0's again (an applied pass dropped them before verifying).
            closeQuietly(lookupIndexBuild); // its end awaited, so the drop below finds what it built
            lookupIndexBuild = null;
            if (lookupIndexes) dropLookupIndexesQuietly();
            closeQuietly(stagingCounts);
            stagingCounts = null;
            closeQuietly(baseKeysBeside);
            baseKeysBeside = null;
            closeQuietly(rowsAfter);
            rowsAfter = null;
            dropDeleteIndexesQuietly();
            closeShared();
            closeXminBeside();
            SlotDrops.await(slotDrops);
            slotDrops = null;
            if (slot != null) slot.closeUnlessCommitted();
            slot = null;
            closeIdBase();
        }
    }

    /** The transforms' lookup indexes, built beside on PostgreSQL (awaited before the first write), inline elsewhere. */
    private void startLookupIndexes() throws SQLException {
        lookupIndexes = true;
        lookupIndexBuild = TransformScope.createLookupIndexesBeside(staging, engine);
        clock.lap("before the compare: lookup indexes created");
    }

    /** The replication slots a committed pass drops, being dropped beside the verifier (null: none). */
    private java.util.concurrent.Future<?> slotDrops;

    /** MariaDB: the base rows and staging's rows at the binary log's ids, being read on other staging connections (null: read inline). */
    private IdBaseBeside idBase;

    private void closeIdBase() {
        if (idBase == null) return;
        idBase.close();
        log.printf("[catch-up] rows at the binary log's ids read on other staging connections beside the compare (%s)%n", idBase.took());
        idBase = null;
    }

    /** PostgreSQL: the other connections to production in this pass's snapshot while the compare runs (null: none). */
    private ExportedSnapshot exported;
    /** Tables whose production side no connection has started reading yet, in the compare's order. */
    private final java.util.concurrent.ConcurrentLinkedDeque<CatchUpTable> xminUnclaimed = new java.util.concurrent.ConcurrentLinkedDeque<>();
    /** What the other connections read of the tables they took, by table name. */
    private final Map<String, CompletableFuture<Beside>> xminBeside = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<CompletableFuture<Void>> xminWorkers = new ArrayList<>();
    /** The staging connections the other connections' threads read the base on (closed with them). */
    private final List<ReadBeside<Void>> xminStaging = new ArrayList<>();
    /** Whether this pass filled the base's summary in its own transaction (uncommitted: no other connection sees it). */
    private boolean summaryFilledNow;
    /** PostgreSQL: the tables read by the decoded ids, compared beside and on this thread (null: none). */
    private SlotBeside slotBeside;
    /** The other connections' threads still reading, and done once none is: then the connections are free. */
    private final java.util.concurrent.atomic.AtomicInteger besideRunning = new java.util.concurrent.atomic.AtomicInteger();
    private CompletableFuture<Void> besideIdle = CompletableFuture.completedFuture(null);

    /**
     * A table as another connection read it: production's side only ({@code live}), or the whole scan against the 'P' base
     * ({@code scanned}, with production's row count), where that connection's thread had staging's base at hand too.
     */
    private record Beside(XminScan.Live live, ChangeScan.Result scanned, long rows) {
    }

    /**
     * Other connections to production scanning at the same time as this one: {@value #XMIN_CONNECTIONS} by default (the
     * machine's cores, two here); {@code carbon.upgrade.catchup.xminConnections} sets it, 0 for none.
     */
    private static final int XMIN_CONNECTIONS = 2;

    /**
     * PostgreSQL: the xmin scans (XminScan) on other connections in this pass's snapshot, ahead of this thread, which
     * meanwhile reads staging's rows at production's keys of the tables already scanned. Each other connection's thread
     * also reads the 'P' base on a staging connection of its own (committed rows: the pass writes no base row before the
     * compare ends, and a second pass waits for this one's lock on the stage row), so it confirms the rows written since
     * and finds the deletes itself; where no such staging connection can be had (the run's settings do not reach staging,
     * or this pass filled the base's summary in its own transaction) it reads production's side only (XminScan.live) and
     * this thread does the rest. The other connections take the tables, each the next one no
     * connection has taken, the largest first; when this thread reaches a table none has taken yet, it scans it itself,
     * else it waits.
     */
    private void startXminBeside(List<CatchUpTable> order, XminScan.Mark since) throws SQLException {
        int count = Integer.getInteger("carbon.upgrade.catchup.xminConnections", XMIN_CONNECTIONS);
        List<CatchUpTable> scanned = order.stream().filter(t -> t.production().primaryKey()).toList();
        if (count < 1 || (scanned.size() < 2 && slotBuckets == null)) return; // read by slot: still for the access snapshot
        // Production's access snapshot reads on three of them after the compare (an applying pass: at least three).
        exported = ExportedSnapshot.open(production, engine, productionConnector, review == null ? Math.max(count, 3) : count,
                why -> log.printf("[catch-up] production: scanning on one connection (no other connection in this snapshot: %s)%n", why));
        if (exported == null) return;
        for (CatchUpTable t : scanned) xminBeside.put(t.name(), new CompletableFuture<>());
        // The largest tables first (by the stage's counts), so the connections end at about the same time, and the pass's
        // thread, going through the compare's order, scans the small ones nobody has taken yet itself.
        Map<String, Long> staged = new java.util.HashMap<>();
        try (Statement s = staging.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_NAME, ROWS_AT_STAGE FROM " + BaseTables.TABLES)) {
            while (rs.next()) staged.put(rs.getString(1), rs.getLong(2));
        }
        List<CatchUpTable> largestFirst = new ArrayList<>(scanned);
        largestFirst.sort(java.util.Comparator.comparingLong((CatchUpTable t) -> staged.getOrDefault(t.name(), 0L)).reversed());
        xminUnclaimed.addAll(largestFirst);
        besideRunning.set(count);
        besideIdle = new CompletableFuture<>();
        for (Connection other : exported.connections().subList(0, count)) {
            ReadBeside<Void> withBase = summaryFilledNow ? null
                    : ReadBeside.start(staging, engine.profile(), "catch-up: production's xmin scans beside", base -> {
                        scanBeside(other, base, since);
                        return null;
                    });
            if (withBase != null) {
                xminStaging.add(withBase);
                continue;
            }
            xminWorkers.add(CompletableFuture.runAsync(() -> scanBeside(other, null, since), task -> {
                Thread thread = new Thread(task, "catch-up: production's xmin scans beside");
                thread.setDaemon(true);
                thread.start();
            }));
        }
    }

    /** One other connection's thread: takes tables until none is left; {@code base}: staging, for the whole scan, or null. */
    private void scanBeside(Connection other, Connection base, XminScan.Mark since) {
        try {
            scanBeside(other, base, since, slotBeside);
        } finally {
            if (besideRunning.decrementAndGet() == 0) besideIdle.complete(null);
        }
    }

    private void scanBeside(Connection other, Connection base, XminScan.Mark since, SlotBeside slotBeside) {
        long t0 = System.nanoTime();
        List<String> took = new ArrayList<>();
        PhaseClock own = new PhaseClock();
        boolean failed = false;
        for (CatchUpTable t; (t = xminUnclaimed.pollFirst()) != null;) {
            CompletableFuture<Beside> read = xminBeside.get(t.name());
            took.add(t.name());
            try {
                if (base == null) {
                    read.complete(new Beside(XminScan.live(other, engine, t, since, own), null, -1));
                } else {
                    Map<String, Long> rows = new java.util.HashMap<>();
                    ChangeScan.Result result = XminScan.scan(other, base, engine, t, since, own, rows);
                    read.complete(new Beside(null, result, rows.get(t.name())));
                }
            } catch (Throwable e) {
                read.completeExceptionally(e);
                failed = true;
                break;
            }
        }
        // The base is committed rows only where this connection's thread has a staging connection of its own (see above).
        List<String> atIds = failed || base == null || slotBeside == null ? List.of() : slotBeside.work(other, base, own);
        log.printf("[catch-up] production's xmin scans of %s%s took %d ms on another connection in this snapshot%s (%s)%n", took,
                atIds.isEmpty() ? "" : " and the reads at the decoded ids of " + atIds, (System.nanoTime() - t0) / 1_000_000,
                base == null ? "" : ", with the base read on a staging connection of its own", own);
    }

    /**
     * Whether production's access snapshot is taken on the other connections (three of them): then the pass's own
     * connection stays free for the writes' reads of production's rows, and the snapshot can start before them.
     */
    private boolean accessOnOthers() {
        return exported != null && exported.connections().size() >= 3;
    }

    /** {@code t} as another connection read it, waiting for it; null where this thread scans it itself. */
    private Beside xminBeside(CatchUpTable t) throws SQLException {
        if (exported == null || xminUnclaimed.remove(t)) return null;
        clock.restart();
        Beside read = joined(xminBeside.get(t.name())); // not in the deque: another connection took it
        clock.lap("P xmin scan beside (waited for)");
        return read;
    }

    /** Waits for the other connections' scans to end, then ends their transactions and closes them. */
    private void closeXminBeside() {
        if (exported == null) return;
        awaitProductionAccessQuietly(); // it may be reading on them
        for (CompletableFuture<Void> w : xminWorkers) w.join(); // never completes exceptionally: failures go to the futures
        xminWorkers.clear();
        xminStaging.forEach(CatchUp::closeQuietly); // waits for its thread, then closes its staging connection
        xminStaging.clear();
        xminBeside.clear();
        exported.close();
        exported = null;
    }

    /** PostgreSQL: the tables whose deletes may need a foreign-key index (DeleteIndexes.parentsOfUnservedKeys), read before the compare. */
    private List<String> deleteIndexParents = List.of();
    /** The next foreign-key index's number in its name (DeleteIndexes' serial): each build of a pass names its own. */
    private int deleteIndexSerial;

    /** A build of foreign-key indexes on a second connection during the compare, for the deletes of these keys of {@code parent}. */
    private record DeleteIndexBuild(String parent, Set<String> keys, ReadBeside<List<String>> build) {
    }

    /** Foreign-key indexes for deletes being built on second connections during the compare (DeleteIndexes.startBeside). */
    private final List<DeleteIndexBuild> deleteIndexBuilds = new ArrayList<>();
    /** Per parent, the keys the indexes built beside cover (awaited, committed): the writes build only for keys beyond them. */
    private final Map<String, Set<String>> deleteIndexKeys = new java.util.HashMap<>();
    /** The indexes those builds committed that no committed pass has dropped yet. */
    private final List<String> besideIndexes = new ArrayList<>();
    /** An ordinary pass's build of standing foreign-key indexes on a second connection (DeleteIndexes.startStanding); null: none. */
    private ReadBeside<List<String>> standingBuild;

    private void startStandingIndexes() throws SQLException {
        standingBuild = DeleteIndexes.startStanding(staging, engine);
        if (standingBuild != null) {
            log.printf("[catch-up] standing foreign-key indexes for %s's deletes in this and later passes: built from now on, beside the compare%n",
                    DeleteIndexes.STANDING_PARENTS);
        }
    }

    /** Returns whether a build started ({@code keys}: production's deleted keys of {@code parent}, or a few more). */
    private boolean startDeleteIndexes(CatchUpTable parent, Set<String> keys) throws SQLException {
        // The standing build indexes the same keys whole, committed before the writes.
        if (standingBuild != null && DeleteIndexes.STANDING_PARENTS.contains(parent.name())) return false;
        Set<String> copy = Set.copyOf(keys); // read by the build's thread and after it: never changed
        ReadBeside<List<String>> build = DeleteIndexes.startBeside(staging, engine, parent.name(), parent.keyColumns(), copy, deleteIndexSerial++);
        if (build != null) deleteIndexBuilds.add(new DeleteIndexBuild(parent.name(), copy, build));
        return build != null;
    }

    /** The keys production deleted from a table (its key texts). */
    private static Set<String> deletedKeys(ChangeScan.Result production) {
        Set<String> keys = new java.util.HashSet<>();
        for (Change c : production.changes().values()) {
            if (c.kind() == Kind.DELETE) keys.add(c.key());
        }
        return keys;
    }

    /**
     * The indexes {@code d}'s deletes still need, created in the pass's transaction: for the deleted keys no build beside
     * covered (all of them where none was built or it failed).
     */
    private List<String> createDeleteIndexes(TableDelta d) throws SQLException {
        Set<String> keys = deletedKeys(d.production());
        Set<String> covered = deleteIndexKeys.get(d.table().name());
        if (covered != null) keys.removeAll(covered);
        return DeleteIndexes.create(staging, engine, d.table().name(), d.table().keyColumns(), keys, deleteIndexSerial++);
    }

    /**
     * Waits for the builds started during the compare: their indexes, committed, for the pass to drop after its deletes. A
     * build that failed is logged: the pass then creates what is missing inside its transaction (DeleteIndexes.create).
     */
    private List<String> awaitDeleteIndexes() {
        if (standingBuild != null) {
            // Kept: not among the names returned, nor dropped by a pass that fails or is refused.
            try {
                List<String> built = standingBuild.await();
                log.printf("[catch-up] standing foreign-key indexes %s took %d ms on a second connection beside the compare (waited %d ms);"
                        + " kept until the final pass%n", built, standingBuild.took(), standingBuild.waited());
            } catch (SQLException e) {
                log.printf("[catch-up] building standing foreign-key indexes beside the compare failed (%s): the deletes' indexes are built"
                        + " inside the pass instead%n", SafeText.line(e.getMessage()));
            }
            closeQuietly(standingBuild);
            standingBuild = null;
        }
        List<String> names = new ArrayList<>();
        for (DeleteIndexBuild b : deleteIndexBuilds) {
            ReadBeside<List<String>> build = b.build();
            try {
                List<String> built = build.await();
                besideIndexes.addAll(built);
                names.addAll(built);
                deleteIndexKeys.computeIfAbsent(b.parent(), k -> new java.util.HashSet<>()).addAll(b.keys());
                log.printf("[catch-up] foreign-key indexes %s took %d ms on a second connection beside the compare (waited %d ms)%n", built,
                        build.took(), build.waited());
            } catch (SQLException e) {
                log.printf("[catch-up] building foreign-key indexes beside the compare failed (%s): built inside the pass instead%n",
                        SafeText.line(e.getMessage()));
            }
            closeQuietly(build);
        }
        deleteIndexBuilds.clear();
        return names;
    }

    /** A pass that did not commit: the indexes built beside are committed, so they are dropped here (as a leftover otherwise). */
    private void dropDeleteIndexesQuietly() {
        awaitDeleteIndexes();
        if (besideIndexes.isEmpty()) return;
        try {
            rollbackQuietly(staging);
            DeleteIndexes.drop(staging, besideIndexes);
            if (!staging.getAutoCommit()) staging.commit();
            besideIndexes.clear();
        } catch (SQLException ignored) {
            // the pass's own outcome or failure is what the operator needs; the next pass drops them
        }
    }

    /** Opens more connections to production (CatchUpMain: the pass's settings); null: the pass reads production on one. */
    private SharedSnapshot.Connector productionConnector;
    /** MariaDB: the second connection to production at the pass's moment, while the pass runs (null: none). */
    private SharedSnapshot shared;
    /** Production's per-bucket figures of the tables the second connection scans, by table name. */
    private final Map<String, CompletableFuture<ChangeScan.LiveFigures>> figuresBeside = new java.util.HashMap<>();
    /** The second connection's work (figures, then production's access snapshot): done before it is closed. */
    private CompletableFuture<Void> besideWork;

    /**
     * Lets the pass open a second connection to production (MariaDB: SharedSnapshot), so it hashes production's tables on
     * two cores; without it the pass reads production on its own connection alone.
     */
    public CatchUp sharing(SharedSnapshot.Connector production) {
        this.productionConnector = production;
        return this;
    }

    /**
     * Production's rows (by the stage's counts) whose figures the second connection computes. Half: measured so at 1M
     * users (the second connection done after 7.8 s, the pass's own compare after 16.2 s, since it also reads staging and
     * the differing buckets' rows; docs/benchmark.md "MariaDB catch-up pass"). 60% was tried once, in a window whose load
     * rose from 6.5 to 10, and showed nothing either way.
     */
    private static final int BESIDE_SHARE_PERCENT = 50;

    /**
     * MariaDB: the second connection computes the per-bucket figures of the tables at the end of the stage's order, about
     * {@value #BESIDE_SHARE_PERCENT}% of production's rows by the stage's counts, while this one compares the other tables
     * (the caller puts these last); when it gets to them, their figures are ready. Then, in an applying pass, the second
     * connection takes production's access snapshot for the verifier, in the same snapshot, while this thread writes staging.
     */
    private void startFiguresBeside(List<CatchUpTable> order) throws SQLException {
        Map<String, Long> staged = new java.util.HashMap<>();
        try (Statement s = staging.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_NAME, ROWS_AT_STAGE FROM " + BaseTables.TABLES)) {
            while (rs.next()) staged.put(rs.getString(1), rs.getLong(2));
        }
        long total = order.stream().mapToLong(t -> staged.getOrDefault(t.name(), 0L)).sum();
        List<CatchUpTable> beside = new ArrayList<>();
        long taken = 0;
        for (int i = order.size() - 1; i > 0; i--) {
            long rows = staged.getOrDefault(order.get(i).name(), 0L);
            if (taken + rows > total * BESIDE_SHARE_PERCENT / 100 && !beside.isEmpty()) continue;
            beside.add(order.get(i));
            taken += rows;
        }
        for (CatchUpTable t : beside) figuresBeside.put(t.name(), new CompletableFuture<>());
        long besideRows = taken;
        RealmNames names = review == null ? RealmNames.current() : null; // Maven's properties are visible on this thread only
        CompletableFuture<AccessSnapshot> access = names == null ? null : new CompletableFuture<>();
        productionAccess = access;
        Connection second = shared.connection();
        besideWork = CompletableFuture.runAsync(() -> {
            long t0 = System.nanoTime();
            try {
                for (CatchUpTable t : beside) figuresBeside.get(t.name()).complete(ChangeScan.liveFigures(second, engine, t, StageBase.PRODUCTION));
                log.printf("[catch-up] production's figures of %d tables (%d of %d rows at stage time) took %d ms on a second connection at the"
                        + " same moment%n", beside.size(), besideRows, total, (System.nanoTime() - t0) / 1_000_000);
                if (access != null) {
                    long t1 = System.nanoTime();
                    AccessSnapshot snapshot = AccessSnapshot.takeWhole(second, names);
                    productionAccessMillis = (System.nanoTime() - t1) / 1_000_000;
                    access.complete(snapshot);
                }
            } catch (Throwable e) {
                figuresBeside.values().forEach(f -> f.completeExceptionally(e));
                if (access != null) access.completeExceptionally(e);
            }
        }, task -> {
            Thread thread = new Thread(task, "catch-up: production's second connection");
            thread.setDaemon(true);
            thread.start();
        });
    }

    private static <T> T joined(CompletableFuture<T> future) throws SQLException {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException sql) throw sql;
            throw new SQLException("Reading production on the second connection failed: " + e.getCause(), e.getCause());
        }
    }

    /** Waits for the second connection's work to end, then ends its transaction and closes it. */
    private void closeShared() {
        if (shared == null) return;
        if (besideWork != null) besideWork.join(); // never completes exceptionally: failures go to the futures it fills
        besideWork = null;
        figuresBeside.clear();
        shared.close();
        shared = null;
    }

    /** Production's access snapshot being taken beside the staging work (null: not started). */
    private CompletableFuture<AccessSnapshot> productionAccess;
    /** How long the snapshot itself took, for the log. */
    private volatile long productionAccessMillis;

    /**
     * Starts production's access snapshot for the verifier on another thread. Production's connection is used by that
     * thread alone until {@link #productionAccess()} returns (JDBC connections are not shared between threads at once):
     * everything this pass still reads from production before then is read by that thread. The realm settings are read
     * here, on this thread, where Maven's properties are visible.
     */
    private void startProductionAccess() {
        if (productionAccess != null) return; // taken on the second connection at the same moment (startFiguresBeside), or started
        RealmNames names = RealmNames.current();
        // PostgreSQL: on the other connections in this pass's snapshot (ExportedSnapshot), its grant reads and each
        // table's membership reads on a connection of their own, overlapping; the pass's own connection stays free.
        List<Connection> others = accessOnOthers() ? exported.connections() : List.of();
        CompletableFuture<Void> idle = besideIdle;
        productionAccess = CompletableFuture.supplyAsync(() -> {
            if (!others.isEmpty()) idle.join(); // their reads beside end first: a connection serves one thread at a time
            long t = System.nanoTime();
            try {
                if (!others.isEmpty()) return AccessSnapshot.takeWhole(others.get(0), names, others.get(1), others.get(2));
                return AccessSnapshot.takeWhole(production, names);
            } catch (SQLException e) {
                throw new CompletionException(e);
            } finally {
                productionAccessMillis = (System.nanoTime() - t) / 1_000_000;
            }
        }, task -> {
            // Its own thread: the common pool has one worker on a 2-core machine, and may be busy.
            Thread thread = new Thread(task, "catch-up: production's access snapshot");
            thread.setDaemon(true);
            thread.start();
        });
    }

    private AccessSnapshot productionAccess() throws Exception {
        try {
            AccessSnapshot snapshot = productionAccess.join();
            log.printf("[catch-up] production's access snapshot took %d ms beside the staging work%n", productionAccessMillis);
            return snapshot;
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            productionAccess = null;
        }
    }

    /**
     * Production's row counts the compare did not take (a table it did not count, such as one without primary key), in
     * this pass's snapshot, for {@link #expectedRows}: counted on another thread while this one transforms and refreshes
     * the base on staging, on production's connection once the access snapshot no longer uses it (or at once, where that
     * snapshot is taken on the second connection). They were counted inline after the base refresh.
     */
    private CompletableFuture<Map<String, Long>> productionCounts;

    private void startProductionCounts(List<TableDelta> deltas) {
        List<CatchUpTable> uncounted = deltas.stream().map(TableDelta::table).filter(CatchUp::counted)
                .filter(t -> !productionRows.containsKey(t.name())).toList();
        java.util.function.Function<Object, Map<String, Long>> count = ignored -> {
            long t0 = System.nanoTime();
            Map<String, Long> rows = new LinkedHashMap<>();
            try {
                for (CatchUpTable t : uncounted) rows.put(t.name(), rows(production, t));
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
            productionCountsMillis = (System.nanoTime() - t0) / 1_000_000;
            return rows;
        };
        java.util.concurrent.Executor thread = task -> {
            Thread t = new Thread(task, "catch-up: production's row counts");
            t.setDaemon(true);
            t.start();
        };
        if (uncounted.isEmpty()) productionCounts = CompletableFuture.completedFuture(Map.of());
        else if (shared != null) productionCounts = CompletableFuture.supplyAsync(() -> count.apply(null), thread);
        // Production's connection is the access snapshot's thread's until it ends, failed or not.
        else productionCounts = productionAccess.handleAsync((snapshot, failure) -> count.apply(null), thread);
    }

    /** How long the counts beside took, for the log. */
    private volatile long productionCountsMillis;

    private Map<String, Long> productionCounts() throws SQLException {
        if (productionCounts == null) return Map.of();
        try {
            Map<String, Long> rows = productionCounts.join();
            if (!rows.isEmpty()) {
                log.printf("[catch-up] production's row counts of %s took %d ms beside the staging work%n", rows.keySet(), productionCountsMillis);
            }
            return rows;
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException sql) throw sql;
            throw e;
        } finally {
            productionCounts = null;
        }
    }

    private void awaitProductionAccessQuietly() {
        // A failed pass: the other connections take no more tables, so an access snapshot waiting for them starts soon.
        xminUnclaimed.clear();
        if (slotBeside != null) slotBeside.close();
        if (productionCounts != null) {
            try {
                productionCounts.join();
            } catch (RuntimeException ignored) {
                // the pass's own failure is what the operator needs
            }
            productionCounts = null;
        }
        if (productionAccess == null) return;
        try {
            productionAccess.join();
        } catch (RuntimeException ignored) {
            // the pass's own failure is what the operator needs
        }
        productionAccess = null;
    }

    /**
     * The upgrade's data changesets over the rows this pass wrote: on PostgreSQL and MySQL/MariaDB only those rows and
     * tenants are in view (TransformScope), elsewhere the whole database.
     */
    private Map<String, Integer> transform(List<CatchUpTable> tables, List<TableDelta> deltas, Database database) throws Exception {
        if (!TransformScope.supported(engine)) return UpgradeTransforms.run(staging, UpgradeTransforms.sql(database));
        Map<String, List<Object[]>> written = new LinkedHashMap<>();
        for (TableDelta d : deltas) {
            for (Change c : d.production().changes().values()) {
                if (c.now() != null) written.computeIfAbsent(d.table().name(), k -> new ArrayList<>()).add(c.now().keyValues());
            }
        }
        try (TransformScope scope = TransformScope.open(staging, engine, tables, written)) {
            clock.lap("transforms: shadow tables filled");
            Map<String, List<String>> sql = UpgradeTransforms.sql(database, parsed());
            clock.lap("transforms: changelog read and SQL generated");
            Map<String, Integer> changed = new LinkedHashMap<>(UpgradeTransforms.run(staging, sql));
            clock.lap("transforms: run");
            changed.put("rows written back from the shadow tables", scope.writeBack());
            clock.lap("transforms: written back");
            return changed;
        }
    }

    private Map<String, ChangeSet> parsed() throws Exception {
        try {
            return changeSets.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private void requireStagedAndUpgraded() throws SQLException {
        String state = StageBase.state(staging);
        if (state == null) {
            throw new SQLException("This database was never staged (no " + BaseTables.STAGE + " row): catch-up only brings a staged copy"
                    + " up to date. Run exec:java@stage with liquibase:update first (docs/staging.md).");
        }
        if (!BaseTables.UPGRADED.equals(state)) {
            throw new SQLException("The stage of this database is " + state + ", not " + BaseTables.UPGRADED + ": its upgrade has not"
                    + " finished (its last changeset records the base catch-up compares with). Run liquibase:update on staging first.");
        }
    }

    /**
     * On MySQL/MariaDB the pass runs the upgrade's data changesets over production's rows in temporary tables
     * (TransformScope), a privilege of its own that the upgrade never needs, so an account granted only what the upgrade
     * needs stopped in the middle of the pass with the server's bare "Access denied ... to database". Checked before
     * anything is written, also on a pass with nothing to transform: the pass that needs it may be the last one, in the
     * downtime.
     */
    private void requireTemporaryTables() throws SQLException {
        if (engine != Engine.MYSQL) return;
        org.carbonupgrade.gate.MysqlGrants grants = org.carbonupgrade.gate.MysqlGrants.read(staging);
        if (grants.has("CREATE TEMPORARY TABLES")) return;
        String db = "`" + staging.getCatalog().replace("`", "``") + "`";
        throw new SQLException("Catch-up refused; nothing was changed: the account " + grants.account() + " lacks CREATE TEMPORARY"
                + " TABLES on staging database " + db + ", which the pass needs (it runs the upgrade's data changesets over"
                + " production's rows in temporary tables). Have a DBA run GRANT CREATE TEMPORARY TABLES ON " + db + ".* TO "
                + grants.account() + "; then run catch-up again.");
    }

    /** Two catch-up passes must not interleave: the second waits on the stage row until the first commits. */
    private void lockStage() throws SQLException {
        try (Statement s = staging.createStatement()) {
            s.executeUpdate("UPDATE " + BaseTables.STAGE + " SET STAGE_ID = STAGE_ID");
        }
    }

    /**
     * Whether the base's per-bucket figures are in the summary table. A staging staged before it existed has it empty:
     * a pass fills it from the base rows in its own transaction (so it commits only with an applied or refused pass);
     * a review pass, which writes nothing, aggregates the base rows instead.
     */
    private boolean summarized(List<CatchUpTable> tables) throws SQLException {
        if (!new org.carbonupgrade.schema.SchemaReader(staging).tableNames().containsKey(BaseTables.SUMMARY)) return false;
        try (Statement s = staging.createStatement()) {
            s.setMaxRows(1);
            try (ResultSet rs = s.executeQuery("SELECT BUCKET FROM " + BaseTables.SUMMARY)) {
                if (rs.next()) return true;
            }
        }
        if (review != null) return false;
        for (CatchUpTable t : tables) {
            StageBase.summarize(staging, StageBase.PRODUCTION, t.name(), null);
            if (t.staging() != null) StageBase.summarize(staging, StageBase.STAGING, t.name(), null);
        }
        summaryFilledNow = true;
        log.println("[catch-up] filled " + BaseTables.SUMMARY + " from the base rows (a staging staged before it existed)");
        return true;
    }

    /** The recorded snapshot the 'P' base equals, if production's rows written since can be found by their xmin (else null). */
    private XminScan.Mark since(XminScan.Mark now) throws SQLException {
        XminScan.Mark recorded = XminScan.recorded(staging);
        String why = summarized ? XminScan.unusable(recorded, now) : "the base's summary is not filled yet";
        if (why == null) {
            log.printf("[catch-up] production: reading only rows written since the base's snapshot (xmin %d)%n", recorded.xmin());
            return recorded;
        }
        log.printf("[catch-up] production: hashing every row (%s)%n", why);
        return null;
    }

    /** Production's user and password for reading its binary log as a replica (MariaDB); null: the pass hashes every row. */
    private BinlogScan.Access binlogAccess;
    /** MariaDB: this pass's snapshot position, its file's start once known (recorded by an applied pass); null: none. */
    private BinlogScan.Mark binlogNow;
    /** MariaDB: the buckets production changed since the base, per table with id-range buckets; null: hashed. */
    private Map<String, Set<Integer>> binlogBuckets;
    /** MariaDB: the ids of production's changed rows, per table whose ids the binary log read kept (else its buckets are read). */
    private Map<String, Set<Long>> binlogIds = Map.of();

    /** Lets the pass read production's binary log (MariaDB: BinlogScan) as this account, instead of hashing every row. */
    public CatchUp readingBinlog(org.carbonupgrade.ConnectionSettings production) {
        this.binlogAccess = BinlogScan.Access.of(production);
        return this;
    }

    /**
     * MariaDB: takes this pass's binary log position (starting production's snapshot here where SharedSnapshot did not)
     * and reads production's changes since the recorded one, or logs why every row is hashed instead.
     */
    private void binlogSince(List<CatchUpTable> tables) throws SQLException {
        // The position matches the snapshot only for a transaction started WITH CONSISTENT SNAPSHOT (SharedSnapshot's are).
        if (shared == null) {
            try (Statement st = production.createStatement()) {
                st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
            }
        }
        clock.restart();
        try {
            binlogNow = BinlogScan.current(production, engine);
        } catch (BinlogScan.Unprovable e) {
            log.printf("[catch-up] production: hashing every row (%s)%n", e.getMessage());
            return;
        }
        BinlogScan.Mark recorded = BinlogScan.recorded(staging);
        String why = summarized ? BinlogScan.unusable(recorded, binlogNow, binlogAccess) : "the base's summary is not filled yet";
        try {
            if (why != null) throw new BinlogScan.Unprovable(why);
            String database;
            try (Statement st = production.createStatement(); ResultSet rs = st.executeQuery("SELECT DATABASE()")) {
                rs.next();
                database = rs.getString(1);
            }
            BinlogScan.Changes changes = BinlogScan.read(binlogAccess, recorded, binlogNow, database, BinlogScan.shapes(production, tables),
                    BinlogScan.cascades(production));
            binlogNow = binlogNow.stamped(changes.endFileStarted());
            binlogBuckets = changes.buckets();
            binlogIds = changes.ids();
            log.printf("[catch-up] production: reading only the rows its binary log names (%s:%d to %s:%d, %d events, %d bytes; %d ids, %d buckets)%n",
                    recorded.file(), recorded.position(), binlogNow.file(), binlogNow.position(), changes.events(), changes.bytes(),
                    changes.ids().values().stream().mapToInt(Set::size).sum(), changes.buckets().values().stream().mapToInt(Set::size).sum());
            Set<String> whole = new java.util.TreeSet<>(changes.buckets().keySet());
            whole.removeAll(changes.ids().keySet());
            if (!whole.isEmpty()) {
                log.printf("[catch-up] production: reading the named buckets of %s whole (over %d ids in the range, or a ZEROFILL id)%n", whole,
                        BinlogScan.MAX_IDS);
            }
            if (!changes.cascaded().isEmpty()) {
                log.printf("[catch-up] production: hashing every row of %s (a cascading foreign key from a table with deletes or updates:"
                        + " InnoDB's cascaded changes are not in the binary log)%n", changes.cascaded());
            }
        } catch (BinlogScan.Unprovable e) {
            log.printf("[catch-up] production: hashing every row (%s)%n", e.getMessage());
            if (binlogAccess == null) {
                binlogNow = null;
            } else {
                try {
                    binlogNow = binlogNow.stamped(BinlogScan.fileStarted(binlogAccess, binlogNow.file()));
                } catch (BinlogScan.Unprovable again) {
                    log.printf("[catch-up] production: no binary log position recorded by this pass (%s)%n", again.getMessage());
                    binlogNow = null;
                }
            }
        }
        clock.lap("P binary log read");
    }

    /** PostgreSQL: production's settings for its replication slots (SlotScan; null: not opted in, the pass reads by xmin). */
    private org.carbonupgrade.ConnectionSettings slotSettings;
    /** This pass's slot (null: none), and the slot the base equals, read under the stage's lock. */
    private SlotScan slot;
    private SlotScan.Recorded slotRecorded;
    /** PostgreSQL: the buckets and ids logical decoding names, per table read by them (null: every table by xmin). */
    private Map<String, Set<Integer>> slotBuckets;
    private Map<String, Set<Long>> slotIds = Map.of();
    private Map<String, Set<String>> slotGone = Map.of();

    /** Lets the pass read production's changes by logical decoding (PostgreSQL: SlotScan) as this account; null: it does not. */
    public CatchUp readingSlot(org.carbonupgrade.ConnectionSettings production) {
        this.slotSettings = production;
        return this;
    }

    /** PostgreSQL: production's changes since the base decoded from the recorded slot, or why every table is read by xmin. */
    private void slotSince(List<CatchUpTable> tables, XminScan.Mark since) throws SQLException {
        clock.restart();
        try {
            if (!summarized) throw new SlotScan.Unprovable("the base's summary is not filled yet");
            SlotScan.Changes c = slot.read(production, staging, slotRecorded, tables, since);
            slotBuckets = c.buckets();
            slotIds = c.ids();
            slotGone = c.goneKeys();
            log.printf("[catch-up] production: reading only the rows logical decoding names (slot %s, %s to %s: %d changes decoded in %d ms;"
                    + " %d ids; %d tables read by them)%n", slotRecorded.slot(), slotRecorded.consistentPoint(), slot.point(), c.rows(), c.millis(),
                    c.ids().values().stream().mapToInt(Set::size).sum(), c.buckets().size());
            Map<String, String> why = new java.util.TreeMap<>(c.fallback());
            why.values().removeIf(SlotScan.HASH_BUCKETS::equals); // tables with text keys: by xmin always, not news
            if (!why.isEmpty()) log.printf("[catch-up] production: read by xmin instead: %s%n", SafeText.line(why.toString()));
        } catch (SlotScan.Unprovable e) {
            log.printf("[catch-up] production: reading by xmin, not by logical decoding (%s)%n", e.getMessage());
        }
        clock.lap("P logical decoding read");
    }

    /** Records this pass's slot as the base's (none after a final pass, which drops it); a pass not opted in clears the record. */
    private void recordSlot() throws SQLException {
        if (slot == null) {
            SlotScan.Recorded stale = SlotScan.recorded(staging);
            if (stale != null) {
                log.printf("[catch-up] production: replication slot %s is no longer used (this pass runs without -D%s=true); it holds"
                        + " production's WAL: drop it with SELECT pg_drop_replication_slot('%s')%n", stale.slot(), SlotScan.OPT_IN, stale.slot());
            }
        }
        SlotScan.record(staging, slot == null || finalPass != null ? null : slot.created(), slot == null ? null : slot.point());
    }

    private boolean bySlot(CatchUpTable t) {
        return slotBuckets != null && slotBuckets.containsKey(t.name());
    }

    /** Whether this table's production changes come from the binary log (else its rows are hashed). */
    private boolean byBinlog(CatchUpTable t) {
        return binlogBuckets != null && binlogBuckets.containsKey(t.name());
    }

    private TableDelta scan(CatchUpTable t, XminScan.Mark since) throws SQLException {
        if (bySlot(t)) {
            SlotBeside.Compared c = slotBeside.await(t, production, staging, clock);
            if (c.productionRows() >= 0) productionRows.put(t.name(), c.productionRows());
            return new TableDelta(t, c.production(), c.staging());
        }
        ChangeScan.LiveFigures figures = null;
        CompletableFuture<ChangeScan.LiveFigures> ahead = figuresBeside.get(t.name());
        if (ahead != null) {
            clock.restart();
            figures = joined(ahead);
            clock.lap("P live figures beside (waited for)");
        }
        Beside beside = since != null && t.production().primaryKey() && !bySlot(t) ? xminBeside(t) : null;
        if (beside != null && beside.scanned() != null) productionRows.put(t.name(), beside.rows());
        ChangeScan.Result p = beside != null && beside.scanned() != null ? beside.scanned()
                : since != null && t.production().primaryKey()
                ? XminScan.scan(production, staging, engine, t, since, clock, productionRows, beside == null ? null : beside.live())
                : byBinlog(t) ? BinlogScan.scan(production, staging, engine, t, binlogBuckets.get(t.name()), binlogIds.get(t.name()), clock,
                        productionRows, () -> idBase == null ? null : idBase.production(t))
                : ChangeScan.scan(production, staging, engine, t, 'P', summarized, clock, productionRows, figures);
        if (t.stagingColumns() == null) {
            return new TableDelta(t, p, new ChangeScan.Result(Map.of(), Map.of(), Set.of(), Map.of()));
        }
        // Staging is read only at the keys production changed: a key both sides changed, and a production insert whose key
        // staging took, are found there. Staging's own changes of other keys are staging's business: the pass neither
        // applies nor refuses anything for them (the row counts after the pass still account for them).
        boolean baseBeside = byBinlog(t) && idBase != null;
        ChangeScan.Result s = ChangeScan.scanKeys(staging, engine, t, p, clock, binlogIds.get(t.name()),
                () -> baseBeside ? idBase.stagingRows(t) : null, () -> baseBeside ? idBase.staging(t) : null);
        return new TableDelta(t, p, s);
    }

    private static Map<String, TableCounts> counts(List<TableDelta> deltas, Before before) {
        Map<String, TableCounts> out = new LinkedHashMap<>();
        for (TableDelta d : deltas) {
            TableCounts c = new TableCounts(count(d.production(), Kind.INSERT), count(d.production(), Kind.UPDATE), count(d.production(), Kind.DELETE),
                    before.ownRows(d.table().name()));
            if (c.applied() > 0 || c.ownRows() != 0) out.put(d.table().name(), c);
        }
        return out;
    }

    private static int count(ChangeScan.Result r, Kind kind) {
        return (int) r.changes().values().stream().filter(c -> c.kind() == kind).count();
    }

    private static List<Conflict> conflicts(List<TableDelta> deltas) {
        List<Conflict> out = new ArrayList<>();
        for (TableDelta d : deltas) {
            String table = d.table().name();
            if (ARCHIVED_BY_UPGRADE.contains(table)) continue;
            if (!d.production().changes().isEmpty() && d.table().stagingColumns() == null) {
                out.add(new Conflict(table, "*", d.production().changes().size() + " rows changed",
                        "has no such table after the upgrade: catch-up has no rule for it. Stage again from production as it is now."));
                continue;
            }
            for (Change p : d.production().changes().values()) {
                Change s = d.staging().changes().get(p.key());
                if (s != null) {
                    out.add(new Conflict(table, p.key(), describe(p.kind()), describe(s.kind()) + " it too"));
                } else if (p.kind() == Kind.INSERT && d.staging().rowsRead().containsKey(p.key())) {
                    out.add(new Conflict(table, p.key(), "inserted it", "already holds a row with this key"));
                }
            }
        }
        return out;
    }

    private static String describe(Kind kind) {
        return switch (kind) {
            case INSERT -> "inserted";
            case UPDATE -> "updated";
            case DELETE -> "deleted";
        };
    }

    private Outcome refuse(String passId, Instant started, Map<String, TableCounts> counts, List<Conflict> conflicts) throws SQLException {
        staging.rollback();
        production.rollback();
        if (review == null) {
            CatchUpAudit.record(staging, passId, started, "REFUSED", sourceUrl, 0, countsText(counts),
                    conflicts.stream().map(Conflict::toString).collect(Collectors.joining("\n")));
            staging.commit();
        }
        return new Outcome(passId, false, 0, counts, conflicts, null);
    }

    /** Deletes children first, then updates and inserts parents first. Returns the updates staging had no row for. */
    private List<Conflict> apply(List<TableDelta> deltas) throws SQLException {
        List<Conflict> missing = new ArrayList<>();
        try (RowWriter writer = new RowWriter(production, staging, engine, review, tag -> applying = (Applying) tag)) {
            List<String> indexes = new ArrayList<>();
            if (review == null) {
                // Production's rows of the updates and inserts are read on production's connection (free until then: the
                // access snapshot is taken on the others, MariaDB's on the second connection or after the writes) while the
                // deletes run here.
                if (engine == Engine.POSTGRESQL || engine == Engine.MYSQL) writer.prefetchBeside(deltas.stream().filter(d -> !ARCHIVED_BY_UPGRADE.contains(d.table().name()))
                        .map(d -> Map.entry(d.table(), rowKeys(d))).toList());
                clock.lap("write rows: production's rows to read ahead started");
                indexes.addAll(awaitDeleteIndexes());
                clock.lap("write rows: foreign-key indexes for deletes (waited for)");
            }
            for (int i = deltas.size() - 1; i >= 0; i--) {
                TableDelta d = deltas.get(i);
                // Only a table with a foreign key no index serves can need one (whose build beside, if any, is awaited).
                if (review == null && deleteIndexParents.contains(d.table().name())) {
                    clock.lap("write rows: deletes");
                    List<String> created = createDeleteIndexes(d);
                    if (!created.isEmpty()) log.printf("[catch-up] foreign-key indexes %s built inside the pass for %s's deletes%n", created, d.table().name());
                    indexes.addAll(created);
                    clock.lap("write rows: foreign-key indexes for deletes");
                }
                for (Change c : d.production().changes().values()) {
                    if (c.kind() != Kind.DELETE) continue;
                    ChangeScan.Row row = d.staging().rowsRead().get(c.key());
                    applying = new Applying(d.table().name(), c.key(), c.kind());
                    if (row != null) writer.delete(d.table(), row.keyValues(), applying);
                }
                // Children first: a table's deletes are written before its parents'.
                writer.flush();
            }
            if (review == null) clock.lap("write rows: deletes");
            if (review == null && finalPass != null) {
                // The final pass leaves 4.2.0's schema: the standing indexes go with its commit (a refused one keeps them).
                Set<String> standing = DeleteIndexes.standing(staging, engine).keySet();
                if (!standing.isEmpty()) log.printf("[catch-up] final pass: dropping catch-up's standing foreign-key indexes %s%n", standing);
                indexes.addAll(standing);
            }
            DeleteIndexes.drop(staging, indexes);
            if (review == null) clock.lap("write rows: foreign-key indexes for deletes dropped");
            for (TableDelta d : deltas) {
                if (ARCHIVED_BY_UPGRADE.contains(d.table().name())) {
                    for (Change c : d.production().changes().values()) {
                        applying = new Applying(d.table().name(), c.key(), c.kind());
                        writer.archiveClaimBehavior(d.table(), c.kind() == Kind.DELETE ? integerKey(c.key()) : c.now().keyValues(), c.kind() == Kind.DELETE);
                    }
                    continue;
                }
                boolean keyed = d.table().production().primaryKey();
                if (review == null) clock.lap("write rows");
                writer.prefetch(d.table(), rowKeys(d));
                if (review == null) clock.lap("write rows: production's rows read (PostgreSQL, MariaDB: the wait for the read ahead)");
                for (Change c : d.production().changes().values()) {
                    if (c.kind() != Kind.UPDATE) continue;
                    applying = new Applying(d.table().name(), c.key(), c.kind());
                    if (!keyed) {
                        // Keyed on all its columns: only the number of identical rows can have changed.
                        writer.delete(d.table(), c.now().keyValues());
                        for (int i = 0; i < c.now().copies(); i++) writer.insert(d.table(), c.now().keyValues());
                    } else if (review == null && !d.staging().rowsRead().containsKey(c.key())) {
                        // Staging's row of this key was read (ChangeScan.scanKeys): it has none to update.
                        missing.add(new Conflict(d.table().name(), c.key(), "updated it", "has no row with this key"));
                    } else {
                        Conflict none = new Conflict(d.table().name(), c.key(), "updated it", "has no row with this key");
                        writer.update(d.table(), c.now().keyValues(), applying, n -> {
                            if (n == 0 && review == null) missing.add(none);
                        });
                    }
                }
                for (Change c : d.production().changes().values()) {
                    if (c.kind() != Kind.INSERT) continue;
                    applying = new Applying(d.table().name(), c.key(), c.kind());
                    for (int i = 0; i < c.now().copies(); i++) writer.insert(d.table(), c.now().keyValues(), applying);
                }
                // Parents first: a table's inserts are written before its children's.
                writer.flush();
            }
        }
        return missing;
    }

    /** The keys of production's rows a table's updates and inserts write (RowWriter.prefetch). */
    private static List<Object[]> rowKeys(TableDelta d) {
        return d.production().changes().values().stream().filter(c -> c.now() != null).map(c -> c.now().keyValues()).toList();
    }

    /** UM_CLAIM_BEHAVIOR's key (UM_ID, UM_TENANT_ID) from its key text "id|tenant": two integers, no escapes possible. */
    private static Object[] integerKey(String keyText) {
        String[] parts = keyText.split("\\|");
        Object[] key = new Object[parts.length];
        for (int i = 0; i < parts.length; i++) key[i] = Integer.valueOf(parts[i]);
        return key;
    }

    private void printReview(List<TableDelta> deltas, Database database) throws Exception {
        review.println("-- carbon-upgrade catch-up, review only: nothing below has been run. Production rows in their 4.0.0 form,");
        review.println("-- then the upgrade's own data changesets, in one transaction; catch-up also records its base rows and");
        review.println("-- an audit row in " + CatchUpAudit.TABLE + " and then moves the id generators past the highest ids.");
        apply(deltas);
        for (Map.Entry<String, List<String>> e : UpgradeTransforms.sql(database).entrySet()) {
            review.println("-- changeset " + e.getKey());
            for (String sql : e.getValue()) review.println(sql + ";");
        }
    }

    /**
     * The base rows of every key the pass applied: 'P' becomes production's hash now, 'S' staging's row after the
     * transforms, so the next pass sees neither as a change. Set-based per key in the database, in this transaction.
     */
    private void refreshBase(List<TableDelta> deltas) throws SQLException {
        for (TableDelta d : deltas) {
            if (d.production().changes().isEmpty()) continue;
            CatchUpTable t = d.table();
            refreshProductionSide(d, "base refresh");
            // A table the upgrade archives (UM_CLAIM_BEHAVIOR) keeps no staging rows: only its 'P' side follows production.
            if (t.staging() == null || ARCHIVED_BY_UPGRADE.contains(t.name())) continue;
            if (!t.production().primaryKey()) {
                // Keyed on all columns (four small registry tables): recomputed in the database, then its buckets re-summed.
                refreshStagingSide(t, d);
                StageBase.summarize(staging, StageBase.STAGING, t.name(), d.production().bucketsRead());
                continue;
            }
            // Staging's rows at production's keys after the writes and the transforms: the new 'S' base of those keys.
            Map<String, ChangeScan.Row> after = ChangeScan.rowsAtKeys(staging, engine, t, d.production().changes().values());
            clock.lap("base refresh: S rows read");
            SummaryDelta sd = new SummaryDelta();
            BaseRowBatch rowsS = new BaseRowBatch(StageBase.STAGING, t.name());
            for (Change c : d.production().changes().values()) {
                rewrite(rowsS, c.key(), d.staging().base().get(c.key()), after.get(c.key()), sd);
            }
            rowsS.execute();
            clock.lap("base refresh: S rows");
            sd.apply(StageBase.STAGING, t.name());
            clock.lap("base refresh: S summary");
        }
    }

    /** The audit row's OUTCOME of an applied final pass (a refused one is REFUSED, its reason saying it was final). */
    static final String FINAL = "FINAL";

    /** Set for the cut-over's pass (-Dcarbon.upgrade.catchup.final=true): see {@link #finalPass(boolean)}; null otherwise. */
    private FinalPass finalPass;
    /** When production's snapshot was started (about: between this and the first read of production), for the log. */
    private Instant snapshotAt;
    /** A final pass: per table, what its pending rows change in the base's key counts ([P, S]); null otherwise. */
    private Map<String, long[]> pendingKeys;

    /**
     * Makes this the cut-over's pass (FinalPass): it refuses while other sessions are on production's database (checked
     * before it reads anything and right before its commit) and leaves its base rows in {@value BaseTables#PENDING}
     * instead of rewriting the base, which the next pass, if there is one, merges first. Its audit row says FINAL.
     */
    public CatchUp finalPass(boolean on) {
        this.finalPass = on ? new FinalPass(engine) : null;
        return this;
    }

    /** About when production's snapshot of this pass was taken (null before the pass started reading production). */
    public Instant snapshotAt() {
        return snapshotAt;
    }

    /**
     * A final pass: refuses unless production's database has no session but the pass's own. Refused, it rolls back both
     * sides, records REFUSED with the reason in its own transaction and throws. Review mode only logs what it would do.
     * The list is read outside production's snapshot: PostgreSQL keeps pg_stat_activity as first read in a transaction.
     */
    private void checkFinal(String passId, Instant started) throws SQLException {
        boolean auto = production.getAutoCommit();
        String why;
        if (!auto) production.rollback(); // called after production's last read: its snapshot is no longer needed
        production.setAutoCommit(true);
        try {
            why = finalPass.othersOn(production);
            if (why == null) why = finalPass.writesSince(production, line -> log.println("[catch-up] " + line));
        } finally {
            production.setAutoCommit(auto);
        }
        if (why == null) {
            log.println("[catch-up] final pass: no session on production's database but the pass's own");
            return;
        }
        if (review != null) {
            log.println("[catch-up] review of a final pass: the real pass would refuse now: " + why);
            return;
        }
        rollbackQuietly(staging);
        CatchUpAudit.ensure(staging, engine);
        CatchUpAudit.record(staging, passId, started, "REFUSED", sourceUrl, 0, null, "final pass refused: " + why);
        if (!staging.getAutoCommit()) staging.commit();
        throw new FinalPass.Refused("Final catch-up pass refused; nothing was applied (the refusal is recorded in " + CatchUpAudit.TABLE + "): " + why);
    }

    /**
     * A final pass, instead of {@link #refreshBase}: what the refresh would write, per key and side (the new bucket and
     * hash or none, the old ones for the summary's differences), appended to {@value BaseTables#PENDING} in the pass's
     * transaction. The same rows the refresh computes: 'P' production's hash now, 'S' staging's row after the transforms.
     */
    private void recordPending(String passId, List<TableDelta> deltas) throws SQLException {
        List<PendingBase.Entry> entries = new ArrayList<>();
        pendingKeys = new java.util.HashMap<>();
        for (TableDelta d : deltas) {
            if (d.production().changes().isEmpty()) continue;
            CatchUpTable t = d.table();
            for (Change c : d.production().changes().values()) {
                ChangeScan.Row now = c.now();
                pending(entries, StageBase.PRODUCTION, t.name(), c.key(), d.production().base().get(c.key()),
                        now == null ? null : new ChangeScan.BaseRow(now.hash(), now.bucket()));
            }
            clock.lap("base rows left pending: P rows");
            if (t.staging() == null || ARCHIVED_BY_UPGRADE.contains(t.name())) continue;
            Map<String, ChangeScan.BaseRow> after = new java.util.HashMap<>();
            Map<String, ChangeScan.BaseRow> before;
            if (t.production().primaryKey()) {
                ChangeScan.rowsAtKeys(staging, engine, t, d.production().changes().values())
                        .forEach((key, row) -> after.put(key, new ChangeScan.BaseRow(row.hash(), row.bucket())));
                before = d.staging().base();
            } else {
                after.putAll(keyedOnAllColumns(t, d.production().changes().keySet()));
                before = ChangeScan.baseRowsAtKeys(staging, t.name(), StageBase.STAGING, d.production().changes().keySet());
            }
            for (Change c : d.production().changes().values()) {
                pending(entries, StageBase.STAGING, t.name(), c.key(), before.get(c.key()), after.get(c.key()));
            }
            clock.lap("base rows left pending: S rows read");
        }
        PendingBase.write(staging, engine, passId, entries);
        clock.lap("base rows left pending: written");
    }

    private void pending(List<PendingBase.Entry> entries, char side, String table, String key, ChangeScan.BaseRow old, ChangeScan.BaseRow now) {
        entries.add(new PendingBase.Entry(side, table, key, now == null ? null : now.bucket(), now == null ? null : now.hash(),
                old == null ? null : old.bucket(), old == null ? null : old.hash()));
        long[] k = pendingKeys.computeIfAbsent(table, x -> new long[2]);
        k[side == StageBase.PRODUCTION ? 0 : 1] += (now == null ? 0 : 1) - (old == null ? 0 : 1);
    }

    /**
     * A table keyed on all its columns (refreshStagingSide): staging's base row of each key text as the refresh computes
     * it, one per key (the lowest bucket, the hashes of its identical rows summed); none for a key without rows.
     */
    private Map<String, ChangeScan.BaseRow> keyedOnAllColumns(CatchUpTable t, Set<String> keys) throws SQLException {
        StagedTable upgraded = t.staging();
        Map<String, ChangeScan.BaseRow> out = new java.util.HashMap<>();
        try (PreparedStatement ps = staging.prepareStatement("SELECT MIN(R.B), SUM(R.H) FROM (SELECT " + upgraded.bucket(engine) + " AS B, "
                + upgraded.keyText(engine) + " AS K, " + upgraded.rowHash(engine) + " AS H FROM " + t.name() + ") R WHERE R.K = ? GROUP BY R.K")) {
            for (String key : keys) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) out.put(key, new ChangeScan.BaseRow(rs.getLong(2), rs.getInt(1)));
                }
            }
        }
        return out;
    }

    /**
     * Merges a final pass's pending base rows into the base (rows and summary, as {@link #refreshBase} would have
     * written them) and deletes them, in a transaction of its own holding the stage row's lock, committed before this
     * pass reads the base: the base then equals the snapshot the final pass recorded (XminScan, BinlogScan). A pass
     * killed during it leaves them pending; the next one merges them.
     */
    private void mergePending() throws SQLException {
        if (!PendingBase.any(staging)) return;
        long t0 = System.nanoTime();
        staging.setAutoCommit(false);
        try {
            lockStage();
            int[] merged = mergePendingRows();
            staging.commit();
            log.printf("[catch-up] merged %d base rows a final pass left pending (%d of them removals) into the base in %d ms%n",
                    merged[0], merged[1], (System.nanoTime() - t0) / 1_000_000);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(staging);
            throw e;
        } finally {
            staging.setAutoCommit(true);
        }
        clock.lap("before the compare: pending base rows merged");
    }

    /** The merge itself, in the caller's transaction: {rows merged, of which removals}. */
    private int[] mergePendingRows() throws SQLException {
        Set<String> passes = new java.util.TreeSet<>();
        List<PendingBase.Entry> entries = PendingBase.read(staging, passes);
        int removed = 0;
        for (int from = 0; from < entries.size();) {
            PendingBase.Entry first = entries.get(from);
            BaseRowBatch rows = new BaseRowBatch(first.side(), first.table());
            SummaryDelta delta = new SummaryDelta();
            int to = from;
            for (; to < entries.size() && entries.get(to).side() == first.side() && entries.get(to).table().equals(first.table()); to++) {
                PendingBase.Entry e = entries.get(to);
                rows.delete(e.key());
                if (e.oldBucket() != null) delta.add(e.oldBucket(), -1, -e.oldHash());
                if (e.bucket() == null) {
                    removed++;
                    continue;
                }
                rows.insert(e.bucket(), e.key(), e.hash());
                delta.add(e.bucket(), 1, e.hash());
            }
            rows.execute();
            delta.apply(first.side(), first.table());
            from = to;
        }
        PendingBase.clear(staging);
        if (!entries.isEmpty()) log.printf("[catch-up] base rows left pending by final pass %s: %d%n", String.join(", ", passes), entries.size());
        return new int[] {entries.size(), removed};
    }

    /** Tables whose 'P' base rows this pass has rewritten already (PostgreSQL: during the compare). */
    private final Set<String> productionSideRefreshed = new java.util.HashSet<>();

    /**
     * One table's 'P' base rows and summary: production's hash now of every key it changed (once per pass). It depends on
     * production's changes of this table alone, known once the table is compared.
     */
    private void refreshProductionSide(TableDelta d, String step) throws SQLException {
        CatchUpTable t = d.table();
        if (d.production().changes().isEmpty() || !productionSideRefreshed.add(t.name())) return;
        SummaryDelta p = new SummaryDelta();
        BaseRowBatch rowsP = new BaseRowBatch(StageBase.PRODUCTION, t.name());
        for (Change c : d.production().changes().values()) {
            rewrite(rowsP, c.key(), d.production().base().get(c.key()), c.now(), p);
        }
        rowsP.execute();
        clock.lap(step + ": P rows");
        p.apply(StageBase.PRODUCTION, t.name());
        clock.lap(step + ": P summary");
    }

    /**
     * PostgreSQL, while the other connections scan production (ExportedSnapshot): this table's 'P' base is rewritten in the
     * pass's transaction now rather than after the writes, where the pass's thread would otherwise wait for their scans. A
     * refused or failed pass rolls it back with the rest; the compare reads no 'P' base row of a table compared already
     * (the other connections read the committed base, which this does not change before the commit).
     */
    private void refreshProductionSideEarly(TableDelta d) throws SQLException {
        if (review != null || finalPass != null || exported == null || engine != Engine.POSTGRESQL) return;
        clock.restart();
        refreshProductionSide(d, "compare: base refresh");
    }

    /**
     * The tables whose id generators the pass checks after its commit: every compared table; on MySQL/MariaDB only those
     * it inserted production's rows into. InnoDB moves a table's AUTO_INCREMENT past an explicit id in the insert itself,
     * inside the pass's transaction (so a pass killed after its commit leaves none behind either), and it never goes back:
     * a table the pass inserted nothing into has the counter the stage or an earlier pass checked. Fewer tables to open
     * for information_schema and fewer MAX(id) reads (5 of 32 tables in the benchmark's pass).
     */
    private List<String> generatorTables(List<CatchUpTable> tables, List<TableDelta> deltas) {
        if (engine != Engine.MYSQL) return tables.stream().map(CatchUpTable::name).toList();
        return deltas.stream().filter(d -> count(d.production(), Kind.INSERT) > 0).map(d -> d.table().name()).toList();
    }

    /** Queues the replacement of one key's base row (old: as read by the scan, or none; now: none for a delete). */
    private static void rewrite(BaseRowBatch rows, String key, ChangeScan.BaseRow old, ChangeScan.Row now, SummaryDelta delta) {
        rows.delete(key);
        if (old != null) delta.add(old.bucket(), -1, -old.hash());
        if (now == null) return;
        rows.insert(now.bucket(), key, now.hash());
        delta.add(now.bucket(), 1, now.hash());
    }

    /** Keys per array statement of a base refresh on PostgreSQL. */
    private static final int ARRAY_CHUNK = 5000;

    /**
     * One side's base rows of one table to replace: the old rows deleted by key, then the new ones inserted. On
     * PostgreSQL one DELETE ... = ANY(array) and one INSERT ... SELECT FROM unnest(arrays) per 5,000 keys (a JDBC
     * batch is still one statement per row for the server); elsewhere JDBC batches, which the staging connection's
     * driver rewrites (CatchUpMain). The side is a literal (a bound CHAR(1) is compared as text on PostgreSQL, and
     * the primary key would not serve); the table name and the values are bound.
     */
    private final class BaseRowBatch {
        private final char side;
        private final String table;
        private final List<String> deletes = new ArrayList<>();
        private final List<Integer> buckets = new ArrayList<>();
        private final List<String> keys = new ArrayList<>();
        private final List<Long> hashes = new ArrayList<>();

        BaseRowBatch(char side, String table) {
            this.side = StageBase.side(side);
            this.table = table;
        }

        void delete(String key) {
            deletes.add(key);
        }

        void insert(int bucket, String key, long hash) {
            buckets.add(bucket);
            keys.add(key);
            hashes.add(hash);
        }

        void execute() throws SQLException {
            if (engine == Engine.MYSQL) {
                upsertBaseRows(side, table, deletes, buckets, keys, hashes);
                return;
            }
            if (engine == Engine.POSTGRESQL) {
                try (PreparedStatement del = staging.prepareStatement("DELETE FROM " + BaseTables.ROWS + " WHERE SIDE = '" + side
                        + "' AND TABLE_NAME = ? AND ROW_KEY = ANY(?::text[])")) {
                    for (int from = 0; from < deletes.size(); from += ARRAY_CHUNK) {
                        del.setString(1, table);
                        del.setArray(2, staging.createArrayOf("text", deletes.subList(from, Math.min(deletes.size(), from + ARRAY_CHUNK)).toArray()));
                        del.executeUpdate();
                    }
                }
                try (PreparedStatement ins = staging.prepareStatement("INSERT INTO " + BaseTables.ROWS + " (SIDE, TABLE_NAME, BUCKET, ROW_KEY, ROW_HASH)"
                        + " SELECT '" + side + "', CAST(? AS VARCHAR(64)), u.b, u.k, u.h FROM unnest(?::int4[], ?::text[], ?::int8[]) AS u(b, k, h)")) {
                    for (int from = 0; from < keys.size(); from += ARRAY_CHUNK) {
                        int to = Math.min(keys.size(), from + ARRAY_CHUNK);
                        ins.setString(1, table);
                        ins.setArray(2, staging.createArrayOf("int4", buckets.subList(from, to).toArray()));
                        ins.setArray(3, staging.createArrayOf("text", keys.subList(from, to).toArray()));
                        ins.setArray(4, staging.createArrayOf("int8", hashes.subList(from, to).toArray()));
                        ins.executeUpdate();
                    }
                }
                return;
            }
            try (PreparedStatement del = staging.prepareStatement("DELETE FROM " + BaseTables.ROWS + " WHERE SIDE = '" + side
                    + "' AND TABLE_NAME = ? AND ROW_KEY = ?");
                    PreparedStatement ins = staging.prepareStatement("INSERT INTO " + BaseTables.ROWS + " (SIDE, TABLE_NAME, BUCKET, ROW_KEY, ROW_HASH)"
                            + " VALUES ('" + side + "', ?, ?, ?, ?)")) {
                for (String key : deletes) {
                    del.setString(1, table);
                    del.setString(2, key);
                    del.addBatch();
                }
                del.executeBatch();
                insertBatch(ins, table, buckets, keys, hashes);
            }
        }
    }

    /** Binds base rows (table, bucket, key, hash) to {@code ins}, one JDBC batch. */
    private static void insertBatch(PreparedStatement ins, String table, List<Integer> buckets, List<String> keys, List<Long> hashes)
            throws SQLException {
        for (int i = 0; i < keys.size(); i++) {
            ins.setString(1, table);
            ins.setInt(2, buckets.get(i));
            ins.setString(3, keys.get(i));
            ins.setLong(4, hashes.get(i));
            ins.addBatch();
        }
        ins.executeBatch();
    }

    /** Keys (or buckets) per MariaDB DELETE ... IN (...) of the base refresh. */
    private static final int KEYS_PER_DELETE = 500;

    /**
     * MariaDB/MySQL: a key the pass keeps is written in place by one multi-row INSERT ... ON DUPLICATE KEY UPDATE
     * (the driver rewrites the batch into a few statements), a key it removes is deleted by lists of keys. The old way,
     * a DELETE per key and then an INSERT, costs two statements per key on the server (the lead's idle run: 2.6 s for
     * production's 10,500 keys at 1M users; docs/benchmark.md "MariaDB catch-up pass"). The rows left are the same: one
     * row per kept key with its bucket and hash now, none for a removed key.
     */
    private void upsertBaseRows(char side, String table, List<String> deletes, List<Integer> buckets, List<String> keys, List<Long> hashes)
            throws SQLException {
        java.util.Set<String> kept = new java.util.HashSet<>(keys);
        List<String> gone = deletes.stream().filter(k -> !kept.contains(k)).toList();
        for (int from = 0; from < gone.size(); from += KEYS_PER_DELETE) {
            List<String> chunk = gone.subList(from, Math.min(gone.size(), from + KEYS_PER_DELETE));
            try (PreparedStatement del = staging.prepareStatement("DELETE FROM " + BaseTables.ROWS + " WHERE SIDE = '" + StageBase.side(side)
                    + "' AND TABLE_NAME = ? AND ROW_KEY IN (" + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")")) {
                del.setString(1, table);
                for (int i = 0; i < chunk.size(); i++) del.setString(2 + i, chunk.get(i));
                del.executeUpdate();
            }
        }
        if (keys.isEmpty()) return;
        try (PreparedStatement ins = staging.prepareStatement("INSERT INTO " + BaseTables.ROWS + " (SIDE, TABLE_NAME, BUCKET, ROW_KEY, ROW_HASH)"
                + " VALUES ('" + StageBase.side(side) + "', ?, ?, ?, ?) ON DUPLICATE KEY UPDATE BUCKET = VALUES(BUCKET), ROW_HASH = VALUES(ROW_HASH)")) {
            insertBatch(ins, table, buckets, keys, hashes);
        }
    }

    /** Binds per-bucket figures (table, bucket, rows, hash sum) to {@code ps}, one JDBC batch. */
    private static void summaryBatch(PreparedStatement ps, String table, List<Map.Entry<Integer, long[]>> buckets) throws SQLException {
        for (Map.Entry<Integer, long[]> e : buckets) {
            ps.setString(1, table);
            ps.setInt(2, e.getKey());
            ps.setLong(3, e.getValue()[0]);
            ps.setLong(4, e.getValue()[1]);
            ps.addBatch();
        }
        ps.executeBatch();
    }

    /**
     * MariaDB/MySQL: a side's per-bucket differences added in one multi-row INSERT ... ON DUPLICATE KEY UPDATE (a bucket
     * new to the base is inserted with its figures, as {@code insertMissing} does), then the buckets left without rows
     * deleted by lists: the same rows as an UPDATE per bucket, a few statements instead of one per bucket.
     */
    private void upsertSummary(char side, String table, List<Map.Entry<Integer, long[]>> changed) throws SQLException {
        if (changed.isEmpty()) return;
        try (PreparedStatement up = staging.prepareStatement("INSERT INTO " + BaseTables.SUMMARY + " (SIDE, TABLE_NAME, BUCKET, ROW_COUNT, HASH_SUM)"
                + " VALUES ('" + StageBase.side(side) + "', ?, ?, ?, ?) ON DUPLICATE KEY UPDATE ROW_COUNT = ROW_COUNT + VALUES(ROW_COUNT),"
                + " HASH_SUM = HASH_SUM + VALUES(HASH_SUM)")) {
            summaryBatch(up, table, changed);
        }
        // A bucket whose last base row went is no bucket: the live side has no figures for it either.
        List<Integer> shrunk = changed.stream().filter(e -> e.getValue()[0] < 0).map(Map.Entry::getKey).toList();
        for (int from = 0; from < shrunk.size(); from += KEYS_PER_DELETE) {
            // The buckets are integers this pass computed, never text from outside.
            try (PreparedStatement empty = staging.prepareStatement("DELETE FROM " + BaseTables.SUMMARY + " WHERE SIDE = '" + StageBase.side(side)
                    + "' AND TABLE_NAME = ? AND ROW_COUNT = 0 AND BUCKET IN (" + shrunk.subList(from, Math.min(shrunk.size(), from + KEYS_PER_DELETE))
                            .stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")")) {
                empty.setString(1, table);
                empty.executeUpdate();
            }
        }
    }

    /**
     * What a pass changes in one side's per-bucket summary: the count and hash-sum differences of the base rows it
     * rewrote, known exactly from the rows it read and wrote, so the summary follows without re-reading the base.
     */
    private final class SummaryDelta {
        private final Map<Integer, long[]> buckets = new java.util.TreeMap<>();

        void add(int bucket, long rows, long hash) {
            long[] d = buckets.computeIfAbsent(bucket, b -> new long[2]);
            d[0] += rows;
            d[1] += hash;
        }

        void apply(char side, String table) throws SQLException {
            String where = " WHERE SIDE = '" + StageBase.side(side) + "' AND TABLE_NAME = ? AND BUCKET = ?";
            List<Map.Entry<Integer, long[]>> changed = buckets.entrySet().stream().filter(e -> e.getValue()[0] != 0 || e.getValue()[1] != 0).toList();
            List<Map.Entry<Integer, long[]>> missing = new ArrayList<>();
            if (engine == Engine.POSTGRESQL) {
                applyArrays(side, table, changed, missing);
                return;
            }
            if (engine == Engine.MYSQL) {
                upsertSummary(side, table, changed);
                return;
            }
            try (PreparedStatement up = staging.prepareStatement("UPDATE " + BaseTables.SUMMARY + " SET ROW_COUNT = ROW_COUNT + ?, HASH_SUM = HASH_SUM + ?" + where)) {
                for (Map.Entry<Integer, long[]> e : changed) {
                    up.setLong(1, e.getValue()[0]);
                    up.setLong(2, e.getValue()[1]);
                    up.setString(3, table);
                    up.setInt(4, e.getKey());
                    up.addBatch();
                }
                int[] counts = up.executeBatch();
                for (int i = 0; i < changed.size(); i++) {
                    if (counts[i] == 0) missing.add(changed.get(i));
                    else if (counts[i] < 0) throw new SQLException("The driver did not report the rows a summary update changed; catch-up needs that count.");
                }
            }
            insertMissing(side, table, missing);
            try (PreparedStatement empty = staging.prepareStatement("DELETE FROM " + BaseTables.SUMMARY + where + " AND ROW_COUNT = 0")) {
                // A bucket whose last base row went is no bucket: the live side has no figures for it either.
                for (Map.Entry<Integer, long[]> e : changed) {
                    if (e.getValue()[0] >= 0) continue;
                    empty.setString(1, table);
                    empty.setInt(2, e.getKey());
                    empty.addBatch();
                }
                empty.executeBatch();
            }
        }

        /** Buckets new to the base (no summary row to update): inserted with their figures. */
        private void insertMissing(char side, String table, List<Map.Entry<Integer, long[]>> missing) throws SQLException {
            try (PreparedStatement ins = staging.prepareStatement("INSERT INTO " + BaseTables.SUMMARY + " (SIDE, TABLE_NAME, BUCKET, ROW_COUNT, HASH_SUM)"
                    + " VALUES ('" + StageBase.side(side) + "', ?, ?, ?, ?)")) {
                summaryBatch(ins, table, missing);
            }
        }

        /**
         * PostgreSQL: the same as the batches above in three statements per 5,000 buckets: one UPDATE ... FROM
         * unnest(arrays) RETURNING the buckets it found, INSERTs for the others (buckets new to the base), one DELETE of
         * the emptied buckets.
         */
        private void applyArrays(char side, String table, List<Map.Entry<Integer, long[]>> changed, List<Map.Entry<Integer, long[]>> missing)
                throws SQLException {
            String s = "'" + StageBase.side(side) + "'";
            for (int from = 0; from < changed.size(); from += ARRAY_CHUNK) {
                List<Map.Entry<Integer, long[]>> chunk = changed.subList(from, Math.min(changed.size(), from + ARRAY_CHUNK));
                java.util.Set<Integer> found = new java.util.HashSet<>();
                try (PreparedStatement up = staging.prepareStatement("UPDATE " + BaseTables.SUMMARY + " S SET ROW_COUNT = S.ROW_COUNT + d.n,"
                        + " HASH_SUM = S.HASH_SUM + d.h FROM unnest(?::int4[], ?::int8[], ?::int8[]) AS d(b, n, h)"
                        + " WHERE S.SIDE = " + s + " AND S.TABLE_NAME = ? AND S.BUCKET = d.b RETURNING S.BUCKET")) {
                    up.setArray(1, staging.createArrayOf("int4", chunk.stream().map(Map.Entry::getKey).toArray()));
                    up.setArray(2, staging.createArrayOf("int8", chunk.stream().map(e -> e.getValue()[0]).toArray()));
                    up.setArray(3, staging.createArrayOf("int8", chunk.stream().map(e -> e.getValue()[1]).toArray()));
                    up.setString(4, table);
                    try (ResultSet rs = up.executeQuery()) {
                        while (rs.next()) found.add(rs.getInt(1));
                    }
                }
                for (Map.Entry<Integer, long[]> e : chunk) {
                    if (!found.contains(e.getKey())) missing.add(e);
                }
            }
            insertMissing(side, table, missing);
            // A bucket whose last base row went is no bucket: the live side has no figures for it either.
            List<Integer> shrunk = changed.stream().filter(e -> e.getValue()[0] < 0).map(Map.Entry::getKey).toList();
            try (PreparedStatement empty = staging.prepareStatement("DELETE FROM " + BaseTables.SUMMARY + " WHERE SIDE = " + s
                    + " AND TABLE_NAME = ? AND BUCKET = ANY(?::int4[]) AND ROW_COUNT = 0")) {
                for (int from = 0; from < shrunk.size(); from += ARRAY_CHUNK) {
                    empty.setString(1, table);
                    empty.setArray(2, staging.createArrayOf("int4", shrunk.subList(from, Math.min(shrunk.size(), from + ARRAY_CHUNK)).toArray()));
                    empty.executeUpdate();
                }
            }
        }
    }

    private void refreshStagingSide(CatchUpTable t, TableDelta d) throws SQLException {
        StagedTable upgraded = t.staging();
        String inner = "SELECT " + upgraded.bucket(engine) + " AS B, " + upgraded.keyText(engine) + " AS K, " + upgraded.rowHash(engine)
                + " AS H FROM " + t.name();
        // By primary key (an index lookup); a table without one is keyed on its key text (a scan, but such tables are small).
        // The table name is bound; MySQL's CAST knows CHAR but not VARCHAR (MariaDB knows both).
        String insertS = "INSERT INTO " + BaseTables.ROWS + " (SIDE, TABLE_NAME, BUCKET, ROW_KEY, ROW_HASH) SELECT 'S', CAST(? AS "
                + (engine == Engine.MYSQL ? "CHAR(64)" : "VARCHAR(64)") + "), "
                + (upgraded.primaryKey()
                        ? "R.B, R.K, R.H FROM (" + inner + " WHERE " + t.keyColumns().stream().map(k -> k + " = ?").collect(Collectors.joining(" AND ")) + ") R"
                        : "MIN(R.B), R.K, SUM(R.H) FROM (" + inner + ") R WHERE R.K = ? GROUP BY R.K");
        try (PreparedStatement insS = staging.prepareStatement(insertS);
                PreparedStatement del = staging.prepareStatement("DELETE FROM " + BaseTables.ROWS + " WHERE SIDE = 'S' AND TABLE_NAME = ? AND ROW_KEY = ?")) {
            for (Change c : d.production().changes().values()) {
                del.setString(1, t.name());
                del.setString(2, c.key());
                del.addBatch();
                if (c.kind() == Kind.DELETE) continue;
                insS.setString(1, t.name());
                if (upgraded.primaryKey()) {
                    Object[] key = c.now().keyValues();
                    for (int i = 0; i < key.length; i++) insS.setObject(i + 2, key[i]);
                } else {
                    insS.setString(2, c.key());
                }
                insS.addBatch();
            }
            del.executeBatch();
            insS.executeBatch();
        }
    }

    /**
     * Staging's row count per compared table before the pass writes, and the base's key count per side: with the same
     * figures after the pass, {@link #expectedRows} finds staging's own net inserts without reading staging's rows
     * (staging now = its 'S' base + its own inserts - its own deletes).
     */
    private record Before(Map<String, Long> stagingRows, Map<String, long[]> base) {
        /** Staging's own inserts minus its own deletes in this table since the base; 0 for a table not counted. */
        long ownRows(String table) {
            Long rows = stagingRows.get(table);
            return rows == null ? 0 : rows - base.getOrDefault(table, new long[2])[1];
        }
    }

    private Before before(List<TableDelta> deltas) throws SQLException {
        Map<String, long[]> base = baseKeysBeside != null ? baseKeysBeside.await() : baseKeys(staging);
        closeQuietly(baseKeysBeside); // its connection is not kept open through the writes and the verifier
        baseKeysBeside = null;
        if (stagingCounts != null) {
            Map<String, Long> rows = stagingCounts.await();
            log.printf("[catch-up] staging's row counts took %d ms on a second connection beside the compare (waited %d ms)%n",
                    stagingCounts.took(), stagingCounts.waited());
            return new Before(rows, base);
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        for (TableDelta d : deltas) {
            if (counted(d.table())) rows.put(d.table().name(), rows(staging, d.table()));
        }
        return new Before(rows, base);
    }

    /** A final pass: the base's key counts, being read on a second connection during the compare (null: read here). */
    private ReadBeside<Map<String, long[]>> baseKeysBeside;

    /** Staging's row counts after the commit, being taken on a second connection beside the verifier (null: counted inline). */
    private ReadBeside<Map<String, long[]>> rowsAfter;

    /** Staging's row counts before the pass, being taken on a second connection (null: counted inline). */
    private ReadBeside<Map<String, Long>> stagingCounts;

    private static void closeQuietly(ReadBeside<?> beside) {
        if (beside == null) return;
        try {
            beside.close();
        } catch (SQLException ignored) {
            // only counts were read on it
        }
    }

    private static boolean counted(CatchUpTable t) {
        return t.stagingColumns() != null && !ARCHIVED_BY_UPGRADE.contains(t.name());
    }

    /** Keys per table and side in the base ([P, S]), from the per-bucket summary (a review of an older staging: the base rows). */
    private Map<String, long[]> baseKeys(Connection c) throws SQLException {
        Map<String, long[]> bases = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(summarized
                ? "SELECT TABLE_NAME, SIDE, SUM(ROW_COUNT) FROM " + BaseTables.SUMMARY + " GROUP BY TABLE_NAME, SIDE"
                : "SELECT TABLE_NAME, SIDE, COUNT(*) FROM " + BaseTables.ROWS + " GROUP BY TABLE_NAME, SIDE")) {
            while (rs.next()) bases.computeIfAbsent(rs.getString(1), k -> new long[2])["P".equals(rs.getString(2)) ? 0 : 1] = rs.getLong(3);
        }
        return bases;
    }

    /**
     * Expected and actual rows per table after the pass: production now, plus what the upgrade itself added or removed
     * when staging was upgraded ('S' base keys minus 'P' base keys, after the pass refreshed both), plus staging's own
     * inserts minus its own deletes (staging's rows before the pass minus its 'S' base keys before the pass).
     */
    private Map<String, Long> expectedRows(List<TableDelta> deltas, Before before) throws SQLException {
        // A final pass left its base rows pending and wrote none: the base as it will be once they are merged is the base
        // before the pass (copied: before.ownRows reads it below) plus the pending rows.
        Map<String, long[]> after = new LinkedHashMap<>();
        if (pendingKeys != null) before.base().forEach((table, keys) -> after.put(table, keys.clone()));
        else after.putAll(baseKeys(staging));
        if (pendingKeys != null) pendingKeys.forEach((table, d) -> {
            long[] b = after.computeIfAbsent(table, k -> new long[2]);
            b[0] += d[0];
            b[1] += d[1];
        });
        Map<String, Long> beside = productionCounts();
        Map<String, Long> out = new LinkedHashMap<>();
        for (TableDelta d : deltas) {
            CatchUpTable t = d.table();
            if (!counted(t)) continue;
            long[] base = after.getOrDefault(t.name(), new long[2]);
            // Production is read in one repeatable-read snapshot: a count the scan took is the count now.
            Long counted = productionRows.containsKey(t.name()) ? productionRows.get(t.name()) : beside.get(t.name());
            out.put(t.name(), (counted != null ? counted : rows(production, t)) + (base[1] - base[0]) + before.ownRows(t.name()));
        }
        return out;
    }

    /**
     * Staging's rows per table once the pass has committed, beside the expected figures: {expected, actual}. Counted after
     * the commit, not inside the pass's transaction: there, on MariaDB, every index page the pass wrote made InnoDB look
     * each of that page's rows up in the clustered index to decide what the transaction sees, and the counts took 4.2 s
     * instead of about 1.5 s at 1M users (docs/benchmark.md "MariaDB catch-up pass"). The figures are what the verifier
     * then checks: the committed database. The read ends with its own transaction. {@code c}: a second connection to
     * staging once the verifier's schema checkpoint has read the catalog (see run), or staging's own where none reaches it. The tables
     * of {@code leftToVerifier} get -1: the verifier takes their counts from its access check, which reads them anyway
     * (Verifier.countedByAccess), or its domain checkpoint counts anyway (Verifier.COUNTED_BY_VERIFIER), instead of a
     * second scan of UM_USER_ROLE or UM_HYBRID_USER_ROLE beside it.
     */
    private Map<String, long[]> stagingRowsAfter(Connection c, List<TableDelta> deltas, Map<String, Long> expected, Set<String> leftToVerifier)
            throws SQLException {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (TableDelta d : deltas) {
            Long want = expected.get(d.table().name());
            if (want == null) continue;
            boolean keyed = d.table().production().primaryKey(); // the verifier counts rows, not distinct keys
            out.put(d.table().name(), new long[] {want, keyed && leftToVerifier.contains(d.table().name()) ? -1 : rows(c, d.table())});
        }
        if (!c.getAutoCommit()) c.commit();
        return out;
    }

    /**
     * A table's rows; for a table without primary key its distinct keys, as the base counts them (such a table may hold
     * a row twice, and its copies are one key in the base).
     */
    private long rows(Connection c, CatchUpTable t) throws SQLException {
        String from = t.production().primaryKey() ? RowHashSql.checkName(t.name())
                : "(SELECT DISTINCT " + String.join(", ", t.keyColumns()) + " FROM " + RowHashSql.checkName(t.name()) + ") X";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + from)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String countsText(Map<String, TableCounts> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n"));
    }

    /** A test kills the process here (CatchUpCrashTest): everything is written, nothing committed. */
    private void pauseForTests() throws InterruptedException {
        String pause = System.getProperty("carbon.upgrade.catchup.testPauseBeforeCommitMillis");
        if (pause == null) return;
        log.println("[catch-up] paused before commit");
        log.flush();
        Thread.sleep(Long.parseLong(pause));
    }

    private void dropLookupIndexesQuietly() {
        try {
            rollbackQuietly(staging);
            TransformScope.dropLookupIndexes(staging, engine);
            lookupIndexes = false;
        } catch (SQLException ignored) {
            // the pass's own outcome or failure is what the operator needs; the next pass drops them
        }
    }

    /** MariaDB's pages read from disk so far, all sessions (Innodb_buffer_pool_reads), for {@link #PAGE_READS}. */
    private long pagesRead() {
        try (Statement s = staging.createStatement(); ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_reads'")) {
            return rs.next() ? rs.getLong(2) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (!c.getAutoCommit()) c.rollback();
        } catch (SQLException ignored) {
            // the original failure is what the operator needs
        }
    }

}
