package org.warden.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;

import org.apache.karaf.features.FeaturesService;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.warden.api.ConfigurationStatus;
import org.warden.api.HealthService;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code warden:policies} and {@code warden:policy-use} as an operator runs them, with the default and the
 * constant policy installed: which one is in force and why, pinning through Config Admin (written back to
 * {@code etc/org.warden.engine.cfg} by fileinstall), unpinning, the ACL (a viewer may not switch), and the
 * fallback when no policy runs.
 */
public class ShellPoliciesIT extends ShellTestSupport {

    /** The engine's policy setting when automatic (the highest ranking wins). */
    private static final String ANY = "";
    private static final String PIN_DEFAULT = "default";

    private HealthService health;
    private ConfigurationAdmin configAdmin;

    @Before
    public void findServicesAndCommands() throws Exception {
        health = getService(HealthService.class);
        configAdmin = getService(ConfigurationAdmin.class);
        awaitCommands("policies", "policy-use", "unban");
    }

    @Test
    public void listsPinsAndUnpinsPolicies() throws Exception {
        installAndAssertFeature("warden-policy-constant", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        awaitPolicy("constant");
        long defaultBundle = requireBundle(DEFAULT_POLICY_BSN).getBundleId();
        long constantBundle = requireBundle(CONSTANT_POLICY_BSN).getBundleId();

        // both listed, the constant one (ranking 100) in force
        ok("warden:policies", VIEWER);
        JsonNode listed = mapper().readTree(ok("warden:policies --json", VIEWER));
        assertEquals(ANY, listed.get("policy").asText());
        assertEquals("constant", listed.get("policyInForce").asText());
        assertFalse(listed.get("fallbackActive").asBoolean());
        assertEquals(2, listed.get("policies").size());
        assertPolicy(listed.get("policies").get(0), "constant", 100, CONSTANT_POLICY_BSN, constantBundle, true, "highest ranking");
        assertPolicy(listed.get("policies").get(1), "default", 0, DEFAULT_POLICY_BSN, defaultBundle, false, "outranked by constant");
        String table = ok("warden:policies --no-format", VIEWER);
        assertEquals(List.of("constant", "100", CONSTANT_POLICY_BSN, String.valueOf(constantBundle), "yes", "highest ranking"),
                Arrays.asList(rows(table).get(0)));

        // a viewer may not switch: the shell hides the command from it; nothing changes
        awaitCommandAcl();
        Result viewer = execute("warden:policy-use default", VIEWER);
        transcript("warden:policy-use default   (as viewer)", viewer);
        assertTrue("a viewer's policy-use must be refused by the ACL, was " + viewer.failure(),
                viewer.failure() != null && "Command not found: warden:policy-use".equals(viewer.failure().getMessage()));
        assertEquals(ANY, policySetting());
        assertEquals("constant", health.networkHealth().policyName());

        // bad invocations: one error line, nothing changes
        refused("warden:policy-use bogus", ADMIN, "Error: unknown policy 'bogus'; installed: default, constant");
        refused("warden:policy-use", ADMIN, "Error: give a policy name or --auto");
        refused("warden:policy-use --auto default", ADMIN, "Error: give a policy name or --auto, not both");
        assertEquals(ANY, policySetting());
        assertEquals("constant", health.networkHealth().policyName());

        // an admin pins the default policy, below the constant one in ranking
        assertEquals("Pinned to default (policy=" + PIN_DEFAULT + "); in force: default\n",
                ok("warden:policy-use default", ADMIN));
        assertEquals(PIN_DEFAULT, policySetting());
        assertEquals("default", health.networkHealth().policyName());
        ok("warden:policies", VIEWER);
        listed = mapper().readTree(ok("warden:policies --json", VIEWER));
        assertEquals(PIN_DEFAULT, listed.get("policy").asText());
        assertEquals("default", listed.get("policyInForce").asText());
        assertPolicy(listed.get("policies").get(0), "constant", 100, CONSTANT_POLICY_BSN, constantBundle, false,
                "not pinned (policy=" + PIN_DEFAULT + ")");
        assertPolicy(listed.get("policies").get(1), "default", 0, DEFAULT_POLICY_BSN, defaultBundle, true,
                "pinned by policy=" + PIN_DEFAULT);
        // ... kept by fileinstall in etc/org.warden.engine.cfg, with the file's other settings: it survives a restart
        File cfg = new File(System.getProperty("karaf.etc"), "org.warden.engine.cfg");
        await("policy written to " + cfg).atMost(WAIT).until(() -> PIN_DEFAULT.equals(fileProperty(cfg, "policy")));
        assertEquals("60", fileProperty(cfg, "healthCheckIntervalSeconds"));
        assertEquals("60", String.valueOf(configAdmin.getConfiguration("org.warden.engine", null).getProperties()
                .get("healthCheckIntervalSeconds")));

        // a malformed name is refused by Warden (not handed to SCR): the pinned policy stays in force, and the engine
        // says why (the health check WARNs) until the value is fixed
        // the engine's own status (the store, the snapshot files, the policies and the health check register one each)
        ConfigurationStatus status = getService(ConfigurationStatus.class, "(component.name=org.warden.engine)", WAIT);
        Configuration engineConfig = configAdmin.getConfiguration("org.warden.engine", null);
        Dictionary<String, Object> props = engineConfig.getProperties();
        props.put("policy", "(((bad");
        engineConfig.update(props);
        await("the malformed policy name refused").atMost(WAIT).until(() -> status.refusals().stream()
                .anyMatch(r -> r.reason().startsWith("policy must be a policy name")));
        assertEquals("default", health.networkHealth().policyName());
        props.put("policy", PIN_DEFAULT);
        engineConfig.update(props);
        await("the fixed policy name accepted").atMost(WAIT).until(() -> status.refusals().isEmpty());
        assertEquals("default", health.networkHealth().policyName());

        // --auto unpins: the highest ranking wins again
        assertEquals("Unpinned (policy empty: the highest ranking wins); in force: constant\n",
                ok("warden:policy-use --auto", ADMIN));
        assertEquals(ANY, policySetting());
        assertEquals("constant", health.networkHealth().policyName());
        await("policy unpinned in " + cfg).atMost(WAIT).until(() -> ANY.equals(fileProperty(cfg, "policy")));

        // no policy running: the fallback answers, and says so
        Bundle constant = requireBundle(CONSTANT_POLICY_BSN);
        Bundle defaults = requireBundle(DEFAULT_POLICY_BSN);
        constant.stop();
        defaults.stop();
        try {
            awaitPolicy("fallback");
            String none = ok("warden:policies", VIEWER);
            assertTrue(none, none.contains("No policy in force: the engine's built-in fallback answers (no automatic bans)"));
            listed = mapper().readTree(ok("warden:policies --json", VIEWER));
            assertTrue(listed.get("fallbackActive").asBoolean());
            assertEquals("fallback", listed.get("policyInForce").asText());
            assertEquals(0, listed.get("policies").size());
            refused("warden:policy-use default", ADMIN, "Error: unknown policy 'default'; installed: none");
        } finally {
            defaults.start();
            constant.start();
        }
        awaitPolicy("constant");
    }

    private void awaitPolicy(String name) {
        await("policy in force: " + name).atMost(WAIT).until(() -> health.networkHealth().policyName(), name::equals);
    }

    /** The engine's policy setting in Config Admin, empty (automatic) when absent. */
    private String policySetting() throws Exception {
        Configuration[] configs = configAdmin.listConfigurations("(service.pid=org.warden.engine)");
        assertTrue("the engine's configuration exists (etc/org.warden.engine.cfg)", configs != null && configs.length == 1);
        Dictionary<String, Object> props = configs[0].getProperties();
        Object target = props.get("policy");
        return target == null ? ANY : target.toString();
    }

    private static String fileProperty(File file, String key) throws Exception {
        Properties props = new Properties();
        try (InputStream in = new FileInputStream(file)) {
            props.load(in);
        }
        return props.getProperty(key);
    }

    private static void assertPolicy(JsonNode node, String name, int ranking, String bundle, long bundleId, boolean inForce,
            String why) {
        assertEquals(name, node.get("name").asText());
        assertEquals(ranking, node.get("ranking").asInt());
        assertEquals(bundle, node.get("bundle").asText());
        assertEquals(bundleId, node.get("bundleId").asLong());
        assertEquals(name + " in force", inForce, node.get("inForce").asBoolean());
        assertEquals(why, node.get("why").asText());
        assertNull(node.get("reference"));
    }
}
