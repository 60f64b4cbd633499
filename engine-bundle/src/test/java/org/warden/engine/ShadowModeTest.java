package org.warden.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.warden.engine.Fixtures.GOOD;
import static org.warden.engine.Fixtures.failed;
import static org.warden.engine.Fixtures.ok;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.warden.api.Bid;
import org.warden.api.RankedBid;
import org.warden.api.WorkerReputation;
import org.warden.api.policy.WardenPolicy;
import org.warden.engine.core.ShadowMonitor;

/** Shadow mode never changes what the distributor gets, and reports the differences. */
class ShadowModeTest {

    private final StubPolicy enforcedA = new StubPolicy();
    private final StubPolicy enforcedB = new StubPolicy();
    private final StubPolicy shadowPolicy = new StubPolicy();
    /** With the shadow. */
    private final Fixtures a = new Fixtures().with("enforced", enforcedA);
    /** The same engine without a shadow, fed the same calls. */
    private final Fixtures b = new Fixtures().with("enforced", enforcedB);

    private void both(Consumer<WardenEngine> calls) {
        calls.accept(a.engine);
        calls.accept(b.engine);
    }

    private static Map<String, Object> named(String name) {
        return Map.of(WardenPolicy.NAME_PROPERTY, name);
    }

    @Test
    void aStricterShadowsBansAreCountedButNeverEnforced() {
        enforcedA.banAt = 3;
        enforcedB.banAt = 3;
        shadowPolicy.banAt = 1;
        a.engine.configurePolicies("", "eager");
        a.engine.bindShadow(shadowPolicy, named("eager"));
        assertThat(a.engine.networkHealth().shadowPolicyName()).isEqualTo("eager");
        assertThat(b.engine.networkHealth().shadowPolicyName()).isNull();

        both(e -> {
            for (String w : List.of("w1", "w2", "w3")) {
                e.reportHealth(w, GOOD);
                e.recordOutcome(ok(w));
            }
            e.reportMalicious("w1", "forged result");
            e.reportMalicious("w2", "forged result");
            e.reportMalicious("w1", "forged result");
            e.recordOutcome(failed("w3"));
            e.reportMalicious("w1", "forged result"); // the 3rd: the policy in force bans too
        });

        for (String w : List.of("w1", "w2", "w3")) {
            WorkerReputation ra = a.engine.reputation(w).get();
            WorkerReputation rb = b.engine.reputation(w).get();
            assertThat(ra).as(w).isEqualTo(rb);
            assertThat(a.engine.eligibility(w)).isEqualTo(b.engine.eligibility(w));
            assertThat(a.engine.bans(w)).isEqualTo(b.engine.bans(w));
        }
        assertThat(a.engine.reputation("w1").get().banned()).isTrue();
        assertThat(a.engine.reputation("w2").get().banned()).as("the shadow's ban is not enforced").isFalse();
        List<Bid> bids = List.of(Bid.of("w1", 5, 10), Bid.of("w2", 5, 10), Bid.of("w3", 4, 10));
        assertThat(a.engine.rank("job", bids)).isEqualTo(b.engine.rank("job", bids)).hasSize(2);

        ShadowMonitor.Report r = a.engine.insight().shadowReport().orElseThrow();
        assertThat(r.policyName()).isEqualTo("eager");
        assertThat(r.since()).isEqualTo(Fixtures.T0);
        assertThat(r.wouldHaveBanned()).as("w1 at its 1st and 2nd report, w2 at its 1st").isEqualTo(3);
        assertThat(r.recentWouldHaveBanned()).containsExactly("w1", "w2");
        assertThat(r.wouldNotHaveBanned()).isZero();
        assertThat(r.recentWouldNotHaveBanned()).isEmpty();
        assertThat(r.banDecisionsCompared()).isGreaterThanOrEqualTo(5);
        assertThat(r.rankingsCompared()).isEqualTo(1);
        assertThat(r.topChoiceDisagreements()).as("the shadow has no opinion of its own on bans in force").isZero();
    }

    @Test
    void aShadowThatRanksDifferentlyChangesNoRankingAndItsDisagreementsAreCounted() {
        for (StubPolicy p : List.of(enforcedA, enforcedB)) {
            p.reputation = s -> s.workerId().equals("b") ? 0.9 : 0.6;
        }
        shadowPolicy.reputation = s -> s.workerId().equals("a") ? 0.9 : 0.6;
        a.engine.configurePolicies("", "contrarian");
        a.engine.bindShadow(shadowPolicy, named("contrarian"));
        both(e -> {
            for (String w : List.of("a", "b", "c")) {
                e.reportHealth(w, GOOD);
            }
        });
        List<Bid> bids = List.of(Bid.of("a", 5, 10), Bid.of("b", 5, 10), Bid.of("c", 5, 10));
        for (int i = 0; i < 5; i++) {
            List<RankedBid> withShadow = a.engine.rank("job-" + i, bids);
            assertThat(withShadow).isEqualTo(b.engine.rank("job-" + i, bids));
            assertThat(withShadow.get(0).bid().workerId()).isEqualTo("b");
        }
        assertThat(a.engine.rank("none", List.of())).isEqualTo(b.engine.rank("none", List.of()));

        ShadowMonitor.Report r = a.engine.insight().shadowReport().orElseThrow();
        assertThat(r.rankingsCompared()).isEqualTo(6);
        assertThat(r.topChoiceDisagreements()).isEqualTo(5);
        // in force b, a, c; in shadow a, b, c: a and b each one place off, c in place
        assertThat(r.meanRankDisplacement()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.shadowFaults()).isZero();

        // a faulty shadow cannot hurt either: its calls are answered by its own fallback
        shadowPolicy.failure = new IllegalStateException("shadow bug");
        assertThat(a.engine.rank("job-x", bids)).isEqualTo(b.engine.rank("job-x", bids));
        assertThat(a.engine.insight().shadowReport().orElseThrow().shadowFaults()).isPositive();
        assertThat(a.engine.networkHealth().policyFaults()).as("the shadow's faults are its own").isZero();

        // unbinding the shadow stops it; binding one again starts the counters again
        a.engine.unbindShadow(shadowPolicy);
        assertThat(a.engine.insight().shadowReport()).isEmpty();
        assertThat(a.engine.book().shadow().shadowPolicyName()).isNull();
        shadowPolicy.failure = null;
        a.engine.bindShadow(shadowPolicy, named("contrarian"));
        assertThat(a.engine.insight().shadowReport().orElseThrow().rankingsCompared()).isZero();
    }

    @Test
    void theShadowIsTheInstalledPolicyTheSettingNamesAndANameNotInstalledIsReported() {
        StubPolicy other = new StubPolicy();
        a.engine.bindShadow(shadowPolicy, named("one"));
        assertThat(a.engine.insight().shadowReport()).as("no shadowPolicy set: none runs").isEmpty();

        a.engine.configurePolicies("", "two");
        assertThat(a.engine.insight().shadowReport()).as("two is not installed").isEmpty();
        assertThat(a.engine.refusals()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("shadowPolicy two is configured but not installed");
            assertThat(r.inForce()).isEqualTo("no shadow policy");
        });

        a.engine.bindShadow(other, named("two"));
        assertThat(a.engine.insight().shadowReport().orElseThrow().policyName()).isEqualTo("two");
        assertThat(a.engine.refusals()).isEmpty();
        a.engine.unbindShadow(shadowPolicy);
        assertThat(a.engine.insight().shadowReport().orElseThrow().policyName()).as("another policy going away").isEqualTo("two");

        // renamed: two is not installed any more, so no shadow runs, until the setting names it again
        a.engine.updatedShadow(other, named("three"));
        assertThat(a.engine.insight().shadowReport()).isEmpty();
        assertThat(a.engine.refusals()).singleElement().extracting(r -> r.reason())
                .isEqualTo("shadowPolicy two is configured but not installed");
        a.engine.configurePolicies("", "three");
        assertThat(a.engine.networkHealth().shadowPolicyName()).isEqualTo("three");
        a.engine.configurePolicies("", "");
        assertThat(a.engine.insight().shadowReport()).isEmpty();
        assertThat(a.engine.refusals()).isEmpty();
    }
}
