package org.carbonupgrade.staging;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.carbonupgrade.ConnectionSettings;
import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;

/**
 * A production 4.0.0 Identity Server database (Fixtures) and its staged, upgraded copy, as the catch-up tests start
 * from: staged by the stage command's copy, or as from a restored dump (docs/staging.md); then the normal upgrade,
 * whose last changeset records the staging side of the base.
 */
final class StagedPair {
    final Engine engine;
    final TestDatabase production;
    final TestDatabase staging;

    private StagedPair(Engine engine, TestDatabase production, TestDatabase staging) {
        this.engine = engine;
        this.production = production;
        this.staging = staging;
    }

    /** Staged by the stage command's copy (Stage, as exec:java@stage runs it), then upgraded. */
    static StagedPair copied(Engine engine, String name) throws Exception {
        TestDatabase production = Fixtures.identity40(engine, name + "_prod_" + engine.profile());
        TestDatabase staging = TestDatabase.fresh(engine, name + "_stage_" + engine.profile());
        new Stage(new Stage.Settings(engine, true, settings(production), settings(staging)), line -> System.out.println("[stage] " + line)).run();
        Upgrade.of(staging).identityServer().update();
        return new StagedPair(engine, production, staging);
    }

    /** Staged from a restored dump: the same deterministic seeding as production, its base recorded, then upgraded. */
    static StagedPair restored(Engine engine, String name) throws Exception {
        StagedPair pair = restoredNotUpgraded(engine, name);
        Upgrade.of(pair.staging).identityServer().update();
        return pair;
    }

    /** As {@link #restored}, stopped before the upgrade: the stage is STAGED, the production side recorded. */
    static StagedPair restoredNotUpgraded(Engine engine, String name) throws Exception {
        TestDatabase production = Fixtures.identity40(engine, name + "_prod_" + engine.profile());
        TestDatabase staging = Fixtures.identity40(engine, name + "_stage_" + engine.profile());
        try (Connection c = staging.connect()) {
            BaseTables.create(c, engine);
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + BaseTables.STAGE + " (STAGE_ID, STATE, HOW, STARTED_AT) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, "test-" + name);
                ps.setString(2, BaseTables.COPYING);
                ps.setString(3, "RESTORED");
                ps.setTimestamp(4, Timestamp.from(Instant.now()));
                ps.executeUpdate();
            }
            StageBase.recordProductionSide(c, engine, StagedTables.of(c, engine, true));
            c.commit();
        }
        return new StagedPair(engine, production, staging);
    }

    private static ConnectionSettings settings(TestDatabase db) {
        return new ConnectionSettings(db.url, db.user, db.password);
    }

    /** One catch-up pass in this JVM, as exec:java@catch-up runs it. */
    CatchUp.Outcome catchUp() throws Exception {
        return catchUp(null);
    }

    CatchUp.Outcome catchUp(PrintStream review) throws Exception {
        try (Connection p = production.connect(); Connection s = staging.connect()) {
            return new CatchUp(p, s, true, review, System.out, production.name).sharing(production::connect)
                    .readingBinlog(settings(production)).run();
        }
    }

    /** A production write the next pass must bring over: tenant 1's e-mail, set to a text from {@code what}. */
    void changeTenantEmail(String what) throws Exception {
        try (Connection p = production.connect()) {
            Writes.update(p, "UPDATE UM_TENANT SET UM_EMAIL = ? WHERE UM_ID = 1", tenantEmail(what));
        }
    }

    /** That write reached staging. */
    void assertTenantEmail(String what) throws Exception {
        try (Connection s = staging.connect(); java.sql.Statement st = s.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT UM_EMAIL FROM UM_TENANT WHERE UM_ID = 1")) {
            rs.next();
            org.junit.jupiter.api.Assertions.assertEquals(tenantEmail(what), rs.getString(1));
        }
    }

    private static String tenantEmail(String what) {
        return "admin@" + Integer.toHexString(what.hashCode()) + ".example.com";
    }

    String review() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            CatchUp.Outcome outcome = catchUp(ps);
            if (outcome.refused()) throw new AssertionError("review refused: " + outcome.conflicts());
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Every row of the Carbon tables (not the tool's own), UM_DOMAIN_ID shown as the domain's name (ids differ by run order). */
    static Map<String, List<String>> carbonRows(Connection c) throws Exception {
        Map<String, List<String>> all = Rows.dump(c, null);
        Map<String, List<String>> out = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : all.entrySet()) {
            String t = e.getKey();
            if (t.startsWith("CARBON_UPGRADE_") || t.startsWith("DATABASECHANGELOG")) continue;
            if (t.equals("UM_DOMAIN") || t.equals("UM_HYBRID_USER_ROLE") || t.equals("UM_ROLE_PERMISSION")) continue;
            out.put(t, e.getValue());
        }
        // The archive of UM_CLAIM_BEHAVIOR without its time of archiving.
        out.put("CARBON_UPGRADE_CLAIM_BEHAVIOR", sorted(c, "SELECT UM_ID, UM_PROFILE_ID, UM_CLAIM_ID, UM_BEHAVIOUR, UM_TENANT_ID, UM_PROFILE_NAME,"
                + " UM_CLAIM_URI, UM_DIALECT_URI FROM CARBON_UPGRADE_CLAIM_BEHAVIOR"));
        out.put("UM_DOMAIN", sorted(c, "SELECT UM_TENANT_ID, UM_DOMAIN_NAME FROM UM_DOMAIN"));
        out.put("UM_HYBRID_USER_ROLE", sorted(c, "SELECT h.UM_ID, h.UM_USER_NAME, h.UM_ROLE_ID, h.UM_TENANT_ID, d.UM_DOMAIN_NAME FROM UM_HYBRID_USER_ROLE h"
                + " LEFT JOIN UM_DOMAIN d ON d.UM_DOMAIN_ID = h.UM_DOMAIN_ID AND d.UM_TENANT_ID = h.UM_TENANT_ID"));
        out.put("UM_ROLE_PERMISSION", sorted(c, "SELECT r.UM_ID, r.UM_PERMISSION_ID, r.UM_ROLE_NAME, r.UM_IS_ALLOWED, r.UM_TENANT_ID, d.UM_DOMAIN_NAME"
                + " FROM UM_ROLE_PERMISSION r LEFT JOIN UM_DOMAIN d ON d.UM_DOMAIN_ID = r.UM_DOMAIN_ID AND d.UM_TENANT_ID = r.UM_TENANT_ID"));
        return out;
    }

    private static List<String> sorted(Connection c, String sql) throws Exception {
        List<String> rows = new java.util.ArrayList<>();
        try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) b.append(rs.getObject(i)).append(';');
                rows.add(b.toString());
            }
        }
        rows.sort(null);
        return rows;
    }
}
