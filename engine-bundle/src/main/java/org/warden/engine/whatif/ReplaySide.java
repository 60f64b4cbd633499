package org.warden.engine.whatif;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.warden.api.Bid;
import org.warden.api.RankedBid;
import org.warden.api.WardenEvents;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.whatif.WhatIfReport.BanDifference;
import org.warden.engine.WardenEngine;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.core.SnapshotBook;
import org.warden.engine.state.InMemoryWorkerStore;

/**
 * One side of a what-if replay: an engine of its own (its own store in memory, no journal, no shadow, no EventAdmin)
 * judged by one policy, on a clock the replay sets to each recorded change's time. Every ban it imposes is told to
 * the listener as it is imposed, with the time. Nothing of the live engine is shared but the policy service object
 * (a policy judges from its arguments; the live engine and the replay call it independently).
 */
final class ReplaySide {

    private final String name;
    private final ReplayClock clock;
    private final WardenEngine engine;
    private final SnapshotBook snapshots;

    /**
     * @param policy     the policy judging this side; {@code null} for the engine's built-in fallback (no policy was
     *                   installed)
     * @param properties its service properties, as the engine binds it (its name is set to {@code name})
     * @param bans       told of every ban this side imposes
     */
    ReplaySide(String name, WardenPolicy policy, Map<String, ?> properties, EngineSettings settings, Instant start,
            Consumer<BanDifference> bans) {
        this.name = name;
        this.clock = new ReplayClock(start);
        EventSink sink = (topic, props) -> {
            if (WardenEvents.TOPIC_BANNED.equals(topic)) {
                bans.accept(new BanDifference((String) props.get(WardenEvents.WORKER_ID), clock.instant(),
                        (String) props.get(WardenEvents.REASON), Boolean.TRUE.equals(props.get(WardenEvents.AUTOMATIC))));
            }
        };
        this.engine = new WardenEngine(clock, new InMemoryWorkerStore(), settings, sink);
        engine.quiet();
        if (policy != null) {
            Map<String, Object> bound = new HashMap<>(properties);
            bound.put(WardenPolicy.NAME_PROPERTY, name);
            engine.bindPolicy(policy, bound);
        }
        this.snapshots = new SnapshotBook(engine.book());
    }

    String name() {
        return name;
    }

    WardenEngine engine() {
        return engine;
    }

    /** The import path of the engine, without its log line per import (a replay imports record by record). */
    SnapshotBook snapshots() {
        return snapshots;
    }

    /** Moves this side's clock: what the engine does next, it does at {@code at}. */
    void at(Instant at) {
        clock.set(at);
    }

    /** The worker this side's policy ranks first among {@code bids} now; {@code null} if none is eligible. */
    String topChoice(String jobId, List<Bid> bids) {
        List<RankedBid> ranked = engine.rank(jobId, bids);
        return ranked.isEmpty() ? null : ranked.get(0).bid().workerId();
    }
}
