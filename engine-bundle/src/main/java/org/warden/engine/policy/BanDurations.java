package org.warden.engine.policy;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/**
 * When a ban of a given duration ends. One rule for the policy's automatic bans, an operator's bans and confirmed
 * pending bans: a duration is positive, and the ban's end must be an {@link Instant} (a duration that runs past
 * {@link Instant#MAX} is refused, not capped: a policy or operator asking for it made a mistake, and a ban without
 * end is said with no duration).
 */
public final class BanDurations {

    private BanDurations() {
    }

    /**
     * The end of a ban starting at {@code bannedAt}; {@code null} for a ban without end ({@code duration} null).
     *
     * @throws IllegalArgumentException naming {@code duration} if it is not positive or the end is past
     *                                  {@link Instant#MAX}
     */
    public static Instant until(Instant bannedAt, Duration duration) {
        if (duration == null) {
            return null;
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, was " + duration);
        }
        try {
            return bannedAt.plus(duration);
        } catch (DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException("duration " + duration + " is too long: a ban from " + bannedAt
                    + " would end after " + Instant.MAX + " (for a ban without end, give no duration)");
        }
    }
}
