package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warden.api.Bid;
import org.warden.api.Eligibility;
import org.warden.api.NetworkHealth;
import org.warden.api.RankedBid;
import org.warden.api.policy.WardenPolicy;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.engine.store.JdbcStore;

/**
 * A database unavailable at start: until the store has restored the record, memory does not know the bans it holds,
 * so no worker is eligible (bans fail closed), with a reason saying why, in eligibility, ranking and network health;
 * outcomes and health reports are still accepted. Once restored, workers are judged as usual. A setting serves from
 * memory instead, and network health says what that risks.
 */
class RestoreGateTest {

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Fixtures.T0);
    private final List<JdbcStore> stores = new ArrayList<>();
    private final AtomicBoolean down = new AtomicBoolean();
    private final EngineSettings settings = new EngineSettings(Duration.ofSeconds(60), 3, Duration.ZERO, 10, 5,
            Duration.ofSeconds(60));

    @AfterEach
    void closeStores() {
        stores.forEach(JdbcStore::close);
    }

    private JdbcStore h2() {
        String url = "jdbc:h2:file:" + dir.resolve("warden").toAbsolutePath() + ";WRITE_DELAY=0";
        JdbcStore store = new JdbcStore(() -> {
            if (down.get()) {
                throw new SQLException("Connection refused (test: database down)");
            }
            return DriverManager.getConnection(url);
        }, "h2", DurableEngineTest.journalSettings("test", false), clock);
        stores.add(store);
        return store;
    }

    private WardenEngine engine(JdbcStore store, EngineSettings s) {
        WardenEngine engine = new WardenEngine(clock, new InMemoryWorkerStore(), s, EventSink.NONE);
        engine.bindPolicy(new StubPolicy(), Map.of(WardenPolicy.NAME_PROPERTY, "stub"));
        engine.useStore(store);
        return engine;
    }

    /** A record where "cheat" is banned for good and "honest" is not. */
    private void recordABan() {
        JdbcStore first = h2();
        WardenEngine before = engine(first, settings);
        before.reportHealth("cheat", Fixtures.GOOD);
        before.reportHealth("honest", Fixtures.GOOD);
        before.recordOutcome(Fixtures.ok("cheat"));
        before.recordOutcome(Fixtures.ok("honest"));
        before.ban("cheat", "forged results", null);
        assertThat(before.isEligible("cheat")).isFalse();
        assertThat(before.book().isRestored()).isTrue();
        first.close();
        clock.advance(Duration.ofMinutes(1));
    }

    private static List<String> ranked(WardenEngine engine) {
        return engine.rank("job-1", List.of(Bid.of("cheat", 1, 10), Bid.of("honest", 5, 10))).stream()
                .map(RankedBid::bid).map(Bid::workerId).toList();
    }

    @Test
    void untilTheRecordIsRestoredNoWorkerIsEligibleThenWorkersAreJudgedAsUsual() {
        recordABan();
        down.set(true);
        JdbcStore store = h2();
        WardenEngine engine = engine(store, settings);
        assertThat(engine.book().isRestored()).isFalse();

        // health reports and outcomes are accepted, from memory
        engine.reportHealth("cheat", Fixtures.GOOD);
        engine.reportHealth("honest", Fixtures.GOOD);
        assertThat(engine.recordOutcome(Fixtures.ok("cheat")).ban()).as("memory does not know the ban").isNull();
        engine.recordOutcome(Fixtures.ok("honest"));

        // ... but nobody is eligible, and the reason says why
        for (String w : List.of("cheat", "honest")) {
            Eligibility e = engine.eligibility(w);
            assertThat(e.eligible()).isFalse();
            assertThat(e.reason()).startsWith("the durable store (h2) has not restored the record yet")
                    .contains("Connection refused (test: database down)").contains("no worker is eligible");
        }
        assertThat(ranked(engine)).isEmpty();
        NetworkHealth health = engine.networkHealth();
        assertThat(health.store().available()).isFalse();
        assertThat(health.store().problem()).contains("Connection refused (test: database down)")
                .endsWith("no worker is eligible until the record is restored");

        // the database is back: the record is restored, the ban is in force, the others judged as usual
        down.set(false);
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.book().isRestored());
        Eligibility cheat = engine.eligibility("cheat");
        assertThat(cheat.eligible()).isFalse();
        assertThat(cheat.reason()).isEqualTo("banned: forged results");
        assertThat(engine.eligibility("honest").eligible()).isTrue();
        assertThat(ranked(engine)).containsExactly("honest");
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.networkHealth().store().available());
        assertThat(engine.networkHealth().store().problem()).isNull();
        assertThat(engine.reputation("cheat").orElseThrow().jobsCompleted()).as("merged with the record").isEqualTo(2);
    }

    @Test
    void servingFromMemoryIsASettingAndNetworkHealthSaysWhatItRisks() {
        recordABan();
        down.set(true);
        WardenEngine engine = engine(h2(), settings.withEligibleBeforeRestore(true));
        engine.reportHealth("cheat", Fixtures.GOOD);
        engine.recordOutcome(Fixtures.ok("cheat"));
        assertThat(engine.eligibility("cheat").eligible()).as("fails open, as configured").isTrue();
        assertThat(ranked(engine)).containsExactly("cheat");
        assertThat(engine.networkHealth().store().problem())
                .contains("workers are judged from memory until the record is restored (eligibleBeforeRestore=true)");
    }

    @Test
    void aDatabaseAvailableAtStartIsRestoredBeforeTheEngineServes() {
        recordABan();
        WardenEngine engine = engine(h2(), settings);
        assertThat(engine.book().isRestored()).isTrue();
        engine.reportHealth("honest", Fixtures.GOOD);
        assertThat(engine.eligibility("honest").eligible()).isTrue();
        assertThat(engine.eligibility("cheat").reason()).isEqualTo("banned: forged results");
    }
}
