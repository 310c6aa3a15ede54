package org.carbonupgrade.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.change.custom.CustomSqlChange;
import liquibase.statement.SqlStatement;
import liquibase.statement.core.InsertStatement;

import org.carbonupgrade.access.RealmNames;
import org.carbonupgrade.change.PlainCustomChange;
import org.carbonupgrade.gate.GateRunner;
import org.carbonupgrade.gate.GateSettings;
import org.carbonupgrade.gate.UpgradeGate;

/**
 * Writes one CARBON_UPGRADE_RUN row per run: when, which product and engine, where the operator said the
 * backup is, and what the gate found (warnings, sessions overridden). DATABASECHANGELOG says what ran;
 * this row says on what grounds.
 */
public class RecordUpgradeRun extends PlainCustomChange implements CustomSqlChange {
    public static final String TABLE = "CARBON_UPGRADE_RUN";
    public static final String ROW_COUNT_TABLE = "CARBON_UPGRADE_ROW_COUNT";

    @Override
    public SqlStatement[] generateStatements(Database database) {
        GateSettings settings = GateSettings.current();
        UpgradeGate.Result gate = GateRunner.resultFor(database);
        String findings = gate == null ? "gate not run (offline SQL)"
                : gate.warnings().isEmpty() ? "all prerequisites met" : String.join(" | ", gate.warnings());
        if (gate != null) findings += " | " + namesUsed(database);
        String runId = UUID.randomUUID().toString();
        List<SqlStatement> statements = new ArrayList<>();
        statements.add(new InsertStatement(database.getLiquibaseCatalogName(), database.getLiquibaseSchemaName(), TABLE)
                .addColumnValue("RUN_ID", runId)
                .addColumnValue("STARTED_AT", startedAt(database))
                .addColumnValue("PRODUCT", settings.product() == null ? "carbon" : truncate(settings.product(), 20))
                .addColumnValue("ENGINE", truncate(settings.expectedEngine(), 20))
                .addColumnValue("DATABASE_INFO", gate == null ? null : truncate(gate.database(), 500))
                .addColumnValue("BACKUP_REF", settings.backup() == null ? "(none: SQL review only)" : truncate(settings.backup(), 1000))
                .addColumnValue("GATE_FINDINGS", truncate(findings, 4000))
                .addColumnValue("TOOL_VERSION", ToolVersion.get()));
        if (gate != null) {
            gate.rowCounts().forEach((table, rows) -> statements.add(
                    new InsertStatement(database.getLiquibaseCatalogName(), database.getLiquibaseSchemaName(), ROW_COUNT_TABLE)
                            .addColumnValue("RUN_ID", runId).addColumnValue("TABLE_NAME", table).addColumnValue("ROW_COUNT", rows)));
        }
        return statements.toArray(new SqlStatement[0]);
    }

    /**
     * Now (on a database: in whole seconds), but always after every run already recorded: the verifier takes the earliest STARTED_AT as
     * the run whose counts were taken before anything changed, and a re-run in the same second (MySQL's TIMESTAMP keeps
     * whole seconds, rounded) or from a host whose clock is behind would otherwise tie with it or come first.
     */
    static Timestamp startedAt(Database database) {
        if (!(database.getConnection() instanceof JdbcConnection jdbc) || GateRunner.reviewOnly(database)) return Timestamp.from(Instant.now());
        Timestamp now = Timestamp.from(Instant.ofEpochSecond(Instant.now().getEpochSecond()));
        try (Statement s = jdbc.getUnderlyingConnection().createStatement();
                ResultSet rs = s.executeQuery("SELECT MAX(STARTED_AT) FROM " + TABLE)) {
            Timestamp latest = rs.next() ? rs.getTimestamp(1) : null;
            return latest == null || now.after(latest) ? now : Timestamp.from(latest.toInstant().plusSeconds(1));
        } catch (SQLException e) {
            return now; // no run table yet on this connection's view: the first run
        }
    }

    /** The realm names the back-fill maps by, as the gate saw them on this database. */
    private static String namesUsed(Database database) {
        RealmNames names = RealmNames.current();
        try {
            Connection c = ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
            return names.describe(org.carbonupgrade.gate.GateRunner.everyoneRoleByTenant(database, c, names));
        } catch (SQLException e) {
            return names.describe(Map.of(RealmNames.SUPER_TENANT, names.superTenantEveryoneRole())) + " (tenants' names unread: " + e.getMessage() + ")";
        }
    }

    /** One line (the values appear as literals in the review SQL too), cut to the column's size. */
    private static String truncate(String s, int max) {
        s = SafeText.line(s);
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    @Override
    public String getConfirmationMessage() {
        return "Recorded this run in " + TABLE;
    }
}
