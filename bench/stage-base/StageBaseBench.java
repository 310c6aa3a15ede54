import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.carbonupgrade.Engine;
import org.carbonupgrade.staging.BaseTables;
import org.carbonupgrade.staging.StageBase;
import org.carbonupgrade.staging.StagedTable;
import org.carbonupgrade.staging.StagedTables;

/**
 * Times the stage's base recording alone on a copy of a seed (bench/stage-base/run.sh), with whichever build of the
 * tool is on the class path, so two builds are compared on the same data. It drops and re-creates only the stage's
 * own tables; the Carbon tables are only read. The staging side is recorded on the same 4.0.0 tables (no upgrade in
 * between): the same number of rows into the same base table, which is what is timed.
 * Usage: java -cp <classes>:<deps> bench/stage-base/StageBaseBench.java <jdbc-url> <user>
 */
public class StageBaseBench {
    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0], args[1], "")) {
            Engine engine = Engine.of(c);
            try (Statement s = c.createStatement()) {
                for (String t : List.of("CARBON_UPGRADE_BASE_SUMMARY", "CARBON_UPGRADE_BASE_ROW", "CARBON_UPGRADE_STAGE_TABLE", "CARBON_UPGRADE_STAGE")) {
                    s.execute("DROP TABLE IF EXISTS " + t);
                }
            }
            c.setAutoCommit(false);
            BaseTables.create(c, engine);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + BaseTables.STAGE + " (STAGE_ID, STATE, HOW, STARTED_AT) VALUES ('bench', ?, 'RESTORED', ?)")) {
                ps.setString(1, BaseTables.COPYING);
                ps.setTimestamp(2, Timestamp.from(Instant.now()));
                ps.executeUpdate();
            }
            c.commit();
            List<StagedTable> tables = StagedTables.of(c, engine, false);
            long start = System.nanoTime();
            long p = StageBase.recordProductionSide(c, engine, tables);
            c.commit();
            long mid = System.nanoTime();
            long s = StageBase.recordStagingSide(c, engine);
            c.commit();
            long end = System.nanoTime();
            System.out.printf("production side: %d rows %.1f s; staging side: %d rows %.1f s%n", p, (mid - start) / 1e9, s, (end - mid) / 1e9);
        }
    }
}
