package org.warden.simulator.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The workers of one scenario run: who is present at each job, who is down, who rejoins. Deterministic: the same
 * scenario and the same sequence of calls give the same population. Not thread-safe.
 */
public final class Population {
    private final Scenario scenario;
    private final List<SimWorker> all = new ArrayList<>();
    private final List<SimWorker> present = new ArrayList<>();
    private final List<SimWorker> waiting = new ArrayList<>(); // later groups and whitewashers about to rejoin
    private final List<Integer> waitingUntil = new ArrayList<>();
    private final SplittableRandom random;
    private int nextEvent;
    private final List<Scenario.Event> events;

    public Population(Scenario scenario) {
        this.scenario = scenario;
        this.random = new SplittableRandom(scenario.seed() ^ 0x5DEECE66DL);
        // a stream of its own, so that drawing probabilities leaves the events' draws as they were
        SplittableRandom traits = new SplittableRandom(scenario.seed() ^ 0x2545F4914F6CDD1DL);
        int index = 0;
        for (Scenario.Group g : scenario.groups()) {
            for (int i = 0; i < g.count(); i++) {
                double p = g.successRange()
                        ? g.successProbability() + (g.successProbabilityHigh() - g.successProbability()) * traits.nextDouble()
                        : g.successProbability();
                SimWorker w = new SimWorker(g, index++, p);
                all.add(w);
                if (g.joinAtJob() == 0) {
                    present.add(w);
                } else {
                    waiting.add(w);
                    waitingUntil.add(g.joinAtJob());
                }
            }
        }
        events = new ArrayList<>(scenario.events());
        events.sort((a, b) -> Integer.compare(a.atJob(), b.atJob()));
    }

    public Scenario scenario() {
        return scenario;
    }

    /** Every worker, present or not, in creation order. */
    public List<SimWorker> all() {
        return Collections.unmodifiableList(all);
    }

    /** Workers present now (they bid; those down still bid and then time out). */
    public List<SimWorker> present() {
        return Collections.unmodifiableList(present);
    }

    /**
     * Moves to job {@code job}: lets in the workers due to join and starts due events. An outage takes down a share
     * of the targeted workers present now; a drift and a group failure also reach the group's workers that join
     * later (they describe the machines, not who is connected).
     *
     * @return the identities that joined now (the distributor hears their first health report at once)
     */
    public List<SimWorker> advanceTo(int job) {
        List<SimWorker> joined = List.of();
        for (int i = 0; i < waiting.size(); i++) {
            if (waitingUntil.get(i) <= job) {
                if (joined.isEmpty()) {
                    joined = new ArrayList<>();
                }
                SimWorker w = waiting.remove(i);
                waitingUntil.remove(i);
                i--;
                present.add(w);
                joined.add(w);
            }
        }
        while (nextEvent < events.size() && events.get(nextEvent).atJob() <= job) {
            start(events.get(nextEvent++));
        }
        return joined;
    }

    private void start(Scenario.Event e) {
        switch (e.type()) {
            case Scenario.Event.OUTAGE -> {
                for (SimWorker w : present) {
                    if (targets(e, w) && random.nextDouble() < e.share()) {
                        w.goDown(e.endJob());
                    }
                }
            }
            case Scenario.Event.DRIFT -> {
                for (SimWorker w : all) {
                    // a share of 1 draws nothing: the other events' draws stay as they were
                    if (targets(e, w) && (e.share() >= 1 || random.nextDouble() < e.share())) {
                        w.drift(e.atJob(), e.endJob(), e.successProbability());
                    }
                }
            }
            case Scenario.Event.GROUP_FAILURE -> {
                for (SimWorker w : all) {
                    if (targets(e, w)) {
                        w.fail(e.atJob(), e.endJob());
                    }
                }
            }
            default -> throw new IllegalStateException("unknown event type " + e.type()); // the parser refuses it
        }
    }

    private static boolean targets(Scenario.Event e, SimWorker w) {
        return e.group() == null || e.group().equals(w.group().name());
    }

    /** {@code k} distinct present workers drawn at random (all of them if fewer are present). */
    public List<SimWorker> bidders(SplittableRandom random, int k) {
        int n = present.size();
        int m = Math.min(k, n);
        List<SimWorker> out = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            int j = i + random.nextInt(n - i);
            Collections.swap(present, i, j);
            out.add(present.get(i));
        }
        return out;
    }

    /**
     * Tells the population that the distributor banned {@code w} at job {@code job}. A whitewasher leaves and
     * comes back under a new id after its group's {@code rejoinDelayJobs}; other workers stay (bans may end).
     * A delay of 0 (or 1) brings the new identity in for the very next job: the banned job is already over.
     */
    public void banned(SimWorker w, int job) {
        if (w.behaviour() != Behaviour.WHITEWASHER || !present.remove(w)) {
            return;
        }
        int at = job + Math.max(1, w.group().rejoinDelayJobs());
        w.rejoin(at);
        waiting.add(w);
        waitingUntil.add(at);
    }
}
