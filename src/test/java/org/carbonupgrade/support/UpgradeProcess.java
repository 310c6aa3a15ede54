package org.carbonupgrade.support;

import org.carbonupgrade.Engine;

/** Runs the upgrade in its own JVM, so a test can kill it with SIGKILL as a crash or an impatient operator would. */
public final class UpgradeProcess {
    private UpgradeProcess() {
    }

    public static void main(String[] args) throws Exception {
        TestDatabase db = TestDatabase.existing(Engine.ofProfile(args[0]), args[1], args[2], args[3], args.length > 4 ? args[4] : "");
        Upgrade.of(db).update();
    }

    public static Process start(TestDatabase db) throws Exception {
        String javaBinary = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"),
                "-Dcarbon.upgrade.basedir=" + System.getProperty("carbon.upgrade.basedir", "."),
                "-Dcarbon.upgrade.reportDir=" + java.nio.file.Path.of(System.getProperty("carbon.upgrade.reportDir", "target/test-reports"), db.name),
                // The test watches the database from its own session while this process upgrades it.
                "-Dcarbon.upgrade.allowConnectedSessions=true",
                UpgradeProcess.class.getName(), db.engine.profile(), db.name, db.url, db.user, db.password)
                .redirectErrorStream(true).redirectOutput(java.nio.file.Path.of("target", db.name + "-upgrade.log").toFile()).start();
    }
}
