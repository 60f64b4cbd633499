package org.warden.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Whether a worker may be given a job now, and why.
 *
 * @param workerId   the worker
 * @param eligible   not banned, reputation at or above the policy's threshold, and healthy
 * @param reputation its reputation score
 * @param threshold  the policy's eligibility threshold
 * @param reason     a one-line human explanation, e.g. {@code "banned: repeated malicious behaviour"}
 */
@ProviderType
public record Eligibility(String workerId, boolean eligible, double reputation, double threshold, String reason) {
}
