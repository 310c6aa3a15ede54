package org.carbonupgrade.audit;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import liquibase.change.custom.CustomSqlChange;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.statement.SqlStatement;
import liquibase.statement.core.CommentStatement;

import org.carbonupgrade.change.PlainCustomChange;
import org.carbonupgrade.gate.GateRunner;
import org.carbonupgrade.gate.GateSettings;
import org.carbonupgrade.gate.UpgradeGate;

/**
 * The header of the SQL a DBA reviews (updateSQL): target engine, product scope, tool version, time, and what
 * the gate found on the live database. A real update writes nothing here; its record is CARBON_UPGRADE_RUN.
 */
public class ReviewHeader extends PlainCustomChange implements CustomSqlChange {
    @Override
    public SqlStatement[] generateStatements(Database database) {
        boolean live = database.getConnection() instanceof JdbcConnection;
        if (live && !GateRunner.reviewOnly(database)) {
            return new SqlStatement[0];
        }
        GateSettings settings = GateSettings.current();
        List<String> lines = new ArrayList<>();
        lines.add("carbon-upgrade " + ToolVersion.get() + ": WSO2 Carbon 4.0.0 -> 4.2.0 database upgrade, SQL for review");
        lines.add("target engine: " + database.getShortName() + " (profile " + settings.expectedEngine() + ")");
        lines.add("product scope: " + (settings.identityServer() ? "Identity Server (contexts carbon, is)" : "Carbon (context carbon)"));
        lines.add("changelog: changelogs/carbon-upgrade.xml of carbon-upgrade " + ToolVersion.get());
        lines.add("generated: " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        if (live) {
            UpgradeGate.Result gate = GateRunner.resultFor(database);
            lines.add("database: " + (gate == null ? "(live)" : gate.database()));
            if (gate != null) gate.warnings().forEach(w -> lines.add("gate: " + w.trim()));
            lines.add("checks were evaluated against this database: only what it still needs is listed.");
        } else {
            lines.add("database: none (offline). Every change is listed as for a plain Carbon 4.0.0 schema; the real");
            lines.add("run checks the catalog before each change and skips what is already in place.");
        }
        lines.add("rollback: refused by design; the way back is the backup taken before the upgrade.");
        // Every line is neutralised: the gate's findings carry session and role names an outsider chose.
        return new SqlStatement[] {new CommentStatement(String.join("\n-- ", lines.stream().map(SafeText::comment).toList()))};
    }

    @Override
    public String getConfirmationMessage() {
        return "Review header";
    }
}
