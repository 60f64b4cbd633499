package org.warden.healthcheck;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.felix.hc.annotation.HealthCheckService;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warden.api.ConfigurationRefusal;
import org.warden.api.ConfigurationStatus;
import org.warden.api.HealthService;
import org.warden.api.NetworkHealth;
import org.warden.api.policy.support.ConfigValues;
import org.warden.api.policy.support.LastAcceptedConfigurations;
import org.warden.api.policy.support.SettingsHolder;
import org.warden.healthcheck.NetworkHealthRules.Finding;

/**
 * The Felix Health Check {@code Warden network} (tag {@code warden}): reads {@link HealthService#networkHealth()}
 * (the worker network and the durable store's state) and reports OK, WARN or CRITICAL by
 * {@link NetworkHealthRules}, every line with its reason and figures.
 *
 * <p>The engine's {@link HealthService} is an optional, dynamic reference: without it the check stays
 * registered and reports CRITICAL ("the Warden engine is not running"), which is what an operator needs to
 * know, rather than silently disappearing from {@code warden}-tagged results. Thresholds come from the PID
 * {@value #PID}, read by {@link ConfigValues} and held by a {@link SettingsHolder}: a configuration that fails
 * validation, or holds a value not of its key's type, is refused with an ERROR log and the thresholds in force stay
 * (at activation, the defaults). Every {@link ConfigurationStatus} service (the engine's for its PIDs, each
 * configurable policy's; a multiple, dynamic reference) says which configurations are refused while on file, and
 * this check's own holder says whether its own is: a WARN line each, since the log alone is easy to miss and the
 * file's settings are not in force. Configuration keys starting with {@code hc.} (e.g.
 * {@code hc.tags}, {@code hc.resultCacheTtlInMs}, {@code hc.keepNonOkResultsStickyForSec}) become service
 * properties, which Felix Health Checks reads.
 */
@Component(
        name = NetworkHealthCheck.PID,
        service = HealthCheck.class,
        // Immediate: Felix HC gets the service for each execution and lets it go after; a delayed component
        // would then be disposed and re-created every time, losing the policy faults seen by the last check
        // (and re-logging a refused configuration at each execution).
        immediate = true,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@HealthCheckService(name = NetworkHealthCheck.NAME, tags = NetworkHealthCheck.TAG)
@Designate(ocd = NetworkHealthCheck.Config.class)
public final class NetworkHealthCheck implements HealthCheck {
    /** The configuration PID and component name. */
    public static final String PID = "org.warden.healthcheck.network";
    /** {@code hc.name}. */
    public static final String NAME = "Warden network";
    /** {@code hc.tags}: select Warden's checks with this tag. */
    public static final String TAG = "warden";

    // id, not pid: @Designate already binds this definition to the component's PID.
    @ObjectClassDefinition(
            id = PID,
            name = "Warden network health check",
            description = "Thresholds of the Felix Health Check 'Warden network' (tag warden), which reports the "
                    + "worker network's health and its durable store's as OK, WARN or CRITICAL. Scores and shares "
                    + "are fractions in [0, 1]. "
                    + "An invalid configuration is refused with an error in the log and the thresholds in force stay.")
    public @interface Config {
        @AttributeDefinition(name = "Critical health score",
                description = "CRITICAL when the network health score (0.4 x healthy share of active workers + 0.3 x "
                        + "success rate + 0.3 x average reputation) is below this, while workers are active. In [0, 1].")
        double criticalScore() default 0.3;

        @AttributeDefinition(name = "Warning health score",
                description = "WARN when the network health score is below this, while workers are active. In [0, 1], "
                        + "at least the critical health score.")
        double warnScore() default 0.6;

        @AttributeDefinition(name = "Critical healthy share",
                description = "CRITICAL when healthy workers / active workers is below this, while workers are "
                        + "active. In [0, 1].")
        double criticalHealthyShare() default 0.25;

        @AttributeDefinition(name = "Warning banned share",
                description = "WARN when banned workers / known workers is above this. In [0, 1], at most the "
                        + "critical banned share.")
        double warnBannedShare() default 0.2;

        @AttributeDefinition(name = "Critical banned share",
                description = "CRITICAL when banned workers / known workers is above this. In [0, 1].")
        double criticalBannedShare() default 0.5;

        @AttributeDefinition(name = "Warning store backlog",
                description = "WARN when more records than this (applied in memory) wait to be committed to the "
                        + "durable store while it is available. An unavailable store is CRITICAL whatever its backlog. "
                        + "At least 0.")
        long storeBacklogWarn() default 100_000L;
    }

    /** SLF4J, as the engine logs (Pax Logging in Karaf): a refused configuration shows in log:display. */
    private static final Logger LOG = LoggerFactory.getLogger(NetworkHealthCheck.class);

    /**
     * The thresholds in force, replaced whole on a configuration change (a check in flight uses either the old or
     * the new ones), and whether the configuration on file is refused.
     */
    private final SettingsHolder<Thresholds, Thresholds> holder;

    /** Where the thresholds last accepted are kept for the next boot: {@code ${karaf.data}/warden} in Karaf. */
    private final LastAcceptedConfigurations kept;

    /** The engine, while it runs. */
    private volatile HealthService health;

    /** Every service telling which Warden configurations are refused: the engine's, each policy's. */
    private final List<ConfigurationStatus> configurationStatuses = new CopyOnWriteArrayList<>();

    /** Policy faults seen by the previous check, to report the ones counted since. */
    private final AtomicLong faultsSeen = new AtomicLong();

    /**
     * Reads the raw configuration with Warden's conversion ({@link ConfigValues}), so that a value of the wrong type
     * is refused naming its key, as an out-of-range one is.
     */
    @Activate
    public NetworkHealthCheck(BundleContext context, Map<String, Object> properties) {
        this(properties, LOG, Clock.systemUTC(), LastAcceptedConfigurations.ofKarafData(context.getProperty("karaf.data")));
    }

    /** With the logger the tests read. */
    NetworkHealthCheck(Map<String, Object> properties, Logger logger) {
        this(properties, logger, Clock.systemUTC());
    }

    /** With the logger the tests read, and the clock a refusal's time is read from; nothing kept for the next boot. */
    NetworkHealthCheck(Map<String, Object> properties, Logger logger, Clock clock) {
        this(properties, logger, clock, LastAcceptedConfigurations.none());
    }

    /** With the logger and clock the tests read, and where the thresholds last accepted are kept for the next boot. */
    NetworkHealthCheck(Map<String, Object> properties, Logger logger, Clock clock, LastAcceptedConfigurations kept) {
        this.kept = kept;
        holder = new SettingsHolder<>(PID, "Network health check thresholds", Thresholds.DEFAULTS, t -> t, logger,
                clock);
        holder.apply(properties, NetworkHealthCheck::thresholdsOf, "The defaults are used instead", kept);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        holder.apply(properties, NetworkHealthCheck::thresholdsOf, "The thresholds in force stay", kept);
    }

    private static Thresholds thresholdsOf(Map<String, ?> properties) {
        return Thresholds.from(ConfigValues.typed(Config.class, properties));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindHealthService(HealthService service) {
        health = service;
    }

    void unbindHealthService(HealthService service) {
        if (health == service) {
            health = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindConfigurationStatus(ConfigurationStatus service) {
        configurationStatuses.add(service);
    }

    void unbindConfigurationStatus(ConfigurationStatus service) {
        // by identity: two services may be equal, and only the one going away must be forgotten
        configurationStatuses.removeIf(bound -> bound == service);
    }

    /** The thresholds in force. */
    Thresholds thresholds() {
        return holder.settings();
    }

    /** This check's own refusal and every status service's, by PID. */
    private List<ConfigurationRefusal> refusals() {
        List<ConfigurationRefusal> all = new ArrayList<>(holder.status().refusals());
        for (ConfigurationStatus status : configurationStatuses) {
            all.addAll(status.refusals());
        }
        all.sort(Comparator.comparing(ConfigurationRefusal::pid));
        return all;
    }

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        HealthService service = health;
        if (service == null) {
            log.critical("the Warden engine is not running: no {} service to read the network health from",
                    HealthService.class.getName());
            return new Result(log);
        }
        NetworkHealth network;
        try {
            network = service.networkHealth();
        } catch (RuntimeException e) {
            // The engine is there but could not answer: the check cannot say how the network is.
            log.healthCheckError("the Warden engine failed to report the network health: {}", e.toString());
            return new Result(log);
        }
        List<ConfigurationRefusal> refusals;
        try {
            refusals = refusals();
        } catch (RuntimeException e) {
            // As for the network health: the check cannot say whether a refused configuration is on file.
            log.healthCheckError("the Warden engine failed to report its refused configurations: {}", e.toString());
            return new Result(log);
        }
        long faults = network.policyFaults();
        long previous = faultsSeen.getAndSet(faults);
        // The engine counts faults since it started: a smaller count means it restarted, so none are new.
        long newFaults = faults >= previous ? faults - previous : faults;
        for (Finding finding : NetworkHealthRules.evaluate(network, holder.settings(), newFaults, refusals)) {
            switch (finding.status()) {
                case CRITICAL -> log.critical("{}", finding.message());
                case WARN -> log.warn("{}", finding.message());
                default -> log.info("{}", finding.message());
            }
        }
        return new Result(log);
    }
}
