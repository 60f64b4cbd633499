/**
 * Warden's default policy: the seed's scoring weights, health formula, decay, penalty, auto-ban and
 * selection rules, with the seed's vague parts decided (see this module's README).
 *
 * <p>{@link org.warden.policy.defaults.DefaultPolicy} is a plain Java object usable without OSGi;
 * {@link org.warden.policy.defaults.DefaultPolicyComponent} registers it as the
 * {@code warden.policy.name=default} service, configured through the PID {@code org.warden.policy.default}.
 * The package is private to its bundle (no {@code @Version}, not exported).
 */
package org.warden.policy.defaults;
