package org.carbonupgrade;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A read run on a second connection while the caller's own reads go on on the first, so their scans overlap instead
 * of adding up (the gate's access snapshot, the verifier's access checkpoint). Only for reads at a point where nothing
 * writes: the caller makes sure of that, and waits for the result before anything changes. Used only where the run's
 * connection settings (the profile with the -Dliquibase.* overrides, as the Maven plugin reads them) reach the very
 * same database as the same user; otherwise, or if it cannot connect, {@link #start} returns null and the caller
 * reads on its own connection as before.
 */
public final class ReadBeside<T> implements AutoCloseable {
    /** The read, on the second connection. */
    public interface Read<T> {
        T on(Connection second) throws SQLException;
    }

    private final Connection second;
    private final CompletableFuture<T> result;
    private final long started = System.nanoTime();
    private long took;
    private long waited;

    /** Whether {@link #close} closes the second connection (false: the caller's, see {@link #on}). */
    private final boolean owned;

    private ReadBeside(Connection second, String what, Read<T> read) {
        this(second, what, read, true);
    }

    private ReadBeside(Connection second, String what, Read<T> read, boolean owned) {
        this.second = second;
        this.owned = owned;
        this.result = CompletableFuture.supplyAsync(() -> {
            try {
                return read.on(second);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            } finally {
                took = (System.nanoTime() - started) / 1_000_000;
            }
        }, r -> {
            Thread t = new Thread(r, "carbon-upgrade " + what);
            t.setDaemon(true);
            t.start();
        });
    }

    /**
     * Starts {@code read} beside {@code c}, or returns null when the settings of {@code profile} do not reach the same
     * database as the same user. {@code read} runs on another thread: whatever it needs from Liquibase's scope (the
     * run's settings) must be resolved by the caller first.
     */
    public static <T> ReadBeside<T> start(Connection c, String profile, String what, Read<T> read) {
        if (profile == null) return null;
        Connection second = null;
        try {
            ConnectionSettings same = ConnectionSettings.forProfile(profile);
            if (!Objects.equals(same.url(), c.getMetaData().getURL())) return null;
            second = same.connect();
            if (!Objects.equals(second.getMetaData().getURL(), c.getMetaData().getURL())
                    || !Objects.equals(second.getMetaData().getUserName(), c.getMetaData().getUserName())
                    || !Objects.equals(second.getCatalog(), c.getCatalog())) {
                second.close();
                return null;
            }
            return new ReadBeside<>(second, what, read);
        } catch (Exception e) {
            // Not the same settings as the Maven plugin's (another cwd, credentials from elsewhere): read inline.
            try {
                if (second != null) second.close();
            } catch (SQLException ignored) {
                // nothing was read on it
            }
            return null;
        }
    }

    /**
     * Starts {@code read} on a connection the caller opened and keeps (staging catch-up: production's connections in the
     * pass's snapshot); {@link #close} waits for the read but leaves the connection open.
     */
    public static <T> ReadBeside<T> on(Connection second, String what, Read<T> read) {
        return new ReadBeside<>(second, what, read, false);
    }

    /** The result, waiting for it if the caller's own reads ended first. */
    public T await() throws SQLException {
        long start = System.nanoTime();
        try {
            T t = result.get();
            waited = (System.nanoTime() - start) / 1_000_000;
            return t;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting for the read on the second connection", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof IllegalStateException && e.getCause().getCause() != null ? e.getCause().getCause() : e.getCause();
            if (cause instanceof SQLException sql) throw sql;
            throw new SQLException("The read on the second connection failed: " + cause, cause);
        }
    }

    /** Whether the read has ended (its result or its failure is there): {@link #await} would not wait. */
    public boolean done() {
        return result.isDone();
    }

    /** Milliseconds the caller waited in {@link #await}: what the read added to its time. */
    public long waited() {
        return waited;
    }

    /** Milliseconds the read itself took, from its start to its end. */
    public long took() {
        return took;
    }

    /** Waits for the read to end (a caller that stopped early does not use it) and closes the second connection. */
    @Override
    public void close() throws SQLException {
        try {
            result.handle((t, e) -> null).join();
        } finally {
            if (owned) second.close();
        }
    }
}
