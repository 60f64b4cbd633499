package org.warden.engine.shell;

/**
 * Text from a file or a command line made safe to print on an operator's terminal: control and format characters
 * (escape sequences, bidirectional overrides, line separators) written as {@code \}{@code uXXXX}, so an error message
 * that quotes bad input can not drive the terminal; a quoted value is also cut to {@value #MAX_LENGTH} characters so
 * it can not flood it.
 */
final class Printable {

    static final int MAX_LENGTH = 80;

    private Printable() {
    }

    /** A value quoted in a message: escaped, and cut to {@value #MAX_LENGTH} characters. */
    static String of(String text) {
        if (text == null) {
            return "null";
        }
        if (text.length() <= MAX_LENGTH) {
            return escaped(text);
        }
        return escaped(text.substring(0, MAX_LENGTH)) + "... (" + text.length() + " characters)";
    }

    /** A whole message, escaped but not cut. */
    static String escaped(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (unsafe(c)) {
                if (b == null) {
                    b = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                b.append(String.format("\\u%04X", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? text : b.toString();
    }

    private static boolean unsafe(char c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
