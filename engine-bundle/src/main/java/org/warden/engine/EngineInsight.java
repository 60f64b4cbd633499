package org.warden.engine;

import java.util.List;
import java.util.Optional;

import org.warden.api.Bid;
import org.warden.api.RankedBid;
import org.warden.api.policy.WardenPolicy;
import org.warden.engine.core.ShadowMonitor;

/**
 * What the engine's own shell commands need beyond the public API, offered as a service of this bundle (not exported):
 * so a command depends on service interfaces only, never on the engine's class, and the engine's configuration
 * names are declared once, here.
 */
public interface EngineInsight {

    /** The engine's configuration PID (its component name). */
    String PID = "org.warden.engine";
    /** The engine's reference target property for its policy. */
    String POLICY_TARGET = "policy.target";
    /** The engine's default policy target: any named policy, the highest-ranked wins. */
    String ANY_POLICY = "(" + WardenPolicy.NAME_PROPERTY + "=*)";

    /** What the shadow policy would have done differently, or empty when none runs. */
    Optional<ShadowMonitor.Report> shadowReport();

    /** The name of the policy in force. */
    String policyInForce();

    /**
     * Ranks as the selection service does, recording nothing: the shadow policy's comparison counts only the
     * distributor's auctions, not an operator's made-up bids.
     */
    List<RankedBid> explain(String jobId, List<Bid> bids);
}
