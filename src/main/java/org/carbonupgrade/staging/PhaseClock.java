package org.carbonupgrade.staging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Wall time per step of a catch-up pass, summed over tables, for the pass's log: docs/benchmark.md reports where a
 * pass spends its time, and a loaded machine makes whole-pass times alone hard to compare between two designs.
 */
final class PhaseClock {
    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private long mark = System.nanoTime();

    /** Adds the time since the previous call (or since this clock was made) to {@code step}. */
    void lap(String step) {
        long now = System.nanoTime();
        nanos.merge(step, now - mark, Long::sum);
        mark = now;
    }

    /** Starts the next lap now without charging the time since the last one to any step. */
    void restart() {
        mark = System.nanoTime();
    }

    @Override
    public String toString() {
        return nanos.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() / 1_000_000 + " ms").collect(Collectors.joining(", "));
    }
}
