package org.warden.engine.core;

import java.math.BigInteger;
import java.time.Duration;

/**
 * The engine's validated settings.
 *
 * @param healthCheckInterval  how often workers are expected to report health (the seed's 60 s)
 * @param activityWindowIntervals a worker not heard from for this many intervals is inactive
 * @param networkHealthMaxAge  network health is recomputed by a scan at most this often
 * @param penaltyHistorySize   penalties kept in memory per worker
 * @param banHistorySize       past bans kept in memory per worker
 * @param faultLogInterval     a faulty policy is logged at most once per this interval
 * @param networkMinVolume     judged jobs over the last day (decayed) for a worker to count in the network's
 *                             success-rate statistics that policies compare workers with
 * @param policyCallBudget     a policy call taking longer than this is a fault (slow policy); its result is discarded
 * @param slowPolicyCooldown   after a slow call, the policy is not called (the fallback answers) for this long
 * @param banBudgetShare       automatic bans within {@code banBudgetWindow} may not exceed this share of the active
 *                             workers (at least one is always allowed); in [0, 1], 1 disables the limit in effect
 * @param banBudgetWindow      the sliding window of the ban budget, at least a minute
 * @param eligibleBeforeRestore whether workers may be eligible before the durable store has restored the record
 *                             (serving from memory: a worker banned in the record is judged without its ban until
 *                             then); {@code false}, the default, keeps every worker ineligible until then
 *
 * Every duration, and the activity window ({@code healthCheckInterval × activityWindowIntervals}), is at most
 * {@link #MAX_DURATION}: the engine adds them to and subtracts them from the clock's time, and converts the call
 * budget to nanoseconds, on every read; a larger one would be accepted here and make every read throw.
 */
public record EngineSettings(Duration healthCheckInterval, int activityWindowIntervals, Duration networkHealthMaxAge,
        int penaltyHistorySize, int banHistorySize, Duration faultLogInterval, double networkMinVolume,
        Duration policyCallBudget, Duration slowPolicyCooldown, double banBudgetShare, Duration banBudgetWindow,
        boolean eligibleBeforeRestore) {

    /** The default ban budget: 10 % of the active workers per 60 minutes. */
    public static final double DEFAULT_BAN_BUDGET_SHARE = 0.10;
    public static final Duration DEFAULT_BAN_BUDGET_WINDOW = Duration.ofMinutes(60);

    public static final Duration DEFAULT_POLICY_CALL_BUDGET = Duration.ofMillis(1000);
    public static final Duration DEFAULT_SLOW_POLICY_COOLDOWN = Duration.ofSeconds(30);

    /**
     * The longest duration setting, and the longest activity window: 100 years (as the longest ban). Far below what
     * an {@link java.time.Instant} near now, or a {@code long} of nanoseconds, can take.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(36_500);

    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    public static final EngineSettings DEFAULTS = new EngineSettings(Duration.ofSeconds(60), 3, Duration.ofMillis(1000),
            10, 5, Duration.ofSeconds(60));

    public EngineSettings {
        positive("healthCheckIntervalSeconds", healthCheckInterval);
        if (activityWindowIntervals < 1) {
            throw new IllegalArgumentException("activityWindowIntervals must be at least 1, was " + activityWindowIntervals);
        }
        activityWindowFits(healthCheckInterval, activityWindowIntervals);
        if (networkHealthMaxAge == null || networkHealthMaxAge.isNegative()) {
            throw new IllegalArgumentException("networkHealthMaxAgeMs must not be negative, was " + networkHealthMaxAge);
        }
        atMostMax("networkHealthMaxAgeMs", networkHealthMaxAge);
        if (penaltyHistorySize < 1 || penaltyHistorySize > 1000) {
            throw new IllegalArgumentException("penaltyHistorySize must be in [1, 1000], was " + penaltyHistorySize);
        }
        if (banHistorySize < 1 || banHistorySize > 1000) {
            throw new IllegalArgumentException("banHistorySize must be in [1, 1000], was " + banHistorySize);
        }
        positive("policyFaultLogIntervalSeconds", faultLogInterval);
        atMostMax("policyFaultLogIntervalSeconds", faultLogInterval);
        if (!(networkMinVolume >= 0) || Double.isInfinite(networkMinVolume)) {
            throw new IllegalArgumentException("networkMinVolume must be a finite number >= 0, was " + networkMinVolume);
        }
        if (policyCallBudget == null || policyCallBudget.isNegative() || policyCallBudget.isZero()) {
            throw new IllegalArgumentException("policyCallBudgetMs must be positive, was "
                    + (policyCallBudget == null ? null : policyCallBudget.toMillis()));
        }
        atMostMax("policyCallBudgetMs", policyCallBudget);
        positive("slowPolicyCooldownSeconds", slowPolicyCooldown);
        atMostMax("slowPolicyCooldownSeconds", slowPolicyCooldown);
        if (!(banBudgetShare >= 0 && banBudgetShare <= 1)) {
            throw new IllegalArgumentException("banBudgetShare must be in [0, 1], was " + banBudgetShare);
        }
        if (banBudgetWindow == null || banBudgetWindow.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("banBudgetWindowMinutes must be at least 1, was "
                    + (banBudgetWindow == null ? null : banBudgetWindow.toMinutes()));
        }
        atMostMax("banBudgetWindowMinutes", banBudgetWindow);
    }

    /** The settings failing closed before the store has restored the record (see {@link #eligibleBeforeRestore()}). */
    public EngineSettings(Duration healthCheckInterval, int activityWindowIntervals, Duration networkHealthMaxAge,
            int penaltyHistorySize, int banHistorySize, Duration faultLogInterval, double networkMinVolume,
            Duration policyCallBudget, Duration slowPolicyCooldown, double banBudgetShare, Duration banBudgetWindow) {
        this(healthCheckInterval, activityWindowIntervals, networkHealthMaxAge, penaltyHistorySize, banHistorySize,
                faultLogInterval, networkMinVolume, policyCallBudget, slowPolicyCooldown, banBudgetShare,
                banBudgetWindow, false);
    }

    /** These settings, with workers eligible before the store has restored the record or not. */
    public EngineSettings withEligibleBeforeRestore(boolean eligible) {
        return new EngineSettings(healthCheckInterval, activityWindowIntervals, networkHealthMaxAge, penaltyHistorySize,
                banHistorySize, faultLogInterval, networkMinVolume, policyCallBudget, slowPolicyCooldown, banBudgetShare,
                banBudgetWindow, eligible);
    }

    /** The settings with the default ban budget (10 % of the active workers per 60 minutes). */
    public EngineSettings(Duration healthCheckInterval, int activityWindowIntervals, Duration networkHealthMaxAge,
            int penaltyHistorySize, int banHistorySize, Duration faultLogInterval, double networkMinVolume,
            Duration policyCallBudget, Duration slowPolicyCooldown) {
        this(healthCheckInterval, activityWindowIntervals, networkHealthMaxAge, penaltyHistorySize, banHistorySize,
                faultLogInterval, networkMinVolume, policyCallBudget, slowPolicyCooldown, DEFAULT_BAN_BUDGET_SHARE,
                DEFAULT_BAN_BUDGET_WINDOW);
    }

    /** These settings with another ban budget (validated). */
    public EngineSettings withBanBudget(double share, Duration window) {
        return new EngineSettings(healthCheckInterval, activityWindowIntervals, networkHealthMaxAge, penaltyHistorySize,
                banHistorySize, faultLogInterval, networkMinVolume, policyCallBudget, slowPolicyCooldown, share, window,
                eligibleBeforeRestore);
    }

    /** These settings with another slow-policy guard (validated). */
    public EngineSettings withSlowPolicyGuard(Duration callBudget, Duration cooldown) {
        return new EngineSettings(healthCheckInterval, activityWindowIntervals, networkHealthMaxAge, penaltyHistorySize,
                banHistorySize, faultLogInterval, networkMinVolume, callBudget, cooldown, banBudgetShare, banBudgetWindow,
                eligibleBeforeRestore);
    }

    /** The settings with the default slow-policy guard (1 s budget, 30 s cool-down). */
    public EngineSettings(Duration healthCheckInterval, int activityWindowIntervals, Duration networkHealthMaxAge,
            int penaltyHistorySize, int banHistorySize, Duration faultLogInterval, double networkMinVolume) {
        this(healthCheckInterval, activityWindowIntervals, networkHealthMaxAge, penaltyHistorySize, banHistorySize,
                faultLogInterval, networkMinVolume, DEFAULT_POLICY_CALL_BUDGET, DEFAULT_SLOW_POLICY_COOLDOWN);
    }

    /** The settings with the default network minimum volume (10 jobs). */
    public EngineSettings(Duration healthCheckInterval, int activityWindowIntervals, Duration networkHealthMaxAge,
            int penaltyHistorySize, int banHistorySize, Duration faultLogInterval) {
        this(healthCheckInterval, activityWindowIntervals, networkHealthMaxAge, penaltyHistorySize, banHistorySize,
                faultLogInterval, 10);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + (d == null ? null : d.toSeconds()));
        }
    }

    /** Refuses a duration beyond {@link #MAX_DURATION}, naming its configuration key (shown in ISO-8601: it may fit no unit). */
    private static void atMostMax(String name, Duration d) {
        if (d.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(name + " must be at most 100 years (" + MAX_DURATION + "), was " + d);
        }
    }

    /** Refuses an activity window beyond {@link #MAX_DURATION}, computed exactly (the product may fit no long). */
    private static void activityWindowFits(Duration interval, int intervals) {
        BigInteger nanos = BigInteger.valueOf(interval.getSeconds()).multiply(NANOS_PER_SECOND)
                .add(BigInteger.valueOf(interval.getNano())).multiply(BigInteger.valueOf(intervals));
        BigInteger max = BigInteger.valueOf(MAX_DURATION.getSeconds()).multiply(NANOS_PER_SECOND);
        if (nanos.compareTo(max) > 0) {
            throw new IllegalArgumentException("healthCheckIntervalSeconds * activityWindowIntervals (the activity "
                    + "window) must be at most 100 years (" + MAX_DURATION.getSeconds() + " s), was "
                    + interval.getSeconds() + " s * " + intervals);
        }
    }

    /**
     * Workers heard from within this window are active. Read for every worker judged: seconds and nanoseconds
     * multiplied as longs (they fit: the constructor checked the window is at most {@link #MAX_DURATION}), not through
     * {@link Duration#multipliedBy}, whose BigDecimal arithmetic was a hot spot of rankings and replays.
     */
    public Duration activityWindow() {
        return Duration.ofSeconds(healthCheckInterval.getSeconds() * activityWindowIntervals,
                (long) healthCheckInterval.getNano() * activityWindowIntervals);
    }
}
