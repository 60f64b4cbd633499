/**
 * Helpers for policy authors: code every configurable {@link org.warden.api.policy.WardenPolicy} component needs
 * and should not write again. {@link org.warden.api.policy.support.SettingsHolder} holds a component's validated
 * settings, swaps them on a configuration change and refuses a bad configuration, logging why, while the last good
 * settings stay in force.
 *
 * <p>1.1.0: {@link org.warden.api.policy.support.ConfigValues} reads a raw configuration with Warden's own conversion
 * (a value of the wrong type refused naming its key); {@link org.warden.api.policy.support.ConfigurationRefusals} and
 * {@link org.warden.api.policy.support.SettingsHolder#status()} keep a refusal for the health check, as a
 * {@link org.warden.api.ConfigurationStatus} implemented here so that a policy registering it stays a consumer;
 * {@link org.warden.api.policy.support.ForwardingPolicy} forwards every policy call to the policy in force. New types
 * and members only: a minor change.
 *
 * <p>1.2.0: {@link org.warden.api.policy.support.LastAcceptedConfigurations} keeps each PID's configuration last
 * accepted under {@code ${karaf.data}/warden}, and
 * {@link org.warden.api.policy.support.SettingsHolder#apply(java.util.Map, java.util.function.Function, String,
 * LastAcceptedConfigurations)} saves it and puts it in force at a boot whose configuration on file is refused. New
 * types and members only: a minor change.
 *
 * <p>1.3.0: {@link org.warden.api.policy.support.SettingsHolder#variant} builds a variant of what a component builds
 * from its configuration in force with overrides put over it (a what-if replay's candidate policy, see
 * {@link org.warden.api.policy.ConfigurablePolicy}), changing nothing in force;
 * {@link org.warden.api.policy.support.ConfigOverrides} puts the overrides over the raw configuration, refusing a key
 * that is not the component's. New types and members only: a minor change.
 *
 * <p>Runtime code, so it lives in the API bundle every policy bundle already imports, not in the test kit; a
 * package of its own so that a distributor, which never needs it, is not asked to follow its versions. It logs
 * through SLF4J, the logging API of every Warden bundle (Pax Logging in Karaf).
 */
@Export
@Version("1.3.0")
package org.warden.api.policy.support;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
