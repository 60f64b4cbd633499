package org.warden.engine.state;

import java.time.Instant;
import java.util.List;

import org.warden.api.Bid;

/**
 * One ranking the distributor asked for, as the history keeps it for a what-if replay: the job, the bids as given, and
 * the worker the ranking put first ({@code null} if no bidder was eligible). Not a change to any record.
 */
public record Auction(String jobId, List<Bid> bids, String chosen, Instant at) {

    public Auction {
        bids = List.copyOf(bids);
        if (at == null) {
            throw new IllegalArgumentException("an auction has a time");
        }
    }
}
