package org.warden.engine.shell;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.Terminal;
import org.osgi.framework.BundleContext;
import org.warden.api.whatif.WhatIfProgress;
import org.warden.api.whatif.WhatIfReport;
import org.warden.api.whatif.WhatIfRequest;
import org.warden.api.whatif.WhatIfService;

/**
 * Asks the {@link WhatIfService} what an installed policy, optionally with configuration overrides, would have done
 * with the retained history, and prints the report ({@link WhatIfText}) or its JSON. It changes nothing, but a replay
 * of a week is heavy: an admin's command. While it runs, an interactive console shows a progress line
 * ({@link ProgressLine}); Ctrl-C interrupts the command's thread, the service gives up with a
 * {@link CancellationException}, and the command says so and ends normally.
 */
@Command(scope = "warden", name = "whatif", description = "Replays the retained history under a candidate policy "
        + "(an installed policy, with optional configuration overrides) in an engine of its own and shows what would "
        + "have changed: bans, eligibility, reputations, auctions. The live state is not touched.",
        detailedDescription = "The candidate is compared with the history replayed under the policy in force. The "
                + "history the durable store keeps is bounded by its historyRetentionHours; asking for more is "
                + "refused with the time it starts at. Ctrl-C cancels. Admin only (a long replay is heavy).")
@Service
public class WhatIfCommand extends WardenCommandSupport {

    static final Duration DEFAULT_SINCE = Duration.ofHours(1);
    static final String UNAVAILABLE = "what-if is not available: no WhatIfService is registered (the engine or its "
            + "durable store is not running)";
    static final String CANCELLED = "what-if cancelled";

    @Argument(index = 0, name = "policy", description = "The warden.policy.name of an installed policy",
            required = true)
    @Completion(PolicyNameCompleter.class)
    String policy;

    @Option(name = "--since", aliases = "-s", description = "How far back to replay: 30m, 1h, 7d or ISO-8601 (PT1H); "
            + "at most 366d; 1h when absent")
    String since;

    @Option(name = "--config", aliases = "-c", multiValued = true, description = "key=value: a configuration key of "
            + "the candidate policy, for this replay only (repeat the option for more keys)")
    List<String> config;

    @Option(name = "--json", description = "Print JSON: the API's WhatIfReport")
    boolean json;

    /**
     * Options typed after the policy ({@code warden:whatif strict --since 1h}, as the issue writes it): Karaf's
     * parser reads options only before the first argument and would refuse them as "too many arguments". The policy
     * being one word, what follows it can only be options: read here as Karaf reads those before it.
     */
    @Argument(index = 1, name = "options", description = "--since, --config and --json may also follow the policy",
            required = false, multiValued = true)
    List<String> trailing;

    @Reference
    private BundleContext bundleContext;

    @Reference
    private Session session;

    /** Absent while no engine with a durable store offers it: the command says so. */
    @Reference(optional = true)
    private WhatIfService whatIf;

    @Override
    protected Object doExecute() throws Exception {
        readTrailingOptions();
        Duration window = since == null ? DEFAULT_SINCE
                : duration("since", since, WhatIfRequest.MAX_SINCE, WhatIfRequest.MAX_SINCE.toDays() + "d", "PT1H");
        WhatIfRequest request = escaped(() -> new WhatIfRequest(policy, window, overrides(config)));
        if (whatIf == null) {
            throw new IllegalStateException(UNAVAILABLE);
        }
        List<String> installed = PoliciesCommand.installedNames(bundleContext);
        if (!installed.contains(policy)) {
            throw new IllegalArgumentException("unknown policy '" + Printable.of(policy) + "'; installed: "
                    + (installed.isEmpty() ? "none" : String.join(", ", installed)));
        }

        ProgressLine progress = json ? null : progressLine(session);
        WhatIfReport report = null;
        boolean cancelled = false;
        try {
            WhatIfProgress told = progress == null ? WhatIfProgress.NONE : progress;
            report = escaped(() -> whatIf.whatIf(request, told));
        } catch (CancellationException e) {
            // Ctrl-C: the operator asked for it, so no error and no stack trace, just the line below; the thread's
            // interrupt status stays as the service left it
            cancelled = true;
        } finally {
            // wiped first: on one terminal, what follows would otherwise continue the progress line
            if (progress != null) {
                progress.clear();
            }
        }
        if (cancelled) {
            System.out.println(CANCELLED);
        } else if (json) {
            printJson(report);
        } else {
            WhatIfText.print(report, System.out);
        }
        return null;
    }

    /**
     * What {@code call} returns; its refusal with the message escaped ({@link Printable}): the API's and the
     * service's messages quote what the operator typed (a key, a policy name) as it was.
     */
    private static <T> T escaped(Supplier<T> call) {
        try {
            return call.get();
        } catch (CancellationException e) {
            throw e; // an IllegalStateException too, but Ctrl-C, not a refusal
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Printable.escaped(e.getMessage()), e);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(Printable.escaped(e.getMessage()), e);
        }
    }

    /**
     * A progress line on the session's terminal; none when there is no terminal (a command over {@code ssh} or
     * {@code bin/client}, a script, a test): its output is read by a program, which a rewritten line would garble.
     */
    static ProgressLine progressLine(Session session) {
        Terminal terminal = session == null ? null : session.getTerminal();
        if (terminal == null || session.getConsole() == null) {
            return null;
        }
        return new ProgressLine(session.getConsole(), terminal.isAnsiSupported());
    }

    /** Reads {@link #trailing} into the option fields: {@code --name value} or {@code --name=value}, as Karaf does. */
    void readTrailingOptions() {
        if (trailing == null) {
            return;
        }
        for (int i = 0; i < trailing.size(); i++) {
            String token = trailing.get(i);
            int eq = token.indexOf('=');
            String name = eq < 0 ? token : token.substring(0, eq);
            if (name.equals("--json")) {
                if (eq >= 0) {
                    throw new IllegalArgumentException("--json takes no value, was '" + Printable.of(token) + "'");
                }
                json = true;
                continue;
            }
            if (!List.of("--since", "-s", "--config", "-c").contains(name)) {
                throw new IllegalArgumentException("after the policy only --since, --config and --json may follow, "
                        + "was '" + Printable.of(token) + "'");
            }
            String value;
            if (eq >= 0) {
                value = token.substring(eq + 1);
            } else if (i + 1 < trailing.size()) {
                value = trailing.get(++i);
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            if (name.equals("--since") || name.equals("-s")) {
                if (since != null) {
                    throw new IllegalArgumentException("--since given twice");
                }
                since = value;
            } else {
                config = config == null ? new ArrayList<>() : new ArrayList<>(config);
                config.add(value);
            }
        }
        trailing = null;
    }

    /** The {@code --config key=value} options as overrides, in the order given; a key given twice is refused. */
    static Map<String, String> overrides(List<String> options) {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (options == null) {
            return overrides;
        }
        for (String option : options) {
            int eq = option == null ? -1 : option.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--config must be key=value, was '" + Printable.of(option) + "'");
            }
            String key = option.substring(0, eq).trim();
            String value = option.substring(eq + 1).trim();
            if (key.isEmpty() || value.isEmpty()) {
                throw new IllegalArgumentException("--config must be key=value, was '" + Printable.of(option) + "'");
            }
            if (overrides.put(key, value) != null) {
                throw new IllegalArgumentException("--config gives " + Printable.of(key) + " twice");
            }
        }
        return overrides;
    }
}
