package org.carbonupgrade.staging;

import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * The replication slots a committed pass no longer needs (SlotScan.committed: the previous pass's, and a final pass's
 * own), dropped on a thread of their own while the verifier reads staging. Dropping them touches production's cluster
 * only, and each takes a connection of its own (about 0.1 s each here), which was on the pass's path between its
 * commit and the verifier. The pass awaits them before it ends, before anything could drop its new slot instead
 * (SlotScan.closeUnlessCommitted, which a committed scan skips).
 */
final class SlotDrops {
    private SlotDrops() {
    }

    static Future<?> start(SlotScan slot, SlotScan.Recorded previous, boolean finalPass) {
        FutureTask<Void> task = new FutureTask<>(() -> slot.committed(previous, finalPass), null);
        Thread thread = new Thread(task, "catch-up: replication slots dropped");
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    /** Waits for the drops (a failure to drop is SlotScan's to log: it never throws). */
    static void await(Future<?> drops) {
        if (drops == null) return;
        boolean interrupted = false;
        while (true) {
            try {
                drops.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("Dropping the pass's replication slots failed: " + e.getCause(), e.getCause());
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
