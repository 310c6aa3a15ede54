package org.carbonupgrade;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Sign of life for a long step (back-fill, counting, verification): rows done of the total, the rate and an
 * estimate of the time left, written through {@code log} at most every {@link #INTERVAL_NANOS} and once more
 * when the step is done. An operator watching Maven's log of a 20-minute back-fill can tell "working, about
 * 3 min left" from "hung".
 *
 * <p>Example line: {@code back-fill UM_HYBRID_USER_ROLE: 120,000 of 2,030,203 rows (5.9%), 24,000 rows/s,
 * about 1 min 20 s left}.
 *
 * <p>Not thread-safe: one step advances its own instance.
 */
public final class Progress {

    /** At most one line per 5 s: often enough to show life, rare enough not to flood Maven's log. */
    static final long INTERVAL_NANOS = 5_000_000_000L;

    private final String what;
    private final String unit;
    private final long total;
    private final Consumer<String> log;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private long lastLogNanos;
    private long done;
    private boolean finished;

    public Progress(String what, long total, Consumer<String> log) {
        this(what, total, "rows", log);
    }

    /** Counts something other than rows ("tables"): the lines name that unit instead. */
    public Progress(String what, long total, String unit, Consumer<String> log) {
        this(what, total, unit, log, System::nanoTime);
    }

    /** For tests: {@code nanoClock} replaces {@link System#nanoTime()} so the lines are deterministic. */
    Progress(String what, long total, Consumer<String> log, LongSupplier nanoClock) {
        this(what, total, "rows", log, nanoClock);
    }

    private Progress(String what, long total, String unit, Consumer<String> log, LongSupplier nanoClock) {
        this.what = Objects.requireNonNull(what, "what");
        this.unit = Objects.requireNonNull(unit, "unit");
        this.total = Math.max(0, total);
        this.log = Objects.requireNonNull(log, "log");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.startNanos = nanoClock.getAsLong();
        this.lastLogNanos = startNanos;
    }

    /** Counts {@code rows} more rows done; logs a line if the last one is at least 5 s old. */
    public void advance(long rows) {
        done += Math.max(0, rows);
        long now = nanoClock.getAsLong();
        if (!finished && now - lastLogNanos >= INTERVAL_NANOS) {
            lastLogNanos = now;
            log.accept(line(now));
        }
    }

    /** Logs the final line (rows done, overall rate, time taken) once; later calls do nothing. */
    public void done() {
        if (finished) {
            return;
        }
        finished = true;
        long now = nanoClock.getAsLong();
        long elapsed = now - startNanos;
        log.accept(String.format(Locale.ROOT, "%s: done, %s %s in %s (%s %s/s)",
                what, grouped(done), unit, duration(elapsed), grouped(rate(done, elapsed)), unit));
    }

    public long rowsDone() {
        return done;
    }

    private String line(long now) {
        long elapsed = now - startNanos;
        long rate = rate(done, elapsed);
        StringBuilder text = new StringBuilder(what).append(": ").append(grouped(done));
        if (total > 0) {
            text.append(" of ").append(grouped(total)).append(' ').append(unit).append(" (")
                    .append(String.format(Locale.ROOT, "%.1f%%", 100.0 * Math.min(done, total) / total))
                    .append(')');
        } else {
            text.append(' ').append(unit);
        }
        text.append(", ").append(grouped(rate)).append(' ').append(unit).append("/s");
        if (total > 0 && rate > 0 && done < total) {
            long leftNanos = (long) ((total - done) / (double) rate * 1e9);
            text.append(", about ").append(duration(leftNanos)).append(" left");
        }
        return text.toString();
    }

    private static long rate(long rows, long elapsedNanos) {
        return elapsedNanos <= 0 ? 0 : Math.round(rows * 1e9 / elapsedNanos);
    }

    static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** "45 s", "1 min 20 s", "2 h 5 min": rounded to whole seconds (minutes above an hour). */
    static String duration(long nanos) {
        long s = Math.round(nanos / 1e9);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        long min = Math.round(s / 60.0);
        return (min / 60) + " h " + (min % 60) + " min";
    }
}
