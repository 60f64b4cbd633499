package org.warden.api;

import java.math.BigInteger;
import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The argument rules every Warden call applies, public so that a distributor can check its input the same
 * way before calling. Each method returns its argument or throws an {@link IllegalArgumentException}
 * whose message starts with the argument's name and says why.
 *
 * <p>Ids and reasons are shown in the operator's tables and kept in the journal, the checkpoints and the JSON
 * export, so besides being non-blank and short they must hold only text that is both visible and exactly
 * encodable. Refused, wherever they are:
 * <ul>
 * <li>control characters ({@link Character#isISOControl}): they break tables and lines;</li>
 * <li>unpaired surrogates: UTF-8 cannot encode them, so the journal would write {@code ?} and after a restart
 * the record would belong to another id;</li>
 * <li>bidi controls (the Unicode Bidi_Control characters: U+061C, U+200E, U+200F, U+202A&ndash;U+202E,
 * U+2066&ndash;U+2069): they reorder what is shown, so an id holding U+202E (right-to-left override) can
 * show as another worker's;</li>
 * <li>zero-width and invisible format characters (U+00AD, U+180E, U+200B&ndash;U+200D, U+2060&ndash;U+2064,
 * U+206A&ndash;U+206F, U+FEFF, the tags U+E0000&ndash;U+E007F): two ids that differ only by them look the
 * same;</li>
 * <li>line and paragraph separators (U+2028, U+2029): they break a table's row like a newline.</li>
 * </ul>
 * Such a value is refused with the code point, its class and its index, e.g.
 * {@code workerId contains U+202E (a bidi control) at index 3}. Everything else (letters of any script,
 * right-to-left ones included, combining marks, characters beyond the BMP as surrogate pairs) is accepted,
 * and every accepted value round-trips exactly through UTF-8. The list is fixed here rather than taken from the
 * JDK's Unicode tables, so a value accepted on one Java version is accepted on every one.
 */
@ProviderType
public final class Check {
    /** Longest id accepted (characters): ids are keys, not documents. */
    public static final int MAX_ID_LENGTH = 256;
    /** Longest reason accepted (characters). */
    public static final int MAX_REASON_LENGTH = 1024;
    /** Earnings and bids are unsigned 128-bit amounts. */
    public static final BigInteger TWO_POW_128 = BigInteger.ONE.shiftLeft(128);
    /**
     * Longest ban accepted: 100 years, as the default policy's longest automatic ban. A ban must end at a time an
     * {@link java.time.Instant} (and every store) can hold; longer than this is for good, which is a ban without
     * a duration.
     *
     * @since 1.3
     */
    public static final Duration MAX_BAN_DURATION = Duration.ofDays(36_500);

    private Check() {
    }

    public static String id(String name, String value) {
        return text(name, value, MAX_ID_LENGTH);
    }

    public static String optionalId(String name, String value) {
        return value == null ? null : id(name, value);
    }

    public static String reason(String name, String value) {
        return text(name, value, MAX_REASON_LENGTH);
    }

    private static String text(String name, String value, int max) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(name + " is " + value.length() + " characters long, at most " + max + " allowed");
        }
        for (int i = 0; i < value.length(); ) {
            char ch = value.charAt(i);
            if (ch >= 0x20 && ch < 0x7F) {
                i++; // printable ASCII, the common case (every call checks its ids): nothing to look up
                continue;
            }
            int c = value.codePointAt(i); // an unpaired surrogate comes back as itself
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException(name + " must not contain control characters (found "
                        + codePoint(c) + " at index " + i + ")");
            }
            String refused = refusedClass(c);
            if (refused != null) {
                throw new IllegalArgumentException(name + " contains " + codePoint(c) + " (" + refused + ") at index " + i);
            }
            i += Character.charCount(c);
        }
        return value;
    }

    /** What is wrong with a code point in an id or reason (see the class comment), or {@code null} if nothing. */
    private static String refusedClass(int c) {
        if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
            return "an unpaired surrogate";
        }
        if (c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) {
            return "a bidi control";
        }
        if (c == 0x00AD || c == 0x180E || (c >= 0x200B && c <= 0x200D) || (c >= 0x2060 && c <= 0x2064)
                || (c >= 0x206A && c <= 0x206F) || c == 0xFEFF || (c >= 0xE0000 && c <= 0xE007F)) {
            return "a zero-width or invisible format character";
        }
        if (c == 0x2028 || c == 0x2029) {
            return "a line or paragraph separator";
        }
        return null;
    }

    private static String codePoint(int c) {
        return String.format(java.util.Locale.ROOT, "U+%04X", c);
    }

    /**
     * A ban's duration: {@code null} (for good), or positive and at most {@link #MAX_BAN_DURATION}.
     *
     * @since 1.3
     */
    public static Duration banDuration(String name, Duration value) {
        if (value == null) {
            return null;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        if (value.compareTo(MAX_BAN_DURATION) > 0) {
            throw new IllegalArgumentException(name + " must be at most " + MAX_BAN_DURATION.toDays()
                    + " days (100 years; a longer ban is a ban for good, without duration), was " + value);
        }
        return value;
    }

    public static double finite(String name, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number, was " + value);
        }
        return value;
    }

    public static double percent(String name, double value) {
        finite(name, value);
        if (value < 0 || value > 100) {
            throw new IllegalArgumentException(name + " must be a percentage in [0, 100], was " + value);
        }
        return value;
    }

    public static double unit(String name, double value) {
        finite(name, value);
        if (value < 0 || value > 1) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
        }
        return value;
    }

    public static Double optionalUnit(String name, Double value) {
        return value == null ? null : unit(name, value);
    }

    public static double nonNegative(String name, double value) {
        finite(name, value);
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    public static long nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    public static BigInteger amount(String name, BigInteger value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (value.signum() < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        if (value.compareTo(TWO_POW_128) >= 0) {
            throw new IllegalArgumentException(name + " must be below 2^128 (an unsigned 128-bit amount), was " + value);
        }
        return value;
    }

    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }
}
