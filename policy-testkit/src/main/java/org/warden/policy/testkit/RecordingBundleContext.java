package org.warden.policy.testkit;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A {@link BundleContext} that records the services registered with it and their unregistration, so that a
 * component's tests can assert what it registers while active (e.g. a policy's
 * {@link org.warden.api.ConfigurationStatus}) without a framework. Only the {@code registerService} methods and
 * {@code getProperty} (the framework properties set with {@link #withProperty}, e.g. {@code karaf.data}) work; every
 * other method throws {@link UnsupportedOperationException}, so a component using more fails its test loudly.
 */
public final class RecordingBundleContext {

    /** One registration: the interfaces it was registered under and the service object. */
    public record Registration(List<String> classes, Object service) {
    }

    // Copy-on-write: Declarative Services may activate and deactivate a component on different threads.
    private final List<Registration> live = new CopyOnWriteArrayList<>();
    private final Map<String, String> properties = new ConcurrentHashMap<>();

    // A proxy rather than a hand-written class: BundleContext has some thirty methods, all but three unused here.
    private final BundleContext context = (BundleContext) Proxy.newProxyInstance(
            RecordingBundleContext.class.getClassLoader(), new Class<?>[] {BundleContext.class},
            (proxy, method, args) -> {
                if (method.getDeclaringClass() == Object.class) {
                    return switch (method.getName()) {
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> "RecordingBundleContext";
                    };
                }
                if (method.getName().equals("registerService")) {
                    List<String> classes = args[0] instanceof Class<?> c ? List.of(c.getName())
                            : args[0] instanceof String[] names ? List.of(names) : List.of((String) args[0]);
                    return register(new Registration(classes, args[1]));
                }
                if (method.getName().equals("getProperty")) {
                    return properties.get((String) args[0]);
                }
                throw new UnsupportedOperationException("RecordingBundleContext." + method.getName());
            });

    /**
     * Sets a framework property the context's {@code getProperty} returns, e.g. {@code karaf.data} pointing to a test's
     * temporary directory; unset ones are null, as outside Karaf.
     */
    public RecordingBundleContext withProperty(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** The context to hand to the component under test. */
    public BundleContext context() {
        return context;
    }

    /** The services registered under {@code type} and not unregistered, oldest first. */
    public <S> List<S> registered(Class<S> type) {
        return live.stream().filter(r -> r.classes().contains(type.getName())).map(r -> type.cast(r.service()))
                .toList();
    }

    /** Every registration not unregistered, oldest first. */
    public List<Registration> registrations() {
        return List.copyOf(live);
    }

    private ServiceRegistration<?> register(Registration registration) {
        live.add(registration);
        return (ServiceRegistration<?>) Proxy.newProxyInstance(RecordingBundleContext.class.getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "unregister" -> {
                            // as a framework does: a registration is unregistered once
                            if (!live.removeIf(r -> r == registration)) {
                                throw new IllegalStateException("already unregistered: " + registration.classes());
                            }
                            return null;
                        }
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "toString" -> {
                            return "registration of " + registration.classes();
                        }
                        case "getProperties" -> {
                            Dictionary<String, Object> none = new Hashtable<>();
                            return none;
                        }
                        default -> throw new UnsupportedOperationException("ServiceRegistration." + method.getName());
                    }
                });
    }
}
