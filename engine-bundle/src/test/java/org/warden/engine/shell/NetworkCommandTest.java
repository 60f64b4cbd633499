package org.warden.engine.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.warden.api.policy.WardenPolicy;
import org.warden.engine.WardenEngine;
import org.warden.engine.core.EngineSettings;
import org.warden.engine.core.EventSink;
import org.warden.engine.state.InMemoryWorkerStore;
import org.warden.policy.defaults.DefaultPolicy;
import org.warden.policy.defaults.DefaultPolicySettings;

/** {@code warden:network} shows the network's job totals: all jobs judged, those that succeeded, those that failed. */
class NetworkCommandTest {

    private final WardenEngine engine = new WardenEngine(Clock.fixed(Instant.parse("2026-12-05T21:00:00Z"),
            ZoneOffset.UTC), new InMemoryWorkerStore(), EngineSettings.DEFAULTS, EventSink.NONE);

    NetworkCommandTest() {
        engine.bindPolicy(new DefaultPolicy(DefaultPolicySettings.SEED), Map.of(WardenPolicy.NAME_PROPERTY, "default"));
    }

    /** The rows of {@code warden:network --no-format}: name to value, cells trimmed. */
    private Map<String, String> network() throws Exception {
        NetworkCommand command = new NetworkCommand();
        command.noFormat = true;
        ShellRun.inject(command, "insight", engine.insight());
        ShellRun.Output output = ShellRun.run(ShellRun.inject(command, "health", engine));
        assertThat(output.refusal()).isNull();
        assertThat(output.err()).isEmpty();
        return output.out().lines().map(line -> line.split("\t"))
                .collect(Collectors.toMap(cells -> cells[0].trim(), cells -> cells[1].trim()));
    }

    @Test
    void showsTheJobTotals() throws Exception {
        assertThat(network()).containsEntry("totalJobs", "0").containsEntry("jobsSucceeded", "0")
                .containsEntry("jobsFailed", "0");
        engine.recordOutcome("w1", true, 100, BigInteger.TEN, null);
        engine.recordOutcome("w1", true, 100, BigInteger.TEN, null);
        engine.recordOutcome("w2", false, 100, BigInteger.ZERO, null);
        assertThat(network()).containsEntry("totalJobs", "3").containsEntry("jobsSucceeded", "2")
                .containsEntry("jobsFailed", "1");
    }

    @Test
    void showsThePolicySettingAndWhetherItsPolicyIsInstalled() throws Exception {
        assertThat(network()).containsEntry("policyConfigured", "automatic (highest ranking)")
                .containsEntry("policyName", "default");
        engine.configurePolicies("strict", "");
        assertThat(network()).containsEntry("policyConfigured", "strict (configured but not installed)")
                .containsEntry("policyName", "default");
        engine.configurePolicies("default", "");
        assertThat(network()).containsEntry("policyConfigured", "default");
    }
}
