package org.warden.engine.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.warden.engine.component.EmbeddedFramework.WAIT;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.warden.api.HealthService;
import org.warden.engine.EngineInsight;
import org.warden.engine.WardenEngine;
import org.warden.engine.component.EmbeddedFramework;
import org.warden.engine.policy.FallbackPolicy;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code warden:policy-use} and {@code warden:policies} against the engine in a real OSGi framework (SCR, Config
 * Admin): a pin is the engine's {@code policy} setting, checked against the installed policies first; a refusal is
 * one {@code Error:} line (the command fails) and changes nothing; {@code --auto} clears it; a pin replaces a
 * {@code policy.target} left from before; the listing shows the setting and the policy in force.
 */
class PolicyCommandsTest {

    private EmbeddedFramework osgi;
    private HealthService health;
    private ConfigurationAdmin configAdmin;

    @BeforeEach
    void start() throws Exception {
        osgi = EmbeddedFramework.start();
        health = osgi.service(HealthService.class);
        configAdmin = osgi.service(ConfigurationAdmin.class);
        osgi.registerPolicy("a", 0, new FallbackPolicy());
        osgi.registerPolicy("b", 10, new FallbackPolicy());
        awaitPolicy("b");
    }

    @AfterEach
    void stop() throws Exception {
        if (osgi != null) {
            osgi.close();
        }
    }

    @Test
    @Timeout(60)
    void aPinIsCheckedWrittenAsThePolicySettingAndClearedByAuto() throws Exception {
        assertThat(use(null, false).refusal()).isEqualTo("Error: give a policy name or --auto" + System.lineSeparator());
        assertThat(use("a", true).refusal()).isEqualTo("Error: give a policy name or --auto, not both"
                + System.lineSeparator());
        assertThat(use("(((bad", false).refusal()).isEqualTo("Error: unknown policy '(((bad'; installed: a, b"
                + System.lineSeparator());
        assertThat(engineProperties()).as("nothing written").isNull();
        assertThat(health.networkHealth().policyName()).isEqualTo("b");

        ShellRun.Output pinned = use("a", false);
        assertThat(pinned.refusal()).isNull();
        assertThat(pinned.out()).isEqualTo("Pinned to a (policy=a); in force: a" + System.lineSeparator());
        assertThat(engineProperties().get("policy")).isEqualTo("a");
        assertThat(health.networkHealth().policyName()).isEqualTo("a");

        JsonNode listed = Json.mapper().readTree(policies(true).out());
        assertThat(listed.get("policy").asText()).isEqualTo("a");
        assertThat(listed.get("policyInstalled").asBoolean()).isTrue();
        assertThat(listed.get("policyInForce").asText()).isEqualTo("a");
        assertThat(listed.get("policies").get(0).get("name").asText()).isEqualTo("b");
        assertThat(listed.get("policies").get(0).get("why").asText()).isEqualTo("not pinned (policy=a)");
        assertThat(listed.get("policies").get(1).get("why").asText()).isEqualTo("pinned by policy=a");
        assertThat(listed.get("policies").get(1).get("inForce").asBoolean()).isTrue();

        ShellRun.Output auto = use(null, true);
        assertThat(auto.out()).isEqualTo("Unpinned (policy empty: the highest ranking wins); in force: b"
                + System.lineSeparator());
        assertThat(engineProperties().get("policy")).isEqualTo("");
        listed = Json.mapper().readTree(policies(true).out());
        assertThat(listed.get("policy").asText()).isEmpty();
        assertThat(listed.get("policies").get(0).get("why").asText()).isEqualTo("highest ranking");
        assertThat(listed.get("policies").get(1).get("why").asText()).isEqualTo("outranked by b");
    }

    @Test
    @Timeout(60)
    void aPinReplacesAPolicyTargetLeftFromBeforeWhichTheEngineRefuses() throws Exception {
        Configuration config = configAdmin.getConfiguration(WardenEngine.PID, "?");
        config.update(new Hashtable<>(Map.of("policy.target", "(warden.policy.name=a)", "penaltyHistorySize", 3)));
        await().atMost(WAIT).until(() -> osgi.reference(HealthService.class).getProperty("policy.target") != null);
        assertThat(health.networkHealth().policyName()).as("refused: not read").isEqualTo("b");

        assertThat(use("a", false).out()).isEqualTo("Pinned to a (policy=a); in force: a" + System.lineSeparator());
        Dictionary<String, Object> props = engineProperties();
        assertThat(props.get("policy.target")).isNull();
        assertThat(props.get("penaltyHistorySize")).as("the other settings kept").isEqualTo(3);
    }

    @Test
    @Timeout(60)
    void aPolicyInstalledUnderANameTheSettingCannotHoldIsRefused() throws Exception {
        osgi.registerPolicy("two words", 0, new FallbackPolicy());
        assertThat(use("two words", false).refusal()).isEqualTo("Error: policy must be a policy name (letters, "
                + "digits, '.', '_' or '-', at most 64) or empty, was 'two words'" + System.lineSeparator());
        assertThat(engineProperties()).isNull();
    }

    @Test
    @Timeout(60)
    void theListingSaysWhenThePinnedPolicyIsNotInstalled() throws Exception {
        use("a", false);
        Configuration config = configAdmin.getConfiguration(WardenEngine.PID, "?");
        Dictionary<String, Object> props = config.getProperties();
        props.put("policy", "strict");
        config.update(props);
        await().atMost(WAIT).until(() -> insight().configuredPolicy(), "strict"::equals);

        ShellRun.Output text = policies(false);
        assertThat(text.out().lines().findFirst()).contains(
                "Policy strict is configured but not installed (policy=strict): a stays in force until it is");
        JsonNode listed = Json.mapper().readTree(policies(true).out());
        assertThat(listed.get("policyInstalled").asBoolean()).isFalse();
        assertThat(listed.get("policyInForce").asText()).isEqualTo("a");
        assertThat(listed.get("policies").get(1).get("why").asText())
                .isEqualTo("kept: strict is configured but not installed");
        assertThat(use("strict", false).refusal()).isEqualTo("Error: unknown policy 'strict'; installed: a, b"
                + System.lineSeparator());
    }

    // ---------------------------------------------------------------- helpers

    private ShellRun.Output use(String name, boolean auto) throws Exception {
        PolicyUseCommand command = new PolicyUseCommand();
        command.name = name;
        command.auto = auto;
        ShellRun.inject(command, "bundleContext", osgi.context());
        ShellRun.inject(command, "configAdmin", configAdmin);
        ShellRun.inject(command, "health", health);
        return ShellRun.run(command);
    }

    private ShellRun.Output policies(boolean json) throws Exception {
        PoliciesCommand command = new PoliciesCommand();
        command.json = json;
        ShellRun.inject(command, "bundleContext", osgi.context());
        ShellRun.inject(command, "engine", insight());
        ShellRun.inject(command, "health", health);
        ShellRun.Output output = ShellRun.run(command);
        assertThat(output.refusal()).isNull();
        return output;
    }

    /**
     * The engine's {@link EngineInsight}: its package is the bundle's own (not shared with the test class path), so
     * the test calls the bundle's service object through an interface of its own class loader.
     */
    private EngineInsight insight() throws Exception {
        // getAllServiceReferences: the class-space check would hide the bundle's EngineInsight from the test's
        org.osgi.framework.ServiceReference<?>[] refs = await().atMost(WAIT).until(() -> osgi.context()
                .getAllServiceReferences(EngineInsight.class.getName(), null), r -> r != null && r.length == 1);
        Object insight = osgi.context().getService(refs[0]);
        // the bundle's own copy of the interface: the service object's class is not public
        Class<?> bundles = insight.getClass().getClassLoader().loadClass(EngineInsight.class.getName());
        return (EngineInsight) Proxy.newProxyInstance(EngineInsight.class.getClassLoader(),
                new Class<?>[] { EngineInsight.class }, (proxy, method, args) -> bundles
                        .getMethod(method.getName(), method.getParameterTypes()).invoke(insight, args));
    }

    /** The engine's configuration as Config Admin holds it, or null when there is none. */
    private Dictionary<String, Object> engineProperties() throws Exception {
        Configuration config = PoliciesCommand.engineConfiguration(configAdmin);
        return config == null ? null : config.getProperties();
    }

    private void awaitPolicy(String name) {
        await().atMost(WAIT).until(() -> health.networkHealth().policyName(), name::equals);
    }
}
