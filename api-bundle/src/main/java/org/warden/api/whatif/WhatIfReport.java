package org.warden.api.whatif;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a candidate policy would have done with the retained history, against what happened. "Live" is the history
 * replayed under the policy in force now with its configuration (the baseline), which reproduces the live state when
 * the history is complete ({@link #historyComplete}); the auctions compare with what was recorded.
 *
 * @param policy              the candidate policy's name
 * @param overrides           the configuration overrides it was replayed with
 * @param livePolicy          the policy in force, replayed as the baseline
 * @param from                the first replayed entry's time (the window's start)
 * @param to                  the last replayed entry's time
 * @param historyComplete     whether the history holds everything since the store was created (nothing before the
 *                            window was compacted away); if not, workers' past before {@code from} is not replayed
 * @param entriesReplayed     journal entries replayed
 * @param workers             workers seen in the window
 * @param bansAdded           bans the candidate imposes in the window that the live policy does not (a worker's bans
 *                            are matched in order, so a ban both impose at different times is no difference); at
 *                            most {@link #LISTED}, earliest first
 * @param bansRemoved         bans the live policy imposes in the window that the candidate does not; at most
 *                            {@link #LISTED}, earliest first
 * @param eligibilityChanges  workers whose eligibility at the end differs, with both reasons; at most
 *                            {@link #LISTED}, by worker id
 * @param reputationShift     candidate minus live reputation at the end, over every worker seen
 * @param largestMovers       the workers whose reputation moves most, largest first (at most {@link #MOVERS})
 * @param auctions            the recorded auctions ranked again
 * @param pendingBans         automatic bans the candidate's ban budget holds back for an operator at the end
 * @param baselineMismatches  workers whose baseline replay differs from the live engine (reputation, ban or
 *                            eligibility); 0 when the replay is faithful
 */
@ProviderType
public record WhatIfReport(String policy, Map<String, String> overrides, String livePolicy, Instant from, Instant to,
        boolean historyComplete, long entriesReplayed, long workers, List<BanDifference> bansAdded,
        List<BanDifference> bansRemoved, List<EligibilityChange> eligibilityChanges, Distribution reputationShift,
        List<ReputationMove> largestMovers, Auctions auctions, int pendingBans, long baselineMismatches) {

    /** How many of the largest movers a report lists. */
    public static final int MOVERS = 20;
    /** The longest list of bans added, bans removed or eligibility changes a report gives (memory stays bounded). */
    public static final int LISTED = 1000;

    public WhatIfReport {
        overrides = Map.copyOf(overrides);
        bansAdded = List.copyOf(bansAdded);
        bansRemoved = List.copyOf(bansRemoved);
        eligibilityChanges = List.copyOf(eligibilityChanges);
        largestMovers = List.copyOf(largestMovers);
    }

    /** A ban one side imposed in the window and the other did not: the worker, when, and the policy's reason. */
    @ProviderType
    public record BanDifference(String workerId, Instant at, String reason, boolean automatic) {
    }

    /** A worker eligible on one side at the end and not on the other, with why not. */
    @ProviderType
    public record EligibilityChange(String workerId, boolean liveEligible, String liveReason,
            boolean candidateEligible, String candidateReason) {
    }

    /** A worker's reputation at the end on both sides. */
    @ProviderType
    public record ReputationMove(String workerId, double live, double candidate) {
        public double shift() {
            return candidate - live;
        }
    }

    /** A distribution of shifts: count, mean and quantiles. */
    @ProviderType
    public record Distribution(long count, double mean, double min, double p10, double median, double p90,
            double max) {
    }

    /**
     * The recorded auctions ranked again by the candidate at their time.
     *
     * @param recorded           auctions recorded in the window
     * @param topChoiceDiffers   auctions whose candidate top choice is not the one recorded
     * @param noEligibleBidder   auctions where the candidate found no eligible bidder
     * @param noEligibleRecorded auctions where none was eligible when it happened
     */
    @ProviderType
    public record Auctions(long recorded, long topChoiceDiffers, long noEligibleBidder, long noEligibleRecorded) {
        public double topChoiceDiffersShare() {
            return recorded == 0 ? 0 : (double) topChoiceDiffers / recorded;
        }
    }
}
