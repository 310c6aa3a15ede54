package org.carbonupgrade.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The reference facts were parsed with SnakeYAML until PlainJson replaced it (0.6-0.8 s of CPU against milliseconds):
 * for every reference file the jar ships, PlainJson's tree must equal SnakeYAML's, value for value and type for type
 * (ReferenceSchema reads lengths as Number, flags as Boolean, absent values as null), keys in the same order.
 */
class PlainJsonTest {
    @Test
    void everyShippedReferenceFileReadsAsSnakeYamlReadIt() throws Exception {
        Path dir = Path.of(PlainJsonTest.class.getResource("/reference/carbon-4.2/postgresql.json").toURI()).getParent();
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = listed.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() >= 8, "reference files found: " + files);
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            LoaderOptions options = new LoaderOptions();
            options.setCodePointLimit(20 * 1024 * 1024);
            Object snake = new Yaml(options).load(text);
            Object plain = PlainJson.parse(text);
            assertSameTree(snake, plain, file.getFileName().toString());
        }
    }

    @Test
    void valuesAsSnakeYamlTypesThem() {
        String text = "{\"int\": 20, \"neg\": -7, \"long\": 4000000000, \"big\": 123456789012345678901234567890,"
                + " \"real\": 1.5, \"exp\": 2e3, \"yes\": true, \"no\": false, \"none\": null,"
                + " \"text\": \"a \\\"quoted\\\" \\\\ \\u00e9\\n\", \"empty\": {}, \"list\": [], \"k\": 1, \"k\": 2}";
        assertSameTree(new Yaml().load(text), PlainJson.parse(text), "inline");
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) PlainJson.parse(text);
        assertEquals(Integer.valueOf(20), map.get("int"));
        assertEquals(Long.valueOf(4_000_000_000L), map.get("long"));
        assertEquals("a \"quoted\" \\ \u00e9\n", map.get("text"));
        // JSON's escaped solidus, which SnakeYAML 2.2 refused (no shipped file holds one)
        assertEquals("a/b", PlainJson.parse("\"a\\/b\""));
        assertEquals(2, map.get("k"));
        assertTrue(map.containsKey("none"));
    }

    @Test
    void textThatIsNoJsonIsRefused() {
        for (String bad : List.of("", "{", "{\"a\" 1}", "{\"a\": 1,}", "[1 2]", "{a: 1}", "\"open", "01", "1.", "tru", "{} x",
                "\"\\x\"", "\"tab\there\"")) {
            assertThrows(IllegalArgumentException.class, () -> PlainJson.parse(bad), bad);
        }
    }

    /** Equal values of the same classes, maps with their keys in the same order. */
    private static void assertSameTree(Object expected, Object actual, String where) {
        if (expected == null) {
            assertEquals(null, actual, where);
            return;
        }
        assertEquals(expected.getClass(), actual == null ? null : actual.getClass(), where);
        if (expected instanceof Map<?, ?> e) {
            Map<?, ?> a = (Map<?, ?>) actual;
            assertEquals(new ArrayList<>(e.keySet()), new ArrayList<>(a.keySet()), where + ": keys");
            for (Object key : e.keySet()) assertSameTree(e.get(key), a.get(key), where + "." + key);
        } else if (expected instanceof List<?> e) {
            List<?> a = (List<?>) actual;
            assertEquals(e.size(), a.size(), where + ": length");
            for (int i = 0; i < e.size(); i++) assertSameTree(e.get(i), a.get(i), where + "[" + i + "]");
        } else {
            assertEquals(expected, actual, where);
            assertFalse(expected instanceof Map || expected instanceof List, where);
        }
    }
}
