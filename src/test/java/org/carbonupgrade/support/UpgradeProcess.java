package org.carbonupgrade.support;

import java.util.ArrayList;
import java.util.List;

import org.carbonupgrade.Engine;

/** Runs the upgrade in its own JVM, so a test can kill it with SIGKILL as a crash or an impatient operator would. */
public final class UpgradeProcess {
    private UpgradeProcess() {
    }

    public static void main(String[] args) throws Exception {
        TestDatabase db = TestDatabase.existing(Engine.ofProfile(args[0]), args[1], args[2], args[3], args.length > 4 ? args[4] : "");
        Upgrade.of(db).update();
    }

    /**
     * The start of a command line for a test's own JVM: this JVM's java and class path, with the options Maven's JVM
     * gets from .mvn/jvm.config (a run of seconds spends less on the JIT compiler with them: measured about a quarter
     * less CPU time for H2LegacyTest's killed runs).
     */
    public static List<String> javaCommand() {
        return new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")));
    }

    public static Process start(TestDatabase db) throws Exception {
        return start(db, java.util.Map.of());
    }

    /** As {@link #start(TestDatabase)}, with more -D settings for the upgrade (such as carbon.upgrade.chunkSize). */
    public static Process start(TestDatabase db, java.util.Map<String, String> settings) throws Exception {
        List<String> command = javaCommand();
        command.addAll(List.of(
                "-Dcarbon.upgrade.basedir=" + System.getProperty("carbon.upgrade.basedir", "."),
                "-Dcarbon.upgrade.reportDir=" + java.nio.file.Path.of(System.getProperty("carbon.upgrade.reportDir", "target/test-reports"), db.name),
                // The test watches the database from its own session while this process upgrades it.
                "-Dcarbon.upgrade.allowConnectedSessions=true"));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of(UpgradeProcess.class.getName(), db.engine.profile(), db.name, db.url, db.user, db.password));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile(db).toFile()).start();
    }

    /** Where {@link #start} writes the upgrade's output (Liquibase's log included). */
    public static java.nio.file.Path logFile(TestDatabase db) {
        return java.nio.file.Path.of("target", db.name + "-upgrade.log");
    }

    /** A killed client's statement runs on in the server until it notices; a rerun waits for that as an operator would. */
    public static void waitForServerToDropTheSession(TestDatabase db) throws Exception {
        String sql = db.engine == Engine.POSTGRESQL
                ? "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '" + db.name + "' AND pid <> pg_backend_pid()"
                : "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '" + db.name + "' AND ID <> CONNECTION_ID()";
        try (java.sql.Connection c = db.connect()) {
            for (int i = 0; i < 600 && Rows.count(c, sql) > 0; i++) Thread.sleep(100);
        }
    }
}
