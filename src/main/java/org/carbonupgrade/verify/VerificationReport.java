package org.carbonupgrade.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.carbonupgrade.Engine;
import org.carbonupgrade.audit.SafeText;

/** The verifier's findings, written for people (Markdown) and for tools (JSON). */
public final class VerificationReport {
    public final Engine engine;
    public final String product;
    public final String database;
    public final String url;
    /** The database's own name (catalog), which the per-run report files carry. */
    public final String databaseName;
    public final Instant at = Instant.now();
    public final List<Checkpoint> checkpoints = new ArrayList<>();
    private long lastAdded = System.nanoTime();

    VerificationReport(Engine engine, String product, String database, String url, String databaseName) {
        this.engine = engine;
        this.product = product;
        this.database = database;
        this.url = url;
        this.databaseName = databaseName;
    }

    /** Adds the checkpoint, timed from the previous one (or from the start of verification). */
    void add(Checkpoint cp) {
        long now = System.nanoTime();
        cp.millis = (now - lastAdded) / 1_000_000;
        lastAdded = now;
        checkpoints.add(cp);
    }

    public boolean passed() {
        return checkpoints.stream().noneMatch(Checkpoint::failed);
    }

    /** The problems, one per line, for an error message. */
    public String problems() {
        StringBuilder b = new StringBuilder();
        for (Checkpoint cp : checkpoints) {
            for (String p : cp.problems) b.append(" - ").append(cp.name).append(": ").append(SafeText.line(p)).append('\n');
        }
        return b.toString();
    }

    public String markdown() {
        StringBuilder b = new StringBuilder("# carbon-upgrade verification: ").append(passed() ? "PASSED" : "FAILED").append("\n\n");
        // Names in details and problems come from the catalog and the data: escaped, so they stay plain text.
        b.append("- database: ").append(SafeText.markdown(database)).append(" at ").append(SafeText.markdown(url)).append('\n');
        b.append("- product scope: ").append(SafeText.markdown(product)).append("\n- checked at: ").append(at).append("\n\n");
        for (Checkpoint cp : checkpoints) {
            b.append("## ").append(cp.name).append(": ").append(cp.status)
                    .append(String.format(java.util.Locale.ROOT, " (%.1f s)", cp.millis / 1000.0)).append("\n\n");
            for (String p : cp.problems) b.append("- **problem:** ").append(SafeText.markdown(p)).append('\n');
            for (String d : cp.details) b.append("- ").append(SafeText.markdown(d)).append('\n');
            b.append('\n');
        }
        return b.toString();
    }

    public String json() {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"passed\": ").append(passed()).append(",\n");
        b.append("  \"engine\": ").append(quote(engine.profile())).append(",\n");
        b.append("  \"product\": ").append(quote(product)).append(",\n");
        b.append("  \"database\": ").append(quote(database)).append(",\n");
        b.append("  \"url\": ").append(quote(url)).append(",\n");
        b.append("  \"checkedAt\": ").append(quote(at.toString())).append(",\n");
        b.append("  \"checkpoints\": [\n");
        for (int i = 0; i < checkpoints.size(); i++) {
            Checkpoint cp = checkpoints.get(i);
            b.append("    {\"name\": ").append(quote(cp.name)).append(", \"status\": ").append(quote(cp.status.name()))
                    .append(", \"millis\": ").append(cp.millis)
                    .append(", \"problems\": ").append(array(cp.problems)).append(", \"details\": ").append(array(cp.details)).append('}')
                    .append(i + 1 < checkpoints.size() ? ",\n" : "\n");
        }
        return b.append("  ]\n}\n").toString();
    }

    public static final String LATEST = "verification-report";
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /**
     * Writes this run's report under its own name, verification-report-DATABASE-yyyyMMdd-HHmmss (UTC).md and .json,
     * never replacing an earlier run's, then copies both to verification-report.md and .json, the latest run's.
     *
     * @return the Markdown report of this run
     */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        String stem = LATEST + "-" + fileNamePart(databaseName) + "-" + RUN_TIME.format(at);
        for (int n = 1; ; n++) {
            String name = n == 1 ? stem : stem + "-" + n;
            try {
                Path json = Files.writeString(dir.resolve(name + ".json"), json(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
                Path md = Files.writeString(dir.resolve(name + ".md"), markdown(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
                Files.copy(json, dir.resolve(LATEST + ".json"), StandardCopyOption.REPLACE_EXISTING);
                Files.copy(md, dir.resolve(LATEST + ".md"), StandardCopyOption.REPLACE_EXISTING);
                return md;
            } catch (FileAlreadyExistsException e) {
                // another run of the same database in the same second: take the next free name
            }
        }
    }

    /** A database name as part of a file name: letters, digits, dot, dash and underscore only. */
    static String fileNamePart(String name) {
        String safe = name == null ? "" : name.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[.]+", "_");
        if (safe.isEmpty()) return "database";
        return safe.length() > 60 ? safe.substring(0, 60) : safe;
    }

    private static String array(List<String> items) {
        List<String> quoted = new ArrayList<>();
        for (String s : items) quoted.add(quote(s));
        return "[" + String.join(", ", quoted) + "]";
    }

    private static String quote(String s) {
        return SafeText.json(s);
    }
}
