package org.carbonupgrade.guard;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomPreconditionErrorException;
import liquibase.exception.CustomPreconditionFailedException;
import liquibase.precondition.CustomPrecondition;

import org.carbonupgrade.change.HybridUserRoleRebuild;
import org.carbonupgrade.gate.GateRunner;
import org.carbonupgrade.gate.GateSettings;

/**
 * The guard of each step of PostgreSQL's rebuild of UM_HYBRID_USER_ROLE (changelogs/carbon/um-domain-ids.xml): holds when
 * the step is still to do. {@code create}: no copy yet, a row still lacks its domain id and nothing is in the way of a
 * rebuild (else the failure names what is, and the back-fill statements fill the table in place). The later steps: the
 * copy exists ({@code copy}, {@code swap}: both go on from where a stopped run left them), without its primary key's
 * index ({@code primary-key}) or its foreign key ({@code foreign-key}). {@code analyze}: the table was rebuilt, i.e. the
 * copy was created by a run ({@code create} recorded as EXECUTED, not MARK_RAN); Liquibase runs it once, so a run
 * stopped after the swap's commit and before the ANALYZE (whatever the server's activity counters, which a server crash
 * resets, say) analyses on the next run. Review SQL on a live database, before the copy was created by a recorded run,
 * answers for every step as for {@code create}, so the script holds the whole rebuild or none of it; offline, the whole
 * rebuild (a 4.0.0 schema has nothing in its way).
 */
public class HybridRebuildStep implements CustomPrecondition {
    private String step;

    public void setStep(String step) {
        this.step = step.trim();
    }

    @Override
    public void check(Database database) throws CustomPreconditionFailedException, CustomPreconditionErrorException {
        if (!List.of("create", "copy", "primary-key", "foreign-key", "swap", "analyze").contains(step)) {
            throw new CustomPreconditionErrorException("HybridRebuildStep: unknown step " + step);
        }
        if (!(database.getConnection() instanceof JdbcConnection jdbc)) return;
        try {
            Connection c = jdbc.getUnderlyingConnection();
            boolean copy = HybridUserRoleRebuild.copyExists(c);
            if (step.equals("analyze") && createExecuted(database)) return;
            if (step.equals("create") || (!copy && GateRunner.reviewOnly(database)
                    && !CatalogGuard.ran(database, jdbc, HybridUserRoleRebuild.CREATE_CHANGESET))) {
                if (copy) throw new CustomPreconditionFailedException("the copy of UM_HYBRID_USER_ROLE exists already");
                if (!HybridUserRoleRebuild.anyRowLacking(c)) {
                    throw new CustomPreconditionFailedException("no row of UM_HYBRID_USER_ROLE lacks its domain id: nothing to rebuild");
                }
                List<String> reasons = HybridUserRoleRebuild.reasonsNotToRebuild(c, Boolean.parseBoolean(GateSettings.value(GateSettings.ALLOW_SESSIONS)));
                if (!reasons.isEmpty()) {
                    throw new CustomPreconditionFailedException("UM_HYBRID_USER_ROLE is filled in place (chunked UPDATE), not rebuilt: "
                            + String.join("; ", reasons));
                }
                return;
            }
            if (step.equals("analyze")) throw new CustomPreconditionFailedException("UM_HYBRID_USER_ROLE was not rebuilt");
            if (!copy) throw new CustomPreconditionFailedException("no copy of UM_HYBRID_USER_ROLE (not rebuilt, or swapped in already)");
            if (step.equals("primary-key") && HybridUserRoleRebuild.copyHasPrimaryKeyIndex(c)) {
                throw new CustomPreconditionFailedException("the copy has its primary key's index");
            }
            if (step.equals("foreign-key") && HybridUserRoleRebuild.copyHasRoleForeignKey(c)) {
                throw new CustomPreconditionFailedException("the copy has its foreign key to UM_HYBRID_ROLE");
            }
        } catch (SQLException e) {
            throw new CustomPreconditionErrorException("Cannot read the catalog for UM_HYBRID_USER_ROLE's rebuild: " + e.getMessage(), e);
        }
    }

    /** Whether a run created the copy ({@value HybridUserRoleRebuild#CREATE_CHANGESET} EXECUTED). */
    private static boolean createExecuted(Database database) throws CustomPreconditionErrorException {
        return CatalogGuard.ran(database, (JdbcConnection) database.getConnection(), HybridUserRoleRebuild.CREATE_CHANGESET, "EXECUTED");
    }
}
