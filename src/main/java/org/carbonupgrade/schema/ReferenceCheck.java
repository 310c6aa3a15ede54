package org.carbonupgrade.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.carbonupgrade.Engine;

/** Compares a database's tables of the given groups (carbon, identity, idp) with the 4.2.0 reference for its engine. */
public final class ReferenceCheck {
    /** @param notCarbon tables with a Carbon prefix that no Carbon schema has (an operator's copy): not compared */
    public record Outcome(Engine engine, int tablesCompared, List<SchemaDiff.Difference> all,
                          List<SchemaDiff.Difference> unexplained, AllowList allowList, List<String> notCarbon) {
    }

    private ReferenceCheck() {
    }

    public static Outcome run(Connection c, Set<String> groups) throws SQLException {
        return run(c, groups, Set.of());
    }

    /** @param leftOut names (upper case) of indexes not compared: catch-up's standing indexes on staging (Verifier.schema) */
    public static Outcome run(Connection c, Set<String> groups, Set<String> leftOut) throws SQLException {
        SchemaReader reader = new SchemaReader(c);
        Engine engine = reader.engine();
        String referenceName = ReferenceSchema.nameFor(c, engine);
        ReferenceSchema reference = ReferenceSchema.load(referenceName);
        Map<String, TableShape> expected = reference.tables(groups);
        Map<String, TableShape> actual = reader.read(expected.keySet());
        for (TableShape t : actual.values()) t.indexes.keySet().removeAll(leftOut);
        List<SchemaDiff.Difference> all = new ArrayList<>(SchemaDiff.compare(expected, actual));
        // A Carbon table of these groups that the 4.2.0 script does not create is a difference too. A name no
        // Carbon schema has (UM_USER-backup-2014) is the operator's own table: listed, not compared.
        List<String> notCarbon = new ArrayList<>();
        for (String table : reader.tableNames().keySet()) {
            if (!expected.containsKey(table) && reference.groupOf(table) == null && belongsTo(table, groups)) {
                if (KnownTables.anyEngineHas(table)) all.add(new SchemaDiff.Difference(table + "/table", "not in the reference"));
                else notCarbon.add(table);
            }
        }
        AllowList allowList = AllowList.load(referenceName);
        return new Outcome(engine, expected.size(), all, allowList.unexplained(all), allowList, notCarbon);
    }

    static boolean belongsTo(String table, Set<String> groups) {
        if (groups.contains("carbon") && (table.startsWith("UM_") || table.startsWith("REG_"))
                && !table.startsWith("UM_TENANT_IDP")) return true;
        if (groups.contains("identity") && table.startsWith("IDN_")) return true;
        return groups.contains("idp") && (table.startsWith("IDP_") || table.startsWith("UM_TENANT_IDP"));
    }
}
