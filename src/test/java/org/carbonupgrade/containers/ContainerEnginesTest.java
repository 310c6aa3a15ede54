package org.carbonupgrade.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.List;
import java.util.Set;

import org.carbonupgrade.Engine;
import org.carbonupgrade.rehearsal.Baseline;
import org.carbonupgrade.rehearsal.Carbon400Seeder;
import org.carbonupgrade.rehearsal.Identity400Seeder;
import org.carbonupgrade.schema.ReferenceCheck;
import org.carbonupgrade.support.TestDatabase;
import org.carbonupgrade.support.Upgrade;
import org.carbonupgrade.verify.VerificationReport;
import org.carbonupgrade.verify.Verifier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.containers.MSSQLServerContainer;
import org.testcontainers.containers.MySQLContainer;
import org.testcontainers.oracle.OracleContainer;

/**
 * The Identity Server upgrade on real MySQL 8, SQL Server and Oracle servers in containers: baseline, seed,
 * update, reference comparison and verifier. Needs a Docker engine; without one every case is skipped and
 * says why (this machine has none, so SQL Server and Oracle are covered here by OfflineSqlTest only).
 */
class ContainerEnginesTest {

    @BeforeEach
    void requireDocker() {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            docker = false;
        }
        String reason = "SKIPPED: no Docker engine on this machine, so the MySQL 8, SQL Server and Oracle container"
                + " tests cannot run (Testcontainers needs one); SQL Server and Oracle are checked offline by OfflineSqlTest.";
        if (!docker) System.out.println("[containers] " + reason);
        Assumptions.assumeTrue(docker, reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql:8.0", "mcr.microsoft.com/mssql/server:2022-latest", "gvenzl/oracle-free:23-slim-faststart"})
    void upgradesAnIdentityServerBaselineOnARealServer(String image) throws Exception {
        try (JdbcDatabaseContainer<?> server = container(image)) {
            server.start();
            Engine engine = image.startsWith("mysql") ? Engine.MYSQL : image.contains("mssql") ? Engine.MSSQL : Engine.ORACLE;
            TestDatabase db = TestDatabase.existing(engine, "container_" + engine.profile(), server.getJdbcUrl(),
                    server.getUsername(), server.getPassword());
            try (Connection c = db.connect()) {
                Baseline.create(c, true);
                new Carbon400Seeder(c, 3, 6).seed();
                new Identity400Seeder(c, 3, 6).seed();
            }
            Upgrade.of(db).identityServer().update();
            try (Connection c = db.connect()) {
                ReferenceCheck.Outcome outcome = ReferenceCheck.run(c, Set.of("carbon", "identity", "idp"));
                outcome.all().forEach(d -> System.out.println("[containers] " + image + " | " + d));
                assertEquals(List.of(), outcome.unexplained());
                VerificationReport report = Verifier.verify(c, true);
                assertTrue(report.passed(), report.markdown());
            }
        }
    }

    @SuppressWarnings("resource")
    private static JdbcDatabaseContainer<?> container(String image) {
        if (image.startsWith("mysql")) return new MySQLContainer<>(image).withDatabaseName("wso2carbon_db");
        if (image.contains("mssql")) return new MSSQLServerContainer<>(image).acceptLicense();
        return new OracleContainer(image);
    }
}
