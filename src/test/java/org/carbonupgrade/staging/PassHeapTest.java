package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.Test;

/**
 * The catch-up command's heap room (PassHeap): with .mvn/jvm.config's ratios (10-30%, set here in this test JVM as
 * Maven's JVM starts with them), the pass raises them to HotSpot's defaults for itself; the property keeps them.
 * No database: the ratios are the JVM's own. Restores the ratios it found.
 */
class PassHeapTest {
    private static final HotSpotDiagnosticMXBean VM = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    private static int option(String name) {
        return Integer.parseInt(VM.getVMOption(name).getValue());
    }

    private static void ratios(int min, int max) {
        if (max >= option("MinHeapFreeRatio")) {
            VM.setVMOption("MaxHeapFreeRatio", Integer.toString(max));
            VM.setVMOption("MinHeapFreeRatio", Integer.toString(min));
        } else {
            VM.setVMOption("MinHeapFreeRatio", Integer.toString(min));
            VM.setVMOption("MaxHeapFreeRatio", Integer.toString(max));
        }
    }

    @Test
    void jvmConfigsRatiosAreRaisedForThePassOnly() {
        int min = option("MinHeapFreeRatio");
        int max = option("MaxHeapFreeRatio");
        try {
            ratios(10, 30); // .mvn/jvm.config's, as Maven's JVM runs the pass
            String done = PassHeap.roomier();
            assertNotNull(done, "the ratios were left at jvm.config's");
            assertTrue(done.contains("10-30% -> 40-70%"), done);
            assertEquals(PassHeap.MIN_FREE, option("MinHeapFreeRatio"));
            assertEquals(PassHeap.MAX_FREE, option("MaxHeapFreeRatio"));
            assertNull(PassHeap.roomier(), "already roomy: nothing to change");

            ratios(10, 30);
            System.setProperty(PassHeap.PROPERTY, "false");
            try {
                assertNull(PassHeap.roomier());
                assertEquals(10, option("MinHeapFreeRatio"));
                assertEquals(30, option("MaxHeapFreeRatio"));
            } finally {
                System.clearProperty(PassHeap.PROPERTY);
            }
            assertTrue(PassHeap.collections().contains("garbage collections"), PassHeap.collections());
        } finally {
            ratios(min, max);
        }
    }
}
