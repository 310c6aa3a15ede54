package org.carbonupgrade.audit;

/**
 * Neutralises text that an outsider controls (session and role names read from the database, catalog names,
 * the URL and backup reference typed on the command line) for the place it is written to. A line break in
 * such text would otherwise end a SQL comment in the review file and put the rest on an executable line
 * (psql, SQL*Plus, sqlcmd and the mysql client all run such a file line by line), or forge a line in a
 * report or a log.
 */
public final class SafeText {
    private SafeText() {
    }

    /**
     * The text on one line: every line break (\r, \n, \u000B, \u000C, \u0085, \u2028, \u2029), other control
     * character, invisible formatting character (bidi overrides, zero-width) and lone surrogate is shown as a
     * visible escape such as {@code \n} or {@code \u2028}. Null stays null.
     */
    public static String line(String text) {
        if (text == null) return null;
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (invisible(cp)) b.append(String.format("\\u%04x", cp));
                    else b.appendCodePoint(cp);
                }
            }
        }
        return b.toString();
    }

    /**
     * The text for a SQL line comment ({@code -- ...}) of a file a DBA runs with the engine's client: one line
     * (see {@link #line}), block-comment delimiters broken up, and the clients' substitution markers defused
     * (sqlcmd {@code $(var)}, SQL*Plus {@code &var}), which those clients expand even inside comments.
     */
    public static String comment(String text) {
        if (text == null) return null;
        return line(text).replace("*/", "* /").replace("/*", "/ *").replace("$(", "$ (")
                .replaceAll("&(?=[A-Za-z0-9_&])", "& ");
    }

    /**
     * The text as an inline Markdown fragment: one line, with the characters that start markup escaped, so a
     * name read from the database cannot add a heading, a link, HTML or a table row to the report.
     * Underscores are left alone: inside a word (UM_DOMAIN) they never start emphasis.
     */
    public static String markdown(String text) {
        if (text == null) return "null";
        String one = line(text);
        StringBuilder b = new StringBuilder(one.length() + 8);
        for (int i = 0; i < one.length(); i++) {
            char ch = one.charAt(i);
            if ("\\`*<>[]|".indexOf(ch) >= 0 || (i == 0 && "#+-=!".indexOf(ch) >= 0)) b.append('\\');
            b.append(ch);
        }
        return b.toString();
    }

    /** A JSON string literal: quotes, backslash and every character {@link #line} would escape. */
    public static String json(String text) {
        if (text == null) return "null";
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20 || invisible(ch) || Character.isSurrogate(ch)) b.append(String.format("\\u%04x", (int) ch));
                    else b.append(ch);
                }
            }
        }
        return b.append('"').toString();
    }

    private static boolean invisible(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE || type == Character.UNASSIGNED;
    }
}
