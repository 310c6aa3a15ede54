package org.carbonupgrade.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Text an outsider chose stays on one line and inert in every place it is written to. */
class SafeTextTest {
    /** Every character Java, a SQL client or a Markdown/JSON reader may take as the end of a line. */
    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r", "\r\n", "\u000B", "\u000C", "\u0085", "\u2028", "\u2029", "\u001E", "\u0000"})
    void noLineBreakSurvives(String lineBreak) {
        String hostile = "carbon" + lineBreak + "DROP TABLE UM_USER;--";
        for (String out : new String[] {SafeText.line(hostile), SafeText.comment(hostile), SafeText.markdown(hostile)}) {
            assertEquals(1, out.lines().count(), out);
            assertFalse(out.chars().anyMatch(ch -> Character.getType(ch) == Character.CONTROL
                    || Character.getType(ch) == Character.LINE_SEPARATOR || Character.getType(ch) == Character.PARAGRAPH_SEPARATOR), out);
            assertTrue(out.contains("DROP TABLE UM_USER"), "the text stays readable: " + out);
        }
        String json = SafeText.json(hostile);
        assertEquals(1, json.lines().count(), json);
        assertFalse(json.contains("\u2028") || json.contains("\u2029") || json.contains("\u0085"), json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u202E", "\u200B", "\uFEFF", "\uD800"})
    void invisibleCharactersAreShown(String invisible) {
        assertEquals("a" + String.format("\\u%04x", (int) invisible.charAt(0)) + "b", SafeText.line("a" + invisible + "b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x */ DROP TABLE UM_USER; /*", "$(DROP)", "&drop_it"})
    void commentKeepsNoTerminatorOrClientVariable(String hostile) {
        String out = SafeText.comment(hostile);
        assertFalse(out.contains("*/") || out.contains("/*") || out.contains("$(") || out.matches(".*&[A-Za-z].*"), out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"# PASSED", "<script>alert(1)</script>", "[ok](javascript:alert(1))", "a | b", "`code`", "*bold*"})
    void markdownStaysPlainText(String hostile) {
        String out = SafeText.markdown(hostile);
        assertFalse(out.startsWith("#") || out.matches(".*(?<!\\\\)[<\\[|`*].*"), out);
        assertEquals("UM_DOMAIN: present", SafeText.markdown("UM_DOMAIN: present"), "table names stay as they are");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"", "\\", "\n", "\u2028", "\u0001"})
    void jsonStringIsOneValidLiteral(String hostile) {
        String out = SafeText.json("a" + hostile + "b");
        assertTrue(out.matches("\"a(\\\\[\"\\\\nrt]|\\\\u[0-9a-f]{4})b\""), out);
    }
}
