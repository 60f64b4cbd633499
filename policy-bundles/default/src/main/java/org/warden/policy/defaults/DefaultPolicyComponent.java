package org.warden.policy.defaults;

import java.time.Clock;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.api.ConfigurationStatus;
import org.warden.api.policy.ConfigurablePolicy;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.policy.support.ConfigValues;
import org.warden.api.policy.support.ForwardingPolicy;
import org.warden.api.policy.support.LastAcceptedConfigurations;
import org.warden.api.policy.support.SettingsHolder;

/**
 * Registers the default policy as the {@code warden.policy.name=default} service, configured by the PID
 * {@value #PID}. The service stays registered across configuration changes: {@link Modified} swaps the
 * {@link DefaultPolicy} it delegates to in one volatile write, so a call in flight completes with either
 * the old or the new settings. A configuration that fails validation is refused with an ERROR log and the
 * settings in force stay (at activation, the seed's).
 */
@Component(
        name = DefaultPolicyComponent.PID,
        service = WardenPolicy.class,
        property = WardenPolicy.NAME_PROPERTY + "=default",
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        // Immediate: active while installed, bound by the engine or not (an outranked policy is not), so that its
        // configuration is read, refused with its ERROR and registered as refused for the health check at once,
        // not only once the engine binds it.
        immediate = true)
@Designate(ocd = DefaultPolicyComponent.Config.class)
public final class DefaultPolicyComponent extends ForwardingPolicy implements ConfigurablePolicy {
    /** The configuration PID and component name. */
    public static final String PID = "org.warden.policy.default";

    // id, not pid: @Designate already binds this definition to the component's PID, and bnd refuses
    // the second, identical designation that pid = PID would generate ("Duplicate pid").
    @ObjectClassDefinition(
            id = PID,
            name = "Warden default policy",
            description = "The seed's rules for judging workers: reputation weights, decay, penalties, auto-ban, "
                    + "health and selection scoring. Every key is optional; an invalid configuration is refused "
                    + "with an error in the log and the settings in force stay.")
    public @interface Config {
        @AttributeDefinition(name = "Success rate weight",
                description = "Weight of the success rate, (completed + 1) / (completed + failed + 2), in the "
                        + "reputation. Finite, >= 0; the four reputation weights must not all be 0.")
        double successRateWeight() default 0.40;

        @AttributeDefinition(name = "Reliability weight",
                description = "Weight of reliability in the reputation: the share of jobs that delivered a valid "
                        + "result on time (jobs minus timeouts and invalid results, smoothed). Finite, >= 0.")
        double reliabilityWeight() default 0.25;

        @AttributeDefinition(name = "Efficiency weight",
                description = "Weight of efficiency in the reputation: the mean of how well the worker keeps "
                        + "its own time estimates and the quality of its results. Finite, >= 0.")
        double efficiencyWeight() default 0.20;

        @AttributeDefinition(name = "Consistency weight",
                description = "Weight of consistency in the reputation: 1 / (1 + coefficient of variation of "
                        + "execution times). Finite, >= 0.")
        double consistencyWeight() default 0.15;

        @AttributeDefinition(name = "Selection: reputation weight",
                description = "Weight of the bidder's reputation in a bid's selection score. Finite, >= 0; the "
                        + "four selection weights must not all be 0.")
        double selectionReputationWeight() default 0.35;

        @AttributeDefinition(name = "Selection: health weight",
                description = "Weight of the bidder's health score in a bid's selection score. Finite, >= 0.")
        double selectionHealthWeight() default 0.25;

        @AttributeDefinition(name = "Selection: bid weight",
                description = "Weight of the amount asked, scored 1 / (1 + amount / median amount of the "
                        + "auction): cheaper scores higher. Finite, >= 0.")
        double selectionBidWeight() default 0.25;

        @AttributeDefinition(name = "Selection: time weight",
                description = "Weight of the estimated completion time, scored 1 / (1 + estimate / median "
                        + "estimate of the auction): faster scores higher. Finite, >= 0.")
        double selectionTimeWeight() default 0.15;

        @AttributeDefinition(name = "Reputation decay per day",
                description = "Fraction of its distance to neutral 0.5 a reputation loses per day without a "
                        + "job: good reputations fade, bad ones recover. In [0, 1); 0 disables decay.")
        double reputationDecayRatePerDay() default 0.01;

        @AttributeDefinition(name = "Minimum reputation",
                description = "Reputation at or above which a worker (not banned, healthy) is eligible for "
                        + "jobs. In [0, 1].")
        double minReputationThreshold() default 0.3;

        @AttributeDefinition(name = "Maximum reputation",
                description = "Cap of the reputation before decay. In (0, 1].")
        double maxReputationScore() default 1.0;

        @AttributeDefinition(name = "Failure multiplier",
                description = "The reputation is multiplied by this once per consecutive failure (up to "
                        + "failureMaxStreak). Finite, > 0; below 1 to punish.")
        double failurePenaltyMultiplier() default 0.9;

        @AttributeDefinition(name = "Success bonus",
                description = "The reputation is multiplied by this once per consecutive success (up to "
                        + "successBonusMaxStreak), then capped at the maximum. Finite, > 0; above 1 to reward.")
        double successBonusMultiplier() default 1.05;

        @AttributeDefinition(name = "Success bonus: longest streak",
                description = "Consecutive successes that earn the bonus at most. At least 1.")
        int successBonusMaxStreak() default 1;

        @AttributeDefinition(name = "Failure multiplier: longest streak",
                description = "Consecutive failures that apply the multiplier at most. At least 1.")
        int failureMaxStreak() default 20;

        @AttributeDefinition(name = "Timeout severity",
                description = "Severity of the timeout penalty the engine applies by itself. In [0, 1].")
        double timeoutPenaltySeverity() default 0.8;

        @AttributeDefinition(name = "Malicious behaviour severity",
                description = "Severity of the penalty the engine applies on a malicious behaviour report. "
                        + "In [0, 1].")
        double maliciousPenaltySeverity() default 0.5;

        @AttributeDefinition(name = "Auto-ban",
                description = "Whether a worker is banned automatically once its malicious behaviour reports "
                        + "reach autoBanMaliciousReports.")
        boolean enableAutoBan() default true;

        @AttributeDefinition(name = "Auto-ban: malicious reports",
                description = "Malicious behaviour reports that trigger the automatic ban. At least 1.")
        int autoBanMaliciousReports() default 3;

        @AttributeDefinition(name = "Auto-ban: duration (hours)",
                description = "Length of an automatic ban in hours; 0 bans without end (until an operator "
                        + "unbans). In [0, 876000].")
        long autoBanDurationHours() default 0;

        @AttributeDefinition(name = "Healthy threshold",
                description = "Health score at or above which an active worker counts as healthy. In [0, 1].")
        double healthyThreshold() default 0.5;

        @AttributeDefinition(name = "Exploration share",
                description = "Share of jobs (chosen by a hash of the job id) in which workers still in vetting "
                        + "outrank vetted ones; in every other job vetted workers outrank them. New identities "
                        + "(and whitewashers coming back under one) so get at most about this share of jobs until "
                        + "they have a record. In [0, 1]; 0 gives new workers only the jobs no vetted worker bids for.")
        double explorationShare() default 0.05;

        @AttributeDefinition(name = "Vetting: jobs",
                description = "Judged jobs (completed + failed, lifetime) after which a worker is vetted. At least 1.")
        int vettingJobs() default 10;

        @AttributeDefinition(name = "Service ranking",
                description = "service.ranking of this policy: the engine uses the highest-ranked policy unless "
                        + "its configuration pins one by name.")
        int service_ranking() default 0;
    }

    /** SLF4J, as the engine and the health check log (Pax Logging in Karaf): a refusal shows in log:display. */
    private static final Logger LOG = LoggerFactory.getLogger(DefaultPolicyComponent.class);

    /**
     * Where the configuration last accepted is kept for the next boot ({@code ${karaf.data}/warden}), set at
     * activation; nowhere until then and outside Karaf.
     */
    private volatile LastAcceptedConfigurations kept = LastAcceptedConfigurations.none();

    /** The holder's refusal status, registered while the component is active. */
    private ServiceRegistration<ConfigurationStatus> status;

    /**
     * The settings in force and the {@link DefaultPolicy} built from them, swapped together on a configuration
     * change: readers see either the old or the new policy.
     */
    private final SettingsHolder<DefaultPolicySettings, DefaultPolicy> holder;

    /** As Declarative Services creates it. */
    public DefaultPolicyComponent() {
        this(LOG);
    }

    /** With the logger the tests read. */
    DefaultPolicyComponent(Logger logger) {
        this(logger, Clock.systemUTC());
    }

    /** With the logger the tests read, and the clock a refusal's time is read from. */
    DefaultPolicyComponent(Logger logger, Clock clock) {
        // In force until a configuration is accepted, so a refused one leaves a working policy.
        holder = new SettingsHolder<>(PID, "Default policy settings", DefaultPolicySettings.SEED, DefaultPolicy::new,
                logger, clock);
    }

    /**
     * Reads the raw configuration with Warden's conversion ({@link ConfigValues}), so that a value of the wrong type
     * is refused naming its key, as an out-of-range one is; registers whether it is refused, for the health check.
     */
    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        kept = LastAcceptedConfigurations.ofKarafData(context.getProperty("karaf.data"));
        holder.apply(properties, DefaultPolicyComponent::read,
                "The seed's settings are used instead", kept);
        status = context.registerService(ConfigurationStatus.class, holder.status(), null);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        holder.apply(properties, DefaultPolicyComponent::read,
                "The settings in force stay", kept);
    }

    @Deactivate
    void deactivate() {
        status.unregister();
    }

    /**
     * A configuration's raw properties read with Warden's conversion ({@link ConfigValues}) and validated: the
     * configuration on file, the one last accepted, or a what-if's overrides put over the one in force.
     */
    private static DefaultPolicySettings read(Map<String, ?> properties) {
        return DefaultPolicySettings.from(ConfigValues.typed(Config.class, properties));
    }

    /**
     * A new {@link DefaultPolicy} judging by the configuration in force with {@code overrides} (this PID's keys, as text)
     * put over it, for a what-if replay: the settings in force stay, nothing is saved or logged, and a refused value
     * is not reported to the health check (it is not a configuration).
     *
     * @throws IllegalArgumentException naming the key, if a key is not one of {@link Config}'s or a value is refused
     */
    @Override
    public WardenPolicy withOverrides(Map<String, String> overrides) {
        return holder.variant(overrides, Config.class, "policy default", DefaultPolicyComponent::read);
    }

    /** The settings in force. */
    DefaultPolicySettings settings() {
        return holder.settings();
    }

    /** The policy built from the settings in force: every {@link WardenPolicy} call goes to it. */
    @Override
    protected WardenPolicy delegate() {
        return holder.current();
    }
}
