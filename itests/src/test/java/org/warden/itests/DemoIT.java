package org.warden.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.EnumSet;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.warden.api.HealthService;
import org.warden.api.ReputationService;

/**
 * The demo distributor ({@code warden-demo}) as an evaluator meets it: installed on top of {@code warden}, jobs
 * flow (Warden's recorded outcomes and the demo's own counters rise); the constant policy takes over and goes
 * away again while the flow goes on, and not a single call to Warden fails.
 */
public class DemoIT extends ShellTestSupport {

    /** Jobs whose outcome Warden recorded: the sum over every worker of completed and failed jobs. */
    private static long recordedJobs(ReputationService reputation) {
        long sum = 0;
        for (String id : reputation.workerIds()) {
            sum += reputation.reputation(id).map(r -> r.jobsCompleted() + r.jobsFailed()).orElse(0L);
        }
        return sum;
    }

    private long demoCounter(String name) throws Exception {
        String out = ok("warden:demo --no-format", VIEWER);
        return Long.parseLong(row(out, name).orElseThrow(() -> new AssertionError("no " + name + " in " + out))[1]);
    }

    /** Waits until both Warden's recorded jobs and the demo's assigned jobs have risen above what they are now. */
    private void awaitFlowing(ReputationService reputation, String when) throws Exception {
        long recorded = recordedJobs(reputation);
        long assigned = demoCounter("assigned");
        await("jobs recorded by Warden rise " + when + " (from " + recorded + ")").atMost(WAIT)
                .until(() -> recordedJobs(reputation), n -> n > recorded + 20);
        await("jobs assigned by the demo rise " + when + " (from " + assigned + ")").atMost(WAIT)
                .until(() -> demoCounter("assigned"), n -> n > assigned + 20);
    }

    private void awaitPolicy(HealthService health, String name) {
        await("policy " + name + " in force").atMost(WAIT)
                .until(health::networkHealth, h -> name.equals(h.policyName()) && !h.fallbackActive());
    }

    @Test
    public void jobsFlowThroughAPolicySwapWithoutAFailedCall() throws Exception {
        installAndAssertFeature("warden-demo");
        assertActive("org.warden.demo");
        HealthService health = getService(HealthService.class);
        ReputationService reputation = getService(ReputationService.class);
        awaitCommands("demo", "network");
        awaitPolicy(health, "default");

        await("the demo's workers known to Warden").atMost(WAIT).until(() -> reputation.workerIds().size() >= 100);
        awaitFlowing(reputation, "under the default policy");
        assertEquals("workers", 200, demoCounter("workers"));
        assertTrue(ok("warden:network", VIEWER).length() > 0);

        installAndAssertFeature("warden-policy-constant");
        awaitPolicy(health, "constant");
        awaitFlowing(reputation, "under the constant policy");

        uninstallAndAssertFeature("warden-policy-constant", EnumSet.noneOf(FeaturesService.Option.class));
        awaitPolicy(health, "default");
        awaitFlowing(reputation, "under the default policy again");

        String out = ok("warden:demo --no-format", VIEWER);
        assertEquals("no failed call to Warden: " + out, "0", row(out, "failedCalls").orElseThrow()[1]);
        assertEquals("the demo runs: " + out, "true", row(out, "running").orElseThrow()[1]);
    }
}
