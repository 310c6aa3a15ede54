package org.carbonupgrade.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The CPU time of the PostgreSQL backend serving a connection, read from /proc (run on the database server's host),
 * with parallel workers off on that connection so its backend does all of the server's work: what a query costs,
 * which on a machine shared with others moves far less than its wall time. For the cost drivers (AccessSnapshotCost,
 * verify/AccessCheckCost); not a test.
 */
public final class ServerCpu {
    private final int pid;

    private ServerCpu(int pid) {
        this.pid = pid;
    }

    public static ServerCpu of(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET max_parallel_workers_per_gather = 0");
            try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                return new ServerCpu(rs.getInt(1));
            }
        }
    }

    /** utime + stime of the backend in milliseconds (fields 14 and 15 of /proc/PID/stat, clock ticks of 10 ms on Linux). */
    public long millis() throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(") ") + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }
}
