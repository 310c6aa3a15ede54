package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * MariaDB: the id generators catch-up and the stage check are read from information_schema in two single-table reads
 * joined in Java (one JOIN of COLUMNS and TABLES opened every table on the server). The counters found must be this
 * database's AUTO_INCREMENT columns of the tables asked for, each with its table's next value, however the table's name
 * is cased, and none of another database's same-named table or of a table without one.
 */
class SequencesTest {
    @Test
    void mariadbCountersAreThisDatabasesAutoIncrementColumnsWithTheirNextValues() throws Exception {
        TestDatabase db = TestDatabase.fresh(Engine.MYSQL, "sequences_mysql");
        TestDatabase other = TestDatabase.fresh(Engine.MYSQL, "sequences_other_mysql");
        try (Connection o = other.connect(); Statement s = o.createStatement()) {
            // Same name in another database, its counter far ahead: it must not stand in for this database's.
            s.execute("CREATE TABLE UM_USER (UM_ID INTEGER NOT NULL AUTO_INCREMENT, UM_TENANT_ID INTEGER NOT NULL, PRIMARY KEY (UM_ID, UM_TENANT_ID)) ENGINE=InnoDB");
            s.execute("INSERT INTO UM_USER (UM_ID, UM_TENANT_ID) VALUES (900000, -1234)");
        }
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE UM_USER (UM_ID INTEGER NOT NULL AUTO_INCREMENT, UM_TENANT_ID INTEGER NOT NULL, PRIMARY KEY (UM_ID, UM_TENANT_ID)) ENGINE=InnoDB");
            s.execute("CREATE TABLE reg_resource (REG_VERSION INTEGER NOT NULL AUTO_INCREMENT, REG_TENANT_ID INTEGER NOT NULL, PRIMARY KEY (REG_VERSION, REG_TENANT_ID)) ENGINE=InnoDB");
            s.execute("CREATE TABLE UM_DIALECT (UM_ID INTEGER NOT NULL, UM_TENANT_ID INTEGER NOT NULL, PRIMARY KEY (UM_ID, UM_TENANT_ID)) ENGINE=InnoDB");
            s.execute("CREATE TABLE UM_ROLE (UM_ID INTEGER NOT NULL AUTO_INCREMENT, UM_TENANT_ID INTEGER NOT NULL, PRIMARY KEY (UM_ID, UM_TENANT_ID)) ENGINE=InnoDB");
            // Explicit ids, as a copy writes them: InnoDB moves each counter past them by itself.
            s.execute("INSERT INTO UM_USER (UM_ID, UM_TENANT_ID) VALUES (7, -1234), (41, 1)");
            s.execute("INSERT INTO reg_resource (REG_VERSION, REG_TENANT_ID) VALUES (12, -1234)");
            s.execute("INSERT INTO UM_DIALECT (UM_ID, UM_TENANT_ID) VALUES (3, -1234)");
            s.execute("INSERT INTO UM_ROLE (UM_ID, UM_TENANT_ID) VALUES (5, -1234)");

            // UM_ROLE is not asked for; UM_DIALECT has no AUTO_INCREMENT column; reg_resource is asked for in upper case.
            List<Sequences.Moved> found = Sequences.mysqlCounters(c, List.of("UM_USER", "REG_RESOURCE", "UM_DIALECT"));
            found = found.stream().sorted(java.util.Comparator.comparing(m -> m.table().toUpperCase(java.util.Locale.ROOT))).toList();
            assertEquals(List.of(new Sequences.Moved("reg_resource", "REG_VERSION", 13, 0), new Sequences.Moved("UM_USER", "UM_ID", 42, 0)), found);
            assertEquals(List.of(), Sequences.advancePastIds(c, Engine.MYSQL, List.of("UM_USER", "REG_RESOURCE", "UM_DIALECT")),
                    "nothing behind: nothing moved");
        }
    }
    /**
     * PostgreSQL: every generator of the tables asked for is read, and those behind moved, in one statement each
     * (Sequences.postgresql): each moves to its own column's highest id + 1, a generator ahead of its ids stays, a table
     * not asked for keeps its generator, and a second run moves nothing.
     */
    @Test
    void postgresqlGeneratorsBehindMoveEachPastItsOwnColumnAndNoOther() throws Exception {
        TestDatabase db = TestDatabase.fresh(Engine.POSTGRESQL, "sequences_postgresql");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // Table, id column, tenant column: each id taken from its own generator, as in WSO2's PostgreSQL script.
            for (String[] t : new String[][] {{"UM_USER", "UM_ID", "UM_TENANT_ID"}, {"REG_RESOURCE", "REG_VERSION", "REG_TENANT_ID"},
                    {"UM_ROLE", "UM_ID", "UM_TENANT_ID"}}) {
                s.execute("CREATE SEQUENCE " + t[0] + "_PK_SEQ");
                s.execute("CREATE TABLE " + t[0] + " (" + t[1] + " INTEGER DEFAULT nextval('" + t[0] + "_PK_SEQ') NOT NULL, " + t[2]
                        + " INTEGER NOT NULL, PRIMARY KEY (" + t[1] + ", " + t[2] + "))");
            }
            s.execute("CREATE TABLE UM_DIALECT (UM_ID INTEGER NOT NULL, UM_TENANT_ID INTEGER NOT NULL, PRIMARY KEY (UM_ID, UM_TENANT_ID))");
            // Explicit ids, as a copy or a pass writes them: PostgreSQL's generators do not follow them.
            s.execute("INSERT INTO UM_USER (UM_ID, UM_TENANT_ID) VALUES (7, -1234), (41, 1)");
            s.execute("INSERT INTO UM_ROLE (UM_ID, UM_TENANT_ID) VALUES (5, -1234)");
            s.execute("INSERT INTO UM_DIALECT (UM_ID, UM_TENANT_ID) VALUES (3, -1234)");
            // REG_RESOURCE's generator ahead of its ids (a tester's rows since deleted): it stays.
            s.execute("INSERT INTO REG_RESOURCE (REG_VERSION, REG_TENANT_ID) VALUES (2, -1234)");
            s.execute("SELECT setval('REG_RESOURCE_PK_SEQ', 100)");

            // UM_ROLE is not asked for; UM_DIALECT has no generator.
            assertEquals(List.of(new Sequences.Moved("UM_USER", "UM_ID", 1, 42)),
                    Sequences.advancePastIds(c, Engine.POSTGRESQL, List.of("UM_USER", "REG_RESOURCE", "UM_DIALECT")));
            assertEquals(42, next(c, "UM_USER_PK_SEQ"));
            assertEquals(101, next(c, "REG_RESOURCE_PK_SEQ"));
            assertEquals(1, next(c, "UM_ROLE_PK_SEQ"), "a table not asked for keeps its generator");
            assertEquals(List.of(), Sequences.advancePastIds(c, Engine.POSTGRESQL, List.of("UM_USER", "REG_RESOURCE", "UM_DIALECT")),
                    "nothing behind: nothing moved");
            // Two behind at once: both moved, each past its own column.
            s.execute("INSERT INTO UM_ROLE (UM_ID, UM_TENANT_ID) VALUES (60, 1)");
            s.execute("INSERT INTO UM_USER (UM_ID, UM_TENANT_ID) VALUES (90, 1)");
            List<Sequences.Moved> moved = Sequences.advancePastIds(c, Engine.POSTGRESQL, List.of("UM_USER", "UM_ROLE", "REG_RESOURCE"));
            assertEquals(List.of(new Sequences.Moved("UM_ROLE", "UM_ID", 1, 61), new Sequences.Moved("UM_USER", "UM_ID", 42, 91)),
                    moved.stream().sorted(java.util.Comparator.comparing(Sequences.Moved::table)).toList());
            assertEquals(61, next(c, "UM_ROLE_PK_SEQ"));
            assertEquals(91, next(c, "UM_USER_PK_SEQ"));
        }
    }

    /** The value the generator's next nextval() returns, without taking it. */
    private static long next(Connection c, String sequence) throws Exception {
        try (Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(
                "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM " + sequence)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
