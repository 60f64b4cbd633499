package org.warden.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.features.Repository;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.warden.api.HealthService;
import org.warden.api.PenaltyService;
import org.warden.api.ReputationService;
import org.warden.api.SelectionService;
import org.warden.api.policy.WardenPolicy;

/**
 * The operator's path from an empty Karaf to a running Warden and back: {@code feature:repo-add},
 * {@code feature:install warden}, every service there, the default configuration files in {@code etc/},
 * then {@code feature:uninstall warden} leaving nothing of Warden behind.
 *
 * <p>This class runs before Warden is installed, so Warden types appear only inside method bodies: JUnit
 * reflects over the class's fields and methods (lambdas included) when it loads it, and a Warden type
 * there would fail to load.
 */
public class WardenFeatureIT extends WardenTestSupport {

    @Test
    public void operatorInstallsWardenAndUninstallsItWithoutTrace() throws Exception {
        // feature:repo-list shows this build's repository (added by the container configuration); an
        // operator removes and adds it again with feature:repo-remove / feature:repo-add.
        URI repositoryUri = URI.create(featuresRepositoryUri());
        Repository repository = featuresService.getRepository(repositoryUri);
        assertNotNull("the Warden features repository should be known", repository);
        assertEquals("warden-" + wardenVersion(), repository.getName());
        featuresService.removeRepository(repositoryUri);
        assertNull("after feature:repo-remove no warden feature is known", featuresService.getFeature("warden"));
        featuresService.addRepository(repositoryUri);
        Set<String> featureNames = Arrays.stream(featuresService.getRepository(repositoryUri).getFeatures())
                .map(Feature::getName)
                .collect(Collectors.toSet());
        assertEquals(Set.of("warden-core", "warden", "warden-healthcheck", "warden-policy-constant",
                "warden-policy-strict", "warden-policy-bayesian", "warden-demo", "warden-postgresql"), featureNames);
        assertTrue("no Warden bundle before the install", wardenBundles().isEmpty());

        // feature:install warden
        installAndAssertFeature("warden");
        assertTrue(featuresService.isInstalled(feature("warden-core")));
        assertFalse("the constant policy is not part of warden", featuresService.isInstalled(feature("warden-policy-constant")));
        for (String bsn : List.of(API_BSN, ENGINE_BSN, DEFAULT_POLICY_BSN)) {
            assertActive(bsn);
        }
        assertTrue("the constant policy bundle is not installed by warden", bundle(CONSTANT_POLICY_BSN).isEmpty());

        // Every service the distributor and the operator use is there.
        assertNotNull(getService(HealthService.class));
        assertNotNull(getService(ReputationService.class));
        assertNotNull(getService(PenaltyService.class));
        assertNotNull(getService(SelectionService.class));
        WardenPolicy policy = getService(WardenPolicy.class, "(" + WardenPolicy.NAME_PROPERTY + "=default)", WAIT);
        assertNotNull(policy);
        assertEquals("the default policy is the only policy", 1,
                bundleContext.getServiceReferences(WardenPolicy.class, null).size());
        assertEquals("default", getService(HealthService.class).networkHealth().policyName());

        // The feature ships the default configuration files, commented, into etc/.
        File etc = new File(System.getProperty("karaf.etc"));
        assertConfigFile(new File(etc, "org.warden.engine.cfg"), "healthCheckIntervalSeconds = 60");
        assertConfigFile(new File(etc, "org.warden.policy.default.cfg"), "autoBanMaliciousReports = 3");

        // feature:uninstall warden. Without refreshing other bundles: this test's own probe bundle is wired
        // to the API package it used above, and a refresh would restart the probe in the middle of this test.
        uninstallAndAssertFeature("warden", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        assertFalse("warden-core goes with warden", featuresService.isInstalled(feature("warden-core")));
        List<String> left = wardenBundles().stream()
                .map(b -> b.getSymbolicName() + " (" + b.getBundleId() + ", state " + b.getState() + ")")
                .toList();
        assertTrue("no org.warden bundle may be left, found " + left, left.isEmpty());
        List<ServiceReference<?>> services = wardenServiceReferences();
        assertTrue("no Warden service may be left, found " + services, services.isEmpty());
        // The framework itself still runs: uninstalling Warden took nothing else down.
        assertEquals(Bundle.ACTIVE, bundleContext.getBundle(0).getState());
    }

    private static void assertConfigFile(File file, String expectedLine) throws Exception {
        assertTrue(file + " should exist", file.isFile());
        List<String> lines = Files.readAllLines(file.toPath());
        assertTrue(file + " should hold '" + expectedLine + "'", lines.contains(expectedLine));
        assertTrue(file + " should be commented", lines.stream().anyMatch(l -> l.startsWith("#")));
    }
}
