package org.carbonupgrade.staging;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.carbonupgrade.ConnectionSettings;
import org.carbonupgrade.audit.SafeText;
import org.carbonupgrade.gate.Redact;

/**
 * PostgreSQL: production's changes from logical decoding instead of reading every row's xmin (docs/staging.md, "How
 * changes are detected"; opt-in: {@code -D}{@value #OPT_IN}{@code =true}).
 *
 * <p>Each pass creates a logical replication slot (plugin {@value #PLUGIN}) on a replication connection with an
 * exported snapshot, and its production transaction imports that snapshot. PostgreSQL builds that snapshot at the
 * slot's consistent point: it sees exactly the transactions whose commit record lies before that point, and the slot
 * decodes exactly those committed after it (what logical replication's initial table copy relies on). The applied pass
 * records its slot as the one the 'P' base equals; the next pass decodes that slot, without consuming it
 * ({@code pg_logical_slot_peek_changes}), up to its own new slot's consistent point: every transaction that base lacks
 * and this pass's snapshot has, and nothing else. The first key column's values of every tuple and old key decoded name
 * the ids whose rows and base rows are compared (ChangeScan.scanIds, as for MariaDB's binary log).
 *
 * <p>A slot retains production's WAL until it is dropped: the applied pass drops the previous slot after its commit, a
 * refused or failed pass its new one, every pass the leftovers of this staging (a pass killed between its commit and the
 * drop), and a final pass both. Slot names: {@value #PREFIX}, 16 hex digits of the stage's id, the staging database's
 * name, 8 hex digits of the pass; only slots of this stage in production's database are ever dropped (a copy of the staging
 * has the same stage id; it may catch up from another production database).
 */
final class SlotScan {
    /** The opt-in: without it no slot is created and nothing changes. */
    static final String OPT_IN = "carbon.upgrade.catchup.pgSlot";
    /** How long slot creation may wait for transactions running on production's cluster (seconds). */
    static final String TIMEOUT = "carbon.upgrade.catchup.pgSlotTimeout";
    static final int DEFAULT_TIMEOUT = 30;
    static final String PLUGIN = "test_decoding";
    static final String PREFIX = "carbon_upgrade_";
    static final String GRANT = "ALTER ROLE <production's user> WITH REPLICATION";
    /** The most ids kept per table; beyond, the id-range buckets they fall in are read whole (as BinlogScan.MAX_IDS). */
    static final int MAX_IDS = BinlogScan.MAX_IDS;
    /** Why a table with hash buckets (a text key) is read by xmin: its key has no integer id to name. */
    static final String HASH_BUCKETS = "hash buckets: its key is not an integer id";

    /** The slot the 'P' base equals: its name and consistent point (an LSN as PostgreSQL prints it). */
    record Recorded(String slot, String consistentPoint) {
    }

    /**
     * What the decoded changes name, per staged table (upper case) read by ids: the buckets and (unless over MAX_IDS)
     * the ids; {@code fallback}: tables read by their xmin scan instead, with why.
     */
    record Changes(Map<String, Set<Integer>> buckets, Map<String, Set<Long>> ids, Map<String, String> fallback, long rows, long millis,
            Map<String, Set<String>> goneKeys) {
    }

    /** Why the slot path cannot serve (the whole pass, or one table). */
    static final class Unprovable extends Exception {
        Unprovable(String why) {
            super(why);
        }
    }

    private final ConnectionSettings settings;
    private final PrintStream log;
    private final FinalPass own;
    private final String prefix;
    /** The slot this pass created (null: none), and its consistent point. */
    private String created;
    private String point;
    /** Audit rows on staging before the slot was created: a pass committed since makes this one's snapshot older than the base. */
    private long auditRows;
    private boolean committed;

    private SlotScan(ConnectionSettings settings, PrintStream log, FinalPass own, String prefix) {
        this.settings = settings;
        this.log = log;
        this.own = own;
        this.prefix = prefix;
    }

    /** The slot created (null: none). */
    String created() {
        return created;
    }

    String point() {
        return point;
    }

    /** This stage's slot names begin so: the stage's id identifies the staging, whatever its server. */
    static String prefix(Connection staging) throws SQLException {
        String stageId;
        try (Statement s = staging.createStatement(); ResultSet rs = s.executeQuery("SELECT STAGE_ID FROM " + BaseTables.STAGE)) {
            if (!rs.next()) throw new SQLException("no stage row");
            stageId = rs.getString(1);
        }
        String hex = stageId.toLowerCase(Locale.ROOT).replaceAll("[^0-9a-f]", "");
        if (hex.length() < 16) hex = String.format("%016x", stageId.hashCode() & 0xffffffffL);
        return PREFIX + hex.substring(0, 16) + "_";
    }

    /** A new slot name: the prefix, the staging database's name (lower-case letters, digits and _ only, cut), the pass. */
    static String name(String prefix, String stagingDatabase, String passId) {
        String db = stagingDatabase == null ? "" : stagingDatabase.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        String pass = passId.toLowerCase(Locale.ROOT).replaceAll("[^0-9a-f]", "");
        pass = (pass + "00000000").substring(0, 8);
        int room = 63 - prefix.length() - 1 - pass.length();
        if (db.length() > room) db = db.substring(0, room);
        return prefix + db + "_" + pass;
    }

    /** The slot the 'P' base equals, or null. */
    static Recorded recorded(Connection staging) throws SQLException {
        if (!new org.carbonupgrade.schema.SchemaReader(staging).tableNames().containsKey(BaseTables.SLOT)) return null;
        try (Statement s = staging.createStatement(); ResultSet rs = s.executeQuery("SELECT SLOT_NAME, CONSISTENT_POINT FROM " + BaseTables.SLOT)) {
            return rs.next() ? new Recorded(rs.getString(1), rs.getString(2)) : null;
        }
    }

    /**
     * Replaces the recorded slot (null: none), in the caller's transaction. Every applied PostgreSQL pass calls it, also
     * one without the opt-in: its base is no longer what the old slot's point marks.
     */
    static void record(Connection staging, String slot, String point) throws SQLException {
        if (!new org.carbonupgrade.schema.SchemaReader(staging).tableNames().containsKey(BaseTables.SLOT)) return;
        try (Statement s = staging.createStatement()) {
            s.executeUpdate("DELETE FROM " + BaseTables.SLOT);
        }
        if (slot == null) return;
        try (PreparedStatement ps = staging.prepareStatement("INSERT INTO " + BaseTables.SLOT + " (SLOT_NAME, CONSISTENT_POINT, RECORDED_AT)"
                + " VALUES (?, ?, ?)")) {
            ps.setString(1, slot);
            ps.setString(2, point);
            ps.setTimestamp(3, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }

    /**
     * Creates this pass's slot and starts {@code production}'s transaction in its snapshot (production: auto-commit off,
     * nothing run in its transaction yet; staging: no transaction id yet, as slot creation waits for every transaction
     * running on the cluster). Returns the scan with {@link #created()} null, and the reason logged, where no slot can be
     * had: production's transaction is then untouched.
     */
    static SlotScan open(ConnectionSettings settings, Connection production, Connection staging, FinalPass own, String passId, PrintStream log)
            throws SQLException {
        SlotScan scan = new SlotScan(settings, log, own, prefix(staging));
        try (Statement s = staging.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + CatchUpAudit.TABLE)) {
            rs.next();
            scan.auditRows = rs.getLong(1);
        }
        try {
            scan.create(production, staging.getCatalog(), passId);
        } catch (Unprovable e) {
            log.printf("[catch-up] production: no logical replication slot for this pass (%s)%n", e.getMessage());
        }
        return scan;
    }

    private Connection control() throws SQLException {
        Connection c = settings.connect();
        if (own != null) own.own(c);
        c.setAutoCommit(true);
        return c;
    }

    private void create(Connection production, String stagingDatabase, String passId) throws SQLException, Unprovable {
        try (Connection c = control()) {
            String wal = single(c, "SELECT current_setting('wal_level')");
            if (!"logical".equals(wal)) {
                throw new Unprovable("production's server runs with wal_level=" + SafeText.line(wal) + ", not logical: set wal_level = logical"
                        + " in postgresql.conf (or ALTER SYSTEM SET wal_level = logical) and restart it");
            }
            if (!"t".equals(single(c, "SELECT (rolreplication OR rolsuper)::text::char FROM pg_roles WHERE rolname = current_user"))) {
                throw new Unprovable("production's user " + SafeText.line(settings.username()) + " lacks the REPLICATION attribute: " + GRANT);
            }
        }
        String name = name(prefix, stagingDatabase, passId);
        int timeout = Integer.getInteger(TIMEOUT, DEFAULT_TIMEOUT);
        Properties p = new Properties();
        p.setProperty("user", settings.username());
        if (settings.password() != null) p.setProperty("password", settings.password());
        p.setProperty("replication", "database");
        p.setProperty("assumeMinServerVersion", "10");
        p.setProperty("preferQueryMode", "simple");
        Connection replication;
        try {
            replication = DriverManager.getConnection(settings.url(), p);
        } catch (SQLException e) {
            throw new Unprovable("a replication connection to production failed: " + SafeText.line(Redact.text(e.getMessage())));
        }
        try {
            if (own != null) own.own(replication);
            String snapshot;
            long t0 = System.nanoTime();
            try (Statement s = replication.createStatement()) {
                s.setQueryTimeout(timeout);
                // The name is made of [a-z0-9_] here; EXPORT_SNAPSHOT: the snapshot at the slot's consistent point.
                try (ResultSet rs = s.executeQuery("CREATE_REPLICATION_SLOT " + name + " LOGICAL " + PLUGIN + " EXPORT_SNAPSHOT")) {
                    rs.next();
                    point = rs.getString("consistent_point");
                    snapshot = rs.getString("snapshot_name");
                }
            } catch (SQLException e) {
                String why = "57014".equals(e.getSQLState()) ? "its creation waited " + timeout + " s for transactions running on production's"
                        + " cluster and was cancelled (-D" + TIMEOUT + "=<seconds>)" + blockers() : "creating it failed: " + SafeText.line(e.getMessage());
                dropQuietly(name); // a cancelled creation leaves none; a failure after it, perhaps one
                throw new Unprovable(why);
            }
            created = name;
            if (snapshot == null || !snapshot.matches("[0-9A-Fa-f-]+") || point == null || !point.matches("[0-9A-Fa-f]+/[0-9A-Fa-f]+")) {
                throw new Unprovable("unexpected slot creation result: snapshot " + SafeText.line(String.valueOf(snapshot)) + ", point "
                        + SafeText.line(String.valueOf(point)));
            }
            // Production's transaction in the slot's snapshot: its first statements (PostgreSQL: "Sharing Exported Snapshots").
            try (Statement s = production.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                s.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
            } catch (SQLException e) {
                production.rollback();
                throw new Unprovable("production's transaction could not import the slot's snapshot: " + SafeText.line(e.getMessage()));
            }
            log.printf("[catch-up] production: created logical replication slot %s (consistent point %s) in %d ms; it holds production's WAL"
                    + " until dropped (SELECT pg_drop_replication_slot('%s'))%n", name, point, (System.nanoTime() - t0) / 1_000_000, name);
        } catch (Unprovable | SQLException e) {
            if (created != null) dropQuietly(created);
            created = null;
            point = null;
            throw e;
        } finally {
            // The only import is production's own transaction's, done: the exported snapshot is no longer needed.
            closeQuietly(replication);
        }
    }

    /** The sessions of production's cluster with a transaction id, which slot creation waits for (escaped, one line). */
    private String blockers() {
        try (Connection c = control(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pid, usename, datname,"
                + " application_name, state, xact_start FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
                + " ORDER BY xact_start LIMIT 5")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add("pid " + rs.getInt(1) + " user " + rs.getString(2) + " database " + rs.getString(3) + " application "
                        + rs.getString(4) + " " + rs.getString(5) + " since " + rs.getString(6));
            }
            return out.isEmpty() ? "" : "; transactions running: " + SafeText.line(String.join("; ", out)) + " (an idle-in-transaction session"
                    + " blocks it until it ends)";
        } catch (SQLException e) {
            return "";
        }
    }

    /**
     * Under the stage's lock: no pass committed since this one's slot was created (else this pass's snapshot may be older
     * than the base), and this stage's leftover slots, other than the recorded one and this pass's, dropped.
     */
    void afterLock(Connection staging, Recorded recorded) throws SQLException {
        if (created == null) return;
        try (Statement s = staging.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + CatchUpAudit.TABLE)) {
            rs.next();
            if (rs.getLong(1) != auditRows) {
                throw new SQLException("Another catch-up pass committed while this one created its replication slot: this pass's snapshot of"
                        + " production may be older than the base. Nothing was changed; run catch-up again.");
            }
        }
        List<String> left = new ArrayList<>();
        try (Connection c = control(); PreparedStatement ps = c.prepareStatement("SELECT slot_name FROM pg_replication_slots"
                + " WHERE left(slot_name, length(?)) = ? AND database = current_database() ORDER BY slot_name")) {
            ps.setString(1, prefix);
            ps.setString(2, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) left.add(rs.getString(1));
            }
        }
        left.remove(created);
        if (recorded != null) left.remove(recorded.slot());
        for (String slot : left) {
            if (drop(slot)) log.printf("[catch-up] production: dropped replication slot %s a killed or refused pass of this staging left%n", slot);
        }
    }

    /**
     * The changes between the recorded slot's point and this pass's slot's, per table, or Unprovable (the whole pass then
     * reads by xmin). {@code production}: the pass's transaction, in this slot's snapshot; {@code since}: the recorded xmin
     * mark the base equals (catalog rows written since it name tables whose schema may have changed).
     */
    Changes read(Connection production, Connection staging, Recorded recorded, List<CatchUpTable> tables, XminScan.Mark since)
            throws SQLException, Unprovable {
        if (created == null) throw new Unprovable("no slot was created for this pass");
        if (recorded == null) {
            throw new Unprovable("no replication slot of production is recorded for the base (the first pass with -D" + OPT_IN
                    + "=true, or the last pass ran without it): this pass records one");
        }
        if (since == null) throw new Unprovable("the base's xmin snapshot is not usable (its catalog check needs it)");
        Map<String, Shape> shapes = shapes(production, tables, since);
        String collation = byteOrdered(staging);
        if (collation != null) {
            // ChangeScan.baseRowsAtIds finds a longer key's base rows of an id as the ROW_KEY range ['id|', 'id}'): exact
            // in byte order only (a linguistic collation may sort '}' before '|'); a one-column key's by equality.
            for (CatchUpTable t : tables) {
                Shape s = shapes.get(t.name());
                if (s != null && s.why() == null && t.production().keyColumns().size() > 1) {
                    shapes.put(t.name(), new Shape(s.table(), s.quoted(), s.keyColumn(), s.bucketWidth(), "a key of several columns, and the base's"
                            + " key texts sort by collation " + collation + ", not by bytes", s.keyColumns()));
                }
            }
        }
        long t0 = System.nanoTime();
        Map<String, Set<Integer>> buckets = new HashMap<>();
        Map<String, Set<Long>> ids = new HashMap<>();
        Map<String, Set<String>> gone = new HashMap<>();
        Map<String, String> fallback = new TreeMap<>();
        for (Map.Entry<String, Shape> e : shapes.entrySet()) {
            if (e.getValue().why() != null) {
                fallback.put(e.getKey(), e.getValue().why());
            } else {
                buckets.put(e.getKey(), new TreeSet<>());
                ids.put(e.getKey(), new java.util.HashSet<>());
                gone.put(e.getKey(), new java.util.HashSet<>());
            }
        }
        Map<String, Shape> byQuoted = new HashMap<>();
        for (Shape s : shapes.values()) byQuoted.put(s.quoted(), s);
        long rows = 0;
        try (Connection c = control()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT database, plugin, slot_type, temporary::text, confirmed_flush_lsn::text,"
                    + " wal_status, current_database() FROM pg_replication_slots WHERE slot_name = ?")) {
                ps.setString(1, recorded.slot());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw new Unprovable("the recorded replication slot " + recorded.slot() + " is gone (dropped by hand?)");
                    if (!rs.getString(7).equals(rs.getString(1)) || !PLUGIN.equals(rs.getString(2)) || !"logical".equals(rs.getString(3))
                            || !"false".equals(rs.getString(4))) {
                        throw new Unprovable("the recorded replication slot " + recorded.slot() + " is not a " + PLUGIN + " slot of production's database");
                    }
                    if ("lost".equals(rs.getString(6))) {
                        throw new Unprovable("the recorded replication slot " + recorded.slot() + " lost WAL it needs (max_slot_wal_keep_size)");
                    }
                    if (!recorded.consistentPoint().equals(rs.getString(5))) {
                        throw new Unprovable("the recorded replication slot " + recorded.slot() + " was consumed past its recorded point "
                                + recorded.consistentPoint() + " (now " + SafeText.line(String.valueOf(rs.getString(5))) + ")");
                    }
                }
            }
            if (lsn(recorded.consistentPoint()) > lsn(point)) {
                throw new Unprovable("the recorded slot's point " + recorded.consistentPoint() + " lies after this pass's " + point);
            }
            // Peek, never get: the slot stays where it is, so a pass killed after this reads the same range again.
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT data FROM pg_logical_slot_peek_changes(?, ?::pg_lsn, NULL, 'include-xids', '0',"
                    + " 'skip-empty-xacts', '1') WHERE left(data, 6) = 'table '")) {
                ps.setFetchSize(2000);
                ps.setString(1, recorded.slot());
                ps.setString(2, point);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        change(rs.getString(1), byQuoted, buckets, ids, fallback, gone);
                    }
                }
            } catch (SQLException e) {
                throw new Unprovable("decoding the recorded replication slot " + recorded.slot() + " failed: " + SafeText.line(e.getMessage()));
            } finally {
                c.rollback();
            }
        }
        for (String t : fallback.keySet()) {
            buckets.remove(t);
            ids.remove(t);
            gone.remove(t);
        }
        ids.values().removeIf(java.util.Objects::isNull);
        gone.values().removeIf(java.util.Objects::isNull);
        return new Changes(buckets, ids, fallback, rows, (System.nanoTime() - t0) / 1_000_000, gone);
    }

    /**
     * A staged table as production has it in this snapshot: its name and first key column as test_decoding prints them
     * (quote_ident: Carbon's tables are created unquoted, so lower case), and why it cannot be read by ids, or null.
     */
    record Shape(String table, String quoted, String keyColumn, long bucketWidth, String why, List<String> keyColumns) {
        Shape(String table, String quoted, String keyColumn, long bucketWidth, String why) {
            this(table, quoted, keyColumn, bucketWidth, why, List.of());
        }
    }

    private static Map<String, Shape> shapes(Connection production, List<CatchUpTable> tables, XminScan.Mark since) throws SQLException {
        Map<String, Shape> out = new LinkedHashMap<>();
        String xid = Long.toString(since.xmin() & 0xFFFFFFFFL);
        // Catalog rows written since the base's snapshot (the same test as XminScan's on rows): a DDL (ALTER, a rewrite,
        // TRUNCATE's new file, REPLICA IDENTITY) changes pg_class's or pg_attribute's row; logical decoding shows no DDL,
        // and a table rewrite's rows are not decoded. VACUUM and ANALYZE update pg_class in place (no new row version).
        String sql = "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relreplident::text, c.relpersistence::text,"
                + " age(c.xmin) <= age('" + xid + "'::xid) OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND age(a.xmin) <= age('"
                + xid + "'::xid)), (SELECT quote_ident(a.attname) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = lower(?) AND NOT a.attisdropped),"
                + " EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                + " WHERE i.indrelid = c.oid AND i.indisprimary AND a.attname = lower(?))"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(?)";
        try (PreparedStatement ps = production.prepareStatement(sql)) {
            for (CatchUpTable t : tables) {
                StagedTable p = t.production();
                if (!p.primaryKey()) continue; // hashed, as always
                String column = p.keyColumns().get(0);
                if (!p.rangeBuckets()) {
                    out.put(t.name(), new Shape(t.name(), "", column, 0, HASH_BUCKETS));
                    continue;
                }
                ps.setString(1, column);
                ps.setString(2, column);
                ps.setString(3, RowHashSql.checkName(t.name()));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        out.put(t.name(), new Shape(t.name(), "", column, 0, "not found on production"));
                        continue;
                    }
                    String why = rs.getBoolean(4) ? "its catalog rows changed since the base's snapshot (a DDL: not in the decoded changes)"
                            : !"p".equals(rs.getString(3)) ? "not a logged table (unlogged tables are not decoded)"
                            : rs.getString(5) == null || !rs.getBoolean(6) ? "its first key column is not in its primary key on production"
                            : !"d".equals(rs.getString(2)) && !"f".equals(rs.getString(2))
                                    ? "its REPLICA IDENTITY is not DEFAULT or FULL (updates and deletes may not name the old id)"
                                    : null;
                    out.put(t.name(), new Shape(t.name(), rs.getString(1), rs.getString(5), p.bucketWidth(), why,
                            p.keyColumns().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList()));
                }
            }
        }
        return out;
    }

    /** The collation of the base's key texts on staging where it does not order them by bytes, or null where it does. */
    static String byteOrdered(Connection staging) throws SQLException {
        try (Statement s = staging.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(co.collname, ''), d.datcollate,"
                + " d.datlocprovider::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_collation co ON co.oid = a.attcollation"
                + " AND co.collname <> 'default' JOIN pg_database d ON d.datname = current_database() WHERE c.oid = to_regclass('"
                + BaseTables.ROWS + "') AND a.attname = 'row_key'")) {
            if (!rs.next()) return "unknown";
            String own = rs.getString(1);
            String name = own.isEmpty() ? rs.getString(2) : own;
            boolean libc = !own.isEmpty() || "c".equals(rs.getString(3));
            return libc && List.of("C", "POSIX", "C.UTF-8", "C.utf8", "ucs_basic").contains(name) ? null : SafeText.line(name);
        }
    }

    /** One decoded change: the first key column's value of each tuple and old key it shows, into its table's ids. */
    static void change(String data, Map<String, Shape> byQuoted, Map<String, Set<Integer>> buckets, Map<String, Set<Long>> ids,
            Map<String, String> fallback) {
        change(data, byQuoted, buckets, ids, fallback, new HashMap<>());
    }

    /**
     * @param gone per table, the key texts (RowHashSql.keyText's form) of every old key and deleted row decoded, where
     *        each key column's value is a plain integer; a table with another is removed from it (its base rows are then
     *        read by id ranges, ChangeScan.scanIds)
     */
    static void change(String data, Map<String, Shape> byQuoted, Map<String, Set<Integer>> buckets, Map<String, Set<Long>> ids,
            Map<String, String> fallback, Map<String, Set<String>> gone) {
        int colon = -1;
        String action = null;
        for (String a : new String[] {": INSERT:", ": UPDATE:", ": DELETE:", ": TRUNCATE:"}) {
            int at = data.indexOf(a);
            if (at >= 0 && (colon < 0 || at < colon)) {
                colon = at;
                action = a;
            }
        }
        if (colon < 0) return; // not a row change of a table (a message)
        String head = data.substring("table ".length(), colon);
        if (action.equals(": TRUNCATE:")) {
            for (String name : head.split(", ")) {
                Shape s = byQuoted.get(name);
                if (s != null) fallback.putIfAbsent(s.table(), "TRUNCATE on production since the base");
            }
            return;
        }
        Shape s = byQuoted.get(head);
        if (s == null || fallback.containsKey(s.table())) return; // not a staged table read by ids
        String body = data.substring(colon + action.length());
        String why = null;
        if (body.equals(" (no-tuple-data)")) {
            why = "a change without its key in the decoded changes (no replica identity)";
        } else {
            List<Map<String, String>> tuples = tuples(body);
            if (tuples == null) {
                why = "a decoded change this scan cannot parse";
            } else {
                for (int k = 0; k < tuples.size(); k++) {
                    Map<String, String> tuple = tuples.get(k);
                    // The old key (an UPDATE's first tuple of two, a DELETE's only one): a key that may be gone now.
                    boolean old = action.equals(": DELETE:") || (tuples.size() == 2 && k == 0);
                    if (old && gone.get(s.table()) != null) {
                        String key = integerKey(tuple, s.keyColumns());
                        if (key == null) gone.put(s.table(), null);
                        else gone.get(s.table()).add(key);
                    }
                    String value = tuple.get(s.keyColumn());
                    if (!plainInteger(value)) {
                        why = "a decoded tuple without a plain integer " + s.keyColumn() + " (" + SafeText.line(String.valueOf(value)) + ")";
                        break;
                    }
                    long id = Long.parseLong(value);
                    buckets.get(s.table()).add((int) (id / s.bucketWidth()));
                    Set<Long> kept = ids.get(s.table());
                    if (kept != null) {
                        kept.add(id);
                        if (kept.size() > MAX_IDS) ids.put(s.table(), null); // its buckets are read whole
                    }
                }
            }
        }
        if (why != null) fallback.putIfAbsent(s.table(), why);
    }

    /**
     * Whether {@code value} is what the pattern -?[0-9]{1,18} matches whole (a long without overflow). Checked by hand:
     * String.matches compiles its pattern on every call (1,160 bytes a call), and each of a pass's decoded tuples asked it
     * once or twice (docs/benchmark.md, branch s28-pggc).
     */
    static boolean plainInteger(String value) {
        if (value == null) return false;
        int from = value.startsWith("-") ? 1 : 0;
        int digits = value.length() - from;
        if (digits < 1 || digits > 18) return false;
        for (int i = from; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < '0' || ch > '9') return false;
        }
        return true;
    }

    /** A key's text as RowHashSql.keyText writes it, where each of its columns holds a plain integer (nothing to escape); else null. */
    static String integerKey(Map<String, String> tuple, List<String> keyColumns) {
        if (keyColumns.isEmpty()) return null;
        StringBuilder b = new StringBuilder();
        for (String column : keyColumns) {
            String value = tuple.get(column);
            if (value == null) value = tuple.get("\"" + column + "\"");
            if (!plainInteger(value)) return null;
            if (b.length() > 0) b.append(RowHashSql.SEPARATOR);
            b.append(Long.parseLong(value));
        }
        return b.toString();
    }

    /**
     * Production's changes in a table read by the decoded ids: its rows at the ids (primary key), and the 'P' base rows
     * of those rows' keys and of the decoded old keys ({@code gone}), by key ({@code ROW_KEY = ANY}: on PostgreSQL an
     * equality lookup per key, about ten times faster than the id range ChangeScan.scanIds reads per id). These are the
     * same base rows as the ids' ranges: a base row of an id whose key production still has is among the rows read; one
     * whose key it no longer has was deleted or given another key in the range, and its old key was decoded. Where the
     * old keys were not all integers ({@code gone} null) or a row's key text does not begin with its id, BinlogScan.scan.
     */
    static ChangeScan.Result scan(Connection production, Connection staging, org.carbonupgrade.Engine engine, CatchUpTable t, Set<Integer> buckets,
            Set<Long> ids, Set<String> gone, PhaseClock clock, Map<String, Long> counted) throws SQLException {
        StagedTable st = t.production();
        if (ids == null || gone == null || !st.rangeBuckets()) return BinlogScan.scan(production, staging, engine, t, buckets, ids, clock, counted);
        clock.restart();
        List<Long> sorted = new ArrayList<>(new TreeSet<>(ids));
        Map<String, ChangeScan.Row> now = new LinkedHashMap<>();
        for (int from = 0; from < sorted.size(); from += 2000) {
            ChangeScan.readRows(production, t.liveRowsWhere(engine, StageBase.PRODUCTION, ChangeScan.idCondition(st.keyColumns().get(0),
                    sorted.subList(from, Math.min(sorted.size(), from + 2000)))), t, now);
        }
        clock.lap("P rows at the decoded ids");
        boolean composite = st.keyColumns().size() > 1;
        for (ChangeScan.Row r : now.values()) {
            String id = Long.toString(((Number) r.keyValues()[0]).longValue());
            if (composite ? !r.key().startsWith(id + RowHashSql.SEPARATOR) : !r.key().equals(id)) {
                return BinlogScan.scan(production, staging, engine, t, buckets, ids, clock, counted);
            }
        }
        Set<String> keys = new java.util.HashSet<>(now.keySet());
        keys.addAll(gone);
        Map<String, ChangeScan.BaseRow> base = new HashMap<>(ChangeScan.baseRowsAtKeys(staging, t.name(), StageBase.PRODUCTION, keys));
        clock.lap("P base rows at the decoded keys");
        Set<Integer> read = new TreeSet<>();
        for (long id : sorted) read.add((int) (id / st.bucketWidth()));
        counted.put(t.name(), XminScan.baseTotal(staging, t.name()) + now.size() - base.size());
        clock.lap("P base total");
        return new ChangeScan.Result(ChangeScan.changes(now, base), now, read, base);
    }

    /**
     * The tuples of one change's text after its action: {@code " name[type]:value ..."}, or {@code " old-key: ... new-tuple: ..."}
     * (test_decoding's tuple_to_stringinfo: a space, the quoted-if-needed name, the type in brackets, a colon, then
     * {@code null}, {@code unchanged-toast-datum}, a bare number or boolean, B'bits', or a literal in single quotes with
     * quotes doubled). Null where the text does not follow that form.
     */
    static List<Map<String, String>> tuples(String body) {
        List<Map<String, String>> out = new ArrayList<>();
        Map<String, String> tuple = new HashMap<>();
        int i = 0;
        int n = body.length();
        while (i < n) {
            if (body.charAt(i) != ' ') return null;
            i++;
            if (body.startsWith("old-key:", i) && tuple.isEmpty() && out.isEmpty()) {
                i += "old-key:".length();
                continue;
            }
            if (body.startsWith("new-tuple:", i) && !tuple.isEmpty() && out.isEmpty()) {
                out.add(tuple);
                tuple = new HashMap<>();
                i += "new-tuple:".length();
                continue;
            }
            int nameEnd;
            if (i < n && body.charAt(i) == '"') {
                nameEnd = quotedEnd(body, i, '"');
                if (nameEnd < 0 || nameEnd >= n || body.charAt(nameEnd) != '[') return null;
            } else {
                nameEnd = body.indexOf('[', i);
                if (nameEnd < 0) return null;
            }
            String name = body.substring(i, nameEnd);
            int typeEnd = body.indexOf("]:", nameEnd);
            if (typeEnd < 0) return null;
            i = typeEnd + 2;
            int valueEnd;
            if (i < n && body.charAt(i) == '\'') {
                valueEnd = quotedEnd(body, i, '\'');
                if (valueEnd < 0) return null;
            } else if (body.startsWith("B'", i)) {
                valueEnd = body.indexOf('\'', i + 2);
                if (valueEnd < 0) return null;
                valueEnd++;
            } else {
                valueEnd = body.indexOf(' ', i);
                if (valueEnd < 0) valueEnd = n;
            }
            tuple.put(name, body.substring(i, valueEnd));
            i = valueEnd;
        }
        if (tuple.isEmpty()) return null;
        out.add(tuple);
        return out;
    }

    /** Just past the quote closing the quoted text at {@code start} (a quote inside doubled), or -1 where none closes it. */
    private static int quotedEnd(String text, int start, char quote) {
        for (int i = start + 1; i < text.length(); i++) {
            if (text.charAt(i) != quote) continue;
            if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                i++;
                continue;
            }
            return i + 1;
        }
        return -1;
    }

    /** After staging's commit: the previous slot dropped (its range is in the base now); a final pass's own too. */
    void committed(Recorded previous, boolean finalPass) {
        committed = true;
        if (previous != null && !previous.slot().equals(created)) {
            if (drop(previous.slot())) log.printf("[catch-up] production: dropped the previous replication slot %s%n", previous.slot());
        }
        if (finalPass && created != null) {
            if (drop(created)) log.printf("[catch-up] production: dropped this final pass's replication slot %s%n", created);
        }
    }

    /** A pass that did not commit (refused, failed, review): its new slot dropped; the recorded one stays for the next pass. */
    void closeUnlessCommitted() {
        if (committed || created == null) return;
        if (drop(created)) log.printf("[catch-up] production: dropped this pass's replication slot %s (the pass did not commit)%n", created);
        created = null;
    }

    /**
     * Drops a slot of this stage in production's database. Not in another database: a copy of this staging (the same
     * stage id: the same prefix) catching up from another production there, whose slots are its own.
     */
    private boolean drop(String slot) {
        try (Connection c = control(); PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                + " WHERE slot_name = ? AND left(slot_name, length(?)) = ? AND database = current_database()")) {
            ps.setString(1, slot);
            ps.setString(2, prefix);
            ps.setString(3, prefix);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            log.printf("[catch-up] production: dropping replication slot %s failed (%s): it holds production's WAL; drop it with"
                    + " SELECT pg_drop_replication_slot('%s')%n", slot, SafeText.line(e.getMessage()), slot);
            return false;
        }
    }

    private void dropQuietly(String slot) {
        try (Connection c = control(); PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                + " WHERE slot_name = ?")) {
            ps.setString(1, slot);
            ps.executeQuery().close();
        } catch (SQLException ignored) {
            // none was left
        }
    }

    /** An LSN as PostgreSQL prints it (hex high/low) as a number. */
    static long lsn(String text) {
        int slash = text.indexOf('/');
        return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the slot is created or not; the connection is done
        }
    }
}
