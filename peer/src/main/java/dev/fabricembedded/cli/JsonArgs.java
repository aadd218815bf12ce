package dev.fabricembedded.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --args} of the chaincode commands: a JSON array of strings, e.g. {@code ["move","a","b","10"]}, as
 * the elements of Fabric's {@code {"Args":[...]}}.
 *
 * <p>A strict parser for exactly that: whitespace around tokens, strings with JSON's escapes ({@code \" \\ \/ \b
 * \f \n \r \t \}{@code uXXXX}, surrogate pairs kept as they are), nothing else. Numbers, nested arrays, objects,
 * trailing commas or text after the array are refused with the position and what was expected, since a silently
 * "fixed" argument would be sent to the chaincode as something the user did not write.
 *
 * <p>Stateless.
 */
public final class JsonArgs {

    private static final String EXAMPLE = "e.g. '[\"move\",\"a\",\"b\",\"10\"]'";

    private JsonArgs() {
    }

    /**
     * Parses a JSON array of strings.
     *
     * @throws IllegalArgumentException naming the position (0-based character index) and the problem
     */
    public static List<String> parse(String json) {
        return new Reader(json).array();
    }

    /** One pass over the text; not shared. */
    private static final class Reader {
        private final String text;
        private int pos;

        Reader(String text) {
            if (text == null) {
                throw new IllegalArgumentException("--args is missing: give a JSON array of strings, " + EXAMPLE);
            }
            this.text = text;
        }

        List<String> array() {
            skipWhitespace();
            expect('[', "'[' (the arguments are a JSON array of strings, " + EXAMPLE + ")");
            List<String> values = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
            } else {
                while (true) {
                    skipWhitespace();
                    values.add(string());
                    skipWhitespace();
                    int c = peek();
                    if (c == ',') {
                        pos++;
                    } else if (c == ']') {
                        pos++;
                        break;
                    } else {
                        throw error("',' or ']'");
                    }
                }
            }
            skipWhitespace();
            if (pos < text.length()) {
                throw error("the end of the arguments");
            }
            return List.copyOf(values);
        }

        private String string() {
            if (peek() != '"') {
                throw error("a string in double quotes (every argument is a string, even numbers: \"10\")");
            }
            pos++;
            StringBuilder value = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw error("the closing '\"' of the string");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    return value.toString();
                }
                if (c < 0x20) {
                    pos--;
                    throw error("no control character inside a string (write \\n, \\t or \\u00XX)");
                }
                if (c != '\\') {
                    value.append(c);
                    continue;
                }
                if (pos >= text.length()) {
                    throw error("an escape character after '\\'");
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '"' -> value.append('"');
                    case '\\' -> value.append('\\');
                    case '/' -> value.append('/');
                    case 'b' -> value.append('\b');
                    case 'f' -> value.append('\f');
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 't' -> value.append('\t');
                    case 'u' -> value.append(unicodeEscape());
                    default -> {
                        pos--;
                        throw error("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
                    }
                }
            }
        }

        private char unicodeEscape() {
            if (pos + 4 > text.length()) {
                throw error("four hex digits after \\u");
            }
            int code = 0;
            for (int i = 0; i < 4; i++) {
                int digit = Character.digit(text.charAt(pos), 16);
                if (digit < 0) {
                    throw error("four hex digits after \\u");
                }
                code = code * 16 + digit;
                pos++;
            }
            return (char) code;
        }

        private void expect(char c, String what) {
            if (peek() != c) {
                throw error(what);
            }
            pos++;
        }

        private int peek() {
            return pos < text.length() ? text.charAt(pos) : -1;
        }

        private void skipWhitespace() {
            while (pos < text.length() && isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private static boolean isWhitespace(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r';
        }

        private IllegalArgumentException error(String expected) {
            String found = pos < text.length() ? "'" + text.charAt(pos) + "'" : "the end";
            return new IllegalArgumentException("invalid --args " + text + ": expected " + expected + " at position "
                    + pos + ", found " + found);
        }
    }
}
