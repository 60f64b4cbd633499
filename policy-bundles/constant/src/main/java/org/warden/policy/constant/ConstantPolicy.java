package org.warden.policy.constant;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.warden.api.Bid;
import org.warden.api.HealthMetrics;
import org.warden.api.PenaltyType;
import org.warden.api.ScoreBreakdown;
import org.warden.api.ScoreComponent;
import org.warden.api.policy.AuctionContext;
import org.warden.api.policy.BanDecision;
import org.warden.api.policy.ConfigurablePolicy;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.policy.WorkerStatistics;
import org.warden.api.policy.support.ConfigOverrides;
import org.warden.api.policy.support.ConfigValues;

/**
 * The smallest possible {@link WardenPolicy}: every worker gets the same configured reputation and
 * health, nobody is ever banned automatically, and a bid scores the mean of its bidder's reputation
 * and health. An example for policy authors and a test double: with its default ranking of 100 it
 * takes over from the default policy (ranking 0) as soon as its bundle starts. As every Warden policy, it builds
 * variants of itself for a what-if replay ({@link ConfigurablePolicy}).
 */
@Component(
        name = ConstantPolicy.PID,
        // WardenPolicy only, as the engine looks it up: not ConfigurablePolicy too, which bnd would otherwise add
        service = WardenPolicy.class,
        configurationPid = ConstantPolicy.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        // bnd also writes the Config defaults (service.ranking=100 among them) as component properties.
        property = WardenPolicy.NAME_PROPERTY + "=" + ConstantPolicy.NAME)
@Designate(ocd = ConstantPolicy.Config.class)
public final class ConstantPolicy implements WardenPolicy, ConfigurablePolicy {

    /** Component name and configuration PID. */
    public static final String PID = "org.warden.policy.constant";
    /** The value of {@value WardenPolicy#NAME_PROPERTY}. */
    public static final String NAME = "constant";
    /** Above the default policy's 0, so this policy takes over when it starts. */
    public static final int DEFAULT_RANKING = 100;

    @ObjectClassDefinition(
            name = "Warden constant policy",
            description = "A policy that gives every worker the same reputation and health. "
                    + "Meant as an example for policy authors and as a test double, not for production.")
    public @interface Config {

        @AttributeDefinition(name = "Reputation",
                description = "Reputation score of every worker, in [0, 1].")
        double reputation() default 0.77;

        @AttributeDefinition(name = "Health",
                description = "Health score of every health report, in [0, 1].")
        double health() default 0.66;

        @AttributeDefinition(name = "Eligibility threshold",
                description = "Reputation at or above which a worker that is not banned and is healthy is eligible, in [0, 1].")
        double eligibilityThreshold() default 0.3;

        @AttributeDefinition(name = "Healthy threshold",
                description = "Health score at or above which an active worker counts as healthy, in [0, 1].")
        double healthyThreshold() default 0.5;

        @AttributeDefinition(name = "Service ranking",
                description = "service.ranking of the policy service. The engine uses the highest-ranked policy "
                        + "(unless its policy setting pins one); the default policy has 0, so 100 takes over.")
        int service_ranking() default DEFAULT_RANKING;
    }

    private final double reputation;
    private final double health;
    private final double eligibilityThreshold;
    private final double healthyThreshold;

    /**
     * Refuses a value outside [0, 1] with an {@link IllegalArgumentException} naming its key: Service Component
     * Runtime logs it and this component is not activated. There is no {@code @Modified} method: a configuration
     * change re-creates the component, which is all a policy of constants needs.
     */
    @Activate
    public ConstantPolicy(Config config) {
        this.reputation = unit("reputation", config.reputation());
        this.health = unit("health", config.health());
        this.eligibilityThreshold = unit("eligibilityThreshold", config.eligibilityThreshold());
        this.healthyThreshold = unit("healthyThreshold", config.healthyThreshold());
    }

    /**
     * A new policy of the constants in force with {@code overrides} (this PID's keys, as text) put over them, for a
     * what-if replay, read by Warden's conversion ({@link ConfigValues}) and checked as the constructor checks.
     *
     * @throws IllegalArgumentException naming the key, if a key is not one of {@link Config}'s or a value is refused
     */
    @Override
    public WardenPolicy withOverrides(Map<String, String> overrides) {
        // the constants in force are the whole configuration that matters: the ranking is not a judgement
        Map<String, Object> inForce = Map.of("reputation", reputation, "health", health,
                "eligibilityThreshold", eligibilityThreshold, "healthyThreshold", healthyThreshold);
        return new ConstantPolicy(ConfigValues.typed(Config.class,
                ConfigOverrides.over(inForce, overrides, Config.class, "policy " + NAME)));
    }

    private static double unit(String key, double value) {
        if (Double.isNaN(value) || value < 0 || value > 1) {
            throw new IllegalArgumentException(key + " must be in [0, 1], was " + value);
        }
        return value;
    }

    @Override
    public ScoreBreakdown healthScore(HealthMetrics metrics) {
        return new ScoreBreakdown(health, List.of(new ScoreComponent(NAME, health, 1)));
    }

    @Override
    public double healthyThreshold() {
        return healthyThreshold;
    }

    @Override
    public ScoreBreakdown reputation(WorkerStatistics stats, Instant now) {
        return new ScoreBreakdown(reputation, List.of(new ScoreComponent(NAME, reputation, 1)));
    }

    @Override
    public double eligibilityThreshold() {
        return eligibilityThreshold;
    }

    @Override
    public double defaultSeverity(PenaltyType type) {
        return 0.5;
    }

    @Override
    public Optional<BanDecision> autoBan(WorkerStatistics stats, Instant now) {
        return Optional.empty();
    }

    @Override
    public ScoreBreakdown selectionScore(Bid bid, double reputation, double health, AuctionContext auction) {
        double r = clamp(reputation);
        double h = clamp(health);
        return new ScoreBreakdown(0.5 * r + 0.5 * h, List.of(
                new ScoreComponent("reputation", r, 0.5),
                new ScoreComponent("health", h, 0.5)));
    }

    private static double clamp(double value) {
        return Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value));
    }
}
