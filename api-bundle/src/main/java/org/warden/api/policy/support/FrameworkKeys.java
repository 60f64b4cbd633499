package org.warden.api.policy.support;

import java.util.Set;

/**
 * The keys the framework adds to a component's configuration ({@code service.pid}, {@code component.name},
 * {@code felix.fileinstall.filename}...), which are not the component's settings: not kept by
 * {@link LastAcceptedConfigurations}, not overridden by {@link ConfigOverrides}. A class of its own, without a
 * logger, so that reading a key does not need SLF4J loaded.
 */
final class FrameworkKeys {
    private static final Set<String> SERVICE_KEYS =
            Set.of("service.pid", "service.factoryPid", "service.bundleLocation", "service.id");

    private FrameworkKeys() {
    }

    /** Whether {@code key} is the framework's, not the component's. */
    static boolean isFrameworkKey(String key) {
        return SERVICE_KEYS.contains(key) || key.startsWith("component.") || key.startsWith("felix.");
    }
}
