package org.carbonupgrade.support;

import java.sql.Connection;
import java.util.Map;
import java.util.TreeMap;

import org.carbonupgrade.schema.SchemaReader;

/** The whole database, schema and data, as text: equal snapshots mean nothing was changed. */
public final class Snapshot {
    private Snapshot() {
    }

    public static Map<String, String> of(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            SchemaReader reader = new SchemaReader(c);
            Map<String, String> out = new TreeMap<>();
            for (Map.Entry<String, String> t : reader.tableNames().entrySet()) {
                out.put(t.getKey(), reader.readTable(t.getValue()).describe());
            }
            Rows.dump(c, null).forEach((table, rows) -> out.merge(table, String.join("\n", rows), (a, b) -> a + b));
            return out;
        }
    }
}
