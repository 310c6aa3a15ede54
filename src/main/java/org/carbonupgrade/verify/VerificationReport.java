package org.carbonupgrade.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.carbonupgrade.Engine;

/** The verifier's findings, written for people (Markdown) and for tools (JSON). */
public final class VerificationReport {
    public final Engine engine;
    public final String product;
    public final String database;
    public final String url;
    public final Instant at = Instant.now();
    public final List<Checkpoint> checkpoints = new ArrayList<>();
    private long lastAdded = System.nanoTime();

    VerificationReport(Engine engine, String product, String database, String url) {
        this.engine = engine;
        this.product = product;
        this.database = database;
        this.url = url;
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
            for (String p : cp.problems) b.append(" - ").append(cp.name).append(": ").append(p).append('\n');
        }
        return b.toString();
    }

    public String markdown() {
        StringBuilder b = new StringBuilder("# carbon-upgrade verification: ").append(passed() ? "PASSED" : "FAILED").append("\n\n");
        b.append("- database: ").append(database).append(" at ").append(url).append('\n');
        b.append("- product scope: ").append(product).append("\n- checked at: ").append(at).append("\n\n");
        for (Checkpoint cp : checkpoints) {
            b.append("## ").append(cp.name).append(": ").append(cp.status)
                    .append(String.format(java.util.Locale.ROOT, " (%.1f s)", cp.millis / 1000.0)).append("\n\n");
            for (String p : cp.problems) b.append("- **problem:** ").append(p).append('\n');
            for (String d : cp.details) b.append("- ").append(d).append('\n');
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

    /** Writes verification-report.md and verification-report.json into the directory. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("verification-report.md"), markdown(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("verification-report.json"), json(), StandardCharsets.UTF_8);
    }

    private static String array(List<String> items) {
        List<String> quoted = new ArrayList<>();
        for (String s : items) quoted.add(quote(s));
        return "[" + String.join(", ", quoted) + "]";
    }

    private static String quote(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch));
                    else b.append(ch);
                }
            }
        }
        return b.append('"').toString();
    }
}
