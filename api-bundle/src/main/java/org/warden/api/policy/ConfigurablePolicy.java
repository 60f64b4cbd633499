package org.warden.api.policy;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A policy that can be built again with other settings, for a what-if replay: implemented beside
 * {@link WardenPolicy} by the service object a policy bundle registers. Building a variant never changes the policy
 * in force nor its configuration.
 */
@ConsumerType
public interface ConfigurablePolicy {

    /**
     * A new, independent policy judging by the configuration in force with {@code overrides} put over it (the keys
     * and values of the policy's configuration PID, as text, converted and validated as Config Admin's would be).
     *
     * @throws IllegalArgumentException naming the key, if a key is unknown or a value refused; nothing is changed
     */
    WardenPolicy withOverrides(Map<String, String> overrides);
}
