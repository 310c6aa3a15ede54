package org.carbonupgrade.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.carbonupgrade.Engine;
import org.carbonupgrade.schema.SchemaReader;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tables an operator added beside Carbon's (a dated backup copy, a name with a space, a name that holds a
 * statement) neither stop the upgrade nor get executed: the gate reads only the upgrade's own tables and
 * quotes every name. On MySQL the URL allows several statements per call, as an operator's URL may.
 */
class OddTableNamesTest {
    /** Dropped by the statement hidden in a table name, if that name were ever pasted into SQL. */
    private static final String VICTIM = "REG_CLUSTER_LOCK";
    private static final List<String> ODD = List.of("UM_USER-backup-2014", "UM_ROLE copy", "UM_X",
            "UM_X; DROP TABLE " + VICTIM + "; --", "REG_\"quoted\"", "IDN_`tick`]");

    /** The test's own quoting, independent of the code under test. */
    private static String quote(Engine engine, String name) {
        return engine == Engine.MYSQL ? "`" + name.replace("`", "``") + "`" : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void oddAndHostileTableNamesDoNotStopOrSteerTheUpgrade(Engine engine) throws Exception {
        TestDatabase seeded = Fixtures.carbon40(engine, "odd_names_" + engine.profile());
        TestDatabase db = engine == Engine.MYSQL
                ? TestDatabase.existing(engine, seeded.name, seeded.url + "&allowMultiQueries=true", seeded.user, seeded.password)
                : seeded;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String name : ODD) {
                String quoted = quote(engine, name);
                s.execute("CREATE TABLE " + quoted + " (ID INTEGER PRIMARY KEY, NOTE VARCHAR(40))");
                s.execute("INSERT INTO " + quoted + " VALUES (1, 'kept')");
            }
        }

        Upgrade.of(db).update();

        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            Map<String, String> tables = new SchemaReader(c).tableNames();
            assertTrue(tables.containsKey(VICTIM), VICTIM + " was dropped");
            for (String name : ODD) {
                assertTrue(tables.containsValue(name) || tables.containsValue(name.toLowerCase()), name + " is gone: " + tables.keySet());
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + quote(engine, tables.get(name.toUpperCase())))) {
                    rs.next();
                    assertEquals(1, rs.getLong(1), name);
                }
            }
            List<String> counted = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM CARBON_UPGRADE_ROW_COUNT")) {
                while (rs.next()) counted.add(rs.getString(1));
            }
            assertTrue(counted.containsAll(Set.of("UM_USER", "UM_ROLE", VICTIM)), counted.toString());
            for (String name : ODD) assertFalse(counted.contains(name.toUpperCase()), name + " is not the upgrade's table: " + counted);
        }
    }
}
