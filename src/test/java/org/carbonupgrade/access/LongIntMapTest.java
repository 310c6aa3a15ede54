package org.carbonupgrade.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The flat maps the access check holds its per-(tenant, id) entries in: the same answers as a HashMap. */
class LongIntMapTest {
    @Test
    void answersAsAHashMapThroughManyGrowths() {
        LongIntMap map = new LongIntMap();
        Map<Long, Integer> reference = new HashMap<>();
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            // Keys as the access check makes them (the super tenant's negative id included), and arbitrary longs, 0 too.
            long key = i % 3 == 0 ? AccessSql.key(random.nextInt(50_000) - 1234, random.nextInt(20)) : random.nextLong() % 1000;
            int value = random.nextInt(1_000_000);
            Integer before = reference.put(key, value);
            assertEquals(before == null ? LongIntMap.ABSENT : before, map.put(key, value));
        }
        assertEquals(reference.size(), map.size());
        reference.forEach((k, v) -> assertEquals(v, map.get(k)));
        int[] seen = {0};
        map.forEach((k, v) -> {
            assertEquals(reference.get(k), v);
            seen[0]++;
        });
        assertEquals(reference.size(), seen[0]);
        assertEquals(LongIntMap.ABSENT, map.get(AccessSql.key(99_999, 99)));
        assertFalse(map.containsKey(AccessSql.key(99_999, 99)));
        assertEquals(reference.get(0L) == null ? 7 : reference.get(0L), map.putIfAbsent(0L, 7));
        assertTrue(map.containsKey(0L));
        assertThrows(IllegalArgumentException.class, () -> map.put(1L, -1));
    }

    @Test
    void namesByTenantAndIdAndWhetherATenantHasAName() {
        IdNames names = new IdNames();
        names.put(-1234, 1, "admin");
        names.put(1, 1, "admin");
        names.put(1, 2, "everyone");
        names.put(2, 1, null);
        assertEquals("admin", names.get(-1234, 1));
        assertEquals("everyone", names.get(1, 2));
        assertNull(names.get(2, 1));
        assertNull(names.get(2, 2));
        assertTrue(names.has(1, "everyone"));
        assertFalse(names.has(-1234, "everyone"));
        assertFalse(names.has(3, "admin"));
        assertTrue(names.has(2, null));
        assertEquals(4, names.size());
        // One instance per distinct name, however many tenants repeat it.
        assertTrue(names.get(-1234, 1) == names.get(1, 1));
    }

    @Test
    void snapshotTextIsCutIntoPartsOfWholeLines() {
        StringBuilder all = new StringBuilder();
        StringBuilder b = new StringBuilder();
        java.util.List<String> parts = new java.util.ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            // Mostly short lines, a few longer than a part.
            String line = (i % 50_000 == 49_999 ? "x".repeat(AccessSnapshot.PART_CHARS + 10) : "m\t" + random.nextLong()) + "\n";
            all.append(line);
            b.append(line);
            AccessSnapshot.cut(b, parts);
        }
        if (b.length() > 0) parts.add(b.toString());
        assertEquals(all.toString(), String.join("", parts));
        for (String p : parts) {
            assertTrue(p.endsWith("\n"));
            assertTrue(p.length() <= AccessSnapshot.PART_CHARS || p.indexOf('\n') == p.length() - 1, "a part over the size is one line: " + p.length() + " chars, first line ends at " + p.indexOf('\n'));
        }
        assertTrue(parts.size() > 4);
    }
}
