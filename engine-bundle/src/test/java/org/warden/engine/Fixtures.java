package org.warden.engine;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.warden.api.HealthMetrics;
import org.warden.api.JobOutcome;
import org.warden.api.policy.WardenPolicy;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.state.InMemoryWorkerStore;

/** Builds engines on a hand-moved clock, with events captured. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final HealthMetrics GOOD = HealthMetrics.of(150, 20, 30, 40, 20);

    final MutableClock clock = new MutableClock(T0);
    final List<String> topics = Collections.synchronizedList(new ArrayList<>());
    final List<Map<String, Object>> events = Collections.synchronizedList(new ArrayList<>());
    final WardenEngine engine;

    Fixtures() {
        EngineSettings s = new EngineSettings(Duration.ofSeconds(60), 3, Duration.ZERO, 10, 5, Duration.ofSeconds(60));
        EventSink sink = (topic, props) -> {
            topics.add(topic);
            events.add(props);
        };
        engine = new WardenEngine(clock, new InMemoryWorkerStore(), s, sink);
    }

    Fixtures with(String name, WardenPolicy policy) {
        engine.bindPolicy(policy, Map.of(WardenPolicy.NAME_PROPERTY, name));
        return this;
    }

    static JobOutcome ok(String worker) {
        return JobOutcome.of(worker, true, 1000, BigInteger.TEN, null);
    }

    static JobOutcome failed(String worker) {
        return JobOutcome.of(worker, false, 1000, BigInteger.ZERO, null);
    }
}
