package org.warden.engine;

import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.warden.api.whatif.WhatIfService;

/**
 * The services the engine registers itself while its component is active, beside the component's own: each a
 * registration of its own, not one more objectClass of the API services (a framework hides a service from a bundle
 * that sees another copy of any of its classes, and the engine-internal {@link EngineInsight} must never hide the
 * API), and each an object of its own, so the engine's component class stays its OSGi wiring.
 */
final class OwnServices {

    private final List<ServiceRegistration<?>> registrations;

    private OwnServices(List<ServiceRegistration<?>> registrations) {
        this.registrations = registrations;
    }

    static OwnServices register(BundleContext context, EngineInsight insight, WhatIfService whatIf) {
        return new OwnServices(List.of(context.registerService(EngineInsight.class, insight, null),
                context.registerService(WhatIfService.class, whatIf, null)));
    }

    void unregister() {
        for (ServiceRegistration<?> r : registrations) {
            r.unregister();
        }
    }
}
