package org.carbonupgrade.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import liquibase.Scope;

import org.carbonupgrade.Engine;
import org.carbonupgrade.JitOff;
import org.carbonupgrade.ReadBeside;
import org.carbonupgrade.access.AccessSnapshot;
import org.carbonupgrade.access.IdNames;
import org.carbonupgrade.access.RealmNames;
import org.carbonupgrade.schema.ReferenceCheck;
import org.carbonupgrade.schema.SchemaDiff;
import org.carbonupgrade.schema.SchemaReader;

/**
 * Proves the upgrade guide's checkpoints on an upgraded database: the new tables are there, the schema equals
 * the 4.2.0 reference, the data 4.2.0 relies on is in place and no row was lost, every 4.0.x grant and membership
 * means the same in 4.2.0 (AccessEquivalence), and the staging smoke test
 * (user stores and tenants with users) works, rolled back so the database is left as it was.
 */
public final class Verifier {
    /** Tables the upgrade itself adds rows to (domains, seed rows) when an earlier attempt created them already. */
    static final Set<String> UPGRADE_ADDS_ROWS = Set.of("UM_DOMAIN", "IDN_BASE_TABLE", "IDP_BASE_TABLE");
    /** Tables whose rows the upgrade moves to an archive (changelogs/carbon/um-claim.xml): table and archive together hold them. */
    static final Map<String, String> MOVED_TO_ARCHIVE = Map.of("UM_CLAIM_BEHAVIOR", "CARBON_UPGRADE_CLAIM_BEHAVIOR");

    /** How a checkpoint that finds a 4.2.0 table or column missing ends: what it means and what to do. */
    static final String NOT_FINISHED = "the upgrade has not finished (this is a Carbon 4.0.x database, or an update stopped"
            + " half-way or is still running). Run the update (liquibase:update with the same profiles and options; it resumes"
            + " where it stopped), then verify again.";

    private Verifier() {
    }

    public static VerificationReport verify(Connection c, boolean identityServer) throws SQLException {
        return verify(c, identityServer, line -> Scope.getCurrentScope().getLog(Verifier.class).info(line));
    }

    /** As {@link #verify(Connection, boolean)}, saying on {@code log} which checkpoint runs and what each took. */
    public static VerificationReport verify(Connection c, boolean identityServer, Consumer<String> log) throws SQLException {
        return verify(c, identityServer, log, null, null);
    }

    /**
     * The checkpoints after a catch-up pass on a staging database (staging/CatchUp). Two differ from an in-place run:
     * access is compared with production's access now, taken in the pass's own read of production (the stage-time
     * snapshot describes the copy, which production has moved on from); and the gate's row counts, which describe the
     * copy too, give way to catch-up's count per table: production now, plus the rows the upgrade itself added or
     * removed when staging was upgraded, plus staging's own net inserts. {@code rows}: table -> {expected, actual}.
     */
    public static VerificationReport verifyStaging(Connection c, boolean identityServer, AccessSnapshot productionNow,
            Map<String, long[]> rows, Consumer<String> log) throws SQLException {
        return verifyStaging(c, identityServer, productionNow, () -> rows, log);
    }

    /** Staging's row counts after a catch-up pass, table -> {expected, actual}, possibly still being counted beside. */
    public interface StagingRows {
        /** Called once the schema checkpoint has read the catalog: the counts may start beside the checkpoints after it. */
        default void start() {
        }

        Map<String, long[]> await() throws SQLException;
    }

    /**
     * As {@link #verifyStaging(Connection, boolean, AccessSnapshot, Map, Consumer)}, with the counts still being taken
     * (catch-up counts the committed tables on a connection of its own while the checkpoints before the row counts run):
     * awaited at the row-count checkpoint, before the smoke test writes anything.
     */
    public static VerificationReport verifyStaging(Connection c, boolean identityServer, AccessSnapshot productionNow,
            StagingRows rows, Consumer<String> log) throws SQLException {
        return verify(c, identityServer, log, productionNow, java.util.Objects.requireNonNull(rows));
    }

    private static VerificationReport verify(Connection c, boolean identityServer, Consumer<String> log, AccessSnapshot productionNow,
            StagingRows stagingRows) throws SQLException {
        Engine engine = Engine.of(c);
        VerificationReport report = new VerificationReport(engine, identityServer ? "is" : "carbon",
                engine.describe(c), org.carbonupgrade.gate.Redact.url(c.getMetaData().getURL()), c.getCatalog());
        Map<String, String> tables = new SchemaReader(c).tableNames();
        // The run's settings may live on Liquibase's scope, which the access check's thread (below) does not see.
        RealmNames names = RealmNames.current();
        DomainColumns domainColumns;
        Checkpoint smokeEarly;
        long smokeMillis;
        java.util.concurrent.CompletableFuture<HybridGroups> hybrid = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<Map<String, Long>> countedBeside = new java.util.concurrent.CompletableFuture<>();
        try (ReadBeside<Checkpoint> access = accessBeside(c, engine, tables, productionNow, names, hybrid, countedBeside);
             // The domain pass below waits for the access check beside to group UM_HYBRID_USER_ROLE (seconds at 1M users):
             // the rows of every other table the row-count checkpoint compares are counted before it, on a connection of
             // their own while this one reads the catalog for the schema checkpoint (or here after it, where none is at
             // hand). Nothing writes during the verification (see accessBeside), so the counts are the same.
             ReadBeside<Map<String, Long>> counts = stagingRows == null && access != null
                     ? ReadBeside.start(c, engine.profile(), "row counts", other -> countOtherTables(other, tables, COUNTED_BY_ACCESS)) : null) {
            checkpoint(report, log, "new tables", () -> newTables(tables, engine, identityServer));
            checkpoint(report, log, "schema against the 4.2.0 reference", () -> schema(c, identityServer));
            if (stagingRows != null) stagingRows.start();
            // After a catch-up pass the smoke test's writes and reads (rolled back) run now, on this connection, which would
            // otherwise only wait for the access check beside to group UM_HYBRID_USER_ROLE (DomainColumns.read, below); only
            // its check of the existing memberships needs those figures, and runs last as before. They were the last 0.2-0.4 s
            // of every pass's verification (docs/benchmark.md, branch s26-fixed).
            long smokeStarted = System.nanoTime();
            smokeEarly = stagingRows != null && access != null ? SmokeTest.writes(c, tables, null) : null;
            smokeMillis = (System.nanoTime() - smokeStarted) / 1_000_000;
            if (smokeEarly != null) {
                log.accept(String.format(Locale.ROOT, "verify: smoke test's writes and reads (rolled back) beside the access check: done in %.1f s",
                        smokeMillis / 1000.0));
            }
            // UM_USER_ROLE and UM_ROLE the access check counts beside, with the totals it reads of them anyway (COUNT(*)
            // in the same statement): taken from there, or counted here where it did not count them.
            Map<String, Long> counted = new java.util.HashMap<>();
            if (stagingRows == null && access != null) {
                counted.putAll(counts != null ? counts.await() : countOtherTables(c, tables, COUNTED_BY_ACCESS));
                Map<String, Long> byAccess = DomainColumns.await(countedBeside, "row counts");
                if (byAccess != null) counted.putAll(byAccess);
            }
            // Beside, the access check groups UM_HYBRID_USER_ROLE first on its own connection: the pass here counts from its groups.
            // The domain checkpoint's own reads of UM_TENANT and UM_DOMAIN (and the domain pass over UM_ROLE_PERMISSION) run
            // before it waits for that grouping, not after it on the verifier's path.
            DomainColumns[] domainPass = {null};
            Columns columns = () -> domainPass[0] != null ? domainPass[0]
                    : (domainPass[0] = DomainColumns.read(c, tables, access == null, access == null ? null : hybrid));
            checkpoint(report, log, "domain rows and ids", () -> domainData(c, tables, columns));
            domainColumns = columns.read();
            if (stagingRows == null) checkpoint(report, log, "row counts against the gate's", () -> rowCounts(c, tables, domainColumns, counted));
            else checkpoint(report, log, "row counts against production's now",
                    () -> stagingRowCounts(countedByAccess(c, tables, countedByDomainPass(stagingRows.await(), domainColumns),
                            access == null ? null : countedBeside)));
            checkpoint(report, log, "access equivalence", () -> access == null
                    ? AccessEquivalence.check(c, tables, domainColumns, productionNow, names) : awaitBeside(access));
        }
        checkpoint(report, log, "smoke test", () -> smokeEarly != null ? SmokeTest.finish(smokeEarly, domainColumns, smokeMillis)
                : SmokeTest.run(c, tables, domainColumns));
        return report;
    }

    /**
     * The access checkpoint started on a second connection beside the other checkpoints' reads (schema comparison, domain
     * rows, row counts), so their scans overlap; null where no second connection reaches the same database as the same
     * user, or on an H2 1.2 file (where the checkpoint has nothing to compute): then it runs inline, after them. Nothing
     * writes meanwhile: the update holds Liquibase's lock and the gate refused other sessions; the standalone verifier
     * reads only until the smoke test, which starts after this check has ended. After a catch-up pass the smoke test's
     * writes run beside this check (verify), rolled back, never committed: this check reads committed rows only.
     */
    private static ReadBeside<Checkpoint> accessBeside(Connection c, Engine engine, Map<String, String> tables,
            AccessSnapshot productionNow, RealmNames names, java.util.concurrent.CompletableFuture<HybridGroups> hybrid,
            java.util.concurrent.CompletableFuture<Map<String, Long>> counted) throws SQLException {
        if (engine == Engine.H2 && c.getMetaData().getDatabaseMajorVersion() < 2) return null;
        return ReadBeside.start(c, engine.profile(), "access-equivalence check",
                second -> AccessEquivalence.check(JitOff.forReads(second), tables, null, productionNow, names, hybrid, engine.profile(), counted));
    }

    /** Tables whose rows the access check beside counts (AccessEquivalence, its totals), for the row-count checkpoint too. */
    public static final Set<String> COUNTED_BY_ACCESS = Set.of("UM_USER_ROLE", "UM_ROLE");

    /**
     * Tables whose counts catch-up may leave to the verifier (-1 in its figures): those of {@link #COUNTED_BY_ACCESS} and
     * those the domain checkpoint counts anyway (DomainColumns.TABLES: UM_HYBRID_USER_ROLE, 2M rows at 1M users, grouped
     * by the access check beside, and UM_ROLE_PERMISSION): every row of the committed table, as COUNT(*) counts them.
     * Catch-up's count of UM_HYBRID_USER_ROLE beside was a second scan of it at the same time, on the row-count
     * checkpoint's path (docs/benchmark.md, branch s26-fixed).
     */
    public static final Set<String> COUNTED_BY_VERIFIER = Set.of("UM_USER_ROLE", "UM_ROLE", "UM_HYBRID_USER_ROLE", "UM_ROLE_PERMISSION");

    /**
     * Fills in the counts of {@code rows} left to the verifier (below 0) for the tables the domain checkpoint counted
     * (DomainColumns.TABLES, where it could read them); the others stay for {@link #countedByAccess}.
     */
    static Map<String, long[]> countedByDomainPass(Map<String, long[]> rows, DomainColumns domainColumns) {
        for (String table : DomainColumns.TABLES) {
            long[] r = rows.get(table);
            DomainColumns.Stats counted = domainColumns == null ? null : domainColumns.of(table);
            if (r != null && r[1] < 0 && counted != null) r[1] = counted.rows();
        }
        return rows;
    }

    /**
     * Catch-up's counts after a pass, {expected, actual} per table, where an actual below 0 (only for a table of
     * {@link #COUNTED_BY_ACCESS}) is left to the verifier: taken from the access check's totals beside (COUNT(*) in the
     * statement that reads them anyway, on the committed database as the other counts), or counted here where it
     * handed none over.
     */
    static Map<String, long[]> countedByAccess(Connection c, Map<String, String> tables, Map<String, long[]> rows,
            java.util.concurrent.CompletableFuture<Map<String, Long>> countedBeside) throws SQLException {
        Map<String, Long> byAccess = null;
        boolean awaited = false;
        for (Map.Entry<String, long[]> e : rows.entrySet()) {
            if (e.getValue()[1] >= 0) continue;
            if (!COUNTED_BY_VERIFIER.contains(e.getKey())) throw new SQLException("No count of " + e.getKey() + " was taken after the pass.");
            Long n = null;
            if (COUNTED_BY_ACCESS.contains(e.getKey())) {
                if (!awaited && countedBeside != null) byAccess = DomainColumns.await(countedBeside, "row counts");
                awaited = true;
                n = byAccess == null ? null : byAccess.get(e.getKey());
            }
            // Not counted by the access check or the domain checkpoint (either could not read it): counted here.
            e.getValue()[1] = n != null ? n : count(c, "SELECT COUNT(*) FROM " + tables.getOrDefault(e.getKey(), e.getKey()));
        }
        return rows;
    }

    private static Checkpoint awaitBeside(ReadBeside<Checkpoint> access) throws SQLException {
        Checkpoint cp = access.await();
        cp.detail("taken on a second connection beside the other checkpoints: " + access.took() + " ms in all, the verifier waited "
                + access.waited() + " ms for it");
        return cp;
    }

    static Checkpoint stagingRowCounts(Map<String, long[]> rows) {
        Checkpoint counts = new Checkpoint("No row lost: staging holds production's rows now, the upgrade's own and staging's own");
        int same = 0;
        for (Map.Entry<String, long[]> e : rows.entrySet()) {
            long expected = e.getValue()[0];
            long actual = e.getValue()[1];
            if (expected == actual) same++;
            else counts.fail(e.getKey() + ": " + expected + " rows expected (production now + the upgrade's own + staging's own), " + actual + " on staging.");
        }
        counts.detail(same + " of " + rows.size() + " tables hold exactly the rows expected");
        return counts;
    }

    private interface Check {
        Checkpoint run() throws SQLException;
    }

    /** On a large database a checkpoint can take minutes: one line when it starts, one with its verdict and time. */
    private static void checkpoint(VerificationReport report, Consumer<String> log, String what, Check check) throws SQLException {
        log.accept("verify: checkpoint " + what + " ...");
        Checkpoint cp = check.run();
        report.add(cp);
        log.accept(String.format(Locale.ROOT, "verify: checkpoint %s: %s, done in %.1f s", what, cp.status, cp.millis / 1000.0));
    }

    static Checkpoint newTables(Map<String, String> tables, Engine engine, boolean identityServer) {
        Checkpoint cp = new Checkpoint("New 4.2.0 tables exist");
        for (String t : Additions.tables(engine, identityServer)) {
            if (tables.containsKey(t)) cp.detail(t + ": present");
            else cp.fail(t + " is missing: " + NOT_FINISHED);
        }
        return cp;
    }

    static Checkpoint schema(Connection c, boolean identityServer) throws SQLException {
        Checkpoint cp = new Checkpoint("Schema equals the Carbon 4.2.0 reference");
        Set<String> groups = identityServer ? Set.of("carbon", "identity", "idp") : Set.of("carbon");
        // Between catch-up passes a staging database holds catch-up's standing foreign-key indexes, which its final pass drops.
        Map<String, String> standing = org.carbonupgrade.staging.DeleteIndexes.standingOnStaging(c);
        ReferenceCheck.Outcome outcome = ReferenceCheck.run(c, groups, standing.keySet());
        cp.detail(outcome.tablesCompared() + " tables of " + groups + " compared with WSO2's 4.2.0 script for " + outcome.engine().profile()
                + "; " + outcome.all().size() + " differences, " + (outcome.all().size() - outcome.unexplained().size()) + " of them reviewed");
        standing.forEach((index, table) -> cp.detail("not compared: index " + index + " on " + table + " is catch-up's own on this staging"
                + " database (a standing index for the foreign-key checks of deletes, so the final pass builds none); the final pass"
                + " (-Dcarbon.upgrade.catchup.final=true) drops it"));
        for (String table : outcome.notCarbon()) cp.detail("not compared: " + table + " is no Carbon table (an operator's own?)");
        for (SchemaDiff.Difference d : outcome.all()) {
            if (outcome.allowList().allows(d)) cp.detail("allowed: " + d + " (" + outcome.allowList().reason(d) + ")");
            else cp.fail(d.toString());
        }
        return cp;
    }

    /** The domain pass (DomainColumns), read when first asked for. */
    interface Columns {
        DomainColumns read() throws SQLException;
    }

    /** @param columns the domain pass, asked for only after this checkpoint's own reads (it may wait for the access check's grouping) */
    static Checkpoint domainData(Connection c, Map<String, String> tables, Columns columns) throws SQLException {
        // Shape only: a row in the wrong domain passes here; whether each grant and membership still means the same is
        // the access-equivalence checkpoint's question.
        Checkpoint cp = new Checkpoint("User-store domain rows and domain ids in place (shape; meaning: see access equivalence)");
        if (!tables.containsKey("UM_DOMAIN")) {
            cp.fail("UM_DOMAIN does not exist, so no tenant has domain rows: " + NOT_FINISHED);
            return cp;
        }
        List<Integer> tenants = new ArrayList<>(List.of(-1234));
        query(c, "SELECT UM_ID FROM UM_TENANT ORDER BY UM_ID", rs -> tenants.add(rs.getInt(1)));
        // Streamed into flat arrays, names held once: 150,000 rows at 50,000 tenants, read while the access check holds
        // its own groups beside (docs/benchmark.md, peak RSS second pass).
        IdNames domains = new IdNames();
        new org.carbonupgrade.access.AccessSql(c).stream("SELECT UM_TENANT_ID, UM_DOMAIN_ID, UM_DOMAIN_NAME FROM UM_DOMAIN",
                rs -> domains.put(rs.getInt(1), rs.getInt(2), rs.getString(3)));
        int missing = 0;
        // Domains 4.2.0 user-core looks up for every tenant's existing rows; the primary one by its configured name.
        List<String> required = List.of(org.carbonupgrade.access.RealmNames.primaryDomainUsed(c), "INTERNAL");
        for (int tenant : tenants) {
            for (String name : required) {
                if (!domains.has(tenant, name)) {
                    missing++;
                    cp.fail("Tenant " + tenant + " has no " + name + " row in UM_DOMAIN: its hybrid roles and role permissions"
                            + " are invisible to 4.2.0. Insert it (INSERT INTO UM_DOMAIN (UM_DOMAIN_NAME, UM_TENANT_ID) VALUES ('"
                            + name + "', " + tenant + ")) or run the update again.");
                }
            }
        }
        if (missing == 0) cp.detail(tenants.size() + " tenants (super tenant -1234 included) each have " + required);
        // SQL_BIG_RESULT: MySQL/MariaDB group by sorting rather than in a temporary table with the name at full width,
        // copied to disk beyond tmp_table_size (DataPrecheck.rolePermissions; here 40-50 ms against 190-300 ms at 1M users).
        query(c, "SELECT " + (Engine.of(c) == Engine.MYSQL ? "SQL_BIG_RESULT " : "")
                + "UM_TENANT_ID, UM_DOMAIN_NAME, COUNT(*) FROM UM_DOMAIN GROUP BY UM_TENANT_ID, UM_DOMAIN_NAME HAVING COUNT(*) > 1",
                rs -> cp.fail("Tenant " + rs.getInt(1) + " has " + rs.getLong(3) + " UM_DOMAIN rows named " + rs.getString(2)
                        + ": 4.2.0 looks domains up by name and fails on duplicates. Keep one and repoint rows to it."));
        DomainColumns domainColumns = columns.read();
        for (String table : DomainColumns.TABLES) {
            if (domainColumns.lacksColumn(table)) {
                cp.fail(table + ".UM_DOMAIN_ID does not exist: " + NOT_FINISHED);
                continue;
            }
            if (domainColumns.of(table) == null) continue;
            long rows = domainColumns.of(table).withoutDomain();
            if (rows > 0) {
                cp.fail(rows + " rows of " + table + " have no UM_DOMAIN_ID: 4.2.0 cannot see them. Run the update again;"
                        + " it back-fills only such rows.");
            } else {
                cp.detail("every " + table + " row has a domain id");
            }
        }
        return cp;
    }

    /** @param counted rows of tables counted earlier in this verification (countOtherTables), by upper-case name */
    static Checkpoint rowCounts(Connection c, Map<String, String> tables, DomainColumns domainColumns, Map<String, Long> counted) throws SQLException {
        Checkpoint cp = new Checkpoint("No row lost: counts equal the gate's snapshot before the upgrade");
        if (!tables.containsKey("CARBON_UPGRADE_ROW_COUNT")) {
            cp.notAvailable("No snapshot: this database was not upgraded by carbon-upgrade (no CARBON_UPGRADE_ROW_COUNT).");
            return cp;
        }
        String firstRun = firstRun(c);
        if (firstRun == null) {
            cp.notAvailable("No recorded run in CARBON_UPGRADE_RUN.");
            return cp;
        }
        Map<String, Long> before = countsBefore(c, firstRun);
        int same = 0;
        for (Map.Entry<String, Long> e : before.entrySet()) {
            String actual = tables.get(e.getKey());
            String archive = MOVED_TO_ARCHIVE.get(e.getKey());
            if (archive != null) {
                long left = actual == null ? 0 : rows(c, tables, e.getKey(), counted);
                long archived = tables.containsKey(archive) ? rows(c, tables, archive, counted) : 0;
                String counts = e.getKey() + ": " + e.getValue() + " rows before the upgrade, " + left + " left"
                        + (actual == null ? " (table dropped as in WSO2's 4.2.0 script)" : "") + " + " + archived + " archived in " + archive;
                if (left + archived == e.getValue()) {
                    same++;
                    cp.detail(counts);
                } else {
                    cp.fail(counts + ".");
                }
                continue;
            }
            if (actual == null) {
                cp.fail(e.getKey() + " held " + e.getValue() + " rows before the upgrade and no longer exists.");
                continue;
            }
            DomainColumns.Stats domainPass = domainColumns.of(e.getKey());
            long now = domainPass != null ? domainPass.rows() : rows(c, tables, e.getKey(), counted);
            boolean ok = UPGRADE_ADDS_ROWS.contains(e.getKey()) ? now >= e.getValue() : now == e.getValue();
            if (!ok) cp.fail(e.getKey() + ": " + e.getValue() + " rows before the upgrade, " + now + " now.");
            else same++;
        }
        cp.detail(same + " of " + before.size() + " tables hold the rows they held before the first run (run " + firstRun
                + "; " + UPGRADE_ADDS_ROWS + " may only have gained the rows the upgrade adds)");
        return cp;
    }

    /**
     * The rows now of every table the row-count checkpoint compares with the gate's counts, except the tables the domain
     * pass counts (DomainColumns.TABLES): taken while that pass waits for the access check beside. Empty where this
     * database has no counts from a gate.
     */
    static Map<String, Long> countOtherTables(Connection c, Map<String, String> tables) throws SQLException {
        return countOtherTables(c, tables, Set.of());
    }

    /** As {@link #countOtherTables(Connection, Map)}, leaving out the tables in {@code elsewhere} too (counted by another read). */
    static Map<String, Long> countOtherTables(Connection c, Map<String, String> tables, Set<String> elsewhere) throws SQLException {
        Map<String, Long> counted = new java.util.HashMap<>();
        String firstRun = tables.containsKey("CARBON_UPGRADE_ROW_COUNT") && tables.containsKey("CARBON_UPGRADE_RUN") ? firstRun(c) : null;
        if (firstRun == null) return counted;
        for (String table : countsBefore(c, firstRun).keySet()) {
            if (DomainColumns.TABLES.contains(table) || elsewhere.contains(table)) continue;
            for (String t : MOVED_TO_ARCHIVE.containsKey(table) ? List.of(table, MOVED_TO_ARCHIVE.get(table)) : List.of(table)) {
                if (tables.containsKey(t)) counted.put(t, rows(c, tables, t, Map.of()));
            }
        }
        return counted;
    }

    /** The run whose gate counted the rows before anything changed: the first one recorded. */
    private static String firstRun(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT RUN_ID FROM CARBON_UPGRADE_RUN WHERE STARTED_AT = (SELECT MIN(STARTED_AT) FROM CARBON_UPGRADE_RUN)")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static Map<String, Long> countsBefore(Connection c, String firstRun) throws SQLException {
        Map<String, Long> before = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME, ROW_COUNT FROM CARBON_UPGRADE_ROW_COUNT WHERE RUN_ID = ? ORDER BY TABLE_NAME")) {
            ps.setString(1, firstRun);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) before.put(rs.getString(1), rs.getLong(2));
            }
        }
        return before;
    }

    /** Rows of the table (upper-case name, present in {@code tables}) now: counted earlier in this verification, or now. */
    private static long rows(Connection c, Map<String, String> tables, String table, Map<String, Long> counted) throws SQLException {
        Long earlier = counted.get(table);
        return earlier != null ? earlier : count(c, "SELECT COUNT(*) FROM " + Engine.of(c).quote(tables.get(table)));
    }

    interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    static void query(Connection c, String sql, Row row) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) row.accept(rs);
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
