package org.carbonupgrade.gate;

import static org.carbonupgrade.gate.GateTest.refusedUnchanged;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Rows;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.api.Test;

/**
 * The upgrade run by an ordinary account, as a DBA sets it up: the gate must see other accounts' sessions or say
 * which privilege it lacks, and must refuse up front (database unchanged) what would otherwise fail half-way:
 * missing privileges, tables in another PostgreSQL schema, lower-case table names on a case-sensitive MySQL server.
 */
class AccountAndSchemaTest {
    private static final String P = TestDatabase.PREFIX;

    @Test
    void postgresSessionsOfOtherRolesAreSeenOrTheMissingPrivilegeIsNamed() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.POSTGRESQL, "acct_sessions");
        String upgrader = P + "upgrader";
        String carbon = P + "carbon_srv";
        try {
            pgAdmin(db.name, "DROP ROLE IF EXISTS " + upgrader, "DROP ROLE IF EXISTS " + carbon,
                    "CREATE ROLE " + upgrader + " LOGIN", "CREATE ROLE " + carbon + " LOGIN");
            pgAdmin(db.name, "GRANT CREATE ON SCHEMA public TO " + upgrader, ownEverything(upgrader));
            TestDatabase asUpgrader = TestDatabase.existing(db.engine, db.name, db.url, upgrader, "");
            try (Connection carbonServer = DriverManager.getConnection(db.url, carbon, "")) {
                carbonServer.createStatement().execute("SELECT 1");

                String hidden = refusedUnchanged(asUpgrader, Upgrade.of(asUpgrader));
                assertTrue(hidden.contains("role(s) [" + carbon + "]") && hidden.contains("GRANT pg_read_all_stats TO " + upgrader)
                        && hidden.contains(GateSettings.ALLOW_SESSIONS + "=true"), hidden);

                pgAdmin(db.name, "GRANT pg_read_all_stats TO " + upgrader);
                String seen = refusedUnchanged(asUpgrader, Upgrade.of(asUpgrader));
                assertTrue(seen.contains("as " + carbon + " since ") && !seen.contains("pg_read_all_stats"), seen);

                // An ordinary role that owns the tables can upgrade them (the DBA overrides the session check here).
                Upgrade.of(asUpgrader).set(GateSettings.ALLOW_SESSIONS, "true").update();
            }
            try (Connection c = db.connect()) {
                assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM UM_HYBRID_USER_ROLE WHERE UM_DOMAIN_ID IS NULL"));
            }
        } finally {
            dropPg(db.name, upgrader, carbon);
        }
    }

    @Test
    void postgresRoleThatDoesNotOwnTheTablesIsRefusedUpFront() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.POSTGRESQL, "acct_owner");
        String upgrader = P + "not_owner";
        try {
            pgAdmin(db.name, "DROP ROLE IF EXISTS " + upgrader, "CREATE ROLE " + upgrader + " LOGIN");
            pgAdmin(db.name, "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + upgrader);
            TestDatabase asUpgrader = TestDatabase.existing(db.engine, db.name, db.url, upgrader, "");
            String message = refusedUnchanged(asUpgrader, Upgrade.of(asUpgrader));
            assertTrue(message.contains("GRANT CREATE ON SCHEMA public TO " + upgrader), message);
            assertTrue(message.contains("OWNER TO " + upgrader) && message.contains("um_claim") && message.contains("[postgres]"), message);
        } finally {
            dropPg(db.name, upgrader);
        }
    }

    /**
     * A login role the DBA has granted nothing on Carbon's tables (they belong to the role Carbon connects as): the gate's
     * data checks cannot read them, and "permission denied for table um_role_permission ... check the URL, user and
     * password" came out in place of the refusal that names the ownership to hand over.
     */
    @Test
    void postgresRoleThatCannotReadTheTablesIsRefusedNamingTheOwner() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.POSTGRESQL, "acct_no_read");
        String upgrader = P + "no_read";
        try {
            pgAdmin(db.name, "DROP ROLE IF EXISTS " + upgrader, "CREATE ROLE " + upgrader + " LOGIN");
            TestDatabase asUpgrader = TestDatabase.existing(db.engine, db.name, db.url, upgrader, "");
            java.util.Map<String, String> before = org.carbonupgrade.support.Snapshot.of(db); // read as the owner
            Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, Upgrade.of(asUpgrader)::update);
            assertEquals(before, org.carbonupgrade.support.Snapshot.of(db), "a refused run changes nothing");
            String message = org.carbonupgrade.support.Errors.messages(refused);
            assertTrue(message.contains("carbon-upgrade refused to start; nothing was changed") && message.contains("OWNER TO " + upgrader)
                    && message.contains("[postgres]"), message);
            assertFalse(message.contains("permission denied"), message);
        } finally {
            dropPg(db.name, upgrader);
        }
    }

    @Test
    void postgresTablesInAnotherSchemaAreFoundAndTheUrlOptionNamed() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.POSTGRESQL, "acct_schema");
        pgAdmin(db.name, "ALTER SCHEMA public RENAME TO carbon", "CREATE SCHEMA public");
        String message = refusedUnchanged(db, Upgrade.of(db));
        assertTrue(message.contains("schema [carbon]") && message.contains("?currentSchema=carbon")
                && message.contains("-Dliquibase.defaultSchemaName=carbon"), message);
        assertFalse(message.contains("is empty"), "the one cause is named, not a misleading empty database: " + message);

        TestDatabase inSchema = TestDatabase.existing(db.engine, db.name, db.url + "&currentSchema=carbon", db.user, db.password);
        Upgrade.of(inSchema).update();
        try (Connection c = inSchema.connect()) {
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM carbon.UM_HYBRID_USER_ROLE WHERE UM_DOMAIN_ID IS NULL"));
            assertEquals(1, Rows.count(c, "SELECT COUNT(*) FROM carbon.DATABASECHANGELOG WHERE TAG = 'carbon-4.2.0'"));
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"));
        }
    }

    @Test
    void mysqlAccountWithoutProcessIsRefusedNamingIt() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.MYSQL, "acct_process");
        String user = P + "noproc";
        try {
            mysqlAdmin("DROP USER IF EXISTS '" + user + "'@'%'", "CREATE USER '" + user + "'@'%'",
                    "GRANT ALL PRIVILEGES ON `" + db.name + "`.* TO '" + user + "'@'%'");
            TestDatabase asUser = TestDatabase.existing(db.engine, db.name, db.url, user, "");
            String message = refusedUnchanged(asUser, Upgrade.of(asUser));
            assertTrue(message.contains("lacks the PROCESS privilege") && message.contains("GRANT PROCESS ON *.* TO '" + user + "'@'%'")
                    && message.contains(GateSettings.ALLOW_SESSIONS + "=true"), message);
            assertFalse(message.contains("lacks [") , "every privilege on the database was granted: " + message);
        } finally {
            mysqlAdmin("DROP USER IF EXISTS '" + user + "'@'%'");
        }
    }

    @Test
    void mysqlAccountWithCreateButNotAlterIsRefusedUpFront() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.MYSQL, "acct_grants");
        String user = P + "create_only";
        try {
            mysqlAdmin("DROP USER IF EXISTS '" + user + "'@'%'", "CREATE USER '" + user + "'@'%'",
                    "GRANT PROCESS ON *.* TO '" + user + "'@'%'",
                    "GRANT SELECT, CREATE ON `" + db.name.replace("_", "\\_") + "`.* TO '" + user + "'@'%'");
            TestDatabase asUser = TestDatabase.existing(db.engine, db.name, db.url, user, "");
            String message = refusedUnchanged(asUser, Upgrade.of(asUser));
            assertTrue(message.contains("lacks [INSERT, UPDATE, DELETE, ALTER, INDEX, REFERENCES, DROP] on database `" + db.name + "`")
                    && message.contains("GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, REFERENCES, DROP ON `" + db.name + "`.* TO '" + user + "'@'%'"), message);
            assertFalse(message.contains("PROCESS privilege"), message);
        } finally {
            mysqlAdmin("DROP USER IF EXISTS '" + user + "'@'%'");
        }
    }

    @Test
    void mysqlLowerCaseTablesOnACaseSensitiveServerAreRefusedUpFront() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.MYSQL, "acct_lower");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            var names = new org.carbonupgrade.schema.SchemaReader(c).tableNames().values();
            for (String t : names) s.execute("RENAME TABLE `" + t + "` TO `" + t.toLowerCase() + "`");
        }
        String message = refusedUnchanged(db, Upgrade.of(db));
        assertTrue(message.contains("lower or mixed case") && message.contains("lower_case_table_names=1")
                && message.contains("RENAME TABLE "), message);
    }

    /** Makes the role own every table and sequence of public, as a DBA does for a dedicated upgrade account. */
    private static String ownEverything(String role) {
        return "DO $$ DECLARE r record; BEGIN"
                + " FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP"
                + " EXECUTE format('ALTER TABLE public.%I OWNER TO %I', r.tablename, '" + role + "'); END LOOP;"
                + " FOR r IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP"
                + " EXECUTE format('ALTER SEQUENCE public.%I OWNER TO %I', r.sequencename, '" + role + "'); END LOOP; END $$";
    }

    private static void pgAdmin(String database, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
             Statement s = c.createStatement()) {
            for (String q : sql) s.execute(q);
        }
    }

    /** The test database goes first (it holds objects the roles own), then the roles. */
    private static void dropPg(String database, String... roles) throws SQLException {
        pgAdmin("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        for (String role : roles) pgAdmin("postgres", "DROP ROLE IF EXISTS " + role);
    }

    private static void mysqlAdmin(String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestDatabase.MYSQL_ADMIN_URL, "root", ""); Statement s = c.createStatement()) {
            for (String q : sql) s.execute(q);
        }
    }
}
