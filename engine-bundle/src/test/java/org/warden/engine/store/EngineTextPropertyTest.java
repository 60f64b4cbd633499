package org.warden.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.warden.api.Ban;
import org.warden.api.HealthMetrics;
import org.warden.api.PenaltyType;
import org.warden.api.policy.WardenPolicy;
import org.warden.api.snapshot.Snapshot;
import org.warden.engine.WardenEngine;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.shell.SnapshotRoundTrip;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.policy.defaults.DefaultPolicy;
import org.warden.policy.defaults.DefaultPolicySettings;

/**
 * Ids and reasons where they enter the engine: a refused one is refused naming the argument and records nothing;
 * an accepted one is kept exactly, in memory, in a {@code warden:export} file, and through the durable store across
 * a restart (a checkpoint and the journal rows after it), so a ban lands on the same worker afterwards.
 */
class EngineTextPropertyTest {

    private static final Instant NOW = Instant.parse("2026-12-05T09:25:00Z");
    private static final HealthMetrics GOOD = HealthMetrics.of(150, 20, 30, 40, 20);

    private static WardenEngine engine() {
        WardenEngine engine = new WardenEngine(Clock.fixed(NOW, ZoneOffset.UTC), new InMemoryWorkerStore(),
                EngineSettings.DEFAULTS, EventSink.NONE);
        engine.bindPolicy(new DefaultPolicy(DefaultPolicySettings.SEED), Map.of(WardenPolicy.NAME_PROPERTY, "default"));
        return engine;
    }

    @Property(tries = 1_000)
    void aTextIsRefusedWhereItEntersOrKeptExactly(@ForAll("texts") String id, @ForAll("texts") String reason) {
        WardenEngine engine = engine();
        Throwable health = catchThrowable(() -> engine.reportHealth(id, GOOD));
        if (!Generated.isId(id)) {
            assertThat(health).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("workerId ");
            assertThat(engine.workerIds()).isEmpty();
            return;
        }
        assertThat(health).isNull();
        assertThat(engine.workerIds()).containsExactly(id);

        Throwable ban = catchThrowable(() -> engine.ban(id, reason, Duration.ofDays(7)));
        if (Generated.isReason(reason)) {
            assertThat(ban).isNull();
            assertThat(engine.bans(id)).singleElement().extracting(Ban::workerId, Ban::reason)
                    .containsExactly(id, reason);
        } else {
            assertThat(ban).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("reason ");
            assertThat(engine.bans(id)).isEmpty();
        }
        Snapshot export = engine.export();
        assertThat(SnapshotRoundTrip.through(export)).isEqualTo(export);
    }

    /** A real H2 file database per try, so few tries; each with several workers and both ways of being stored. */
    @Property(tries = 15)
    void acceptedIdsAndReasonsComeBackExactlyAfterARestart(
            @ForAll("fourIds") List<String> ids, @ForAll("fourReasons") List<String> reasons)
            throws Exception {
        Path dir = Files.createTempDirectory("warden-ids");
        String url = "jdbc:h2:file:" + dir.resolve("warden").toAbsolutePath() + ";WRITE_DELAY=0";
        try {
            JdbcStore store = store(url);
            WardenEngine engine = engine();
            engine.useStore(store);
            for (int i = 0; i < ids.size(); i++) {
                engine.reportHealth(ids.get(i), GOOD);
                engine.applyPenalty(ids.get(i), PenaltyType.SPAM, 0.5, reasons.get(i), ids.get((i + 1) % 4));
            }
            engine.ban(ids.get(0), reasons.get(1), null);
            engine.ban(ids.get(1), reasons.get(2), Duration.ofDays(36_500));
            await().atMost(Duration.ofSeconds(20)).until(() -> store.health().backlog() == 0);
            store.journal().checkpoint(); // the first two bans in the checkpoint, what follows in journal rows
            engine.unban(ids.get(1), reasons.get(3));
            engine.ban(ids.get(2), reasons.get(0), Duration.ofHours(1));
            engine.reportMalicious(ids.get(3), reasons.get(2));
            Snapshot expected = engine.export();
            store.close();

            JdbcStore again = store(url);
            try {
                WardenEngine after = engine();
                after.useStore(again);
                assertThat(after.export().workers()).containsExactlyElementsOf(expected.workers());
                assertThat(after.bans(ids.get(0))).singleElement().extracting(Ban::reason).isEqualTo(reasons.get(1));
                assertThat(after.reputation(ids.get(2)).orElseThrow().banned()).isTrue();
            } finally {
                again.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(EngineTextPropertyTest::delete);
            }
        }
    }

    private static JdbcStore store(String url) {
        return new JdbcStore(() -> DriverManager.getConnection(url), "h2",
                new JdbcJournal.Settings("node", false, false, Duration.ofMillis(20), Duration.ofMillis(20),
                        Duration.ofMillis(50), Duration.ofSeconds(10), 1_000_000, 10_000, Duration.ofHours(1), 0),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static void delete(Path p) {
        try {
            Files.delete(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<String> texts() {
        return Generated.texts(1, 60);
    }

    @Provide
    Arbitrary<List<String>> fourIds() {
        return Generated.ids().list().ofSize(4).uniqueElements();
    }

    @Provide
    Arbitrary<List<String>> fourReasons() {
        return Generated.reasons().list().ofSize(4);
    }
}
