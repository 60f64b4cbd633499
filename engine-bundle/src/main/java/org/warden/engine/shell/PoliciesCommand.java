package org.warden.engine.shell;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.warden.api.HealthService;
import org.warden.api.NetworkHealth;
import org.warden.api.policy.WardenPolicy;
import org.warden.engine.EngineInsight;

/**
 * Lists the installed {@link WardenPolicy} services, found by their service references (no policy object is
 * touched), with the engine's {@code policy} setting in force and the policy in force, as the engine tells
 * ({@link EngineInsight}), and what the distributor sees ({@link HealthService#networkHealth()}).
 */
@Command(scope = "warden", name = "policies", description = "Lists the installed policy services, which one is in force and why (ranking, pin).")
@Service
public class PoliciesCommand extends WardenCommandSupport {

    @Option(name = "--no-format", description = "Disable table rendered output (for scripts)")
    boolean noFormat;

    @Option(name = "--json", description = "Print JSON: {policy, policyInstalled, policyInForce, fallbackActive, policies: [{name, ranking, bundle, bundleId, serviceId, inForce, why}]}; policy is the engine's setting, empty for automatic")
    boolean json;

    @Reference
    private BundleContext bundleContext;

    @Reference
    private EngineInsight engine;

    @Reference
    private HealthService health;

    /** One installed policy service, as its reference tells. */
    record Installed(String name, int ranking, String bundle, long bundleId, long serviceId, ServiceReference<?> reference) {
    }

    @Override
    protected Object doExecute() throws Exception {
        String configured = engine.configuredPolicy();
        NetworkHealth n = health.networkHealth();
        List<Installed> installed = installed(bundleContext);
        boolean automatic = configured.isEmpty();
        boolean configuredInstalled = automatic || installed.stream().anyMatch(p -> p.name().equals(configured));
        Installed inForce = n.fallbackActive() ? null : installed.stream()
                .filter(p -> p.name().equals(n.policyName())).findFirst().orElse(null);
        String pin = EngineInsight.POLICY + "=" + configured;

        List<Map<String, Object>> rows = new ArrayList<>();
        for (Installed p : installed) {
            String why;
            if (p == inForce) {
                why = automatic ? "highest ranking"
                        : configuredInstalled ? "pinned by " + pin
                        : "kept: " + configured + " is configured but not installed";
            } else if (!automatic) {
                why = "not pinned (" + pin + ")";
            } else if (inForce != null) {
                why = "outranked by " + inForce.name();
            } else {
                why = "not bound by the engine";
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", p.name());
            row.put("ranking", p.ranking());
            row.put("bundle", p.bundle());
            row.put("bundleId", p.bundleId());
            row.put("serviceId", p.serviceId());
            row.put("inForce", p == inForce);
            row.put("why", why);
            rows.add(row);
        }

        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("policy", configured);
            out.put("policyInstalled", configuredInstalled);
            out.put("policyInForce", n.policyName());
            out.put("fallbackActive", n.fallbackActive());
            out.put("policies", rows);
            printJson(out);
            return null;
        }
        if (!noFormat) {
            System.out.println(automatic ? "Policy: automatic (" + EngineInsight.POLICY + " empty: the highest ranking wins)"
                    : configuredInstalled ? "Policy: " + configured + " (pinned by " + pin + ")"
                    : "Policy " + configured + " is configured but not installed (" + pin + "): "
                            + (n.fallbackActive() ? "the fallback" : n.policyName()) + " stays in force until it is");
            if (n.fallbackActive()) {
                System.out.println("No policy in force: the engine's built-in fallback answers (no automatic bans)");
            }
        }
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Ranking").alignRight();
        table.column("Bundle");
        table.column("Bundle ID").alignRight();
        table.column("In force");
        table.column("Why");
        for (Map<String, Object> row : rows) {
            table.addRow().addContent(row.get("name"), row.get("ranking"), row.get("bundle"), row.get("bundleId"),
                    (Boolean) row.get("inForce") ? "yes" : "no", row.get("why"));
        }
        table.print(System.out, !noFormat);
        return null;
    }

    /** Every registered policy service with a name, best ranked first (ranking, then the oldest). */
    static List<Installed> installed(BundleContext context) throws InvalidSyntaxException {
        ServiceReference<?>[] refs = context.getAllServiceReferences(WardenPolicy.class.getName(), null);
        if (refs == null) {
            return List.of();
        }
        List<ServiceReference<?>> sorted = new ArrayList<>(Arrays.asList(refs));
        sorted.sort(Comparator.<ServiceReference<?>>naturalOrder().reversed());
        List<Installed> out = new ArrayList<>();
        for (ServiceReference<?> ref : sorted) {
            Object name = ref.getProperty(WardenPolicy.NAME_PROPERTY);
            if (name == null || ref.getBundle() == null) {
                continue; // never used by the engine, or unregistered meanwhile
            }
            Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
            out.add(new Installed(String.valueOf(name), ranking instanceof Integer i ? i : 0,
                    ref.getBundle().getSymbolicName(), ref.getBundle().getBundleId(),
                    (Long) ref.getProperty(Constants.SERVICE_ID), ref));
        }
        return out;
    }

    /** The installed policy names, in registration order (service id), each once. */
    static List<String> installedNames(BundleContext context) throws InvalidSyntaxException {
        return installed(context).stream().sorted(Comparator.comparingLong(Installed::serviceId))
                .map(Installed::name).distinct().toList();
    }

    /** The engine's configuration if it exists (listConfigurations does not create one). */
    static Configuration engineConfiguration(ConfigurationAdmin configAdmin) throws IOException, InvalidSyntaxException {
        Configuration[] configs = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + EngineInsight.PID + ")");
        return configs == null || configs.length == 0 ? null : configs[0];
    }
}
