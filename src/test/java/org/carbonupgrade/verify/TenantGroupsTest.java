package org.carbonupgrade.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.carbonupgrade.access.LongIntMap;
import org.carbonupgrade.access.RoleName;
import org.junit.jupiter.api.Test;

/** The access check's flat groups: one row per (tenant, label), columns summed as a map of objects would sum them. */
class TenantGroupsTest {
    @Test
    void rowsPerTenantAndLabelKeepTheirColumnsThroughGrowth() {
        TenantGroups<RoleName> groups = new TenantGroups<>(2, 4); // far fewer than added: the arrays grow many times
        Map<List<Object>, long[]> reference = new HashMap<>();
        List<RoleName> roles = List.of(new RoleName("PRIMARY", "admin"), new RoleName("INTERNAL", "everyone"), new RoleName(null, "admin"));
        for (int i = 0; i < 100_000; i++) {
            int tenant = i % 7_001 - 1234;
            RoleName role = roles.get(i % 3);
            int row = groups.row(tenant, new RoleName(role.domain(), role.name())); // an equal label, not the same instance
            groups.add(row, 0, 1);
            groups.add(row, 1, i);
            long[] r = reference.computeIfAbsent(List.of(tenant, role), k -> new long[2]);
            r[0]++;
            r[1] += i;
        }
        assertEquals(reference.size(), groups.size());
        for (int row = 0; row < groups.size(); row++) {
            long[] r = reference.get(List.of(groups.tenant(row), groups.label(row)));
            assertEquals(r[0], groups.get(row, 0));
            assertEquals(r[1], groups.get(row, 1));
            assertEquals(row, groups.find(groups.tenant(row), groups.label(row)));
        }
        assertEquals(LongIntMap.ABSENT, groups.find(99_999, roles.get(0)));
        assertEquals(LongIntMap.ABSENT, groups.find(-1234, new RoleName("SYSTEM", "admin")));
        int row = groups.find(-1234, roles.get(1));
        assertNull(groups.ref(row));
        groups.setRef(row, "x");
        assertSame("x", groups.ref(row));
        // Labels are held once: every row of a label gives back the first instance added.
        assertSame(groups.label(groups.find(1, roles.get(0))), groups.label(groups.find(2, roles.get(0))));
    }
}
