package org.carbonupgrade.staging;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * The catch-up pass's heap growth. {@code .mvn/jvm.config} starts every Maven command with {@code -XX:MinHeapFreeRatio=10
 * -XX:MaxHeapFreeRatio=30}, chosen for the in-place upgrade's peak RSS at 10M hybrid rows (issue 15; docs/benchmark.md
 * "Peak RSS at 10M hybrid rows"): after each full collection the old generation grows only until 10% of it is free. A
 * pass keeps 35-60 MB live (production's access snapshot, the compare's maps, Maven's own), so with that little room every
 * batch of promoted objects filled the old generation again: 11-12 full collections per pass with the 10,500 changes, each
 * 60-290 ms stop-the-world on the pass's critical path (-Xlog:gc, docs/benchmark.md). Both ratios are manageable HotSpot
 * options, which a running JVM may change: the catch-up command sets them back to HotSpot's defaults (40 and 70) for
 * itself only, so its old generation grows with its live set as any JVM's would. The in-place upgrade never runs this
 * class: its heap settings, and so its peak RSS, are unchanged. {@value #PROPERTY}=false keeps jvm.config's ratios.
 */
final class PassHeap {
    static final String PROPERTY = "carbon.upgrade.catchup.heapRoom";
    static final int MIN_FREE = 40;
    static final int MAX_FREE = 70;

    private PassHeap() {
    }

    /**
     * Raises the free ratios for the rest of this JVM where they are below HotSpot's defaults; returns what it did, for the
     * log, or null when nothing changed (a JVM without the options, the property set to false, ratios already as roomy).
     */
    static String roomier() {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) return null;
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (vm == null) return null;
            int min = Integer.parseInt(vm.getVMOption("MinHeapFreeRatio").getValue());
            int max = Integer.parseInt(vm.getVMOption("MaxHeapFreeRatio").getValue());
            if (min >= MIN_FREE && max >= MAX_FREE) return null;
            // The maximum first: HotSpot refuses a minimum above the current maximum.
            if (max < MAX_FREE) vm.setVMOption("MaxHeapFreeRatio", Integer.toString(MAX_FREE));
            if (min < MIN_FREE) vm.setVMOption("MinHeapFreeRatio", Integer.toString(MIN_FREE));
            return "heap free ratios " + min + "-" + max + "% -> " + Math.max(min, MIN_FREE) + "-" + Math.max(max, MAX_FREE)
                    + "% for this pass (" + PROPERTY + "=false keeps them)";
        } catch (RuntimeException e) {
            // Another JVM (no HotSpot options) or a refused value: the pass runs as before, only with more collections.
            return null;
        }
    }

    /** The collections so far and their total time, for the pass's log (what the ratios are for). */
    static String collections() {
        long count = 0;
        long millis = 0;
        StringBuilder each = new StringBuilder();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getCollectionCount() <= 0) continue;
            count += gc.getCollectionCount();
            millis += gc.getCollectionTime();
            each.append(each.length() == 0 ? "" : ", ").append(gc.getName()).append(' ').append(gc.getCollectionCount())
                    .append(" in ").append(gc.getCollectionTime()).append(" ms");
        }
        Runtime r = Runtime.getRuntime();
        return String.format(Locale.ROOT, "%d garbage collections, %d ms (%s); heap now %d MB of %d MB", count, millis, each,
                (r.totalMemory() - r.freeMemory()) >> 20, r.totalMemory() >> 20);
    }
}
