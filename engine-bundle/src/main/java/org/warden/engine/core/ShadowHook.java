package org.warden.engine.core;

import java.time.Instant;
import java.util.List;

import org.warden.api.Bid;
import org.warden.api.RankedBid;
import org.warden.api.policy.NetworkStatistics;
import org.warden.engine.state.WorkerRecord;

/**
 * Where the engine tells a shadow policy what the policy in force decided, so the shadow can judge the same
 * statistics without its decisions being enforced. Must be fast and must not throw.
 */
public interface ShadowHook {

    ShadowHook NONE = new ShadowHook() {
        @Override
        public void autoBanDecided(WorkerRecord view, NetworkStatistics network, Instant now, boolean banned) {
        }

        @Override
        public void ranked(String jobId, List<Bid> bids, List<RankedBid> ranked, Instant now) {
        }

        @Override
        public String shadowPolicyName() {
            return null;
        }
    };

    /** The policy in force was asked whether to ban the worker ({@code view}, decayed to now) and answered {@code banned}. */
    void autoBanDecided(WorkerRecord view, NetworkStatistics network, Instant now, boolean banned);

    /** The policy in force ranked a job's bids (the eligible ones, best first). */
    void ranked(String jobId, List<Bid> bids, List<RankedBid> ranked, Instant now);

    /** The shadow policy's name, or {@code null} when none runs. */
    String shadowPolicyName();
}
