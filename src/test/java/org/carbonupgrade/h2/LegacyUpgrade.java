package org.carbonupgrade.h2;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.resource.DirectoryResourceAccessor;

import org.carbonupgrade.gate.GateSettings;
import org.carbonupgrade.support.Upgrade;
import org.carbonupgrade.support.UpgradeProcess;

/**
 * Runs the update the way the Maven plugin opens an H2 URL (DatabaseFactory.openDatabase, so Liquibase picks its
 * connection type by URL and a Carbon H2 1.2 file gets LegacyH2Connection), in this JVM or in its own (main) so a
 * test can kill it.
 */
final class LegacyUpgrade {
    private LegacyUpgrade() {
    }

    static void update(String url, String user, String password) throws Exception {
        update(url, user, password, false);
    }

    static void update(String url, String user, String password, boolean identityServer) throws Exception {
        Path basedir = Path.of(System.getProperty("carbon.upgrade.basedir", "."));
        Map<String, Object> settings = new HashMap<>();
        settings.put(GateSettings.ENGINE, "h2");
        settings.put(GateSettings.PRODUCT, identityServer ? "is" : "carbon");
        settings.put(GateSettings.BACKUP, "/backups/test-legacy-h2.zip");
        Scope.child(settings, () -> {
            DirectoryResourceAccessor files = new DirectoryResourceAccessor(basedir);
            Database database = DatabaseFactory.getInstance().openDatabase(url, user, password, null, files);
            try (Liquibase liquibase = new Liquibase(Upgrade.CHANGELOG, files, database)) {
                liquibase.update(new Contexts(identityServer ? "carbon,is" : "carbon"), new LabelExpression());
            }
        });
    }

    /** Arguments: url user password. */
    public static void main(String[] args) throws Exception {
        update(args[0], args[1], args[2]);
    }

    /** The update in its own JVM; crashAt (up, down, swap or null) halts it there as SIGKILL would. */
    static Process start(String url, String user, String password, String crashAt, Path log) throws Exception {
        java.util.List<String> command = UpgradeProcess.javaCommand();
        command.addAll(java.util.List.of("-Dcarbon.upgrade.basedir=" + System.getProperty("carbon.upgrade.basedir", "."),
                "-D" + LegacyH2Session.CRASH_AT + "=" + (crashAt == null ? "" : crashAt),
                LegacyUpgrade.class.getName(), url, user, password));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
