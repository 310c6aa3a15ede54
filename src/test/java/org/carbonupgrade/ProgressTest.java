package org.carbonupgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress lines from a fake clock: what is printed, and how often. */
class ProgressTest {

    private long nowNanos;
    private final List<String> lines = new ArrayList<>();

    private Progress progress(String what, long total) {
        return new Progress(what, total, lines::add, () -> nowNanos);
    }

    private void seconds(double s) {
        nowNanos += (long) (s * 1e9);
    }

    @Test
    void lineShowsRowsOfTotalPercentRateAndTimeLeft() {
        Progress p = progress("back-fill UM_HYBRID_USER_ROLE", 2_030_203);
        seconds(5);
        p.advance(120_000);
        assertEquals(List.of("back-fill UM_HYBRID_USER_ROLE: 120,000 of 2,030,203 rows (5.9%), 24,000 rows/s,"
                + " about 1 min 20 s left"), lines);
    }

    @Test
    void logsAtMostEveryFiveSecondsAndOnceAtDone() {
        Progress p = progress("count", 1_000);
        for (int i = 0; i < 10; i++) {
            seconds(1);
            p.advance(10);
        }
        // 10 s passed in 1 s steps: lines at 5 s and 10 s only.
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("count: 50 of 1,000 rows (5.0%), 10 rows/s, about 1 min 35 s left", lines.get(0));
        assertEquals("count: 100 of 1,000 rows (10.0%), 10 rows/s, about 1 min 30 s left", lines.get(1));
        seconds(2);
        p.advance(900);
        p.done();
        p.done();
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("count: done, 1,000 rows in 12 s (83 rows/s)", lines.get(2));
    }

    @Test
    void quickStepPrintsOnlyTheDoneLine() {
        Progress p = progress("checkpoint", 3);
        p.advance(3);
        seconds(0.4);
        p.done();
        assertEquals(List.of("checkpoint: done, 3 rows in 0 s (8 rows/s)"), lines);
    }

    @Test
    void unknownTotalPrintsRowsAndRateWithoutEstimate() {
        Progress p = progress("scan", 0);
        seconds(5);
        p.advance(500);
        assertEquals(List.of("scan: 500 rows, 100 rows/s"), lines);
    }

    @Test
    void linesNameTheUnitCounted() {
        List<String> tables = new ArrayList<>();
        Progress p = new Progress("gate: counting", 40, "tables", tables::add);
        p.advance(40);
        p.done();
        assertEquals(1, tables.size(), tables.toString());
        assertEquals(true, tables.get(0).startsWith("gate: counting: done, 40 tables in "), tables.get(0));
    }

    @Test
    void durationsReadAsAnOperatorWouldSayThem() {
        assertEquals("45 s", Progress.duration(45_000_000_000L));
        assertEquals("1 min 20 s", Progress.duration(80_000_000_000L));
        assertEquals("2 h 5 min", Progress.duration(7_500_000_000_000L));
    }
}
