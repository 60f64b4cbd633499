package org.warden.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The code points ids and reasons refuse, one class at a time, with the exact message; and what they keep
 * accepting. (Written with {@code \\u} escapes on purpose: the source itself holds no invisible character.)
 */
class CheckTextTest {

    @Test
    void aLoneHighSurrogateIsRefused() {
        assertThatThrownBy(() -> Check.id("workerId", "a\uD800"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("workerId contains U+D800 (an unpaired surrogate) at index 1");
    }

    @Test
    void aLoneLowSurrogateIsRefused() {
        assertThatThrownBy(() -> Check.reason("reason", "\uDC00late"))
                .hasMessage("reason contains U+DC00 (an unpaired surrogate) at index 0");
    }

    @Test
    void surrogatesInTheWrongOrderAreRefused() {
        assertThatThrownBy(() -> Check.id("workerId", "w\uDE00\uD83D"))
                .hasMessage("workerId contains U+DE00 (an unpaired surrogate) at index 1");
    }

    @Test
    void aBidiOverrideIsRefused() {
        assertThatThrownBy(() -> Check.id("workerId", "w-1\u202Ex"))
                .hasMessage("workerId contains U+202E (a bidi control) at index 3");
    }

    @ParameterizedTest
    @ValueSource(ints = { 0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068,
            0x2069 })
    void everyBidiControlIsRefused(int c) {
        assertThatThrownBy(() -> Check.id("workerId", "w" + Character.toString(c)))
                .hasMessage("workerId contains U+%04X (a bidi control) at index 1", c);
    }

    @Test
    void aZeroWidthSpaceIsRefused() {
        assertThatThrownBy(() -> Check.id("workerId", "w\u200B1"))
                .hasMessage("workerId contains U+200B (a zero-width or invisible format character) at index 1");
    }

    @ParameterizedTest
    @ValueSource(ints = { 0x00AD, 0x180E, 0x200B, 0x200C, 0x200D, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x206A,
            0x206F, 0xFEFF, 0xE0000, 0xE0001, 0xE0041, 0xE007F })
    void everyInvisibleFormatCharacterIsRefused(int c) {
        assertThatThrownBy(() -> Check.reason("reason", "ok " + Character.toString(c)))
                .hasMessage("reason contains U+%04X (a zero-width or invisible format character) at index 3", c);
    }

    @Test
    void aLineSeparatorIsRefused() {
        assertThatThrownBy(() -> Check.id("workerId", "w1\u2028w2"))
                .hasMessage("workerId contains U+2028 (a line or paragraph separator) at index 2");
    }

    @Test
    void aParagraphSeparatorIsRefused() {
        assertThatThrownBy(() -> Check.reason("liftReason", "a\u2029"))
                .hasMessage("liftReason contains U+2029 (a line or paragraph separator) at index 1");
    }

    @Test
    void controlCharactersKeepTheirMessage() {
        assertThatThrownBy(() -> Check.id("workerId", "a\u007fb"))
                .hasMessage("workerId must not contain control characters (found U+007F at index 1)");
        assertThatThrownBy(() -> Check.reason("reason", "x\u0085"))
                .hasMessage("reason must not contain control characters (found U+0085 at index 1)");
    }

    @Test
    void theIndexIsTheCharIndexAfterAstralCharacters() {
        // U+1F600 takes two chars: the refused one is at char index 3, as String.charAt counts
        assertThatThrownBy(() -> Check.id("workerId", "\uD83D\uDE00a\u202E"))
                .hasMessage("workerId contains U+202E (a bidi control) at index 3");
    }

    @Test
    void theFirstRefusedCodePointIsNamed() {
        assertThatThrownBy(() -> Check.id("jobId", "\u200B\u202E"))
                .hasMessage("jobId contains U+200B (a zero-width or invisible format character) at index 0");
    }

    @Test
    void visibleTextOfEveryKindIsAccepted() {
        String[] accepted = {
                "w\uD83D\uDE00", // an astral emoji, as a surrogate pair
                "\uD840\uDC0B-node", // an astral CJK ideograph
                "e\u0301\u0323", // combining marks on a base letter
                "\u05E2\u05D5\u05D1\u05D3-7", // Hebrew letters: right to left by themselves, no control needed
                "\u0639\u0627\u0645\u0644", // Arabic
                "\u2764\uFE0F", // a variation selector after its base (emoji presentation)
                "w\u00A0x", // a no-break space is visible as a space
                "x".repeat(Check.MAX_ID_LENGTH) };
        for (String s : accepted) {
            assertThat(Check.id("workerId", s)).isSameAs(s);
        }
    }

    @Test
    void refusedIdsChangeNothingInAValueType() {
        assertThatThrownBy(() -> new Bid("w\u202E1", java.math.BigInteger.ONE, 1))
                .hasMessage("workerId contains U+202E (a bidi control) at index 1");
        assertThatThrownBy(() -> new Ban("w1", "forged\u2028results", false, java.time.Instant.EPOCH, null, null, null))
                .hasMessage("reason contains U+2028 (a line or paragraph separator) at index 6");
    }

    // ---------------------------------------------------------------- ban durations

    @Test
    void aBanDurationUpToAHundredYearsIsAccepted() {
        assertThat(Check.banDuration("duration", null)).isNull();
        assertThat(Check.banDuration("duration", Duration.ofNanos(1))).isEqualTo(Duration.ofNanos(1));
        assertThat(Check.banDuration("duration", Check.MAX_BAN_DURATION)).isEqualTo(Duration.ofDays(36_500));
        // the default policy's longest automatic ban is the same 100 years
        assertThat(Check.MAX_BAN_DURATION.toHours()).isEqualTo(100L * 365 * 24);
    }

    @Test
    void aLongerBanDurationIsRefusedNamingIt() {
        assertThatThrownBy(() -> Check.banDuration("duration", Duration.ofDays(400_000_000_000L)))
                .hasMessage("duration must be at most 36500 days (100 years; a longer ban is a ban for good, without "
                        + "duration), was PT9600000000000H");
        assertThatThrownBy(() -> Check.banDuration("duration", Check.MAX_BAN_DURATION.plusNanos(1)))
                .hasMessageStartingWith("duration must be at most 36500 days");
    }

    @Test
    void aBanDurationMustBePositive() {
        assertThatThrownBy(() -> Check.banDuration("duration", Duration.ZERO))
                .hasMessage("duration must be positive, was PT0S");
        assertThatThrownBy(() -> Check.banDuration("duration", Duration.ofMinutes(-5)))
                .hasMessage("duration must be positive, was PT-5M");
    }
}
