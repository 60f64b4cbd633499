package org.warden.engine.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the database password out of what the store logs and says: a URL's {@code password=} parameter (PostgreSQL
 * {@code ?password=}, H2 {@code ;PASSWORD=}) and user-info ({@code //user:secret@host}), and the secrets themselves
 * (the {@code .password} property, the URL's password) wherever a driver's message repeats them. Applied to every
 * message and every exception the store logs or shows (network health, refusals).
 */
public final class Redactor {

    /** No secrets known: still hides {@code password=} parameters. */
    public static final Redactor NONE = new Redactor(List.of());

    static final String MASK = "***";
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)([^&;\\s'\"]*)");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@\\s]*:)([^@/\\s]*)@");

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        List<String> s = new ArrayList<>(secrets);
        s.removeIf(String::isEmpty);
        // the longest first: a secret that contains another is hidden whole
        s.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(s);
    }

    /** Hides {@code password} and the password {@code url} carries. */
    public static Redactor of(String url, String password) {
        List<String> secrets = new ArrayList<>();
        if (password != null) {
            secrets.add(password);
        }
        if (url != null) {
            for (Pattern p : new Pattern[] { PASSWORD_PARAM, USER_INFO }) {
                Matcher m = p.matcher(url);
                while (m.find()) {
                    secrets.add(m.group(2));
                }
            }
        }
        return new Redactor(secrets);
    }

    /** {@code text} without any password in it. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String s = PASSWORD_PARAM.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(MASK));
        s = USER_INFO.matcher(s).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
        for (String secret : secrets) {
            s = s.replace(secret, MASK);
        }
        return s;
    }

    /** Whether {@code text} would change: a password (or something like one) is in it. */
    boolean reveals(String text) {
        return text != null && !redact(text).equals(text);
    }

    /**
     * {@code t} as is when no password is in its messages (its causes' included); else a copy whose messages are
     * redacted, with the same stack traces and the original classes named, for a log or an exception's cause.
     */
    public Throwable redact(Throwable t) {
        if (t == null || !revealsAny(t, 0)) {
            return t;
        }
        return copy(t, 0);
    }

    private boolean revealsAny(Throwable t, int depth) {
        if (t == null || depth > 20) {
            return false;
        }
        if (reveals(t.getMessage()) || reveals(t.toString())) {
            return true;
        }
        for (Throwable s : t.getSuppressed()) {
            if (revealsAny(s, depth + 1)) {
                return true;
            }
        }
        return revealsAny(t.getCause(), depth + 1);
    }

    private Throwable copy(Throwable t, int depth) {
        Redacted r = new Redacted(t.getClass().getName() + ": " + redact(t.getMessage()));
        r.setStackTrace(t.getStackTrace());
        if (t.getCause() != null && t.getCause() != t && depth < 20) {
            r.initCause(copy(t.getCause(), depth + 1));
        }
        for (Throwable s : t.getSuppressed()) {
            if (depth < 20) {
                r.addSuppressed(copy(s, depth + 1));
            }
        }
        return r;
    }

    /** A redacted copy of another throwable, whose class it names first in its message. */
    static final class Redacted extends Exception {
        private static final long serialVersionUID = 1L;

        Redacted(String message) {
            super(message);
        }

        @Override
        public String toString() {
            return getMessage(); // "<original class>: <redacted message>", as the original would print
        }
    }

    @Override
    public String toString() {
        return "Redactor(" + secrets.size() + " secrets)"; // never the secrets
    }
}
