package org.warden.engine;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The engine's configuration (PID {@value WardenEngine#PID}) as Config Admin and the metatype see it: what can be set
 * and its defaults. Apart from {@link WardenEngine}, whose reason to change is its wiring, not the list of settings;
 * {@link EngineConfigReader} checks and converts a configuration into the engine's settings.
 */
// id and localization as when this was WardenEngine.Config: Config Admin tools and the generated metatype keep the
// names they had before the type moved out of the component
@ObjectClassDefinition(id = "org.warden.engine.WardenEngine$Config",
        localization = "OSGI-INF/l10n/org.warden.engine.WardenEngine$Config", name = "Warden engine",
        description = "How the Warden engine keeps and judges worker statistics. The policy that judges them is a "
                + "separate service (see the policy bundles); this configuration only chooses which one.")
public @interface EngineConfig {
    @AttributeDefinition(name = "Policy", description = "The name (warden.policy.name) of the policy that judges, "
            + "e.g. default; empty: the highest-ranked installed policy. Letters, digits, '.', '_' and '-', at most 64. "
            + "While the named policy is not installed, the policy in force before stays (else the highest-ranked), "
            + "the health check WARNs, and the named one takes over when it is installed. warden:policy-use sets it.")
    String policy() default "";

    @AttributeDefinition(name = "Health check interval (s)", description = "How often workers are expected to "
            + "report health: the seed's 60 seconds.")
    long healthCheckIntervalSeconds() default 60;

    @AttributeDefinition(name = "Activity window (intervals)", description = "A worker not heard from (health "
            + "report or job outcome) for this many health check intervals is inactive, and one without a health "
            + "report within it is not healthy.")
    int activityWindowIntervals() default 3;

    @AttributeDefinition(name = "Network health maximum age (ms)", description = "Network health is computed by a "
            + "scan of every worker at most this often; reads in between get the cached figures. On a network "
            + "where a scan takes more than 20 ms, an older result is refreshed in the background while readers "
            + "still get it, and scans are spaced by at least ten scan durations. 0 scans on every read.")
    long networkHealthMaxAgeMs() default 1000;

    @AttributeDefinition(name = "Penalties kept per worker", description = "The most recent penalties kept in "
            + "memory for each worker (the counts and severities of all of them are always kept).")
    int penaltyHistorySize() default 10;

    @AttributeDefinition(name = "Past bans kept per worker", description = "The most recent ended bans kept in "
            + "memory for each worker.")
    int banHistorySize() default 5;

    @AttributeDefinition(name = "Policy fault log interval (s)", description = "A policy that throws or returns "
            + "invalid values is logged at most once per this interval; every fault is counted.")
    long policyFaultLogIntervalSeconds() default 60;

    @AttributeDefinition(name = "Network statistics: minimum volume", description = "Judged jobs over the last "
            + "day (decayed) a worker needs to count in the network's success-rate mean and deviation, which a "
            + "policy may compare workers with (e.g. the strict policy's outlier ejection).")
    double networkMinVolume() default 10;

    @AttributeDefinition(name = "Ban budget: share of active workers", description = "Automatic bans (decided "
            + "by the policy) within the ban budget window may not exceed this share of the active workers, "
            + "whatever the policy; at least one is always allowed. Beyond it a would-be ban is held as pending "
            + "for an operator to confirm or dismiss (warden:pending). Operators' bans are not limited. In "
            + "[0, 1]; 1 disables the limit in effect.")
    double banBudgetShare() default 0.10;

    @AttributeDefinition(name = "Ban budget window (minutes)", description = "The sliding window the ban budget "
            + "counts automatic bans in.")
    long banBudgetWindowMinutes() default 60;

    @AttributeDefinition(name = "Policy call budget (ms)", description = "A policy call taking longer than this "
            + "is a fault: its result is discarded, the fallback answers, and the policy is not called again "
            + "(the fallback answers) for the slow-policy cool-down. In [1, 60000]. It is wall-clock time: keep "
            + "it well above garbage-collection pauses and scheduling delays (a policy call takes microseconds; "
            + "1 s means stuck), or a pause would put the fallback, which never bans, in force.")
    long policyCallBudgetMs() default 1000;

    @AttributeDefinition(name = "Slow policy cool-down (s)", description = "After a call over the budget, every "
            + "call of that policy is answered by the fallback for this long; then it is tried again.")
    long slowPolicyCooldownSeconds() default 30;

    @AttributeDefinition(name = "Eligible before the record is restored", description = "When the database is "
            + "unavailable at start, the engine serves from memory until the store can restore the record. false "
            + "(the default): until then no worker is eligible, so a worker banned in the record is not chosen "
            + "because memory does not know its ban (bans fail closed). true: workers are judged from what was "
            + "recorded since the start, so a banned worker may be eligible until the record is back (bans fail "
            + "open). Outcomes and health reports are accepted either way.")
    boolean eligibleBeforeRestore() default false;

    @AttributeDefinition(name = "Shadow policy", description = "The name (warden.policy.name) of a second policy "
            + "to run in shadow: it judges the same statistics but is never enforced; the differences are shown by "
            + "warden:shadow. E.g. bayesian; empty (the default): none. While it is not installed no shadow runs and "
            + "the health check WARNs.")
    String shadowPolicy() default "";
}
