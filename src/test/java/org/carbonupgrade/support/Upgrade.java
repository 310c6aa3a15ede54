package org.carbonupgrade.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;

import org.carbonupgrade.gate.GateSettings;

/** Runs the project's master changelog in process, exactly as the Maven plugin does (same file, same contexts). */
public final class Upgrade {
    public static final String CHANGELOG = "changelogs/carbon-upgrade.xml";

    private final TestDatabase db;
    private final Map<String, Object> settings = new HashMap<>();
    private String contexts = "carbon";

    private Upgrade(TestDatabase db) {
        this.db = db;
        settings.put(GateSettings.ENGINE, db.engine.profile());
        settings.put(GateSettings.PRODUCT, "carbon");
        settings.put(GateSettings.BACKUP, "/backups/test-" + db.name + ".dump");
    }

    public static Upgrade of(TestDatabase db) {
        return new Upgrade(db);
    }

    public Upgrade identityServer() {
        contexts = "carbon,is";
        settings.put(GateSettings.PRODUCT, "is");
        return this;
    }

    public Upgrade set(String key, Object value) {
        if (value == null) settings.remove(key); else settings.put(key, value);
        return this;
    }

    public void update() throws Exception {
        update(Integer.MAX_VALUE);
    }

    /** Applies at most this many changesets, as if the run had stopped there. */
    public void update(int changesets) throws Exception {
        run(liquibase -> {
            if (changesets == Integer.MAX_VALUE) liquibase.update(new Contexts(contexts), new LabelExpression());
            else liquibase.update(changesets, new Contexts(contexts), new LabelExpression());
        });
    }

    /** The position a changeset ran at in a run from 4.0.0 on, to stop another database's run before or at it ({@link #update(int)}). */
    public static long orderExecuted(TestDatabase db, String changeSetId) throws Exception {
        try (Connection c = db.connect()) {
            return Rows.count(c, "SELECT ORDEREXECUTED FROM DATABASECHANGELOG WHERE ID = '" + changeSetId + "'");
        }
    }

    public interface Action {
        void run(Liquibase liquibase) throws Exception;
    }

    public void run(Action action) throws Exception {
        Path basedir = Path.of(System.getProperty("carbon.upgrade.basedir", "."));
        Scope.child(settings, () -> {
            try (Connection c = db.connect()) {
                Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
                try (Liquibase liquibase = new Liquibase(CHANGELOG, new DirectoryResourceAccessor(basedir), database)) {
                    action.run(liquibase);
                }
            }
        });
    }
}
