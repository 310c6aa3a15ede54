package org.carbonupgrade.gate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The privileges the connected MySQL/MariaDB account holds, from SHOW GRANTS (which also lists the grants of its
 * enabled role): globally (ON *.*) and on the current database (ON `db`.*, whose name may be a LIKE pattern).
 * Only the privilege names are read; the lines themselves (which can carry a password hash) are never shown.
 */
public record MysqlGrants(Set<String> global, Set<String> onDatabase, String account) {
    private static final Pattern GRANT = Pattern.compile("^GRANT (.+?) ON (\\S+) TO ", Pattern.CASE_INSENSITIVE);

    public static MysqlGrants read(Connection c) throws SQLException {
        Set<String> global = new TreeSet<>();
        Set<String> onDatabase = new TreeSet<>();
        String db = c.getCatalog();
        String account;
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT CURRENT_USER()")) {
                rs.next();
                String user = rs.getString(1);
                int at = user.lastIndexOf('@');
                account = at < 0 ? quote(user) : quote(user.substring(0, at)) + "@" + quote(user.substring(at + 1));
            }
            try (ResultSet rs = s.executeQuery("SHOW GRANTS")) {
                while (rs.next()) {
                    Matcher m = GRANT.matcher(rs.getString(1));
                    if (!m.find()) continue;
                    String target = m.group(2);
                    Set<String> into = target.equals("*.*") ? global
                            : target.endsWith(".*") && db != null && matches(target.substring(0, target.length() - 2), db) ? onDatabase : null;
                    if (into == null) continue;
                    Arrays.stream(m.group(1).split(",")).map(p -> p.trim().toUpperCase(Locale.ROOT))
                            .filter(p -> !p.contains("(")).forEach(into::add);
                }
            }
        }
        return new MysqlGrants(global, onDatabase, account);
    }

    private static String quote(String part) {
        return "'" + part.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    public boolean has(String privilege) {
        return global.contains(privilege) || global.contains("ALL PRIVILEGES") || global.contains("ALL")
                || (!privilege.equals("PROCESS") && (onDatabase.contains(privilege) || onDatabase.contains("ALL PRIVILEGES")
                || onDatabase.contains("ALL")));
    }

    List<String> missing(List<String> needed) {
        return needed.stream().filter(p -> !has(p)).toList();
    }

    /** `db` as SHOW GRANTS quotes it, where _ and % are wildcards unless escaped with a backslash. */
    private static boolean matches(String quoted, String db) {
        String name = quoted.startsWith("`") && quoted.endsWith("`") ? quoted.substring(1, quoted.length() - 1).replace("``", "`") : quoted;
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch == '\\' && i + 1 < name.length()) regex.append(Pattern.quote(String.valueOf(name.charAt(++i))));
            else if (ch == '_') regex.append('.');
            else if (ch == '%') regex.append(".*");
            else regex.append(Pattern.quote(String.valueOf(ch)));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE).matcher(db).matches();
    }
}
