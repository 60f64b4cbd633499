package org.warden.api.whatif;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.osgi.annotation.versioning.ProviderType;
import org.warden.api.Check;

/**
 * A what-if question: replay the history of the last {@code since} under the installed policy named {@code policy},
 * configured as it is now except for {@code overrides} (the policy's configuration keys, as an operator would type
 * them with {@code config:property-set}).
 *
 * @param policy    an installed policy's {@code warden.policy.name}
 * @param since     how far back to replay: positive, at most {@link #MAX_SINCE}
 * @param overrides configuration keys and values for the candidate only; at most {@link #MAX_OVERRIDES}
 */
@ProviderType
public record WhatIfRequest(String policy, Duration since, Map<String, String> overrides) {

    /** The longest history a replay may ask for. */
    public static final Duration MAX_SINCE = Duration.ofDays(366);
    public static final int MAX_OVERRIDES = 64;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final int MAX_VALUE_LENGTH = 1024;

    public WhatIfRequest {
        Check.notNull("policy", policy);
        if (!NAME.matcher(policy).matches()) {
            throw new IllegalArgumentException("policy: a policy name is 1 to 64 of A-Z a-z 0-9 . _ -, was '"
                    + (policy.length() > 64 ? policy.substring(0, 64) + "..." : policy) + "'");
        }
        Check.notNull("since", since);
        if (since.isNegative() || since.isZero() || since.compareTo(MAX_SINCE) > 0) {
            throw new IllegalArgumentException("since must be positive and at most " + MAX_SINCE.toDays()
                    + " days, was " + since);
        }
        overrides = overrides == null ? Map.of() : overrides;
        if (overrides.size() > MAX_OVERRIDES) {
            throw new IllegalArgumentException("overrides: " + overrides.size() + " given, at most " + MAX_OVERRIDES);
        }
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (e.getKey() == null || !KEY.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("overrides: a key is 1 to 128 of A-Z a-z 0-9 . _ -, was '"
                        + e.getKey() + "'");
            }
            if (e.getValue() == null || e.getValue().isBlank() || e.getValue().length() > MAX_VALUE_LENGTH) {
                throw new IllegalArgumentException("overrides: the value of " + e.getKey()
                        + " must not be blank nor longer than " + MAX_VALUE_LENGTH + " characters");
            }
        }
        overrides = Map.copyOf(new TreeMap<>(overrides));
    }
}
