package org.carbonupgrade.schema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import org.carbonupgrade.Engine;

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
        CompletableFuture<Map<String, Object>> beside = PARSED_BESIDE.get(name);
        Map<String, Object> root;
        if (beside == null) {
            root = parse(name);
        } else {
            try {
                root = beside.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        ReferenceSchema schema = new ReferenceSchema();
        schema.read(map(root.get("tables")));
        return schema;
    }

    /** Reference files being parsed, or parsed, on a thread of their own (parseBeside), by name. Read only once parsed. */
    private static final Map<String, CompletableFuture<Map<String, Object>>> PARSED_BESIDE = new ConcurrentHashMap<>();

    /**
     * Starts parsing the reference {@code name} on a daemon thread, for a later {@link #load(String)} in this JVM to take
     * instead of parsing it then. SnakeYAML took 0.6-0.8 s for the 120 KB file, more in a fresh JVM (docs/benchmark.md);
     * PlainJson takes milliseconds, but a catch-up pass still starts it before its compare so its verifier finds it done.
     * The parsed tree is only read: each load builds its own tables from it.
     */
    public static void parseBeside(String name) {
        PARSED_BESIDE.computeIfAbsent(name, n -> {
            CompletableFuture<Map<String, Object>> parsed = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    parsed.complete(parse(n));
                } catch (RuntimeException | Error e) {
                    parsed.completeExceptionally(e);
                }
            }, "reference schema " + n);
            thread.setDaemon(true);
            thread.start();
            return parsed;
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String name) {
        String path = String.format(RESOURCE, name);
        try (InputStream in = ReferenceSchema.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Reference facts missing from the classpath: " + path);
            }
            // Plain JSON, read as such: SnakeYAML's YAML machinery took 0.6-0.8 s of CPU for it (PlainJson).
            return (Map<String, Object>) PlainJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + path, e);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("Cannot read " + path + ": " + e.getMessage(), e);
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
