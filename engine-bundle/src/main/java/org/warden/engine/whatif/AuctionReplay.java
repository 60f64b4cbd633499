package org.warden.engine.whatif;

import java.util.Objects;

import org.warden.api.whatif.WhatIfReport;
import org.warden.engine.state.Auction;

/**
 * The recorded auctions ranked again by each side at their time, against the choice recorded: counts only, so its
 * memory does not grow with the history.
 */
final class AuctionReplay {

    private long recorded;
    private long noEligibleRecorded;
    private long candidateDiffers;
    private long candidateNoEligible;
    private long baselineDiffers;
    private long refused;

    void replay(Auction auction, ReplaySide baseline, ReplaySide candidate) {
        recorded++;
        if (auction.chosen() == null) {
            noEligibleRecorded++;
        }
        String base;
        String cand;
        try {
            base = topChoice(baseline, auction);
            cand = topChoice(candidate, auction);
        } catch (IllegalArgumentException e) {
            // cannot happen (the live engine took these bids after the same checks): counted, not compared, if it does
            refused++;
            return;
        }
        if (!Objects.equals(base, auction.chosen())) {
            baselineDiffers++;
        }
        if (!Objects.equals(cand, auction.chosen())) {
            candidateDiffers++;
        }
        if (cand == null) {
            candidateNoEligible++;
        }
    }

    private static String topChoice(ReplaySide side, Auction auction) {
        side.at(auction.at());
        return side.topChoice(auction.jobId(), auction.bids());
    }

    /** The candidate's figures, as the report gives them. */
    WhatIfReport.Auctions candidate() {
        return new WhatIfReport.Auctions(recorded, candidateDiffers, candidateNoEligible, noEligibleRecorded);
    }

    /** Auctions whose top choice under the baseline is not the one recorded: 0 when the replay is faithful. */
    long baselineDiffers() {
        return baselineDiffers;
    }

    /** Rankings a side refused (none expected: the bids were checked when they were ranked live). */
    long refused() {
        return refused;
    }
}
