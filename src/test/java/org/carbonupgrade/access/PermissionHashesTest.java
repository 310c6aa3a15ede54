package org.carbonupgrade.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * UM_PERMISSION's text hashes by (tenant, id): the same answers as a HashMap through its growths, for every key
 * AccessSql.key makes, the one that equals the table's empty-slot marker included.
 */
class PermissionHashesTest {
    @Test
    void answersAsAHashMapThroughManyGrowths() {
        PermissionHashes hashes = new PermissionHashes();
        Map<Long, Integer> reference = new HashMap<>();
        Random random = new Random(7);
        for (int i = 0; i < 300_000; i++) {
            long key = AccessSql.key(random.nextInt(50_000) - 1234, random.nextInt(40));
            int hash = random.nextInt(); // engine hashes are any int, negative ones and ABSENT's low bits included
            hashes.put(key, hash);
            reference.put(key, hash);
        }
        long marker = AccessSql.key(Integer.MIN_VALUE, 0); // Long.MIN_VALUE: the empty-slot marker
        assertEquals(Long.MIN_VALUE, marker);
        assertEquals(PermissionHashes.ABSENT, hashes.get(marker));
        hashes.put(marker, -5);
        reference.put(marker, -5);
        for (int i = 0; i < 100_000; i++) { // growths after the marker's key was put keep it
            long key = AccessSql.key(60_000 + random.nextInt(20_000), random.nextInt(40));
            hashes.put(key, i);
            reference.put(key, i);
        }
        assertEquals(reference.size(), hashes.size());
        reference.forEach((k, v) -> assertEquals((long) v, hashes.get(k)));
        assertEquals(PermissionHashes.ABSENT, hashes.get(AccessSql.key(-5000, 3)));
    }
}
