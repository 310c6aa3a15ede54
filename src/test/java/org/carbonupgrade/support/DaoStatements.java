package org.carbonupgrade.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.carbonupgrade.Engine;

/**
 * The SQL of Identity Server's DAOs, as extracted into src/test/resources/is-dao-sql/&lt;dao&gt;.sql: one block per
 * statement ({@code -- statement:}, {@code -- origin:}, optional {@code -- engines:} and {@code -- wso2-bug:} lines,
 * then the SQL on one line), blocks separated by a blank line.
 */
public final class DaoStatements {
    public static final List<String> DAOS = List.of("oauth", "oauth2", "openid", "scim", "sts", "thrift",
            "identity-mgt", "idp-mgt", "idp-mgt-2013-08", "application-mgt");

    /** A statement; {@code engines} empty means every engine, {@code bugEngines} where WSO2's own SQL is broken. */
    public record Statement(String dao, String name, String origin, Set<String> engines, Set<String> bugEngines,
                            String bugReason, String sql) {
        public boolean runsOn(Engine engine) {
            return engines.isEmpty() || engines.contains(engine.profile());
        }

        public boolean brokenByWso2On(Engine engine) {
            return bugEngines.contains("all") || bugEngines.contains(engine.profile());
        }
    }

    private DaoStatements() {
    }

    public static List<Statement> load(String dao) throws IOException {
        String resource = "/is-dao-sql/" + dao + ".sql";
        String text;
        try (InputStream in = DaoStatements.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("Missing test resource " + resource);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Statement> out = new ArrayList<>();
        for (String block : text.split("\\R\\s*\\R")) {
            if (!block.contains("-- statement:")) continue;
            String name = null, origin = null, bugReason = null, sql = null;
            Set<String> engines = Set.of(), bugs = Set.of();
            for (String line : block.strip().split("\\R")) {
                if (line.startsWith("-- statement:")) name = value(line);
                else if (line.startsWith("-- origin:")) origin = value(line);
                else if (line.startsWith("-- engines:")) engines = Set.of(value(line).split(","));
                else if (line.startsWith("-- wso2-bug:")) {
                    String[] parts = value(line).split(":", 2);
                    bugs = Set.of(parts[0].trim().split(","));
                    bugReason = parts[1].trim();
                } else if (!line.startsWith("--")) sql = sql == null ? line : sql + " " + line;
            }
            if (name == null || origin == null || sql == null) {
                throw new IllegalStateException(resource + ": incomplete statement block:\n" + block);
            }
            out.add(new Statement(dao, name, origin, engines, bugs, bugReason, sql.strip()));
        }
        return out;
    }

    private static String value(String line) {
        return line.substring(line.indexOf(':') + 1).trim();
    }
}
