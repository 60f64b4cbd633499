package org.warden.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * Check's text rules against an oracle written apart from it ({@link RefusedCodePoints}): on random strings
 * of every kind of character, the refused ones included, a string is accepted exactly when the oracle finds
 * nothing wrong, an accepted one encodes to UTF-8 and back unchanged, and a refused one is refused for its first
 * refused code point, named with its index. No I/O, but long strings: tens of thousands of tries, about ten
 * seconds in all on a CI core.
 */
class CheckPropertyTest {

    @Property(tries = 30_000)
    void anIdIsAcceptedExactlyWhenNothingInItIsRefused(@ForAll("texts") String s) {
        Throwable thrown = catchThrowable(() -> Check.id("workerId", s));
        String problem = RefusedCodePoints.problem(s, Check.MAX_ID_LENGTH);
        if (problem == null) {
            assertThat(thrown).isNull();
            assertThat(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(s);
        } else {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("workerId ")
                    .hasMessageContaining(problem);
        }
    }

    @Property(tries = 10_000)
    void aReasonFollowsTheSameRules(@ForAll("texts") String s) {
        Throwable thrown = catchThrowable(() -> Check.reason("reason", s));
        String problem = RefusedCodePoints.problem(s, Check.MAX_REASON_LENGTH);
        if (problem == null) {
            assertThat(thrown).isNull();
        } else {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("reason ")
                    .hasMessageContaining(problem);
        }
    }

    /** A refused code point anywhere in an otherwise good id: refused, naming it at its index. */
    @Property(tries = 50_000)
    void aRefusedCodePointIsFoundWhereverItIs(@ForAll("goodTexts") String good, @ForAll("refused") String bad,
            @ForAll("positions") double where) {
        int at = (int) (where * good.length());
        if (at > 0 && Character.isHighSurrogate(good.charAt(at - 1))) {
            at--; // do not split a pair of the good text: the pair's half would be the first refused
        }
        String s = good.substring(0, at) + bad + good.substring(at);
        if (s.length() > Check.MAX_ID_LENGTH) {
            return;
        }
        // a lone low surrogate right after a high one forms a pair; the generator never puts one there
        assertThatThrownBy(() -> Check.id("workerId", s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("workerId contains %s (%s) at index %d", RefusedCodePoints.name(bad.codePointAt(0)),
                        RefusedCodePoints.kind(bad.codePointAt(0)), at);
    }

    @Property(tries = 10_000)
    void aBanDurationIsAcceptedExactlyWhenItCanEndWithinAHundredYears(
            @ForAll @LongRange(min = -10, max = Long.MAX_VALUE) long seconds, @ForAll @LongRange(max = 999_999_999) long nanos) {
        Duration d = Duration.ofSeconds(seconds, nanos);
        Throwable thrown = catchThrowable(() -> Check.banDuration("duration", d));
        boolean fits = d.compareTo(Duration.ZERO) > 0 && d.compareTo(Duration.ofDays(36_500)) <= 0;
        if (fits) {
            assertThat(thrown).isNull();
            // what a ban from now, or from any time a store holds, does with it
            assertThat(Instant.parse("9999-01-01T00:00:00Z").plus(d)).isAfter(Instant.parse("9999-01-01T00:00:00Z"));
        } else {
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("duration must be ");
        }
    }

    @Provide
    Arbitrary<String> texts() {
        return RefusedCodePoints.texts(0, 300);
    }

    @Provide
    Arbitrary<String> goodTexts() {
        return RefusedCodePoints.texts(1, 80).filter(s -> RefusedCodePoints.problem(s, Integer.MAX_VALUE) == null);
    }

    @Provide
    Arbitrary<String> refused() {
        return RefusedCodePoints.refusedUnits();
    }

    @Provide
    Arbitrary<Double> positions() {
        return Arbitraries.doubles().between(0, 1).withSpecialValue(0.0).withSpecialValue(0.999_999);
    }
}
