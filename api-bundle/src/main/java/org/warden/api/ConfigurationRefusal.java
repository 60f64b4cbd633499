package org.warden.api;

import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A configuration Warden has refused and that is still the one on file, part of {@link ConfigurationStatus}: what
 * an operator needs to fix it without reading the log.
 *
 * @param pid     the refused configuration's PID, e.g. {@code org.warden.engine}
 * @param reason  why it is refused, naming the key, e.g. {@code healthCheckIntervalSeconds must be in [1, 31536000],
 *                was -5}
 * @param inForce what applies instead, e.g. {@code the settings last accepted}
 * @param since   when Warden first refused the configuration on file; later refused edits of the same PID keep
 *                this time, so it says how long the file's settings have not been in force
 * @since 1.4
 */
@ProviderType
public record ConfigurationRefusal(String pid, String reason, String inForce, Instant since) {

    public ConfigurationRefusal {
        Check.notNull("pid", pid);
        Check.notNull("reason", reason);
        Check.notNull("inForce", inForce);
        Check.notNull("since", since);
    }
}
