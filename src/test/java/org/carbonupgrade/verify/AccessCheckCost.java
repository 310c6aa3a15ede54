package org.carbonupgrade.verify;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import org.carbonupgrade.access.AccessSnapshot;
import org.carbonupgrade.access.RealmNames;
import org.carbonupgrade.bench.ServerCpu;
import org.carbonupgrade.schema.SchemaReader;

/**
 * The verifier's access checkpoint run again and again on an upgraded PostgreSQL database, with the work it costs
 * rather than its wall time (as bench/AccessSnapshotCost for the gate's snapshot): CPU time of the JVM thread and of
 * the server process (bench/ServerCpu). Arguments: the untouched 4.0.x database's JDBC URL, the upgraded one's,
 * user, repetitions. It first replaces the upgraded database's stored snapshot (CARBON_UPGRADE_ACCESS) by one taken
 * now from the 4.0.x database with this build, so two builds can be compared on the same pair of copies; otherwise
 * only reads. Not a test; docs/benchmark.md.
 */
public final class AccessCheckCost {
    private AccessCheckCost() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection seed = DriverManager.getConnection(args[0], args[2], "");
             Connection c = DriverManager.getConnection(args[1], args[2], "")) {
            AccessSnapshot snapshot = AccessSnapshot.take(seed, RealmNames.current());
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM " + AccessSnapshot.TABLE);
            }
            snapshot.store(c, "cost");
            ServerCpu server = ServerCpu.of(c);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (int i = 0; i < Integer.parseInt(args[3]); i++) {
                long wall = System.nanoTime();
                long java = threads.getCurrentThreadCpuTime();
                long db = server.millis();
                Checkpoint cp = AccessEquivalence.check(c, new SchemaReader(c).tableNames());
                String time = cp.details.stream().filter(d -> d.startsWith("time:")).findFirst().orElse("");
                System.out.printf("wall %d ms, java cpu %d ms, server cpu %d ms, %s (%s)%n", (System.nanoTime() - wall) / 1_000_000,
                        (threads.getCurrentThreadCpuTime() - java) / 1_000_000, server.millis() - db, cp.status, time);
            }
        }
    }
}
