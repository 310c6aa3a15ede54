package org.carbonupgrade.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.resource.DirectoryResourceAccessor;

import org.carbonupgrade.Engine;
import org.carbonupgrade.gate.GateSettings;
import org.carbonupgrade.verify.Additions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SQL Server and Oracle have no server here: their offline updateSQL output is pinned by golden files
 * (src/test/resources/golden; regenerate with -Dgolden.update=true and review the diff) and checked against
 * what WSO2's 4.2.0 scripts for those engines need.
 */
class OfflineSqlTest {
    private static final Path BASEDIR = Path.of(System.getProperty("carbon.upgrade.basedir", "."));

    @ParameterizedTest
    @CsvSource({"mssql,carbon", "mssql,is", "oracle,carbon", "oracle,is"})
    void offlineSqlMatchesTheReviewedGoldenFile(String engine, String product) throws Exception {
        String sql = normalize(offlineSql(engine, product));
        Path golden = BASEDIR.resolve("src/test/resources/golden/" + engine + "-" + product + ".sql");
        if (Boolean.getBoolean("golden.update")) Files.writeString(golden, sql, StandardCharsets.UTF_8);
        assertEquals(Files.readString(golden, StandardCharsets.UTF_8), sql, "offline SQL changed: review it and update " + golden);
    }

    @ParameterizedTest
    @CsvSource({"mssql,carbon", "mssql,is", "oracle,carbon", "oracle,is"})
    void offlineSqlHasWhatTheEnginesScriptNeeds(String engine, String product) throws Exception {
        String sql = offlineSql(engine, product);
        boolean is = product.equals("is");
        for (String table : Additions.tables(Engine.ofProfile(engine), is)) {
            assertTrue(Pattern.compile("CREATE TABLE (\\w+\\.)?" + table + " \\(").matcher(sql).find(), table + " is not created");
        }
        // The data step must not be empty on this engine: 2 inserts of domains, 6 back-fills (everyone/anonymous,
        // prefixed and primary for each table, hybrid roles INTERNAL).
        assertEquals(2, count(sql, "INSERT INTO (\\w+\\.)?UM_DOMAIN \\(UM_DOMAIN_NAME, UM_TENANT_ID\\)\\s+SELECT"));
        assertEquals(6, count(sql, "UPDATE (\\w+\\.)?UM_(HYBRID_USER_ROLE|ROLE_PERMISSION)\\s+SET UM_DOMAIN_ID"));
        assertEquals(2, count(sql, "CREATE (NONCLUSTERED )?INDEX IX_UPGRADE_\\w+"), "the back-fill's temporary indexes");
        assertEquals(2, count(sql, "DROP INDEX [\\w.]*IX_UPGRADE_\\w+"), "...are dropped again");
        assertTrue(sql.contains("target engine: " + engine) && sql.contains("product scope: " + (is ? "Identity Server" : "Carbon")), "header");
        if (engine.equals("mssql")) {
            for (String table : List.of("UM_DOMAIN", "UM_SYSTEM_USER", "UM_SYSTEM_ROLE", "UM_SYSTEM_USER_ROLE", "UM_ACCOUNT_MAPPING", "UM_MODULE")) {
                assertTrue(Pattern.compile("CREATE TABLE (\\w+\\.)?" + table + " \\(\\w+ int IDENTITY \\(1, 1\\)").matcher(sql).find(), table + " identity");
            }
            // Existing rows get the default only WITH VALUES on SQL Server.
            Matcher added = Pattern.compile("ALTER TABLE (\\w+\\.)?\\w+ ADD \\w+ [^;]*DEFAULT[^;]*;").matcher(sql);
            int n = 0;
            while (added.find()) {
                n++;
                assertTrue(added.group().endsWith(" WITH VALUES;"), added.group());
            }
            assertEquals(is ? 8 : 2, n, "UM_ROLE.UM_SHARED_ROLE and UM_PERMISSION.UM_MODULE_ID (IS: and the six UM_TENANT_IDP flags)");
            assertTrue(sql.contains("UM_SHARED_ROLE bit CONSTRAINT") && sql.contains("UM_REQUIRE_CHANGE bit") && sql.contains("UM_CHANGED_TIME datetime"));
            assertEquals(2, count(sql, "FOR XML PATH"), "unique keys found by their columns (SQL Server names them itself)");
        } else {
            for (String[] id : oracleIds(is)) {
                assertTrue(sql.contains("CREATE SEQUENCE " + id[1] + ";"), id[1]);
                assertTrue(sql.contains("CREATE OR REPLACE TRIGGER " + id[2] + " BEFORE INSERT ON " + id[0] + " "), id[2]);
            }
            assertTrue(sql.contains("UM_SHARED_ROLE CHAR(1) DEFAULT 0") && sql.contains("UM_REQUIRE_CHANGE NUMBER(1) DEFAULT 0"), "Oracle flags");
            List<String> tooLong = new ArrayList<>();
            Matcher names = Pattern.compile("(?:CREATE (?:TABLE|SEQUENCE|UNIQUE INDEX|INDEX)|CREATE OR REPLACE TRIGGER|CONSTRAINT) (?:\\w+\\.)?(\\w+)").matcher(sql);
            while (names.find()) if (names.group(1).length() > 30) tooLong.add(names.group(1));
            assertEquals(List.of(), tooLong, "Oracle (before 12.2) allows 30-character names");
            assertEquals(3, count(sql, "LISTAGG"), "unique keys found by their columns (Oracle names them SYS_C...)");
            // SQL*Plus and SQLcl run a PL/SQL block (trigger, anonymous block) only when a "/" line follows it.
            int blocks = count(sql, "(?m)^END;$");
            assertTrue(blocks >= oracleIds(is).size() + 3, "triggers and key-dropping blocks: " + blocks);
            assertEquals(blocks, count(sql, "(?m)^END;\\n/$"), "every PL/SQL block ends with a / line");
        }
    }

    /** The README promises offline review for every profile, not only for the engines without a server here. */
    @ParameterizedTest
    @CsvSource({"h2,carbon", "h2,is", "postgresql,carbon", "postgresql,is", "mysql,carbon", "mysql,is"})
    void offlineReviewWorksForEveryProfile(String engine, String product) throws Exception {
        String sql = offlineSql(engine, product);
        for (String table : Additions.tables(Engine.ofProfile(engine), product.equals("is"))) {
            assertTrue(Pattern.compile("CREATE TABLE (\\w+\\.)?\"?" + table + "\"? \\(").matcher(sql).find(), table + " is not created:\n" + sql);
        }
        assertTrue(sql.contains("verify.xml::tag-carbon-4.2.0"), "the review runs to the end (the tag):\n" + sql);
    }

    /** Table, sequence and trigger names from WSO2's Oracle scripts for the tables the upgrade creates. */
    private static List<String[]> oracleIds(boolean is) {
        List<String[]> ids = new ArrayList<>();
        for (String t : List.of("UM_DOMAIN", "UM_SYSTEM_USER", "UM_SYSTEM_ROLE", "UM_SYSTEM_USER_ROLE", "UM_ACCOUNT_MAPPING", "UM_MODULE")) {
            ids.add(new String[] {t, t + "_SEQUENCE", t + "_TRIGGER"});
        }
        if (is) {
            ids.add(new String[] {"UM_TENANT_IDP", "IDP_SEQUENCE", "IDP_TRIGGER"});
            ids.add(new String[] {"UM_TENANT_IDP_ROLES", "IDP_ROLES_SEQUENCE", "IDP_ROLES_TRIGGER"});
            ids.add(new String[] {"UM_TENANT_IDP_ROLE_MAPPINGS", "IDP_ROLE_MAPPINGS_SEQUENCE", "IDP_ROLE_MAPPINGS_TRIGGER"});
            ids.add(new String[] {"UM_TENANT_IDP_CLAIMS", "IDP_CLAIMS_SEQUENCE", "IDP_CLAIMS_TRIGGER"});
            ids.add(new String[] {"UM_TENANT_IDP_CLAIM_MAPPINGS", "IDP_CLAIM_MAPPINGS_SEQUENCE", "IDP_CLAIM_MAPPINGS_TRIGGER"});
        }
        return ids;
    }

    static String offlineSql(String engine, String product) throws Exception {
        Path history = Files.createTempFile("offline-" + engine, ".csv");
        Files.delete(history);
        Map<String, Object> settings = Map.of(GateSettings.ENGINE, engine, GateSettings.PRODUCT, product);
        StringWriter out = new StringWriter();
        Scope.child(settings, () -> {
            DirectoryResourceAccessor files = new DirectoryResourceAccessor(BASEDIR);
            Database database = DatabaseFactory.getInstance().openDatabase("offline:" + engine + "?changeLogFile=" + history,
                    null, null, null, files);
            try (Liquibase liquibase = new Liquibase("changelogs/carbon-upgrade.xml", files, database)) {
                liquibase.update(new Contexts(product.equals("is") ? "carbon,is" : "carbon"), new LabelExpression(), out);
            }
        });
        return out.toString();
    }

    /** Removes what changes on every run: times, run ids, deployment ids, file locations. */
    static String normalize(String sql) {
        return sql.replaceAll("(?m)^-- (Ran at|Against|generated): .*$", "-- $1: <varies>")
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>")
                .replaceAll("'\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?'", "'<time>'")
                .replaceAll("TO_TIMESTAMP\\('[^']*', '[^']*'\\)", "TO_TIMESTAMP(<time>)")
                .replaceAll("'\\d{10}'\\)", "'<deployment>')")
                .replaceAll("'\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?'", "'<version>'")
                .replaceAll("carbon-upgrade \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?", "carbon-upgrade <version>");
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
