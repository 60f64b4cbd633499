package org.warden.engine.component;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.warden.api.policy.WardenPolicy;

/**
 * An embedded Felix framework running Felix SCR, Config Admin and EventAdmin, and the engine bundle exploded in
 * {@code target/classes} (bnd has written its manifest and OSGI-INF there by the test phase).
 *
 * <p>The test and the bundles share the Warden API (and what the engine imports besides) through the system
 * bundle, which exports those packages from the test class path: a test's {@link WardenPolicy} and the engine
 * see the same classes. The jars to install come from system properties set by the surefire configuration in
 * the module's pom.
 */
public final class EmbeddedFramework implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);

    /** Exported by the system bundle from the test class path. */
    private static final String SHARED_PACKAGES = String.join(",",
            "org.warden.api;version=1.4.0",
            "org.warden.api.policy;version=1.2.0",
            "org.warden.api.policy.support;version=1.2.0",
            "org.warden.api.snapshot;version=1.0.0",
            "org.warden.api.whatif;version=1.0.0",
            "org.slf4j;version=1.7.36",
            "org.osgi.service.event;version=1.4",
            "org.osgi.service.cm;version=1.6"); // so the test can use ConfigurationAdmin

    private final Framework framework;

    private EmbeddedFramework(Framework framework) {
        this.framework = framework;
    }

    /** Starts a new framework on clean storage, with every bundle installed and started. */
    public static EmbeddedFramework start() throws Exception {
        return start(true, Map.of());
    }

    /** As {@link #start()}, with extra framework properties (e.g. {@code karaf.data}, as Karaf sets it). */
    static EmbeddedFramework start(Map<String, String> properties) throws Exception {
        return start(true, properties);
    }

    /** As {@link #restart()}, with extra framework properties. */
    static EmbeddedFramework restart(Map<String, String> properties) throws Exception {
        return start(false, properties);
    }

    /** Starts a new framework on the storage the last one left: a restart (its bundles and their data are there). */
    static EmbeddedFramework restart() throws Exception {
        return start(false, Map.of());
    }

    private static EmbeddedFramework start(boolean clean, Map<String, String> properties) throws Exception {
        Map<String, String> config = new HashMap<>(properties);
        config.put(Constants.FRAMEWORK_STORAGE, required("warden.test.storage"));
        if (clean) {
            config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        }
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SHARED_PACKAGES);
        config.put("ds.loglevel", "warn");
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi FrameworkFactory on the test class path"))
                .newFramework(config);
        framework.start();
        EmbeddedFramework osgi = new EmbeddedFramework(framework);
        try {
            BundleContext context = framework.getBundleContext();
            List<Bundle> bundles = new ArrayList<>();
            // on a restart the bundles are installed already: installBundle returns them
            for (String jar : required("warden.test.bundles").split(",")) {
                bundles.add(context.installBundle(Path.of(jar.trim()).toUri().toString()));
            }
            bundles.add(context.installBundle("reference:" + Path.of(required("warden.test.engine")).toUri()));
            for (Bundle b : bundles) {
                b.start();
            }
        } catch (Exception | Error e) {
            osgi.close();
            throw e;
        }
        return osgi;
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run the component tests "
                    + "through Maven (surefire sets it, see engine-bundle/pom.xml)");
        }
        return value;
    }

    public BundleContext context() {
        return framework.getBundleContext();
    }

    /** The highest-ranked service of that type, once there is one. */
    public ServiceReference<?> reference(Class<?> type) {
        return await().atMost(WAIT).until(() -> context().getServiceReference(type.getName()), r -> r != null);
    }

    /** The service object of that type, once there is one (getting it activates a delayed component). */
    public <T> T service(Class<T> type) {
        return type.cast(context().getService(reference(type)));
    }

    /**
     * The highest-ranked service of that type matching {@code filter}, once there is one: for a type several
     * components register (e.g. {@code ConfigurationStatus}: the engine's, the store's, the snapshot files').
     */
    ServiceReference<?> reference(Class<?> type, String filter) {
        return await().atMost(WAIT).until(() -> {
            ServiceReference<?>[] refs = context().getServiceReferences(type.getName(), filter);
            return refs == null ? null : java.util.Arrays.stream(refs).max(ServiceReference::compareTo).orElseThrow();
        }, r -> r != null);
    }

    /** The service object of that type matching {@code filter}, once there is one. */
    <T> T service(Class<T> type, String filter) {
        return type.cast(context().getService(reference(type, filter)));
    }

    /** Registers a policy service from the system bundle; no {@code warden.policy.name} when {@code name} is null. */
    public ServiceRegistration<WardenPolicy> registerPolicy(String name, int ranking, WardenPolicy policy) {
        Dictionary<String, Object> props = new Hashtable<>();
        if (name != null) {
            props.put(WardenPolicy.NAME_PROPERTY, name);
        }
        props.put(Constants.SERVICE_RANKING, ranking);
        return context().registerService(WardenPolicy.class, policy, props);
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        FrameworkEvent stopped = framework.waitForStop(WAIT.toMillis());
        if (stopped.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
            throw new IllegalStateException("the OSGi framework did not stop within " + WAIT);
        }
    }
}
