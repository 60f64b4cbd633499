package org.warden.engine;

import java.util.List;
import java.util.Optional;

import org.warden.api.Bid;
import org.warden.api.RankedBid;
import org.warden.engine.core.ShadowMonitor;

/**
 * What the engine's own shell commands need beyond the public API, offered as a service of this bundle (not exported):
 * so a command depends on service interfaces only, never on the engine's class, and the engine's configuration
 * names are declared once, here.
 */
public interface EngineInsight {

    /** The engine's configuration PID (its component name). */
    String PID = "org.warden.engine";
    /** The engine's setting naming the policy in force (empty: the highest-ranked installed policy). */
    String POLICY = "policy";
    /** The engine's setting naming the policy run in shadow (empty: none). */
    String SHADOW_POLICY = "shadowPolicy";
    /** The keys that chose them before (LDAP filters), refused by the engine: the shell removes them when it pins. */
    List<String> RETIRED_KEYS = List.of("policy.target", "shadow.target");

    /** Jobs recorded as succeeded since the engine started (its running sum; not in the API's NetworkHealth). */
    long jobsSucceeded();

    /** Jobs recorded as failed since the engine started. */
    long jobsFailed();

    /** What the shadow policy would have done differently, or empty when none runs. */
    Optional<ShadowMonitor.Report> shadowReport();

    /** The name of the policy in force. */
    String policyInForce();

    /** The {@value #POLICY} setting in force (the last accepted): a policy name, or empty for automatic. */
    String configuredPolicy();

    /** Whether the policy {@link #configuredPolicy()} names is installed (true when automatic). */
    boolean configuredPolicyInstalled();

    /** The {@value #SHADOW_POLICY} setting in force (the last accepted): a policy name, or empty for none. */
    String configuredShadowPolicy();

    /**
     * Ranks as the selection service does, recording nothing: the shadow policy's comparison counts only the
     * distributor's auctions, not an operator's made-up bids.
     */
    List<RankedBid> explain(String jobId, List<Bid> bids);
}
