package org.carbonupgrade.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** SlotScan.plainInteger answers as the pattern it replaced, -?[0-9]{1,18} matched whole, for decoded key values. */
class SlotScanIntegerTest {
    @Test
    void sameAnswersAsThePattern() {
        String[] values = {"0", "7", "-7", "123456789012345678", "-123456789012345678", "1234567890123456789", "", "-", "--1",
            "+1", "1-", " 1", "1 ", "1.0", "0x1f", "١٢", "NaN", "'12'", "12a", "a12", "9223372036854775807", "000000000000000001"};
        for (String v : values) {
            assertEquals(v.matches("-?[0-9]{1,18}"), SlotScan.plainInteger(v), v);
        }
        assertEquals(false, SlotScan.plainInteger(null));
    }
}
