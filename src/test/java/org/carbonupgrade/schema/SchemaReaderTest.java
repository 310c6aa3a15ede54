package org.carbonupgrade.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

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
 *
 * <p>On PostgreSQL a read of many tables (the verifier's schema checkpoint) asks the catalog a fixed number of times,
 * not four times per table, and must find for every table exactly what the driver's metadata finds table by table.
 */
class SchemaReaderTest {
    @Test
    void postgresqlReadsEveryTableInAFewCatalogQueriesAndFindsWhatTheDriverFindsPerTable() throws Exception {
        TestDatabase db = Fixtures.identity40(Engine.POSTGRESQL, "schema_reader_all_pg");
        Upgrade.of(db).identityServer().update();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // What the verifier could meet besides WSO2's tables: an expression index, a descending, a partial and a
            // covering index, a unique key on the primary key's columns, a quoted mixed-case table with a quote in a
            // column name, a table whose name the pattern UM_USER would match if '_' were a wildcard, and a table of the
            // same name in another schema (never this schema's).
            s.execute("CREATE INDEX ODD_EXPRESSION ON UM_USER (lower(UM_USER_NAME), UM_TENANT_ID)");
            s.execute("CREATE INDEX ODD_DESCENDING ON UM_USER_ATTRIBUTE (UM_USER_ID DESC, UM_ATTR_NAME)");
            s.execute("CREATE INDEX ODD_PARTIAL ON UM_ROLE (UM_ROLE_NAME) WHERE UM_TENANT_ID > 0");
            s.execute("CREATE INDEX ODD_COVERING ON UM_DOMAIN (UM_TENANT_ID) INCLUDE (UM_DOMAIN_NAME)");
            s.execute("ALTER TABLE UM_TENANT ADD CONSTRAINT ODD_UNIQUE_ON_KEY UNIQUE (UM_ID)");
            s.execute("CREATE TABLE \"UM_Mixed\" (\"Id\" INTEGER PRIMARY KEY, \"Say \"\"hi\"\"\" VARCHAR(10) DEFAULT 'x',"
                    + " UM_USER_ID INTEGER, UM_TENANT_ID INTEGER, FOREIGN KEY (UM_USER_ID, UM_TENANT_ID) REFERENCES UM_USER (UM_ID, UM_TENANT_ID) ON DELETE CASCADE)");
            s.execute("CREATE INDEX \"Odd \"\"quoted\"\"\" ON \"UM_Mixed\" (\"Say \"\"hi\"\"\")");
            s.execute("CREATE TABLE UMXUSER (UM_ID INTEGER PRIMARY KEY, EXTRA TEXT)");
            s.execute("CREATE SCHEMA other_schema");
            s.execute("CREATE TABLE other_schema.UM_USER (UM_ID BIGINT PRIMARY KEY, ELSEWHERE TEXT)");
            s.execute("CREATE INDEX ODD_ELSEWHERE ON other_schema.UM_USER (ELSEWHERE)");
        }
        try (Connection real = db.connect()) {
            AtomicInteger catalogQueries = new AtomicInteger();
            SchemaReader reader = new SchemaReader(CatalogQueries.counting(real, catalogQueries));
            Map<String, String> tables = reader.tableNames();
            catalogQueries.set(0);
            Map<String, TableShape> together = reader.read(tables.keySet());
            assertTrue(catalogQueries.get() <= 5, catalogQueries.get() + " catalog queries for " + tables.size() + " tables");
            assertTrue(tables.size() > 60, tables.keySet().toString());
            assertEquals(tables.keySet(), together.keySet());
            int indexes = 0;
            for (Map.Entry<String, String> t : tables.entrySet()) {
                TableShape alone = reader.readTable(t.getValue());
                assertEquals(facts(alone), facts(together.get(t.getKey())), t.getKey());
                indexes += alone.indexes.size();
            }
            assertTrue(indexes > 20, "indexes compared: " + indexes);
            TableShape user = together.get("UM_USER");
            assertEquals(List.of("LOWER((UM_USER_NAME)::TEXT)", "UM_TENANT_ID"), user.indexes.get("ODD_EXPRESSION"), user.describe());
            assertTrue(!user.columns.containsKey("ELSEWHERE"), user.describe());
            assertTrue(together.get("UM_TENANT").uniqueKeys.contains(List.of("UM_ID")), together.get("UM_TENANT").describe());
            TableShape mixed = together.get("UM_MIXED");
            assertTrue(mixed.columns.containsKey("SAY \"HI\""), mixed.describe());
            assertEquals(1, mixed.foreignKeys.size(), mixed.describe());
        }
    }

    /** Everything the schema comparison reads of a table, with the lists it compares as multisets in one order. */
    private static String facts(TableShape t) {
        return t.columns + "\n" + t.primaryKey + "\n" + new TreeSet<>(t.uniqueKeys.stream().map(Object::toString).toList()) + "\n"
                + new TreeSet<>(t.foreignKeys.stream().map(Object::toString).toList()) + "\n" + new TreeMap<>(t.indexes);
    }

    /** The real connection, counting the statements the reader sends: metadata calls and statements it prepares itself. */
    private static final class CatalogQueries {
        static Connection counting(Connection real, AtomicInteger count) throws Exception {
            DatabaseMetaData md = real.getMetaData();
            Connection[] proxy = new Connection[1];
            DatabaseMetaData countingMd = (DatabaseMetaData) java.lang.reflect.Proxy.newProxyInstance(SchemaReaderTest.class.getClassLoader(),
                    new Class<?>[] {DatabaseMetaData.class}, (self, method, args) -> {
                        if (method.getName().equals("getConnection")) return proxy[0];
                        if (method.getReturnType() == ResultSet.class) count.incrementAndGet();
                        return invoke(method, md, args);
                    });
            proxy[0] = (Connection) java.lang.reflect.Proxy.newProxyInstance(SchemaReaderTest.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (self, method, args) -> {
                        if (method.getName().equals("getMetaData")) return countingMd;
                        if (method.getName().startsWith("prepare") || method.getName().equals("createStatement")) count.incrementAndGet();
                        return invoke(method, real, args);
                    });
            return proxy[0];
        }

        private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

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
