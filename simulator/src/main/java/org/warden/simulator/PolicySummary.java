package org.warden.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * One policy's figures on one scenario over all the seeds run: each as a {@link Spread} (mean, min, max) of the
 * per-seed figures of {@link PolicyResult} (see there for what each means). The gap closed is computed per seed,
 * against that seed's random and oracle runs, then averaged.
 *
 * @param successPerThousand the mean over the seeds of each block's success rate (for the chart)
 */
public record PolicySummary(String policy, int seeds, Spread gapClosed, Spread shareOfOracle, Spread success,
        Spread successFirstHalf, Spread successLast10, List<Spread> successInEvents, Spread lostShare,
        Spread lostToAdversaries, Spread unassigned, Spread unassignedWithHonestBidder, Spread banPrecision,
        Spread honestBannedShare, Spread adversariesBanned, Spread adversaryIdentities, Spread adversariesExcluded,
        Spread badJobsBeforeBanMedian, Spread badJobsBeforeBanMax, Spread honestNewcomerShare,
        List<Double> successPerThousand) {

    public PolicySummary {
        successInEvents = List.copyOf(successInEvents);
        successPerThousand = List.copyOf(successPerThousand);
    }

    /** The summary of one policy's runs, one per seed, all on the same scenario and job count. */
    public static PolicySummary of(List<PolicyResult> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no run to summarize");
        }
        int events = runs.get(0).successInEvents().size();
        List<Spread> inEvents = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            int k = i;
            inEvents.add(Spread.of(runs, r -> r.successInEvents().get(k)));
        }
        int blocks = runs.get(0).successPerThousand().size();
        List<Double> series = new ArrayList<>(blocks);
        for (int b = 0; b < blocks; b++) {
            int k = b;
            series.add(runs.stream().mapToDouble(r -> r.successPerThousand().get(k)).average().orElse(Double.NaN));
        }
        return new PolicySummary(runs.get(0).policy(), runs.size(), Spread.of(runs, PolicyResult::gapClosed),
                Spread.of(runs, PolicyResult::shareOfOracle), Spread.of(runs, PolicyResult::successRate),
                Spread.of(runs, PolicyResult::successFirstHalf), Spread.of(runs, PolicyResult::successLast10),
                inEvents, Spread.of(runs, PolicyResult::lostShare), Spread.of(runs, PolicyResult::lostToAdversaries),
                Spread.of(runs, PolicyResult::unassigned), Spread.of(runs, PolicyResult::unassignedWithHonestBidder),
                Spread.of(runs, PolicyResult::banPrecision), Spread.of(runs, PolicyResult::honestBannedShare),
                Spread.of(runs, PolicyResult::adversariesBanned), Spread.of(runs, PolicyResult::adversaryIdentities),
                Spread.of(runs, PolicyResult::adversariesExcluded),
                Spread.of(runs, PolicyResult::badJobsBeforeBanMedian),
                Spread.of(runs, PolicyResult::badJobsBeforeBanMax), Spread.of(runs, PolicyResult::honestNewcomerShare),
                series);
    }
}
