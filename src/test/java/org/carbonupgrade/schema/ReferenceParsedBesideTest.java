package org.carbonupgrade.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * A catch-up pass has the 4.2.0 reference parsed on a thread of its own while it compares (ReferenceSchema.parseBeside):
 * the verifier's load must then give exactly the tables a load that parses the file itself gives, each load its own
 * objects (one caller's change to a table never reaches the next), and a missing file the same refusal.
 */
class ReferenceParsedBesideTest {
    private static final Set<String> ALL = Set.of("carbon", "identity", "idp");

    @Test
    void aReferenceParsedBesideLoadsTheSameTablesAsOneParsedOnLoad() {
        for (String name : List.of("postgresql", "mysql", "h2", "h2-1.2.140", "mssql", "oracle")) {
            Map<String, String> parsedOnLoad = described(ReferenceSchema.load(name));
            ReferenceSchema.parseBeside(name);
            ReferenceSchema first = ReferenceSchema.load(name);
            assertEquals(parsedOnLoad, described(first), name);
            TableShape user = first.tables(ALL).get("UM_USER");
            user.columns.clear();
            user.foreignKeys.clear();
            ReferenceSchema second = ReferenceSchema.load(name);
            assertNotSame(user, second.tables(ALL).get("UM_USER"), name);
            assertEquals(parsedOnLoad, described(second), name + ": a change to one load reached the next");
        }
    }

    @Test
    void aMissingReferenceIsRefusedTheSameWay() {
        String parsedOnLoad = assertThrows(IllegalStateException.class, () -> ReferenceSchema.load("no-such-engine")).getMessage();
        ReferenceSchema.parseBeside("no-such-engine");
        assertEquals(parsedOnLoad, assertThrows(IllegalStateException.class, () -> ReferenceSchema.load("no-such-engine")).getMessage());
    }

    private static Map<String, String> described(ReferenceSchema schema) {
        Map<String, String> out = new TreeMap<>();
        schema.tables(ALL).forEach((name, t) -> out.put(name, t.describe() + "implicit " + t.implicitIndexes + "\ngroup " + schema.groupOf(name)));
        return out;
    }
}
