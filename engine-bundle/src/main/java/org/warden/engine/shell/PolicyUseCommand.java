package org.warden.engine.shell;

import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.warden.api.HealthService;
import org.warden.engine.EngineInsight;
import org.warden.engine.PolicyNames;

/**
 * Pins the policy by setting the engine's {@code policy} (a policy name, checked against the installed policies
 * here and as a name by the engine) through Config Admin, the other properties kept, as {@code config:property-set}
 * does; {@code --auto} sets it empty (the highest-ranked policy). A {@code policy.target} left from before is removed:
 * the engine refuses a configuration holding it, and this pin is what replaces it. Karaf's fileinstall writes the
 * change back to {@code etc/org.warden.engine.cfg} (when the configuration came from that file), and Config Admin
 * persists it either way: the pin survives a restart. The engine switches asynchronously; the command waits a little.
 */
@Command(scope = "warden", name = "policy-use", description = "Pins the policy in force by name (the engine's policy setting, through Config Admin, so it survives a restart); --auto unpins.")
@Service
public class PolicyUseCommand extends WardenCommandSupport {

    /** How long to wait for the engine to switch before saying it has not yet. */
    static final Duration SWITCH_WAIT = Duration.ofSeconds(5);

    @Argument(index = 0, name = "name", description = "The warden.policy.name of an installed policy service", required = false)
    @Completion(PolicyNameCompleter.class)
    String name;

    @Option(name = "--auto", aliases = "-a", description = "Unpin: policy set empty, the highest ranking wins")
    boolean auto;

    @Reference
    private BundleContext bundleContext;

    @Reference
    private ConfigurationAdmin configAdmin;

    @Reference
    private HealthService health;

    @Override
    protected Object doExecute() throws Exception {
        if (auto == (name != null)) {
            throw new IllegalArgumentException("give a policy name or --auto" + (auto ? ", not both" : ""));
        }
        List<PoliciesCommand.Installed> installed = PoliciesCommand.installed(bundleContext);
        String value;
        String expected; // the policy that should be in force once the engine switches, or "fallback"
        if (auto) {
            value = "";
            expected = installed.isEmpty() ? "fallback" : installed.get(0).name();
        } else {
            if (installed.stream().noneMatch(p -> p.name().equals(name))) {
                List<String> names = PoliciesCommand.installedNames(bundleContext);
                throw new IllegalArgumentException("unknown policy '" + name + "'; installed: "
                        + (names.isEmpty() ? "none" : String.join(", ", names)));
            }
            // installed under a name the engine's setting cannot hold (e.g. with a space): refused as the engine would
            PolicyNames.checkName(EngineInsight.POLICY, name);
            value = name;
            expected = name;
        }

        Configuration config = PoliciesCommand.engineConfiguration(configAdmin);
        if (config == null) {
            config = configAdmin.getConfiguration(EngineInsight.PID, null); // as config:property-set does
        }
        Dictionary<String, Object> props = config.getProperties();
        if (props == null) {
            props = new Hashtable<>();
        }
        props.put(EngineInsight.POLICY, value);
        props.remove(EngineInsight.RETIRED_KEYS.get(0)); // policy.target: replaced by this pin
        config.update(props);

        String inForce = awaitPolicy(expected);
        String pin = auto ? "Unpinned (" + EngineInsight.POLICY + " empty: the highest ranking wins)"
                : "Pinned to " + name + " (" + EngineInsight.POLICY + "=" + name + ")";
        System.out.println(pin + "; in force: " + inForce
                + (inForce.equals(expected) ? "" : " (the engine has not switched yet)"));
        return null;
    }

    /** Polls the policy in force until it is {@code expected} or {@link #SWITCH_WAIT} is over; the last seen. */
    private String awaitPolicy(String expected) throws InterruptedException {
        long deadline = System.nanoTime() + SWITCH_WAIT.toNanos();
        String seen = health.networkHealth().policyName();
        while (!expected.equals(seen) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            seen = health.networkHealth().policyName();
        }
        return seen;
    }
}
