package org.carbonupgrade.rehearsal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.carbonupgrade.Engine;

/** Creates the Carbon 4.0.0 schema (docs/baseline-4.0.0.md) from the scripts under /baseline. */
public final class Baseline {
    private Baseline() {
    }

    public static void create(Connection c, boolean identityServer) throws SQLException {
        Engine engine = Engine.of(c);
        run(c, "/baseline/carbon-" + engine.profile() + ".sql");
        if (identityServer) {
            run(c, "/baseline/identity-" + engine.profile() + ".sql");
        }
    }

    static void run(Connection c, String resource) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : statements(resource)) {
                s.execute(sql);
            }
        }
        if (!c.getAutoCommit()) c.commit();
    }

    /** The text of a baseline script, e.g. /baseline/carbon-h2.sql. */
    public static String script(String resource) {
        try (InputStream in = Baseline.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("No baseline script " + resource + " for this engine");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<String> statements(String resource) {
        String text = script(resource);
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.startsWith("--") || line.isBlank()) continue;
            current.append(line).append('\n');
            if (line.trim().endsWith(";")) {
                String sql = current.toString().trim();
                // A PL/SQL body (Oracle trigger) keeps its closing semicolon.
                out.add(sql.startsWith("CREATE OR REPLACE TRIGGER") ? sql : sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        return out;
    }
}
