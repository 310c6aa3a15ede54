package org.carbonupgrade.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.DaoReplay;
import org.carbonupgrade.support.DaoStatements;
import org.carbonupgrade.support.DaoStatements.Statement;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.Snapshot;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Identity Server 4.5.0/4.6.0's own DAO SQL (src/test/resources/is-dao-sql, each statement with its origin) runs on
 * an upgraded IS database, inside a transaction that is rolled back. A statement WSO2 itself broke is listed there
 * with the reason and must keep failing, so the list cannot hide a schema problem.
 */
class IdentityDaoSqlTest {

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void everyDaoStatementRunsOnAnUpgradedIdentityServerDatabase(Engine engine) throws Exception {
        TestDatabase db = Fixtures.identity40(engine, "is_dao_" + engine.profile());
        Upgrade.of(db).identityServer().update();
        Map<String, String> before = Snapshot.of(db);

        List<String> unexpected = new ArrayList<>();
        Map<String, String> counts = new LinkedHashMap<>();
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            DaoReplay replay = new DaoReplay(c);
            for (String dao : DaoStatements.DAOS) {
                List<Statement> statements = DaoStatements.load(dao).stream().filter(s -> s.runsOn(engine)).toList();
                Map<Statement, String> failures = new LinkedHashMap<>();
                for (Statement s : statements) {
                    String error = replay.run(s.sql());
                    if (error != null) failures.put(s, error);
                }
                // A statement may need a parent row a later statement of the same DAO inserts: try once more.
                for (Statement s : List.copyOf(failures.keySet())) {
                    if (replay.run(s.sql()) == null) failures.remove(s);
                }
                int ran = statements.size() - failures.size();
                counts.put(dao, ran + "/" + statements.size());
                for (Statement s : statements) {
                    String error = failures.get(s);
                    if (s.brokenByWso2On(engine)) {
                        if (error == null) unexpected.add(dao + " " + s.name() + " ran, but is listed as broken by WSO2 ("
                                + s.bugReason() + "): remove the wso2-bug line");
                    } else if (error != null) {
                        unexpected.add(dao + " " + s.name() + " [" + s.origin() + "]: " + error + "\n    " + s.sql());
                    }
                }
            }
            c.rollback();
        }
        counts.forEach((dao, n) -> System.out.printf("[is-dao] %s %s: %s statements ran%n", engine.profile(), dao, n));
        unexpected.forEach(u -> System.out.println("[is-dao] " + engine.profile() + " FAILED " + u));
        assertEquals("", String.join("\n", unexpected), "IS DAO statements that do not run on the upgraded schema");
        assertEquals(before, Snapshot.of(db), "the replay must leave the database as it was (rolled back)");
    }
}
