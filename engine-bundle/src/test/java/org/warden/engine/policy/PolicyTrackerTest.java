package org.warden.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.Constants;
import org.warden.api.policy.WardenPolicy;

/**
 * The policy in force chosen among every bound named policy by the {@code policy} setting: automatic (the highest
 * ranking, then the oldest), a name that is installed, a name that is not (yet, or any more).
 */
class PolicyTrackerTest {

    private final List<PolicyTracker.Change> changes = new ArrayList<>();
    private final PolicyTracker tracker = new PolicyTracker(changes::add);
    private final WardenPolicy a = new FallbackPolicy();
    private final WardenPolicy b = new FallbackPolicy();
    private final WardenPolicy c = new FallbackPolicy();

    private static Map<String, Object> props(String name, int ranking, long serviceId) {
        return Map.of(WardenPolicy.NAME_PROPERTY, name, Constants.SERVICE_RANKING, ranking, Constants.SERVICE_ID, serviceId);
    }

    private String inForce() {
        return tracker.current().name();
    }

    @Test
    void automaticTakesTheHighestRankingThenTheOldest() {
        assertThat(tracker.current()).isSameAs(BoundPolicy.NONE);
        tracker.bind(b, props("b", 0, 7));
        tracker.bind(a, props("a", 0, 5));
        assertThat(inForce()).as("same ranking: the older service (lower id)").isEqualTo("a");
        tracker.bind(c, props("c", 10, 9));
        assertThat(inForce()).isEqualTo("c");
        tracker.unbind(c);
        assertThat(inForce()).isEqualTo("a");
        tracker.unbind(a);
        tracker.unbind(b);
        assertThat(tracker.current()).isSameAs(BoundPolicy.NONE);
        assertThat(changes).extracting(ch -> ch.next().name()).containsExactly("b", "a", "c", "a", "b", "fallback");
        assertThat(changes).allSatisfy(ch -> assertThat(ch.missing()).isNull());
    }

    @Test
    void aNamedPolicyThatIsInstalledJudgesThoughOutranked() {
        tracker.bind(a, props("a", 0, 1));
        tracker.bind(b, props("b", 100, 2));
        assertThat(inForce()).isEqualTo("b");
        tracker.configure("a");
        assertThat(inForce()).isEqualTo("a");
        assertThat(tracker.missing()).isEmpty();
        tracker.bind(c, props("c", 200, 3));
        assertThat(inForce()).as("a better-ranked arrival does not unpin").isEqualTo("a");
        tracker.configure("");
        assertThat(inForce()).as("automatic again").isEqualTo("c");
    }

    @Test
    void aNameNotYetInstalledKeepsThePolicyInForceUntilItArrivesAndThenTakesOver() {
        tracker.bind(a, props("a", 0, 1));
        tracker.bind(b, props("b", 10, 2));
        tracker.configure("a");
        changes.clear();

        tracker.configure("strict");
        assertThat(inForce()).as("the policy in force before stays, not the highest-ranked").isEqualTo("a");
        assertThat(tracker.missing()).contains("strict");
        assertThat(changes).singleElement().satisfies(ch -> {
            assertThat(ch.policyChanged()).isFalse();
            assertThat(ch.missing()).isEqualTo("strict");
        });

        tracker.bind(c, props("strict", 0, 3));
        assertThat(tracker.current().policy()).isSameAs(c);
        assertThat(tracker.missing()).isEmpty();
        assertThat(changes).last().satisfies(ch -> {
            assertThat(ch.previous().name()).isEqualTo("a");
            assertThat(ch.next().name()).isEqualTo("strict");
            assertThat(ch.missing()).isNull();
        });
    }

    @Test
    void aNameNotInstalledWithNothingInForceTakesTheHighestRankedAndTheFallbackOnlyWithoutAny() {
        tracker.configure("strict");
        assertThat(tracker.current()).isSameAs(BoundPolicy.NONE);
        assertThat(tracker.missing()).contains("strict");
        tracker.bind(a, props("a", 0, 1));
        assertThat(inForce()).isEqualTo("a");
        tracker.bind(b, props("b", 10, 2));
        assertThat(inForce()).as("kept: it was in force before").isEqualTo("a");
        assertThat(tracker.missing()).contains("strict");
    }

    @Test
    void theNamedPolicyGoingAwayHandsOverToTheHighestRankedAndTakesOverAgainWhenBack() {
        tracker.bind(a, props("a", 0, 1));
        tracker.bind(b, props("b", 10, 2));
        tracker.bind(c, props("c", 5, 3));
        tracker.configure("a");
        assertThat(inForce()).isEqualTo("a");

        tracker.unbind(a);
        assertThat(inForce()).isEqualTo("b");
        assertThat(tracker.missing()).contains("a");
        tracker.unbind(c);
        assertThat(inForce()).isEqualTo("b");

        tracker.bind(a, props("a", 0, 4));
        assertThat(inForce()).isEqualTo("a");
        assertThat(tracker.missing()).isEmpty();
    }

    @Test
    void anUnrelatedChangeKeepsTheSameBoundPolicyAndTellsNothing() {
        tracker.bind(a, props("a", 10, 1));
        BoundPolicy bound = tracker.current();
        changes.clear();
        tracker.bind(b, props("b", 0, 2));
        tracker.unbind(b);
        tracker.unbind(c); // never bound
        assertThat(tracker.current()).as("caches key on the BoundPolicy: not replaced").isSameAs(bound);
        assertThat(changes).isEmpty();
    }

    @Test
    void renamingThePolicyInForceIsSeenAndCanUnpinIt() {
        tracker.bind(a, props("a", 0, 1));
        tracker.bind(b, props("b", 10, 2));
        tracker.configure("a");
        tracker.updated(a, props("a2", 0, 1));
        assertThat(tracker.missing()).contains("a");
        assertThat(inForce()).as("still installed, so it stays, under its new name").isEqualTo("a2");
        tracker.updated(b, props("b", 10, 2)); // nothing changed
        assertThat(inForce()).isEqualTo("a2");
    }

    @Test
    void withoutServiceIdsTheEarlierBoundIsTheOlder() {
        tracker.bind(a, Map.of(WardenPolicy.NAME_PROPERTY, "a"));
        tracker.bind(b, Map.of(WardenPolicy.NAME_PROPERTY, "b"));
        assertThat(inForce()).isEqualTo("a");
        tracker.updated(a, Map.of(WardenPolicy.NAME_PROPERTY, "a"));
        assertThat(inForce()).as("an update keeps its place").isEqualTo("a");
    }

    /**
     * The pinned policy coming and going while callers read the policy in force: a caller always gets a policy
     * service, never the fallback, since one is always installed; the holder is replaced whole, never emptied.
     */
    @Test
    @Timeout(30)
    void callersNeverSeeTheFallbackWhilePoliciesComeAndGo() throws Exception {
        PolicyTracker quiet = new PolicyTracker(ch -> { });
        quiet.bind(a, props("a", 0, 1));
        quiet.configure("x");
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        CompletableFuture<Long> fallbacksSeen = CompletableFuture.supplyAsync(() -> {
            long fallbacks = 0;
            while (!done.get()) {
                fallbacks += quiet.current().isFallback() ? 1 : 0;
                reads.incrementAndGet();
            }
            return fallbacks;
        });
        long id = 2;
        for (int i = 0; i < 20_000; i++) {
            quiet.bind(b, props("x", 0, id++));
            assertThat(quiet.current().policy()).isSameAs(b);
            quiet.unbind(b);
            assertThat(quiet.current().policy()).isSameAs(a);
        }
        done.set(true);
        assertThat(fallbacksSeen.get(20, TimeUnit.SECONDS)).isZero();
        assertThat(reads.get()).isPositive();
    }
}
