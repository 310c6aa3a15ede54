package org.carbonupgrade.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.carbonupgrade.Engine;
import org.carbonupgrade.support.Fixtures;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.junit.jupiter.api.Test;

/**
 * On MySQL/MariaDB the schema reader reads foreign keys with its own information_schema query, narrowed to the one
 * database and table (Connector/J's own query on a useInformationSchema=true connection, as Liquibase opens it, makes
 * MariaDB open every table of every database on the server). It must find exactly what the driver's
 * getImportedKeys finds, both ways the driver reads them (information_schema and SHOW CREATE TABLE).
 */
class SchemaReaderTest {
    @Test
    void mysqlForeignKeysAreTheDriversOwn() throws Exception {
        TestDatabase db = Fixtures.carbon40(Engine.MYSQL, "schema_reader_fks_mysql");
        Upgrade.of(db).update();
        for (String mode : List.of("true", "false")) {
            try (Connection c = DriverManager.getConnection(db.url + "&useInformationSchema=" + mode, db.user, db.password)) {
                SchemaReader reader = new SchemaReader(c);
                int keys = 0;
                // A few tables, not all: the driver's information_schema query is the slow one (it scans the server).
                // Between them: 4.0.0's keys (no ON DELETE), 4.2.0's (CASCADE), one and two columns, a table with none.
                for (String table : List.of("UM_HYBRID_USER_ROLE", "UM_ROLE_PERMISSION", "UM_USER_ROLE", "UM_SYSTEM_USER_ROLE", "UM_DOMAIN")) {
                    String actual = reader.tableNames().get(table);
                    List<String> ours = new ArrayList<>();
                    for (TableShape.ForeignKey fk : reader.readTable(actual).foreignKeys) ours.add(fk.toString());
                    List<String> drivers = driversForeignKeys(c, actual);
                    assertEquals(new TreeSet<>(drivers), new TreeSet<>(ours), table + " (useInformationSchema=" + mode + ")");
                    keys += ours.size();
                }
                assertTrue(keys >= 5, "foreign keys compared: " + keys);
            }
        }
    }

    private static List<String> driversForeignKeys(Connection c, String table) throws Exception {
        Map<String, Map<Short, String[]>> byName = new TreeMap<>();
        Map<String, String[]> info = new TreeMap<>();
        try (ResultSet rs = c.getMetaData().getImportedKeys(c.getCatalog(), null, table)) {
            while (rs.next()) {
                String name = rs.getString("FK_NAME");
                byName.computeIfAbsent(name, k -> new TreeMap<>()).put(rs.getShort("KEY_SEQ"),
                        new String[] {rs.getString("FKCOLUMN_NAME").toUpperCase(), rs.getString("PKCOLUMN_NAME").toUpperCase()});
                short rule = rs.getShort("DELETE_RULE");
                info.put(name, new String[] {rs.getString("PKTABLE_NAME").toUpperCase(), rule == DatabaseMetaData.importedKeyCascade ? "CASCADE"
                        : rule == DatabaseMetaData.importedKeySetNull ? "SET NULL" : rule == DatabaseMetaData.importedKeySetDefault ? "SET DEFAULT" : "NO ACTION"});
            }
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Map<Short, String[]>> e : byName.entrySet()) {
            List<String> columns = e.getValue().values().stream().map(v -> v[0]).toList();
            List<String> refColumns = e.getValue().values().stream().map(v -> v[1]).toList();
            out.add(new TableShape.ForeignKey(columns, info.get(e.getKey())[0], refColumns, info.get(e.getKey())[1]).toString());
        }
        return out;
    }
}
