package org.carbonupgrade.gate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import liquibase.Scope;

import org.carbonupgrade.Engine;
import org.carbonupgrade.Progress;
import org.carbonupgrade.audit.SafeText;
import org.carbonupgrade.schema.KnownTables;
import org.carbonupgrade.access.AccessSnapshot;
import org.carbonupgrade.schema.SchemaReader;

/**
 * The upgrade guide's prerequisites, checked read-only before anything is changed. Each refusal says
 * what is wrong and what to do about it.
 */
public final class UpgradeGate {
    /** Tables every Carbon 4.0.x database has (kernel 4.0.6 scripts); missing any means it is not one. */
    static final List<String> CARBON_40_TABLES = List.of("UM_TENANT", "UM_USER", "UM_ROLE", "UM_USER_ROLE",
            "UM_HYBRID_ROLE", "UM_HYBRID_USER_ROLE", "UM_PERMISSION", "UM_ROLE_PERMISSION", "UM_DIALECT", "UM_CLAIM",
            "REG_PATH", "REG_CONTENT", "REG_RESOURCE", "REG_PROPERTY");
    /** Identity Server 4.0.0 tables; an IS upgrade needs them. */
    static final List<String> IS_400_TABLES = List.of("IDN_BASE_TABLE", "IDN_OAUTH_CONSUMER_APPS",
            "IDN_OAUTH2_ACCESS_TOKEN", "IDN_OPENID_ASSOCIATIONS");
    /** Tables that only products after the Carbon 4.2.0 line create. */
    static final Set<String> NEWER_THAN_TARGET = Set.of("SP_APP", "IDN_AUTH_SESSION_STORE", "IDN_OAUTH2_SCOPE",
            "UM_HYBRID_GROUP_ROLE", "UM_UUID_DOMAIN_MAPPER", "IDN_OIDC_PROPERTY", "IDN_ASSOCIATED_ID");

    /** @param accessSnapshot effective 4.0.x access, taken on the first run only (null otherwise; see AccessSnapshot) */
    public record Result(List<String> refusals, List<String> warnings, String database,
                         Map<String, Long> rowCounts, AccessSnapshot accessSnapshot) {
        public boolean passed() {
            return refusals.isEmpty();
        }

        public String report() {
            StringBuilder b = new StringBuilder();
            if (!refusals.isEmpty()) {
                b.append("carbon-upgrade refused to start; nothing was changed in ").append(SafeText.line(database)).append(".\n");
                for (String r : refusals) b.append(" - ").append(SafeText.line(r)).append('\n');
            }
            for (String w : warnings) b.append(" ! ").append(SafeText.line(w)).append('\n');
            return b.toString();
        }
    }

    private UpgradeGate() {
    }

    /** @param reviewOnly true for updateSQL: no backup or quiet database needed to print SQL */
    public static Result check(Connection c, GateSettings settings, boolean reviewOnly) throws SQLException {
        List<String> refusals = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Engine actual = Engine.of(c);
        if (actual == Engine.POSTGRESQL && c.getMetaData().getDatabaseMajorVersion() >= 11) {
            // The gate's reads are single passes over large tables, where compiling the plan (JIT, PostgreSQL 11 and later,
            // for plans costed above jit_above_cost) takes longer than it saves. SET LOCAL: the gate's read transaction only.
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("SET LOCAL jit = off");
            }
        }
        String database = SafeText.line(actual.describe(c) + " at " + Redact.url(c.getMetaData().getURL()));

        if (settings.expectedEngine() == null) {
            refusals.add("No database profile was chosen. Run with the profile of this database: -P" + actual.profile() + ".");
        } else {
            Engine expected;
            try {
                expected = Engine.ofProfile(settings.expectedEngine());
            } catch (IllegalArgumentException e) {
                expected = null;
                refusals.add(e.getMessage());
            }
            if (expected != null && expected != actual) {
                refusals.add("The profile is " + expected.profile() + " but the database is " + actual.describe(c)
                        + ". WSO2's upgrade only works on the same database type: run with -P" + actual.profile()
                        + ", or point -Dliquibase.url at the " + expected.profile() + " database.");
            }
        }

        Map<String, String> tables = new SchemaReader(c).tableNames();
        // Tables in another schema (or in a case the server cannot match) are the one cause to name: the schema
        // checks below would only add a misleading "the database is empty".
        int before = refusals.size();
        SchemaLocation.check(c, actual, tables, refusals);
        if (refusals.size() == before) checkSourceSchema(tables, settings, refusals);
        if (actual == Engine.H2 && isEmpty(tables.keySet())) emptyBesideCarbonH2File(c, refusals);
        if (tables.containsKey(org.carbonupgrade.staging.BaseTables.STAGE)) {
            String half = org.carbonupgrade.staging.StageBase.incompleteCopy(c);
            if (half != null) refusals.add(half);
        }
        boolean carbonSchema = refusals.size() == before;
        int beforePrivileges = refusals.size();
        RequiredPrivileges.check(c, actual, reviewOnly, refusals, warnings);
        // An account refused for its privileges may not even read the tables (PostgreSQL: another role owns them and granted
        // it nothing): the data checks then failed with "permission denied" in place of this refusal, which names what to
        // grant. They run on the next run, once granted.
        boolean dataChecks = carbonSchema && refusals.size() == beforePrivileges;
        SessionVisibility.check(c, actual, settings, reviewOnly, refusals, warnings);
        // Listed before the access snapshot's own connection opens (SnapshotBeside), which would be one of them.
        List<String> sessions = ConnectedSessions.listSettled(c, actual);
        boolean snapshotWanted = carbonSchema && refusals.isEmpty() && sessions.isEmpty() && !reviewOnly && settings.backup() != null;
        try (SnapshotBeside beside = snapshotWanted ? SnapshotBeside.start(c, settings, tables) : null) {
            return check(c, settings, reviewOnly, actual, database, tables, dataChecks, sessions, beside, refusals, warnings);
        }
    }

    /** The rest of the gate, while the access snapshot is taken beside it (when {@code beside} is not null). */
    private static Result check(Connection c, GateSettings settings, boolean reviewOnly, Engine actual, String database,
                                Map<String, String> tables, boolean carbonSchema, List<String> sessions, SnapshotBeside beside,
                                List<String> refusals, List<String> warnings) throws SQLException {
        // With the snapshot beside, the precheck's UM_HYBRID_USER_ROLE part waits for it and checks the rows its passes read
        // (the same rows: one pass over millions instead of two at once); without it the precheck reads them itself, now.
        DataPrecheck precheck = carbonSchema
                ? DataPrecheck.start(c, actual, tables, org.carbonupgrade.access.RealmNames.current(), refusals, warnings) : null;
        if (precheck != null && beside == null) precheck.finish(null);

        if (!sessions.isEmpty()) {
            String list = String.join("; ", sessions);
            if (reviewOnly) {
                warnings.add("Other sessions are connected (" + list + "); stop the Carbon servers before the real update.");
            } else if (settings.allowSessions()) {
                warnings.add("Other sessions are connected and -D" + GateSettings.ALLOW_SESSIONS
                        + "=true overrides the check, on the operator's word: " + list);
            } else {
                refusals.add("Other sessions are connected to this database: " + list
                        + ". Stop every Carbon server (and other clients) using it, then run again. A DBA who knows these"
                        + " sessions are safe can pass -D" + GateSettings.ALLOW_SESSIONS + "=true; that is recorded.");
            }
        }

        if (settings.backup() == null && !reviewOnly) {
            refusals.add("No backup is confirmed. The upgrade cannot be rolled back: the way back is your backup."
                    + " Back the database up, then pass where the backup is: -D" + GateSettings.BACKUP
                    + "=/backups/wso2carbon-before-4.2.0.dump");
        }
        // The snapshot beside counts the rows of the biggest tables as it groups them: those counts are taken from it
        // rather than scanned twice at once (two million rows each at 1M users), or counted here if it took none.
        Set<String> fromSnapshot = refusals.isEmpty() && beside != null ? AccessSnapshot.COUNTS : Set.of();
        Map<String, Long> rowCounts = refusals.isEmpty() ? countRows(c, actual, tables, fromSnapshot) : new java.util.TreeMap<>();
        AccessSnapshot access = !refusals.isEmpty() || reviewOnly ? null
                : beside != null ? beside.await() : AccessSnapshot.takeIfFirst(c, tables);
        if (precheck != null && beside != null) {
            // Beside, the snapshot was wanted, so no refusal came before the precheck's: its findings stay first.
            precheck.finish(access == null ? null : access.takeHybridRowsSeen());
        }
        if (access != null) access.takeHybridRowsSeen(); // read; not held through the upgrade
        if (!refusals.isEmpty()) return new Result(refusals, warnings, database, Map.of(), null);
        for (String table : fromSnapshot) {
            if (!rowCounts.containsKey(table) && tables.containsKey(table) && KnownTables.of(actual).contains(table)) {
                Long counted = access == null ? null : access.rowCounts.get(table);
                rowCounts.put(table, counted != null ? counted : count(c, actual, tables.get(table)));
            }
        }
        return new Result(refusals, warnings, database, rowCounts, access);
    }

    /**
     * Rows per Carbon table before anything changes: the verifier proves no row was lost against these. Only the
     * tables the upgrade is about are counted, each name quoted as the engine quotes it.
     */
    static Map<String, Long> countRows(Connection c, Engine engine, Map<String, String> tables) throws SQLException {
        return countRows(c, engine, tables, Set.of());
    }

    /** As {@link #countRows(Connection, Engine, Map)}, leaving out the tables in {@code elsewhere} (counted by the caller). */
    static Map<String, Long> countRows(Connection c, Engine engine, Map<String, String> tables, Set<String> elsewhere) throws SQLException {
        Map<String, Long> counts = new java.util.TreeMap<>();
        Set<String> known = new java.util.HashSet<>(KnownTables.of(engine));
        known.removeAll(elsewhere);
        // On a large database counting takes a while: say how far it is (Maven's log, at most every few seconds).
        Progress progress = new Progress("gate: counting the rows of each Carbon table",
                tables.keySet().stream().filter(known::contains).count(), "tables",
                line -> Scope.getCurrentScope().getLog(UpgradeGate.class).info(line));
        for (Map.Entry<String, String> t : tables.entrySet()) {
            String n = t.getKey();
            if (!known.contains(n)) continue;
            counts.put(n, count(c, engine, t.getValue()));
            progress.advance(1);
        }
        progress.done();
        return counts;
    }

    private static long count(Connection c, Engine engine, String table) throws SQLException {
        long[] n = {0};
        query(c, "SELECT COUNT(*) FROM " + engine.quote(table), rs -> n[0] = rs.getLong(1));
        return n[0];
    }

    private static boolean isEmpty(Set<String> names) {
        return names.isEmpty() || (names.size() <= 2 && names.stream().allMatch(n -> n.startsWith("DATABASECHANGELOG")));
    }

    /**
     * H2 2.x creates an empty .mv.db when it is pointed at the path of a Carbon 4.x .h2.db file (earlier versions of this
     * tool did, so does an H2 2.x console), and that file is then the one opened: "empty" alone would send the operator
     * looking for another database, while Carbon's data sits beside it.
     */
    private static void emptyBesideCarbonH2File(Connection c, List<String> refusals) throws SQLException {
        org.carbonupgrade.h2.H2File file = org.carbonupgrade.h2.H2File.of(c.getMetaData().getURL());
        if (file == null || !java.nio.file.Files.isRegularFile(file.legacyFile())) return;
        refusals.replaceAll(r -> !r.startsWith("The database is empty") ? r
                : "The database is empty: " + file.currentFile() + " is an empty H2 2.x database beside Carbon's own file "
                        + file.legacyFile() + ", and the .mv.db is the one opened (H2 2.x creates one when it is pointed at a Carbon"
                        + " 4.x file). Delete " + file.currentFile() + " and run again: the tool then upgrades "
                        + file.legacyFile() + ".");
    }

    static void checkSourceSchema(Map<String, String> tables, GateSettings settings, List<String> refusals) {
        Set<String> names = tables.keySet();
        List<String> missing = CARBON_40_TABLES.stream().filter(t -> !names.contains(t)).toList();
        List<String> newer = NEWER_THAN_TARGET.stream().filter(names::contains).sorted().toList();
        if (isEmpty(names)) {
            refusals.add("The database is empty: there is no Carbon schema to upgrade. Point -Dliquibase.url at the"
                    + " database of your Carbon 4.0.0 product (or create a rehearsal copy first, see README).");
        } else if (missing.size() == CARBON_40_TABLES.size()) {
            refusals.add("This is not a Carbon database: none of " + CARBON_40_TABLES + " exists (found "
                    + preview(names) + "). Point -Dliquibase.url at the Carbon 4.0.0 database.");
        } else if (!missing.isEmpty()) {
            refusals.add("This is not a complete Carbon 4.0.0 schema: missing " + missing
                    + ". Restore the database from its backup, or check that -Dliquibase.url names the right one.");
        }
        if (!newer.isEmpty()) {
            refusals.add("This database is newer than Carbon 4.2.0 (it has " + newer + "). There is nothing for this"
                    + " tool to do; use the migration guide of the product version it came from.");
        }
        if (settings.identityServer() && missing.size() < CARBON_40_TABLES.size()) {
            List<String> missingIs = IS_400_TABLES.stream().filter(t -> !names.contains(t)).toList();
            if (!missingIs.isEmpty()) {
                refusals.add("The Identity Server upgrade (-Pis) was chosen, but the identity tables " + missingIs
                        + " are missing: this looks like the database of another Carbon product. Run without -Pis,"
                        + " or point -Dliquibase.url at the Identity Server database.");
            }
        }
    }

    private static String preview(Set<String> names) {
        List<String> list = new ArrayList<>(names);
        return list.size() <= 5 ? list.toString() : list.subList(0, 5) + " and " + (list.size() - 5) + " more";
    }

    /** Runs a query and hands each row to the consumer; used by the session listing. */
    static void query(Connection c, String sql, RowConsumer consumer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) consumer.accept(rs);
        }
    }

    interface RowConsumer {
        void accept(ResultSet rs) throws SQLException;
    }
}
