package org.carbonupgrade.change;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.function.Consumer;

import org.carbonupgrade.Progress;

/**
 * The chunk loop of a back-fill (ChunkedBackfill) and of PostgreSQL's copy of UM_HYBRID_USER_ROLE (CopyHybridUserRole): a
 * statement ending in {@code UM_ID >= ? AND UM_ID < ?} run over consecutive key ranges in key order, each range committed
 * on its own, with progress lines and a summary line naming the longest chunk (the longest transaction, which issue 15
 * bounds: locks, undo, replication lag).
 */
final class KeyRangeChunks {
    private KeyRangeChunks() {
    }

    /**
     * Runs {@code statement} from key {@code from} (null: nothing left) to {@code last}; {@code first} and {@code last} are
     * the table's key range, {@code count} its rows (counted once; each chunk's share is estimated by its key range).
     * {@code next} finds the first key at or after its parameter. {@code verb} says what the statement did to the rows.
     */
    static void run(String what, String verb, PreparedStatement statement, PreparedStatement next, long first, long last, Long from,
                    int chunkSize, long count, Consumer<String> log) throws SQLException {
        Connection connection = statement.getConnection();
        long span = last - first + 1;
        long width = keysPerChunk(chunkSize, count, span);
        Progress progress = new Progress(what, count, log);
        long covered = from == null ? count : Math.round(count * ((double) (from - first) / span));
        progress.advance(covered);
        long rows = 0;
        long chunks = 0;
        long longestMillis = 0;
        Long lo = from;
        while (lo != null && lo <= last) {
            long hi = Math.min(lo + width, last + 1);
            statement.setLong(1, lo);
            statement.setLong(2, hi);
            long started = System.nanoTime();
            rows += statement.executeUpdate();
            if (!connection.getAutoCommit()) connection.commit();
            longestMillis = Math.max(longestMillis, (System.nanoTime() - started) / 1_000_000);
            chunks++;
            long nowCovered = Math.round(count * ((double) (hi - first) / span));
            progress.advance(nowCovered - covered);
            covered = nowCovered;
            lo = nextKey(next, hi);
        }
        progress.advance(count - covered);
        progress.done();
        log.accept(String.format(Locale.ROOT, "%s: %,d rows %s in %,d %s of about %,d rows (%,d keys of UM_ID each), longest chunk %,d ms",
                what, rows, verb, chunks, chunks == 1 ? "chunk" : "chunks", Math.min(count, Math.round(width * (double) count / span)), width,
                longestMillis));
    }

    /**
     * How many UM_ID values make a chunk of about {@code rows} rows. 4.0.x fills UM_ID from a sequence or identity,
     * one value per row; a database whose ids were written explicitly (restores, tenant imports, our own
     * seeder) may repeat a value once per tenant, since the key is (UM_ID, UM_TENANT_ID). The rows per key seen
     * over the whole range keep the chunks near the size asked for either way; a chunk is never less than one
     * key, so it is bounded by the number of tenants.
     */
    static long keysPerChunk(long rows, long count, long span) {
        return Math.max(1, (long) Math.floor(rows * (double) span / Math.max(1, count)));
    }

    /** The next key at or after {@code from}: skips gaps in UM_ID (deleted tenants) in one index probe. */
    static Long nextKey(PreparedStatement next, long from) throws SQLException {
        next.setLong(1, from);
        try (ResultSet rs = next.executeQuery()) {
            rs.next();
            long key = rs.getLong(1);
            return rs.wasNull() ? null : key;
        }
    }
}
