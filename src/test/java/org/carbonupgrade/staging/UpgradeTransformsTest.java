package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;

import liquibase.ChecksumVersion;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.core.H2Database;
import liquibase.database.core.MSSQLDatabase;
import liquibase.database.core.MariaDBDatabase;
import liquibase.database.core.MySQLDatabase;
import liquibase.database.core.OracleDatabase;
import liquibase.database.core.PostgresDatabase;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Catch-up parses only the changelog files that hold the upgrade's data changesets, without XSD validation
 * (UpgradeTransforms.TRANSFORM_FILES). That must be the upgrade's own changesets: for every engine, each listed
 * changeset parsed from those files has the checksum (Liquibase's own digest of its changes, after property
 * expansion) and the database filter it has in the master changelog that liquibase:update runs, validated; and the
 * master takes it from one of those files (the master's logicalFilePath names them under its own name, not changelogs/). A changeset moved to another file, or one that starts using a master
 * property, fails here.
 */
class UpgradeTransformsTest {
    static Stream<Database> engines() {
        return Stream.of(new H2Database(), new PostgresDatabase(), new MySQLDatabase(), new MariaDBDatabase(), new MSSQLDatabase(),
                new OracleDatabase());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void theTransformFilesGiveTheMasterChangelogsChangesets(Database database) throws Exception {
        Map<String, ChangeSet> master = UpgradeTransforms.listed(UpgradeTransforms.parse(UpgradeTransforms.CHANGELOG, database));
        Map<String, ChangeSet> files = UpgradeTransforms.changeSets(database);
        assertEquals(UpgradeTransforms.CHANGESET_IDS, master.keySet().stream().toList(), "the master holds every listed changeset, in order");
        assertEquals(UpgradeTransforms.CHANGESET_IDS, files.keySet().stream().toList(), "the transform files hold every listed changeset, in order");
        for (String id : UpgradeTransforms.CHANGESET_IDS) {
            ChangeSet m = master.get(id);
            ChangeSet f = files.get(id);
            assertTrue(UpgradeTransforms.TRANSFORM_FILES.stream().anyMatch(file -> m.getFilePath().endsWith(file.substring(file.indexOf('/')))),
                    id + ": the master takes it from " + m.getFilePath() + ", not from one of " + UpgradeTransforms.TRANSFORM_FILES);
            assertEquals(m.generateCheckSum(ChecksumVersion.latest()), f.generateCheckSum(ChecksumVersion.latest()), id + ": checksum");
            assertEquals(m.getDbmsSet(), f.getDbmsSet(), id + ": dbms");
            assertEquals(m.getChanges().size(), f.getChanges().size(), id + ": changes");
        }
    }
}
