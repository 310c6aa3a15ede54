package org.carbonupgrade.h2;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * An embedded H2 database named by a JDBC URL (jdbc:h2:[file:]PATH[;options]): where its files are. H2 1.2 keeps a
 * database in PATH.h2.db (page store), H2 2.x in PATH.mv.db.
 */
public record H2File(Path base, String options) {
    public static final String LEGACY_SUFFIX = ".h2.db";
    public static final String CURRENT_SUFFIX = ".mv.db";

    /** The embedded file database of the URL, or null (not H2, in-memory, or a server URL). */
    public static H2File of(String url) {
        if (url == null || !url.regionMatches(true, 0, "jdbc:h2:", 0, 8)) return null;
        String rest = url.substring(8);
        int semicolon = rest.indexOf(';');
        String path = semicolon < 0 ? rest : rest.substring(0, semicolon);
        String options = semicolon < 0 ? "" : rest.substring(semicolon);
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.startsWith("file:")) path = path.substring(5);
        else if (lower.matches("^(mem|tcp|ssl|zip|split|nio\\w*|memfs|memlzf|async|retry)?:.*")) return null;
        if (path.isBlank()) return null;
        if (path.startsWith("~")) path = System.getProperty("user.home") + path.substring(1);
        return new H2File(Path.of(path).toAbsolutePath().normalize(), options);
    }

    /** The URL names a Carbon 4.x (H2 1.2) file and no H2 2.x file beside it (one converted earlier is used as it is). */
    public static H2File legacy(String url) {
        H2File f = of(url);
        return f != null && Files.isRegularFile(f.legacyFile()) && !Files.exists(f.currentFile()) ? f : null;
    }

    public Path legacyFile() {
        return sibling(LEGACY_SUFFIX);
    }

    public Path currentFile() {
        return sibling(CURRENT_SUFFIX);
    }

    /** H2 1.2 holds this while a server has the database open, and leaves it behind when one is killed. */
    public Path lockFile() {
        return sibling(".lock.db");
    }

    public Path sibling(String suffix) {
        return base.resolveSibling(base.getFileName() + suffix);
    }

    public String name() {
        return base.getFileName().toString();
    }

    /** A URL for H2 1.2.140 (no options: 2.x options are unknown to it). */
    public static String legacyUrl(Path base) {
        return "jdbc:h2:" + base.toAbsolutePath();
    }
}
