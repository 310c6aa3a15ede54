package org.carbonupgrade.staging;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import liquibase.GlobalConfiguration;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.DbmsTargetedChange;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.database.DatabaseList;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorFactory;
import liquibase.statement.SqlStatement;

import org.carbonupgrade.change.ChunkedBackfill;

/**
 * The upgrade's own data changesets, run again on staging after catch-up wrote production's rows in their 4.0.0 form.
 * Their SQL is not copied here: it is read from changelogs/ with Liquibase's parser and generated for this database,
 * so catch-up transforms a row exactly as the in-place upgrade does (changelogs/carbon/um-role-domain-map.xml,
 * um-domain-ids.xml). Each changeset in the list is safe to run again on an upgraded database: RoleDomainMap and the
 * domain inserts add only what is missing (so a tenant created after the copy gets its INTERNAL/SYSTEM/primary domain
 * rows and its everyone-role mapping), and every back-fill touches only rows still without a domain id (NULL, or the
 * placeholder -1 MySQL's column holds only during the upgrade itself), which on staging are exactly the rows catch-up
 * has just written with UM_DOMAIN_ID at its default, NULL (a 4.2.0 server always writes a domain id).
 */
final class UpgradeTransforms {
    static final String CHANGELOG = "changelogs/carbon-upgrade.xml";
    /**
     * The files of CHANGELOG that hold the changesets below: a pass parses only these, not the master and all its
     * includes. They use none of the master's properties; UpgradeTransformsTest checks that the master takes each
     * changeset from them and that each has the checksum it has in the master.
     */
    static final List<String> TRANSFORM_FILES = List.of("changelogs/carbon/um-role-domain-map.xml", "changelogs/carbon/um-domain-ids.xml");
    /** The data changesets, in changelog order; the DDL around them (columns, keys, indexes) is in place on staging. */
    static final List<String> CHANGESET_IDS = List.of(
            "upgrade-fill-role-domain-map",
            "um-domain-insert-builtin-domains",
            "um-domain-insert-prefixed-domains",
            "um-hybrid-user-role-backfill-prefixed-domain",
            "um-hybrid-user-role-backfill-primary-domain",
            "um-role-permission-backfill-everyone-and-anonymous-domain",
            "um-role-permission-backfill-prefixed-domain",
            "um-role-permission-backfill-internal-domain",
            "um-role-permission-backfill-primary-domain");

    private UpgradeTransforms() {
    }

    /** Changeset id -> its SQL for this database, in the order of CHANGESET_IDS. */
    static Map<String, List<String>> sql(Database database) throws Exception {
        return sql(database, changeSets(database));
    }

    /**
     * The listed changesets as parsed from the changelog: reads files only, not the database, so a pass can parse while
     * it compares (CatchUp). Generating their SQL ({@link #sql(Database, Map)}) reads the database (RoleDomainMap).
     */
    static Map<String, ChangeSet> changeSets(Database database) throws Exception {
        Map<String, ChangeSet> found = new LinkedHashMap<>();
        // Without XSD validation: every liquibase:update and stage validates these files, and the parse of the whole
        // master changelog, validated, took 0.47 s of CPU beside the compare of a final pass that is CPU-bound on two
        // cores (docs/benchmark.md, session 30). UpgradeTransformsTest holds the result to the master's, validated.
        Scope.child(Map.of(GlobalConfiguration.VALIDATE_XML_CHANGELOG_FILES.getKey(), (Object) false), () -> {
            for (String file : TRANSFORM_FILES) found.putAll(listed(parse(file, database)));
        });
        return found;
    }

    /** The listed changesets of a parsed changelog, by id. */
    static Map<String, ChangeSet> listed(DatabaseChangeLog log) {
        Map<String, ChangeSet> found = new LinkedHashMap<>();
        for (ChangeSet cs : log.getChangeSets()) {
            if (CHANGESET_IDS.contains(cs.getId())) found.put(cs.getId(), cs);
        }
        return found;
    }

    /** One changelog file (relative to the project's directory) as Liquibase parses it for this database. */
    static DatabaseChangeLog parse(String file, Database database) throws Exception {
        Path basedir = Path.of(System.getProperty("carbon.upgrade.basedir", "."));
        try (ResourceAccessor resources = new DirectoryResourceAccessor(basedir)) {
            return ChangeLogParserFactory.getInstance().getParser(file, resources).parse(file, new ChangeLogParameters(database), resources);
        }
    }

    static Map<String, List<String>> sql(Database database, Map<String, ChangeSet> found) throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String id : CHANGESET_IDS) {
            ChangeSet cs = found.get(id);
            if (cs == null) {
                throw new IllegalStateException("Changeset " + id + " is not in " + TRANSFORM_FILES + ": catch-up's list of the upgrade's data"
                        + " changesets and their files (UpgradeTransforms.CHANGESET_IDS, TRANSFORM_FILES) no longer matches the changelogs; fix the lists.");
            }
            List<String> statements = new ArrayList<>();
            if (DatabaseList.definitionMatches(cs.getDbmsSet(), database, true)) {
                for (Change change : cs.getChanges()) {
                    if (change instanceof DbmsTargetedChange targeted
                            && !DatabaseList.definitionMatches(targeted.getDbms(), database, true)) continue;
                    // A back-fill's plain set-based statement: its chunks would commit inside this pass's one transaction.
                    for (SqlStatement statement : ChunkedBackfill.plainStatements(change, database)) {
                        for (Sql sql : SqlGeneratorFactory.getInstance().generateSql(statement, database)) {
                            statements.add(sql.toSql());
                        }
                    }
                }
            }
            out.put(id, statements);
        }
        return out;
    }

    /** Runs them in the caller's transaction; returns rows changed per changeset. */
    static Map<String, Integer> run(Connection c, Map<String, List<String>> sql) throws SQLException {
        Map<String, Integer> changed = new LinkedHashMap<>();
        try (Statement s = c.createStatement()) {
            for (Map.Entry<String, List<String>> e : sql.entrySet()) {
                int n = 0;
                for (String statement : e.getValue()) {
                    n += Math.max(0, s.executeUpdate(statement));
                }
                changed.put(e.getKey(), n);
            }
        }
        return changed;
    }
}
