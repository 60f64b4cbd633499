package org.warden.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Which of Warden's configurations are refused now. A refused configuration stays in its {@code etc/*.cfg} file
 * (Config Admin keeps it) while Warden keeps other settings in force; without this service only the log's ERROR
 * line would say so. Monitoring (e.g. Warden's health check, which WARNs for each refusal) reads it. Implemented by
 * the Warden engine, for its own configuration ({@code org.warden.engine}); thread-safe.
 *
 * @since 1.4
 */
@ProviderType
public interface ConfigurationStatus {

    /**
     * The refusals in force, one per PID: a snapshot that does not change. A refusal ends when an accepted
     * configuration of its PID arrives (the value fixed, or the configuration deleted).
     *
     * @return empty when every configuration on file is accepted
     */
    List<ConfigurationRefusal> refusals();
}
