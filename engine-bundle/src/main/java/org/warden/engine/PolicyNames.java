package org.warden.engine;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which policies the engine's configuration names: {@code policy} (empty: the highest-ranked installed policy) and
 * {@code shadowPolicy} (empty: none), each checked as a name. Also refuses the keys that chose them before, LDAP
 * filters handed to SCR ({@code policy.target}, {@code shadow.target}): a malformed filter was SCR's error and put
 * the fallback in force, so they are no longer read, and a configuration that still holds one is refused, saying what
 * to set instead, rather than silently judged by another policy than the one the file names.
 *
 * @param policy       the enforced policy's name, or empty for automatic
 * @param shadowPolicy the shadow policy's name, or empty for none
 */
public record PolicyNames(String policy, String shadowPolicy) {

    /** Automatic, no shadow. */
    public static final PolicyNames DEFAULTS = new PolicyNames("", "");

    /** What a policy's name may be: what an operator types in a .cfg file or a shell, no filter syntax. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** The keys no longer read, with the key that replaces each. */
    static final Map<String, String> RETIRED = Map.of(EngineInsight.RETIRED_KEYS.get(0), EngineInsight.POLICY,
            EngineInsight.RETIRED_KEYS.get(1), EngineInsight.SHADOW_POLICY);

    /** A filter naming one policy, as the old keys were usually set: its name goes into the refusal's advice. */
    private static final Pattern ONE_NAME = Pattern.compile("\\(warden\\.policy\\.name=([A-Za-z0-9._-]{1,64})\\)");

    public PolicyNames {
        checkName(EngineInsight.POLICY, policy);
        checkName(EngineInsight.SHADOW_POLICY, shadowPolicy);
    }

    /**
     * Refuses a configuration holding a retired key (read from the component's raw properties: a typed configuration
     * does not see keys it does not declare, and declaring them would show them to operators as settings).
     */
    static void refuseRetiredKeys(Map<String, ?> properties) {
        for (String retired : RETIRED.keySet().stream().sorted().toList()) {
            Object value = properties.get(retired);
            if (value != null) {
                throw new IllegalArgumentException(retired + " is no longer read: set " + RETIRED.get(retired) + "="
                        + advice(retired, String.valueOf(value)) + " instead, and remove " + retired);
            }
        }
    }

    /** The value to set instead of a retired key's filter, or a placeholder with what it means. */
    private static String advice(String retired, String filter) {
        Matcher one = ONE_NAME.matcher(filter.strip());
        if (one.matches()) {
            return one.group(1);
        }
        if (retired.equals("policy.target") && filter.strip().equals("(warden.policy.name=*)")) {
            return " (empty: the highest-ranked policy)";
        }
        return "<name> (the warden.policy.name of an installed policy; empty: "
                + (retired.equals("policy.target") ? "the highest-ranked policy)" : "none)");
    }

    /**
     * Refuses a value of {@code key} that is neither empty nor a policy name, with the message the engine refuses it
     * with (the shell checks a name with it before writing it).
     */
    public static void checkName(String key, String value) {
        if (value == null || !(value.isEmpty() || NAME.matcher(value).matches())) {
            throw new IllegalArgumentException(key + " must be a policy name (letters, digits, '.', '_' or '-', at "
                    + "most 64) or empty, was '" + value + "'");
        }
    }
}
