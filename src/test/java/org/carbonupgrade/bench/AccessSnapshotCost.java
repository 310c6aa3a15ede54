package org.carbonupgrade.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.DriverManager;

import org.carbonupgrade.access.AccessSnapshot;
import org.carbonupgrade.access.RealmNames;

/**
 * The gate's access snapshot taken again and again on an untouched 4.0.x PostgreSQL database (arguments: JDBC URL,
 * user, repetitions), with the work it costs rather than its wall time, which on a machine shared with others moves
 * by a factor of three: the CPU time of the thread taking it and of the server process answering it, read from
 * /proc (run it on the database server's host), with parallel workers off so that process does all of the server's
 * work. The first repetition runs on a cold JVM, as in an upgrade. Only reads. Not a test; docs/benchmark.md.
 */
public final class AccessSnapshotCost {
    private AccessSnapshotCost() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0], args[1], "")) {
            ServerCpu server = ServerCpu.of(c);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (int i = 0; i < Integer.parseInt(args[2]); i++) {
                long wall = System.nanoTime();
                long java = threads.getCurrentThreadCpuTime();
                long db = server.millis();
                AccessSnapshot s = AccessSnapshot.take(c, RealmNames.current());
                System.out.printf("wall %d ms, java cpu %d ms, server cpu %d ms (%s)%n", (System.nanoTime() - wall) / 1_000_000,
                        (threads.getCurrentThreadCpuTime() - java) / 1_000_000, server.millis() - db, s.timings);
            }
        }
    }
}
