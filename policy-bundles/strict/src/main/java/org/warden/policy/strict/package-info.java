/**
 * Warden's strict policy: outlier ejection in the style of Envoy's outlier detection (consecutive failures,
 * success rate against the network's mean − k·σ, growing timed ejections, probation), see this module's README.
 *
 * <p>{@link org.warden.policy.strict.StrictPolicy} is a plain Java object usable without OSGi;
 * {@link org.warden.policy.strict.StrictPolicyComponent} registers it as the {@code warden.policy.name=strict}
 * service, configured through the PID {@code org.warden.policy.strict}. The package is private to its bundle
 * (no {@code @Version}, not exported).
 */
package org.warden.policy.strict;
