package org.warden.api.policy;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Time constants of the decayed counters the engine keeps: an event of age {@code t} counts
 * {@code exp(-t / horizon)}, so a horizon's counter is roughly "events in the last horizon".
 */
@ProviderType
public enum Horizon {
    HOUR(Duration.ofHours(1)),
    DAY(Duration.ofDays(1)),
    WEEK(Duration.ofDays(7)),
    MONTH(Duration.ofDays(30));

    private final Duration duration;

    Horizon(Duration duration) {
        this.duration = duration;
    }

    public Duration duration() {
        return duration;
    }
}
