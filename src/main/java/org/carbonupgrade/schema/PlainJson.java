package org.carbonupgrade.schema;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader (RFC 8259) for the reference facts shipped in the jar, giving the tree SnakeYAML gave for them:
 * objects as LinkedHashMap (a repeated key: the last one wins), arrays as ArrayList, integers as Integer, Long or
 * BigInteger by size, other numbers as Double, true/false as Boolean, null as null. SnakeYAML took 0.6-0.8 s of CPU
 * for the 120 KB file (its YAML scanner and resolver per token, more in a fresh JVM), on a thread beside a catch-up
 * pass whose two cores were saturated: this reads it in milliseconds. PlainJsonTest holds it to SnakeYAML's tree for
 * every shipped reference file.
 */
final class PlainJson {
    private final String text;
    private int at;

    private PlainJson(String text) {
        this.text = text;
    }

    /** The one value {@code text} holds; IllegalArgumentException naming the offset where it is no JSON. */
    static Object parse(String text) {
        PlainJson p = new PlainJson(text);
        Object value = p.value();
        p.skipSpace();
        if (p.at != text.length()) throw p.error("text after the value");
        return value;
    }

    private Object value() {
        skipSpace();
        if (at >= text.length()) throw error("a value expected");
        char ch = text.charAt(at);
        switch (ch) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return word("true", Boolean.TRUE);
            case 'f':
                return word("false", Boolean.FALSE);
            case 'n':
                return word("null", null);
            default:
                if (ch == '-' || (ch >= '0' && ch <= '9')) return number();
                throw error("a value expected");
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> map = new LinkedHashMap<>();
        at++; // {
        skipSpace();
        if (peek() == '}') {
            at++;
            return map;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') throw error("a name in double quotes expected");
            String key = string();
            skipSpace();
            expect(':');
            map.put(key, value());
            skipSpace();
            char ch = next();
            if (ch == '}') return map;
            if (ch != ',') throw error("',' or '}' expected");
        }
    }

    private List<Object> array() {
        List<Object> list = new ArrayList<>();
        at++; // [
        skipSpace();
        if (peek() == ']') {
            at++;
            return list;
        }
        while (true) {
            list.add(value());
            skipSpace();
            char ch = next();
            if (ch == ']') return list;
            if (ch != ',') throw error("',' or ']' expected");
        }
    }

    private String string() {
        at++; // opening quote
        int start = at;
        // Most strings hold no escape: taken as a substring.
        while (at < text.length()) {
            char ch = text.charAt(at);
            if (ch == '"') return text.substring(start, at++);
            if (ch == '\\' || ch < 0x20) break;
            at++;
        }
        StringBuilder out = new StringBuilder(text.length() - start < 64 ? 16 : 64).append(text, start, at);
        while (true) {
            if (at >= text.length()) throw error("unterminated string");
            char ch = text.charAt(at++);
            if (ch == '"') return out.toString();
            if (ch < 0x20) throw error("a control character in a string");
            if (ch != '\\') {
                out.append(ch);
                continue;
            }
            if (at >= text.length()) throw error("unterminated string");
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) throw error("a \\u escape with four hex digits expected");
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int digit = Character.digit(text.charAt(at++), 16);
                        if (digit < 0) throw error("a \\u escape with four hex digits expected");
                        code = code * 16 + digit;
                    }
                    out.append((char) code);
                }
                default -> throw error("an unknown escape \\" + e);
            }
        }
    }

    private Object number() {
        int start = at;
        if (peek() == '-') at++;
        if (peek() == '0') {
            at++;
        } else if (!digits()) {
            throw error("a digit expected");
        }
        boolean integer = true;
        if (peek() == '.') {
            integer = false;
            at++;
            if (!digits()) throw error("a digit expected after '.'");
        }
        if (peek() == 'e' || peek() == 'E') {
            integer = false;
            at++;
            if (peek() == '+' || peek() == '-') at++;
            if (!digits()) throw error("a digit expected in the exponent");
        }
        String literal = text.substring(start, at);
        if (!integer) return Double.valueOf(literal);
        // SnakeYAML's integer resolution: the smallest of Integer, Long, BigInteger that holds the value.
        if (literal.length() <= 9) return Integer.valueOf(literal);
        BigInteger big = new BigInteger(literal);
        if (big.bitLength() < 32) return big.intValue();
        if (big.bitLength() < 64) return big.longValue();
        return big;
    }

    private boolean digits() {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') at++;
        return at > start;
    }

    private Object word(String word, Object value) {
        if (!text.startsWith(word, at)) throw error("a value expected");
        at += word.length();
        return value;
    }

    private void skipSpace() {
        while (at < text.length()) {
            char ch = text.charAt(at);
            if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t') return;
            at++;
        }
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private char next() {
        if (at >= text.length()) throw error("unexpected end");
        return text.charAt(at++);
    }

    private void expect(char ch) {
        if (next() != ch) {
            at--;
            throw error("'" + ch + "' expected");
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("Not JSON at offset " + at + ": " + what);
    }
}
