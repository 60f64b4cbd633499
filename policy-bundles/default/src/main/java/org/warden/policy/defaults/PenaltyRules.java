package org.warden.policy.defaults;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.warden.api.PenaltyType;
import org.warden.api.policy.BanDecision;
import org.warden.api.policy.WorkerStatistics;

/** The seed's penalty severities and its auto-ban rule ("malicious_behavior_count >= 3"). */
final class PenaltyRules {
    /** Severity of the penalty types the seed gives no severity for: the middle of the scale. */
    static final double DEFAULT_SEVERITY = 0.5;

    private final DefaultPolicySettings s;

    PenaltyRules(DefaultPolicySettings settings) {
        this.s = settings;
    }

    double defaultSeverity(PenaltyType type) {
        return switch (type) {
            case JOB_TIMEOUT -> s.timeoutPenaltySeverity();
            case MALICIOUS_BEHAVIOR -> s.maliciousPenaltySeverity();
            case BAN -> 1.0; // a ban is the harshest outcome there is
            default -> DEFAULT_SEVERITY;
        };
    }

    /** A ban when enabled, none is in force, and the malicious reports reached the setting. */
    Optional<BanDecision> autoBan(WorkerStatistics stats, Instant now) {
        if (!s.enableAutoBan() || stats.currentBan() != null
                || stats.maliciousReports() < s.autoBanMaliciousReports()) {
            return Optional.empty();
        }
        long hours = s.autoBanDurationHours();
        return Optional.of(new BanDecision(
                "repeated malicious behaviour: " + stats.maliciousReports() + " reports",
                hours > 0 ? Duration.ofHours(hours) : null));
    }
}
