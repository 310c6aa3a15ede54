package org.carbonupgrade.schema;

import java.util.Locale;

/** Puts column defaults and delete rules into one spelling, so the reference and a live catalog compare. */
final class Defaults {
    private Defaults() {
    }

    static String normalize(String value) {
        if (value == null) return null;
        String v = value.trim();
        if (v.isEmpty() || v.equalsIgnoreCase("NULL")) return null;
        // PostgreSQL reports nextval('seq'::regclass) and 'x'::character varying; the cast is not part of the value.
        v = v.replaceAll("::[a-zA-Z ]+", "");
        v = v.toUpperCase(Locale.ROOT);
        // Catalogs differ in quoting literals (MariaDB's information_schema: 'ACTIVE', its JDBC driver: ACTIVE);
        // the quotes are spelling, not value.
        if (v.matches("'[^']*'")) v = v.substring(1, v.length() - 1);
        if (v.matches("\\(-?[0-9]+\\)")) v = v.substring(1, v.length() - 1);
        return v;
    }

    static String onDelete(String rule) {
        if (rule == null) return "NO ACTION";
        String r = rule.toUpperCase(Locale.ROOT).replace('_', ' ');
        return r.equals("RESTRICT") ? "NO ACTION" : r;
    }
}
