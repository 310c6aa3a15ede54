package org.carbonupgrade.staging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Wall time per step of a catch-up pass, summed over tables, for the pass's log: docs/benchmark.md reports where a
 * pass spends its time, and a loaded machine makes whole-pass times alone hard to compare between two designs. With
 * a counter ({@link #counting}: on MariaDB, -Dcarbon.upgrade.catchup.pageReads=true, the server's pages read from
 * disk) each step also shows how much of that counter it took.
 */
final class PhaseClock {
    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private final Map<String, Long> counted = new LinkedHashMap<>();
    private long mark = System.nanoTime();
    private LongSupplier counter;
    private long counterMark;

    /** Also charges each step with what {@code counter} rose by (a value read from the database: only for measuring). */
    void counting(LongSupplier counter) {
        this.counter = counter;
        counterMark = counter.getAsLong();
    }

    /** Adds the time since the previous call (or since this clock was made) to {@code step}. */
    void lap(String step) {
        long now = System.nanoTime();
        nanos.merge(step, now - mark, Long::sum);
        if (counter != null) {
            long c = counter.getAsLong();
            counted.merge(step, c - counterMark, Long::sum);
            counterMark = c;
        }
        mark = System.nanoTime();
    }

    /** Starts the next lap now without charging the time since the last one to any step. */
    void restart() {
        mark = System.nanoTime();
        if (counter != null) counterMark = counter.getAsLong();
    }

    @Override
    public String toString() {
        return nanos.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() / 1_000_000 + " ms"
                + (counted.containsKey(e.getKey()) ? " (" + counted.get(e.getKey()) + " pages read)" : "")).collect(Collectors.joining(", "));
    }
}
