package org.warden.itests;

import org.warden.api.HealthMetrics;

/** Health reports the tests send, judged by the default policy's health formula. */
final class Fixtures {
    /** A fit worker: every term of the default health formula is good (score well above 0.5). */
    static final HealthMetrics FIT = new HealthMetrics(20, 10, 20, 30, 10, 1000.0, null, 45.0, 0);
    /** A worker in trouble: saturated, slow and failing; far below the healthy threshold of 0.5. */
    static final HealthMetrics SICK = new HealthMetrics(10_000, 99, 99, 99, 2_000, null, null, 94.0, 50);
    /** A middling worker: still healthy by the default policy (about 0.6), but less than {@link #FIT}. */
    static final HealthMetrics FAIR = new HealthMetrics(300, 50, 50, 50, 60, null, null, null, 1);

    private Fixtures() {
    }
}
