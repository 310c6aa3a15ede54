package org.carbonupgrade.change;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import liquibase.Scope;
import liquibase.change.custom.CustomSqlChange;
import liquibase.database.Database;
import liquibase.database.PreparedStatementFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.CustomChangeException;
import liquibase.exception.DatabaseException;
import liquibase.statement.ExecutablePreparedStatement;
import liquibase.statement.SqlStatement;
import liquibase.statement.core.CommentStatement;
import liquibase.statement.core.RawSqlStatement;

import org.carbonupgrade.gate.GateRunner;
import org.carbonupgrade.gate.GateSettings;

/**
 * PostgreSQL: CARBON_UPGRADE_HYBRID_USER_ROLE, the rebuilt copy (HybridUserRoleRebuild), takes UM_HYBRID_USER_ROLE's
 * place in one transaction. PostgreSQL's DDL is transactional, so a run killed anywhere in it leaves the old table as it
 * was and the copy beside it, and the next run swaps again; once committed, the old table is gone and this changeset's
 * guard (the copy exists) lets it through no more.
 *
 * <p>Holding both tables exclusively, it first checks that the old table can still be rebuilt
 * ({@link HybridUserRoleRebuild#reasonsNotToRebuild}), has as many rows as the copy and none written since the copy
 * began (a writer the gate did not see). If not, it drops the copy and leaves the old table to the chunked UPDATE of
 * the back-fill changesets that follow, which fill it in place. Otherwise: any sequence owned by an old column is moved
 * to the copy's (dropping the old table would drop it; 4.0.0's own UM_HYBRID_USER_ROLE_PK_SEQ belongs to no column and
 * stays where it is, the copy's UM_ID default naming it as the old one did), the old table is dropped, the copy renamed,
 * its primary key made from its index under the old key's name, its foreign key to UM_HYBRID_ROLE given the old key's
 * name, the old table's privileges granted again and its comment set again. The owner is the role running the upgrade,
 * which is the old table's owner and the grantor of every privilege on it (else there is no rebuild). The statistics the
 * old table took with it are gathered by the next changeset (um-hybrid-user-role-rebuild-analyze), not here: a run
 * stopped between this commit and an ANALYZE of its own would be recorded as swapped on the next run and never analyse.
 *
 * <p>Review prints the same statements, read from the live catalog (offline: a 4.0.0 schema's names), as one DO block
 * that also refuses a copy short of rows.
 */
public class SwapHybridUserRole extends PlainCustomChange implements CustomSqlChange {
    private static final String COPY = HybridUserRoleRebuild.COPY;
    private static final String TABLE = HybridUserRoleRebuild.TABLE;

    @Override
    public SqlStatement[] generateStatements(Database database) throws CustomChangeException {
        if (database.getConnection() instanceof JdbcConnection jdbc && !GateRunner.reviewOnly(database)) {
            return new SqlStatement[] {new Swapping()};
        }
        try {
            List<String> swap = statements(database.getConnection() instanceof JdbcConnection jdbc ? jdbc.getUnderlyingConnection() : null);
            return new SqlStatement[] {comment(), new RawSqlStatement(block(swap))};
        } catch (SQLException e) {
            throw new CustomChangeException("Cannot read UM_HYBRID_USER_ROLE's keys and privileges: " + e.getMessage(), e);
        }
    }

    private static CommentStatement comment() {
        return new CommentStatement(COPY.toUpperCase(Locale.ROOT) + " replaces UM_HYBRID_USER_ROLE in one statement, so it is all or nothing"
                + " however the file\n-- is run; it refuses when the copy lacks rows. The tool runs the same statements in one transaction,"
                + " after checking\n-- also that no row was written since the copy began; if either check fails it drops the copy and the"
                + " back-fill\n-- statements below fill UM_HYBRID_USER_ROLE in place.");
    }

    /**
     * The swap as one DO block for review: whoever runs the file (psql without -1 or ON_ERROR_STOP included) cannot drop
     * the old table without the rest, nor when an earlier statement of the file failed and left the copy short. The
     * dollar-quote tag is one no statement contains (a table comment is copied into the block).
     */
    static String block(List<String> swap) {
        String tag = "$swap$";
        for (int n = 1; String.join("", swap).contains(tag); n++) tag = "$swap" + n + "$";
        StringBuilder sql = new StringBuilder("DO " + tag + "\nBEGIN\n  " + swap.get(0) + ";\n");
        sql.append("  IF (SELECT COUNT(*) FROM " + COPY + ") <> (SELECT COUNT(*) FROM " + TABLE + ") THEN\n");
        sql.append("    RAISE EXCEPTION '" + COPY + " does not hold every row of " + TABLE + ": nothing swapped';\n  END IF;\n");
        for (String statement : swap.subList(1, swap.size())) sql.append("  ").append(statement).append(";\n");
        return sql.append("END ").append(tag).toString();
    }

    /**
     * The swap's statements. From the catalog when there is a connection: the old table's key names, owned sequences,
     * privileges and comment; with none (offline), those of a 4.0.0 schema.
     */
    static List<String> statements(Connection c) throws SQLException {
        List<String> sql = new ArrayList<>();
        sql.add("LOCK TABLE " + TABLE + ", " + COPY + " IN ACCESS EXCLUSIVE MODE");
        Long table = c == null ? null : HybridUserRoleRebuild.oid(c, TABLE);
        if (table != null) {
            // Sequences owned by a column of the old table (a SERIAL, or ALTER SEQUENCE ... OWNED BY): DROP TABLE would take them along.
            sql.addAll(strings(c, "SELECT 'ALTER SEQUENCE ' || d.objid::regclass::text || ' OWNED BY " + COPY + ".' || quote_ident(a.attname)"
                    + " FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
                    + " JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid"
                    + " WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = ? AND d.deptype = 'a'"
                    + " ORDER BY 1", table));
        }
        sql.add("DROP TABLE " + TABLE);
        sql.add("ALTER TABLE " + COPY + " RENAME TO " + TABLE);
        String primaryKey = table == null ? null
                : first(c, "SELECT quote_ident(conname) FROM pg_constraint WHERE conrelid = ? AND contype = 'p'", table);
        sql.add("ALTER TABLE " + TABLE + " ADD CONSTRAINT " + (primaryKey != null ? primaryKey : "um_hybrid_user_role_pkey")
                + " PRIMARY KEY USING INDEX " + HybridUserRoleRebuild.COPY_PRIMARY_KEY_INDEX);
        String roleKey = table == null ? null
                : first(c, "SELECT quote_ident(conname) FROM pg_constraint WHERE conrelid = ? AND contype = 'f'", table);
        if (roleKey != null && !roleKey.equals(HybridUserRoleRebuild.ROLE_FOREIGN_KEY)) {
            sql.add("ALTER TABLE " + TABLE + " RENAME CONSTRAINT " + HybridUserRoleRebuild.ROLE_FOREIGN_KEY + " TO " + roleKey);
        }
        if (table != null) sql.addAll(privileges(c, table));
        String comment = table == null ? null : first(c, "SELECT quote_literal(obj_description(?, 'pg_class'))", table);
        sql.add("COMMENT ON TABLE " + TABLE + " IS " + (comment != null ? comment : "NULL"));
        return sql;
    }

    /**
     * The old table's privileges as GRANTs on the new one, when it has any beyond the owner's defaults (relacl not
     * NULL): the owner's own are revoked first and granted back as they were, so the list ends as the old one. Each is
     * granted by the owner (a GRANT records who runs it), which is right because every grant on the old table is the
     * owner's: one an old grantee passed on WITH GRANT OPTION keeps the table out of the rebuild
     * (HybridUserRoleRebuild#reasonsNotToRebuild).
     */
    private static List<String> privileges(Connection c, long table) throws SQLException {
        if (first(c, "SELECT 1 FROM pg_class WHERE oid = ? AND relacl IS NOT NULL", table) == null) return List.of();
        List<String> sql = new ArrayList<>();
        sql.add("REVOKE ALL ON TABLE " + TABLE + " FROM " + first(c, "SELECT quote_ident(pg_get_userbyid(relowner)) FROM pg_class WHERE oid = ?", table));
        sql.addAll(strings(c, "SELECT 'GRANT ' || string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) || ' ON TABLE " + TABLE + " TO '"
                + " || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END"
                + " || CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END"
                + " FROM pg_class k, aclexplode(k.relacl) a WHERE k.oid = ? GROUP BY a.grantee, a.is_grantable ORDER BY 1", table));
        return sql;
    }

    private static List<String> strings(Connection c, String query, long table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(query)) {
            ps.setLong(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String first(Connection c, String query, long table) throws SQLException {
        List<String> all = strings(c, query, table);
        return all.isEmpty() ? null : all.get(0);
    }

    @Override
    public String getConfirmationMessage() {
        return "Swapped the rebuilt UM_HYBRID_USER_ROLE in";
    }

    /** The checks and the swap in one transaction, run by Liquibase's JDBC executor. */
    static final class Swapping extends RawSqlStatement implements ExecutablePreparedStatement {
        Swapping() {
            super("-- the swap of the rebuilt UM_HYBRID_USER_ROLE");
        }

        @Override
        public void execute(PreparedStatementFactory statements) throws DatabaseException {
            Consumer<String> log = line -> Scope.getCurrentScope().getLog(SwapHybridUserRole.class).info(line);
            try (PreparedStatement probe = statements.create("SELECT 1")) {
                swap(probe.getConnection(), log);
            } catch (SQLException e) {
                throw new DatabaseException("Swapping the rebuilt UM_HYBRID_USER_ROLE in failed, nothing of it was kept (one transaction): "
                        + e.getMessage() + ". Run the upgrade again.", e);
            }
        }

        private static void swap(Connection c, Consumer<String> log) throws SQLException {
            long started = System.nanoTime();
            if (c.getAutoCommit()) throw new SQLException("the swap needs a transaction, but the connection commits each statement");
            try (Statement s = c.createStatement()) {
                s.execute("LOCK TABLE " + TABLE + ", " + COPY + " IN ACCESS EXCLUSIVE MODE");
                String refused = refusal(c);
                if (refused != null) {
                    c.rollback();
                    s.execute("DROP TABLE " + COPY);
                    c.commit();
                    Scope.getCurrentScope().getLog(SwapHybridUserRole.class).warning("rebuild UM_HYBRID_USER_ROLE: not swapped in, the copy is"
                            + " dropped and the back-fill statements fill the table in place: " + refused);
                    return;
                }
                for (String sql : statements(c)) s.execute(sql);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
            log.accept(String.format(Locale.ROOT, "rebuild UM_HYBRID_USER_ROLE: swapped in (one transaction) in %,d ms",
                    (System.nanoTime() - started) / 1_000_000));
        }

        /** Why the copy must not replace the table (the caller holds both tables), or null. */
        private static String refusal(Connection c) throws SQLException {
            List<String> reasons = HybridUserRoleRebuild.reasonsNotToRebuild(c, Boolean.parseBoolean(GateSettings.value(GateSettings.ALLOW_SESSIONS)));
            if (!reasons.isEmpty()) return String.join("; ", reasons);
            String began = HybridUserRoleRebuild.copyBeganIn(c);
            long copied = count(c, "SELECT COUNT(*) FROM " + COPY);
            if (began == null) return "the copy has no mark of the snapshot it began in";
            // A row version's full 64-bit xid is this transaction's minus its age (age() counts from this transaction's xid,
            // modulo 2^32); it was written since the copy began when the copy's snapshot does not see it. Both values are
            // the server's own: a number, and a snapshot text checked by copyBeganIn.
            long now = count(c, "SELECT txid_current()");
            String since = "NOT txid_visible_in_snapshot(" + now + " - age(xmin), '" + began + "'::txid_snapshot)";
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(*) FILTER (WHERE " + since + ") FROM " + TABLE)) {
                rs.next();
                long rows = rs.getLong(1);
                long written = rs.getLong(2);
                if (written > 0) {
                    return String.format(Locale.ROOT, "%,d rows of UM_HYBRID_USER_ROLE were written after the copy began (is a Carbon server or another"
                            + " client still writing? stop it before running the upgrade)", written);
                }
                if (rows != copied) {
                    return String.format(Locale.ROOT, "the copy has %,d rows, UM_HYBRID_USER_ROLE %,d (a domain of one tenant and name in UM_DOMAIN"
                            + " twice would do that: the in-place fill then stops on it and names it)", copied, rows);
                }
            }
            return null;
        }

        private static long count(Connection c, String sql) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
