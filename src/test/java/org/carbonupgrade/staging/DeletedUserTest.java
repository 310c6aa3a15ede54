package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.carbonupgrade.Engine;
import org.carbonupgrade.upgrade.AccessMappingTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A user deleted on production as 4.0.x deletes one from its read-write JDBC store (Writes.deleteUser) keeps their
 * UM_HYBRID_USER_ROLE rows: 4.0.x's delete leaves them, by name, so every production database that ever deleted a
 * user with an Internal role holds such rows, and a user of the same name added later holds those roles again. After
 * each catch-up pass staging must give that name the same roles through 4.2.0's own lookup, and the verifier's access
 * check must pass with the rows present.
 */
class DeletedUserTest {
    /** amum0611/kernel @ 2f646275, core/org.wso2.carbon.user.core/.../hybrid/HybridJDBCConstants.GET_ROLE_LIST_OF_USER_SQL. */
    private static final String GET_ROLE_LIST_OF_USER_SQL_400 = "SELECT UM_ROLE_NAME FROM UM_HYBRID_USER_ROLE, "
            + "UM_HYBRID_ROLE WHERE UM_USER_NAME=? AND UM_HYBRID_USER_ROLE.UM_ROLE_ID=UM_HYBRID_ROLE.UM_ID AND "
            + "UM_HYBRID_USER_ROLE.UM_TENANT_ID=? AND UM_HYBRID_ROLE.UM_TENANT_ID=?";
    private static final int TENANT = -1234;
    private static final String USER = "user3"; // the seeder puts user3 into the hybrid roles reviewers and subscribers

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"H2", "POSTGRESQL", "MYSQL"})
    void aDeletedUsersHybridRolesGoToAUserOfTheSameNameAddedLater(Engine engine) throws Exception {
        StagedPair pair = StagedPair.copied(engine, "deleted_user");
        List<String> held = List.of("Internal/everyone", "Internal/reviewers", "Internal/subscribers");
        try (Connection p = pair.production.connect()) {
            p.setAutoCommit(false);
            Writes.deleteUser(p, TENANT, USER);
            p.commit();
            p.setAutoCommit(true);
            assertEquals(List.of("Internal/reviewers", "Internal/subscribers"), rolesIn400(p), "4.0.x's delete left the hybrid rows");
        }
        CatchUp.Outcome deleted = pair.catchUp();
        assertTrue(deleted.applied() && deleted.verification().passed(), deleted.conflicts() + " "
                + (deleted.verification() == null ? "" : deleted.verification().problems()));
        try (Connection s = pair.staging.connect()) {
            assertEquals(0, Writes.single(s, "SELECT COUNT(*) FROM UM_USER WHERE UM_USER_NAME = '" + USER + "' AND UM_TENANT_ID = " + TENANT));
            assertEquals(held, sorted(AccessMappingTest.hybridRolesOf(s, USER, TENANT, "PRIMARY", "everyone")), "4.2.0's lookup of the name");
        }

        // The name added again (jdbc/JDBCUserStoreManager.persistUser, same commit: JDBCRealmConstants.ADD_USER_SQL, the
        // everyone role by ADD_ROLE_TO_USER_SQL, a claim by ADD_USER_PROPERTY_SQL, one transaction; ids from the generators).
        try (Connection p = pair.production.connect()) {
            p.setAutoCommit(false);
            Writes.update(p, "INSERT INTO UM_USER (UM_USER_NAME, UM_USER_PASSWORD, UM_SALT_VALUE, UM_REQUIRE_CHANGE, UM_CHANGED_TIME, UM_TENANT_ID)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", USER, "bmV3LXVzZXIz", "salt-new", false, Writes.WHEN, TENANT);
            Writes.update(p, "INSERT INTO UM_USER_ROLE (UM_ROLE_ID, UM_USER_ID, UM_TENANT_ID) VALUES ((SELECT UM_ID FROM UM_ROLE WHERE UM_ROLE_NAME=?"
                    + " AND UM_TENANT_ID=?),(SELECT UM_ID FROM UM_USER WHERE UM_USER_NAME=? AND UM_TENANT_ID=?), ?)", "everyone", TENANT, USER, TENANT, TENANT);
            Writes.update(p, "INSERT INTO UM_USER_ATTRIBUTE (UM_USER_ID, UM_ATTR_NAME, UM_ATTR_VALUE, UM_PROFILE_ID, UM_TENANT_ID) VALUES ((SELECT UM_ID"
                    + " FROM UM_USER WHERE UM_USER_NAME=? AND UM_TENANT_ID=?), ?, ?, ?, ?)", USER, TENANT, "mail", "new.user3@example.com", "default", TENANT);
            p.commit();
            p.setAutoCommit(true);
            assertTrue(Writes.single(p, "SELECT UM_ID FROM UM_USER WHERE UM_USER_NAME = '" + USER + "' AND UM_TENANT_ID = " + TENANT) != 3, "a new id");
        }
        CatchUp.Outcome added = pair.catchUp();
        assertTrue(added.applied() && added.verification().passed(), added.conflicts() + " "
                + (added.verification() == null ? "" : added.verification().problems()));
        try (Connection s = pair.staging.connect(); Connection p = pair.production.connect()) {
            assertEquals(Writes.single(p, "SELECT UM_ID FROM UM_USER WHERE UM_USER_NAME = '" + USER + "' AND UM_TENANT_ID = " + TENANT),
                    Writes.single(s, "SELECT UM_ID FROM UM_USER WHERE UM_USER_NAME = '" + USER + "' AND UM_TENANT_ID = " + TENANT));
            assertEquals(held, sorted(AccessMappingTest.hybridRolesOf(s, USER, TENANT, "PRIMARY", "everyone")), "4.2.0's lookup of the new user");
        }
    }

    /** 4.0.x HybridRoleManager.getHybridRoleListOfUser's rows, named as 4.2.0 names them (the everyone role aside). */
    private static List<String> rolesIn400(Connection p) throws Exception {
        List<String> roles = new ArrayList<>();
        try (PreparedStatement ps = p.prepareStatement(GET_ROLE_LIST_OF_USER_SQL_400)) {
            ps.setString(1, USER);
            ps.setInt(2, TENANT);
            ps.setInt(3, TENANT);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) roles.add("Internal/" + rs.getString(1));
            }
        }
        return sorted(roles);
    }

    private static List<String> sorted(List<String> roles) {
        List<String> out = new ArrayList<>(roles);
        out.sort(null);
        return out;
    }
}
