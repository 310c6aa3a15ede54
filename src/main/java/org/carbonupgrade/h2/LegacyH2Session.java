package org.carbonupgrade.h2;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.carbonupgrade.gate.GateSettings;
import org.carbonupgrade.schema.ReferenceCheck;
import org.carbonupgrade.schema.SchemaDiff;

/**
 * One upgrade of a Carbon H2 1.2 file (PATH.h2.db), in a work folder beside it, PATH.carbon-upgrade/:
 * <ol>
 * <li>up: the original is copied (only read) to work/source.h2.db; H2 1.2.140 writes it out as SQL (SCRIPT) and
 *     H2 2.x loads that into work/upgrade.mv.db (RUNSCRIPT ... FROM_1X, H2's own reader of 1.x scripts);</li>
 * <li>Liquibase upgrades and verifies work/upgrade.mv.db (the gate, the changesets and the verifier as on every
 *     engine);</li>
 * <li>down, only when that update ran its verification to the end: every table is copied into a new H2 1.2.140
 *     file work/result.h2.db, which is then opened again by 1.2.140 with IFEXISTS=TRUE and checked (schema against
 *     WSO2's 4.2.0 h2 script loaded in 1.2.140, rows per table against the upgraded copy);</li>
 * <li>swap: the original is kept as PATH.h2.db.before-4.2.0 (a hard link, or a copy where links are not
 *     possible; an existing one is never overwritten: then .before-4.2.0.TIMESTAMP) and work/result.h2.db
 *     replaces PATH.h2.db in one atomic rename. The work folder is removed.</li>
 * </ol>
 * Until the rename the original file is never written; a failed or killed run leaves it as it was and the next run
 * starts again from it (the work folder is rebuilt).
 */
public final class LegacyH2Session {
    public static final String WORK_SUFFIX = ".carbon-upgrade";
    public static final String BEFORE_SUFFIX = ".h2.db.before-4.2.0";
    /** Tests: stop the JVM at a named step (up, down, swap) as a crash would. */
    static final String CRASH_AT = "carbon.upgrade.h2.crashAt";

    private final H2File file;
    private final String user;
    private final String password;
    private final Path work;
    private final Consumer<String> log;
    private LocalDateTime startedAt;
    private boolean finished;
    /** Held from up() to release(): two runs on one file would share (and delete) one work folder. */
    private FileChannel lockChannel;

    public LegacyH2Session(H2File file, String user, String password, Consumer<String> log) {
        this.file = file;
        this.user = user;
        this.password = password;
        this.work = file.sibling(WORK_SUFFIX);
        this.log = log;
    }

    public H2File file() {
        return file;
    }

    /** Converts a copy of the original up to H2 2.x; returns the URL of the 2.x copy (the original URL's options kept). */
    public String up() throws SQLException {
        refuseWhileInUse();
        lockRun();
        try {
            deleteWork();
            Files.createDirectories(work);
            Path source = work.resolve("source");
            Files.copy(file.legacyFile(), Path.of(source + H2File.LEGACY_SUFFIX), StandardCopyOption.COPY_ATTRIBUTES);
            // H2 1.2 keeps each LOB above MAX_LENGTH_INPLACE_LOB (registry content, realm configurations) as a file in
            // PATH.lobs.db/, which the copy needs too; the original's folder is only read.
            copyFolder(file.sibling(LOBS_SUFFIX), Path.of(source + LOBS_SUFFIX));
            Path script = work.resolve("source.sql");
            long t0 = System.nanoTime();
            try (Connection legacy = LegacyH2.connect(H2File.legacyUrl(source), user, password); Statement s = legacy.createStatement()) {
                s.execute("SCRIPT TO '" + sqlString(script.toString()) + "'");
            }
            crashPoint("up");
            Path upgrade = work.resolve("upgrade");
            try (Connection current = DriverManager.getConnection("jdbc:h2:" + upgrade, user, password); Statement s = current.createStatement()) {
                s.execute("RUNSCRIPT FROM '" + sqlString(script.toString()) + "' FROM_1X");
            }
            Files.delete(script);
            Files.delete(Path.of(source + H2File.LEGACY_SUFFIX));
            log.accept(String.format("carbon-upgrade: %s is a Carbon H2 1.2 database: upgrading a copy converted to H2 2.x (%s, %.1f s);"
                    + " the original stays untouched until the upgraded database is converted back and checked.",
                    file.legacyFile(), upgrade + H2File.CURRENT_SUFFIX, (System.nanoTime() - t0) / 1e9));
            return "jdbc:h2:" + upgrade + file.options();
        } catch (IOException e) {
            throw new SQLException("Cannot prepare the work copy of " + file.legacyFile() + " in " + work + ": " + e
                    + ". The original file is untouched.", e);
        }
    }

    /** Called on the 2.x connection right after it opened: the run's start in the database's own clock. */
    public void started(Connection upgraded) throws SQLException {
        try (Statement s = upgraded.createStatement(); ResultSet rs = s.executeQuery("SELECT LOCALTIMESTAMP")) {
            rs.next();
            startedAt = rs.getTimestamp(1).toLocalDateTime();
        }
    }

    public boolean finished() {
        return finished;
    }

    /** For a run that ended before the conversion back (refused, failed, updateSQL, status). */
    public String leftAsItWas() {
        return "carbon-upgrade: " + file.legacyFile() + " was left as it was (this run did not complete a verified update;"
                + " the next run starts again from it).";
    }

    /** Removes the work folder after a run that ended without converting back (its connection already closed). */
    public void discardWork() {
        if (lockChannel != null) deleteWorkQuietly();
    }

    private void lockRun() throws SQLException {
        Path lockFile = file.sibling(WORK_SUFFIX + ".lock");
        try {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.tryLock() == null) {
                channel.close();
                throw new SQLException("carbon-upgrade refused to start; nothing was changed. Another carbon-upgrade run is"
                        + " working on " + file.legacyFile() + " (it holds " + lockFile + "). Let it finish.");
            }
            lockChannel = channel;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw new SQLException("Another carbon-upgrade run in this JVM is working on " + file.legacyFile() + ".", e);
        } catch (IOException e) {
            throw new SQLException("Cannot create " + lockFile + ": " + e + ". The original file is untouched.", e);
        }
    }

    /** Ends the run's hold on the file (the operating system also drops it when the process dies). */
    public void release() {
        if (lockChannel == null) return;
        try {
            Files.deleteIfExists(file.sibling(WORK_SUFFIX + ".lock"));
            lockChannel.close();
        } catch (IOException e) {
            log.accept("carbon-upgrade: could not remove " + file.sibling(WORK_SUFFIX + ".lock") + " (" + e + "); it may be deleted.");
        }
        lockChannel = null;
    }

    /**
     * The update's last step, after the verification passed: converts back and swaps, unless this run changed
     * nothing (then the file is left exactly as it was).
     * @return what happened, for the operator
     */
    public String finish(Connection upgraded) throws SQLException {
        Outcome outcome = outcome(upgraded);
        if (outcome == Outcome.NOT_VERIFIED) {
            throw new SQLException("the verification of this run is not recorded in DATABASECHANGELOG; " + leftAsItWas());
        }
        finished = true;
        if (outcome == Outcome.NOTHING_CHANGED) {
            deleteWorkQuietly();
            return "carbon-upgrade: " + file.legacyFile() + " is already upgraded and verified; it was left exactly as it was.";
        }
        long t0 = System.nanoTime();
        Path result = work.resolve("result");
        Map<String, Long> copied;
        // Every LOB in place: the result is one file, swapped in with one rename (a LOB folder beside it would not
        // move with it). A persistent 1.2 setting, harmless to Carbon 4.2.0 reading the file.
        try (Connection legacy = LegacyH2.connect(H2File.legacyUrl(result) + ";LOG=0;UNDO_LOG=0;MAX_LENGTH_INPLACE_LOB=" + Integer.MAX_VALUE, user, password)) {
            copied = new LegacyExport(upgraded, legacy).run();
        }
        crashPoint("down");
        String check = check(result, copied);
        Path kept = swap(Path.of(result + H2File.LEGACY_SUFFIX));
        deleteWorkQuietly();
        return String.format("carbon-upgrade: %s is now the upgraded Carbon 4.2.0 database in H2 1.2 format (%s; converted back"
                + " in %.1f s). The file as it was before is kept as %s.", file.legacyFile(), check, (System.nanoTime() - t0) / 1e9, kept);
    }

    enum Outcome { NOT_VERIFIED, NOTHING_CHANGED, UPGRADED }

    /**
     * What this run did, from DATABASECHANGELOG: verify-upgrade recorded since the run started means its checkpoints
     * passed; a changeset other than the always-run ones recorded since then means the run changed the database.
     */
    Outcome outcome(Connection upgraded) throws SQLException {
        if (startedAt == null) return Outcome.NOT_VERIFIED;
        Timestamp since = Timestamp.valueOf(startedAt);
        try {
            if (!exists(upgraded, "SELECT 1 FROM DATABASECHANGELOG WHERE ID = 'verify-upgrade' AND DATEEXECUTED >= ?", since)) {
                return Outcome.NOT_VERIFIED;
            }
            return exists(upgraded, "SELECT 1 FROM DATABASECHANGELOG WHERE DATEEXECUTED >= ? AND EXECTYPE <> 'RERAN'", since)
                    ? Outcome.UPGRADED : Outcome.NOTHING_CHANGED;
        } catch (SQLException noLiquibaseTables) {
            return Outcome.NOT_VERIFIED; // refused by the gate before Liquibase created its tables
        }
    }

    /** The converted file, opened again the way Carbon 4.2.0 opens it, equals the reference and holds every row. */
    private String check(Path result, Map<String, Long> copied) throws SQLException {
        try (Connection legacy = LegacyH2.connect(H2File.legacyUrl(result) + ";IFEXISTS=TRUE", user, password)) {
            Map<String, Long> counted = new TreeMap<>();
            for (String table : copied.keySet()) {
                try (Statement s = legacy.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + LegacyExport.q(table))) {
                    rs.next();
                    counted.put(table, rs.getLong(1));
                }
            }
            if (!counted.equals(copied)) {
                throw new SQLException("The H2 1.2 copy lost rows (upgraded copy " + copied + ", H2 1.2 copy " + counted
                        + "); the original file is untouched.");
            }
            Set<String> groups = counted.containsKey("IDN_BASE_TABLE") ? Set.of("carbon", "identity", "idp") : Set.of("carbon");
            ReferenceCheck.Outcome reference = ReferenceCheck.run(legacy, groups);
            if (!reference.unexplained().isEmpty()) {
                throw new SQLException("The H2 1.2 copy differs from WSO2's 4.2.0 h2 script loaded in H2 1.2.140: "
                        + reference.unexplained().stream().map(SchemaDiff.Difference::toString).toList()
                        + ". The original file is untouched.");
            }
            long rows = counted.values().stream().mapToLong(Long::longValue).sum();
            return String.format("checked with H2 %s: %d tables compared with WSO2's 4.2.0 h2 schema, no difference outside"
                    + " the allow-list; %d rows in %d tables, as in the upgraded copy", LegacyH2.VERSION, reference.tablesCompared(), rows, counted.size());
        }
    }

    /** Keeps the original under a new name, then renames the result over it in one step. */
    private Path swap(Path result) throws SQLException {
        Path original = file.legacyFile();
        Path kept = file.sibling(BEFORE_SUFFIX);
        if (Files.exists(kept)) {
            kept = kept.resolveSibling(kept.getFileName() + "." + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now(ZoneOffset.UTC)));
        }
        try {
            try {
                Files.createLink(kept, original);
            } catch (UnsupportedOperationException | IOException noLink) {
                Path partial = kept.resolveSibling(kept.getFileName() + ".partial");
                Files.copy(original, partial, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                Files.move(partial, kept, StandardCopyOption.ATOMIC_MOVE);
            }
            crashPoint("swap");
            try {
                Files.move(result, original, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new SQLException("Cannot replace " + original + " in one step (" + e.getMessage() + "). It is untouched; the"
                        + " upgraded H2 1.2 file is " + result + ": stop here and move it into place yourself.", e);
            }
        } catch (IOException e) {
            throw new SQLException("Cannot put the upgraded file in place of " + original + ": " + e + ". The original is untouched"
                    + " (a copy may be at " + kept + "); the upgraded H2 1.2 file is " + result + ".", e);
        }
        return kept;
    }

    /** H2 1.2's folder of LOB files beside PATH.h2.db. */
    static final String LOBS_SUFFIX = ".lobs.db";

    private static void copyFolder(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) return;
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    /** Carbon 4.0.0 running on this file holds PATH.lock.db; a copy taken now could be torn. */
    private void refuseWhileInUse() throws SQLException {
        if (Files.exists(file.lockFile()) && !Boolean.parseBoolean(GateSettings.value(GateSettings.ALLOW_SESSIONS))) {
            throw new SQLException("carbon-upgrade refused to start; nothing was changed. " + file.lockFile() + " exists: a Carbon"
                    + " server (or another H2 1.2 client) has " + file.legacyFile() + " open. Stop it, then run again. If no"
                    + " server is running, the lock file was left by one that was killed: start and stop that server once"
                    + " (or delete the .lock.db file) and run again.");
        }
    }

    private static boolean exists(Connection c, String sql, Timestamp since) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (since != null) ps.setTimestamp(1, since);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private void deleteWork() throws IOException {
        if (!Files.exists(work)) return;
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private void deleteWorkQuietly() {
        try {
            deleteWork();
        } catch (IOException e) {
            log.accept("carbon-upgrade: could not remove the work folder " + work + " (" + e + "); it may be deleted.");
        }
    }

    private static void crashPoint(String step) {
        if (step.equals(System.getProperty(CRASH_AT))) Runtime.getRuntime().halt(137);
    }

    private static String sqlString(String s) {
        return s.replace("'", "''");
    }
}
