package org.warden.simulator.distributor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.warden.api.Ban;
import org.warden.api.Bid;
import org.warden.api.HealthService;
import org.warden.api.JobOutcome;
import org.warden.api.PenaltyService;
import org.warden.api.RankedBid;
import org.warden.api.ReputationService;
import org.warden.api.ScoreBreakdown;
import org.warden.api.SelectionService;
import org.warden.api.WorkerReputation;
import org.warden.simulator.model.JobResult;
import org.warden.simulator.model.Population;
import org.warden.simulator.model.ScenarioParser;
import org.warden.simulator.model.SimWorker;

/** The step against a fake of the four services that records every call, in order. */
class DistributorStepTest {

    /** The four services as one recording fake; ranks the bids as they came; bans whom {@link #bans} names. */
    static final class FakeWarden {
        final List<String> calls = new ArrayList<>();
        final Set<String> bans = new HashSet<>();
        boolean noneEligible;
        String rankInstead;
        RuntimeException healthFailure;
        final Object proxy = Proxy.newProxyInstance(FakeWarden.class.getClassLoader(), new Class<?>[] {
                HealthService.class, ReputationService.class, PenaltyService.class, SelectionService.class},
                (p, method, args) -> {
                    if (method.isDefault()) {
                        return java.lang.reflect.InvocationHandler.invokeDefault(p, method, args);
                    }
                    return answer(method.getName(), args);
                });

        private Object answer(String name, Object[] args) {
            switch (name) {
                case "reportHealth" -> {
                    calls.add("reportHealth " + args[0]);
                    if (healthFailure != null) {
                        throw healthFailure;
                    }
                    return null;
                }
                case "rank" -> {
                    @SuppressWarnings("unchecked")
                    List<Bid> bids = (List<Bid>) args[1];
                    calls.add("rank " + args[0] + " " + bids.stream().map(Bid::workerId).toList());
                    if (noneEligible) {
                        return List.of();
                    }
                    Bid first = rankInstead == null ? bids.get(0) : new Bid(rankInstead, BigInteger.ONE, 1);
                    return List.of(new RankedBid(1, first, 0.5, new ScoreBreakdown(0.5, List.of())));
                }
                case "recordOutcome" -> {
                    JobOutcome o = (JobOutcome) args[0];
                    calls.add("recordOutcome " + o.workerId() + " success=" + o.success() + " earnings="
                            + o.earnings() + " quality=" + o.resultQuality() + " job=" + o.jobId());
                    return reputation(o.workerId());
                }
                case "applyPenalty" -> {
                    calls.add("applyPenalty " + args[0] + " " + args[1] + " " + args[2] + " '" + args[3] + "' "
                            + args[4]);
                    return null;
                }
                case "reportMalicious" -> {
                    calls.add("reportMalicious " + args[0] + " '" + args[1] + "'");
                    return reputation((String) args[0]);
                }
                case "reputation" -> {
                    calls.add("reputation " + args[0]);
                    return Optional.of(reputation((String) args[0]));
                }
                default -> throw new UnsupportedOperationException(name);
            }
        }

        private WorkerReputation reputation(String id) {
            Instant t = Instant.EPOCH;
            Ban ban = bans.contains(id) ? new Ban(id, "test", true, t, null, null, null) : null;
            return new WorkerReputation(id, 0.5, new ScoreBreakdown(0.5, List.of()), 0, 0, 0, 0, ban, t, t);
        }

        WardenServices services() {
            return new WardenServices((HealthService) proxy, (ReputationService) proxy, (PenaltyService) proxy,
                    (SelectionService) proxy);
        }
    }

    /** What the listener heard, in order. */
    static final class Heard implements DistributorStep.Listener {
        final List<String> events = new ArrayList<>();
        final List<JobResult> results = new ArrayList<>();
        final List<RuntimeException> healthFailures = new ArrayList<>();
        boolean rethrow;

        @Override
        public void unassigned(List<SimWorker> bidders, int job) {
            events.add("unassigned " + job + " " + bidders.stream().map(SimWorker::id).toList());
        }

        @Override
        public void performed(SimWorker worker, JobResult result, int job) {
            events.add("performed " + job + " " + worker.id());
            results.add(result);
        }

        @Override
        public void banned(SimWorker worker, int job) {
            events.add("banned " + job + " " + worker.id());
        }

        @Override
        public void healthReportFailed(SimWorker worker, RuntimeException e) {
            if (rethrow) {
                DistributorStep.Listener.super.healthReportFailed(worker, e);
            }
            healthFailures.add(e);
        }
    }

    private final FakeWarden warden = new FakeWarden();
    private final Heard heard = new Heard();

    private static Population population(String groups, double verificationRate, String events) {
        return new Population(ScenarioParser.parse("{\"name\": \"t\", \"seed\": 7, \"jobs\": 100, \"biddersPerJob\": 1,"
                + " \"verificationRate\": " + verificationRate + ", \"groups\": [" + groups + "], \"events\": ["
                + events + "]}"));
    }

    private DistributorStep step(Population p) {
        return DistributorStep.withWarden(p, DistributorStep.Streams.split(new SplittableRandom(1)), "j-",
                warden.services(), heard);
    }

    /** The calls job 0 makes of Warden, with one worker of group {@code fields} (a health round if asked). */
    private List<String> callsOfJob0(String fields, double verificationRate, String events, boolean healthRound) {
        step(population("{\"name\": \"w\", \"count\": 1, " + fields + "}", verificationRate, events))
                .run(0, healthRound);
        return warden.calls;
    }

    @Test
    void aTimeoutIsAFailedOutcomeAndAJobTimeoutPenaltyOfTheSeedsSeverity() {
        // every worker down from job 0: no health report, the job times out
        assertThat(callsOfJob0("\"behaviour\": \"honest\"", 0,
                "{\"type\": \"outage\", \"atJob\": 0, \"durationJobs\": 5, \"share\": 1.0}", true))
                .containsExactly("rank j-0 [w-0]",
                        "recordOutcome w-0 success=false earnings=0 quality=null job=j-0",
                        "applyPenalty w-0 JOB_TIMEOUT 0.8 'job timed out' j-0",
                        "reputation w-0");
        assertThat(heard.results).singleElement().satisfies(r -> assertThat(r.timedOut()).isTrue());
    }

    @Test
    void aFailureIsAFailedOutcomeAndAJobFailurePenaltyOfHalfSeverity() {
        assertThat(callsOfJob0("\"behaviour\": \"honest\", \"successProbability\": 0", 0, "", true))
                .containsExactly("reportHealth w-0", "rank j-0 [w-0]",
                        "recordOutcome w-0 success=false earnings=0 quality=null job=j-0",
                        "applyPenalty w-0 JOB_FAILURE 0.5 'job failed' j-0",
                        "reputation w-0");
        assertThat(heard.events).containsExactly("performed 0 w-0");
    }

    @Test
    void aVerifiedInvalidResultIsReportedAsMalicious() {
        assertThat(callsOfJob0("\"behaviour\": \"malicious\", \"successProbability\": 1", 1, "", false))
                .containsExactly("rank j-0 [w-0]",
                        "recordOutcome w-0 success=false earnings=0 quality=0.0 job=j-0",
                        "reportMalicious w-0 'result failed verification on j-0'");
    }

    @Test
    void anUnverifiedInvalidResultPassesAsASuccessPaidTheBid() {
        List<String> calls = callsOfJob0("\"behaviour\": \"malicious\", \"successProbability\": 1, "
                + "\"bidAmount\": 1000", 0, "", false);
        assertThat(calls).hasSize(3);
        assertThat(calls.get(1)).startsWith("recordOutcome w-0 success=true earnings=")
                .endsWith(" quality=null job=j-0")
                .doesNotContain("earnings=0 ");
        assertThat(calls.get(2)).isEqualTo("reputation w-0");
        assertThat(heard.results.get(0).good()).isFalse(); // the distributor was fooled; the listener knows
    }

    @Test
    void aVerifiedGoodResultIsASuccessOfQualityOne() {
        List<String> calls = callsOfJob0("\"behaviour\": \"honest\", \"successProbability\": 1", 1, "", false);
        assertThat(calls.get(1)).startsWith("recordOutcome w-0 success=true").endsWith(" quality=1.0 job=j-0");
        assertThat(heard.results.get(0).good()).isTrue();
    }

    @Test
    void aBannedWhitewasherIsToldWithItsOldIdThenComesBackUnderANewOne() {
        Population p = population("{\"name\": \"w\", \"count\": 1, \"behaviour\": \"whitewasher\", "
                + "\"successProbability\": 1, \"rejoinDelayJobs\": 2}", 1, "");
        warden.bans.add("w-0");
        DistributorStep step = step(p);
        step.run(0, true);
        assertThat(heard.events).containsExactly("performed 0 w-0", "banned 0 w-0");
        assertThat(p.present()).isEmpty();
        step.run(1, false);
        assertThat(heard.events).last().isEqualTo("unassigned 1 []");
        warden.calls.clear();
        step.run(2, false);
        // back under a new id, heard from at once
        assertThat(warden.calls.get(0)).isEqualTo("reportHealth w-0-r1");
        assertThat(warden.calls.get(1)).isEqualTo("rank j-2 [w-0-r1]");
    }

    @Test
    void noEligibleBidderLeavesTheJobUnassignedAndTellsWardenNothingMore() {
        Population p = population("{\"name\": \"h\", \"count\": 2, \"behaviour\": \"honest\"}", 1, "");
        warden.noneEligible = true;
        step(p).run(0, false);
        assertThat(warden.calls).singleElement().asString().startsWith("rank j-0 ");
        assertThat(heard.events).singleElement().asString().startsWith("unassigned 0 [h-");
    }

    @Test
    void aSelectionOfAWorkerThatDidNotBidIsAnError() {
        Population p = population("{\"name\": \"h\", \"count\": 1, \"behaviour\": \"honest\"}", 1, "");
        warden.rankInstead = "stranger";
        assertThatThrownBy(() -> step(p).run(0, false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stranger");
    }

    @Test
    void aFailedHealthReportGoesToTheListenerAndTheStepGoesOn() {
        Population p = population("{\"name\": \"h\", \"count\": 2, \"behaviour\": \"honest\"}", 1, "");
        warden.healthFailure = new IllegalStateException("store down");
        step(p).run(0, true);
        assertThat(heard.healthFailures).hasSize(2).allMatch(e -> e == warden.healthFailure);
        assertThat(heard.events).singleElement().asString().startsWith("performed 0 ");
    }

    @Test
    void byDefaultAFailedHealthReportEndsTheStep() {
        Population p = population("{\"name\": \"h\", \"count\": 2, \"behaviour\": \"honest\"}", 1, "");
        warden.healthFailure = new IllegalStateException("store down");
        heard.rethrow = true;
        assertThatThrownBy(() -> step(p).run(0, true)).isSameAs(warden.healthFailure);
        assertThat(heard.events).isEmpty();
    }

    @Test
    void withoutWardenTheChooserPicksAndNothingIsReported() {
        Population p = population("{\"name\": \"h\", \"count\": 3, \"behaviour\": \"honest\"}", 1, "");
        List<String> offered = new ArrayList<>();
        DistributorStep step = DistributorStep.withoutWarden(p,
                DistributorStep.Streams.split(new SplittableRandom(1)), "j-", (bids, bidders, job) -> {
                    offered.add(bids.get(0).workerId() + "=" + bidders.get(0).id());
                    return 0;
                }, heard);
        step.run(0, true);
        step.run(1, true);
        assertThat(warden.calls).isEmpty();
        assertThat(offered).hasSize(2).allMatch(s -> s.split("=")[0].equals(s.split("=")[1]));
        assertThat(heard.events).hasSize(2).allMatch(e -> e.startsWith("performed "));
    }
}
