package org.carbonupgrade.schema;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Compares a database against the reference table by table. Each difference has a stable key
 * (TABLE/aspect/detail) so an allow-list entry names exactly one difference.
 */
public final class SchemaDiff {
    public record Difference(String key, String detail) {
        @Override
        public String toString() {
            return key + ": " + detail;
        }
    }

    private SchemaDiff() {
    }

    public static List<Difference> compare(Map<String, TableShape> expected, Map<String, TableShape> actual) {
        List<Difference> out = new ArrayList<>();
        for (TableShape want : expected.values()) {
            TableShape have = actual.get(want.name);
            if (have == null) {
                out.add(new Difference(want.name + "/table", "missing"));
                continue;
            }
            compareTable(want, have, out);
        }
        return out;
    }

    private static void compareTable(TableShape want, TableShape have, List<Difference> out) {
        String t = want.name;
        for (TableShape.Column w : want.columns.values()) {
            TableShape.Column h = have.columns.get(w.name());
            if (h == null) {
                out.add(new Difference(t + "/column/" + w.name(), "missing"));
                continue;
            }
            check(out, t + "/column/" + w.name() + "/type", w.family(), h.family());
            check(out, t + "/column/" + w.name() + "/length", w.length(), h.length());
            check(out, t + "/column/" + w.name() + "/nullable", w.nullable(), h.nullable());
            check(out, t + "/column/" + w.name() + "/default", w.defaultValue(), h.defaultValue());
            check(out, t + "/column/" + w.name() + "/auto_increment", w.autoIncrement(), h.autoIncrement());
        }
        for (String name : have.columns.keySet()) {
            if (!want.columns.containsKey(name)) out.add(new Difference(t + "/column/" + name, "not in the reference"));
        }
        check(out, t + "/primary_key", want.primaryKey, have.primaryKey);
        compareSets(out, t + "/unique", strings(want.uniqueKeys), strings(have.uniqueKeys));
        compareSets(out, t + "/foreign_key", strings(want.foreignKeys), strings(have.foreignKeys));

        List<String> undeclared = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : have.indexes.entrySet()) {
            List<String> declared = want.indexes.get(e.getKey());
            if (declared != null) {
                check(out, t + "/index/" + e.getKey(), declared, e.getValue());
            } else {
                undeclared.add(e.getValue().toString());
            }
        }
        for (String name : want.indexes.keySet()) {
            if (!have.indexes.containsKey(name)) out.add(new Difference(t + "/index/" + name, "missing"));
        }
        compareSets(out, t + "/implicit_index", strings(want.implicitIndexes), undeclared);
    }

    private static List<String> strings(Collection<?> items) {
        List<String> out = new ArrayList<>();
        for (Object o : items) out.add(o.toString());
        return out;
    }

    /** Multiset comparison: each surplus or missing entry is its own difference. */
    private static void compareSets(List<Difference> out, String key, List<String> want, List<String> have) {
        List<String> missing = new ArrayList<>(want);
        List<String> extra = new ArrayList<>();
        for (String h : have) {
            if (!missing.remove(h)) extra.add(h);
        }
        for (String m : new TreeSet<>(missing)) out.add(new Difference(key + "/" + m, "missing"));
        for (String x : new TreeSet<>(extra)) out.add(new Difference(key + "/" + x, "not in the reference"));
    }

    private static void check(List<Difference> out, String key, Object want, Object have) {
        if (!Objects.equals(want, have)) out.add(new Difference(key, "reference " + want + ", database " + have));
    }
}
