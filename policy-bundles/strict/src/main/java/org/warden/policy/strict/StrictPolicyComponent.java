package org.warden.policy.strict;

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
 * Registers the strict policy as the {@code warden.policy.name=strict} service, configured by the PID
 * {@value #PID}. The service stays registered across configuration changes: {@link Modified} swaps the
 * {@link StrictPolicy} it delegates to in one volatile write. A configuration that fails validation is refused
 * with an ERROR log and the settings in force stay (at activation, the defaults).
 */
@Component(
        name = StrictPolicyComponent.PID,
        service = WardenPolicy.class,
        property = WardenPolicy.NAME_PROPERTY + "=strict",
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        // Immediate: active while installed, bound by the engine or not (an outranked policy is not), so that its
        // configuration is read, refused with its ERROR and registered as refused for the health check at once,
        // not only once the engine binds it.
        immediate = true)
@Designate(ocd = StrictPolicyComponent.Config.class)
public final class StrictPolicyComponent extends ForwardingPolicy implements ConfigurablePolicy {
    /** The configuration PID and component name. */
    public static final String PID = "org.warden.policy.strict";

    // id, not pid: @Designate already binds this definition to the component's PID.
    @ObjectClassDefinition(
            id = PID,
            name = "Warden strict policy",
            description = "Outlier ejection in the style of Envoy's outlier detection, decided by Wald's sequential "
                    + "probability ratio test (run of failures, last day's record), growing timed ejections, probation. "
                    + "Every key is optional; an invalid configuration is refused with an error in the log and "
                    + "the settings in force stay.")
    public @interface Config {
        @AttributeDefinition(name = "Consecutive failures",
                description = "Failures in a row at which the reputation's streak factor bottoms out at 0.5 (the "
                        + "worker is then excluded by its reputation, not ejected). At least 1.")
        int consecutiveFailures() default 5;

        @AttributeDefinition(name = "Minimum hosts",
                description = "Workers with volume (the engine's count) the network needs before its mean success "
                        + "rate scales the ejection test down. At least 1.")
        int minimumHosts() default 5;

        @AttributeDefinition(name = "Request volume",
                description = "Jobs a worker needs over the last day (decayed successes + failures) before the "
                        + "ejection test judges its last day. Finite, >= 0.")
        double requestVolume() default 10;

        @AttributeDefinition(name = "Acceptable success rate",
                description = "H0 of the ejection test (Wald's sequential probability ratio test): a success rate "
                        + "every honest worker reaches. In (0, 1).")
        double acceptableSuccessRate() default 0.65;

        @AttributeDefinition(name = "Ejection success rate",
                description = "H1 of the ejection test: the success rate of a broken worker. In (0, "
                        + "acceptableSuccessRate).")
        double ejectionSuccessRate() default 0.3;

        @AttributeDefinition(name = "False ejection rate",
                description = "Alpha of the ejection test: a worker is ejected once the log-likelihood ratio "
                        + "reaches ln(1 / alpha). In (0, 0.5].")
        double falseEjectionRate() default 1e-3;

        @AttributeDefinition(name = "Base ejection time (minutes)",
                description = "Length of the first ejection; the n-th lasts n times this, up to the maximum. "
                        + "At least 1.")
        long baseEjectionTimeMinutes() default 30;

        @AttributeDefinition(name = "Maximum ejection time (minutes)",
                description = "Cap of an ejection's length. At least baseEjectionTimeMinutes, at most 100 years.")
        long maxEjectionTimeMinutes() default 300;

        @AttributeDefinition(name = "Malicious reports",
                description = "Malicious behaviour reports (lifetime) that ban a worker without end (until an "
                        + "operator lifts it). At least 1.")
        int maliciousReports() default 1;

        @AttributeDefinition(name = "Probation jobs",
                description = "Successes in a row a worker banned before needs to leave probation; any failure "
                        + "restarts it. At least 0; 0 disables probation.")
        int probationJobs() default 10;

        @AttributeDefinition(name = "Probation cap",
                description = "Highest reputation of a worker on probation. In [0, 1].")
        double probationCap() default 0.5;

        @AttributeDefinition(name = "Minimum reputation",
                description = "Reputation at or above which a worker (not banned, healthy) is eligible. In [0, 1].")
        double minReputation() default 0.5;

        @AttributeDefinition(name = "Healthy threshold",
                description = "Health score at or above which an active worker counts as healthy. In [0, 1].")
        double healthyThreshold() default 0.5;

        @AttributeDefinition(name = "Service ranking",
                description = "service.ranking of this policy: the engine uses the highest-ranked policy unless "
                        + "its configuration pins one by name.")
        int service_ranking() default 0;
    }

    /** SLF4J, as the engine and the health check log (Pax Logging in Karaf): a refusal shows in log:display. */
    private static final Logger LOG = LoggerFactory.getLogger(StrictPolicyComponent.class);

    /**
     * Where the configuration last accepted is kept for the next boot ({@code ${karaf.data}/warden}), set at
     * activation; nowhere until then and outside Karaf.
     */
    private volatile LastAcceptedConfigurations kept = LastAcceptedConfigurations.none();

    /** The holder's refusal status, registered while the component is active. */
    private ServiceRegistration<ConfigurationStatus> status;

    /**
     * The settings in force and the {@link StrictPolicy} built from them, swapped together on a configuration change:
     * readers see either the old or the new policy.
     */
    private final SettingsHolder<StrictPolicySettings, StrictPolicy> holder;

    /** As Declarative Services creates it. */
    public StrictPolicyComponent() {
        this(LOG);
    }

    /** With the logger the tests read. */
    StrictPolicyComponent(Logger logger) {
        this(logger, Clock.systemUTC());
    }

    /** With the logger the tests read, and the clock a refusal's time is read from. */
    StrictPolicyComponent(Logger logger, Clock clock) {
        // In force until a configuration is accepted, so a refused one leaves a working policy.
        holder = new SettingsHolder<>(PID, "Strict policy settings", StrictPolicySettings.DEFAULTS, StrictPolicy::new,
                logger, clock);
    }

    /**
     * Reads the raw configuration with Warden's conversion ({@link ConfigValues}), so that a value of the wrong type
     * is refused naming its key, as an out-of-range one is; registers whether it is refused, for the health check.
     */
    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        kept = LastAcceptedConfigurations.ofKarafData(context.getProperty("karaf.data"));
        holder.apply(properties, StrictPolicyComponent::read,
                "The default settings are used instead", kept);
        status = context.registerService(ConfigurationStatus.class, holder.status(), null);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        holder.apply(properties, StrictPolicyComponent::read,
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
    private static StrictPolicySettings read(Map<String, ?> properties) {
        return StrictPolicySettings.from(ConfigValues.typed(Config.class, properties));
    }

    /**
     * A new {@link StrictPolicy} judging by the configuration in force with {@code overrides} (this PID's keys, as text)
     * put over it, for a what-if replay: the settings in force stay, nothing is saved or logged, and a refused value
     * is not reported to the health check (it is not a configuration).
     *
     * @throws IllegalArgumentException naming the key, if a key is not one of {@link Config}'s or a value is refused
     */
    @Override
    public WardenPolicy withOverrides(Map<String, String> overrides) {
        return holder.variant(overrides, Config.class, "policy strict", StrictPolicyComponent::read);
    }

    /** The settings in force. */
    StrictPolicySettings settings() {
        return holder.settings();
    }

    /** The policy built from the settings in force: every {@link WardenPolicy} call goes to it. */
    @Override
    protected WardenPolicy delegate() {
        return holder.current();
    }
}
