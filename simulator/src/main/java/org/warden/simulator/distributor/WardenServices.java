package org.warden.simulator.distributor;

import java.util.Objects;

import org.warden.api.HealthService;
import org.warden.api.PenaltyService;
import org.warden.api.ReputationService;
import org.warden.api.SelectionService;

/**
 * The four Warden services a distributor talks to, and nothing else of Warden: in Karaf the ones the registry hands
 * the demo, in the simulator one engine that implements all four.
 */
public record WardenServices(HealthService health, ReputationService reputation, PenaltyService penalties,
        SelectionService selection) {

    public WardenServices {
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(reputation, "reputation");
        Objects.requireNonNull(penalties, "penalties");
        Objects.requireNonNull(selection, "selection");
    }

    /** One object that is all four services (Warden's engine is). */
    public static <T extends HealthService & ReputationService & PenaltyService & SelectionService> WardenServices of(
            T all) {
        return new WardenServices(all, all, all, all);
    }
}
