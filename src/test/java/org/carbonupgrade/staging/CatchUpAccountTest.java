package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Catch-up run by the account the README asks for on MySQL/MariaDB (the upgrade's privileges on the database, and
 * PROCESS). The pass runs the upgrade's data changesets over production's rows in temporary tables (TransformScope),
 * which takes CREATE TEMPORARY TABLES, a privilege the upgrade itself never needs: without it the pass stopped half-way
 * with the server's bare "Access denied for user ... to database". It is refused before anything is written, naming the
 * GRANT, and passes once that is granted.
 */
class CatchUpAccountTest {
    private static final String UPGRADE_GRANTS = "SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, REFERENCES, DROP";

    @Test
    void mysqlAccountWithoutTemporaryTablesIsRefusedNamingTheGrant() throws Exception {
        StagedPair pair = StagedPair.copied(Engine.MYSQL, "cu_account");
        try (Connection p = pair.production.connect()) {
            Writes.production(p);
        }
        String user = TestDatabase.PREFIX + "cu_operator";
        String account = "'" + user + "'@'%'";
        try {
            admin("DROP USER IF EXISTS " + account, "CREATE USER " + account, "GRANT PROCESS ON *.* TO " + account,
                    "GRANT " + UPGRADE_GRANTS + " ON `" + pair.staging.name + "`.* TO " + account,
                    "GRANT SELECT ON `" + pair.production.name + "`.* TO " + account);
            Map<String, List<String>> before;
            try (Connection s = pair.staging.connect()) {
                before = StagedPair.carbonRows(s);
            }
            SQLException refused = assertThrows(SQLException.class, () -> catchUpAs(pair, user));
            String message = refused.getMessage();
            assertTrue(message.contains("lacks CREATE TEMPORARY TABLES")
                    && message.contains("GRANT CREATE TEMPORARY TABLES ON `" + pair.staging.name + "`.* TO " + account), message);
            try (Connection s = pair.staging.connect()) {
                assertEquals(before, StagedPair.carbonRows(s), "a refused pass changes nothing on staging");
            }

            admin("GRANT CREATE TEMPORARY TABLES ON `" + pair.staging.name + "`.* TO " + account);
            CatchUp.Outcome pass = catchUpAs(pair, user);
            assertFalse(pass.refused(), String.valueOf(pass.conflicts()));
            assertTrue(pass.rows() > 0, "production's writes were applied");
        } finally {
            admin("DROP USER IF EXISTS " + account);
        }
    }

    private static CatchUp.Outcome catchUpAs(StagedPair pair, String user) throws Exception {
        try (Connection p = DriverManager.getConnection(pair.production.url, user, "");
             Connection s = DriverManager.getConnection(pair.staging.url, user, "")) {
            return new CatchUp(p, s, true, null, System.out, pair.production.name).run();
        }
    }

    private static void admin(String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestDatabase.MYSQL_ADMIN_URL, "root", ""); Statement s = c.createStatement()) {
            for (String q : sql) s.execute(q);
        }
    }
}
