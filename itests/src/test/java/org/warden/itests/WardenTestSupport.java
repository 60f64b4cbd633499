package org.warden.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFileExtend;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.useOwnExamBundlesStartLevel;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.junit.Rule;
import org.junit.rules.Timeout;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * What every Warden integration test needs, in the spirit of Karaf's own {@code KarafTestSupport}: a real
 * Karaf 4.4 started by Pax Exam (one per test class), working offline, with this build's features
 * repository known to it, and helpers to install features, get services and find bundles. Every wait polls
 * a condition with Awaitility; nothing sleeps.
 *
 * <p>The container resolves {@code mvn:} URLs from Karaf's {@code system} folder, this build's
 * {@code target/itest-repo} (filled in {@code pre-integration-test}) and the build's local repository,
 * never from the network. Failsafe passes the versions and paths as system properties (see the pom).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public abstract class WardenTestSupport {

    /** Longest wait for a service, a bundle state or a score to show up. */
    protected static final Duration WAIT = Duration.ofSeconds(30);
    /** Longest a test method may run (a feature install takes a few seconds). */
    protected static final long METHOD_TIMEOUT_SECONDS = 180;

    protected static final String GROUP_ID = "org.warden";
    protected static final String API_BSN = "org.warden.api";
    protected static final String ENGINE_BSN = "org.warden.engine";
    protected static final String DEFAULT_POLICY_BSN = "org.warden.policy.default";
    protected static final String CONSTANT_POLICY_BSN = "org.warden.policy.constant";

    /** Every test method has a timeout (a test class has one too: its Failsafe fork's, see the pom). */
    @Rule
    public final Timeout methodTimeout = Timeout.builder()
            .withTimeout(METHOD_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .withLookingForStuckThread(true)
            .build();

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected FeaturesService featuresService;

    /** Injected once Karaf's boot features are installed: tests start on a settled container. */
    @Inject
    protected BootFinished bootFinished;

    // ---------------------------------------------------------------- container configuration (runs in the driver)

    @Configuration
    public Option[] config() {
        String karafVersion = required("karaf.version");
        String wardenVersion = required("warden.version");
        String localRepository = required("warden.local.repo");
        String itestRepository = new File(required("warden.itest.repo")).toURI().toString();
        String buildDirectory = required("project.build.directory");
        return options(
                karafDistributionConfiguration()
                        .frameworkUrl(maven("org.apache.karaf", "apache-karaf", karafVersion).type("tar.gz"))
                        .karafVersion(karafVersion)
                        .name("Apache Karaf")
                        .unpackDirectory(new File(buildDirectory, "exam"))
                        .useDeployFolder(false),
                // Each container's folder is deleted when its class is done, unless asked to keep it
                // for a look at its data/log/karaf.log: mvn verify -Dwarden.itest.keepRuntimeFolder=true
                Boolean.getBoolean("warden.itest.keepRuntimeFolder") ? keepRuntimeFolder() : composite(),
                logLevel(LogLevel.WARN),
                configureConsole().ignoreLocalConsole(),
                systemTimeout(WAIT.toMillis() * 4),
                // Pax Exam's own bundles (and so the probe) start after everything Karaf boots, as in Karaf's own
                // itests: a probe installed while the features service still resolves its boot features is refused
                // ("Resolver hook prevented resolution", seen once under load in ShellPoliciesIT).
                useOwnExamBundlesStartLevel(100),

                // Offline Maven resolution: Karaf's system folder, this build's artifacts, the local repository.
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg",
                        "org.ops4j.pax.url.mvn.localRepository", localRepository),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg",
                        "org.ops4j.pax.url.mvn.defaultRepositories",
                        "${karaf.home.uri}system@id=system.repository@snapshots,"
                                + itestRepository + "@id=warden.itest@snapshots"),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
                editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "updateSnapshots", "none"),
                // This build's features repository is known to Karaf (an operator would feature:repo-add it),
                // and the subclass's boot features are installed with Karaf's own.
                editConfigurationFileExtend("etc/org.apache.karaf.features.cfg", "featuresRepositories",
                        featuresRepositoryUri(wardenVersion)),
                bootFeaturesOption(),
                // Free ports, so a container never fails on a busy one.
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freePort())),

                // Awaitility for the waits, inside the container (it needs Hamcrest 2).
                mavenBundle("org.hamcrest", "hamcrest", required("hamcrest.version")),
                mavenBundle("org.awaitility", "awaitility", required("awaitility.version")),

                // The tests read the version inside the container.
                systemProperty("warden.version").value(wardenVersion));
    }

    /**
     * Features Karaf installs at boot, with its own (as an operator who lists them in {@code featuresBoot}).
     * None by default. A test class that mentions Warden types in its fields, method signatures or lambdas
     * must boot with {@code warden}: JUnit reflects over the class (loading those types) before any test
     * method could install it. A class that installs Warden itself must keep Warden types in method bodies.
     */
    protected List<String> bootFeatures() {
        return List.of();
    }

    private Option bootFeaturesOption() {
        List<String> features = bootFeatures();
        return features.isEmpty()
                ? composite()
                : editConfigurationFileExtend("etc/org.apache.karaf.features.cfg", "featuresBoot", String.join(",", features));
    }

    private static String required(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + key + " is not set: run the tests with Maven (mvn verify)");
        }
        return value;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    // ---------------------------------------------------------------- helpers (run in the container)

    protected static String wardenVersion() {
        return Objects.requireNonNull(System.getProperty("warden.version"), "warden.version");
    }

    protected static String featuresRepositoryUri(String version) {
        return "mvn:" + GROUP_ID + "/warden-karaf-feature/" + version + "/xml/features";
    }

    protected static String featuresRepositoryUri() {
        return featuresRepositoryUri(wardenVersion());
    }

    /** Installs a feature as {@code feature:install NAME} does, and checks that Karaf reports it installed. */
    protected void installAndAssertFeature(String name) throws Exception {
        installAndAssertFeature(name, EnumSet.noneOf(FeaturesService.Option.class));
    }

    protected void installAndAssertFeature(String name, EnumSet<FeaturesService.Option> options) throws Exception {
        featuresService.installFeature(name, options);
        assertTrue("feature " + name + " should be installed", featuresService.isInstalled(feature(name)));
    }

    protected void uninstallAndAssertFeature(String name, EnumSet<FeaturesService.Option> options) throws Exception {
        featuresService.uninstallFeature(name, options);
        assertFalse("feature " + name + " should be uninstalled", featuresService.isInstalled(feature(name)));
    }

    protected Feature feature(String name) throws Exception {
        Feature feature = featuresService.getFeature(name);
        assertNotNull("feature " + name + " should be known: is the Warden features repository added?", feature);
        return feature;
    }

    /** The service, waiting for it at most {@link #WAIT}. */
    protected <T> T getService(Class<T> type) {
        return getService(type, null, WAIT);
    }

    /** The highest-ranked service of {@code type} matching {@code filter} (may be null), waiting at most {@code timeout}. */
    protected <T> T getService(Class<T> type, String filter, Duration timeout) {
        ServiceReference<T> reference = await("service " + type.getName() + (filter == null ? "" : " " + filter))
                .atMost(timeout)
                .until(() -> bestReference(type, filter), Objects::nonNull);
        T service = bundleContext.getService(reference);
        assertNotNull("service " + type.getName() + " went away", service);
        return service;
    }

    private <T> ServiceReference<T> bestReference(Class<T> type, String filter) throws InvalidSyntaxException {
        List<ServiceReference<T>> references = new ArrayList<>(bundleContext.getServiceReferences(type, filter));
        // ServiceReference.compareTo orders by ranking, then age: the greatest is what getService would pick.
        return references.stream().max(ServiceReference::compareTo).orElse(null);
    }

    /** References to every service whose objectClass is a Warden type (by name: the classes may be gone). */
    protected List<ServiceReference<?>> wardenServiceReferences() throws InvalidSyntaxException {
        ServiceReference<?>[] all = bundleContext.getAllServiceReferences(null, "(objectClass=org.warden.*)");
        return all == null ? List.of() : Arrays.asList(all);
    }

    /** The installed bundle with this symbolic name, if any. */
    protected Optional<Bundle> bundle(String symbolicName) {
        return Arrays.stream(bundleContext.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst();
    }

    /** The installed bundle with this symbolic name; fails the test if there is none. */
    protected Bundle requireBundle(String symbolicName) {
        return bundle(symbolicName).orElseThrow(() -> new AssertionError("no bundle " + symbolicName + " installed"));
    }

    /** Every installed bundle whose symbolic name starts with {@code org.warden}. */
    protected List<Bundle> wardenBundles() {
        return Arrays.stream(bundleContext.getBundles())
                .filter(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith("org.warden"))
                .toList();
    }

    protected void assertActive(String symbolicName) {
        Bundle bundle = requireBundle(symbolicName);
        assertEquals(symbolicName + " should be ACTIVE", Bundle.ACTIVE, bundle.getState());
    }
}
