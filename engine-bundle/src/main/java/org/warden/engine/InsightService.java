package org.warden.engine;

import java.util.List;
import java.util.Optional;

import org.warden.api.Bid;
import org.warden.api.RankedBid;
import org.warden.engine.core.SelectionRanker;
import org.warden.engine.core.ShadowMonitor;
import org.warden.engine.core.WorkerBook;
import org.warden.engine.policy.PolicyTracker;

/**
 * The {@link EngineInsight} service: what the engine's shell commands may ask beyond the API, answered from the
 * policy choice, the ranker and the book's running job totals. An object of its own, not one more face of {@link WardenEngine}, so the engine's
 * component class stays its OSGi wiring and the shell sees nothing of it but this interface.
 */
final class InsightService implements EngineInsight {
    private final PolicyChoice choice;
    private final PolicyTracker policies;
    private final SelectionRanker ranker;
    private final WorkerBook book;

    InsightService(PolicyChoice choice, PolicyTracker policies, SelectionRanker ranker, WorkerBook book) {
        this.choice = choice;
        this.policies = policies;
        this.ranker = ranker;
        this.book = book;
    }

    @Override
    public long jobsSucceeded() {
        return book.jobsCompleted();
    }

    @Override
    public long jobsFailed() {
        return book.jobsFailed();
    }

    @Override
    public Optional<ShadowMonitor.Report> shadowReport() {
        return choice.shadowReport();
    }

    @Override
    public String policyInForce() {
        return policies.current().name();
    }

    @Override
    public String configuredPolicy() {
        return choice.configuredPolicy();
    }

    @Override
    public boolean configuredPolicyInstalled() {
        return choice.configuredPolicyInstalled();
    }

    @Override
    public String configuredShadowPolicy() {
        return choice.configuredShadowPolicy();
    }

    /**
     * Ranks as the selection service does, for {@code warden:explain}: records nothing, so the shadow policy's
     * comparison counts only the distributor's auctions.
     */
    @Override
    public List<RankedBid> explain(String jobId, List<Bid> bids) {
        return ranker.explain(jobId, bids);
    }
}
