package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.warden.api.Ban;
import org.warden.api.PendingBan;
import org.warden.api.WardenEvents;
import org.warden.engine.core.BanBudget;
import org.warden.engine.core.EngineSettings;

/** The engine-wide ban budget: automatic bans stop at a share of the active workers per window. */
class BanBudgetTest {

    private static String id(int i) {
        return String.format("w-%04d", i);
    }

    private static Fixtures network(int workers, StubPolicy policy) {
        Fixtures f = new Fixtures().with("stub", policy);
        // a generous policy call budget: on a loaded machine (8 threads, 2 cores) a trivial call may be descheduled
        // for more than the default 50 ms, and the slow-policy guard would then answer with the fallback (no bans)
        EngineSettings s = f.engine.book().settings();
        f.engine.book().setSettings(new EngineSettings(s.healthCheckInterval(), s.activityWindowIntervals(),
                s.networkHealthMaxAge(), s.penaltyHistorySize(), s.banHistorySize(), s.faultLogInterval(),
                s.networkMinVolume(), Duration.ofSeconds(30), Duration.ofSeconds(1), s.banBudgetShare(),
                s.banBudgetWindow()));
        for (int i = 0; i < workers; i++) {
            f.engine.reportHealth(id(i), Fixtures.GOOD);
        }
        return f;
    }

    private static long banned(Fixtures f, int workers) {
        long n = 0;
        for (int i = 0; i < workers; i++) {
            if (f.engine.reputation(id(i)).orElseThrow().ban() != null) {
                n++;
            }
        }
        return n;
    }

    private static long count(Fixtures f, String topic) {
        synchronized (f.topics) {
            return f.topics.stream().filter(topic::equals).count();
        }
    }

    @Test
    void massOutageOf60PercentOf1000WorkersStopsAtTheBudget() {
        StubPolicy policy = new StubPolicy();
        policy.banAtFailures = 3;
        Fixtures f = network(1000, policy);

        // 600 workers fail every job at once: three rounds of one failed job each
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 600; i++) {
                f.engine.recordOutcome(Fixtures.failed(id(i)));
            }
        }

        assertThat(banned(f, 1000)).isEqualTo(100); // 10 % of 1,000 active workers
        assertThat(f.engine.pendingBans()).hasSize(500);
        assertThat(count(f, WardenEvents.TOPIC_BANNED)).isEqualTo(100);
        assertThat(count(f, WardenEvents.TOPIC_BAN_PENDING)).isEqualTo(500);
        assertThat(f.engine.networkHealth().pendingBans()).isEqualTo(500);
        assertThat(f.engine.networkHealth().bannedWorkers()).isEqualTo(100);
        PendingBan first = f.engine.pendingBans().get(0);
        assertThat(first.reason()).isEqualTo("3 failures in a row");
        assertThat(first.policyName()).isEqualTo("stub");
        assertThat(first.duration()).isNull();
        assertThat(first.proposedAt()).isEqualTo(Fixtures.T0);
        // the workers banned are automatic bans, the pending ones are not banned and still eligible by record
        assertThat(f.engine.pendingBans()).extracting(PendingBan::workerId)
                .allSatisfy(w -> assertThat(f.engine.reputation(w).orElseThrow().ban()).isNull());

        // a pending worker failing again stays pending (one record, announced once)
        String pendingWorker = first.workerId();
        f.engine.recordOutcome(Fixtures.failed(pendingWorker));
        assertThat(f.engine.pendingBans()).hasSize(500);
        assertThat(count(f, WardenEvents.TOPIC_BAN_PENDING)).isEqualTo(500);
        assertThat(banned(f, 1000)).isEqualTo(100);

        // manual bans are not limited, and settle a pending ban of the same worker
        for (int i = 900; i < 950; i++) {
            f.engine.ban(id(i), "operator", null);
        }
        f.engine.ban(pendingWorker, "operator", Duration.ofHours(1));
        assertThat(banned(f, 1000)).isEqualTo(151);
        assertThat(f.engine.pendingBans()).hasSize(499);

        // after the window, new automatic bans are possible again (workers still report health: still active)
        f.clock.advance(Duration.ofMinutes(61));
        for (int i = 0; i < 1000; i++) {
            f.engine.reportHealth(id(i), Fixtures.GOOD);
        }
        String next = f.engine.pendingBans().get(0).workerId();
        Ban ban = f.engine.recordOutcome(Fixtures.failed(next)).ban();
        assertThat(ban).isNotNull();
        assertThat(ban.automatic()).isTrue();
        assertThat(f.engine.pendingBans()).hasSize(498).extracting(PendingBan::workerId).doesNotContain(next);
    }

    @Test
    void anOperatorConfirmsOrDismissesAPendingBan() {
        StubPolicy policy = new StubPolicy();
        policy.banAtFailures = 3;
        Fixtures f = network(10, policy); // budget: max(1, floor(0.1 x 10)) = 1
        for (int i = 0; i < 3; i++) {
            for (int round = 0; round < 3; round++) {
                f.engine.recordOutcome(Fixtures.failed(id(i)));
            }
        }
        assertThat(banned(f, 10)).isEqualTo(1);
        assertThat(f.engine.pendingBans()).extracting(PendingBan::workerId).containsExactly(id(1), id(2));

        // refusals leave everything as it was
        assertThatThrownBy(() -> f.engine.confirmPendingBan("nobody", "ok"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("workerId: unknown worker 'nobody'");
        assertThatThrownBy(() -> f.engine.dismissPendingBan("nobody", "ok"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("workerId: unknown worker 'nobody'");
        assertThatThrownBy(() -> f.engine.confirmPendingBan(id(1), " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.engine.dismissPendingBan(null, "ok")).isInstanceOf(IllegalArgumentException.class);
        assertThat(f.engine.pendingBans()).hasSize(2);
        assertThat(banned(f, 10)).isEqualTo(1);

        // confirm imposes the policy's ban as an operator's decision, beyond the budget
        int bannedEvents = (int) count(f, WardenEvents.TOPIC_BANNED);
        Ban ban = f.engine.confirmPendingBan(id(1), "checked the logs").orElseThrow();
        assertThat(ban.automatic()).isFalse();
        assertThat(ban.reason()).isEqualTo("3 failures in a row (confirmed: checked the logs)");
        assertThat(ban.until()).isNull();
        assertThat(f.engine.reputation(id(1)).orElseThrow().ban()).isEqualTo(ban);
        assertThat(f.engine.eligibility(id(1)).eligible()).isFalse();
        assertThat(count(f, WardenEvents.TOPIC_BANNED)).isEqualTo(bannedEvents + 1);
        assertThat(f.engine.confirmPendingBan(id(1), "again")).isEmpty();

        // dismiss drops it: not banned
        assertThat(f.engine.dismissPendingBan(id(2), "known outage")).isTrue();
        assertThat(f.engine.dismissPendingBan(id(2), "known outage")).isFalse();
        assertThat(f.engine.reputation(id(2)).orElseThrow().ban()).isNull();
        assertThat(f.engine.pendingBans()).isEmpty();
        assertThat(f.engine.networkHealth().pendingBans()).isZero();
    }

    @Test
    void eightThreadsDecidingBansAtOnceNeverExceedTheBudget() throws Exception {
        StubPolicy policy = new StubPolicy();
        policy.banAtFailures = 3;
        int workers = 400; // budget 40
        Fixtures f = network(workers, policy);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                start.await();
                for (int round = 0; round < 3; round++) {
                    for (int i = thread; i < workers; i += 8) {
                        f.engine.recordOutcome(Fixtures.failed(id(i)));
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> d : done) {
            d.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(banned(f, workers)).isEqualTo(40);
        assertThat(f.engine.pendingBans()).hasSize(360);
        assertThat(count(f, WardenEvents.TOPIC_BANNED)).isEqualTo(40);
        assertThat(count(f, WardenEvents.TOPIC_BAN_PENDING)).isEqualTo(360);
    }

    @Test
    void theBudgetItselfIsAtomicAcrossThreads() throws Exception {
        BanBudget budget = new BanBudget();
        Instant now = Fixtures.T0;
        AtomicInteger granted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 1000; i++) {
                    if (budget.tryTake(now, 1000, 0.10, Duration.ofMinutes(60))) {
                        granted.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> d : done) {
            d.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(granted.get()).isEqualTo(100);
    }

    @Test
    void budgetIsAShareOfActiveWorkersAtLeastOneAndSlides() {
        assertThat(BanBudget.limit(0.10, 1000)).isEqualTo(100);
        assertThat(BanBudget.limit(0.10, 5)).isEqualTo(1);
        assertThat(BanBudget.limit(0.10, 0)).isEqualTo(1);
        assertThat(BanBudget.limit(0.0, 1000)).isEqualTo(1);
        assertThat(BanBudget.limit(1.0, 57)).isEqualTo(57);
        assertThat(BanBudget.limit(0.3, 10)).isEqualTo(3);

        BanBudget b = new BanBudget();
        Duration hour = Duration.ofMinutes(60);
        Instant t0 = Fixtures.T0;
        assertThat(b.tryTake(t0, 20, 0.1, hour)).isTrue();
        assertThat(b.tryTake(t0.plusSeconds(600), 20, 0.1, hour)).isTrue();
        assertThat(b.tryTake(t0.plusSeconds(700), 20, 0.1, hour)).isFalse();
        // the first ban leaves the window after an hour, the second ten minutes later
        assertThat(b.tryTake(t0.plus(hour), 20, 0.1, hour)).isTrue();
        assertThat(b.tryTake(t0.plus(hour).plusSeconds(1), 20, 0.1, hour)).isFalse();
        assertThat(b.used(t0.plus(hour).plusSeconds(600), hour)).isEqualTo(1);
    }

    @Test
    void settingsAreValidated() {
        EngineSettings d = EngineSettings.DEFAULTS;
        assertThat(d.banBudgetShare()).isEqualTo(0.10);
        assertThat(d.banBudgetWindow()).isEqualTo(Duration.ofMinutes(60));
        assertThat(d.withBanBudget(1, Duration.ofMinutes(1)).banBudgetShare()).isEqualTo(1);
        assertThatThrownBy(() -> d.withBanBudget(1.5, Duration.ofMinutes(60)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("banBudgetShare");
        assertThatThrownBy(() -> d.withBanBudget(Double.NaN, Duration.ofMinutes(60)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("banBudgetShare");
        assertThatThrownBy(() -> d.withBanBudget(0.1, Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("banBudgetWindowMinutes");
    }

    @Test
    void aShareOfOneDisablesTheLimitInEffect() {
        StubPolicy policy = new StubPolicy();
        policy.banAtFailures = 3;
        Fixtures f = network(50, policy);
        f.engine.book().setSettings(f.engine.book().settings().withBanBudget(1, Duration.ofMinutes(60)));
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 30; i++) {
                f.engine.recordOutcome(Fixtures.failed(id(i)));
            }
        }
        assertThat(banned(f, 50)).isEqualTo(30);
        assertThat(f.engine.pendingBans()).isEmpty();
    }
}
