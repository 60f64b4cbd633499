package org.warden.engine.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.warden.api.Bid;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.state.Auction;
import org.warden.engine.state.History;
import org.warden.engine.state.JournalEntry;

/** The distributor's rankings are kept in the history (with the worker put first); an operator's explain is not. */
class AuctionRecordingTest {

    private final RecordedRun run = new RecordedRun("threshold", new ThresholdPolicy(0.3, 0), EngineSettings.DEFAULTS);

    private List<Auction> auctions() {
        List<Auction> found = new ArrayList<>();
        run.history.read(RecordedRun.T0, (e, at) -> {
            if (e.isAuction()) {
                found.add(e.auction());
            }
            return true;
        });
        return found;
    }

    @Test
    void aRankingIsRecordedWithTheBidsAsGivenTheWorkerPutFirstAndItsTime() {
        run.live.reportHealth("a", RecordedRun.GOOD);
        run.live.reportHealth("b", RecordedRun.GOOD);
        run.outcomes("a", true, 3);
        run.outcomes("b", true, 1);
        run.advance(Duration.ofSeconds(5));
        Instant at = run.clock.instant();
        List<Bid> bids = List.of(Bid.of("b", 10, 1000), Bid.of("a", 30, 1000), Bid.of("nobody", 1, 1000));

        run.live.rank("job-7", bids);

        assertThat(auctions()).containsExactly(new Auction("job-7", bids, "a", at));
    }

    @Test
    void aRankingWithNoEligibleBidderIsRecordedWithNoneChosen() {
        run.live.reportHealth("a", RecordedRun.GOOD);
        run.outcomes("a", false, 5); // (0+1)/(5+2) = 0.14, below 0.3

        assertThat(run.live.rank(null, List.of(Bid.of("a", 10, 1000)))).isEmpty();

        assertThat(auctions()).singleElement().satisfies(a -> {
            assertThat(a.chosen()).isNull();
            assertThat(a.jobId()).isNull();
        });
    }

    @Test
    void anExplainOrARefusedRankingRecordsNothing() {
        run.live.reportHealth("a", RecordedRun.GOOD);
        int before = run.history.size();

        run.live.insight().explain("job-1", List.of(Bid.of("a", 10, 1000)));
        assertThatThrownBy(() -> run.live.rank("job-2", List.of(Bid.of("a", 10, 1000), Bid.of("a", 20, 1000))))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(run.history.size()).isEqualTo(before);
        assertThat(auctions()).isEmpty();
    }

    @Test
    void theMemoryHistoryReadsFromATimeInOrderAndSaysItHoldsEverything() {
        run.live.reportHealth("a", RecordedRun.GOOD);
        run.advance(Duration.ofSeconds(10));
        Instant second = run.clock.instant();
        run.live.reportHealth("b", RecordedRun.GOOD);
        run.live.rank("job-1", List.of(Bid.of("a", 10, 1000)));
        List<String> read = new ArrayList<>();

        run.history.read(second, (e, at) -> {
            read.add((e.isAuction() ? "auction " + e.auction().jobId() : e.workerId()) + " at " + at);
            return true;
        });

        assertThat(read).containsExactly("b at " + second, "auction job-1 at " + second);
        assertThat(run.history.retained()).contains(new History.Retained(RecordedRun.T0, true, 3));
        List<JournalEntry> first = new ArrayList<>();
        run.history.read(RecordedRun.T0, (e, at) -> first.add(e) && false);
        assertThat(first).as("a visitor returning false stops the read").hasSize(1);
    }
}
