/**
 * Warden's Bayesian policy (Storj-style reputation): a Beta posterior over a worker's success probability
 * with forgetting, scored by a lower confidence bound, vetting of new workers with an exploration share of
 * jobs reserved for them, and suspension before ban (see this module's README).
 *
 * <p>{@link org.warden.policy.bayesian.BayesianPolicy} is a plain Java object usable without OSGi;
 * {@link org.warden.policy.bayesian.BayesianPolicyComponent} registers it as the
 * {@code warden.policy.name=bayesian} service, configured through the PID {@code org.warden.policy.bayesian}.
 * The package is private to its bundle (no {@code @Version}, not exported).
 */
package org.warden.policy.bayesian;
