package org.carbonupgrade.schema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.carbonupgrade.Engine;

/**
 * The reviewed differences from the reference, one per line in reference-allow-list.txt:
 * {@code engine | difference key | reason}. An entry covers exactly one difference key; see docs/reference-decisions.md.
 */
public final class AllowList {
    public static final String RESOURCE = "/reference-allow-list.txt";

    private final Map<String, String> reasons = new LinkedHashMap<>();

    private AllowList() {
    }

    public static AllowList load(Engine engine) {
        return load(engine.profile());
    }

    /** @param name the reference's name as the first field of a line: an engine profile, or h2-1.2.140 */
    public static AllowList load(String name) {
        AllowList list = new AllowList();
        try (InputStream in = AllowList.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("Missing " + RESOURCE + " on the classpath");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] parts = line.split("\\|", 3);
                if (parts.length != 3 || parts[2].isBlank()) {
                    throw new IllegalStateException(RESOURCE + " line " + number + ": expected 'engine | key | reason'");
                }
                if (parts[0].trim().equals(name)) list.reasons.put(parts[1].trim(), parts[2].trim());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return list;
    }

    public boolean allows(SchemaDiff.Difference d) {
        return reasons.containsKey(d.key());
    }

    public String reason(SchemaDiff.Difference d) {
        return reasons.get(d.key());
    }

    /** The differences that no entry explains. */
    public List<SchemaDiff.Difference> unexplained(List<SchemaDiff.Difference> all) {
        List<SchemaDiff.Difference> out = new ArrayList<>();
        for (SchemaDiff.Difference d : all) if (!allows(d)) out.add(d);
        return out;
    }

    /** Entries that matched nothing: a stale entry hides nothing today and must be removed. */
    public List<String> unused(List<SchemaDiff.Difference> all) {
        List<String> out = new ArrayList<>(reasons.keySet());
        for (SchemaDiff.Difference d : all) out.remove(d.key());
        return out;
    }
}
