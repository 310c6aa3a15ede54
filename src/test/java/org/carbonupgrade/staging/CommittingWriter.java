package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import org.carbonupgrade.support.TestDatabase;

/**
 * A writer committing without pause (auto-commit, one transaction per statement) on a connection of its own, for the
 * tests that two connections read one moment while production goes on (SharedSnapshotTest, ExportedSnapshotTest).
 */
final class CommittingWriter implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final Thread thread;

    /** Starts writing: for i = 1, 2, ... the statements {@code round} gives, each committed on its own. */
    CommittingWriter(TestDatabase db, LongFunction<List<String>> round) {
        thread = new Thread(() -> {
            try (Connection w = db.connect(); Statement s = w.createStatement()) {
                for (long i = 1; !stop.get(); i++) {
                    for (String sql : round.apply(i)) s.executeUpdate(sql);
                    written.set(i);
                }
            } catch (Exception e) {
                failures.add(e);
            }
        });
        thread.start();
    }

    /** Waits until {@code n} more rounds have been committed than when called. */
    void awaitMore(long n) throws InterruptedException {
        long before = written.get();
        while (written.get() < before + n) {
            if (!failures.isEmpty()) throw new IllegalStateException("the writer failed: " + failures);
            Thread.sleep(2);
        }
    }

    /** Stops and waits for the writer; fails if it failed. */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join();
        if (!failures.isEmpty()) throw new IllegalStateException("the writer failed: " + failures);
    }
}
