package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.carbonupgrade.Engine;
import org.carbonupgrade.ReadBeside;

/**
 * MariaDB/MySQL: reads the base-row pages a catch-up pass's base refresh is about to rewrite, on connections of their
 * own a little ahead of it, so the refresh finds them in the buffer pool instead of waiting for one disk read after the
 * other. The base table (CARBON_UPGRADE_BASE_ROW) holds a row per production row and side, GBs at 1M users, against
 * the server's default 128 MiB buffer pool: each key the refresh rewrites costs a read of its primary-key page and of
 * the bucket index's page where its old entry is and where its new one goes, nearly always from disk (docs/benchmark.md
 * "MariaDB catch-up pass: the apply"). Reading them on two more connections keeps more than one read in flight.
 *
 * <p>Only reads, of committed rows, by statements whose results are thrown away: the refresh (in the pass's
 * transaction) reads and writes the same rows as it would without them. A failure here is logged and changes nothing
 * but the time. The readers stay at most {@link #AHEAD} keys ahead of the refresh, so what they read is still in the
 * pool when the refresh gets there.
 */
final class BaseWarmer implements AutoCloseable {
    /** Keys a reader may run ahead of the refresh: about 3 pages a key, a third of the default pool. */
    static final int AHEAD = 1000;
    /** Keys per read statement. */
    static final int CHUNK = 250;
    /** Readers. */
    static final int READERS = 2;

    /** Measuring only: -D{@value}=false leaves the refresh to read its pages itself, as before. */
    static final String SWITCH = "carbon.upgrade.catchup.readAhead";

    /** One side's base rows of one table to read: keys, and the bucket-index entries (bucket, hash) old and new. */
    record Chunk(char side, String table, List<String> keys, List<long[]> entries, long start) {
    }

    private final List<Chunk> chunks;
    private final List<ReadBeside<Integer>> readers = new ArrayList<>();
    private final Object lock = new Object();
    /** Keys the refresh has rewritten so far. */
    private long consumed;
    private volatile boolean closed;

    private BaseWarmer(List<Chunk> chunks) {
        this.chunks = chunks;
    }

    /** A plan of what to read, in the refresh's order. */
    static final class Plan {
        private final List<Chunk> chunks = new ArrayList<>();
        private long keys;

        /**
         * One side of one table: its keys, and per key the bucket-index entries {bucket, hash} the refresh removes or
         * adds (the old row's, the new row's; none where unknown).
         */
        void add(char side, String table, List<String> tableKeys, List<List<long[]>> entries) {
            for (int from = 0; from < tableKeys.size(); from += CHUNK) {
                int to = Math.min(tableKeys.size(), from + CHUNK);
                List<long[]> e = new ArrayList<>();
                for (List<long[]> perKey : entries.subList(from, to)) e.addAll(perKey);
                chunks.add(new Chunk(StageBase.side(side), table, tableKeys.subList(from, to), e, keys + from));
            }
            keys += tableKeys.size();
        }

        long keys() {
            return keys;
        }
    }

    /** Starts the readers, or returns null (not MySQL/MariaDB, nothing to read, or no second connection to staging). */
    static BaseWarmer start(Connection staging, Engine engine, Plan plan) {
        if (engine != Engine.MYSQL || plan.chunks.isEmpty() || "false".equals(System.getProperty(SWITCH))) return null;
        BaseWarmer w = new BaseWarmer(plan.chunks);
        for (int r = 0; r < READERS; r++) {
            int first = r;
            ReadBeside<Integer> reader = ReadBeside.start(staging, engine.profile(), "catch-up: base pages ahead of the refresh " + r,
                    second -> w.read(second, first));
            if (reader == null) break;
            w.readers.add(reader);
        }
        if (w.readers.isEmpty()) return null;
        return w;
    }

    /** The refresh has rewritten {@code keys} more keys. */
    void consumed(long keys) {
        synchronized (lock) {
            consumed += keys;
            lock.notifyAll();
        }
    }

    /** Reader {@code first}: every {@value #READERS}-th chunk from its first; returns the chunks it read. */
    private int read(Connection c, int first) throws SQLException {
        int read = 0;
        for (int i = first; i < chunks.size(); i += READERS) {
            Chunk chunk = chunks.get(i);
            synchronized (lock) {
                while (!closed && chunk.start() > consumed + AHEAD) {
                    try {
                        lock.wait(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return read;
                    }
                }
            }
            if (closed) return read;
            touch(c, chunk);
            read++;
        }
        return read;
    }

    /** Reads a chunk's primary-key pages and bucket-index pages; the results are not used. */
    private static void touch(Connection c, Chunk chunk) throws SQLException {
        String where = " WHERE SIDE = '" + chunk.side() + "' AND TABLE_NAME = ? AND ";
        if (!chunk.keys().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT SUM(ROW_HASH) FROM " + BaseTables.ROWS + " FORCE INDEX (PRIMARY)" + where
                    + "ROW_KEY IN (" + String.join(", ", Collections.nCopies(chunk.keys().size(), "?")) + ")")) {
                ps.setString(1, chunk.table());
                for (int i = 0; i < chunk.keys().size(); i++) ps.setString(2 + i, chunk.keys().get(i));
                drain(ps);
            }
        }
        if (!chunk.entries().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + BaseTables.ROWS + " FORCE INDEX (" + BaseTables.BUCKET_INDEX + ")"
                    + where + "(" + String.join(" OR ", Collections.nCopies(chunk.entries().size(), "(BUCKET = ? AND ROW_HASH = ?)")) + ")")) {
                ps.setString(1, chunk.table());
                int p = 2;
                for (long[] e : chunk.entries()) {
                    ps.setInt(p++, (int) e[0]);
                    ps.setLong(p++, e[1]);
                }
                drain(ps);
            }
        }
    }

    private static void drain(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rs.getLong(1);
            }
        }
    }

    /** Stops the readers (a reader in a statement finishes it) and closes their connections; says what they did. */
    String finish() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        StringBuilder out = new StringBuilder();
        for (ReadBeside<Integer> r : readers) {
            try {
                int n = r.await();
                out.append(out.length() == 0 ? "" : ", ").append(n).append(" chunks in ").append(r.took()).append(" ms");
            } catch (SQLException e) {
                out.append(out.length() == 0 ? "" : ", ").append("failed: ").append(org.carbonupgrade.audit.SafeText.line(e.getMessage()));
            }
            try {
                r.close();
            } catch (SQLException ignored) {
                // only read on it
            }
        }
        readers.clear();
        return out.toString();
    }

    @Override
    public void close() {
        if (!readers.isEmpty()) finish();
    }
}
