package org.warden.api;

import java.util.List;
import java.util.Locale;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * The id and reason rules written a second time, apart from {@link Check}, as an oracle for the properties; and
 * the generators of text they run on: letters of several scripts (right-to-left ones too), combining marks,
 * characters beyond the BMP, spaces, and every refused class (controls, lone surrogates, bidi controls, invisible
 * format characters, line separators).
 */
final class RefusedCodePoints {

    private RefusedCodePoints() {
    }

    /** Inclusive ranges of each refused class, from the README's list. */
    private static final int[][] BIDI = { { 0x061C, 0x061C }, { 0x200E, 0x200F }, { 0x202A, 0x202E }, { 0x2066, 0x2069 } };
    private static final int[][] INVISIBLE = { { 0x00AD, 0x00AD }, { 0x180E, 0x180E }, { 0x200B, 0x200D },
            { 0x2060, 0x2064 }, { 0x206A, 0x206F }, { 0xFEFF, 0xFEFF }, { 0xE0000, 0xE007F } };
    private static final int[][] SEPARATORS = { { 0x2028, 0x2029 } };
    private static final int[][] SURROGATES = { { 0xD800, 0xDFFF } };

    private static boolean in(int[][] ranges, int c) {
        for (int[] r : ranges) {
            if (c >= r[0] && c <= r[1]) {
                return true;
            }
        }
        return false;
    }

    /** The class named in the message for a refused code point other than a control; {@code null} if not refused. */
    static String kind(int c) {
        if (in(SURROGATES, c)) {
            return "an unpaired surrogate"; // a paired one is never seen as a code point of its own
        }
        if (in(BIDI, c)) {
            return "a bidi control";
        }
        if (in(INVISIBLE, c)) {
            return "a zero-width or invisible format character";
        }
        if (in(SEPARATORS, c)) {
            return "a line or paragraph separator";
        }
        return null;
    }

    static String name(int c) {
        return String.format(Locale.ROOT, "U+%04X", c);
    }

    /** What Check must say about {@code s} (a part of its message), or {@code null} if it must accept it. */
    static String problem(String s, int max) {
        if (s.isBlank()) {
            return "must not be blank";
        }
        if (s.length() > max) {
            return "is " + s.length() + " characters long, at most " + max + " allowed";
        }
        for (int i = 0; i < s.length(); i += Character.charCount(s.codePointAt(i))) {
            int c = s.codePointAt(i);
            if (c <= 0x1F || (c >= 0x7F && c <= 0x9F)) {
                return "must not contain control characters (found " + name(c) + " at index " + i + ")";
            }
            String kind = kind(c);
            if (kind != null) {
                return "contains " + name(c) + " (" + kind + ") at index " + i;
            }
        }
        return null;
    }

    private static Arbitrary<String> range(int from, int to) {
        return Arbitraries.integers().between(from, to).map(Character::toString);
    }

    /** One character (or pair) of text an operator could mean: several scripts, marks, astral, spaces. */
    @SuppressWarnings("unchecked")
    static Arbitrary<String> goodUnits() {
        return Arbitraries.frequencyOf(
                Tuple.of(30, range(0x21, 0x7E)), // ASCII
                Tuple.of(3, Arbitraries.of(" ", "\u00A0", "\u3000")), // spaces (a whole string of them is blank)
                Tuple.of(5, range(0x00C0, 0x024F)), // Latin letters with accents
                Tuple.of(5, range(0x0300, 0x036F)), // combining marks
                Tuple.of(5, range(0x05D0, 0x05EA)), // Hebrew (right to left)
                Tuple.of(5, range(0x0620, 0x064A)), // Arabic (right to left)
                Tuple.of(4, range(0x4E00, 0x9FFF)), // CJK
                Tuple.of(2, Arbitraries.of("\uFE0F", "\u034F", "\u2764")), // variation selector, CGJ, heart
                Tuple.of(5, range(0x1F300, 0x1F64F)), // astral emoji: surrogate pairs
                Tuple.of(3, range(0x20000, 0x2A6DF)), // astral CJK
                Tuple.of(2, range(0x1D400, 0x1D7FF))); // astral mathematical letters
    }

    /** One refused unit: a control, a lone surrogate (one char), a bidi control, an invisible, a separator. */
    @SuppressWarnings("unchecked")
    static Arbitrary<String> refusedUnits() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(0xD800, 0xDFFF).map(c -> String.valueOf((char) c.intValue()))),
                Tuple.of(3, Arbitraries.of(List.of(0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                        0x2066, 0x2067, 0x2068, 0x2069)).map(Character::toString)),
                Tuple.of(3, Arbitraries.of(List.of(0x00AD, 0x180E, 0x200B, 0x200C, 0x200D, 0x2060, 0x2061, 0x2062,
                        0x2063, 0x2064, 0x206A, 0x206B, 0x206C, 0x206D, 0x206E, 0x206F, 0xFEFF)).map(Character::toString)),
                Tuple.of(1, range(0xE0000, 0xE007F)),
                Tuple.of(2, Arbitraries.of("\u2028", "\u2029")));
    }

    private static Arbitrary<String> controls() {
        return Arbitraries.oneOf(range(0x00, 0x1F), range(0x7F, 0x9F));
    }

    /**
     * Strings of {@code min} to {@code max} units: half of them clean, half with refused units or controls mixed
     * in (about one unit in twenty), so both answers are common.
     */
    @SuppressWarnings("unchecked")
    static Arbitrary<String> texts(int min, int max) {
        Arbitrary<String> clean = goodUnits().list().ofMinSize(min).ofMaxSize(max).map(l -> String.join("", l));
        Arbitrary<String> dirtyUnit = Arbitraries.frequencyOf(Tuple.of(95, goodUnits()), Tuple.of(4, refusedUnits()),
                Tuple.of(1, controls()));
        Arbitrary<String> dirty = dirtyUnit.list().ofMinSize(min).ofMaxSize(max).map(l -> String.join("", l));
        return Arbitraries.frequencyOf(Tuple.of(1, clean), Tuple.of(1, dirty));
    }
}
