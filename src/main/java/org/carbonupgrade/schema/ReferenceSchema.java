package org.carbonupgrade.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.carbonupgrade.Engine;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The Carbon 4.2.0 target schema for one engine, read from the reference facts shipped in the jar. */
public final class ReferenceSchema {
    public static final String RESOURCE = "/reference/carbon-4.2/%s.json";

    private final Map<String, TableShape> tables = new TreeMap<>();
    private final Map<String, String> groupOf = new TreeMap<>();

    private ReferenceSchema() {
    }

    public static ReferenceSchema load(Engine engine) {
        return load(engine.profile());
    }

    /** The reference this connection is compared with: h2-1.2.140 for Carbon's own H2 1.2, else the engine's. */
    public static String nameFor(java.sql.Connection c, Engine engine) throws java.sql.SQLException {
        return engine == Engine.H2 && c.getMetaData().getDatabaseMajorVersion() < 2 ? "h2-1.2.140" : engine.profile();
    }

    /** @param name a reference file name: an engine profile, or h2-1.2.140 */
    public static ReferenceSchema load(String name) {
        String path = String.format(RESOURCE, name);
        try (InputStream in = ReferenceSchema.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Reference facts missing from the classpath: " + path);
            }
            LoaderOptions options = new LoaderOptions();
            options.setCodePointLimit(20 * 1024 * 1024);
            Map<String, Object> root = new Yaml(options).load(new InputStreamReader(in, StandardCharsets.UTF_8));
            ReferenceSchema schema = new ReferenceSchema();
            schema.read(map(root.get("tables")));
            return schema;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + path, e);
        }
    }

    /** Tables of the given groups (carbon, identity, idp), by upper-case name. */
    public Map<String, TableShape> tables(Set<String> groups) {
        Map<String, TableShape> result = new TreeMap<>();
        tables.forEach((name, t) -> {
            if (groups.contains(groupOf.get(name))) {
                result.put(name, t);
            }
        });
        return result;
    }

    public String groupOf(String table) {
        return groupOf.get(table);
    }

    private void read(Map<String, Object> tableFacts) {
        tableFacts.forEach((name, raw) -> {
            Map<String, Object> t = map(raw);
            TableShape shape = new TableShape(name);
            for (Object c : list(t.get("columns"))) {
                Map<String, Object> col = map(c);
                String family = str(col.get("family"));
                Integer length = col.get("length") == null ? null : ((Number) col.get("length")).intValue();
                shape.columns.put(str(col.get("name")), new TableShape.Column(str(col.get("name")), family,
                        lengthMatters(family) ? length : null, Boolean.TRUE.equals(col.get("nullable")),
                        Defaults.normalize(str(col.get("default"))), col.get("auto_increment") != null));
            }
            Object pk = t.get("primary_key");
            if (pk != null) {
                shape.primaryKey = strings(map(pk).get("columns"));
            }
            for (Object u : list(t.get("unique_constraints"))) shape.uniqueKeys.add(strings(map(u).get("columns")));
            for (Object u : list(t.get("unique_indexes"))) shape.uniqueKeys.add(strings(map(u).get("columns")));
            for (Object f : list(t.get("foreign_keys"))) {
                Map<String, Object> fk = map(f);
                shape.foreignKeys.add(new TableShape.ForeignKey(strings(fk.get("columns")), str(fk.get("ref_table")),
                        strings(fk.get("ref_columns")), Defaults.onDelete(str(fk.get("on_delete")))));
            }
            for (Object i : list(t.get("indexes"))) {
                shape.indexes.put(str(map(i).get("name")), strings(map(i).get("columns")));
            }
            for (Object i : list(t.get("implicit_indexes"))) shape.implicitIndexes.add(strings(map(i).get("columns")));
            tables.put(name, shape);
            groupOf.put(name, str(t.get("group")));
        });
    }

    static boolean lengthMatters(String family) {
        return "varchar".equals(family) || "char".equals(family);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    private static List<?> list(Object o) {
        return o == null ? List.of() : (List<?>) o;
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        for (Object x : list(o)) out.add(str(x).toUpperCase(Locale.ROOT));
        return out;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
