package org.carbonupgrade.staging;

import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;

import org.carbonupgrade.ConnectionSettings;
import org.carbonupgrade.Engine;
import org.carbonupgrade.audit.SafeText;
import org.carbonupgrade.gate.Redact;

/**
 * MariaDB: production's changes found from its binary log instead of hashing every row (docs/staging.md, "How changes
 * are detected"). Right after {@code START TRANSACTION WITH CONSISTENT SNAPSHOT} MariaDB reports the binary log
 * position that matches the snapshot ({@code binlog_snapshot_file} / {@code _position}): every transaction logged
 * before it is visible in the snapshot, none after. The stage's copy and each applied pass record that position; the
 * next pass reads the rows events between it and its own snapshot's position. Those events are every row change
 * production committed in between (binlog_format ROW), so the id-range buckets their before and after images name are
 * the only ones that can differ from the 'P' base: only they are read, key by key, as the hashing scan reads the
 * buckets whose figures differ. Anything the log cannot prove (another server, a RESET MASTER, a purged file, a DDL or
 * statement-format write on production's database, a filter, an event it cannot read) makes the pass hash every row.
 */
final class BinlogScan {
    /**
     * A binary log position with what it belongs to.
     *
     * @param fileStarted the log file's FORMAT_DESCRIPTION event time (ms): a file re-created by RESET MASTER, or another
     *        server's file of the same name, has another; 0 while not known
     * @param database    the server's identity of the database (Stage.sameDatabase: host, port, data directory, name)
     */
    record Mark(String file, long position, long fileStarted, long serverId, String database) {
        Mark stamped(long started) {
            return new Mark(file, position, started, serverId, database);
        }
    }

    /** Where production's server is reached as a replica (host and port from the JDBC URL, the same account). */
    record Access(String host, int port, String user, String password) {
        /** The host and port of a {@code jdbc:mysql://} or {@code jdbc:mariadb://} URL with one host, or null. */
        static Access of(ConnectionSettings s) {
            if (s == null || s.url() == null) return null;
            java.util.regex.Matcher m = Pattern.compile("^jdbc:(?:mysql|mariadb)://(\\[[^\\]]+\\]|[^:/?,()=\\[]+)(?::(\\d+))?(?:[/?].*)?$")
                    .matcher(s.url());
            if (!m.matches()) return null;
            String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
            return new Access(host, m.group(2) == null ? 3306 : Integer.parseInt(m.group(2)), s.username(), s.password());
        }

        @Override
        public String toString() {
            return host + ":" + port + " as " + user; // never the password
        }
    }

    /** Why the binary log cannot prove production's changes; the pass hashes every row instead. */
    static final class Unprovable extends Exception {
        Unprovable(String why) {
            super(why);
        }
    }

    /**
     * Production's changed rows per staged table (upper-case name): the buckets their first key column's values fall in,
     * and those values themselves ({@code ids}: a table is there unless its ids are not kept, see {@link #MAX_IDS} and
     * Shape.decimalKey; it is then read by whole buckets), and the end file's start time.
     */
    record Changes(Map<String, Set<Integer>> buckets, long firstFileStarted, long endFileStarted, long events, long bytes, Set<String> cascaded,
            Map<String, Set<Long>> ids) {
    }

    /**
     * A staged table's shape as the rows events carry it.
     *
     * @param decimalKey whether the first key column's key text is its plain decimal (an integer without ZEROFILL): then
     *        the 'P' base rows of an id are found by their key text (ChangeScan.scanIds)
     */
    record Shape(int columns, int firstKeyColumn, long bucketWidth, boolean decimalKey) {
    }

    /**
     * The most ids kept per table (about 12 MB of boxed longs): beyond, a range that rewrote most of a large table, its
     * named buckets are read whole (as many rows either way, and the buckets need no memory per row).
     */
    static final int MAX_IDS = 200_000;

    /** The grant the binary log reading needs; in messages. */
    static final String GRANT = "GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO <production's user>";

    /** The client's own INFO lines (version, "Connected to ...") would interleave with the pass's log; its warnings stay. */
    private static final java.util.logging.Logger CLIENT_LOG = java.util.logging.Logger.getLogger(BinaryLogClient.class.getName());

    static {
        CLIENT_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private BinlogScan() {
    }

    /**
     * Production's snapshot position in the caller's transaction, which must have been started with {@code START
     * TRANSACTION WITH CONSISTENT SNAPSHOT} (else MariaDB reports the log's current end), with the server's id and the
     * database's identity; the file's start time is not known yet (0). Throws Unprovable where this server cannot give
     * one (MySQL, the binary log off, not ROW format, a filter set, no privilege to see the filters).
     */
    static Mark current(Connection production, Engine engine) throws SQLException, Unprovable {
        if (engine != Engine.MYSQL) throw new Unprovable("not MariaDB");
        String file = null;
        long position = -1;
        try (Statement s = production.createStatement(); ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE 'binlog_snapshot_%'")) {
            while (rs.next()) {
                if (rs.getString(1).equalsIgnoreCase("binlog_snapshot_file")) file = rs.getString(2);
                if (rs.getString(1).equalsIgnoreCase("binlog_snapshot_position")) position = Long.parseLong(rs.getString(2));
            }
        }
        if (file == null) throw new Unprovable("the server reports no binary log position for a snapshot (MySQL: only MariaDB does)");
        long serverId;
        String doDb = null, ignoreDb = null;
        int logBin;
        String format;
        // The global format: the one other sessions' writes are logged in (a session's own override is a Query event, read below).
        try (Statement s = production.createStatement(); ResultSet rs = s.executeQuery("SELECT @@log_bin, @@GLOBAL.binlog_format, @@server_id")) {
            rs.next();
            logBin = file.isEmpty() ? 0 : rs.getInt(1);
            format = rs.getString(2);
            serverId = rs.getLong(3);
        }
        if (logBin == 1) {
            try (Statement s = production.createStatement(); ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
                if (rs.next()) {
                    doDb = rs.getString("Binlog_Do_DB");
                    ignoreDb = rs.getString("Binlog_Ignore_DB");
                }
            } catch (SQLException e) {
                throw new Unprovable("production's user cannot see the binary log's settings (" + SafeText.line(e.getMessage()) + "): " + GRANT);
            }
        }
        String why = refusal(logBin, format, doDb, ignoreDb);
        if (why != null) throw new Unprovable(why);
        return new Mark(file, position, 0, serverId, Stage.databaseIdentity(production, Engine.MYSQL));
    }

    /** Why a server with these settings cannot prove production's changes by its binary log, or null. */
    static String refusal(int logBin, String format, String doDb, String ignoreDb) {
        if (logBin != 1) return "production's server has the binary log off (log_bin)";
        if (!"ROW".equalsIgnoreCase(format)) return "production's binary log format is " + format + ", not ROW (binlog_format)";
        // A filtered log may leave production's database out.
        if (!blank(doDb) || !blank(ignoreDb)) return "production's server filters its binary log (binlog-do-db / binlog-ignore-db)";
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The recorded mark the 'P' base equals, or null (none recorded, or a staging staged before the table existed). */
    static Mark recorded(Connection staging) throws SQLException {
        if (!new org.carbonupgrade.schema.SchemaReader(staging).tableNames().containsKey(BaseTables.BINLOG)) return null;
        try (Statement s = staging.createStatement(); ResultSet rs = s.executeQuery("SELECT BINLOG_FILE, BINLOG_POSITION, FILE_STARTED, SERVER_ID,"
                + " DATABASE_IDENTITY FROM " + BaseTables.BINLOG)) {
            return rs.next() ? new Mark(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5)) : null;
        }
    }

    /** Replaces the recorded mark (null, or one whose file's start is unknown: none, the next pass hashes), in the caller's transaction. */
    static void record(Connection staging, Mark mark) throws SQLException {
        try (Statement s = staging.createStatement()) {
            s.executeUpdate("DELETE FROM " + BaseTables.BINLOG);
        }
        if (mark == null || mark.fileStarted() == 0) return;
        try (PreparedStatement ps = staging.prepareStatement("INSERT INTO " + BaseTables.BINLOG
                + " (BINLOG_FILE, BINLOG_POSITION, FILE_STARTED, SERVER_ID, DATABASE_IDENTITY, RECORDED_AT) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, mark.file());
            ps.setLong(2, mark.position());
            ps.setLong(3, mark.fileStarted());
            ps.setLong(4, mark.serverId());
            ps.setString(5, mark.database());
            ps.setTimestamp(6, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }

    /** Why the recorded mark cannot serve against production's now, before any event is read; null when it may. */
    static String unusable(Mark recorded, Mark now, Access access) {
        if (recorded == null) return "no binary log position of production is recorded for the base (a restored dump, or a staging staged"
                + " before this was recorded): this pass records one";
        if (access == null) return "no replica connection to production's server (a JDBC URL jdbc:mysql://host:port/... with one host is needed)";
        if (recorded.serverId() != now.serverId() || !recorded.database().equals(now.database())) {
            return "production is not the server and database the base's binary log position was taken on (moved or restored since)";
        }
        if (!base(recorded.file()).equals(base(now.file()))) return "production's binary log files are named otherwise than the recorded one";
        if (compare(recorded.file(), recorded.position(), now.file(), now.position()) > 0) {
            return "production's binary log is behind the recorded position (RESET MASTER?)";
        }
        return null;
    }

    /** The name of a log file without its sequence number (mariadb-bin.000012: mariadb-bin). */
    private static String base(String file) {
        int dot = file.lastIndexOf('.');
        return dot < 0 ? file : file.substring(0, dot);
    }

    private static long sequence(String file) {
        try {
            return Long.parseLong(file.substring(file.lastIndexOf('.') + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Orders two positions of log files of one base name. */
    static int compare(String fileA, long posA, String fileB, long posB) {
        int byFile = Long.compare(sequence(fileA), sequence(fileB));
        return byFile != 0 ? byFile : Long.compare(posA, posB);
    }

    /**
     * The start time of {@code file}: its FORMAT_DESCRIPTION event, which the server sends first when a replica starts
     * reading the file. Unprovable where the account or server refuses.
     */
    static long fileStarted(Access access, String file) throws Unprovable {
        return read(access, file, 4, file, 4, "", Map.of()).endFileStarted();
    }

    /**
     * Reads the events from {@code from} to {@code to} (both positions of production's server; {@code to} is this pass's
     * snapshot) and returns the buckets whose rows they change, per staged table with id-range buckets.
     *
     * @param database production's database name (DATABASE())
     * @param tables   the staged tables with id-range buckets, by upper-case name
     */
    static Changes read(Access access, Mark from, Mark to, String database, Map<String, Shape> tables) throws Unprovable {
        return read(access, from, to, database, tables, Map.of());
    }

    /**
     * @param cascades production's foreign keys with a cascading or SET NULL/DEFAULT action, parent -> children (upper
     *        case): InnoDB carries those actions out itself and the binary log does not list the child rows they change
     *        (checked on this server: a cascaded delete logs the child's TABLE_MAP and no rows event). A child of a
     *        parent with deletes or updates in the range (and its own such children) is left out of the result: hashed.
     */
    static Changes read(Access access, Mark from, Mark to, String database, Map<String, Shape> tables, Map<String, Set<String>> cascades)
            throws Unprovable {
        Changes c = read(access, from.file(), from.position(), to.file(), to.position(), database, tables);
        Set<String> cascaded = new TreeSet<>();
        java.util.Deque<String> parents = new java.util.ArrayDeque<>(c.cascaded()); // here: the tables with deletes or updates
        while (!parents.isEmpty()) {
            for (String child : cascades.getOrDefault(parents.pop(), Set.of())) {
                if (cascaded.add(child)) parents.push(child);
            }
        }
        Map<String, Set<Integer>> buckets = new HashMap<>(c.buckets());
        buckets.keySet().removeAll(cascaded);
        Map<String, Set<Long>> ids = new HashMap<>(c.ids());
        ids.keySet().removeAll(cascaded);
        c = new Changes(buckets, c.firstFileStarted(), c.endFileStarted(), c.events(), c.bytes(), cascaded, ids);
        if (c.firstFileStarted() != from.fileStarted()) {
            throw new Unprovable("production's binary log file " + from.file() + " is not the one the base's position was recorded in"
                    + " (re-created by RESET MASTER, or restored)");
        }
        return c;
    }

    private static Changes read(Access access, String fromFile, long fromPosition, String toFile, long toPosition, String database,
            Map<String, Shape> tables) throws Unprovable {
        Reader reader = new Reader(fromFile, toFile, toPosition, database, tables);
        reader.reached = fromFile.equals(toFile) && fromPosition == toPosition;
        BinaryLogClient client = new BinaryLogClient(access.host(), access.port(), access.user(), access.password());
        // A replica's id must be unique on the server (a second replica with the same id disconnects the first).
        client.setServerId(ThreadLocalRandom.current().nextLong(1_000_000_000L, 4_000_000_000L));
        client.setBlocking(false); // the server ends the stream at the log's end instead of waiting for more
        client.setKeepAlive(false);
        client.setBinlogFilename(fromFile);
        client.setBinlogPosition(fromPosition);
        EventDeserializer deserializer = new EventDeserializer();
        deserializer.setCompatibilityMode(EventDeserializer.CompatibilityMode.DATE_AND_TIME_AS_LONG,
                EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        for (EventType type : List.of(EventType.WRITE_ROWS, EventType.UPDATE_ROWS, EventType.DELETE_ROWS, EventType.EXT_WRITE_ROWS,
                EventType.EXT_UPDATE_ROWS, EventType.EXT_DELETE_ROWS)) {
            deserializer.setEventDataDeserializer(type, reader.skippingOthers(type, deserializer.getEventDataDeserializer(type)));
        }
        client.setEventDeserializer(deserializer);
        client.registerEventListener(event -> {
            // The client logs and drops a listener's exception and goes on: an event not understood must stop the proof.
            try {
                reader.accept(event, client);
            } catch (RuntimeException e) {
                reader.fail("an event of production's binary log could not be read: " + SafeText.line(String.valueOf(e)));
            }
        });
        client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient c, Exception e) {
                reader.fail("reading production's binary log failed: " + SafeText.line(Redact.text(String.valueOf(e.getMessage()))));
            }

            @Override
            public void onEventDeserializationFailure(BinaryLogClient c, Exception e) {
                reader.fail("an event of production's binary log could not be read: " + SafeText.line(String.valueOf(e.getMessage())));
            }
        });
        try {
            client.connect();
        } catch (IOException | RuntimeException e) {
            throw new Unprovable("cannot read production's binary log as a replica at " + access + " (" + SafeText.line(Redact.text(String.valueOf(
                    e.getMessage()))) + "): " + GRANT);
        } finally {
            try {
                client.disconnect();
            } catch (IOException ignored) {
                // the stream was read or failed: either way nothing more is read from it
            }
        }
        if (reader.failure != null) throw new Unprovable(reader.failure);
        if (!reader.reached) throw new Unprovable("production's binary log ended before this pass's snapshot position (purged or reset?)");
        if (reader.firstFileStarted == 0 || reader.endFileStarted == 0) throw new Unprovable("production's binary log sent no file header");
        return new Changes(reader.buckets, reader.firstFileStarted, reader.endFileStarted, reader.events, reader.bytes, reader.deletedOrUpdated,
                reader.ids);
    }

    /**
     * The staged tables with id-range buckets as production holds them now (column count, the first key column's
     * position), by upper-case name: what the rows events are read against. Other tables are hashed.
     */
    static Map<String, Shape> shapes(Connection production, List<CatchUpTable> tables) throws SQLException {
        Map<String, Shape> out = new HashMap<>();
        // The key's column type too: the client reads an INT UNSIGNED above 2^31 as a negative int (its bucket would be wrong).
        try (PreparedStatement ps = production.prepareStatement("SELECT COUNT(*), MAX(CASE WHEN UPPER(COLUMN_NAME) = ? THEN ORDINAL_POSITION END),"
                + " MAX(CASE WHEN UPPER(COLUMN_NAME) = ? THEN COLUMN_TYPE END)"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND UPPER(TABLE_NAME) = ?")) {
            for (CatchUpTable t : tables) {
                if (!t.production().rangeBuckets()) continue;
                ps.setString(1, t.keyColumns().get(0).toUpperCase(Locale.ROOT));
                ps.setString(2, t.keyColumns().get(0).toUpperCase(Locale.ROOT));
                ps.setString(3, t.name());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    // Not found: hashed, and the hashing scan says why. Unsigned: hashed. ZEROFILL: its key text is padded
                    // ("00123"), so its base rows are not found by the id's decimal: whole buckets.
                    if (rs.getObject(2) == null || rs.getString(3).toLowerCase(Locale.ROOT).contains("unsigned")) continue;
                    out.put(t.name(), new Shape(rs.getInt(1), rs.getInt(2) - 1, t.production().bucketWidth(),
                            !rs.getString(3).toLowerCase(Locale.ROOT).contains("zerofill")));
                }
            }
        }
        return out;
    }

    /** Production's foreign keys whose actions InnoDB carries out itself (CASCADE, SET NULL, SET DEFAULT): parent -> children. */
    static Map<String, Set<String>> cascades(Connection production) throws SQLException {
        Map<String, Set<String>> out = new HashMap<>();
        try (Statement s = production.createStatement(); ResultSet rs = s.executeQuery("SELECT UPPER(REFERENCED_TABLE_NAME), UPPER(TABLE_NAME)"
                + " FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()"
                + " AND (DELETE_RULE NOT IN ('RESTRICT', 'NO ACTION') OR UPDATE_RULE NOT IN ('RESTRICT', 'NO ACTION'))")) {
            while (rs.next()) out.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2));
        }
        return out;
    }

    /**
     * Production's changes in a table with id-range buckets, given the ids the binary log names (or, where they were not
     * kept, their buckets): only the rows and 'P' base rows at those ids (ChangeScan.scanIds; else the whole buckets,
     * ChangeScan.scanBuckets) are read and compared; every other key is unchanged since the base. The table's rows now:
     * the base's total plus what the rows read gained or lost against their base rows.
     *
     * @param ids the first key column's values of every row image in the range, or null: read the named buckets whole
     */
    static ChangeScan.Result scan(Connection production, Connection staging, Engine engine, CatchUpTable t, Set<Integer> buckets, Set<Long> ids,
            PhaseClock clock, Map<String, Long> counted) throws SQLException {
        return scan(production, staging, engine, t, buckets, ids, clock, counted, null, null);
    }

    /**
     * @param baseAtIds the 'P' base rows at {@code ids}, read already (ChangeScan.scanIds), or null to read them here
     * @param baseTotal the 'P' base's row total (XminScan.baseTotal), read already, or null to read it here
     */
    static ChangeScan.Result scan(Connection production, Connection staging, Engine engine, CatchUpTable t, Set<Integer> buckets, Set<Long> ids,
            PhaseClock clock, Map<String, Long> counted, Map<String, ChangeScan.BaseRow> baseAtIds, Long baseTotal) throws SQLException {
        IdBaseBeside.Production read = baseAtIds == null || baseTotal == null ? null : new IdBaseBeside.Production(baseAtIds, baseTotal);
        return scan(production, staging, engine, t, buckets, ids, clock, counted, () -> read);
    }

    /**
     * @param beside asked once production's rows at the ids are read: the 'P' base rows at the ids and the base's total read
     *        elsewhere (IdBaseBeside), or null to read them here
     */
    static ChangeScan.Result scan(Connection production, Connection staging, Engine engine, CatchUpTable t, Set<Integer> buckets, Set<Long> ids,
            PhaseClock clock, Map<String, Long> counted, java.util.function.Supplier<IdBaseBeside.Production> beside) throws SQLException {
        IdBaseBeside.Production[] asked = new IdBaseBeside.Production[1];
        ChangeScan.Result r = ids == null ? null : ChangeScan.scanIds(production, staging, engine, t, StageBase.PRODUCTION, ids, clock, () -> {
            asked[0] = beside.get();
            return asked[0] == null ? null : asked[0].rows();
        });
        Long baseTotal = asked[0] == null ? null : asked[0].total();
        if (r == null) r = ChangeScan.scanBuckets(production, staging, engine, t, StageBase.PRODUCTION, buckets, clock);
        counted.put(t.name(), (baseTotal != null ? baseTotal : XminScan.baseTotal(staging, t.name())) + r.rowsRead().size() - r.base().size());
        clock.lap(baseTotal != null ? "P base total (read beside)" : "P base total");
        return r;
    }

    /** Receives the events in log order and keeps the buckets of production's changed rows. */
    private static final class Reader {
        private final String toFile;
        private final long toPosition;
        private final Pattern namesDatabase;
        private final String database;
        private final Map<String, Shape> tables;
        private final Map<Long, Shape> byTableId = new HashMap<>();
        private final Map<Long, String> nameByTableId = new HashMap<>();
        /** Every table of production's database by table id (staged or not): a parent's deletes may cascade. */
        private final Map<Long, String> productionTables = new HashMap<>();
        /** XA transactions whose prepared rows lie in the range (by the xid text of their XA END). */
        private final Set<String> preparedInRange = new java.util.HashSet<>();
        /** Production's tables with deletes or updates in the range (upper case). */
        final Set<String> deletedOrUpdated = new TreeSet<>();
        final Map<String, Set<Integer>> buckets = new HashMap<>();
        /** Per table whose ids are kept (Shape.decimalKey, at most MAX_IDS): the first key column's values of its row images. */
        final Map<String, Set<Long>> ids = new HashMap<>();
        private String file;
        private boolean first = true;
        long firstFileStarted;
        long endFileStarted;
        long events;
        long bytes;
        boolean reached;
        private boolean past;
        volatile String failure;

        Reader(String fromFile, String toFile, long toPosition, String database, Map<String, Shape> tables) {
            this.file = fromFile;
            this.toFile = toFile;
            this.toPosition = toPosition;
            this.database = database;
            this.tables = tables;
            // The database's name as a whole identifier (production_saved is another database), quoted or not.
            this.namesDatabase = Pattern.compile("(?i)(^|[^\\p{Alnum}_$])" + Pattern.quote(database) + "($|[^\\p{Alnum}_$])");
            for (Map.Entry<String, Shape> t : tables.entrySet()) {
                buckets.put(t.getKey(), new TreeSet<>());
                if (t.getValue().decimalKey()) ids.put(t.getKey(), new java.util.HashSet<>());
            }
        }

        void fail(String why) {
            if (failure == null) failure = why;
        }

        /**
         * Rows events of tables that are not production's staged ones (staging's, other databases') are not decoded:
         * only their table id is read, the rest of the event skipped.
         */
        EventDataDeserializer<?> skippingOthers(EventType type, EventDataDeserializer<?> decode) {
            boolean deletesOrUpdates = !EventType.isWrite(type);
            return in -> {
                long tableId = in.readLong(6);
                String onProduction = productionTables.get(tableId);
                if (onProduction != null && deletesOrUpdates && !past) deletedOrUpdated.add(onProduction);
                if (!byTableId.containsKey(tableId)) return null;
                byte[] rest = in.read(in.available());
                byte[] whole = new byte[6 + rest.length];
                for (int i = 0; i < 6; i++) whole[i] = (byte) (tableId >>> (8 * i));
                System.arraycopy(rest, 0, whole, 6, rest.length);
                return decode.deserialize(new ByteArrayInputStream(whole));
            };
        }

        void accept(Event event, BinaryLogClient client) {
            if (failure != null || past) return;
            EventHeaderV4 h = event.getHeader();
            EventType type = h.getEventType();
            if (type == null) type = EventType.UNKNOWN; // a number the client does not know (MariaDB's compressed events)
            if (type == EventType.ROTATE) {
                // A real rotate ends its file (its position is the old file's); an artificial one (position 0) names the start.
                if (h.getNextPosition() != 0 && afterEnd(h)) {
                    stop(client);
                    return;
                }
                file = ((RotateEventData) event.getData()).getBinlogFilename();
                if (compare(file, 4, toFile, 4) > 0) stop(client);
                return;
            }
            if (type == EventType.FORMAT_DESCRIPTION) {
                if (first) firstFileStarted = h.getTimestamp();
                first = false;
                if (file.equals(toFile)) endFileStarted = h.getTimestamp();
                return;
            }
            if (h.getNextPosition() != 0 && afterEnd(h)) {
                stop(client);
                return;
            }
            events++;
            bytes += h.getEventLength();
            switch (type) {
                case TABLE_MAP -> tableMap((TableMapEventData) event.getData());
                case WRITE_ROWS, EXT_WRITE_ROWS -> {
                    if (event.getData() instanceof WriteRowsEventData d) rows(d.getTableId(), d.getIncludedColumns(), d.getRows());
                }
                case DELETE_ROWS, EXT_DELETE_ROWS -> {
                    if (event.getData() instanceof DeleteRowsEventData d) rows(d.getTableId(), d.getIncludedColumns(), d.getRows());
                }
                case UPDATE_ROWS, EXT_UPDATE_ROWS -> {
                    if (event.getData() instanceof UpdateRowsEventData d) {
                        for (Map.Entry<Serializable[], Serializable[]> r : d.getRows()) {
                            row(d.getTableId(), d.getIncludedColumnsBeforeUpdate(), r.getKey(), true);
                            // An after image without the key column (binlog_row_image MINIMAL) kept the before image's id.
                            row(d.getTableId(), d.getIncludedColumns(), r.getValue(), false);
                        }
                    }
                }
                case QUERY -> query((QueryEventData) event.getData());
                // Transaction boundaries, GTIDs, checkpoints and the values a statement-format query uses: no row changes.
                case XID, XA_PREPARE, MARIADB_GTID, MARIADB_GTID_LIST, BINLOG_CHECKPOINT, GTID, ANONYMOUS_GTID, PREVIOUS_GTIDS, HEARTBEAT, STOP,
                        ANNOTATE_ROWS, ROWS_QUERY, INTVAR, RAND, USER_VAR -> {
                }
                default -> fail("production's binary log holds an event of type " + type + " this scan does not read (a compressed"
                        + " or encrypted log?)");
            }
        }

        /** Whether this event lies at or after this pass's snapshot position: then the range is read whole. */
        private boolean afterEnd(EventHeaderV4 h) {
            int byFile = Long.compare(sequence(file), sequence(toFile));
            // An event ending at the snapshot's position is the last one of the range.
            if (byFile < 0 || (byFile == 0 && h.getNextPosition() <= toPosition)) {
                if (byFile == 0 && h.getNextPosition() == toPosition) reached = true;
                return false;
            }
            reached = true;
            past = true;
            return true;
        }

        private void stop(BinaryLogClient client) {
            reached = true;
            past = true;
            try {
                client.disconnect();
            } catch (IOException ignored) {
                // ends the stream; the events wanted are read
            }
        }

        private void tableMap(TableMapEventData d) {
            // A table id the server re-assigned to another table no longer names a staged one.
            byTableId.remove(d.getTableId());
            nameByTableId.remove(d.getTableId());
            productionTables.remove(d.getTableId());
            if (!d.getDatabase().equalsIgnoreCase(database)) return;
            String name = d.getTable().toUpperCase(Locale.ROOT);
            productionTables.put(d.getTableId(), name);
            Shape shape = tables.get(name);
            if (shape == null) return;
            if (d.getColumnTypes().length != shape.columns()) {
                fail(name + " has " + d.getColumnTypes().length + " columns in the binary log, " + shape.columns() + " now (altered since the base?)");
                return;
            }
            byTableId.put(d.getTableId(), shape);
            nameByTableId.put(d.getTableId(), name);
        }

        private void rows(long tableId, BitSet included, List<Serializable[]> rows) {
            for (Serializable[] r : rows) row(tableId, included, r, true);
        }

        /** Names one row image's id and its bucket; {@code required}: an image that must hold the key column. */
        private void row(long tableId, BitSet included, Serializable[] image, boolean required) {
            Shape shape = byTableId.get(tableId);
            if (shape == null) return;
            int k = shape.firstKeyColumn();
            if (!included.get(k)) {
                if (required) fail(nameByTableId.get(tableId) + ": a row image without its key column (binlog_row_image?)");
                return;
            }
            // The row holds the included columns only, in table order.
            Serializable id = image[included.get(0, k).cardinality()];
            if (!(id instanceof Number n)) {
                fail(nameByTableId.get(tableId) + ": a key value that is not a number in the binary log");
                return;
            }
            String name = nameByTableId.get(tableId);
            buckets.get(name).add((int) (n.longValue() / shape.bucketWidth()));
            Set<Long> kept = ids.get(name);
            if (kept == null) return;
            kept.add(n.longValue());
            if (kept.size() > MAX_IDS) ids.remove(name); // for good: its buckets are read whole
        }

        /**
         * A statement in the log: transaction control is fine; one on production's database (its default database, or
         * naming it) is a DDL, TRUNCATE or a statement-format write whose rows the log does not list. XA (MariaDB 10.5+):
         * a transaction's rows are logged when it is prepared, in one group ending with {@code XA END <xid>} and the
         * XA_PREPARE event, and its {@code XA COMMIT <xid>} comes later on its own. A commit or rollback whose prepared
         * group lies in the range is fine (its rows were read); one prepared before the recorded position has its rows
         * there, outside the range: unprovable.
         */
        private void query(QueryEventData q) {
            String sql = q.getSql() == null ? "" : q.getSql().trim();
            String word = sql.split("[\\s;(]", 2)[0].toUpperCase(Locale.ROOT);
            if (word.equals("XA")) {
                String[] xa = sql.replaceAll("\\s+", " ").split(" ", 3);
                String verb = xa.length > 1 ? xa[1].toUpperCase(Locale.ROOT) : "";
                String xid = xa.length > 2 ? xa[2].replaceAll("(?i) ONE PHASE$", "").trim() : "";
                if (verb.equals("END")) {
                    preparedInRange.add(xid);
                } else if (!preparedInRange.contains(xid)) {
                    fail("an XA transaction prepared before the recorded position ends in production's binary log (its rows lie"
                            + " before the range)");
                }
                return;
            }
            if (List.of("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE").contains(word)) return;
            boolean onProduction = (q.getDatabase() != null && q.getDatabase().equalsIgnoreCase(database)) || namesDatabase.matcher(sql).find();
            // Only the statement's first word: its text may hold secrets (a GRANT's password).
            if (onProduction) fail("statement " + word.replaceAll("[^A-Z_]", "") + " on production's database in the binary log (DDL, TRUNCATE or"
                    + " a statement-format write: its rows are not listed)");
        }
    }
}
