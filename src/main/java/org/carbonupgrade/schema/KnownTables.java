package org.carbonupgrade.schema;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.carbonupgrade.Engine;
import org.carbonupgrade.rehearsal.Baseline;

/**
 * The tables the upgrade is about on one engine: Carbon and Identity Server 4.0.0 (the baseline scripts) and
 * 4.2.0 (WSO2's reference). Only these are counted and read; a table an operator added beside them, such as
 * {@code UM_USER-backup-2014}, is none of the upgrade's business.
 */
public final class KnownTables {
    private static final java.util.Map<Engine, Set<String>> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    private static final Pattern CREATE_TABLE = Pattern.compile("(?im)^\\s*CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?[\"`\\[]?([A-Za-z0-9_]+)");

    private KnownTables() {
    }

    /** Upper-case names of this engine's Carbon and Identity Server tables, 4.0.0 and 4.2.0. */
    public static Set<String> of(Engine engine) {
        return CACHE.computeIfAbsent(engine, KnownTables::read);
    }

    /** Whether some engine's Carbon 4.0.0 or 4.2.0 schema has a table of this (upper-case) name. */
    public static boolean anyEngineHas(String table) {
        for (Engine e : Engine.values()) {
            if (of(e).contains(table)) return true;
        }
        return false;
    }

    private static Set<String> read(Engine engine) {
        Set<String> names = new TreeSet<>(ReferenceSchema.load(engine).tables(Set.of("carbon", "identity", "idp")).keySet());
        for (String script : new String[] {"carbon", "identity"}) {
            Matcher m = CREATE_TABLE.matcher(Baseline.script("/baseline/" + script + "-" + engine.profile() + ".sql"));
            while (m.find()) names.add(m.group(1).toUpperCase(Locale.ROOT));
        }
        return java.util.Collections.unmodifiableSet(names);
    }
}
