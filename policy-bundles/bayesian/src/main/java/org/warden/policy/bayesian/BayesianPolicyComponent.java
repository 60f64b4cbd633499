package org.warden.policy.bayesian;

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
import org.warden.api.policy.Horizon;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.policy.support.ConfigValues;
import org.warden.api.policy.support.ForwardingPolicy;
import org.warden.api.policy.support.LastAcceptedConfigurations;
import org.warden.api.policy.support.SettingsHolder;

/**
 * Registers the Bayesian policy as the {@code warden.policy.name=bayesian} service, configured by the PID
 * {@value #PID}. {@link Modified} swaps the {@link BayesianPolicy} it delegates to in one volatile write, so a
 * call in flight completes with either the old or the new settings. A configuration that fails validation is
 * refused with an ERROR log and the settings in force stay (at activation, the defaults).
 */
@Component(
        name = BayesianPolicyComponent.PID,
        service = WardenPolicy.class,
        property = WardenPolicy.NAME_PROPERTY + "=bayesian",
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        // Immediate: active while installed, bound by the engine or not (an outranked policy is not), so that its
        // configuration is read, refused with its ERROR and registered as refused for the health check at once,
        // not only once the engine binds it.
        immediate = true)
@Designate(ocd = BayesianPolicyComponent.Config.class)
public final class BayesianPolicyComponent extends ForwardingPolicy implements ConfigurablePolicy {
    /** The configuration PID and component name. */
    public static final String PID = "org.warden.policy.bayesian";

    @ObjectClassDefinition(
            id = PID,
            name = "Warden Bayesian policy",
            description = "Reputation as a Beta posterior with forgetting, scored by its exact lower quantile; "
                    + "vetting of new workers with an exploration share of jobs; suspension of failing workers by a "
                    + "sequential test; suspension before ban. Every key "
                    + "is optional; an invalid configuration is refused with an error in the log and the settings "
                    + "in force stay.")
    public @interface Config {
        @AttributeDefinition(name = "Prior alpha",
                description = "Pseudo-successes of the Beta prior, added to the decayed successes. In (0, 1e6].")
        double priorAlpha() default 1;

        @AttributeDefinition(name = "Prior beta",
                description = "Pseudo-failures of the Beta prior, added to the decayed failures. In (0, 1e6].")
        double priorBeta() default 1;

        @AttributeDefinition(name = "Forgetting horizon",
                description = "Time constant of the decayed job counts the posterior is built from: an outcome "
                        + "of age t counts exp(-t / horizon).")
        Horizon forgettingHorizon() default Horizon.WEEK;

        @AttributeDefinition(name = "Confidence z",
                description = "The reputation is the posterior's quantile at 1 - Phi(z) (1.645: the 5 % quantile, "
                        + "a one-sided 95 % lower bound; 0: the median). In [0, 10].")
        double confidenceZ() default 1.645;

        @AttributeDefinition(name = "Vetting jobs",
                description = "Judged jobs (completed + failed, lifetime) a worker needs to be vetted; a worker "
                        + "whose decayed evidence falls below it is vetted again. 0: no vetting. At least 0.")
        int vettingJobs() default 20;

        @AttributeDefinition(name = "Exploration share",
                description = "Share of jobs (chosen by a hash of the job id) in which new workers rank above "
                        + "vetted ones, so they can earn a record; in every other job vetted workers rank above new "
                        + "ones, so new identities take about this share of jobs. In [0, 1].")
        double explorationShare() default 0.02;

        @AttributeDefinition(name = "Suspension threshold",
                description = "A vetted worker whose lower bound is below this gets no jobs (suspended) until "
                        + "its record improves or fades. New workers are never suspended. In [0, 1].")
        double suspensionThreshold() default 0.6;

        @AttributeDefinition(name = "Ban threshold",
                description = "A worker with at least banMinJobs judged jobs whose posterior mean success rate "
                        + "is below this is banned automatically. In [0, suspensionThreshold].")
        double banThreshold() default 0.3;

        @AttributeDefinition(name = "Ban: minimum jobs",
                description = "Judged jobs (lifetime) before the posterior can ban a worker. At least 1.")
        int banMinJobs() default 50;

        @AttributeDefinition(name = "Ban: malicious reports",
                description = "Malicious behaviour reports that ban a worker automatically. 0: reports never "
                        + "ban. At least 0.")
        int banMaliciousReports() default 1;

        @AttributeDefinition(name = "Ban duration (hours)",
                description = "Length of an automatic ban in hours; 0 bans without end (until an operator "
                        + "unbans). In [0, 876000].")
        long banDurationHours() default 0;

        @AttributeDefinition(name = "Acceptable success rate",
                description = "H0 of the failure test (Wald's sequential probability ratio test on the decayed "
                        + "counts): the success rate of an acceptable worker. In (0, 1).")
        double acceptableSuccessRate() default 0.85;

        @AttributeDefinition(name = "Failing success rate",
                description = "H1 of the failure test: the success rate of a failing worker, which is suspended "
                        + "(vetted or not) once the test rejects H0. In (0, acceptableSuccessRate).")
        double failingSuccessRate() default 0.35;

        @AttributeDefinition(name = "False suspension rate",
                description = "Alpha of the failure test: a worker is suspended once the log-likelihood ratio "
                        + "reaches ln(1 / alpha). In (0, 0.5].")
        double falseSuspensionRate() default 1e-3;

        @AttributeDefinition(name = "Maximum time-to-estimate ratio",
                description = "Mean ratio of actual to estimated time at which a worker's health reports stop "
                        + "counting in the selection score (from 1 down to 0 at this ratio); at or above it, with "
                        + "a record leaning towards failing, the worker is suspended. Greater than 1, at most 1000.")
        double maxTimeToEstimateRatio() default 2.0;

        @AttributeDefinition(name = "Healthy threshold",
                description = "Health score at or above which an active worker counts as healthy. In [0, 1].")
        double healthyThreshold() default 0.5;

        @AttributeDefinition(name = "Service ranking",
                description = "service.ranking of this policy: the engine uses the highest-ranked policy unless "
                        + "its configuration pins one by name.")
        int service_ranking() default 0;
    }

    /** SLF4J, as the engine and the health check log (Pax Logging in Karaf): a refusal shows in log:display. */
    private static final Logger LOG = LoggerFactory.getLogger(BayesianPolicyComponent.class);

    /**
     * Where the configuration last accepted is kept for the next boot ({@code ${karaf.data}/warden}), set at
     * activation; nowhere until then and outside Karaf.
     */
    private volatile LastAcceptedConfigurations kept = LastAcceptedConfigurations.none();

    /** The holder's refusal status, registered while the component is active. */
    private ServiceRegistration<ConfigurationStatus> status;

    /**
     * The settings in force and the {@link BayesianPolicy} built from them, swapped together on a configuration
     * change: readers see either the old or the new policy.
     */
    private final SettingsHolder<BayesianPolicySettings, BayesianPolicy> holder;

    /** As Declarative Services creates it. */
    public BayesianPolicyComponent() {
        this(LOG);
    }

    /** With the logger the tests read. */
    BayesianPolicyComponent(Logger logger) {
        this(logger, Clock.systemUTC());
    }

    /** With the logger the tests read, and the clock a refusal's time is read from. */
    BayesianPolicyComponent(Logger logger, Clock clock) {
        // In force until a configuration is accepted, so a refused one leaves a working policy.
        holder = new SettingsHolder<>(PID, "Bayesian policy settings", BayesianPolicySettings.DEFAULTS, BayesianPolicy::new,
                logger, clock);
    }

    /**
     * Reads the raw configuration with Warden's conversion ({@link ConfigValues}), so that a value of the wrong type
     * is refused naming its key, as an out-of-range one is; registers whether it is refused, for the health check.
     */
    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        kept = LastAcceptedConfigurations.ofKarafData(context.getProperty("karaf.data"));
        holder.apply(properties, BayesianPolicyComponent::read,
                "The default settings are used instead", kept);
        status = context.registerService(ConfigurationStatus.class, holder.status(), null);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        holder.apply(properties, BayesianPolicyComponent::read,
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
    private static BayesianPolicySettings read(Map<String, ?> properties) {
        return BayesianPolicySettings.from(ConfigValues.typed(Config.class, properties));
    }

    /**
     * A new {@link BayesianPolicy} judging by the configuration in force with {@code overrides} (this PID's keys, as text)
     * put over it, for a what-if replay: the settings in force stay, nothing is saved or logged, and a refused value
     * is not reported to the health check (it is not a configuration).
     *
     * @throws IllegalArgumentException naming the key, if a key is not one of {@link Config}'s or a value is refused
     */
    @Override
    public WardenPolicy withOverrides(Map<String, String> overrides) {
        return holder.variant(overrides, Config.class, "policy bayesian", BayesianPolicyComponent::read);
    }

    /** The settings in force. */
    BayesianPolicySettings settings() {
        return holder.settings();
    }

    /** The policy built from the settings in force: every {@link WardenPolicy} call goes to it. */
    @Override
    protected WardenPolicy delegate() {
        return holder.current();
    }
}
