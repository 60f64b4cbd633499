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
import org.warden.api.policy.WardenPolicy;

/**
 * Pins the policy by setting the engine's {@code policy.target} through Config Admin, the other properties kept,
 * as {@code config:property-set} does. Karaf's fileinstall writes the change back to
 * {@code etc/org.warden.engine.cfg} (when the configuration came from that file), and Config Admin persists it
 * either way: the pin survives a restart. The engine rebinds asynchronously; the command waits a little for it.
 */
@Command(scope = "warden", name = "policy-use", description = "Pins the policy in force by name (through Config Admin, so it survives a restart); --auto unpins.")
@Service
public class PolicyUseCommand extends WardenCommandSupport {

    /** How long to wait for the engine to rebind before saying it has not yet. */
    static final Duration SWITCH_WAIT = Duration.ofSeconds(5);

    @Argument(index = 0, name = "name", description = "The warden.policy.name of an installed policy service", required = false)
    @Completion(PolicyNameCompleter.class)
    String name;

    @Option(name = "--auto", aliases = "-a", description = "Unpin: policy.target back to (warden.policy.name=*), the highest ranking wins")
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
        String target;
        String expected; // the policy that should be in force once the engine rebinds, or null for the fallback
        if (auto) {
            target = PoliciesCommand.ANY_POLICY;
            expected = installed.isEmpty() ? null : installed.get(0).name();
        } else {
            if (installed.stream().noneMatch(p -> p.name().equals(name))) {
                List<String> names = PoliciesCommand.installedNames(bundleContext);
                throw new IllegalArgumentException("unknown policy '" + name + "'; installed: "
                        + (names.isEmpty() ? "none" : String.join(", ", names)));
            }
            target = "(" + WardenPolicy.NAME_PROPERTY + "=" + escape(name) + ")";
            expected = name;
        }

        Configuration config = PoliciesCommand.engineConfiguration(configAdmin);
        if (config == null) {
            config = configAdmin.getConfiguration(PoliciesCommand.ENGINE_PID, null); // as config:property-set does
        }
        Dictionary<String, Object> props = config.getProperties();
        if (props == null) {
            props = new Hashtable<>();
        }
        props.put(PoliciesCommand.POLICY_TARGET, target);
        config.update(props);

        String inForce = awaitPolicy(expected == null ? "fallback" : expected);
        String pin = auto ? "Unpinned (" + PoliciesCommand.POLICY_TARGET + "=" + target + ")"
                : "Pinned to " + name + " (" + PoliciesCommand.POLICY_TARGET + "=" + target + ")";
        System.out.println(pin + "; in force: " + inForce
                + (inForce.equals(expected == null ? "fallback" : expected) ? "" : " (the engine has not switched yet)"));
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

    /** An LDAP filter value with its special characters escaped (RFC 4515). */
    static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\', '*', '(', ')' -> sb.append('\\').append(c);
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
