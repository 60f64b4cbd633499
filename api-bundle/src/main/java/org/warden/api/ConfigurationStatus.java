package org.warden.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Which of Warden's configurations are refused now. A refused configuration stays in its {@code etc/*.cfg} file
 * (Config Admin keeps it) while Warden keeps other settings in force; without this service only the log's ERROR
 * line would say so. Monitoring (e.g. Warden's health check, which WARNs for each refusal) reads every such service.
 * Several are registered, each for its own configurations: the Warden engine for {@code org.warden.engine},
 * {@code org.warden.store} and {@code org.warden.snapshot}, and each configurable policy bundle for its PID (with an
 * object from {@link org.warden.api.policy.support.ConfigurationRefusals}, implemented in this API bundle, so that
 * a policy bundle stays a consumer of this package). The health check knows its own refusal without one.
 * Thread-safe.
 *
 * @since 1.4
 */
@ProviderType
public interface ConfigurationStatus {

    /**
     * The refusals in force of this service's configurations, one per PID: a snapshot that does not change. A
     * refusal ends when an accepted configuration of its PID arrives (the value fixed, or the configuration deleted).
     *
     * @return empty when every configuration on file is accepted
     */
    List<ConfigurationRefusal> refusals();
}
